# METADATA
# title: Plant data stays in allowed regions
# description: >-
#   When the configuration lists allowed regions (data.allowedRegions), every storage and database with a region,
#   and every data flow with a destination region, is in one of them (compared case-insensitively).
# custom:
#   id: data.allowed_regions
#   domain: data
#   severity: high
#   likelihood: 2
#   impact: 4
#   kinds:
#     - storage
#     - database
#     - data_flow
#   remediation: >-
#     Move the data to an allowed region (replicate, then delete the original), or, if the region is acceptable,
#     add it to data.allowedRegions after review; enforce the list with an AWS SCP on aws:RequestedRegion or an Azure
#     Policy "Allowed locations" assignment.
package plantproof.checks.data.allowed_regions

import data.plantproof.lib

allowed contains lower(region) if {
	some region in input.allowedRegions
}

located contains {"entity": e, "region": e.region, "verb": "stored in"} if {
	some kind in ["storage", "database"]
	some e in data.entities[kind]
	is_string(e.region)
	e.region != ""
}

located contains {"entity": f, "region": f.destinationRegion, "verb": "sends data to"} if {
	some f in data.entities.data_flow
	is_string(f.destinationRegion)
	f.destinationRegion != ""
}

results contains lib.pass(item.entity, sprintf("%s %s, an allowed region", [item.verb, item.region])) if {
	count(allowed) > 0
	some item in located
	lower(item.region) in allowed
}

results contains lib.fail(item.entity, msg) if {
	count(allowed) > 0
	some item in located
	not lower(item.region) in allowed
	msg := sprintf("%s %s, outside the allowed regions (%s)", [item.verb, item.region, concat(", ", sort(allowed))])
}
