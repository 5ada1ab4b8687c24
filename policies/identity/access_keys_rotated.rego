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

# Each user is judged by functions of that user's keys alone, so the check stays linear in the number of
# users (the problems are listed only for users that have some).
results contains lib.pass(u, msg) if {
	some u in data.entities.user
	holds_active_key(u)
	keys := active_keys(u)
	not flawed(keys)
	msg := concat("", [lib.number_text(count(keys)), " active access key(s), all created within ", max_days_text, " days"])
}

results contains lib.fail(u, concat("; ", sort(problems(keys)))) if {
	some u in data.entities.user
	holds_active_key(u)
	keys := active_keys(u)
	flawed(keys)
}

holds_active_key(u) if {
	some k in u.accessKeys
	k.active == true
}

active_keys(u) := [k | some k in u.accessKeys; k.active == true]

flawed(keys) if {
	some k in keys
	some aspect in aspects
	problem(k, aspect)
}

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
