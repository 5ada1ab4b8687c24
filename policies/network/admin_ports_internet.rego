# METADATA
# title: SSH and RDP are not open to the internet
# description: >-
#   No internet-exposed ingress allow rule opens SSH (22/tcp) or RDP (3389/tcp); a rule with no ports, or with
#   protocol all, opens them too.
# custom:
#   id: network.admin_ports_internet
#   domain: network
#   severity: critical
#   likelihood: 4
#   impact: 5
#   kinds:
#     - network_rule
#   remediation: >-
#     Remove the rule or limit its sources to known management networks, and reach servers through a bastion, VPN,
#     AWS Systems Manager Session Manager or Azure Bastion instead of exposing SSH or RDP.
package plantproof.checks.network.admin_ports_internet

import data.plantproof.lib

admin_services := {"SSH (22/tcp)": 22, "RDP (3389/tcp)": 3389}

# One verdict for each internet-exposed ingress allow rule.
results := [verdict(r) |
	some r in data.entities.network_rule
	lib.internet_ingress(r)
]

# Each rule is judged by functions of that rule alone, so the check stays linear in the number of rules;
# the admin services a rule opens are listed once and decide the verdict.
verdict(r) := lib.fail(r, msg) if {
	services := opened(r)
	count(services) > 0
	msg := concat("", ["opens ", concat(", ", sort(services)), " to the internet from ", sources_text(r)])
} else := lib.pass(r, "does not open SSH (22) or RDP (3389)")

opened(r) := {name |
	lib.opens_protocol(lower(r.protocol), "tcp")
	some name, port in admin_services
	lib.port_listed(r.ports, port)
}

sources_text(r) := concat(", ", r.sources) if {
	count(r.sources) > 0
} else := "any source"
