# METADATA
# title: TLS endpoints refuse weak cipher suites
# description: >-
#   No reachable TLS endpoint accepts a weak cipher suite (export, NULL, anonymous, RC4, DES or 3DES, CBC with SHA-1
#   and similar).
# custom:
#   id: tls.weak_ciphers
#   domain: tls
#   severity: high
#   likelihood: 3
#   impact: 4
#   kinds:
#     - tls_endpoint
#   remediation: >-
#     Limit the server to AEAD suites with forward secrecy (ECDHE with AES-GCM or ChaCha20-Poly1305), for example with
#     a current AWS ELB security policy or the Mozilla "intermediate" configuration.
package plantproof.checks.tls.weak_ciphers

import data.plantproof.lib

# One verdict per reachable endpoint.
results := [verdict(e) |
	some e in data.entities.tls_endpoint
	e.reachable == true
]

# Passes when no weak suite was accepted; fails listing them otherwise (no verdict when the list was not recorded).
verdict(e) := lib.pass(e, "accepts no weak cipher suites") if {
	count(e.weakCiphersAccepted) == 0
} else := lib.fail(e, msg) if {
	count(e.weakCiphersAccepted) > 0
	msg := concat("", ["accepts weak cipher suites: ", concat(", ", sort(e.weakCiphersAccepted))])
}
