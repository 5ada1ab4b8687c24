# METADATA
# title: Privileged accounts use MFA
# description: >-
#   Every active privileged account that can sign in interactively (a human, or a service account with a password,
#   i.e. passwordLastSetAt recorded) is enrolled in MFA and a policy requires it at sign-in.
# custom:
#   id: identity.mfa_privileged
#   domain: identity
#   severity: critical
#   likelihood: 4
#   impact: 5
#   kinds:
#     - user
#   remediation: >-
#     Require phishing-resistant MFA for administrators (an Okta admin sign-on policy, Entra Conditional Access for
#     directory roles, MFA on every IAM user with a console password) and remove console passwords from service
#     accounts that do not need them.
package plantproof.checks.identity.mfa_privileged

import data.plantproof.lib

# One verdict per active privileged account that can sign in interactively, judged by functions of that
# account alone, so the check stays linear in the number of users. The problems are worked out once and
# handed to the verdict.
results := [verdict(u, problems(u)) |
	some u in data.entities.user
	privileged(u)
]

# An account passes when it has no problems, and otherwise fails with all of them listed.
verdict(u, found) := lib.pass(u, "privileged account enrolled in MFA and required to use it at sign-in") if {
	count(found) == 0
}

verdict(u, found) := lib.fail(u, concat("; ", sort(found))) if count(found) > 0

privileged(u) if {
	u.status == "active"
	u.privileged == true
	interactive(u)
}

interactive(u) if u.userType == "human"

interactive(u) if {
	u.userType == "service"
	is_string(u.passwordLastSetAt)
}

problems(u) := {msg | some aspect in aspects; msg := problem(u, aspect)}

aspects := ["enrollment", "enforcement"]

problem(u, "enrollment") := "privileged account not enrolled in MFA" if {
	u.mfaEnrolled == false
} else := "MFA enrollment is not recorded" if {
	not u.mfaEnrolled in lib.booleans
}

problem(u, "enforcement") := "MFA is not enforced at sign-in" if {
	u.mfaEnforced == false
} else := "MFA enforcement is not recorded" if {
	not u.mfaEnforced in lib.booleans
}
