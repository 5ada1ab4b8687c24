# METADATA
# title: Audit logs are on
# description: Every audit log (CloudTrail trail, activity-log export, SIEM feed) is enabled and recording.
# custom:
#   id: logging.audit_enabled
#   domain: logging
#   severity: high
#   likelihood: 3
#   impact: 4
#   kinds:
#     - audit_log
#   remediation: >-
#     Start logging on the trail or feed (CloudTrail StartLogging, an Azure diagnostic setting for the activity log,
#     the Okta or Entra log stream to the SIEM) and alert when logging stops.
package plantproof.checks.logging.audit_enabled

import data.plantproof.lib

# One verdict for each audit log.
results := [verdict(l) | some l in data.entities.audit_log]

verdict(l) := lib.pass(l, "audit logging is on") if {
	l.enabled == true
} else := lib.fail(l, reason(l))

reason(l) := "audit logging is off" if {
	l.enabled == false
} else := "whether audit logging is on is not recorded"
