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

zone_level[z.id] := z.level if {
	some z in data.entities.zone
}

bridging contains f if {
	some f in data.entities.data_flow
	some [a, b] in [[f.fromZone, f.toZone], [f.toZone, f.fromZone]]
	control_side(a)
	outer_side(b)
}

results contains lib.pass(f, sprintf("passes through the DMZ between %s and %s", ends_text(f))) if {
	some f in bridging
	f.viaDmz == true
}

results contains lib.fail(f, sprintf("flows between %s and %s without passing through the DMZ", ends_text(f))) if {
	some f in bridging
	not f.viaDmz == true
}

control_side(zone_id) if zone_level[zone_id] <= 2

outer_side(zone_id) if is_null(zone_id)

outer_side(zone_id) if zone_level[zone_id] >= 4

outer_side(zone_id) if {
	is_string(zone_id)
	not zone_level[zone_id]
}

ends_text(f) := [end_text(f.fromZone), end_text(f.toZone)]

end_text(zone_id) := "outside the plant" if {
	is_null(zone_id)
} else := sprintf("%s (level %v)", [zone_id, zone_level[zone_id]]) if {
	zone_level[zone_id]
} else := sprintf("undeclared zone %s", [zone_id])
