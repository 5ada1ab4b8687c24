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

# One verdict per reachable device endpoint, judged by functions of that endpoint alone, so the check stays linear
# in the number of endpoints.
results := [verdict(e) |
	some e in data.entities.tls_endpoint
	e.reachable == true
	e.role == "device"
]

# Fails with every problem found (the problems are listed only once); passes when the device has none.
verdict(e) := lib.fail(e, concat("; ", sort(found))) if {
	found := problems(e)
	count(found) > 0
} else := lib.pass(e, "accepts TLS 1.3 only")

problems(e) := {msg | some aspect in aspects; msg := problem(e, aspect)}

aspects := ["tls13", "older"]

problem(e, "tls13") := "does not accept TLS 1.3" if not "1.3" in e.protocolsAccepted

problem(e, "older") := concat("", ["also accepts ", versions_text(older)]) if {
	older := {v | some v in e.protocolsAccepted; v != "1.3"}
	count(older) > 0
}

versions_text(versions) := concat(", ", [concat("", ["TLS ", lib.text(v)]) | some v in sort(versions)])
