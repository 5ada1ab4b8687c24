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

# Collected role name -> function -> highest level any rbac.grants entry for that role gives, built once.
granted := {role_name: access |
	some grant in input.rbac.grants
	role_name := grant.role
	access := {fn: max(levels) |
		some same_role in input.rbac.grants
		same_role.role == role_name
		some fn, _ in same_role.access
		levels := {rank[other.access[fn]] |
			some other in input.rbac.grants
			other.role == role_name
		}
		count(levels) > 0
	}
	count(access) > 0
}

# One verdict for each assignment whose role has grants and whose user holds a plant role, judged by
# functions of that assignment (and its user, found by id) alone, so the check stays linear in the number
# of assignments. The excess is worked out once and handed to the verdict.
results := [verdict(ra, held, excess(ra, held, roles, access)) |
	some ra in data.entities.role_assignment
	access := granted[ra.role]
	roles := plant_roles(ra)
	count(roles) > 0
	held := roles_text(roles)
]

# An assignment passes when its role grants nothing in excess, and otherwise fails with all of the excess listed.
verdict(ra, held, found) := lib.pass(ra, msg) if {
	count(found) == 0
	msg := concat("", ["role '", lib.text(ra.role), "' grants no more than ", held, " may have"])
}

verdict(ra, _, found) := lib.fail(ra, concat("; ", sort(found))) if count(found) > 0

# The plant roles the assignment's user holds through group membership.
plant_roles(ra) := {member.role |
	u := lib.principal_user(ra)
	some member in input.rbac.members
	member.group in u.groups
}

excess(ra, held, roles, access) := {msg |
	some fn, level in access
	allowed := max({allowed_rank(role, fn) | some role in roles})
	level > allowed
	msg := concat("", [
		held, " may have ", level_names[allowed], " on ", lib.text(fn),
		"; role '", lib.text(ra.role), "' grants ", level_names[level],
	])
}

# A function missing from a plant role's row means no access.
allowed_rank(role, fn) := rank[object.get(object.get(input.rbac.roles, role, {}), fn, "none")]

roles_text(roles) := concat(" or ", sort(roles))
