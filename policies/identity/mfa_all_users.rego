# METADATA
# title: Every active person uses MFA
# description: Every active human user is enrolled in multi-factor authentication and a policy requires it at sign-in.
# custom:
#   id: identity.mfa_all_users
#   domain: identity
#   severity: high
#   likelihood: 4
#   impact: 4
#   kinds:
#     - user
#   remediation: >-
#     Require MFA for all users at sign-in (an Okta sign-on policy, an Entra Conditional Access policy, an IAM policy
#     denying actions without aws:MultiFactorAuthPresent, smart cards or an MFA provider for AD) and have every user
#     enroll a factor, preferably phishing-resistant.
package plantproof.checks.identity.mfa_all_users

import data.plantproof.lib

results contains lib.pass(u, "enrolled in MFA and required to use it at sign-in") if {
	some u in people
	not issues[u.id]
}

results contains lib.fail(u, concat("; ", sort(issues[u.id]))) if {
	some u in people
	issues[u.id]
}

people contains u if {
	some u in data.entities.user
	u.userType == "human"
	u.status == "active"
}

issues[u.id] contains "not enrolled in MFA" if {
	some u in people
	u.mfaEnrolled == false
}

issues[u.id] contains "MFA enrollment is not recorded" if {
	some u in people
	not u.mfaEnrolled in {true, false}
}

issues[u.id] contains "MFA is not enforced at sign-in" if {
	some u in people
	u.mfaEnforced == false
}

issues[u.id] contains "MFA enforcement is not recorded" if {
	some u in people
	not u.mfaEnforced in {true, false}
}
