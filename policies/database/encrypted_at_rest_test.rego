package plantproof.checks.database.encrypted_at_rest_test

import data.plantproof.checks.database.encrypted_at_rest as check

db(encrypted) := {"id": "aws:rds:mes", "encryptedAtRest": encrypted}

test_pass if {
	res := check.results with data.entities as {"database": [db(true)]}
	res == [{"resource": "aws:rds:mes", "status": "pass", "message": "encrypted at rest"}]
}

test_fail_off if {
	res := check.results with data.entities as {"database": [db(false)]}
	res == [{"resource": "aws:rds:mes", "status": "fail", "message": "encryption at rest is off"}]
}

test_fail_unknown if {
	res := check.results with data.entities as {"database": [db(null)]}
	res == [{"resource": "aws:rds:mes", "status": "fail", "message": "encryption at rest is not recorded"}]
}

test_not_applicable if {
	res := check.results with data.entities as {"database": []}
	res == []
}
