package plantproof.checks.tls.endpoint_reachable_test

import data.plantproof.checks.tls.endpoint_reachable as check

endpoint(reachable) := {
	"id": "tls:mes.plant.example:443", "host": "mes.plant.example",
	"port": 443, "reachable": reachable,
}

test_pass if {
	res := check.results with data.entities as {"tls_endpoint": [endpoint(true)]}
	res == {{
		"resource": "tls:mes.plant.example:443", "status": "pass",
		"message": "mes.plant.example:443 was reached and probed",
	}}
}

test_fail_unreachable if {
	res := check.results with data.entities as {"tls_endpoint": [endpoint(false)]}
	res == {{
		"resource": "tls:mes.plant.example:443", "status": "fail",
		"message": "mes.plant.example:443 could not be reached, so its TLS configuration is unverified",
	}}
}

test_not_applicable if {
	res := check.results with data.entities as {"tls_endpoint": []}
	count(res) == 0
}
