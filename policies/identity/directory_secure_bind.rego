# METADATA
# title: Directories are read over TLS
# description: >-
#   Directories and identity-provider organizations were reached over TLS or StartTLS, never with a plaintext bind
#   that exposes credentials on the network.
# custom:
#   id: identity.directory_secure_bind
#   domain: identity
#   severity: high
#   likelihood: 3
#   impact: 5
#   kinds:
#     - account
#   remediation: >-
#     Use LDAPS (636) or StartTLS for every bind, require LDAP signing and channel binding on AD domain controllers, and
#     point the collector and applications at the TLS endpoint.
package plantproof.checks.identity.directory_secure_bind

import data.plantproof.lib

directories contains a if {
	some a in data.entities.account
	a.accountType in {"directory", "idp_org"}
}

results contains lib.pass(a, sprintf("bound over %s", [transport_names[a.transportSecurity]])) if {
	some a in directories
	a.transportSecurity in {"tls", "starttls"}
}

results contains lib.fail(a, "binds in plaintext, without TLS or StartTLS") if {
	some a in directories
	a.transportSecurity == "none"
}

results contains lib.fail(a, "transport security of the bind is not recorded") if {
	some a in directories
	not a.transportSecurity in {"tls", "starttls", "none"}
}

transport_names := {"tls": "TLS", "starttls": "StartTLS"}
