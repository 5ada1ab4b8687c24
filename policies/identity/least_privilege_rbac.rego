# METADATA
# title: Role grants stay within the plant's access matrix
# description: >-
#   When the configuration declares an access matrix (rbac), no role assigned to a user grants more on any business
#   function than the user's plant roles (from rbac.members, by group) allow; assignments whose role has no rbac.grants
#   entry, or whose user has no plant role, are not assessed.
# custom:
#   id: identity.least_privilege_rbac
#   domain: identity
#   severity: high
#   likelihood: 3
#   impact: 4
#   kinds:
#     - role_assignment
#     - user
#   remediation: >-
#     Remove the assignment or replace the role with one that grants no more than the matrix allows (a narrower Entra
#     or Azure role, an Okta group with fewer application entitlements, an IAM policy scoped to the function), or
#     change the declared matrix through review if the access is intended.
package plantproof.checks.identity.least_privilege_rbac

import data.plantproof.lib

level_names := ["none", "read", "write", "admin"]

rank := {"none": 0, "read": 1, "write": 2, "admin": 3}

# Collected role name -> function -> highest level any rbac.grants entry for that role gives.
granted[role_name][fn] := max(levels) if {
	some grant in input.rbac.grants
	role_name := grant.role
	some fn, _ in grant.access
	levels := {rank[other.access[fn]] |
		some other in input.rbac.grants
		other.role == role_name
	}
}

# Assignment id -> the plant roles its user holds through group membership.
plant_roles[ra.id] contains member.role if {
	some ra in data.entities.role_assignment
	some u in lib.principal_users(ra)
	some member in input.rbac.members
	member.group in u.groups
}

assessed contains ra if {
	some ra in data.entities.role_assignment
	plant_roles[ra.id]
	granted[ra.role]
}

results contains lib.pass(ra, msg) if {
	some ra in assessed
	not excess[ra.id]
	msg := sprintf("role '%s' grants no more than %s may have", [ra.role, roles_text(plant_roles[ra.id])])
}

results contains lib.fail(ra, concat("; ", sort(excess[ra.id]))) if {
	some ra in assessed
	excess[ra.id]
}

excess[ra.id] contains msg if {
	some ra in assessed
	some fn, level in granted[ra.role]
	allowed := max({allowed_rank(role, fn) | some role in plant_roles[ra.id]})
	level > allowed
	msg := sprintf(
		"%s may have %s on %s; role '%s' grants %s",
		[roles_text(plant_roles[ra.id]), level_names[allowed], fn, ra.role, level_names[level]],
	)
}

# A function missing from a plant role's row means no access.
allowed_rank(role, fn) := rank[object.get(object.get(input.rbac.roles, role, {}), fn, "none")]

roles_text(roles) := concat(" or ", sort(roles))
