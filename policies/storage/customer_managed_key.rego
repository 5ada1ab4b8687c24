# METADATA
# title: Storage uses a customer-managed key
# description: >-
#   Every object store, storage account, file share and block volume is encrypted with a key the organization manages,
#   so it can revoke access and audit key use.
# custom:
#   id: storage.customer_managed_key
#   domain: storage
#   severity: medium
#   likelihood: 2
#   impact: 3
#   kinds:
#     - storage
#   remediation: >-
#     Encrypt with a customer-managed key (SSE-KMS with a customer-managed AWS KMS key on S3, a Key Vault key on Azure
#     Storage) and limit who may use and administer that key.
package plantproof.checks.storage.customer_managed_key

import data.plantproof.lib

# One verdict per store.
results := [verdict(s) | some s in data.entities.storage]

# Passes naming the key where it is recorded; otherwise fails with the reason.
verdict(s) := lib.pass(s, pass_message(s)) if {
	compliant(s)
} else := lib.fail(s, reason(s))

compliant(s) if {
	s.customerManagedKey == true
	not s.encryptedAtRest == false
}

pass_message(s) := concat("", ["encrypted with customer-managed key ", s.keyId]) if {
	is_string(s.keyId)
} else := "encrypted with a customer-managed key"

reason(s) := "not encrypted at rest, so no customer-managed key protects it" if {
	s.encryptedAtRest == false
} else := "encrypted with a provider-managed key, not a customer-managed one" if {
	s.customerManagedKey == false
} else := "use of a customer-managed key is not recorded"
