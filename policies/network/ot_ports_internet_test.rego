package plantproof.checks.network.ot_ports_internet_test

import data.plantproof.checks.network.ot_ports_internet as check

rule(overrides) := object.union(
	{
		"id": "azure:nsg-plant:in:100", "direction": "ingress", "action": "allow", "protocol": "tcp",
		"ports": [{"from": 443, "to": 443}], "sources": ["*"], "internetExposed": true,
	},
	overrides,
)

result_for(overrides) := r if {
	res := check.results with data.entities as {"network_rule": [rule(overrides)]}
	count(res) == 1
	some r in res
}

test_pass if {
	r := result_for({})
	r == {"resource": "azure:nsg-plant:in:100", "status": "pass", "message": "opens no industrial protocol port"}
}

test_pass_tcp_does_not_open_udp_only_port if {
	r := result_for({"ports": [{"from": 2222, "to": 2222}]})
	r.status == "pass"
}

test_fail_modbus if {
	r := result_for({"ports": [{"from": 502, "to": 502}]})
	r == {"resource": "azure:nsg-plant:in:100", "status": "fail", "message": "opens Modbus/TCP (502) to the internet"}
}

test_fail_udp_range if {
	r := result_for({"protocol": "udp", "ports": [{"from": 2000, "to": 50000}]})
	r == {
		"resource": "azure:nsg-plant:in:100", "status": "fail",
		"message": concat("", [
			"opens BACnet/IP (47808), DNP3 (20000), EtherNet/IP (44818), ",
			"EtherNet/IP I/O (2222/udp), OPC UA (4840) to the internet",
		]),
	}
}

test_fail_every_port if {
	r := result_for({"protocol": "all", "ports": []})
	r.status == "fail"
	contains(r.message, "MQTT (1883)")
	contains(r.message, "S7comm (102)")
}

test_not_applicable_to_internal_rules if {
	res := check.results with data.entities as {"network_rule": [rule({"ports": [], "internetExposed": false})]}
	count(res) == 0
}

test_not_applicable if {
	res := check.results with data.entities as {"network_rule": []}
	count(res) == 0
}

test_one_verdict_per_rule_in_input_order if {
	rules := [
		rule({"ports": [{"from": 502, "to": 502}]}),
		rule({"id": "azure:nsg-plant:in:110", "internetExposed": false, "ports": []}),
		rule({"id": "azure:nsg-plant:in:120"}),
	]
	res := check.results with data.entities as {"network_rule": rules}
	res == [
		{"resource": "azure:nsg-plant:in:100", "status": "fail", "message": "opens Modbus/TCP (502) to the internet"},
		{"resource": "azure:nsg-plant:in:120", "status": "pass", "message": "opens no industrial protocol port"},
	]
}
