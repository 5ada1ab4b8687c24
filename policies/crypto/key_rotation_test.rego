package plantproof.checks.crypto.key_rotation_test

import data.plantproof.checks.crypto.key_rotation as check

now := {"now": {"date": "2026-11-22"}}

key(overrides) := object.union(
	{
		"id": "aws:kms:k1", "managedBy": "customer", "enabled": true,
		"rotationEnabled": true, "rotationPeriodDays": 90, "lastRotatedAt": null,
	},
	overrides,
)

test_pass_automatic if {
	res := check.results with data.entities as {"key": [key({})]} with input as now
	res == [{"resource": "aws:kms:k1", "status": "pass", "message": "rotates automatically every 90 days (limit 90)"}]
}

test_pass_recent_manual_rotation if {
	k := key({"rotationEnabled": false, "rotationPeriodDays": null, "lastRotatedAt": "2026-10-23T08:00:00Z"})
	res := check.results with data.entities as {"key": [k]} with input as now
	res == [{"resource": "aws:kms:k1", "status": "pass", "message": "last rotated 30 days ago (limit 90)"}]
}

test_fail_period_too_long if {
	res := check.results with data.entities as {"key": [key({"rotationPeriodDays": 365})]} with input as now
	res == [{
		"resource": "aws:kms:k1", "status": "fail",
		"message": "automatic rotation every 365 days exceeds the 90-day limit; no rotation date is recorded",
	}]
}

test_fail_param_threshold if {
	res := check.results with data.entities as {"key": [key({})]}
		with input as {"now": {"date": "2026-11-22"}, "params": {"keyRotationDays": 30}}
	res == [{
		"resource": "aws:kms:k1", "status": "fail",
		"message": "automatic rotation every 90 days exceeds the 30-day limit; no rotation date is recorded",
	}]
}

test_fail_rotation_off_and_stale if {
	k := key({"rotationEnabled": false, "lastRotatedAt": "2026-01-01T00:00:00Z"})
	res := check.results with data.entities as {"key": [k]} with input as now
	res == [{
		"resource": "aws:kms:k1", "status": "fail",
		"message": "automatic rotation is off; last rotated 325 days ago",
	}]
}

test_fail_period_unknown if {
	res := check.results with data.entities as {"key": [key({"rotationPeriodDays": null})]} with input as now
	res == [{
		"resource": "aws:kms:k1", "status": "fail",
		"message": "automatic rotation is on but its period is not recorded; no rotation date is recorded",
	}]
}

test_fail_nothing_recorded if {
	k := key({"rotationEnabled": null, "rotationPeriodDays": null})
	res := check.results with data.entities as {"key": [k]} with input as now
	res == [{
		"resource": "aws:kms:k1", "status": "fail",
		"message": "automatic rotation is not recorded; no rotation date is recorded",
	}]
}

test_not_applicable_to_provider_and_disabled_keys if {
	keys := [
		key({"id": "aws:kms:aws-managed", "managedBy": "provider", "rotationEnabled": false}),
		key({"id": "aws:kms:old", "enabled": false, "rotationEnabled": false}),
	]
	res := check.results with data.entities as {"key": keys} with input as now
	count(res) == 0
}

test_not_applicable if {
	res := check.results with data.entities as {"key": []} with input as now
	count(res) == 0
}
