package plantproof.checks.storage.customer_managed_key_test

import data.plantproof.checks.storage.customer_managed_key as check

bucket(overrides) := object.union(
	{"id": "aws:s3:b1", "encryptedAtRest": true, "customerManagedKey": true, "keyId": "arn:aws:kms:k1"},
	overrides,
)

test_pass_names_key if {
	res := check.results with data.entities as {"storage": [bucket({})]}
	res == [{"resource": "aws:s3:b1", "status": "pass", "message": "encrypted with customer-managed key arn:aws:kms:k1"}]
}

test_pass_without_key_id if {
	res := check.results with data.entities as {"storage": [bucket({"keyId": null})]}
	res == [{"resource": "aws:s3:b1", "status": "pass", "message": "encrypted with a customer-managed key"}]
}

test_fail_provider_managed if {
	res := check.results with data.entities as {"storage": [bucket({"customerManagedKey": false})]}
	res == [{
		"resource": "aws:s3:b1", "status": "fail",
		"message": "encrypted with a provider-managed key, not a customer-managed one",
	}]
}

test_fail_unencrypted if {
	b := bucket({"encryptedAtRest": false, "customerManagedKey": false})
	res := check.results with data.entities as {"storage": [b]}
	res == [{
		"resource": "aws:s3:b1", "status": "fail",
		"message": "not encrypted at rest, so no customer-managed key protects it",
	}]
}

test_fail_unknown if {
	res := check.results with data.entities as {"storage": [bucket({"customerManagedKey": null})]}
	res == [{"resource": "aws:s3:b1", "status": "fail", "message": "use of a customer-managed key is not recorded"}]
}

test_not_applicable if {
	res := check.results with data.entities as {"storage": []}
	res == []
}
