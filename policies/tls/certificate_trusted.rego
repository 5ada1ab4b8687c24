# METADATA
# title: TLS certificates are trusted and match the host
# description: >-
#   Every reachable TLS endpoint presents a certificate whose chain validates to a trusted root and whose names match
#   the host that was probed.
# custom:
#   id: tls.certificate_trusted
#   domain: tls
#   severity: high
#   likelihood: 3
#   impact: 4
#   kinds:
#     - tls_endpoint
#   remediation: >-
#     Install a certificate from a trusted public or enterprise CA that names the host (in the subject alternative
#     names) and serve the full intermediate chain with it.
package plantproof.checks.tls.certificate_trusted

import data.plantproof.lib

results contains lib.pass(e, sprintf("certificate chain validates and matches %s", [e.host])) if {
	some e in probed
	not issues[e.id]
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

issues[e.id] contains chain_problem(e.certificate) if {
	some e in probed
	is_object(e.certificate)
	not e.certificate.chainValid == true
}

issues[e.id] contains sprintf("certificate does not match host %s", [e.host]) if {
	some e in probed
	is_object(e.certificate)
	not e.certificate.hostnameMatches == true
}

chain_problem(cert) := sprintf("certificate chain does not validate (%s)", [cert.chainError]) if {
	is_string(cert.chainError)
} else := "certificate chain does not validate"
