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

# Each endpoint is judged by functions of that endpoint alone, so the check stays linear in the number of
# endpoints (the problems are listed only for endpoints that have some).
results contains lib.pass(e, msg) if {
	some e in data.entities.tls_endpoint
	e.reachable == true
	not flawed(e)
	msg := concat("", ["certificate chain validates and matches ", lib.text(e.host)])
}

results contains lib.fail(e, concat("; ", sort(problems(e)))) if {
	some e in data.entities.tls_endpoint
	e.reachable == true
	flawed(e)
}

flawed(e) if {
	some aspect in aspects
	problem(e, aspect)
}

problems(e) := {msg | some aspect in aspects; msg := problem(e, aspect)}

aspects := ["certificate", "chain", "host"]

problem(e, "certificate") := "no certificate was recorded" if not is_object(e.certificate)

problem(e, "chain") := chain_problem(e.certificate) if {
	is_object(e.certificate)
	not e.certificate.chainValid == true
}

problem(e, "host") := concat("", ["certificate does not match host ", lib.text(e.host)]) if {
	is_object(e.certificate)
	not e.certificate.hostnameMatches == true
}

chain_problem(cert) := concat("", ["certificate chain does not validate (", cert.chainError, ")"]) if {
	is_string(cert.chainError)
} else := "certificate chain does not validate"
