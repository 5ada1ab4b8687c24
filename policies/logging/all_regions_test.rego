package plantproof.checks.logging.all_regions_test

import data.plantproof.checks.logging.all_regions as check

account := {
	"id": "aws:111122223333", "accountId": "111122223333", "accountType": "cloud_account",
	"regions": ["eu-central-1", "eu-west-1", "us-east-1"],
}

trail(overrides) := object.union(
	{
		"id": "aws:cloudtrail:main", "accountId": "111122223333", "enabled": true,
		"multiRegion": false, "regions": [], "region": "eu-central-1",
	},
	overrides,
)

evaluate(trails) := res if {
	res := check.results with data.entities as {"account": [account], "audit_log": trails}
}

test_pass_multi_region if {
	res := evaluate([trail({"multiRegion": true})])
	res == [{
		"resource": "aws:111122223333", "status": "pass",
		"message": "every region in scope (eu-central-1, eu-west-1, us-east-1) is covered by an enabled audit log",
	}]
}

test_pass_regional_logs if {
	res := evaluate([
		trail({"regions": ["eu-west-1"]}),
		trail({"id": "aws:cloudtrail:us", "region": "us-east-1"}),
	])
	res == [{
		"resource": "aws:111122223333", "status": "pass",
		"message": "every region in scope (eu-central-1, eu-west-1, us-east-1) is covered by an enabled audit log",
	}]
}

test_fail_uncovered_regions if {
	res := evaluate([trail({})])
	res == [{
		"resource": "aws:111122223333", "status": "fail",
		"message": "no enabled audit log covers eu-west-1, us-east-1",
	}]
}

test_fail_disabled_or_foreign_logs_do_not_count if {
	res := evaluate([
		trail({"multiRegion": true, "enabled": false}),
		trail({"id": "aws:cloudtrail:other", "multiRegion": true, "accountId": "999999999999"}),
	])
	res == [{
		"resource": "aws:111122223333", "status": "fail",
		"message": "no enabled audit log covers eu-central-1, eu-west-1, us-east-1",
	}]
}

test_not_applicable_without_regions_or_to_directories if {
	accounts := [
		object.union(account, {"regions": []}),
		{"id": "ldap:dc", "accountType": "directory", "regions": ["onprem"]},
	]
	res := check.results with data.entities as {"account": accounts, "audit_log": []}
	count(res) == 0
}

test_not_applicable if {
	res := check.results with data.entities as {"account": [], "audit_log": []}
	count(res) == 0
}

test_one_verdict_per_account_in_input_order if {
	accounts := [
		account,
		{"id": "ldap:dc", "accountType": "directory", "regions": ["onprem"]},
		{"id": "azure:sub1", "accountId": "sub1", "accountType": "subscription", "regions": ["westeurope"]},
	]
	logs := [trail({"multiRegion": true, "accountId": "sub1"})]
	res := check.results with data.entities as {"account": accounts, "audit_log": logs}
	res == [
		{
			"resource": "aws:111122223333", "status": "fail",
			"message": "no enabled audit log covers eu-central-1, eu-west-1, us-east-1",
		},
		{
			"resource": "azure:sub1", "status": "pass",
			"message": "every region in scope (westeurope) is covered by an enabled audit log",
		},
	]
}
