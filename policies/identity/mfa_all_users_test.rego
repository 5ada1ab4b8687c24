package plantproof.checks.identity.mfa_all_users_test

import data.plantproof.checks.identity.mfa_all_users as check

person(overrides) := object.union(
	{"id": "okta:u1", "userType": "human", "status": "active", "mfaEnrolled": true, "mfaEnforced": true},
	overrides,
)

fails_with(overrides, message) if {
	res := check.results with data.entities as {"user": [person(overrides)]}
	res == [{"resource": "okta:u1", "status": "fail", "message": message}]
}

test_pass if {
	res := check.results with data.entities as {"user": [person({})]}
	res == [{"resource": "okta:u1", "status": "pass", "message": "enrolled in MFA and required to use it at sign-in"}]
}

test_fail_not_enrolled if {
	fails_with({"mfaEnrolled": false}, "not enrolled in MFA")
}

test_fail_not_enforced if {
	fails_with({"mfaEnforced": false}, "MFA is not enforced at sign-in")
}

test_fail_unknown if {
	fails_with(
		{"mfaEnrolled": null, "mfaEnforced": null},
		"MFA enforcement is not recorded; MFA enrollment is not recorded",
	)
}

test_not_applicable_to_services_and_inactive_users if {
	users := [person({"userType": "service", "mfaEnrolled": false}), person({"id": "okta:u2", "status": "deprovisioned"})]
	res := check.results with data.entities as {"user": users}
	count(res) == 0
}

test_not_applicable if {
	res := check.results with data.entities as {"user": []}
	count(res) == 0
}

test_one_verdict_per_person_in_input_order if {
	users := [
		person({"id": "okta:u1", "mfaEnrolled": false, "mfaEnforced": false}),
		person({"id": "okta:svc", "userType": "service"}),
		person({"id": "okta:u2"}),
	]
	res := check.results with data.entities as {"user": users}
	res == [
		{"resource": "okta:u1", "status": "fail", "message": "MFA is not enforced at sign-in; not enrolled in MFA"},
		{"resource": "okta:u2", "status": "pass", "message": "enrolled in MFA and required to use it at sign-in"},
	]
}
