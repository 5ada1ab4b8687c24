package plantproof.checks.tls.weak_ciphers_test

import data.plantproof.checks.tls.weak_ciphers as check

endpoint(weak) := {"id": "tls:mes:443", "reachable": true, "weakCiphersAccepted": weak}

test_pass if {
	res := check.results with data.entities as {"tls_endpoint": [endpoint([])]}
	res == [{"resource": "tls:mes:443", "status": "pass", "message": "accepts no weak cipher suites"}]
}

test_fail if {
	weak := ["TLS_RSA_WITH_RC4_128_SHA", "TLS_RSA_WITH_3DES_EDE_CBC_SHA"]
	res := check.results with data.entities as {"tls_endpoint": [endpoint(weak)]}
	res == [{
		"resource": "tls:mes:443", "status": "fail",
		"message": "accepts weak cipher suites: TLS_RSA_WITH_3DES_EDE_CBC_SHA, TLS_RSA_WITH_RC4_128_SHA",
	}]
}

test_not_applicable_when_unreachable if {
	e := {"id": "tls:mes:443", "reachable": false, "weakCiphersAccepted": []}
	res := check.results with data.entities as {"tls_endpoint": [e]}
	count(res) == 0
}

test_not_applicable if {
	res := check.results with data.entities as {"tls_endpoint": []}
	count(res) == 0
}

test_no_verdict_when_ciphers_not_recorded if {
	e := {"id": "tls:mes:443", "reachable": true, "weakCiphersAccepted": null}
	res := check.results with data.entities as {"tls_endpoint": [e, object.remove(e, ["weakCiphersAccepted"])]}
	count(res) == 0
}
