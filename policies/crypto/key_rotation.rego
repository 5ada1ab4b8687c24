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

customer_keys contains k if {
	some k in data.entities.key
	k.managedBy == "customer"
	not k.enabled == false
}

results contains lib.pass(k, pass_message(k, max_days)) if {
	some k in customer_keys
	compliant(k, max_days)
}

results contains lib.fail(k, sprintf("%s; %s", [automatic_state(k, max_days), last_rotation(k)])) if {
	some k in customer_keys
	not compliant(k, max_days)
}

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

pass_message(k, limit) := sprintf("rotates automatically every %v days (limit %v)", [k.rotationPeriodDays, limit]) if {
	automatic_ok(k, limit)
} else := sprintf("last rotated %v days ago (limit %v)", [lib.days_since(k.lastRotatedAt), limit])

automatic_state(k, limit) := msg if {
	k.rotationEnabled == true
	is_number(k.rotationPeriodDays)
	msg := sprintf("automatic rotation every %v days exceeds the %v-day limit", [k.rotationPeriodDays, limit])
} else := "automatic rotation is on but its period is not recorded" if {
	k.rotationEnabled == true
} else := "automatic rotation is off" if {
	k.rotationEnabled == false
} else := "automatic rotation is not recorded"

last_rotation(k) := sprintf("last rotated %v days ago", [lib.days_since(k.lastRotatedAt)]) if {
	is_string(k.lastRotatedAt)
} else := "no rotation date is recorded"
