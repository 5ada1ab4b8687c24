# METADATA
# title: Audit logging covers every region in scope
# description: >-
#   For every cloud account or subscription with regions in scope, each region is covered by an enabled audit log of
#   the same account that is multi-region or lists that region.
# custom:
#   id: logging.all_regions
#   domain: logging
#   severity: medium
#   likelihood: 2
#   impact: 3
#   kinds:
#     - account
#     - audit_log
#   remediation: >-
#     Make the trail multi-region (or an organization trail) in AWS CloudTrail, export the Azure activity log of every
#     subscription, or add a log for each region that is missing.
package plantproof.checks.logging.all_regions

import data.plantproof.lib

cloud_accounts contains a if {
	some a in data.entities.account
	a.accountType in {"cloud_account", "subscription"}
	count(a.regions) > 0
}

uncovered[a.id] contains region if {
	some a in cloud_accounts
	some region in a.regions
	not covered(a, region)
}

results contains lib.pass(a, msg) if {
	some a in cloud_accounts
	not uncovered[a.id]
	msg := sprintf("every region in scope (%s) is covered by an enabled audit log", [concat(", ", sort(a.regions))])
}

results contains lib.fail(a, msg) if {
	some a in cloud_accounts
	uncovered[a.id]
	msg := sprintf("no enabled audit log covers %s", [concat(", ", sort(uncovered[a.id]))])
}

covered(account, _) if {
	some l in account_logs(account)
	l.multiRegion == true
}

covered(account, region) if {
	some l in account_logs(account)
	region in l.regions
}

covered(account, region) if {
	some l in account_logs(account)
	l.region == region
}

account_logs(account) := {l |
	some l in data.entities.audit_log
	l.enabled == true
	l.accountId == account.accountId
}
