# METADATA
# title: Confidential and restricted data always travels protected
# description: >-
#   Every data flow that carries confidential or restricted data is encrypted and authenticated, within a zone as
#   well as across zones.
# custom:
#   id: data.restricted_encrypted_flows
#   domain: data
#   severity: high
#   likelihood: 3
#   impact: 5
#   kinds:
#     - data_flow
#   remediation: >-
#     Switch the flow to an encrypted, authenticated protocol (HTTPS or SFTP instead of HTTP or FTP, OPC UA
#     SignAndEncrypt, MQTT over TLS with client authentication, mutual TLS) or carry it through an authenticated VPN.
package plantproof.checks.data.restricted_encrypted_flows

import data.plantproof.lib

# One result per flow carrying confidential or restricted data. Each flow is judged by functions of
# that flow alone, so the check stays linear in the number of flows; its problems are listed once and
# decide the verdict.
results := [verdict(f, problems(f)) |
	some f in data.entities.data_flow
	f.classification in sensitive
]

# Pass when the flow has no protection problems, otherwise fail listing them.
verdict(f, found) := lib.pass(f, concat("", ["carries ", f.classification, " data encrypted and authenticated"])) if {
	count(found) == 0
} else := lib.fail(f, concat("; ", sort(found)))

sensitive := {"confidential", "restricted"}

# The protection problems of one flow; empty when it has none.
problems(f) := {msg | some aspect in aspects; msg := problem(f, aspect)}

aspects := ["encryption", "authentication"]

problem(f, "encryption") := msg if {
	not f.encrypted == true
	msg := concat("", ["carries ", f.classification, " data unencrypted (", lib.text(f.protocol), ")"])
}

problem(f, "authentication") := msg if {
	not f.authenticated == true
	msg := concat("", ["carries ", f.classification, " data without authentication (", lib.text(f.protocol), ")"])
}
