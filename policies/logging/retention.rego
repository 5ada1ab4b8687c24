# METADATA
# title: Audit logs are kept long enough
# description: >-
#   Every enabled audit log keeps its records at least as long as its categories require: authentication and data
#   access 365 days, configuration and data modification 730 days, security 1095 days.
# custom:
#   id: logging.retention
#   domain: logging
#   severity: medium
#   likelihood: 2
#   impact: 3
#   kinds:
#     - audit_log
#   remediation: >-
#     Raise the retention of the log destination (S3 lifecycle rules on the CloudTrail bucket, Log Analytics or storage
#     account retention for Azure, SIEM retention for Okta and Entra logs) to the longest period its categories need.
package plantproof.checks.logging.retention

import data.plantproof.lib

required_days := {
	"authentication": 365,
	"data_access": 365,
	"configuration": 730,
	"data_modification": 730,
	"security": 1095,
}

enabled_logs contains l if {
	some l in data.entities.audit_log
	l.enabled == true
}

results contains lib.pass(l, msg) if {
	some l in enabled_logs
	not issues[l.id]
	needed := max({required_days[c] | some c in l.categories})
	msg := sprintf("retention of %v days meets the %v days its categories need", [l.retentionDays, needed])
}

results contains lib.fail(l, concat("; ", sort(issues[l.id]))) if {
	some l in enabled_logs
	issues[l.id]
}

issues[l.id] contains "retention is not recorded" if {
	some l in enabled_logs
	not is_number(l.retentionDays)
}

issues[l.id] contains "categories are not recorded" if {
	some l in enabled_logs
	count(l.categories) == 0
}

issues[l.id] contains sprintf("retention is %v days; %s", [l.retentionDays, concat(", ", sort(short))]) if {
	some l in enabled_logs
	is_number(l.retentionDays)
	short := {sprintf("%s needs %v", [c, required_days[c]]) |
		some c in l.categories
		l.retentionDays < required_days[c]
	}
	count(short) > 0
}
