package plantproof.checks.logging.audit_enabled_test

import data.plantproof.checks.logging.audit_enabled as check

trail(enabled) := {"id": "aws:cloudtrail:main", "enabled": enabled}

test_pass if {
	res := check.results with data.entities as {"audit_log": [trail(true)]}
	res == [{"resource": "aws:cloudtrail:main", "status": "pass", "message": "audit logging is on"}]
}

test_fail_off if {
	res := check.results with data.entities as {"audit_log": [trail(false)]}
	res == [{"resource": "aws:cloudtrail:main", "status": "fail", "message": "audit logging is off"}]
}

test_fail_unknown if {
	res := check.results with data.entities as {"audit_log": [trail(null)]}
	res == [{
		"resource": "aws:cloudtrail:main", "status": "fail",
		"message": "whether audit logging is on is not recorded",
	}]
}

test_not_applicable if {
	res := check.results with data.entities as {"audit_log": []}
	count(res) == 0
}

test_one_verdict_per_log_in_input_order if {
	logs := [
		{"id": "okta:system-log", "enabled": false},
		trail(true),
		{"id": "entra:audit"},
	]
	res := check.results with data.entities as {"audit_log": logs}
	res == [
		{"resource": "okta:system-log", "status": "fail", "message": "audit logging is off"},
		{"resource": "aws:cloudtrail:main", "status": "pass", "message": "audit logging is on"},
		{"resource": "entra:audit", "status": "fail", "message": "whether audit logging is on is not recorded"},
	]
}
