package plantproof.checks.database.backups_test

import data.plantproof.checks.database.backups as check

db(overrides) := object.union({"id": "aws:rds:mes", "backupEnabled": true, "backupRetentionDays": 14}, overrides)

test_pass if {
	res := check.results with data.entities as {"database": [db({})]}
	res == [{"resource": "aws:rds:mes", "status": "pass", "message": "backups on, kept 14 days (at least 7 required)"}]
}

test_fail_short_retention_uses_param if {
	res := check.results with data.entities as {"database": [db({})]}
		with input as {"params": {"backupRetentionMinDays": 30}}
	res == [{
		"resource": "aws:rds:mes", "status": "fail",
		"message": "backups are kept 14 days, fewer than the required 30",
	}]
}

test_fail_off if {
	res := check.results with data.entities as {"database": [db({"backupEnabled": false, "backupRetentionDays": 0})]}
	res == [{"resource": "aws:rds:mes", "status": "fail", "message": "automated backups are off"}]
}

test_fail_backups_unknown if {
	res := check.results with data.entities as {"database": [db({"backupEnabled": null})]}
	res == [{"resource": "aws:rds:mes", "status": "fail", "message": "automated backups are not recorded"}]
}

test_fail_retention_unknown if {
	res := check.results with data.entities as {"database": [db({"backupRetentionDays": null})]}
	res == [{"resource": "aws:rds:mes", "status": "fail", "message": "backup retention is not recorded"}]
}

test_not_applicable if {
	res := check.results with data.entities as {"database": []}
	res == []
}

test_pass_at_exact_minimum if {
	res := check.results with data.entities as {"database": [db({"backupRetentionDays": 7})]}
	res == [{"resource": "aws:rds:mes", "status": "pass", "message": "backups on, kept 7 days (at least 7 required)"}]
}
