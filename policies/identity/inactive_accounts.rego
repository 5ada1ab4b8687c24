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

max_days_text := lib.number_text(max_days)

# Each user's activity, and the days since the latest of it, are worked out once and handed to the
# functions that judge the user.
results := [verdict(u, seen, idle_days(seen)) |
	some u in data.entities.user
	u.status == "active"
	seen := activity(u)
]

verdict(u, seen, idle) := lib.pass(u, pass_message(u, seen, idle)) if compliant(u, seen, idle, max_days)

verdict(u, seen, idle) := lib.fail(u, reason(u, seen, idle)) if not compliant(u, seen, idle, max_days)

# The last time the account did anything: a sign-in, or the use of one of its access keys.
activity(u) := sign_ins | key_uses if {
	sign_ins := {u.lastLoginAt | is_string(u.lastLoginAt)}
	key_uses := {k.lastUsedAt | some k in u.accessKeys; is_string(k.lastUsedAt)}
}

# Days since the latest activity, or null when there is none (or none with a readable date).
idle_days(seen) := days if {
	days := min({lib.days_since(ts) | some ts in seen})
} else := null

compliant(_, _, idle, limit) if {
	is_number(idle)
	idle <= limit
}

compliant(u, seen, _, limit) if {
	count(seen) == 0
	is_string(u.createdAt)
	lib.days_since(u.createdAt) <= limit
}

pass_message(u, seen, idle) := msg if {
	count(seen) > 0
	is_number(idle)
	msg := concat("", ["last active ", lib.number_text(idle), " days ago (limit ", max_days_text, ")"])
} else := concat("", [
	"created ", lib.number_text(lib.days_since(u.createdAt)),
	" days ago and not used yet (limit ", max_days_text, ")",
])

reason(u, seen, idle) := msg if {
	count(seen) > 0
	is_number(idle)
	msg := concat("", ["last active ", lib.number_text(idle), " days ago, more than the ", max_days_text, "-day limit"])
} else := msg if {
	is_string(u.createdAt)
	msg := concat("", [
		"never used; created ", lib.number_text(lib.days_since(u.createdAt)),
		" days ago, more than the ", max_days_text, "-day limit",
	])
} else := "last sign-in and creation date are not recorded"
