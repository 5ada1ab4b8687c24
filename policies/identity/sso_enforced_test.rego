package plantproof.checks.identity.sso_enforced_test

import data.plantproof.checks.identity.sso_enforced as check

person(provider, federated) := {
	"id": concat(":", [provider, "u1"]), "provider": provider,
	"userType": "human", "status": "active", "federated": federated,
}

result_for(provider, federated) := r if {
	res := check.results with data.entities as {"user": [person(provider, federated)]}
	count(res) == 1
	some r in res
}

test_pass_federated if {
	r := result_for("aws", true)
	r == {"resource": "aws:u1", "status": "pass", "message": "signs in through federated SSO"}
}

test_pass_sso_directory_account if {
	r := result_for("okta", null)
	r == {"resource": "okta:u1", "status": "pass", "message": "account of the okta SSO directory itself"}
}

test_fail_local_password if {
	r := result_for("entra", false)
	r == {"resource": "entra:u1", "status": "fail", "message": "signs in with a local password instead of federated SSO"}
}

test_fail_unknown_outside_directory if {
	r := result_for("ldap", null)
	r == {"resource": "ldap:u1", "status": "fail", "message": "federated sign-in is not recorded for this ldap account"}
}

test_not_applicable_to_services if {
	svc := object.union(person("aws", false), {"userType": "service"})
	res := check.results with data.entities as {"user": [svc]}
	count(res) == 0
}

test_not_applicable if {
	res := check.results with data.entities as {"user": []}
	count(res) == 0
}
