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

# One verdict per reachable endpoint, judged by functions of that endpoint alone, so the check stays linear in the
# number of endpoints.
results := [verdict(e) |
	some e in data.entities.tls_endpoint
	e.reachable == true
]

# Fails with every problem found (the problems are listed only once); passes with the key and signature otherwise.
verdict(e) := lib.fail(e, concat("; ", sort(found))) if {
	found := problems(e)
	count(found) > 0
} else := lib.pass(e, msg) if {
	msg := concat("", [key_text(e.certificate), ", signed with ", lib.text(e.certificate.signatureAlgorithm)])
}

problems(e) := {msg | some aspect in aspects; msg := problem(e, aspect)}

aspects := ["certificate", "key size", "key size recorded", "key type", "signature", "redacted signature", "hash"]

problem(e, "certificate") := "no certificate was recorded" if not is_object(e.certificate)

problem(e, "key size") := msg if {
	family := key_family(e.certificate.keyType)
	bits := e.certificate.keyBits
	is_number(bits)
	bits < min_bits[family]
	msg := concat("", [family, " key is ", lib.number_text(bits), " bits, fewer than ", lib.number_text(min_bits[family])])
}

problem(e, "key size recorded") := concat("", [lib.text(e.certificate.keyType), " key size is not recorded"]) if {
	key_family(e.certificate.keyType) in sized_families
	not is_number(e.certificate.keyBits)
}

problem(e, "key type") := concat("", ["key type ", lib.text(e.certificate.keyType), " is not RSA, EC or EdDSA"]) if {
	is_object(e.certificate)
	not key_family(e.certificate.keyType)
}

problem(e, "signature") := "signature algorithm is not recorded" if {
	is_object(e.certificate)
	not recorded(e.certificate.signatureAlgorithm)
	not redacted(e.certificate.signatureAlgorithm)
}

problem(e, "redacted signature") := "signature algorithm was redacted from the snapshot, so it cannot be judged" if {
	redacted(e.certificate.signatureAlgorithm)
}

problem(e, "hash") := concat("", ["signed with ", algorithm, ", a broken hash"]) if {
	algorithm := e.certificate.signatureAlgorithm
	recorded(algorithm)
	lowered := lower(algorithm)
	some weak in broken_hashes
	contains(lowered, weak)
}

sized_families := {"RSA", "EC"}

broken_hashes := ["sha1", "sha-1", "md5"]

eddsa_key_types := {"ED25519", "ED448", "EDDSA"}

key_family(key_type) := "RSA" if {
	startswith(upper(key_type), "RSA")
} else := "EC" if {
	startswith(upper(key_type), "EC")
} else := "EdDSA" if {
	upper(key_type) in eddsa_key_types
}

recorded(value) if {
	is_string(value)
	value != ""
	not redacted(value)
}

# A value the snapshot redactor replaced is as unknown as a missing one.
redacted(value) if startswith(value, "[REDACTED")

key_text(cert) := concat("", [lib.text(cert.keyType), " ", lib.number_text(cert.keyBits), "-bit key"]) if {
	is_number(cert.keyBits)
} else := concat("", [lib.text(cert.keyType), " key"])
