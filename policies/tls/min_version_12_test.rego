package plantproof.checks.tls.min_version_12_test

import data.plantproof.checks.tls.min_version_12 as check

endpoint(versions) := {"id": "tls:mes:443", "reachable": true, "protocolsAccepted": versions}

test_pass if {
	res := check.results with data.entities as {"tls_endpoint": [endpoint(["1.3", "1.2"])]}
	res == [{"resource": "tls:mes:443", "status": "pass", "message": "accepts only TLS 1.2, TLS 1.3"}]
}

test_fail_legacy if {
	res := check.results with data.entities as {"tls_endpoint": [endpoint(["1.0", "1.1", "1.2"])]}
	res == [{"resource": "tls:mes:443", "status": "fail", "message": "accepts deprecated TLS 1.0, TLS 1.1"}]
}

test_fail_no_modern_version if {
	res := check.results with data.entities as {"tls_endpoint": [endpoint(["1.1"])]}
	res == [{
		"resource": "tls:mes:443", "status": "fail",
		"message": "accepts deprecated TLS 1.1; accepts neither TLS 1.2 nor TLS 1.3",
	}]
}

test_fail_nothing_accepted if {
	res := check.results with data.entities as {"tls_endpoint": [endpoint([])]}
	res == [{"resource": "tls:mes:443", "status": "fail", "message": "accepts neither TLS 1.2 nor TLS 1.3"}]
}

test_not_applicable_when_unreachable if {
	e := object.union(endpoint([]), {"reachable": false})
	res := check.results with data.entities as {"tls_endpoint": [e]}
	count(res) == 0
}

test_not_applicable if {
	res := check.results with data.entities as {"tls_endpoint": []}
	count(res) == 0
}
