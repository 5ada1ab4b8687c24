# METADATA
# title: Devices run signed firmware
# description: >-
#   Every plant asset has a recorded firmware version and that firmware is cryptographically signed by its vendor.
# custom:
#   id: ot.signed_firmware
#   domain: ot
#   severity: high
#   likelihood: 2
#   impact: 5
#   kinds:
#     - asset
#   remediation: >-
#     Update to a vendor firmware release that is signed and verified at boot or install, turn on signature
#     verification where the device supports it, and record the firmware version in the asset inventory.
package plantproof.checks.ot.signed_firmware

import data.plantproof.lib

# Each asset is judged by functions of that asset alone, so the check stays linear in the number of
# assets (the problems are listed only for assets that have some).
results contains lib.pass(a, concat("", ["runs signed firmware ", a.firmwareVersion])) if {
	some a in data.entities.asset
	not flawed(a)
}

results contains lib.fail(a, concat("; ", sort(problems(a)))) if {
	some a in data.entities.asset
	flawed(a)
}

flawed(a) if {
	some aspect in aspects
	problem(a, aspect)
}

problems(a) := {msg | some aspect in aspects; msg := problem(a, aspect)}

aspects := ["version", "signature"]

problem(a, "version") := "firmware version is not recorded" if not is_string(a.firmwareVersion)

problem(a, "signature") := concat("", ["firmware ", a.firmwareVersion, " is not signed"]) if {
	a.firmwareSigned == false
	is_string(a.firmwareVersion)
} else := "firmware is not signed" if {
	a.firmwareSigned == false
	not is_string(a.firmwareVersion)
} else := "firmware signing is not recorded" if {
	not a.firmwareSigned in lib.booleans
}
