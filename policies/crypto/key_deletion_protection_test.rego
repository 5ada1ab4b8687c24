package plantproof.checks.crypto.key_deletion_protection_test

import data.plantproof.checks.crypto.key_deletion_protection as check

key(overrides) := object.union(
	{
		"id": "azure:key:k1", "managedBy": "customer", "enabled": true,
		"softDelete": true, "purgeProtection": true,
	},
	overrides,
)

results_for(keys) := res if {
	res := check.results with data.entities as {"key": keys}
}

test_pass_protected if {
	results_for([key({})]) == [{
		"resource": "azure:key:k1", "status": "pass",
		"message": "a deleted key stays recoverable and cannot be purged early",
	}]
}

test_pass_disabled_key_is_still_judged if {
	[r] := results_for([key({"enabled": false})])
	r.status == "pass"
}

test_fail_purge_protection_off if {
	results_for([key({"purgeProtection": false})]) == [{
		"resource": "azure:key:k1", "status": "fail",
		"message": "purge protection is off: a deleted key can be purged before its retention ends",
	}]
}

test_fail_both_off_lists_both if {
	[r] := results_for([key({"softDelete": false, "purgeProtection": false})])
	r.message == concat("; ", [
		"purge protection is off: a deleted key can be purged before its retention ends",
		"soft delete is off: a deleted key is gone at once",
	])
}

test_fail_not_recorded if {
	[r] := results_for([key({"softDelete": null, "purgeProtection": null})])
	r.status == "fail"
	r.message == "purge protection is not recorded; soft delete is not recorded"
}

test_one_verdict_per_key_in_order if {
	res := results_for([
		key({"id": "k1"}),
		key({"id": "k2", "softDelete": false}),
		key({"id": "k3", "managedBy": "provider", "softDelete": false}),
	])
	[r.resource | some r in res] == ["k1", "k2"]
	[r.status | some r in res] == ["pass", "fail"]
}

test_not_applicable_without_customer_keys if {
	results_for([key({"managedBy": "provider"})]) == []
	results_for([]) == []
}
