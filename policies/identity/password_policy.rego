# METADATA
# title: Password policies require long passwords and lockout
# description: >-
#   Every active password policy requires at least passwordMinLength characters (12 by default) and locks an account
#   after at most 10 failed attempts.
# custom:
#   id: identity.password_policy
#   domain: identity
#   severity: medium
#   likelihood: 3
#   impact: 3
#   kinds:
#     - identity_policy
#   remediation: >-
#     Set the minimum password length to the policy value and an account lockout threshold of 10 or fewer (the Okta
#     password policy, Entra smart lockout, the IAM account password policy, the AD default domain policy or a
#     fine-grained password policy).
package plantproof.checks.identity.password_policy

import data.plantproof.lib

min_length := lib.param("passwordMinLength", 12)

min_length_text := lib.number_text(min_length)

max_attempts := 10

# One verdict per active password policy, judged by functions of that policy alone, so the check stays linear in
# the number of policies. The problems are worked out once and handed to the verdict.
results := [verdict(p, problems(p)) |
	some p in data.entities.identity_policy
	password_policy(p)
]

# A policy passes when it has no problems, and otherwise fails with all of them listed.
verdict(p, found) := lib.pass(p, msg) if {
	count(found) == 0
	msg := concat("", [
		"minimum length ", lib.number_text(p.passwordMinLength),
		", lockout after ", lib.number_text(p.lockoutThreshold), " failed attempts",
	])
}

verdict(p, found) := lib.fail(p, concat("; ", sort(found))) if count(found) > 0

password_policy(p) if {
	p.active == true
	p.policyType == "password"
}

problems(p) := {msg | some aspect in aspects; msg := problem(p, aspect)}

aspects := ["length", "lockout"]

problem(p, "length") := "minimum password length is not set" if {
	not is_number(p.passwordMinLength)
} else := msg if {
	p.passwordMinLength < min_length
	msg := concat("", [
		"minimum password length is ", lib.number_text(p.passwordMinLength),
		", shorter than ", min_length_text,
	])
}

# A threshold of 0 means "never lock" in AD and most directories.
problem(p, "lockout") := "account lockout is not set" if {
	not is_number(p.lockoutThreshold)
} else := "account lockout is off (threshold 0)" if {
	p.lockoutThreshold == 0
} else := msg if {
	p.lockoutThreshold > max_attempts
	msg := concat("", [
		"locks after ", lib.number_text(p.lockoutThreshold),
		" failed attempts, more than ", lib.number_text(max_attempts),
	])
}
