# METADATA
# title: Internet ingress is limited to specific ports
# description: >-
#   No internet-exposed ingress allow rule opens every port (no ports listed, or a range from 0 or 1 to 65535);
#   ICMP-only rules carry no ports and pass.
# custom:
#   id: network.unrestricted_ingress
#   domain: network
#   severity: high
#   likelihood: 4
#   impact: 4
#   kinds:
#     - network_rule
#   remediation: >-
#     Replace the rule with rules for the specific ports the service needs (security group or NSG rules per port),
#     or put the service behind a load balancer or application gateway.
package plantproof.checks.network.unrestricted_ingress

import data.plantproof.lib

exposed contains r if {
	some r in data.entities.network_rule
	r.direction == "ingress"
	r.action == "allow"
	r.internetExposed == true
}

results contains lib.pass(r, "allows ICMP only; no ports are opened") if {
	some r in exposed
	icmp(r)
}

results contains lib.pass(r, sprintf("allows only port(s) %s", [ports_text(r.ports)])) if {
	some r in exposed
	not icmp(r)
	not every_port(r.ports)
}

results contains lib.fail(r, sprintf("allows every port (protocol %s) from %s", [r.protocol, sources_text(r)])) if {
	some r in exposed
	not icmp(r)
	every_port(r.ports)
}

icmp(r) if lower(r.protocol) in {"icmp", "icmpv6"}

every_port(ports) if count(ports) == 0

every_port(ports) if {
	some range in ports
	range.from <= 1
	range.to >= 65535
}

ports_text(ports) := concat(", ", [port_text(range) | some range in ports])

port_text(range) := sprintf("%v", [range.from]) if {
	range.from == range.to
} else := sprintf("%v-%v", [range.from, range.to])

sources_text(r) := concat(", ", r.sources) if {
	count(r.sources) > 0
} else := "any source"
