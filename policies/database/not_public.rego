# METADATA
# title: Databases are not publicly accessible
# description: No database accepts connections from the internet; it is reachable only from private networks.
# custom:
#   id: database.not_public
#   domain: database
#   severity: critical
#   likelihood: 3
#   impact: 5
#   kinds:
#     - database
#   remediation: >-
#     Turn off public accessibility (PubliclyAccessible false on RDS, public network access disabled with private
#     endpoints on Azure SQL) and reach the database through a private network or bastion.
package plantproof.checks.database.not_public

import data.plantproof.lib

# One verdict per database.
results := [verdict(d) | some d in data.entities.database]

# Passes only when public access is recorded as off; otherwise fails with the reason.
verdict(d) := lib.pass(d, "not publicly accessible") if {
	d.publiclyAccessible == false
} else := lib.fail(d, reason(d))

reason(d) := "publicly accessible from the internet" if {
	d.publiclyAccessible == true
} else := "public accessibility is not recorded"
