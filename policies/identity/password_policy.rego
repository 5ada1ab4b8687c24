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

max_attempts := 10

policies contains p if {
	some p in data.entities.identity_policy
	p.active == true
	p.policyType == "password"
}

results contains lib.pass(p, msg) if {
	some p in policies
	not issues[p.id]
	msg := sprintf("minimum length %v, lockout after %v failed attempts", [p.passwordMinLength, p.lockoutThreshold])
}

results contains lib.fail(p, concat("; ", sort(issues[p.id]))) if {
	some p in policies
	issues[p.id]
}

issues[p.id] contains "minimum password length is not set" if {
	some p in policies
	not is_number(p.passwordMinLength)
}

issues[p.id] contains sprintf("minimum password length is %v, shorter than %v", [p.passwordMinLength, min_length]) if {
	some p in policies
	is_number(p.passwordMinLength)
	p.passwordMinLength < min_length
}

issues[p.id] contains "account lockout is not set" if {
	some p in policies
	not is_number(p.lockoutThreshold)
}

# A threshold of 0 means "never lock" in AD and most directories.
issues[p.id] contains "account lockout is off (threshold 0)" if {
	some p in policies
	p.lockoutThreshold == 0
}

issues[p.id] contains sprintf("locks after %v failed attempts, more than %v", [p.lockoutThreshold, max_attempts]) if {
	some p in policies
	is_number(p.lockoutThreshold)
	p.lockoutThreshold > max_attempts
}
