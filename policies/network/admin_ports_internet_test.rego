package plantproof.checks.network.admin_ports_internet_test

import data.plantproof.checks.network.admin_ports_internet as check

rule(overrides) := object.union(
	{
		"id": "aws:sg-1:in:0", "direction": "ingress", "action": "allow", "protocol": "tcp",
		"ports": [{"from": 443, "to": 443}], "sources": ["0.0.0.0/0"], "internetExposed": true,
	},
	overrides,
)

result_for(overrides) := r if {
	res := check.results with data.entities as {"network_rule": [rule(overrides)]}
	count(res) == 1
	some r in res
}

test_pass if {
	result_for({}) == {"resource": "aws:sg-1:in:0", "status": "pass", "message": "does not open SSH (22) or RDP (3389)"}
}

test_pass_udp_range if {
	r := result_for({"protocol": "udp", "ports": [{"from": 1, "to": 65535}]})
	r.status == "pass"
}

test_fail_ssh if {
	r := result_for({"ports": [{"from": 22, "to": 22}]})
	r == {"resource": "aws:sg-1:in:0", "status": "fail", "message": "opens SSH (22/tcp) to the internet from 0.0.0.0/0"}
}

test_fail_all_ports if {
	r := result_for({"protocol": "all", "ports": [], "sources": ["0.0.0.0/0", "::/0"]})
	r == {
		"resource": "aws:sg-1:in:0", "status": "fail",
		"message": "opens RDP (3389/tcp), SSH (22/tcp) to the internet from 0.0.0.0/0, ::/0",
	}
}

test_fail_range_covering_rdp if {
	r := result_for({"ports": [{"from": 3000, "to": 4000}]})
	r == {"resource": "aws:sg-1:in:0", "status": "fail", "message": "opens RDP (3389/tcp) to the internet from 0.0.0.0/0"}
}

test_not_applicable_to_internal_egress_and_deny_rules if {
	rules := [
		rule({"ports": [], "internetExposed": false}),
		rule({"id": "r2", "ports": [], "direction": "egress"}),
		rule({"id": "r3", "ports": [], "action": "deny"}),
	]
	res := check.results with data.entities as {"network_rule": rules}
	count(res) == 0
}

test_not_applicable if {
	res := check.results with data.entities as {"network_rule": []}
	count(res) == 0
}

test_fail_without_listed_sources if {
	r := result_for({"ports": [{"from": 22, "to": 22}], "sources": []})
	r == {"resource": "aws:sg-1:in:0", "status": "fail", "message": "opens SSH (22/tcp) to the internet from any source"}
}

test_one_verdict_per_rule_in_input_order if {
	rules := [
		rule({"ports": [{"from": 22, "to": 22}]}),
		rule({"id": "aws:sg-1:in:1"}),
		rule({"id": "aws:sg-1:in:2", "ports": [], "internetExposed": false}),
		rule({"id": "aws:sg-1:in:3", "ports": [{"from": 3389, "to": 3389}], "sources": ["198.51.100.0/24"]}),
	]
	res := check.results with data.entities as {"network_rule": rules}
	res == [
		{"resource": "aws:sg-1:in:0", "status": "fail", "message": "opens SSH (22/tcp) to the internet from 0.0.0.0/0"},
		{"resource": "aws:sg-1:in:1", "status": "pass", "message": "does not open SSH (22) or RDP (3389)"},
		{"resource": "aws:sg-1:in:3", "status": "fail", "message": "opens RDP (3389/tcp) to the internet from 198.51.100.0/24"},
	]
}
