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

sensitive_flows contains f if {
	some f in data.entities.data_flow
	f.classification in {"confidential", "restricted"}
}

results contains lib.pass(f, sprintf("carries %s data encrypted and authenticated", [f.classification])) if {
	some f in sensitive_flows
	not issues[f.id]
}

results contains lib.fail(f, concat("; ", sort(issues[f.id]))) if {
	some f in sensitive_flows
	issues[f.id]
}

issues[f.id] contains sprintf("carries %s data unencrypted (%s)", [f.classification, f.protocol]) if {
	some f in sensitive_flows
	not f.encrypted == true
}

issues[f.id] contains sprintf("carries %s data without authentication (%s)", [f.classification, f.protocol]) if {
	some f in sensitive_flows
	not f.authenticated == true
}
