package plantproof.checks.tls.certificate_key_strength_test

import data.plantproof.checks.tls.certificate_key_strength as check

endpoint(cert) := {
	"id": "tls:mes:443", "reachable": true,
	"certificate": object.union(
		{"keyType": "RSA", "keyBits": 2048, "signatureAlgorithm": "sha256WithRSAEncryption"},
		cert,
	),
}

fails_with(cert, message) if {
	res := check.results with data.entities as {"tls_endpoint": [endpoint(cert)]}
	res == [{"resource": "tls:mes:443", "status": "fail", "message": message}]
}

test_pass_rsa if {
	res := check.results with data.entities as {"tls_endpoint": [endpoint({})]}
	res == [{
		"resource": "tls:mes:443", "status": "pass",
		"message": "RSA 2048-bit key, signed with sha256WithRSAEncryption",
	}]
}

test_pass_ec if {
	cert := {"keyType": "EC", "keyBits": 256, "signatureAlgorithm": "ecdsa-with-SHA256"}
	res := check.results with data.entities as {"tls_endpoint": [endpoint(cert)]}
	res == [{"resource": "tls:mes:443", "status": "pass", "message": "EC 256-bit key, signed with ecdsa-with-SHA256"}]
}

test_pass_ed25519_without_size if {
	cert := {"keyType": "Ed25519", "keyBits": null, "signatureAlgorithm": "ED25519"}
	res := check.results with data.entities as {"tls_endpoint": [endpoint(cert)]}
	res == [{"resource": "tls:mes:443", "status": "pass", "message": "Ed25519 key, signed with ED25519"}]
}

test_fail_small_rsa if {
	fails_with({"keyBits": 1024}, "RSA key is 1024 bits, fewer than 2048")
}

test_fail_small_ec if {
	cert := {"keyType": "ECDSA", "keyBits": 224, "signatureAlgorithm": "ecdsa-with-SHA256"}
	fails_with(cert, "EC key is 224 bits, fewer than 256")
}

test_fail_key_size_unknown if {
	fails_with({"keyBits": null}, "RSA key size is not recorded")
}

test_fail_unknown_key_type if {
	fails_with({"keyType": "DSA", "keyBits": 1024}, "key type DSA is not RSA, EC or EdDSA")
}

test_fail_sha1 if {
	fails_with({"signatureAlgorithm": "SHA1WithRSAEncryption"}, "signed with SHA1WithRSAEncryption, a broken hash")
}

test_fail_md5 if {
	fails_with({"signatureAlgorithm": "md5WithRSAEncryption"}, "signed with md5WithRSAEncryption, a broken hash")
}

test_fail_signature_unknown if {
	fails_with({"signatureAlgorithm": null}, "signature algorithm is not recorded")
	fails_with(
		{"signatureAlgorithm": "[REDACTED sha256:0123456789ab]"},
		"signature algorithm was redacted from the snapshot, so it cannot be judged",
	)
}

test_fail_reports_every_reason if {
	fails_with(
		{"keyBits": 1024, "signatureAlgorithm": "sha1WithRSAEncryption"},
		"RSA key is 1024 bits, fewer than 2048; signed with sha1WithRSAEncryption, a broken hash",
	)
}

test_fail_no_certificate if {
	e := {"id": "tls:mes:443", "reachable": true, "certificate": null}
	res := check.results with data.entities as {"tls_endpoint": [e]}
	res == [{"resource": "tls:mes:443", "status": "fail", "message": "no certificate was recorded"}]
}

test_not_applicable if {
	res := check.results with data.entities as {"tls_endpoint": []}
	count(res) == 0
}
