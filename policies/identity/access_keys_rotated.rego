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

max_days_text := lib.number_text(max_days)

# One verdict for each user holding at least one active key, judged by functions of that user's keys alone,
# so the check stays linear in the number of users. The problems are worked out once and handed to the verdict.
results := [verdict(u, keys, problems(keys)) |
	some u in data.entities.user
	keys := active_keys(u)
	count(keys) > 0
]

# A user passes when the keys have no problems, and otherwise fails with all of them listed.
verdict(u, keys, found) := lib.pass(u, msg) if {
	count(found) == 0
	msg := concat("", [lib.number_text(count(keys)), " active access key(s), all created within ", max_days_text, " days"])
}

verdict(u, _, found) := lib.fail(u, concat("; ", sort(found))) if count(found) > 0

active_keys(u) := [k | some k in u.accessKeys; k.active == true]

problems(keys) := {msg | some k in keys; some aspect in aspects; msg := problem(k, aspect)}

aspects := ["created", "age"]

problem(k, "created") := msg if {
	not is_string(k.createdAt)
	msg := concat("", ["access key ending ", lib.text(k.suffix), " has no recorded creation date"])
}

problem(k, "age") := msg if {
	is_string(k.createdAt)
	age := lib.days_since(k.createdAt)
	age > max_days
	msg := concat("", [
		"access key ending ", lib.text(k.suffix), " is ", lib.number_text(age),
		" days old, more than the ", max_days_text, "-day limit",
	])
}
