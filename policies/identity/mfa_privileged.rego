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

# Each account is judged by functions of that account alone, so the check stays linear in the number of
# users (the problems are listed only for accounts that have some).
results contains lib.pass(u, "privileged account enrolled in MFA and required to use it at sign-in") if {
	some u in data.entities.user
	privileged(u)
	not flawed(u)
}

results contains lib.fail(u, concat("; ", sort(problems(u)))) if {
	some u in data.entities.user
	privileged(u)
	flawed(u)
}

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

flawed(u) if {
	some aspect in aspects
	problem(u, aspect)
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
