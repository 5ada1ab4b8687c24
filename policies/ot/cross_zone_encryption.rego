# METADATA
# title: Flows that cross zones are encrypted
# description: >-
#   Every data flow between two different zones, or to or from a party outside the plant, is encrypted in transit.
# custom:
#   id: ot.cross_zone_encryption
#   domain: ot
#   severity: high
#   likelihood: 3
#   impact: 4
#   kinds:
#     - data_flow
#   remediation: >-
#     Use the protocol's secure variant (OPC UA SignAndEncrypt, MQTT over TLS, Modbus/TCP Security, HTTPS) or carry the
#     flow through an encrypted tunnel (IPsec, TLS VPN) across the conduit.
package plantproof.checks.ot.cross_zone_encryption

import data.plantproof.lib

# One result per flow that crosses zones.
results := [verdict(f) |
	some f in data.entities.data_flow
	crosses_zones(f)
]

# Pass when the flow is encrypted, otherwise fail naming the zones it crosses between.
verdict(f) := lib.pass(f, concat("", [
	"encrypted between ", zone_text(f.fromZone), " and ", zone_text(f.toZone),
	" (", lib.text(f.protocol), ")",
])) if {
	f.encrypted == true
} else := lib.fail(f, concat("", [
	"crosses from ", zone_text(f.fromZone), " to ", zone_text(f.toZone),
	" unencrypted (", lib.text(f.protocol), ")",
]))

crosses_zones(f) if f.fromZone != f.toZone

crosses_zones(f) if is_null(f.fromZone)

crosses_zones(f) if is_null(f.toZone)

zone_text(zone_id) := zone_id if {
	is_string(zone_id)
} else := "outside the plant"
