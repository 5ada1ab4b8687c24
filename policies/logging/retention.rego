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

# One verdict for each enabled audit log, with its problems listed once.
results := [verdict(l, problems(l)) |
	some l in data.entities.audit_log
	l.enabled == true
]

# Each log is judged by functions of that log alone, so the check stays linear in the number of logs.
# Fails listing the problems found; passes only when there are none.
verdict(l, found) := lib.fail(l, concat("; ", sort(found))) if {
	count(found) > 0
} else := lib.pass(l, msg) if {
	count(found) == 0
	needed := max({required_days[c] | some c in l.categories})
	msg := concat("", [
		"retention of ", lib.number_text(l.retentionDays),
		" days meets the ", lib.number_text(needed), " days its categories need",
	])
}

problems(l) := {msg | some aspect in aspects; msg := problem(l, aspect)}

aspects := ["retention", "categories", "short"]

problem(l, "retention") := "retention is not recorded" if not is_number(l.retentionDays)

problem(l, "categories") := "categories are not recorded" if count(l.categories) == 0

problem(l, "short") := msg if {
	is_number(l.retentionDays)
	short := {concat("", [c, " needs ", lib.number_text(days)]) |
		some c in l.categories
		days := required_days[c]
		l.retentionDays < days
	}
	count(short) > 0
	msg := concat("", ["retention is ", lib.number_text(l.retentionDays), " days; ", concat(", ", sort(short))])
}
