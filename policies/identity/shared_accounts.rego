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

results contains lib.pass(u, pass_message(u)) if {
	some u in data.entities.user
	not flagged(u)
}

results contains lib.fail(u, "declared as a shared account") if {
	some u in data.entities.user
	u.shared == true
}

results contains lib.fail(u, msg) if {
	some u in data.entities.user
	not u.shared == true
	generic_active(u)
	msg := sprintf("generic account name '%s' cannot be traced to one person", [account_name(u)])
}

flagged(u) if u.shared == true

flagged(u) if generic_active(u)

generic_active(u) if {
	u.status == "active"
	account_name(u) in generic_names
}

# "Admin@plant.example" and "PLANT\admin" are both the account "admin".
account_name(u) := name if {
	local := split(lower(u.username), "@")[0]
	parts := split(local, "\\")
	name := parts[count(parts) - 1]
}

pass_message(u) := sprintf("generic account name '%s', but the account is %s", [account_name(u), u.status]) if {
	account_name(u) in generic_names
} else := "individual, named account"
