package plantproof.checks.identity.inactive_accounts_test

import data.plantproof.checks.identity.inactive_accounts as check

now := {"now": {"date": "2026-11-22"}}

user(overrides) := object.union(
	{
		"id": "aws:iam:ana", "status": "active", "lastLoginAt": "2026-11-02T10:00:00Z",
		"createdAt": "2024-01-01T00:00:00Z", "accessKeys": [],
	},
	overrides,
)

result_for(overrides) := r if {
	res := check.results with data.entities as {"user": [user(overrides)]} with input as now
	count(res) == 1
	some r in res
}

test_pass_recent_sign_in if {
	result_for({}) == {"resource": "aws:iam:ana", "status": "pass", "message": "last active 20 days ago (limit 90)"}
}

test_pass_recent_key_use if {
	keys := [{"suffix": "ABCD", "active": true, "createdAt": null, "lastUsedAt": "2026-11-21T00:00:00Z"}]
	r := result_for({"lastLoginAt": null, "accessKeys": keys})
	r == {"resource": "aws:iam:ana", "status": "pass", "message": "last active 1 days ago (limit 90)"}
}

test_pass_new_unused_account if {
	r := result_for({"lastLoginAt": null, "createdAt": "2026-11-12T00:00:00Z"})
	r == {"resource": "aws:iam:ana", "status": "pass", "message": "created 10 days ago and not used yet (limit 90)"}
}

test_fail_inactive if {
	r := result_for({"lastLoginAt": "2026-06-05T00:00:00Z"})
	r == {"resource": "aws:iam:ana", "status": "fail", "message": "last active 170 days ago, more than the 90-day limit"}
}

test_fail_limit_from_params if {
	res := check.results with data.entities as {"user": [user({})]}
		with input as {"now": {"date": "2026-11-22"}, "params": {"inactiveDays": 14}}
	res == [{
		"resource": "aws:iam:ana", "status": "fail",
		"message": "last active 20 days ago, more than the 14-day limit",
	}]
}

test_fail_never_used if {
	r := result_for({"lastLoginAt": null, "createdAt": "2026-01-01T00:00:00Z"})
	r == {
		"resource": "aws:iam:ana", "status": "fail",
		"message": "never used; created 325 days ago, more than the 90-day limit",
	}
}

test_fail_unknown if {
	r := result_for({"lastLoginAt": null, "createdAt": null})
	r == {"resource": "aws:iam:ana", "status": "fail", "message": "last sign-in and creation date are not recorded"}
}

test_not_applicable_to_disabled_accounts if {
	disabled := user({"status": "disabled", "lastLoginAt": null})
	res := check.results with data.entities as {"user": [disabled]} with input as now
	count(res) == 0
}

test_not_applicable if {
	res := check.results with data.entities as {"user": []} with input as now
	count(res) == 0
}

test_boundary_at_limit if {
	result_for({"lastLoginAt": "2026-08-24T00:00:00Z"}).status == "pass"
	result_for({"lastLoginAt": "2026-08-23T00:00:00Z"}).status == "fail"
	result_for({"lastLoginAt": null, "createdAt": "2026-08-24T00:00:00Z"}).status == "pass"
	result_for({"lastLoginAt": null, "createdAt": "2026-08-23T00:00:00Z"}).status == "fail"
}
