package plantproof.checks.tls.certificate_expiry_test

import data.plantproof.checks.tls.certificate_expiry as check

now := {"now": {"date": "2026-11-22"}}

endpoint(not_after) := {
	"id": "tls:mes:443", "reachable": true,
	"certificate": {"notAfter": not_after},
}

test_pass if {
	res := check.results with data.entities as {"tls_endpoint": [endpoint("2027-02-20T00:00:00Z")]} with input as now
	res == [{"resource": "tls:mes:443", "status": "pass", "message": "certificate valid until 2027-02-20, in 90 days"}]
}

test_fail_within_window if {
	res := check.results with data.entities as {"tls_endpoint": [endpoint("2026-12-12T00:00:00Z")]} with input as now
	res == [{
		"resource": "tls:mes:443", "status": "fail",
		"message": "certificate expires on 2026-12-12, in 20 days (limit 30)",
	}]
}

test_fail_window_from_params if {
	res := check.results with data.entities as {"tls_endpoint": [endpoint("2027-02-20T00:00:00Z")]}
		with input as {"now": {"date": "2026-11-22"}, "params": {"certificateExpiryDays": 120}}
	res == [{
		"resource": "tls:mes:443", "status": "fail",
		"message": "certificate expires on 2027-02-20, in 90 days (limit 120)",
	}]
}

test_fail_expired if {
	res := check.results with data.entities as {"tls_endpoint": [endpoint("2026-11-12T00:00:00Z")]} with input as now
	res == [{"resource": "tls:mes:443", "status": "fail", "message": "certificate expired on 2026-11-12, 10 days ago"}]
}

test_fail_no_certificate if {
	e := {"id": "tls:mes:443", "reachable": true, "certificate": null}
	res := check.results with data.entities as {"tls_endpoint": [e]} with input as now
	res == [{"resource": "tls:mes:443", "status": "fail", "message": "no certificate was recorded"}]
}

test_not_applicable_when_unreachable if {
	e := {"id": "tls:mes:443", "reachable": false, "certificate": null}
	res := check.results with data.entities as {"tls_endpoint": [e]} with input as now
	count(res) == 0
}

test_not_applicable if {
	res := check.results with data.entities as {"tls_endpoint": []} with input as now
	count(res) == 0
}

message_for(not_after) := r.message if {
	res := check.results with data.entities as {"tls_endpoint": [endpoint(not_after)]} with input as now
	count(res) == 1
	some r in res
}

test_boundaries if {
	message_for("2026-12-22T00:00:00Z") == "certificate expires on 2026-12-22, in 30 days (limit 30)"
	message_for("2026-12-23T00:00:00Z") == "certificate valid until 2026-12-23, in 31 days"
	message_for("2026-11-22T23:00:00Z") == "certificate expires on 2026-11-22, in 0 days (limit 30)"
}
