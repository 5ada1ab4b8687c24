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

cloud_account_types := {"cloud_account", "subscription"}

# Accounts with an enabled multi-region log, and the [account, region] pairs enabled logs cover, each
# built once, so whether a region is covered is a lookup, not a scan of the logs (nor of a set: `in`
# on a set is a linear scan in wasm, an index lookup is not).
multi_region_accounts := {l.accountId: true |
	some l in data.entities.audit_log
	l.enabled == true
	l.multiRegion == true
}

covered_regions := listed_regions | home_regions

listed_regions := {[l.accountId, region] |
	some l in data.entities.audit_log
	l.enabled == true
	some region in l.regions
}

home_regions := {[l.accountId, l.region] | some l in data.entities.audit_log; l.enabled == true}

# One verdict for each cloud account or subscription with regions in scope, with its uncovered
# regions listed once.
results := [verdict(a, uncovered(a)) |
	some a in data.entities.account
	assessed(a)
]

# Each account is judged by lookups for its own regions, so the check stays linear in the number of
# accounts and logs. Fails listing the uncovered regions; passes only when there are none.
verdict(a, missing) := lib.fail(a, concat("", ["no enabled audit log covers ", concat(", ", sort(missing))])) if {
	count(missing) > 0
} else := lib.pass(a, msg) if {
	count(missing) == 0
	msg := concat("", ["every region in scope (", concat(", ", sort(a.regions)), ") is covered by an enabled audit log"])
}

assessed(a) if {
	a.accountType in cloud_account_types
	count(a.regions) > 0
}

uncovered(a) := {region | some region in a.regions; not covered(a, region)}

# The account is passed whole: a field of it as the argument of a negated call would make the whole
# body undefined when the field is missing, rather than the call.
covered(account, _) if multi_region_accounts[account.accountId]

covered(account, region) if covered_regions[[account.accountId, region]]
