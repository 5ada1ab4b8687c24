package plantproof.checks.ot.signed_firmware_test

import data.plantproof.checks.ot.signed_firmware as check

asset(version, signed) := {"id": "inventory:asset:plc-1", "firmwareVersion": version, "firmwareSigned": signed}

result_for(version, signed) := r if {
	res := check.results with data.entities as {"asset": [asset(version, signed)]}
	count(res) == 1
	some r in res
}

test_pass if {
	r := result_for("V4.5.2", true)
	r == {"resource": "inventory:asset:plc-1", "status": "pass", "message": "runs signed firmware V4.5.2"}
}

test_fail_unsigned if {
	r := result_for("V2.1", false)
	r == {"resource": "inventory:asset:plc-1", "status": "fail", "message": "firmware V2.1 is not signed"}
}

test_fail_version_unknown if {
	r := result_for(null, true)
	r == {"resource": "inventory:asset:plc-1", "status": "fail", "message": "firmware version is not recorded"}
}

test_fail_signing_unknown if {
	r := result_for("V2.1", null)
	r == {"resource": "inventory:asset:plc-1", "status": "fail", "message": "firmware signing is not recorded"}
}

test_fail_nothing_known if {
	r := result_for(null, false)
	r == {
		"resource": "inventory:asset:plc-1", "status": "fail",
		"message": "firmware is not signed; firmware version is not recorded",
	}
}

test_not_applicable if {
	res := check.results with data.entities as {"asset": []}
	count(res) == 0
}

test_no_result_without_firmware_version_field if {
	assets := [
		{"id": "inventory:asset:plc-1", "firmwareSigned": true},
		{"id": "inventory:asset:plc-2", "firmwareSigned": false},
	]
	res := check.results with data.entities as {"asset": assets}
	res == []
}
