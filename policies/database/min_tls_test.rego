package plantproof.checks.database.min_tls_test

import data.plantproof.checks.database.min_tls as check

db(version) := {"id": "azure:sql:hist", "minTlsVersion": version}

test_pass if {
	res := check.results with data.entities as {"database": [db("1.2")]}
	res == [{"resource": "azure:sql:hist", "status": "pass", "message": "minimum TLS version is 1.2"}]
}

test_fail_old if {
	res := check.results with data.entities as {"database": [db("1.0")]}
	res == [{
		"resource": "azure:sql:hist", "status": "fail",
		"message": "minimum TLS version is 1.0; 1.2 or later is required",
	}]
}

test_fail_unknown if {
	res := check.results with data.entities as {"database": [db(null)]}
	res == [{"resource": "azure:sql:hist", "status": "fail", "message": "minimum TLS version is not recorded"}]
}

test_no_verdict_without_min_tls_field if {
	res := check.results with data.entities as {"database": [{"id": "azure:sql:hist"}]}
	res == []
}

test_not_applicable if {
	res := check.results with data.entities as {"database": []}
	res == []
}
