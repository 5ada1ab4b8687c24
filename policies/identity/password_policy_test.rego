package plantproof.checks.identity.password_policy_test

import data.plantproof.checks.identity.password_policy as check

policy(overrides) := object.union(
	{"id": "ldap:pwpolicy", "policyType": "password", "active": true, "passwordMinLength": 14, "lockoutThreshold": 5},
	overrides,
)

fails_with(overrides, message) if {
	res := check.results with data.entities as {"identity_policy": [policy(overrides)]}
	res == [{"resource": "ldap:pwpolicy", "status": "fail", "message": message}]
}

test_pass if {
	res := check.results with data.entities as {"identity_policy": [policy({})]}
	res == [{
		"resource": "ldap:pwpolicy", "status": "pass",
		"message": "minimum length 14, lockout after 5 failed attempts",
	}]
}

test_fail_short if {
	fails_with({"passwordMinLength": 8}, "minimum password length is 8, shorter than 12")
}

test_fail_length_from_params if {
	res := check.results with data.entities as {"identity_policy": [policy({})]}
		with input as {"params": {"passwordMinLength": 16}}
	res == [{"resource": "ldap:pwpolicy", "status": "fail", "message": "minimum password length is 14, shorter than 16"}]
}

test_fail_lockout_too_lenient if {
	fails_with({"lockoutThreshold": 50}, "locks after 50 failed attempts, more than 10")
}

test_fail_lockout_off if {
	fails_with({"lockoutThreshold": 0}, "account lockout is off (threshold 0)")
}

test_fail_not_set if {
	fails_with(
		{"passwordMinLength": null, "lockoutThreshold": null},
		"account lockout is not set; minimum password length is not set",
	)
}

test_not_applicable_to_other_policies if {
	policies := [policy({"policyType": "sign_on"}), policy({"active": false})]
	res := check.results with data.entities as {"identity_policy": policies}
	count(res) == 0
}

test_not_applicable if {
	res := check.results with data.entities as {"identity_policy": []}
	count(res) == 0
}

test_pass_at_limits if {
	p := policy({"passwordMinLength": 12, "lockoutThreshold": 10})
	res := check.results with data.entities as {"identity_policy": [p]}
	res == [{
		"resource": "ldap:pwpolicy", "status": "pass",
		"message": "minimum length 12, lockout after 10 failed attempts",
	}]
}

test_one_verdict_per_policy_in_input_order if {
	policies := [
		policy({"id": "ldap:weak", "passwordMinLength": 8, "lockoutThreshold": 0}),
		policy({"id": "okta:signon", "policyType": "sign_on"}),
		policy({"id": "ldap:strong"}),
	]
	res := check.results with data.entities as {"identity_policy": policies}
	res == [
		{
			"resource": "ldap:weak", "status": "fail",
			"message": "account lockout is off (threshold 0); minimum password length is 8, shorter than 12",
		},
		{"resource": "ldap:strong", "status": "pass", "message": "minimum length 14, lockout after 5 failed attempts"},
	]
}
