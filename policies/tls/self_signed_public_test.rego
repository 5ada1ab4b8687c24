package plantproof.checks.tls.self_signed_public_test

import data.plantproof.checks.tls.self_signed_public as check

endpoint(internet, self_signed) := {
	"id": "tls:portal:443", "reachable": true, "internetFacing": internet,
	"certificate": {"selfSigned": self_signed, "issuer": "CN=R11, O=Let's Encrypt"},
}

test_pass_ca_issued if {
	res := check.results with data.entities as {"tls_endpoint": [endpoint(true, false)]}
	res == [{
		"resource": "tls:portal:443", "status": "pass",
		"message": "internet-facing endpoint presents a certificate issued by CN=R11, O=Let's Encrypt",
	}]
}

test_pass_internal_self_signed if {
	res := check.results with data.entities as {"tls_endpoint": [endpoint(false, true)]}
	res == [{"resource": "tls:portal:443", "status": "pass", "message": "internal endpoint, not internet-facing"}]
}

test_fail_self_signed if {
	res := check.results with data.entities as {"tls_endpoint": [endpoint(true, true)]}
	res == [{
		"resource": "tls:portal:443", "status": "fail",
		"message": "internet-facing endpoint presents a self-signed certificate",
	}]
}

test_fail_no_certificate if {
	e := {"id": "tls:portal:443", "reachable": true, "internetFacing": true, "certificate": null}
	res := check.results with data.entities as {"tls_endpoint": [e]}
	res == [{
		"resource": "tls:portal:443", "status": "fail",
		"message": "internet-facing endpoint, but no certificate was recorded",
	}]
}

test_not_applicable if {
	res := check.results with data.entities as {"tls_endpoint": []}
	count(res) == 0
}
