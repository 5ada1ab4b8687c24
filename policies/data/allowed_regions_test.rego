package plantproof.checks.data.allowed_regions_test

import data.plantproof.checks.data.allowed_regions as check

entities := {
	"storage": [
		{"id": "aws:s3:eu", "region": "eu-central-1"},
		{"id": "aws:s3:us", "region": "us-east-1"},
	],
	"database": [
		{"id": "azure:sql:hist", "region": "WestEurope"},
		{"id": "inventory:historian", "region": ""},
	],
	"data_flow": [
		{"id": "inventory:flow:cloud", "destinationRegion": "us-west-2"},
		{"id": "inventory:flow:local", "destinationRegion": null},
	],
}

test_pass_and_fail_per_entity if {
	res := check.results with data.entities as entities
		with input as {"allowedRegions": ["eu-central-1", "westeurope"]}
	res == [
		{"resource": "aws:s3:eu", "status": "pass", "message": "stored in eu-central-1, an allowed region"},
		{
			"resource": "aws:s3:us", "status": "fail",
			"message": "stored in us-east-1, outside the allowed regions (eu-central-1, westeurope)",
		},
		{"resource": "azure:sql:hist", "status": "pass", "message": "stored in WestEurope, an allowed region"},
		{
			"resource": "inventory:flow:cloud", "status": "fail",
			"message": "sends data to us-west-2, outside the allowed regions (eu-central-1, westeurope)",
		},
	]
}

test_not_applicable_without_allowed_regions if {
	count(check.results) == 0 with data.entities as entities with input as {"allowedRegions": []}
	count(check.results) == 0 with data.entities as entities with input as {}
}

test_not_applicable if {
	res := check.results with data.entities as {"storage": [], "database": [], "data_flow": []}
		with input as {"allowedRegions": ["eu-central-1"]}
	count(res) == 0
}
