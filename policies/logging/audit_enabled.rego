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

results contains lib.pass(l, "audit logging is on") if {
	some l in data.entities.audit_log
	l.enabled == true
}

results contains lib.fail(l, reason(l)) if {
	some l in data.entities.audit_log
	not l.enabled == true
}

reason(l) := "audit logging is off" if {
	l.enabled == false
} else := "whether audit logging is on is not recorded"
