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

# One verdict per database.
results := [verdict(d) | some d in data.entities.database]

# Passes only when encryption at rest is recorded as on; otherwise fails with the reason.
verdict(d) := lib.pass(d, "encrypted at rest") if {
	d.encryptedAtRest == true
} else := lib.fail(d, reason(d))

reason(d) := "encryption at rest is off" if {
	d.encryptedAtRest == false
} else := "encryption at rest is not recorded"
