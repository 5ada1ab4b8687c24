package plantproof.checks.identity.directory_secure_bind_test

import data.plantproof.checks.identity.directory_secure_bind as check

directory(transport) := {"id": "ldap:dc=plant", "accountType": "directory", "transportSecurity": transport}

result_for(transport) := r if {
	res := check.results with data.entities as {"account": [directory(transport)]}
	count(res) == 1
	some r in res
}

test_pass_tls if {
	result_for("tls") == {"resource": "ldap:dc=plant", "status": "pass", "message": "bound over TLS"}
}

test_pass_starttls if {
	result_for("starttls") == {"resource": "ldap:dc=plant", "status": "pass", "message": "bound over StartTLS"}
}

test_fail_plaintext if {
	r := result_for("none")
	r == {"resource": "ldap:dc=plant", "status": "fail", "message": "binds in plaintext, without TLS or StartTLS"}
}

test_fail_unknown if {
	r := result_for(null)
	r == {"resource": "ldap:dc=plant", "status": "fail", "message": "transport security of the bind is not recorded"}
}

test_not_applicable_to_cloud_accounts if {
	acct := {"id": "aws:123", "accountType": "cloud_account", "transportSecurity": null}
	res := check.results with data.entities as {"account": [acct]}
	count(res) == 0
}

test_not_applicable if {
	res := check.results with data.entities as {"account": []}
	count(res) == 0
}
