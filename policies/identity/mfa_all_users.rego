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

# Each user is judged by functions of that user alone, so the check stays linear in the number of users
# (the problems are listed only for users that have some).
results contains lib.pass(u, "enrolled in MFA and required to use it at sign-in") if {
	some u in data.entities.user
	person(u)
	not flawed(u)
}

results contains lib.fail(u, concat("; ", sort(problems(u)))) if {
	some u in data.entities.user
	person(u)
	flawed(u)
}

person(u) if {
	u.userType == "human"
	u.status == "active"
}

flawed(u) if {
	some aspect in aspects
	problem(u, aspect)
}

problems(u) := {msg | some aspect in aspects; msg := problem(u, aspect)}

aspects := ["enrollment", "enforcement"]

problem(u, "enrollment") := "not enrolled in MFA" if {
	u.mfaEnrolled == false
} else := "MFA enrollment is not recorded" if {
	not u.mfaEnrolled in lib.booleans
}

problem(u, "enforcement") := "MFA is not enforced at sign-in" if {
	u.mfaEnforced == false
} else := "MFA enforcement is not recorded" if {
	not u.mfaEnforced in lib.booleans
}
