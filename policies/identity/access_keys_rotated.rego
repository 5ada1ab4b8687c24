# METADATA
# title: Access keys are rotated
# description: Every active access key of a user was created within keyRotationDays days (90 by default).
# custom:
#   id: identity.access_keys_rotated
#   domain: identity
#   severity: medium
#   likelihood: 3
#   impact: 4
#   kinds:
#     - user
#   remediation: >-
#     Create a new key, move the workload to it and deactivate the old one (IAM access key rotation, secret rotation
#     for Entra app credentials), or better, replace long-lived keys with roles or workload identity federation.
package plantproof.checks.identity.access_keys_rotated

import data.plantproof.lib

max_days := lib.param("keyRotationDays", 90)

key_holders contains u if {
	some u in data.entities.user
	count(active_keys(u)) > 0
}

results contains lib.pass(u, msg) if {
	some u in key_holders
	not issues[u.id]
	msg := sprintf("%v active access key(s), all created within %v days", [count(active_keys(u)), max_days])
}

results contains lib.fail(u, concat("; ", sort(issues[u.id]))) if {
	some u in key_holders
	issues[u.id]
}

issues[u.id] contains sprintf("access key ending %s has no recorded creation date", [k.suffix]) if {
	some u in key_holders
	some k in active_keys(u)
	not is_string(k.createdAt)
}

issues[u.id] contains msg if {
	some u in key_holders
	some k in active_keys(u)
	is_string(k.createdAt)
	age := lib.days_since(k.createdAt)
	age > max_days
	msg := sprintf("access key ending %s is %v days old, more than the %v-day limit", [k.suffix, age, max_days])
}

active_keys(u) := [k | some k in u.accessKeys; k.active == true]
