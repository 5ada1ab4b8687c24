# METADATA
# title: Inactive accounts are removed or disabled
# description: >-
#   Every active account was used (a sign-in or an access-key use) within inactiveDays days (90 by default), or, if it
#   was never used, was created within that many days.
# custom:
#   id: identity.inactive_accounts
#   domain: identity
#   severity: medium
#   likelihood: 3
#   impact: 3
#   kinds:
#     - user
#   remediation: >-
#     Disable or delete accounts unused for longer than the policy allows (Okta automations for inactive users, Entra
#     access reviews, AD inactive-account cleanup, IAM credential reports), and run that review on a schedule.
package plantproof.checks.identity.inactive_accounts

import data.plantproof.lib

max_days := lib.param("inactiveDays", 90)

results contains lib.pass(u, pass_message(u, max_days)) if {
	some u in data.entities.user
	u.status == "active"
	compliant(u, max_days)
}

results contains lib.fail(u, reason(u, max_days)) if {
	some u in data.entities.user
	u.status == "active"
	not compliant(u, max_days)
}

# The last time the account did anything: a sign-in, or the use of one of its access keys.
activity(u) := sign_ins | key_uses if {
	sign_ins := {u.lastLoginAt | is_string(u.lastLoginAt)}
	key_uses := {k.lastUsedAt | some k in u.accessKeys; is_string(k.lastUsedAt)}
}

idle_days(u) := min({lib.days_since(ts) | some ts in activity(u)})

compliant(u, limit) if idle_days(u) <= limit

compliant(u, limit) if {
	count(activity(u)) == 0
	is_string(u.createdAt)
	lib.days_since(u.createdAt) <= limit
}

pass_message(u, limit) := sprintf("last active %v days ago (limit %v)", [idle_days(u), limit]) if {
	count(activity(u)) > 0
} else := sprintf("created %v days ago and not used yet (limit %v)", [lib.days_since(u.createdAt), limit])

reason(u, limit) := sprintf("last active %v days ago, more than the %v-day limit", [idle_days(u), limit]) if {
	count(activity(u)) > 0
} else := msg if {
	is_string(u.createdAt)
	msg := sprintf("never used; created %v days ago, more than the %v-day limit", [lib.days_since(u.createdAt), limit])
} else := "last sign-in and creation date are not recorded"
