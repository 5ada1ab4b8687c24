package plantproof.lib_test

import data.plantproof.lib

test_epoch_day if {
	lib.epoch_day("1970-01-01T00:00:00Z") == 0
	lib.epoch_day("2000-03-01") == 11017
	lib.epoch_day("2026-11-22T10:00:00.000Z") == 20779
	lib.epoch_day("2024-02-29") == 19782
}

test_days_since if {
	lib.days_since("2026-08-24T00:00:00Z") == 90 with input.now.date as "2026-11-22"
	lib.days_until("2026-12-22") == 30 with input.now.date as "2026-11-22"
}

users := [
	{"id": "entra:u-1", "username": "ana@plant.example", "email": "ana@plant.example"},
	{"id": "aws:iam:bob", "username": "bob", "email": null},
]

test_principal_users_by_entity_id if {
	found := lib.principal_users({"principalId": "entra:u-1", "principalName": null, "principalType": "user"})
		with data.entities.user as users
	{u.id | some u in found} == {"entra:u-1"}
}

test_principal_users_unknown_principal if {
	found := lib.principal_users({"principalId": "u-1", "principalName": "BOB", "principalType": "user"})
		with data.entities.user as users
	count(found) == 0
}

test_principal_users_ignores_groups if {
	found := lib.principal_users({"principalId": "bob", "principalName": "bob", "principalType": "group"})
		with data.entities.user as users
	count(found) == 0
}

test_rule_opens if {
	lib.rule_opens({"protocol": "tcp", "ports": [{"from": 20, "to": 25}]}, "tcp", 22)
	lib.rule_opens({"protocol": "all", "ports": []}, "udp", 2222)
	lib.rule_opens({"protocol": "-1", "ports": []}, "tcp", 3389)
	not lib.rule_opens({"protocol": "udp", "ports": []}, "tcp", 22)
	not lib.rule_opens({"protocol": "tcp", "ports": [{"from": 80, "to": 443}]}, "tcp", 22)
}

test_param if {
	lib.param("inactiveDays", 90) == 30 with input as {"params": {"inactiveDays": 30}}
	lib.param("inactiveDays", 90) == 90 with input as {"params": {}}
	lib.param("inactiveDays", 90) == 90 with input as {}
	lib.param("inactiveDays", 90) == 90
}

test_epoch_day_tables_match_arithmetic if {
	count(lib.month_starts) == 1200
	every key, days in lib.month_starts {
		days == lib.days_from_civil(to_number(substring(key, 0, 4)), to_number(substring(key, 5, 2)), 1)
	}
	every key, offset in lib.day_offsets {
		offset == to_number(key) - 1
	}
}

test_epoch_day_outside_tables if {
	lib.epoch_day("1969-12-31") == -1
	lib.epoch_day("1989-12-31") == 7304
	lib.epoch_day("1990-01-01") == 7305
	lib.epoch_day("2089-12-31") == 43829
	lib.epoch_day("2090-01-01T00:00:00Z") == 43830
	lib.epoch_day("2200-01-01T00:00:00Z") == 84006
	lib.epoch_day("2024-02-30") == 19783
	lib.epoch_day("2026/11/22") == 20779
}

test_text if {
	lib.text("plain") == "plain"
	lib.text("") == ""
	lib.text("50%") == "50%"
	lib.text(3) == "3"
	lib.text(null) == "null"
	lib.text(true) == "true"
	lib.text(["a"]) == `["a"]`
}

test_number_text if {
	lib.number_text(0) == "0"
	lib.number_text(90) == "90"
	lib.number_text(-10) == "-10"
	lib.number_text(31536000) == "31536000"
	lib.number_text(2.5) == "2.5"
	lib.number_text("x") == `"x"`
	lib.number_text(null) == "null"
}
