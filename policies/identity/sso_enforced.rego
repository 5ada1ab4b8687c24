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

people contains u if {
	some u in data.entities.user
	u.userType == "human"
	u.status == "active"
}

results contains lib.pass(u, "signs in through federated SSO") if {
	some u in people
	u.federated == true
}

results contains lib.pass(u, sprintf("account of the %s SSO directory itself", [u.provider])) if {
	some u in people
	not u.federated == true
	u.provider in sso_directories
	not u.federated == false
}

results contains lib.fail(u, "signs in with a local password instead of federated SSO") if {
	some u in people
	u.federated == false
}

results contains lib.fail(u, sprintf("federated sign-in is not recorded for this %s account", [u.provider])) if {
	some u in people
	not u.federated in {true, false}
	not u.provider in sso_directories
}
