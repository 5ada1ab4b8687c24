# METADATA
# title: Device endpoints speak TLS 1.3 only
# description: Endpoints with the device role (PLCs, gateways, brokers for machines) accept TLS 1.3 and nothing older.
# custom:
#   id: tls.device_tls13
#   domain: tls
#   severity: medium
#   likelihood: 2
#   impact: 4
#   kinds:
#     - tls_endpoint
#   remediation: >-
#     Restrict the device or broker to TLS 1.3 (for example tls_version tlsv1.3 on Mosquitto, the OPC UA security
#     policy and TLS settings in the device firmware), upgrading firmware where TLS 1.3 is missing.
package plantproof.checks.tls.device_tls13

import data.plantproof.lib

results contains lib.pass(e, "accepts TLS 1.3 only") if {
	some e in devices
	not issues[e.id]
}

results contains lib.fail(e, concat("; ", sort(issues[e.id]))) if {
	some e in devices
	issues[e.id]
}

devices contains e if {
	some e in data.entities.tls_endpoint
	e.reachable == true
	e.role == "device"
}

issues[e.id] contains "does not accept TLS 1.3" if {
	some e in devices
	not "1.3" in e.protocolsAccepted
}

issues[e.id] contains sprintf("also accepts %s", [concat(", ", [sprintf("TLS %s", [v]) | some v in sort(older)])]) if {
	some e in devices
	older := {v | some v in e.protocolsAccepted; v != "1.3"}
	count(older) > 0
}
