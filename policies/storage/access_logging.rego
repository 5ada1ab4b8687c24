# METADATA
# title: Object storage logs access
# description: >-
#   Object stores and storage accounts record who read, wrote or deleted data, so access to plant data can be
#   investigated.
# custom:
#   id: storage.access_logging
#   domain: storage
#   severity: medium
#   likelihood: 2
#   impact: 3
#   kinds:
#     - storage
#   remediation: >-
#     Turn on S3 server access logging or CloudTrail data events for the bucket, or diagnostic settings with
#     StorageRead, StorageWrite and StorageDelete logs on Azure storage accounts.
package plantproof.checks.storage.access_logging

import data.plantproof.lib

results contains lib.pass(s, "access logging is on") if {
	some s in logged_storage
	s.accessLogging == true
}

results contains lib.fail(s, reason(s)) if {
	some s in logged_storage
	not s.accessLogging == true
}

logged_storage contains s if {
	some s in data.entities.storage
	s.storageType in {"object", "account"}
}

reason(s) := "access logging is off" if {
	s.accessLogging == false
} else := "access logging is not recorded"
