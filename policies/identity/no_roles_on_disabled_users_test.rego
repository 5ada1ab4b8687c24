package plantproof.checks.identity.no_roles_on_disabled_users_test

import data.plantproof.checks.identity.no_roles_on_disabled_users as check

users := [
	{"id": "entra:u-1", "username": "ana@plant.example", "email": null, "status": "active"},
	{"id": "entra:u-2", "username": "bo@plant.example", "email": null, "status": "deprovisioned"},
]

assignment(principal, type) := {
	"id": "azure:ra:1", "principalId": principal, "principalName": null,
	"principalType": type, "role": "Contributor", "scope": "/subscriptions/1",
}

evaluate(assignments) := res if {
	res := check.results with data.entities as {"user": users, "role_assignment": assignments}
}

test_pass if {
	res := evaluate([assignment("entra:u-1", "user")])
	res == [{
		"resource": "azure:ra:1", "status": "pass",
		"message": "role 'Contributor' is held by ana@plant.example (active)",
	}]
}

test_fail_deprovisioned if {
	res := evaluate([assignment("entra:u-2", "user")])
	res == [{
		"resource": "azure:ra:1", "status": "fail",
		"message": "role 'Contributor' is still assigned to bo@plant.example (deprovisioned)",
	}]
}

test_not_applicable_to_groups_and_unknown_principals if {
	res := evaluate([assignment("entra:u-2", "group"), object.union(assignment("entra:u-9", "user"), {"id": "azure:ra:2"})])
	count(res) == 0
}

test_not_applicable if {
	res := evaluate([])
	count(res) == 0
}
