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

directory_types := {"directory", "idp_org"}

# One verdict per directory or identity-provider organization, from exactly one of the cases below.
results := [verdict(a) |
	some a in data.entities.account
	a.accountType in directory_types
]

verdict(a) := lib.pass(a, concat("", ["bound over ", transport_names[a.transportSecurity]])) if {
	a.transportSecurity in secure_transports
}

verdict(a) := lib.fail(a, "binds in plaintext, without TLS or StartTLS") if a.transportSecurity == "none"

verdict(a) := lib.fail(a, "transport security of the bind is not recorded") if {
	not a.transportSecurity in recorded_transports
}

secure_transports := {"tls", "starttls"}

recorded_transports := {"tls", "starttls", "none"}

transport_names := {"tls": "TLS", "starttls": "StartTLS"}
