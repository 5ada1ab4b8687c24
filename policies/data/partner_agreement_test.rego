package plantproof.checks.data.partner_agreement_test

import data.plantproof.checks.data.partner_agreement as check

flow(overrides) := object.union(
	{
		"id": "inventory:flow:quality-to-oem", "externalPartner": "OEM GmbH",
		"classification": "confidential", "agreementOnFile": true,
	},
	overrides,
)

result_for(overrides) := r if {
	res := check.results with data.entities as {"data_flow": [flow(overrides)]}
	count(res) == 1
	some r in res
}

test_pass if {
	r := result_for({})
	r == {
		"resource": "inventory:flow:quality-to-oem", "status": "pass",
		"message": "agreement with OEM GmbH is on file for confidential data",
	}
}

test_fail_no_agreement if {
	r := result_for({"classification": "restricted", "agreementOnFile": false})
	r == {
		"resource": "inventory:flow:quality-to-oem", "status": "fail",
		"message": "no agreement with OEM GmbH is on file for restricted data",
	}
}

test_fail_unknown if {
	r := result_for({"agreementOnFile": null})
	r == {
		"resource": "inventory:flow:quality-to-oem", "status": "fail",
		"message": "whether an agreement with OEM GmbH is on file is not recorded",
	}
}

test_not_applicable_to_internal_or_public_data if {
	flows := [
		flow({"externalPartner": null, "agreementOnFile": null}),
		flow({"id": "inventory:flow:f2", "classification": "internal", "agreementOnFile": false}),
	]
	res := check.results with data.entities as {"data_flow": flows}
	count(res) == 0
}

test_not_applicable if {
	res := check.results with data.entities as {"data_flow": []}
	count(res) == 0
}
