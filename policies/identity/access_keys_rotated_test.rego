package plantproof.checks.identity.access_keys_rotated_test

import data.plantproof.checks.identity.access_keys_rotated as check

now := {"now": {"date": "2026-11-22"}}

user(keys) := {"id": "aws:iam:etl", "accessKeys": keys}

key(suffix, created) := {"suffix": suffix, "active": true, "createdAt": created, "lastUsedAt": null}

test_pass if {
	res := check.results with data.entities as {"user": [user([key("WXYZ", "2026-10-01T00:00:00Z")])]} with input as now
	res == [{"resource": "aws:iam:etl", "status": "pass", "message": "1 active access key(s), all created within 90 days"}]
}

test_fail_old_key if {
	keys := [key("WXYZ", "2026-10-01T00:00:00Z"), key("ABCD", "2026-01-01T00:00:00Z")]
	res := check.results with data.entities as {"user": [user(keys)]} with input as now
	res == [{
		"resource": "aws:iam:etl", "status": "fail",
		"message": "access key ending ABCD is 325 days old, more than the 90-day limit",
	}]
}

test_fail_limit_from_params if {
	res := check.results with data.entities as {"user": [user([key("WXYZ", "2026-10-01T00:00:00Z")])]}
		with input as {"now": {"date": "2026-11-22"}, "params": {"keyRotationDays": 30}}
	res == [{
		"resource": "aws:iam:etl", "status": "fail",
		"message": "access key ending WXYZ is 52 days old, more than the 30-day limit",
	}]
}

test_fail_unknown_age if {
	res := check.results with data.entities as {"user": [user([key("ABCD", null)])]} with input as now
	res == [{
		"resource": "aws:iam:etl", "status": "fail",
		"message": "access key ending ABCD has no recorded creation date",
	}]
}

test_not_applicable_without_active_keys if {
	inactive := object.union(key("ABCD", "2020-01-01T00:00:00Z"), {"active": false})
	res := check.results with data.entities as {"user": [user([inactive]), {"id": "aws:iam:ana", "accessKeys": []}]}
		with input as now
	count(res) == 0
}

test_not_applicable if {
	res := check.results with data.entities as {"user": []} with input as now
	count(res) == 0
}

test_one_verdict_per_user_in_input_order if {
	users := [
		{"id": "aws:iam:old", "accessKeys": [key("ABCD", "2026-01-01T00:00:00Z"), key("EFGH", null)]},
		{"id": "aws:iam:none", "accessKeys": []},
		{"id": "aws:iam:new", "accessKeys": [
			key("WXYZ", "2026-10-01T00:00:00Z"),
			key("IJKL", "2026-11-01T00:00:00Z"),
			object.union(key("MNOP", "2020-01-01T00:00:00Z"), {"active": false}),
		]},
	]
	res := check.results with data.entities as {"user": users} with input as now
	res == [
		{
			"resource": "aws:iam:old", "status": "fail",
			"message": concat("; ", [
				"access key ending ABCD is 325 days old, more than the 90-day limit",
				"access key ending EFGH has no recorded creation date",
			]),
		},
		{"resource": "aws:iam:new", "status": "pass", "message": "2 active access key(s), all created within 90 days"},
	]
}
