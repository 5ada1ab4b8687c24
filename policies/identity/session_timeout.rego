# METADATA
# title: Sessions expire and idle sessions time out
# description: >-
#   Every active sign-on, session, access or conditional-access policy limits the session lifetime to
#   sessionLifetimeMaxMinutes (720 by default) and the idle timeout to idleTimeoutMaxMinutes (30 by default).
# custom:
#   id: identity.session_timeout
#   domain: identity
#   severity: medium
#   likelihood: 2
#   impact: 3
#   kinds:
#     - identity_policy
#   remediation: >-
#     Set a maximum session lifetime and an idle timeout within the policy limits (Okta sign-on policy rule session
#     settings, Entra Conditional Access sign-in frequency, AWS IAM Identity Center session duration).
package plantproof.checks.identity.session_timeout

import data.plantproof.lib

max_session := lib.param("sessionLifetimeMaxMinutes", 720)

max_idle := lib.param("idleTimeoutMaxMinutes", 30)

max_session_text := lib.number_text(max_session)

max_idle_text := lib.number_text(max_idle)

# One verdict per active session policy, judged by functions of that policy alone, so the check stays linear in
# the number of policies. The problems are worked out once and handed to the verdict.
results := [verdict(p, problems(p)) |
	some p in data.entities.identity_policy
	session_policy(p)
]

# A policy passes when it has no problems, and otherwise fails with all of them listed.
verdict(p, found) := lib.pass(p, msg) if {
	count(found) == 0
	msg := concat("", [
		"session lifetime ", lib.number_text(p.sessionLifetimeMinutes),
		" minutes and idle timeout ", lib.number_text(p.idleTimeoutMinutes),
		" minutes are within the limits (", max_session_text, " and ", max_idle_text, ")",
	])
}

verdict(p, found) := lib.fail(p, concat("; ", sort(found))) if count(found) > 0

session_policy(p) if {
	p.active == true
	p.policyType in session_policy_types
}

session_policy_types := {"sign_on", "session", "access", "conditional_access"}

problems(p) := {msg | some aspect in aspects; msg := problem(p, aspect)}

aspects := ["lifetime", "idle"]

problem(p, "lifetime") := "session lifetime is not set" if {
	not is_number(p.sessionLifetimeMinutes)
} else := msg if {
	p.sessionLifetimeMinutes > max_session
	msg := concat("", [
		"session lifetime is ", lib.number_text(p.sessionLifetimeMinutes),
		" minutes, over the ", max_session_text, "-minute limit",
	])
}

problem(p, "idle") := "idle timeout is not set" if {
	not is_number(p.idleTimeoutMinutes)
} else := msg if {
	p.idleTimeoutMinutes > max_idle
	msg := concat("", [
		"idle timeout is ", lib.number_text(p.idleTimeoutMinutes),
		" minutes, over the ", max_idle_text, "-minute limit",
	])
}
