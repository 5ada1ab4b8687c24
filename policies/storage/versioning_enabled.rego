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

results contains lib.pass(s, "versioning is on") if {
	some s in object_stores
	s.versioning == true
}

results contains lib.fail(s, reason(s)) if {
	some s in object_stores
	not s.versioning == true
}

object_stores contains s if {
	some s in data.entities.storage
	s.storageType == "object"
}

reason(s) := "versioning is off" if {
	s.versioning == false
} else := "versioning is not recorded"
