# METADATA
# title: Databases use a customer-managed key
# description: >-
#   Every database is encrypted with a key the organization manages, so it can revoke access and audit key use.
# custom:
#   id: database.customer_managed_key
#   domain: database
#   severity: medium
#   likelihood: 2
#   impact: 3
#   kinds:
#     - database
#   remediation: >-
#     Encrypt with a customer-managed key (a customer-managed AWS KMS key for RDS, a Key Vault key as the TDE
#     protector on Azure SQL) and limit who may use and administer that key.
package plantproof.checks.database.customer_managed_key

import data.plantproof.lib

# One verdict per database.
results := [verdict(d) | some d in data.entities.database]

# Passes when a customer-managed key protects the database; otherwise fails with the reason.
verdict(d) := lib.pass(d, "encrypted with a customer-managed key") if {
	compliant(d)
} else := lib.fail(d, reason(d))

compliant(d) if {
	d.customerManagedKey == true
	not d.encryptedAtRest == false
}

reason(d) := "not encrypted at rest, so no customer-managed key protects it" if {
	d.encryptedAtRest == false
} else := "encrypted with a provider-managed key, not a customer-managed one" if {
	d.customerManagedKey == false
} else := "use of a customer-managed key is not recorded"
