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

# One verdict per active person, judged by functions of that account alone, so the check stays linear in the
# number of users. The problems are worked out once and handed to the verdict.
results := [verdict(u, problems(u)) |
	some u in data.entities.user
	person(u)
]

# An account passes when it has no problems, and otherwise fails with all of them listed.
verdict(u, found) := lib.pass(u, "enrolled in MFA and required to use it at sign-in") if count(found) == 0

verdict(u, found) := lib.fail(u, concat("; ", sort(found))) if count(found) > 0

person(u) if {
	u.userType == "human"
	u.status == "active"
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
