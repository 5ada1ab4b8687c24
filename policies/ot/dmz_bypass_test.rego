package plantproof.checks.ot.dmz_bypass_test

import data.plantproof.checks.ot.dmz_bypass as check

zones := [
	{"id": "inventory:zone:enterprise", "level": 4, "dmz": false},
	{"id": "inventory:zone:dmz", "level": 3.5, "dmz": true},
	{"id": "inventory:zone:ops", "level": 3, "dmz": false},
	{"id": "inventory:zone:control", "level": 1, "dmz": false},
]

flow(from, to, via_dmz) := {"id": "inventory:flow:f1", "fromZone": from, "toZone": to, "viaDmz": via_dmz}

result_for(f) := r if {
	res := check.results with data.entities as {"zone": zones, "data_flow": [f]}
	count(res) == 1
	some r in res
}

test_pass_via_dmz if {
	r := result_for(flow("inventory:zone:control", "inventory:zone:enterprise", true))
	r == {
		"resource": "inventory:flow:f1", "status": "pass",
		"message": "passes through the DMZ between inventory:zone:control (level 1) and inventory:zone:enterprise (level 4)",
	}
}

test_fail_direct_to_enterprise if {
	r := result_for(flow("inventory:zone:enterprise", "inventory:zone:control", false))
	r == {
		"resource": "inventory:flow:f1", "status": "fail",
		"message": concat("", [
			"flows between inventory:zone:enterprise (level 4) and inventory:zone:control (level 1) ",
			"without passing through the DMZ",
		]),
	}
}

test_fail_direct_to_cloud if {
	r := result_for(flow("inventory:zone:control", null, false))
	r == {
		"resource": "inventory:flow:f1", "status": "fail",
		"message": "flows between inventory:zone:control (level 1) and outside the plant without passing through the DMZ",
	}
}

test_fail_undeclared_zone if {
	r := result_for(flow("plant-wifi", "inventory:zone:control", false))
	r == {
		"resource": "inventory:flow:f1", "status": "fail",
		"message": concat("", [
			"flows between undeclared zone plant-wifi and inventory:zone:control (level 1) ",
			"without passing through the DMZ",
		]),
	}
}

test_not_applicable_within_it_or_ot if {
	flows := [
		flow("inventory:zone:ops", "inventory:zone:control", false),
		object.union(flow("inventory:zone:enterprise", null, false), {"id": "inventory:flow:f2"}),
		object.union(flow("inventory:zone:dmz", "inventory:zone:enterprise", false), {"id": "inventory:flow:f3"}),
	]
	res := check.results with data.entities as {"zone": zones, "data_flow": flows}
	count(res) == 0
}

test_not_applicable if {
	res := check.results with data.entities as {"zone": zones, "data_flow": []}
	count(res) == 0
}

test_level_two_is_a_control_zone if {
	level_two := array.concat(zones, [{"id": "inventory:zone:supervisory", "level": 2, "dmz": false}])
	f := flow("inventory:zone:supervisory", "inventory:zone:enterprise", false)
	res := check.results with data.entities as {"zone": level_two, "data_flow": [f]}
	some r in res
	r.status == "fail"
}
