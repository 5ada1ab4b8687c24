package plantproof.checks.database.not_public_test

import data.plantproof.checks.database.not_public as check

db(public) := {"id": "aws:rds:mes", "publiclyAccessible": public}

test_pass if {
	res := check.results with data.entities as {"database": [db(false)]}
	res == [{"resource": "aws:rds:mes", "status": "pass", "message": "not publicly accessible"}]
}

test_fail_public if {
	res := check.results with data.entities as {"database": [db(true)]}
	res == [{"resource": "aws:rds:mes", "status": "fail", "message": "publicly accessible from the internet"}]
}

test_fail_unknown if {
	res := check.results with data.entities as {"database": [db(null)]}
	res == [{"resource": "aws:rds:mes", "status": "fail", "message": "public accessibility is not recorded"}]
}

test_not_applicable if {
	res := check.results with data.entities as {"database": []}
	res == []
}
