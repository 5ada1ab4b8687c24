package plantproof.checks.database.customer_managed_key_test

import data.plantproof.checks.database.customer_managed_key as check

db(overrides) := object.union({"id": "azure:sql:hist", "encryptedAtRest": true, "customerManagedKey": true}, overrides)

test_pass if {
	res := check.results with data.entities as {"database": [db({})]}
	res == [{"resource": "azure:sql:hist", "status": "pass", "message": "encrypted with a customer-managed key"}]
}

test_fail_provider_managed if {
	res := check.results with data.entities as {"database": [db({"customerManagedKey": false})]}
	res == [{
		"resource": "azure:sql:hist", "status": "fail",
		"message": "encrypted with a provider-managed key, not a customer-managed one",
	}]
}

test_fail_unencrypted if {
	res := check.results with data.entities as {"database": [db({"encryptedAtRest": false})]}
	res == [{
		"resource": "azure:sql:hist", "status": "fail",
		"message": "not encrypted at rest, so no customer-managed key protects it",
	}]
}

test_fail_unknown if {
	res := check.results with data.entities as {"database": [db({"customerManagedKey": null})]}
	res == [{"resource": "azure:sql:hist", "status": "fail", "message": "use of a customer-managed key is not recorded"}]
}

test_not_applicable if {
	res := check.results with data.entities as {"database": []}
	res == []
}
