package plantproof.checks.ot.default_credentials_test

import data.plantproof.checks.ot.default_credentials as check

asset(changed) := {"id": "inventory:asset:plc-1", "defaultCredentialsChanged": changed}

test_pass if {
	res := check.results with data.entities as {"asset": [asset(true)]}
	res == [{"resource": "inventory:asset:plc-1", "status": "pass", "message": "default credentials have been changed"}]
}

test_fail_default if {
	res := check.results with data.entities as {"asset": [asset(false)]}
	res == [{
		"resource": "inventory:asset:plc-1", "status": "fail",
		"message": "still uses the vendor's default credentials",
	}]
}

test_fail_unknown if {
	res := check.results with data.entities as {"asset": [asset(null)]}
	res == [{
		"resource": "inventory:asset:plc-1", "status": "fail",
		"message": "whether default credentials were changed is not recorded",
	}]
}

test_not_applicable if {
	res := check.results with data.entities as {"asset": []}
	count(res) == 0
}
