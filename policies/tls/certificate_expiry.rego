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

probed contains e if {
	some e in data.entities.tls_endpoint
	e.reachable == true
}

results contains lib.pass(e, sprintf("certificate valid until %s, in %v days", [expiry_date(e), days])) if {
	some e in probed
	valid_beyond_window(e, window)
	days := days_left(e)
}

results contains lib.fail(e, reason(e, window)) if {
	some e in probed
	not valid_beyond_window(e, window)
}

valid_beyond_window(e, limit) if days_left(e) > limit

reason(e, limit) := "no certificate was recorded" if {
	not is_object(e.certificate)
} else := sprintf("certificate expired on %s, %v days ago", [expiry_date(e), days_left(e) * -1]) if {
	days_left(e) < 0
} else := sprintf("certificate expires on %s, in %v days (limit %v)", [expiry_date(e), days_left(e), limit])

days_left(e) := lib.days_until(e.certificate.notAfter)

expiry_date(e) := substring(e.certificate.notAfter, 0, 10)
