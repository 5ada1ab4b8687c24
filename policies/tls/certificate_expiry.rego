# METADATA
# title: TLS certificates are not about to expire
# description: >-
#   Every reachable TLS endpoint presents a certificate that stays valid for more than certificateExpiryDays days
#   (policy threshold, 30 by default).
# custom:
#   id: tls.certificate_expiry
#   domain: tls
#   severity: high
#   likelihood: 4
#   impact: 3
#   kinds:
#     - tls_endpoint
#   remediation: >-
#     Renew and deploy the certificate, and automate renewal (AWS Certificate Manager, Key Vault auto-renewal, ACME)
#     so it is replaced well before it expires.
package plantproof.checks.tls.certificate_expiry

import data.plantproof.lib

window := lib.param("certificateExpiryDays", 30)

# One verdict per reachable endpoint.
results := [verdict(e) |
	some e in data.entities.tls_endpoint
	e.reachable == true
]

verdict(e) := lib.pass(e, msg) if {
	days := days_left(e)
	days > window
	msg := concat("", ["certificate valid until ", expiry_date(e), ", in ", lib.number_text(days), " days"])
}

verdict(e) := lib.fail(e, reason(e, window)) if not valid_beyond_window(e, window)

valid_beyond_window(e, limit) if days_left(e) > limit

reason(e, limit) := "no certificate was recorded" if {
	not is_object(e.certificate)
} else := msg if {
	days_left(e) < 0
	msg := concat("", ["certificate expired on ", expiry_date(e), ", ", lib.number_text(days_left(e) * -1), " days ago"])
} else := concat("", [
	"certificate expires on ", expiry_date(e), ", in ", lib.number_text(days_left(e)),
	" days (limit ", lib.number_text(limit), ")",
])

days_left(e) := lib.days_until(e.certificate.notAfter)

expiry_date(e) := substring(e.certificate.notAfter, 0, 10)
