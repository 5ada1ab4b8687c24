package plantproof.checks.storage.encrypted_at_rest_test

import data.plantproof.checks.storage.encrypted_at_rest as check

bucket(overrides) := object.union({"id": "aws:s3:b1", "encryptedAtRest": true, "algorithm": "AES-256"}, overrides)

test_pass if {
	res := check.results with data.entities as {"storage": [bucket({})]}
	res == [{"resource": "aws:s3:b1", "status": "pass", "message": "encrypted at rest with AES-256"}]
}

test_fail_when_off if {
	res := check.results with data.entities as {"storage": [bucket({"encryptedAtRest": false, "algorithm": null})]}
	res == [{"resource": "aws:s3:b1", "status": "fail", "message": "encryption at rest is off"}]
}

test_fail_when_unknown if {
	res := check.results with data.entities as {"storage": [bucket({"encryptedAtRest": null})]}
	res == [{"resource": "aws:s3:b1", "status": "fail", "message": "encryption at rest is not recorded"}]
}

test_fail_weak_algorithm if {
	res := check.results with data.entities as {"storage": [bucket({"algorithm": "AES-128"})]}
	res == [{"resource": "aws:s3:b1", "status": "fail", "message": "encrypted with AES-128, not AES-256"}]
}

test_fail_algorithm_unknown if {
	res := check.results with data.entities as {"storage": [bucket({"algorithm": null})]}
	res == [{"resource": "aws:s3:b1", "status": "fail", "message": "encrypted at rest, but the algorithm is not recorded"}]
}

test_one_result_per_resource if {
	buckets := [bucket({}), bucket({"id": "aws:s3:b2", "encryptedAtRest": false})]
	res := check.results with data.entities as {"storage": buckets}
	res == [
		{"resource": "aws:s3:b1", "status": "pass", "message": "encrypted at rest with AES-256"},
		{"resource": "aws:s3:b2", "status": "fail", "message": "encryption at rest is off"},
	]
}

test_not_applicable if {
	res := check.results with data.entities as {"storage": []}
	res == []
}
