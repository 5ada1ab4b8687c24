# METADATA
# title: Offboarded users hold no roles
# description: >-
#   No role is still assigned to a user who is disabled, suspended, deprovisioned or locked, so offboarding removes
#   access completely; assignments to groups, or to principals that match no collected user, are not assessed.
# custom:
#   id: identity.no_roles_on_disabled_users
#   domain: identity
#   severity: high
#   likelihood: 2
#   impact: 4
#   kinds:
#     - role_assignment
#     - user
#   remediation: >-
#     Remove the role assignments of offboarded users (Azure role assignments, Entra directory roles, Okta admin roles,
#     IAM policies) and make role removal part of the leaver process, for example through lifecycle workflows.
package plantproof.checks.identity.no_roles_on_disabled_users

import data.plantproof.lib

offboarded := {"disabled", "suspended", "deprovisioned", "locked"}

# An assignment names at most one user (by entity id), so each is judged by a lookup, not a scan.
results := [verdict(ra, u) |
	some ra in data.entities.role_assignment
	u := lib.principal_user(ra)
]

verdict(ra, u) := lib.pass(ra, msg) if {
	not gone(u)
	msg := concat("", ["role '", lib.text(ra.role), "' is held by ", holder_text(u)])
}

verdict(ra, u) := lib.fail(ra, msg) if {
	gone(u)
	msg := concat("", ["role '", lib.text(ra.role), "' is still assigned to ", holder_text(u)])
}

gone(u) if u.status in offboarded

# "username (status)", or empty when either is missing.
holder_text(u) := text if {
	text := concat("", [lib.text(u.username), " (", lib.text(u.status), ")"])
} else := ""
