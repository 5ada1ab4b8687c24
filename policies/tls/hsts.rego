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

results contains lib.pass(e, sprintf("HSTS max-age is %v seconds", [e.hsts.maxAgeSeconds])) if {
	some e in https_endpoints
	compliant(e)
}

results contains lib.fail(e, reason(e)) if {
	some e in https_endpoints
	not compliant(e)
}

https_endpoints contains e if {
	some e in data.entities.tls_endpoint
	e.reachable == true
	lower(e.service) == "https"
}

compliant(e) if {
	is_number(e.hsts.maxAgeSeconds)
	e.hsts.maxAgeSeconds >= one_year
}

reason(e) := msg if {
	is_number(e.hsts.maxAgeSeconds)
	msg := sprintf("HSTS max-age is %v seconds, less than one year (%v)", [e.hsts.maxAgeSeconds, one_year])
} else := "no Strict-Transport-Security header was recorded"
