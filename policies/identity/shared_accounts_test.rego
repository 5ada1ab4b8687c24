package plantproof.checks.identity.shared_accounts_test

import data.plantproof.checks.identity.shared_accounts as check

user(overrides) := object.union({"id": "ldap:u1", "username": "j.doe", "status": "active", "shared": null}, overrides)

result_for(overrides) := r if {
	res := check.results with data.entities as {"user": [user(overrides)]}
	count(res) == 1
	some r in res
}

test_pass_named if {
	result_for({}) == {"resource": "ldap:u1", "status": "pass", "message": "individual, named account"}
}

test_pass_disabled_generic_account if {
	r := result_for({"username": "guest", "status": "disabled"})
	r == {"resource": "ldap:u1", "status": "pass", "message": "generic account name 'guest', but the account is disabled"}
}

test_fail_declared_shared if {
	r := result_for({"shared": true, "status": "disabled"})
	r == {"resource": "ldap:u1", "status": "fail", "message": "declared as a shared account"}
}

test_fail_generic_name if {
	r := result_for({"username": "PLANT\\Operator"})
	r.status == "fail"
	r.message == "generic account name 'operator' cannot be traced to one person"
}

test_fail_generic_email_name if {
	r := result_for({"username": "SCADA@plant.example"})
	r.status == "fail"
	r.message == "generic account name 'scada' cannot be traced to one person"
}

test_fail_declared_shared_with_generic_name_once if {
	r := result_for({"username": "admin", "shared": true})
	r == {"resource": "ldap:u1", "status": "fail", "message": "declared as a shared account"}
}

test_not_applicable if {
	res := check.results with data.entities as {"user": []}
	count(res) == 0
}
