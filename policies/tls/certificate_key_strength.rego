# METADATA
# title: TLS certificates use strong keys and signatures
# description: >-
#   Every reachable TLS endpoint's certificate has an RSA key of at least 2048 bits or an EC key of at least 256 bits
#   (EdDSA keys pass) and is not signed with SHA-1 or MD5.
# custom:
#   id: tls.certificate_key_strength
#   domain: tls
#   severity: medium
#   likelihood: 2
#   impact: 4
#   kinds:
#     - tls_endpoint
#   remediation: >-
#     Reissue the certificate with an RSA 2048-bit (or larger) or ECDSA P-256 (or larger) key, signed with SHA-256 or
#     better, and deploy it with its chain.
package plantproof.checks.tls.certificate_key_strength

import data.plantproof.lib

min_bits := {"RSA": 2048, "EC": 256}

results contains lib.pass(e, msg) if {
	some e in probed
	not issues[e.id]
	msg := sprintf("%s, signed with %s", [key_text(e.certificate), e.certificate.signatureAlgorithm])
}

results contains lib.fail(e, concat("; ", sort(issues[e.id]))) if {
	some e in probed
	issues[e.id]
}

probed contains e if {
	some e in data.entities.tls_endpoint
	e.reachable == true
}

issues[e.id] contains "no certificate was recorded" if {
	some e in probed
	not is_object(e.certificate)
}

issues[e.id] contains sprintf("%s key is %v bits, fewer than %v", [family, bits, min_bits[family]]) if {
	some e in probed
	family := key_family(e.certificate.keyType)
	bits := e.certificate.keyBits
	is_number(bits)
	bits < min_bits[family]
}

issues[e.id] contains sprintf("%s key size is not recorded", [e.certificate.keyType]) if {
	some e in probed
	key_family(e.certificate.keyType) in {"RSA", "EC"}
	not is_number(e.certificate.keyBits)
}

issues[e.id] contains sprintf("key type %s is not RSA, EC or EdDSA", [e.certificate.keyType]) if {
	some e in probed
	is_object(e.certificate)
	not key_family(e.certificate.keyType)
}

issues[e.id] contains "signature algorithm is not recorded" if {
	some e in probed
	is_object(e.certificate)
	not recorded(e.certificate.signatureAlgorithm)
	not redacted(e.certificate.signatureAlgorithm)
}

issues[e.id] contains "signature algorithm was redacted from the snapshot, so it cannot be judged" if {
	some e in probed
	redacted(e.certificate.signatureAlgorithm)
}

issues[e.id] contains sprintf("signed with %s, a broken hash", [algorithm]) if {
	some e in probed
	algorithm := e.certificate.signatureAlgorithm
	recorded(algorithm)
	some weak in ["sha1", "sha-1", "md5"]
	contains(lower(algorithm), weak)
}

key_family(key_type) := "RSA" if {
	startswith(upper(key_type), "RSA")
} else := "EC" if {
	startswith(upper(key_type), "EC")
} else := "EdDSA" if {
	upper(key_type) in {"ED25519", "ED448", "EDDSA"}
}

recorded(value) if {
	is_string(value)
	value != ""
	not redacted(value)
}

# A value the snapshot redactor replaced is as unknown as a missing one.
redacted(value) if startswith(value, "[REDACTED")

key_text(cert) := sprintf("%s %v-bit key", [cert.keyType, cert.keyBits]) if {
	is_number(cert.keyBits)
} else := sprintf("%s key", [cert.keyType])
