# METADATA
# title: Accounts belong to one person or service
# description: >-
#   No account is declared shared, and no active account has a generic or vendor-default name (admin, root,
#   operator, guest, engineer, scada, hmi, plc ...; compared case-insensitively, without e-mail domain or DOMAIN\
#   prefix), so every action can be traced to one person.
# custom:
#   id: identity.shared_accounts
#   domain: identity
#   severity: high
#   likelihood: 3
#   impact: 4
#   kinds:
#     - user
#   remediation: >-
#     Give each person a named account and disable generic or vendor-default ones; where a shared operator login on an
#     HMI cannot be avoided, put it behind individual sign-in (a PAM or jump host with session recording) and record
#     the exception as a waiver.
package plantproof.checks.identity.shared_accounts

import data.plantproof.lib

generic_names := {
	"admin", "administrator", "root", "operator", "guest", "test", "user", "service", "shared",
	"engineer", "maintenance", "vendor", "scada", "hmi", "plc", "default",
}

# The account name is worked out once per user and handed to the functions that judge it.
results := [verdict(u, name_of(u)) | some u in data.entities.user]

verdict(u, name) := lib.pass(u, pass_message(u, name)) if not flagged(u, name)

verdict(u, _) := lib.fail(u, "declared as a shared account") if u.shared == true

verdict(u, name) := lib.fail(u, msg) if {
	not u.shared == true
	generic_active(u, name)
	msg := concat("", ["generic account name '", name, "' cannot be traced to one person"])
}

flagged(u, _) if u.shared == true

flagged(u, name) if generic_active(u, name)

# A lookup rather than `in`, which walks the whole set in wasm; name is a string or null.
generic_active(u, name) if {
	u.status == "active"
	generic_names[name]
}

# The account name, or null when the username cannot be read.
name_of(u) := name if {
	name := account_name(u)
} else := null

# "Admin@plant.example" and "PLANT\admin" are both the account "admin".
account_name(u) := name if {
	local := split(lower(u.username), "@")[0]
	parts := split(local, "\\")
	name := parts[count(parts) - 1]
}

pass_message(u, name) := msg if {
	generic_names[name]
	msg := concat("", ["generic account name '", name, "', but the account is ", lib.text(u.status)])
} else := "individual, named account"
