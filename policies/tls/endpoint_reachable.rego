# METADATA
# title: TLS endpoints could be probed
# description: >-
#   Every configured TLS endpoint answered the probe, so no endpoint's TLS settings pass unverified because it was
#   down or blocked.
# custom:
#   id: tls.endpoint_reachable
#   domain: tls
#   severity: medium
#   likelihood: 2
#   impact: 3
#   kinds:
#     - tls_endpoint
#   remediation: >-
#     Check the host name, port and the firewall path from the collector to the endpoint, or remove an endpoint that
#     was decommissioned from the plantproof configuration.
package plantproof.checks.tls.endpoint_reachable

import data.plantproof.lib

# One verdict per configured endpoint.
results := [verdict(e) | some e in data.entities.tls_endpoint]

# Passes when the probe reached the endpoint; anything else (false, null, not recorded) fails.
verdict(e) := lib.pass(e, concat("", [address(e), " was reached and probed"])) if {
	e.reachable == true
} else := lib.fail(e, concat("", [address(e), " could not be reached, so its TLS configuration is unverified"]))

address(e) := concat("", [lib.text(e.host), ":", lib.number_text(e.port)])
