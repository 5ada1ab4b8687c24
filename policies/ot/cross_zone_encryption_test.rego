package plantproof.checks.ot.cross_zone_encryption_test

import data.plantproof.checks.ot.cross_zone_encryption as check

flow(from, to, encrypted) := {
	"id": "inventory:flow:f1", "fromZone": from, "toZone": to,
	"protocol": "opcua", "encrypted": encrypted,
}

result_for(f) := r if {
	res := check.results with data.entities as {"data_flow": [f]}
	count(res) == 1
	some r in res
}

test_pass if {
	r := result_for(flow("inventory:zone:control", "inventory:zone:dmz", true))
	r == {
		"resource": "inventory:flow:f1", "status": "pass",
		"message": "encrypted between inventory:zone:control and inventory:zone:dmz (opcua)",
	}
}

test_fail_cross_zone if {
	r := result_for(flow("inventory:zone:control", "inventory:zone:dmz", false))
	r == {
		"resource": "inventory:flow:f1", "status": "fail",
		"message": "crosses from inventory:zone:control to inventory:zone:dmz unencrypted (opcua)",
	}
}

test_fail_to_outside if {
	r := result_for(flow("inventory:zone:dmz", null, false))
	r == {
		"resource": "inventory:flow:f1", "status": "fail",
		"message": "crosses from inventory:zone:dmz to outside the plant unencrypted (opcua)",
	}
}

test_not_applicable_within_a_zone if {
	f := flow("inventory:zone:control", "inventory:zone:control", false)
	res := check.results with data.entities as {"data_flow": [f]}
	count(res) == 0
}

test_not_applicable if {
	res := check.results with data.entities as {"data_flow": []}
	count(res) == 0
}
