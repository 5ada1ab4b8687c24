# METADATA
# title: Audit logs are tamper-evident
# description: >-
#   Every enabled audit log validates the integrity of its files (digests or signatures), so tampering can be
#   detected.
# custom:
#   id: logging.integrity_validation
#   domain: logging
#   severity: medium
#   likelihood: 2
#   impact: 3
#   kinds:
#     - audit_log
#   remediation: >-
#     Turn on log file integrity validation (CloudTrail log file validation), or ship logs to a store or SIEM that
#     signs or hash-chains what it receives.
package plantproof.checks.logging.integrity_validation

import data.plantproof.lib

# One verdict for each enabled audit log.
results := [verdict(l) |
	some l in data.entities.audit_log
	l.enabled == true
]

verdict(l) := lib.pass(l, "integrity validation is on") if l.integrityValidation == true

verdict(l) := lib.fail(l, reason(l)) if not l.integrityValidation == true

reason(l) := "integrity validation is off" if {
	l.integrityValidation == false
} else := "integrity validation is not recorded"
