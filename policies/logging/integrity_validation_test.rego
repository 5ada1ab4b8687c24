package plantproof.checks.logging.integrity_validation_test

import data.plantproof.checks.logging.integrity_validation as check

trail(validation) := {"id": "aws:cloudtrail:main", "enabled": true, "integrityValidation": validation}

test_pass if {
	res := check.results with data.entities as {"audit_log": [trail(true)]}
	res == [{"resource": "aws:cloudtrail:main", "status": "pass", "message": "integrity validation is on"}]
}

test_fail_off if {
	res := check.results with data.entities as {"audit_log": [trail(false)]}
	res == [{"resource": "aws:cloudtrail:main", "status": "fail", "message": "integrity validation is off"}]
}

test_fail_unknown if {
	res := check.results with data.entities as {"audit_log": [trail(null)]}
	res == [{"resource": "aws:cloudtrail:main", "status": "fail", "message": "integrity validation is not recorded"}]
}

test_not_applicable_to_disabled_logs if {
	res := check.results with data.entities as {"audit_log": [object.union(trail(false), {"enabled": false})]}
	count(res) == 0
}

test_not_applicable if {
	res := check.results with data.entities as {"audit_log": []}
	count(res) == 0
}
