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

# One result per asset. Each asset is judged by functions of that asset alone, so the check stays
# linear in the number of assets; its problems are listed once and decide the verdict.
results := [verdict(a, problems(a)) | some a in data.entities.asset]

# Pass when the asset has no firmware problems, fail listing them when it has some. An asset with no
# firmwareVersion field at all has no problems listed and no version to name, so it gets no result.
verdict(a, found) := lib.pass(a, concat("", ["runs signed firmware ", a.firmwareVersion])) if {
	count(found) == 0
} else := lib.fail(a, concat("; ", sort(found))) if {
	count(found) > 0
}

# The firmware problems of one asset; empty when it has none.
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
