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

allowed := {lower(region) | some region in input.allowedRegions}

allowed_text := concat(", ", sort(allowed))

# One result per storage or database with a region, then one per flow with a destination region;
# none when no allowed regions are configured.
results := array.concat(
	[verdict(e, e.region, "stored in") |
		count(allowed) > 0
		some kind in stored_kinds
		some e in data.entities[kind]
		is_string(e.region)
		e.region != ""
	],
	[verdict(f, f.destinationRegion, "sends data to") |
		count(allowed) > 0
		some f in data.entities.data_flow
		is_string(f.destinationRegion)
		f.destinationRegion != ""
	],
)

stored_kinds := ["storage", "database"]

verdict(e, region, verb) := lib.pass(e, concat("", [verb, " ", region, ", an allowed region"])) if {
	lower(region) in allowed
}

verdict(e, region, verb) := lib.fail(e, msg) if {
	not lower(region) in allowed
	msg := concat("", [verb, " ", region, ", outside the allowed regions (", allowed_text, ")"])
}
