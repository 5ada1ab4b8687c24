package plantproof.checks.tls.endpoint_reachable_test

import data.plantproof.checks.tls.endpoint_reachable as check

endpoint(reachable) := {
	"id": "tls:mes.plant.example:443", "host": "mes.plant.example",
	"port": 443, "reachable": reachable,
}

test_pass if {
	res := check.results with data.entities as {"tls_endpoint": [endpoint(true)]}
	res == [{
		"resource": "tls:mes.plant.example:443", "status": "pass",
		"message": "mes.plant.example:443 was reached and probed",
	}]
}

test_fail_unreachable if {
	res := check.results with data.entities as {"tls_endpoint": [endpoint(false)]}
	res == [{
		"resource": "tls:mes.plant.example:443", "status": "fail",
		"message": "mes.plant.example:443 could not be reached, so its TLS configuration is unverified",
	}]
}

test_not_applicable if {
	res := check.results with data.entities as {"tls_endpoint": []}
	count(res) == 0
}

test_fail_reachability_not_recorded if {
	e := object.remove(endpoint(true), ["reachable"])
	res := check.results with data.entities as {"tls_endpoint": [e, endpoint(null)]}
	msg := "mes.plant.example:443 could not be reached, so its TLS configuration is unverified"
	res == [
		{"resource": "tls:mes.plant.example:443", "status": "fail", "message": msg},
		{"resource": "tls:mes.plant.example:443", "status": "fail", "message": msg},
	]
}

test_one_verdict_per_endpoint_in_input_order if {
	other := {"id": "tls:plc1:4843", "host": "plc1.plant.example", "port": 4843, "reachable": true}
	res := check.results with data.entities as {"tls_endpoint": [endpoint(false), other]}
	res == [
		{
			"resource": "tls:mes.plant.example:443", "status": "fail",
			"message": "mes.plant.example:443 could not be reached, so its TLS configuration is unverified",
		},
		{"resource": "tls:plc1:4843", "status": "pass", "message": "plc1.plant.example:4843 was reached and probed"},
	]
}
