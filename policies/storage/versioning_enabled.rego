# METADATA
# title: Object storage keeps versions
# description: >-
#   Object stores keep earlier versions of objects, so data overwritten or deleted by mistake or by ransomware can be
#   restored.
# custom:
#   id: storage.versioning_enabled
#   domain: storage
#   severity: medium
#   likelihood: 2
#   impact: 4
#   kinds:
#     - storage
#   remediation: >-
#     Turn on S3 bucket versioning (with MFA delete or Object Lock for backups), or blob versioning and soft delete on
#     Azure Storage, and expire old versions with a lifecycle rule.
package plantproof.checks.storage.versioning_enabled

import data.plantproof.lib

# One verdict per object store; accounts, file shares and volumes are out of scope.
results := [verdict(s) |
	some s in data.entities.storage
	s.storageType == "object"
]

verdict(s) := lib.pass(s, "versioning is on") if s.versioning == true

verdict(s) := lib.fail(s, reason(s)) if not s.versioning == true

reason(s) := "versioning is off" if {
	s.versioning == false
} else := "versioning is not recorded"
