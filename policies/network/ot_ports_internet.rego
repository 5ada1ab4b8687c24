# METADATA
# title: Industrial protocols are not open to the internet
# description: >-
#   No internet-exposed ingress allow rule opens an OT protocol port: Modbus 502, S7comm 102, OPC UA 4840,
#   EtherNet/IP 44818 (and 2222/udp), DNP3 20000, BACnet/IP 47808 or MQTT 1883, on TCP or UDP.
# custom:
#   id: network.ot_ports_internet
#   domain: network
#   severity: critical
#   likelihood: 4
#   impact: 5
#   kinds:
#     - network_rule
#   remediation: >-
#     Remove the rule: industrial protocols must only be reachable from the plant's own zones; give remote access
#     through a DMZ jump host or an industrial remote-access gateway with MFA, and publish data through a broker in the
#     DMZ over TLS.
package plantproof.checks.network.ot_ports_internet

import data.plantproof.lib

ot_services := [
	{"name": "Modbus/TCP (502)", "port": 502, "protocols": ["tcp", "udp"]},
	{"name": "S7comm (102)", "port": 102, "protocols": ["tcp", "udp"]},
	{"name": "OPC UA (4840)", "port": 4840, "protocols": ["tcp", "udp"]},
	{"name": "EtherNet/IP (44818)", "port": 44818, "protocols": ["tcp", "udp"]},
	{"name": "EtherNet/IP I/O (2222/udp)", "port": 2222, "protocols": ["udp"]},
	{"name": "DNP3 (20000)", "port": 20000, "protocols": ["tcp", "udp"]},
	{"name": "BACnet/IP (47808)", "port": 47808, "protocols": ["tcp", "udp"]},
	{"name": "MQTT (1883)", "port": 1883, "protocols": ["tcp", "udp"]},
]

# One verdict for each internet-exposed ingress allow rule.
results := [verdict(r) |
	some r in data.entities.network_rule
	lib.internet_ingress(r)
]

# Each rule is judged by functions of that rule alone, so the check stays linear in the number of rules;
# the industrial services a rule opens are listed once and decide the verdict.
verdict(r) := lib.fail(r, concat("", ["opens ", concat(", ", sort(services)), " to the internet"])) if {
	services := opened(r)
	count(services) > 0
} else := lib.pass(r, "opens no industrial protocol port")

opened(r) := {service.name |
	rule_protocol := lower(r.protocol)
	some service in ot_services
	opens(r, rule_protocol, service)
}

opens(r, rule_protocol, service) if {
	some protocol in service.protocols
	lib.opens_protocol(rule_protocol, protocol)
	lib.port_listed(r.ports, service.port)
}
