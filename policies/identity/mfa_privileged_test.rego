package plantproof.checks.identity.mfa_privileged_test

import data.plantproof.checks.identity.mfa_privileged as check

admin(overrides) := object.union(
	{
		"id": "entra:admin1", "userType": "human", "status": "active", "privileged": true,
		"mfaEnrolled": true, "mfaEnforced": true, "passwordLastSetAt": null,
	},
	overrides,
)

fails_with(overrides, message) if {
	res := check.results with data.entities as {"user": [admin(overrides)]}
	res == [{"resource": "entra:admin1", "status": "fail", "message": message}]
}

test_pass if {
	res := check.results with data.entities as {"user": [admin({})]}
	res == [{
		"resource": "entra:admin1", "status": "pass",
		"message": "privileged account enrolled in MFA and required to use it at sign-in",
	}]
}

test_fail_not_enrolled if {
	fails_with({"mfaEnrolled": false}, "privileged account not enrolled in MFA")
}

test_fail_not_enforced if {
	fails_with({"mfaEnforced": false}, "MFA is not enforced at sign-in")
}

test_fail_unknown if {
	fails_with({"mfaEnrolled": null}, "MFA enrollment is not recorded")
	fails_with({"mfaEnforced": null}, "MFA enforcement is not recorded")
}

test_fail_service_account_with_console_password if {
	fails_with(
		{"userType": "service", "passwordLastSetAt": "2026-01-01T00:00:00Z", "mfaEnrolled": false, "mfaEnforced": false},
		"MFA is not enforced at sign-in; privileged account not enrolled in MFA",
	)
}

test_not_applicable_to_key_only_services_and_regular_users if {
	users := [
		admin({"userType": "service", "mfaEnrolled": false}),
		admin({"id": "entra:u2", "privileged": false, "mfaEnrolled": false}),
		admin({"id": "entra:u3", "status": "disabled", "mfaEnrolled": false}),
	]
	res := check.results with data.entities as {"user": users}
	count(res) == 0
}

test_not_applicable if {
	res := check.results with data.entities as {"user": []}
	count(res) == 0
}

test_one_verdict_per_account_in_input_order if {
	users := [
		admin({"id": "entra:admin1", "mfaEnforced": false}),
		admin({"id": "entra:u2", "privileged": false, "mfaEnrolled": false}),
		admin({"id": "entra:admin2"}),
	]
	res := check.results with data.entities as {"user": users}
	res == [
		{"resource": "entra:admin1", "status": "fail", "message": "MFA is not enforced at sign-in"},
		{
			"resource": "entra:admin2", "status": "pass",
			"message": "privileged account enrolled in MFA and required to use it at sign-in",
		},
	]
}
