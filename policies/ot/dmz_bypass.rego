# METADATA
# title: Flows between IT and control zones pass through the DMZ
# description: >-
#   Every data flow between an enterprise zone (Purdue level 4 or above) or a party outside the plant and a control
#   zone (level 2 or below) passes through the DMZ; a flow from a control zone to an undeclared zone is held to the
#   same rule, since its level cannot be proven.
# custom:
#   id: ot.dmz_bypass
#   domain: ot
#   severity: critical
#   likelihood: 3
#   impact: 5
#   kinds:
#     - data_flow
#     - zone
#   remediation: >-
#     Route the flow through the industrial DMZ (level 3.5): terminate it on a broker, historian replica or jump host
#     there, and block direct traffic between enterprise and control zones on the firewalls.
package plantproof.checks.ot.dmz_bypass

import data.plantproof.lib

# Zone id -> Purdue level, built once, so each end of a flow is a lookup, not a scan of the zones.
zone_level := {z.id: z.level | some z in data.entities.zone}

# One result per flow between a control zone and an enterprise zone or the outside.
results := [verdict(f) |
	some f in data.entities.data_flow
	bridges(f)
]

bridges(f) if {
	control_side(f.fromZone)
	outer_side(f.toZone)
}

bridges(f) if {
	control_side(f.toZone)
	outer_side(f.fromZone)
}

verdict(f) := lib.pass(f, concat("", ["passes through the DMZ between ", ends_text(f)])) if f.viaDmz == true

verdict(f) := lib.fail(f, concat("", ["flows between ", ends_text(f), " without passing through the DMZ"])) if {
	not f.viaDmz == true
}

control_side(zone_id) if zone_level[zone_id] <= 2

outer_side(zone_id) if is_null(zone_id)

outer_side(zone_id) if zone_level[zone_id] >= 4

outer_side(zone_id) if {
	is_string(zone_id)
	not zone_level[zone_id]
}

ends_text(f) := concat("", [end_text(f.fromZone), " and ", end_text(f.toZone)])

end_text(zone_id) := "outside the plant" if {
	is_null(zone_id)
} else := concat("", [lib.text(zone_id), " (level ", lib.number_text(zone_level[zone_id]), ")"]) if {
	zone_level[zone_id]
} else := concat("", ["undeclared zone ", lib.text(zone_id)])
