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

results contains lib.pass(d, concat("", ["minimum TLS version is ", d.minTlsVersion])) if {
	some d in data.entities.database
	d.minTlsVersion in current_versions
}

results contains lib.fail(d, reason(d)) if {
	some d in data.entities.database
	not d.minTlsVersion in current_versions
}

current_versions := {"1.2", "1.3"}

reason(d) := concat("", ["minimum TLS version is ", d.minTlsVersion, "; 1.2 or later is required"]) if {
	is_string(d.minTlsVersion)
} else := "minimum TLS version is not recorded"
