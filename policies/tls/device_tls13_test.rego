package plantproof.checks.tls.device_tls13_test

import data.plantproof.checks.tls.device_tls13 as check

device(versions) := {"id": "tls:plc1:4843", "role": "device", "reachable": true, "protocolsAccepted": versions}

test_pass if {
	res := check.results with data.entities as {"tls_endpoint": [device(["1.3"])]}
	res == [{"resource": "tls:plc1:4843", "status": "pass", "message": "accepts TLS 1.3 only"}]
}

test_fail_older_accepted if {
	res := check.results with data.entities as {"tls_endpoint": [device(["1.2", "1.3"])]}
	res == [{"resource": "tls:plc1:4843", "status": "fail", "message": "also accepts TLS 1.2"}]
}

test_fail_no_tls13 if {
	res := check.results with data.entities as {"tls_endpoint": [device(["1.1", "1.2"])]}
	res == [{
		"resource": "tls:plc1:4843", "status": "fail",
		"message": "also accepts TLS 1.1, TLS 1.2; does not accept TLS 1.3",
	}]
}

test_not_applicable_to_services if {
	e := object.union(device(["1.2"]), {"role": "service"})
	res := check.results with data.entities as {"tls_endpoint": [e]}
	count(res) == 0
}

test_not_applicable if {
	res := check.results with data.entities as {"tls_endpoint": []}
	count(res) == 0
}

test_one_verdict_per_device_in_input_order if {
	service := object.union(device(["1.2"]), {"id": "tls:mes:443", "role": "service"})
	older := object.union(device(["1.2", "1.3"]), {"id": "tls:gw1:8883"})
	res := check.results with data.entities as {"tls_endpoint": [older, service, device(["1.3"])]}
	res == [
		{"resource": "tls:gw1:8883", "status": "fail", "message": "also accepts TLS 1.2"},
		{"resource": "tls:plc1:4843", "status": "pass", "message": "accepts TLS 1.3 only"},
	]
}
