# METADATA
# title: Databases are backed up and backups are kept
# description: >-
#   Every database has automated backups on, kept at least backupRetentionMinDays days (policy threshold, 7 by
#   default).
# custom:
#   id: database.backups
#   domain: database
#   severity: high
#   likelihood: 3
#   impact: 4
#   kinds:
#     - database
#   remediation: >-
#     Turn on automated backups (backup retention period on RDS, point-in-time restore retention on Azure SQL,
#     scheduled dumps for an on-premises historian) and keep them at least as long as the policy requires.
package plantproof.checks.database.backups

import data.plantproof.lib

min_days := lib.param("backupRetentionMinDays", 7)

# One verdict per database.
results := [verdict(d) | some d in data.entities.database]

# Passes stating the retention kept and required; otherwise fails with the reason.
verdict(d) := lib.pass(d, msg) if {
	compliant(d, min_days)
	msg := concat("", [
		"backups on, kept ", lib.number_text(d.backupRetentionDays),
		" days (at least ", lib.number_text(min_days), " required)",
	])
} else := lib.fail(d, reason(d, min_days))

compliant(d, required) if {
	d.backupEnabled == true
	is_number(d.backupRetentionDays)
	d.backupRetentionDays >= required
}

reason(d, required) := "automated backups are off" if {
	d.backupEnabled == false
} else := "automated backups are not recorded" if {
	not d.backupEnabled == true
} else := "backup retention is not recorded" if {
	not is_number(d.backupRetentionDays)
} else := concat("", [
	"backups are kept ", lib.number_text(d.backupRetentionDays),
	" days, fewer than the required ", lib.number_text(required),
])
