package plantproof.checks.storage.public_access_blocked_test

import data.plantproof.checks.storage.public_access_blocked as check

bucket(public) := {"id": "azure:sa:plantdata", "publicAccess": public}

test_pass if {
	res := check.results with data.entities as {"storage": [bucket(false)]}
	res == [{"resource": "azure:sa:plantdata", "status": "pass", "message": "public access is blocked"}]
}

test_fail_public if {
	res := check.results with data.entities as {"storage": [bucket(true)]}
	res == [{"resource": "azure:sa:plantdata", "status": "fail", "message": "public access is allowed"}]
}

test_fail_unknown if {
	res := check.results with data.entities as {"storage": [bucket(null)]}
	res == [{"resource": "azure:sa:plantdata", "status": "fail", "message": "public access setting is not recorded"}]
}

test_not_applicable if {
	res := check.results with data.entities as {"storage": []}
	res == []
}
