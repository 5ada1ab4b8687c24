package plantproof.checks.storage.versioning_enabled_test

import data.plantproof.checks.storage.versioning_enabled as check

bucket(versioning) := {"id": "aws:s3:b1", "storageType": "object", "versioning": versioning}

test_pass if {
	res := check.results with data.entities as {"storage": [bucket(true)]}
	res == [{"resource": "aws:s3:b1", "status": "pass", "message": "versioning is on"}]
}

test_fail_off if {
	res := check.results with data.entities as {"storage": [bucket(false)]}
	res == [{"resource": "aws:s3:b1", "status": "fail", "message": "versioning is off"}]
}

test_fail_unknown if {
	res := check.results with data.entities as {"storage": [bucket(null)]}
	res == [{"resource": "aws:s3:b1", "status": "fail", "message": "versioning is not recorded"}]
}

test_not_applicable_to_volumes if {
	volume := {"id": "aws:ebs:v1", "storageType": "block", "versioning": null}
	res := check.results with data.entities as {"storage": [volume]}
	res == []
}

test_not_applicable if {
	res := check.results with data.entities as {"storage": []}
	res == []
}
