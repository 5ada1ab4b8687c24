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

policies contains p if {
	some p in data.entities.identity_policy
	p.active == true
	p.policyType in {"sign_on", "session", "access", "conditional_access"}
}

results contains lib.pass(p, msg) if {
	some p in policies
	not issues[p.id]
	msg := sprintf(
		"session lifetime %v minutes and idle timeout %v minutes are within the limits (%v and %v)",
		[p.sessionLifetimeMinutes, p.idleTimeoutMinutes, max_session, max_idle],
	)
}

results contains lib.fail(p, concat("; ", sort(issues[p.id]))) if {
	some p in policies
	issues[p.id]
}

issues[p.id] contains "session lifetime is not set" if {
	some p in policies
	not is_number(p.sessionLifetimeMinutes)
}

issues[p.id] contains msg if {
	some p in policies
	is_number(p.sessionLifetimeMinutes)
	p.sessionLifetimeMinutes > max_session
	msg := sprintf("session lifetime is %v minutes, over the %v-minute limit", [p.sessionLifetimeMinutes, max_session])
}

issues[p.id] contains "idle timeout is not set" if {
	some p in policies
	not is_number(p.idleTimeoutMinutes)
}

issues[p.id] contains msg if {
	some p in policies
	is_number(p.idleTimeoutMinutes)
	p.idleTimeoutMinutes > max_idle
	msg := sprintf("idle timeout is %v minutes, over the %v-minute limit", [p.idleTimeoutMinutes, max_idle])
}
