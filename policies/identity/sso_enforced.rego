# METADATA
# title: People sign in through single sign-on
# description: >-
#   Every active human user signs in through federated SSO: accounts from aws, azure, ldap or any other provider pass
#   only when federated is true, while accounts of the SSO directories themselves (okta, entra) pass unless they are
#   recorded as using a local password (federated false).
# custom:
#   id: identity.sso_enforced
#   domain: identity
#   severity: medium
#   likelihood: 3
#   impact: 3
#   kinds:
#     - user
#   remediation: >-
#     Move people onto the identity provider (AWS IAM Identity Center or SAML federation instead of IAM users, Entra
#     ID for Azure, Okta or Entra for applications) and remove local passwords from cloud and directory accounts.
package plantproof.checks.identity.sso_enforced

import data.plantproof.lib

sso_directories := {"okta", "entra"}

# One verdict per person, from exactly one of the cases below.
results := [verdict(u) |
	some u in data.entities.user
	u.userType == "human"
	u.status == "active"
]

verdict(u) := lib.pass(u, "signs in through federated SSO") if {
	u.federated == true
}

verdict(u) := lib.pass(u, concat("", ["account of the ", u.provider, " SSO directory itself"])) if {
	not u.federated == true
	u.provider in sso_directories
	not u.federated == false
}

verdict(u) := lib.fail(u, "signs in with a local password instead of federated SSO") if {
	u.federated == false
}

verdict(u) := lib.fail(u, msg) if {
	not u.federated in lib.booleans
	not u.provider in sso_directories
	msg := concat("", ["federated sign-in is not recorded for this ", lib.text(u.provider), " account"])
}
