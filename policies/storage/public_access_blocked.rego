# METADATA
# title: Storage blocks public access
# description: >-
#   No object store, storage account, file share or volume can be read or listed anonymously from the internet.
# custom:
#   id: storage.public_access_blocked
#   domain: storage
#   severity: critical
#   likelihood: 3
#   impact: 5
#   kinds:
#     - storage
#   remediation: >-
#     Turn on S3 Block Public Access at account and bucket level, or set allowBlobPublicAccess to false on Azure
#     storage accounts, and share data through signed, expiring links instead.
package plantproof.checks.storage.public_access_blocked

import data.plantproof.lib

# One verdict per store.
results := [verdict(s) | some s in data.entities.storage]

# Passes only when public access is recorded as blocked; otherwise fails with the reason.
verdict(s) := lib.pass(s, "public access is blocked") if {
	s.publicAccess == false
} else := lib.fail(s, reason(s))

reason(s) := "public access is allowed" if {
	s.publicAccess == true
} else := "public access setting is not recorded"
