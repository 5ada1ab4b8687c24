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

results contains lib.pass(e, sprintf("accepts only %s", [versions_text(e.protocolsAccepted)])) if {
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

issues[e.id] contains sprintf("accepts deprecated %s", [versions_text(legacy)]) if {
	some e in probed
	legacy := {v | some v in e.protocolsAccepted; v in {"1.0", "1.1"}}
	count(legacy) > 0
}

issues[e.id] contains "accepts neither TLS 1.2 nor TLS 1.3" if {
	some e in probed
	not "1.2" in e.protocolsAccepted
	not "1.3" in e.protocolsAccepted
}

versions_text(versions) := concat(", ", [sprintf("TLS %s", [v]) | some v in sort(versions)])
