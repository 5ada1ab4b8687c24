# METADATA
# title: HTTPS endpoints send HSTS for at least a year
# description: >-
#   Every reachable HTTPS endpoint sends a Strict-Transport-Security header with a max-age of at least one year
#   (31536000 seconds), so browsers never fall back to plain HTTP.
# custom:
#   id: tls.hsts
#   domain: tls
#   severity: medium
#   likelihood: 2
#   impact: 3
#   kinds:
#     - tls_endpoint
#   remediation: >-
#     Send "Strict-Transport-Security max-age=31536000; includeSubDomains" from the web server, application gateway or
#     CDN (a CloudFront response headers policy, Front Door rules, an nginx add_header).
package plantproof.checks.tls.hsts

import data.plantproof.lib

one_year := 31536000

# One verdict per reachable HTTPS endpoint.
results := [verdict(e) |
	some e in data.entities.tls_endpoint
	e.reachable == true
	lower(e.service) == "https"
]

verdict(e) := lib.pass(e, concat("", ["HSTS max-age is ", lib.number_text(e.hsts.maxAgeSeconds), " seconds"])) if {
	compliant(e)
}

verdict(e) := lib.fail(e, reason(e)) if not compliant(e)

compliant(e) if {
	is_number(e.hsts.maxAgeSeconds)
	e.hsts.maxAgeSeconds >= one_year
}

reason(e) := msg if {
	is_number(e.hsts.maxAgeSeconds)
	msg := concat("", [
		"HSTS max-age is ", lib.number_text(e.hsts.maxAgeSeconds),
		" seconds, less than one year (", lib.number_text(one_year), ")",
	])
} else := "no Strict-Transport-Security header was recorded"
