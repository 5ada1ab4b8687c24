package plantproof.checks.tls.certificate_trusted_test

import data.plantproof.checks.tls.certificate_trusted as check

endpoint(cert) := {
	"id": "tls:mes:443", "host": "mes.plant.example", "reachable": true,
	"certificate": object.union({"chainValid": true, "hostnameMatches": true, "chainError": null}, cert),
}

test_pass if {
	res := check.results with data.entities as {"tls_endpoint": [endpoint({})]}
	res == [{
		"resource": "tls:mes:443", "status": "pass",
		"message": "certificate chain validates and matches mes.plant.example",
	}]
}

test_fail_chain if {
	e := endpoint({"chainValid": false, "chainError": "unable to get local issuer certificate"})
	res := check.results with data.entities as {"tls_endpoint": [e]}
	res == [{
		"resource": "tls:mes:443", "status": "fail",
		"message": "certificate chain does not validate (unable to get local issuer certificate)",
	}]
}

test_fail_hostname if {
	res := check.results with data.entities as {"tls_endpoint": [endpoint({"hostnameMatches": false})]}
	res == [{"resource": "tls:mes:443", "status": "fail", "message": "certificate does not match host mes.plant.example"}]
}

test_fail_both if {
	e := endpoint({"chainValid": false, "hostnameMatches": false})
	res := check.results with data.entities as {"tls_endpoint": [e]}
	res == [{
		"resource": "tls:mes:443", "status": "fail",
		"message": "certificate chain does not validate; certificate does not match host mes.plant.example",
	}]
}

test_fail_no_certificate if {
	e := {"id": "tls:mes:443", "host": "mes.plant.example", "reachable": true, "certificate": null}
	res := check.results with data.entities as {"tls_endpoint": [e]}
	res == [{"resource": "tls:mes:443", "status": "fail", "message": "no certificate was recorded"}]
}

test_not_applicable if {
	res := check.results with data.entities as {"tls_endpoint": []}
	count(res) == 0
}
