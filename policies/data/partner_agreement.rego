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

sensitive := {"confidential", "restricted"}

# One result per flow carrying confidential or restricted data to or from an external partner.
results := [verdict(f) |
	some f in data.entities.data_flow
	is_string(f.externalPartner)
	f.externalPartner != ""
	f.classification in sensitive
]

verdict(f) := lib.pass(f, msg) if {
	f.agreementOnFile == true
	msg := concat("", ["agreement with ", f.externalPartner, " is on file for ", f.classification, " data"])
}

verdict(f) := lib.fail(f, reason(f)) if not f.agreementOnFile == true

reason(f) := concat("", ["no agreement with ", f.externalPartner, " is on file for ", f.classification, " data"]) if {
	f.agreementOnFile == false
} else := concat("", ["whether an agreement with ", f.externalPartner, " is on file is not recorded"])
