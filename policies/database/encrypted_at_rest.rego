# METADATA
# title: Databases are encrypted at rest
# description: Managed databases and historian databases encrypt their data files, snapshots and backups at rest.
# custom:
#   id: database.encrypted_at_rest
#   domain: database
#   severity: high
#   likelihood: 2
#   impact: 4
#   kinds:
#     - database
#   remediation: >-
#     Turn on storage encryption (RDS encryption, Azure SQL transparent data encryption, TDE or encrypted volumes for
#     an on-premises historian); an unencrypted RDS instance has to be restored from an encrypted snapshot copy.
package plantproof.checks.database.encrypted_at_rest

import data.plantproof.lib

results contains lib.pass(d, "encrypted at rest") if {
	some d in data.entities.database
	d.encryptedAtRest == true
}

results contains lib.fail(d, reason(d)) if {
	some d in data.entities.database
	not d.encryptedAtRest == true
}

reason(d) := "encryption at rest is off" if {
	d.encryptedAtRest == false
} else := "encryption at rest is not recorded"
