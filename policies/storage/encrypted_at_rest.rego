# METADATA
# title: Storage is encrypted at rest with AES-256
# description: Object stores, storage accounts, file shares and block volumes encrypt data at rest with AES-256.
# custom:
#   id: storage.encrypted_at_rest
#   domain: storage
#   severity: high
#   likelihood: 2
#   impact: 4
#   kinds:
#     - storage
#   remediation: >-
#     Turn on default encryption (SSE-S3 or SSE-KMS on S3, service-side encryption on Azure Storage) with AES-256.
package plantproof.checks.storage.encrypted_at_rest

import data.plantproof.lib

# One verdict per store.
results := [verdict(s) | some s in data.entities.storage]

# Passes when encrypted with AES-256; otherwise fails with the reason.
verdict(s) := lib.pass(s, "encrypted at rest with AES-256") if {
	compliant(s)
} else := lib.fail(s, reason(s))

compliant(s) if {
	s.encryptedAtRest == true
	s.algorithm == "AES-256"
}

reason(s) := "encryption at rest is off" if {
	s.encryptedAtRest == false
} else := concat("", ["encrypted with ", s.algorithm, ", not AES-256"]) if {
	s.encryptedAtRest == true
	is_string(s.algorithm)
} else := "encrypted at rest, but the algorithm is not recorded" if {
	s.encryptedAtRest == true
} else := "encryption at rest is not recorded"
