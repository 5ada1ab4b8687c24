package plantproof.checks.logging.immutable_test

import data.plantproof.checks.logging.immutable as check

log(immutable) := {"id": "siem:security", "enabled": true, "categories": ["security"], "immutable": immutable}

test_pass if {
	res := check.results with data.entities as {"audit_log": [log(true)]}
	res == [{"resource": "siem:security", "status": "pass", "message": "stored immutably (write-once)"}]
}

test_fail_mutable if {
	res := check.results with data.entities as {"audit_log": [log(false)]}
	res == [{
		"resource": "siem:security", "status": "fail",
		"message": "not stored immutably; records can be changed or deleted",
	}]
}

test_fail_unknown if {
	res := check.results with data.entities as {"audit_log": [log(null)]}
	res == [{"resource": "siem:security", "status": "fail", "message": "immutability is not recorded"}]
}

test_not_applicable_without_security_category if {
	auth_log := object.union(log(false), {"categories": ["authentication"]})
	res := check.results with data.entities as {"audit_log": [auth_log]}
	count(res) == 0
}

test_not_applicable if {
	res := check.results with data.entities as {"audit_log": []}
	count(res) == 0
}
