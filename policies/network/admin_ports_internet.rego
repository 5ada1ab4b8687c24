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

exposed contains r if {
	some r in data.entities.network_rule
	r.direction == "ingress"
	r.action == "allow"
	r.internetExposed == true
}

opened[r.id] contains name if {
	some r in exposed
	some name, port in admin_services
	lib.rule_opens(r, "tcp", port)
}

results contains lib.pass(r, "does not open SSH (22) or RDP (3389)") if {
	some r in exposed
	not opened[r.id]
}

results contains lib.fail(r, msg) if {
	some r in exposed
	opened[r.id]
	msg := sprintf("opens %s to the internet from %s", [concat(", ", sort(opened[r.id])), sources_text(r)])
}

sources_text(r) := concat(", ", r.sources) if {
	count(r.sources) > 0
} else := "any source"
