package plantproof.checks.storage.access_logging_test

import data.plantproof.checks.storage.access_logging as check

account(logging) := {"id": "azure:sa:hist", "storageType": "account", "accessLogging": logging}

test_pass if {
	res := check.results with data.entities as {"storage": [account(true)]}
	res == [{"resource": "azure:sa:hist", "status": "pass", "message": "access logging is on"}]
}

test_fail_off if {
	res := check.results with data.entities as {"storage": [account(false)]}
	res == [{"resource": "azure:sa:hist", "status": "fail", "message": "access logging is off"}]
}

test_fail_unknown if {
	res := check.results with data.entities as {"storage": [account(null)]}
	res == [{"resource": "azure:sa:hist", "status": "fail", "message": "access logging is not recorded"}]
}

test_not_applicable_to_file_shares if {
	share := {"id": "f1", "storageType": "file_share", "accessLogging": false}
	res := check.results with data.entities as {"storage": [share]}
	res == []
}

test_not_applicable if {
	res := check.results with data.entities as {"storage": []}
	res == []
}
