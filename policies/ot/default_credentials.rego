# METADATA
# title: Devices no longer use default credentials
# description: Every plant asset has had its vendor-default passwords, keys and community strings changed.
# custom:
#   id: ot.default_credentials
#   domain: ot
#   severity: critical
#   likelihood: 4
#   impact: 5
#   kinds:
#     - asset
#   remediation: >-
#     Change every default password, SNMP community and key on the device (web UI, engineering tool, maintenance
#     accounts), keep the new secrets in a vault, and record the change in the asset inventory.
package plantproof.checks.ot.default_credentials

import data.plantproof.lib

# One result per asset.
results := [verdict(a) | some a in data.entities.asset]

# Pass when the defaults are recorded as changed, otherwise fail saying why.
verdict(a) := lib.pass(a, "default credentials have been changed") if {
	a.defaultCredentialsChanged == true
} else := lib.fail(a, reason(a))

reason(a) := "still uses the vendor's default credentials" if {
	a.defaultCredentialsChanged == false
} else := "whether default credentials were changed is not recorded"
