package plantproof.checks.logging.retention_test

import data.plantproof.checks.logging.retention as check

log(overrides) := object.union(
	{"id": "azure:activity:sub1", "enabled": true, "retentionDays": 1095, "categories": ["configuration", "security"]},
	overrides,
)

result_for(overrides) := r if {
	res := check.results with data.entities as {"audit_log": [log(overrides)]}
	count(res) == 1
	some r in res
}

test_pass if {
	r := result_for({})
	r == {
		"resource": "azure:activity:sub1", "status": "pass",
		"message": "retention of 1095 days meets the 1095 days its categories need",
	}
}

test_fail_short if {
	r := result_for({"retentionDays": 400, "categories": ["authentication", "configuration", "security"]})
	r == {
		"resource": "azure:activity:sub1", "status": "fail",
		"message": "retention is 400 days; configuration needs 730, security needs 1095",
	}
}

test_fail_retention_unknown if {
	r := result_for({"retentionDays": null})
	r == {"resource": "azure:activity:sub1", "status": "fail", "message": "retention is not recorded"}
}

test_fail_categories_unknown if {
	r := result_for({"categories": []})
	r == {"resource": "azure:activity:sub1", "status": "fail", "message": "categories are not recorded"}
}

test_not_applicable_to_disabled_logs if {
	res := check.results with data.entities as {"audit_log": [log({"enabled": false, "retentionDays": 1})]}
	count(res) == 0
}

test_not_applicable if {
	res := check.results with data.entities as {"audit_log": []}
	count(res) == 0
}

test_fail_lists_every_problem if {
	r := result_for({"retentionDays": "one year", "categories": []})
	r == {
		"resource": "azure:activity:sub1", "status": "fail",
		"message": "categories are not recorded; retention is not recorded",
	}
}

test_one_verdict_per_log_in_input_order if {
	logs := [
		log({"id": "okta:system-log", "retentionDays": 90, "categories": ["authentication"]}),
		log({"id": "entra:audit", "enabled": false}),
		log({}),
	]
	res := check.results with data.entities as {"audit_log": logs}
	res == [
		{"resource": "okta:system-log", "status": "fail", "message": "retention is 90 days; authentication needs 365"},
		{
			"resource": "azure:activity:sub1", "status": "pass",
			"message": "retention of 1095 days meets the 1095 days its categories need",
		},
	]
}
