# METADATA
# title: Databases require TLS 1.2 or later
# description: Every database refuses client connections below TLS 1.2.
# custom:
#   id: database.min_tls
#   domain: database
#   severity: medium
#   likelihood: 3
#   impact: 3
#   kinds:
#     - database
#   remediation: >-
#     Set the minimum TLS version to 1.2 (minimalTlsVersion on Azure SQL, rds.force_ssl and tls_version parameters on
#     RDS, the server's TLS settings for an on-premises historian).
package plantproof.checks.database.min_tls

import data.plantproof.lib

# One verdict per database whose record has a minTlsVersion field (null fails as not recorded; a record
# without the field gets no verdict).
results := [verdict(d, d.minTlsVersion) | some d in data.entities.database]

# Passes naming the minimum version when it is 1.2 or 1.3; otherwise fails with the reason.
verdict(d, version) := lib.pass(d, concat("", ["minimum TLS version is ", version])) if {
	version in current_versions
} else := lib.fail(d, reason(d))

current_versions := {"1.2", "1.3"}

reason(d) := concat("", ["minimum TLS version is ", d.minTlsVersion, "; 1.2 or later is required"]) if {
	is_string(d.minTlsVersion)
} else := "minimum TLS version is not recorded"
