# METADATA
# title: Security logs are immutable
# description: >-
#   Every enabled audit log that carries security events is stored write-once, so an intruder cannot erase their
#   tracks.
# custom:
#   id: logging.immutable
#   domain: logging
#   severity: medium
#   likelihood: 2
#   impact: 4
#   kinds:
#     - audit_log
#   remediation: >-
#     Store the log write-once (S3 Object Lock in compliance mode on the CloudTrail bucket, an immutability policy
#     on the Azure storage container, a WORM tier in the SIEM) for at least its retention period.
package plantproof.checks.logging.immutable

import data.plantproof.lib

# One verdict for each enabled audit log that carries security events.
results := [verdict(l) |
	some l in data.entities.audit_log
	l.enabled == true
	"security" in l.categories
]

verdict(l) := lib.pass(l, "stored immutably (write-once)") if l.immutable == true

verdict(l) := lib.fail(l, reason(l)) if not l.immutable == true

reason(l) := "not stored immutably; records can be changed or deleted" if {
	l.immutable == false
} else := "immutability is not recorded"
