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

results contains lib.pass(s, "encrypted at rest with AES-256") if {
	some s in data.entities.storage
	compliant(s)
}

results contains lib.fail(s, reason(s)) if {
	some s in data.entities.storage
	not compliant(s)
}

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
