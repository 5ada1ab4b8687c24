package plantproof.checks.identity.least_privilege_rbac_test

import data.plantproof.checks.identity.least_privilege_rbac as check

rbac := {
	"functions": ["mes", "historian", "supplier_contracts"],
	"roles": {
		"plant_operator": {"mes": "write", "historian": "read"},
		"buyer": {"supplier_contracts": "write", "mes": "read"},
	},
	"members": [
		{"group": "operators", "role": "plant_operator"},
		{"group": "purchasing", "role": "buyer"},
	],
	"grants": [
		{"role": "Contracts-Editor", "access": {"supplier_contracts": "write"}},
		{"role": "MES-User", "access": {"mes": "write", "historian": "read"}},
		{"role": "Historian-Admin", "access": {"historian": "admin"}},
	],
}

users := [
	{"id": "entra:op1", "username": "op1@plant.example", "email": null, "groups": ["operators"]},
	{"id": "entra:both", "username": "kim@plant.example", "email": null, "groups": ["operators", "purchasing"]},
	{"id": "entra:nogroup", "username": "guest1@plant.example", "email": null, "groups": []},
]

assignment(id, principal, role) := {
	"id": id, "principalId": principal, "principalName": null,
	"principalType": "user", "role": role, "scope": "/",
}

evaluate(assignments) := res if {
	res := check.results with data.entities as {"user": users, "role_assignment": assignments}
		with input as {"rbac": rbac}
}

test_pass_within_matrix if {
	res := evaluate([assignment("ra1", "entra:op1", "MES-User")])
	res == [{
		"resource": "ra1", "status": "pass",
		"message": "role 'MES-User' grants no more than plant_operator may have",
	}]
}

test_fail_function_not_in_role if {
	res := evaluate([assignment("ra1", "entra:op1", "Contracts-Editor")])
	res == [{
		"resource": "ra1", "status": "fail",
		"message": "plant_operator may have none on supplier_contracts; role 'Contracts-Editor' grants write",
	}]
}

test_fail_level_too_high if {
	res := evaluate([assignment("ra1", "entra:op1", "Historian-Admin")])
	res == [{
		"resource": "ra1", "status": "fail",
		"message": "plant_operator may have read on historian; role 'Historian-Admin' grants admin",
	}]
}

test_pass_any_plant_role_allows if {
	res := evaluate([assignment("ra1", "entra:both", "Contracts-Editor")])
	res == [{
		"resource": "ra1", "status": "pass",
		"message": "role 'Contracts-Editor' grants no more than buyer or plant_operator may have",
	}]
}

test_not_applicable_without_grant_or_plant_role if {
	res := evaluate([assignment("ra1", "entra:op1", "Reader"), assignment("ra2", "entra:nogroup", "Contracts-Editor")])
	count(res) == 0
}

test_not_applicable_without_rbac if {
	res := check.results with data.entities as {"user": users, "role_assignment": [assignment("ra1", "entra:op1", "MES-User")]}
		with input as {"rbac": null}
	count(res) == 0
}

test_not_applicable if {
	res := evaluate([])
	count(res) == 0
}

test_one_verdict_per_assignment_in_input_order if {
	res := evaluate([
		assignment("ra1", "entra:op1", "Historian-Admin"),
		assignment("ra2", "entra:nogroup", "MES-User"),
		assignment("ra3", "entra:both", "MES-User"),
	])
	res == [
		{
			"resource": "ra1", "status": "fail",
			"message": "plant_operator may have read on historian; role 'Historian-Admin' grants admin",
		},
		{
			"resource": "ra3", "status": "pass",
			"message": "role 'MES-User' grants no more than buyer or plant_operator may have",
		},
	]
}
