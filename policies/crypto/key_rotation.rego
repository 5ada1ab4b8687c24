# METADATA
# title: Customer-managed keys are rotated
# description: >-
#   Every enabled customer-managed key rotates automatically at least every keyRotationDays days (policy threshold, 90
#   by default) or was rotated within that many days; provider-managed keys are rotated by the provider and not
#   assessed.
# custom:
#   id: crypto.key_rotation
#   domain: crypto
#   severity: medium
#   likelihood: 2
#   impact: 3
#   kinds:
#     - key
#   remediation: >-
#     Turn on automatic rotation with a period within the policy (AWS KMS rotation period, an Azure Key Vault rotation
#     policy), or rotate the key now and record it.
package plantproof.checks.crypto.key_rotation

import data.plantproof.lib

max_days := lib.param("keyRotationDays", 90)

# One verdict for each customer-managed key that is not disabled.
results := [verdict(k) |
	some k in data.entities.key
	k.managedBy == "customer"
	not k.enabled == false
]

verdict(k) := lib.pass(k, pass_message(k, max_days)) if compliant(k, max_days)

verdict(k) := lib.fail(k, concat("; ", [automatic_state(k, max_days), last_rotation(k)])) if not compliant(k, max_days)

compliant(k, limit) if automatic_ok(k, limit)

compliant(k, limit) if recently_rotated(k, limit)

automatic_ok(k, limit) if {
	k.rotationEnabled == true
	is_number(k.rotationPeriodDays)
	k.rotationPeriodDays <= limit
}

recently_rotated(k, limit) if {
	is_string(k.lastRotatedAt)
	lib.days_since(k.lastRotatedAt) <= limit
}

pass_message(k, limit) := msg if {
	automatic_ok(k, limit)
	msg := concat("", [
		"rotates automatically every ", lib.number_text(k.rotationPeriodDays),
		" days (limit ", lib.number_text(limit), ")",
	])
} else := concat("", [
	"last rotated ", lib.number_text(lib.days_since(k.lastRotatedAt)),
	" days ago (limit ", lib.number_text(limit), ")",
])

automatic_state(k, limit) := msg if {
	k.rotationEnabled == true
	is_number(k.rotationPeriodDays)
	msg := concat("", [
		"automatic rotation every ", lib.number_text(k.rotationPeriodDays),
		" days exceeds the ", lib.number_text(limit), "-day limit",
	])
} else := "automatic rotation is on but its period is not recorded" if {
	k.rotationEnabled == true
} else := "automatic rotation is off" if {
	k.rotationEnabled == false
} else := "automatic rotation is not recorded"

last_rotation(k) := concat("", ["last rotated ", lib.number_text(lib.days_since(k.lastRotatedAt)), " days ago"]) if {
	is_string(k.lastRotatedAt)
} else := "no rotation date is recorded"
