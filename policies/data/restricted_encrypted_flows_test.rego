package plantproof.checks.data.restricted_encrypted_flows_test

import data.plantproof.checks.data.restricted_encrypted_flows as check

flow(overrides) := object.union(
	{
		"id": "inventory:flow:recipes", "classification": "restricted", "protocol": "sftp",
		"encrypted": true, "authenticated": true, "fromZone": "inventory:zone:ops", "toZone": "inventory:zone:ops",
	},
	overrides,
)

result_for(overrides) := r if {
	res := check.results with data.entities as {"data_flow": [flow(overrides)]}
	count(res) == 1
	some r in res
}

test_pass if {
	r := result_for({})
	r == {
		"resource": "inventory:flow:recipes", "status": "pass",
		"message": "carries restricted data encrypted and authenticated",
	}
}

test_fail_unencrypted_within_zone if {
	r := result_for({"encrypted": false, "protocol": "ftp"})
	r == {"resource": "inventory:flow:recipes", "status": "fail", "message": "carries restricted data unencrypted (ftp)"}
}

test_fail_unauthenticated if {
	r := result_for({"classification": "confidential", "authenticated": false})
	r == {
		"resource": "inventory:flow:recipes", "status": "fail",
		"message": "carries confidential data without authentication (sftp)",
	}
}

test_fail_both if {
	r := result_for({"encrypted": false, "authenticated": false, "protocol": "modbus"})
	r == {
		"resource": "inventory:flow:recipes", "status": "fail",
		"message": "carries restricted data unencrypted (modbus); carries restricted data without authentication (modbus)",
	}
}

test_not_applicable_to_internal_data if {
	res := check.results with data.entities as {"data_flow": [flow({"classification": "internal", "encrypted": false})]}
	count(res) == 0
}

test_not_applicable if {
	res := check.results with data.entities as {"data_flow": []}
	count(res) == 0
}
