# METADATA
# title: Internet-facing endpoints do not use self-signed certificates
# description: >-
#   Internet-facing TLS endpoints present a CA-issued certificate; internal endpoints pass, since a private CA or a
#   pinned self-signed certificate is acceptable inside the plant.
# custom:
#   id: tls.self_signed_public
#   domain: tls
#   severity: high
#   likelihood: 3
#   impact: 4
#   kinds:
#     - tls_endpoint
#   remediation: >-
#     Replace the self-signed certificate with one from a public CA (AWS Certificate Manager, an App Service managed
#     certificate, ACME) or move the endpoint behind a load balancer or gateway that presents one.
package plantproof.checks.tls.self_signed_public

import data.plantproof.lib

# One verdict per reachable endpoint.
results := [verdict(e) |
	some e in data.entities.tls_endpoint
	e.reachable == true
]

verdict(e) := lib.pass(e, "internal endpoint, not internet-facing") if not e.internetFacing == true

verdict(e) := lib.pass(e, msg) if {
	e.internetFacing == true
	e.certificate.selfSigned == false
	msg := concat("", ["internet-facing endpoint presents a certificate issued by ", lib.text(e.certificate.issuer)])
}

verdict(e) := lib.fail(e, reason(e)) if {
	e.internetFacing == true
	not e.certificate.selfSigned == false
}

reason(e) := "internet-facing endpoint presents a self-signed certificate" if {
	e.certificate.selfSigned == true
} else := "internet-facing endpoint, but no certificate was recorded"
