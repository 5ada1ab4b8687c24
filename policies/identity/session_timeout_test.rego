package plantproof.checks.identity.session_timeout_test

import data.plantproof.checks.identity.session_timeout as check

policy(overrides) := object.union(
	{
		"id": "okta:pol:default", "policyType": "sign_on", "active": true,
		"sessionLifetimeMinutes": 480, "idleTimeoutMinutes": 15,
	},
	overrides,
)

fails_with(overrides, message) if {
	res := check.results with data.entities as {"identity_policy": [policy(overrides)]}
	res == [{"resource": "okta:pol:default", "status": "fail", "message": message}]
}

test_pass if {
	res := check.results with data.entities as {"identity_policy": [policy({})]}
	res == [{
		"resource": "okta:pol:default", "status": "pass",
		"message": "session lifetime 480 minutes and idle timeout 15 minutes are within the limits (720 and 30)",
	}]
}

test_fail_long_session if {
	fails_with({"sessionLifetimeMinutes": 1440}, "session lifetime is 1440 minutes, over the 720-minute limit")
}

test_fail_long_idle if {
	fails_with({"idleTimeoutMinutes": 120}, "idle timeout is 120 minutes, over the 30-minute limit")
}

test_fail_limits_from_params if {
	res := check.results with data.entities as {"identity_policy": [policy({})]}
		with input as {"params": {"sessionLifetimeMaxMinutes": 240, "idleTimeoutMaxMinutes": 10}}
	res == [{
		"resource": "okta:pol:default", "status": "fail",
		"message": concat("; ", [
			"idle timeout is 15 minutes, over the 10-minute limit",
			"session lifetime is 480 minutes, over the 240-minute limit",
		]),
	}]
}

test_fail_not_set if {
	fails_with(
		{"sessionLifetimeMinutes": null, "idleTimeoutMinutes": null},
		"idle timeout is not set; session lifetime is not set",
	)
}

test_not_applicable_to_inactive_and_password_policies if {
	policies := [
		policy({"active": false}),
		policy({"id": "okta:pol:pw", "policyType": "password", "idleTimeoutMinutes": null}),
	]
	res := check.results with data.entities as {"identity_policy": policies}
	count(res) == 0
}

test_not_applicable if {
	res := check.results with data.entities as {"identity_policy": []}
	count(res) == 0
}

test_pass_at_limits if {
	p := policy({"sessionLifetimeMinutes": 720, "idleTimeoutMinutes": 30})
	res := check.results with data.entities as {"identity_policy": [p]}
	res == [{
		"resource": "okta:pol:default", "status": "pass",
		"message": "session lifetime 720 minutes and idle timeout 30 minutes are within the limits (720 and 30)",
	}]
}

test_one_verdict_per_policy_in_input_order if {
	policies := [
		policy({"id": "okta:pol:long", "sessionLifetimeMinutes": 1440}),
		policy({"id": "okta:pol:pw", "policyType": "password"}),
		policy({"id": "entra:ca:1", "policyType": "conditional_access"}),
	]
	res := check.results with data.entities as {"identity_policy": policies}
	res == [
		{
			"resource": "okta:pol:long", "status": "fail",
			"message": "session lifetime is 1440 minutes, over the 720-minute limit",
		},
		{
			"resource": "entra:ca:1", "status": "pass",
			"message": "session lifetime 480 minutes and idle timeout 15 minutes are within the limits (720 and 30)",
		},
	]
}
