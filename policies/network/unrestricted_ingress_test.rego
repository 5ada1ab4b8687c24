package plantproof.checks.network.unrestricted_ingress_test

import data.plantproof.checks.network.unrestricted_ingress as check

rule(overrides) := object.union(
	{
		"id": "aws:sg-1:in:0", "direction": "ingress", "action": "allow", "protocol": "tcp",
		"ports": [{"from": 443, "to": 443}, {"from": 8000, "to": 8080}], "sources": ["0.0.0.0/0"], "internetExposed": true,
	},
	overrides,
)

result_for(overrides) := r if {
	res := check.results with data.entities as {"network_rule": [rule(overrides)]}
	count(res) == 1
	some r in res
}

test_pass if {
	result_for({}) == {"resource": "aws:sg-1:in:0", "status": "pass", "message": "allows only port(s) 443, 8000-8080"}
}

test_pass_icmp if {
	r := result_for({"protocol": "icmp", "ports": []})
	r == {"resource": "aws:sg-1:in:0", "status": "pass", "message": "allows ICMP only; no ports are opened"}
}

test_fail_no_ports if {
	r := result_for({"protocol": "all", "ports": []})
	r == {"resource": "aws:sg-1:in:0", "status": "fail", "message": "allows every port (protocol all) from 0.0.0.0/0"}
}

test_fail_full_range if {
	r := result_for({"ports": [{"from": 0, "to": 65535}], "sources": []})
	r == {"resource": "aws:sg-1:in:0", "status": "fail", "message": "allows every port (protocol tcp) from any source"}
}

test_not_applicable_to_internal_rules if {
	res := check.results with data.entities as {"network_rule": [rule({"ports": [], "internetExposed": false})]}
	count(res) == 0
}

test_not_applicable if {
	res := check.results with data.entities as {"network_rule": []}
	count(res) == 0
}

test_fail_range_from_one if {
	r := result_for({"ports": [{"from": 1, "to": 65535}]})
	r.status == "fail"
}

test_pass_range_from_two if {
	r := result_for({"ports": [{"from": 2, "to": 65535}]})
	r == {"resource": "aws:sg-1:in:0", "status": "pass", "message": "allows only port(s) 2-65535"}
}
