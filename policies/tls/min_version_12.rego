# METADATA
# title: TLS endpoints refuse TLS 1.0 and 1.1
# description: Every reachable TLS endpoint accepts TLS 1.2 or 1.3 and refuses the deprecated TLS 1.0 and 1.1.
# custom:
#   id: tls.min_version_12
#   domain: tls
#   severity: high
#   likelihood: 3
#   impact: 4
#   kinds:
#     - tls_endpoint
#   remediation: >-
#     Set the minimum protocol to TLS 1.2 on the server or load balancer (an ELBSecurityPolicy-TLS13-1-2 policy on
#     AWS, minimum TLS version 1.2 on Azure App Service and Front Door, ssl_protocols on nginx).
package plantproof.checks.tls.min_version_12

import data.plantproof.lib

# One verdict per reachable endpoint, judged by functions of that endpoint alone, so the check stays linear in the
# number of endpoints.
results := [verdict(e) |
	some e in data.entities.tls_endpoint
	e.reachable == true
]

# Fails with every problem found (the problems are listed only once); passes with the versions accepted otherwise.
verdict(e) := lib.fail(e, concat("; ", sort(found))) if {
	found := problems(e)
	count(found) > 0
} else := lib.pass(e, concat("", ["accepts only ", versions_text(e.protocolsAccepted)]))

problems(e) := {msg | some aspect in aspects; msg := problem(e, aspect)}

aspects := ["deprecated", "modern"]

problem(e, "deprecated") := concat("", ["accepts deprecated ", versions_text(legacy)]) if {
	legacy := {v | some v in e.protocolsAccepted; v in deprecated_versions}
	count(legacy) > 0
}

problem(e, "modern") := "accepts neither TLS 1.2 nor TLS 1.3" if {
	not "1.2" in e.protocolsAccepted
	not "1.3" in e.protocolsAccepted
}

deprecated_versions := {"1.0", "1.1"}

versions_text(versions) := concat(", ", [concat("", ["TLS ", lib.text(v)]) | some v in sort(versions)])
