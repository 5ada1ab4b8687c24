package plantproof.checks.ot.cross_zone_authentication_test

import data.plantproof.checks.ot.cross_zone_authentication as check

flow(from, to, authenticated) := {
	"id": "inventory:flow:f1", "fromZone": from, "toZone": to,
	"protocol": "modbus", "authenticated": authenticated,
}

result_for(f) := r if {
	res := check.results with data.entities as {"data_flow": [f]}
	count(res) == 1
	some r in res
}

test_pass if {
	r := result_for(flow("inventory:zone:cell", "inventory:zone:supervisory", true))
	r == {
		"resource": "inventory:flow:f1", "status": "pass",
		"message": "authenticated between inventory:zone:cell and inventory:zone:supervisory (modbus)",
	}
}

test_fail_cross_zone if {
	r := result_for(flow("inventory:zone:cell", "inventory:zone:supervisory", false))
	r == {
		"resource": "inventory:flow:f1", "status": "fail",
		"message": "crosses from inventory:zone:cell to inventory:zone:supervisory without authentication (modbus)",
	}
}

test_fail_from_outside if {
	r := result_for(flow(null, "inventory:zone:dmz", false))
	r == {
		"resource": "inventory:flow:f1", "status": "fail",
		"message": "crosses from outside the plant to inventory:zone:dmz without authentication (modbus)",
	}
}

test_not_applicable_within_a_zone if {
	res := check.results with data.entities as {"data_flow": [flow("inventory:zone:cell", "inventory:zone:cell", false)]}
	count(res) == 0
}

test_not_applicable if {
	res := check.results with data.entities as {"data_flow": []}
	count(res) == 0
}
