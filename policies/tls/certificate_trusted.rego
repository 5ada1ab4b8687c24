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

# One verdict per reachable endpoint, judged by functions of that endpoint alone, so the check stays linear in the
# number of endpoints.
results := [verdict(e) |
	some e in data.entities.tls_endpoint
	e.reachable == true
]

# Fails with every problem found (the problems are listed only once); passes when the certificate has none.
verdict(e) := lib.fail(e, concat("; ", sort(found))) if {
	found := problems(e)
	count(found) > 0
} else := lib.pass(e, concat("", ["certificate chain validates and matches ", lib.text(e.host)]))

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
