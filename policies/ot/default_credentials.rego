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

results contains lib.pass(a, "default credentials have been changed") if {
	some a in data.entities.asset
	a.defaultCredentialsChanged == true
}

results contains lib.fail(a, reason(a)) if {
	some a in data.entities.asset
	not a.defaultCredentialsChanged == true
}

reason(a) := "still uses the vendor's default credentials" if {
	a.defaultCredentialsChanged == false
} else := "whether default credentials were changed is not recorded"
