# METADATA
# title: Confidential data goes to partners only under an agreement
# description: >-
#   Every data flow that carries confidential or restricted data to or from an external partner has a data-sharing
#   or processing agreement on file.
# custom:
#   id: data.partner_agreement
#   domain: data
#   severity: medium
#   likelihood: 2
#   impact: 4
#   kinds:
#     - data_flow
#   remediation: >-
#     Put a data-sharing or data-processing agreement (with confidentiality and security terms) in place with the
#     partner, record it in the inventory, or stop the flow until it exists.
package plantproof.checks.data.partner_agreement

import data.plantproof.lib

partner_flows contains f if {
	some f in data.entities.data_flow
	is_string(f.externalPartner)
	f.externalPartner != ""
	f.classification in {"confidential", "restricted"}
}

results contains lib.pass(f, msg) if {
	some f in partner_flows
	f.agreementOnFile == true
	msg := sprintf("agreement with %s is on file for %s data", [f.externalPartner, f.classification])
}

results contains lib.fail(f, reason(f)) if {
	some f in partner_flows
	not f.agreementOnFile == true
}

reason(f) := sprintf("no agreement with %s is on file for %s data", [f.externalPartner, f.classification]) if {
	f.agreementOnFile == false
} else := sprintf("whether an agreement with %s is on file is not recorded", [f.externalPartner])
