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

results contains lib.pass(u, "privileged account enrolled in MFA and required to use it at sign-in") if {
	some u in privileged
	not issues[u.id]
}

results contains lib.fail(u, concat("; ", sort(issues[u.id]))) if {
	some u in privileged
	issues[u.id]
}

privileged contains u if {
	some u in data.entities.user
	u.status == "active"
	u.privileged == true
	interactive(u)
}

interactive(u) if u.userType == "human"

interactive(u) if {
	u.userType == "service"
	is_string(u.passwordLastSetAt)
}

issues[u.id] contains "privileged account not enrolled in MFA" if {
	some u in privileged
	u.mfaEnrolled == false
}

issues[u.id] contains "MFA enrollment is not recorded" if {
	some u in privileged
	not u.mfaEnrolled in {true, false}
}

issues[u.id] contains "MFA is not enforced at sign-in" if {
	some u in privileged
	u.mfaEnforced == false
}

issues[u.id] contains "MFA enforcement is not recorded" if {
	some u in privileged
	not u.mfaEnforced in {true, false}
}
