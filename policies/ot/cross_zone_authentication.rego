# METADATA
# title: Flows that cross zones are authenticated
# description: >-
#   Every data flow between two different zones, or to or from a party outside the plant, authenticates both ends.
# custom:
#   id: ot.cross_zone_authentication
#   domain: ot
#   severity: high
#   likelihood: 3
#   impact: 5
#   kinds:
#     - data_flow
#   remediation: >-
#     Authenticate the endpoints of the flow (OPC UA application certificates, MQTT client certificates or
#     credentials, mutual TLS, an authenticated VPN between the zones) and reject anonymous sessions.
package plantproof.checks.ot.cross_zone_authentication

import data.plantproof.lib

# One result per flow that crosses zones.
results := [verdict(f) |
	some f in data.entities.data_flow
	crosses_zones(f)
]

# Pass when the flow is authenticated, otherwise fail naming the zones it crosses between.
verdict(f) := lib.pass(f, concat("", [
	"authenticated between ", zone_text(f.fromZone), " and ", zone_text(f.toZone),
	" (", lib.text(f.protocol), ")",
])) if {
	f.authenticated == true
} else := lib.fail(f, concat("", [
	"crosses from ", zone_text(f.fromZone), " to ", zone_text(f.toZone),
	" without authentication (", lib.text(f.protocol), ")",
]))

crosses_zones(f) if f.fromZone != f.toZone

crosses_zones(f) if is_null(f.fromZone)

crosses_zones(f) if is_null(f.toZone)

zone_text(zone_id) := zone_id if {
	is_string(zone_id)
} else := "outside the plant"
