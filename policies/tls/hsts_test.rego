package plantproof.checks.tls.hsts_test

import data.plantproof.checks.tls.hsts as check

endpoint(hsts) := {"id": "tls:portal:443", "reachable": true, "service": "https", "hsts": hsts}

test_pass if {
	e := endpoint({"maxAgeSeconds": 63072000, "includeSubDomains": true})
	res := check.results with data.entities as {"tls_endpoint": [e]}
	res == [{"resource": "tls:portal:443", "status": "pass", "message": "HSTS max-age is 63072000 seconds"}]
}

test_fail_short_max_age if {
	e := endpoint({"maxAgeSeconds": 86400, "includeSubDomains": false})
	res := check.results with data.entities as {"tls_endpoint": [e]}
	res == [{
		"resource": "tls:portal:443", "status": "fail",
		"message": "HSTS max-age is 86400 seconds, less than one year (31536000)",
	}]
}

test_fail_missing if {
	res := check.results with data.entities as {"tls_endpoint": [endpoint(null)]}
	res == [{
		"resource": "tls:portal:443", "status": "fail",
		"message": "no Strict-Transport-Security header was recorded",
	}]
}

test_not_applicable_to_other_services if {
	e := object.union(endpoint(null), {"service": "mqtts"})
	res := check.results with data.entities as {"tls_endpoint": [e]}
	count(res) == 0
}

test_not_applicable if {
	res := check.results with data.entities as {"tls_endpoint": []}
	count(res) == 0
}

test_pass_at_exactly_one_year if {
	e := endpoint({"maxAgeSeconds": 31536000, "includeSubDomains": false})
	res := check.results with data.entities as {"tls_endpoint": [e]}
	res == [{"resource": "tls:portal:443", "status": "pass", "message": "HSTS max-age is 31536000 seconds"}]
}
