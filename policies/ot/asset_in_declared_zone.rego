# METADATA
# title: Every asset sits in a declared zone
# description: Every plant asset is placed in a zone that the inventory declares, so its conduits and level are known.
# custom:
#   id: ot.asset_in_declared_zone
#   domain: ot
#   severity: medium
#   likelihood: 2
#   impact: 3
#   kinds:
#     - asset
#     - zone
#   remediation: >-
#     Declare the zone in the plant inventory (with its Purdue level and conduits) or correct the asset's zone, so
#     segmentation checks cover it.
package plantproof.checks.ot.asset_in_declared_zone

import data.plantproof.lib

# Declared zone ids, built once; membership is an object lookup (`in` on a set is a linear scan in wasm).
declared_zones := {z.id: true | some z in data.entities.zone}

# One result per asset that has a zone field (null or "" counts, and fails); an asset with no zone
# field at all gets no result.
results := [verdict(a, a.zone) | some a in data.entities.asset]

# Pass when the asset's zone is declared, otherwise fail saying why.
verdict(a, zone) := lib.pass(a, concat("", ["in declared zone ", lib.text(zone)])) if {
	declared_zones[zone]
} else := lib.fail(a, reason(a))

reason(a) := concat("", ["zone '", a.zone, "' is not a declared zone"]) if {
	is_string(a.zone)
	a.zone != ""
} else := "zone is not recorded"
