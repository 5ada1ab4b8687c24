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

results contains lib.pass(a, sprintf("runs signed firmware %s", [a.firmwareVersion])) if {
	some a in data.entities.asset
	not issues[a.id]
}

results contains lib.fail(a, concat("; ", sort(issues[a.id]))) if {
	some a in data.entities.asset
	issues[a.id]
}

issues[a.id] contains "firmware version is not recorded" if {
	some a in data.entities.asset
	not is_string(a.firmwareVersion)
}

issues[a.id] contains sprintf("firmware %s is not signed", [a.firmwareVersion]) if {
	some a in data.entities.asset
	a.firmwareSigned == false
	is_string(a.firmwareVersion)
}

issues[a.id] contains "firmware is not signed" if {
	some a in data.entities.asset
	a.firmwareSigned == false
	not is_string(a.firmwareVersion)
}

issues[a.id] contains "firmware signing is not recorded" if {
	some a in data.entities.asset
	not a.firmwareSigned in {true, false}
}
