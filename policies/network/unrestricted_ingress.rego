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

# One verdict for each internet-exposed ingress allow rule.
results := [verdict(r) |
	some r in data.entities.network_rule
	lib.internet_ingress(r)
]

verdict(r) := lib.pass(r, "allows ICMP only; no ports are opened") if icmp(r)

verdict(r) := lib.pass(r, concat("", ["allows only port(s) ", ports_text(r.ports)])) if {
	not icmp(r)
	not every_port(r.ports)
}

verdict(r) := lib.fail(r, msg) if {
	not icmp(r)
	every_port(r.ports)
	msg := concat("", ["allows every port (protocol ", lib.text(r.protocol), ") from ", sources_text(r)])
}

icmp(r) if lower(r.protocol) in icmp_protocols

icmp_protocols := {"icmp", "icmpv6"}

every_port(ports) if count(ports) == 0

every_port(ports) if {
	some range in ports
	range.from <= 1
	range.to >= 65535
}

ports_text(ports) := concat(", ", [port_text(range) | some range in ports])

port_text(range) := lib.number_text(range.from) if {
	range.from == range.to
} else := concat("", [lib.number_text(range.from), "-", lib.number_text(range.to)])

sources_text(r) := concat(", ", r.sources) if {
	count(r.sources) > 0
} else := "any source"
