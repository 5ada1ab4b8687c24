package plantproof.checks.ot.asset_in_declared_zone_test

import data.plantproof.checks.ot.asset_in_declared_zone as check

zones := [{"id": "inventory:zone:cell-1", "level": 1, "dmz": false}]

result_for(zone) := r if {
	res := check.results with data.entities as {"zone": zones, "asset": [{"id": "inventory:asset:hmi-1", "zone": zone}]}
	count(res) == 1
	some r in res
}

test_pass if {
	r := result_for("inventory:zone:cell-1")
	r == {"resource": "inventory:asset:hmi-1", "status": "pass", "message": "in declared zone inventory:zone:cell-1"}
}

test_fail_undeclared if {
	r := result_for("cell-9")
	r == {"resource": "inventory:asset:hmi-1", "status": "fail", "message": "zone 'cell-9' is not a declared zone"}
}

test_fail_empty if {
	r := result_for("")
	r == {"resource": "inventory:asset:hmi-1", "status": "fail", "message": "zone is not recorded"}
}

test_not_applicable if {
	res := check.results with data.entities as {"zone": zones, "asset": []}
	count(res) == 0
}

test_no_result_without_zone_field if {
	assets := [{"id": "inventory:asset:hmi-1"}, {"id": "inventory:asset:hmi-2", "zone": null}]
	res := check.results with data.entities as {"zone": zones, "asset": assets}
	res == [{"resource": "inventory:asset:hmi-2", "status": "fail", "message": "zone is not recorded"}]
}
