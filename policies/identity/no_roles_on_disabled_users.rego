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

results contains lib.pass(ra, sprintf("role '%s' is held by %s", [ra.role, holders_text(holders)])) if {
	some ra in data.entities.role_assignment
	holders := lib.principal_users(ra)
	count(holders) > 0
	not any_offboarded(holders)
}

results contains lib.fail(ra, sprintf("role '%s' is still assigned to %s", [ra.role, holders_text(gone)])) if {
	some ra in data.entities.role_assignment
	gone := {u | some u in lib.principal_users(ra); u.status in offboarded}
	count(gone) > 0
}

any_offboarded(users) if {
	some u in users
	u.status in offboarded
}

holders_text(users) := concat(", ", sort([sprintf("%s (%s)", [u.username, u.status]) | some u in users]))
