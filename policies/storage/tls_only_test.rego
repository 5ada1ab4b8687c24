package plantproof.checks.storage.tls_only_test

import data.plantproof.checks.storage.tls_only as check

bucket(overrides) := object.union({"id": "aws:s3:b1", "tlsOnly": true, "minTlsVersion": "1.2"}, overrides)

test_pass if {
	res := check.results with data.entities as {"storage": [bucket({})]}
	res == [{"resource": "aws:s3:b1", "status": "pass", "message": "accepts TLS only, minimum version 1.2"}]
}

test_pass_without_min_version if {
	res := check.results with data.entities as {"storage": [bucket({"minTlsVersion": null})]}
	res == [{"resource": "aws:s3:b1", "status": "pass", "message": "accepts TLS only"}]
}

test_fail_plaintext_allowed if {
	res := check.results with data.entities as {"storage": [bucket({"tlsOnly": false})]}
	res == [{"resource": "aws:s3:b1", "status": "fail", "message": "accepts connections without TLS"}]
}

test_fail_unknown if {
	res := check.results with data.entities as {"storage": [bucket({"tlsOnly": null})]}
	res == [{"resource": "aws:s3:b1", "status": "fail", "message": "TLS-only access is not recorded"}]
}

test_fail_old_tls if {
	res := check.results with data.entities as {"storage": [bucket({"minTlsVersion": "1.0"})]}
	res == [{"resource": "aws:s3:b1", "status": "fail", "message": "minimum TLS version is 1.0; 1.2 or later is required"}]
}

test_fail_reports_every_reason if {
	res := check.results with data.entities as {"storage": [bucket({"tlsOnly": false, "minTlsVersion": "1.1"})]}
	res == [{
		"resource": "aws:s3:b1", "status": "fail",
		"message": "accepts connections without TLS; minimum TLS version is 1.1; 1.2 or later is required",
	}]
}

test_each_store_judged_on_its_own_problems if {
	stores := [bucket({"tlsOnly": false}), bucket({"id": "aws:s3:b2"}), bucket({"id": "aws:s3:b3", "minTlsVersion": "1.1"})]
	res := check.results with data.entities as {"storage": stores}
	res == [
		{"resource": "aws:s3:b1", "status": "fail", "message": "accepts connections without TLS"},
		{"resource": "aws:s3:b2", "status": "pass", "message": "accepts TLS only, minimum version 1.2"},
		{"resource": "aws:s3:b3", "status": "fail", "message": "minimum TLS version is 1.1; 1.2 or later is required"},
	]
}

test_not_applicable if {
	res := check.results with data.entities as {"storage": []}
	res == []
}
