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

# One verdict per object store and storage account; file shares and volumes are out of scope.
results := [verdict(s) |
	some s in data.entities.storage
	s.storageType in logged_types
]

logged_types := {"object", "account"}

verdict(s) := lib.pass(s, "access logging is on") if s.accessLogging == true

verdict(s) := lib.fail(s, reason(s)) if not s.accessLogging == true

reason(s) := "access logging is off" if {
	s.accessLogging == false
} else := "access logging is not recorded"
