# METADATA
# title: Storage accepts TLS connections only
# description: >-
#   Storage refuses unencrypted connections and, where a minimum TLS version is recorded, it is TLS 1.2 or 1.3.
# custom:
#   id: storage.tls_only
#   domain: storage
#   severity: medium
#   likelihood: 3
#   impact: 3
#   kinds:
#     - storage
#   remediation: >-
#     Deny requests without TLS (an S3 bucket policy on aws:SecureTransport, "Secure transfer required" on Azure
#     Storage) and set the minimum TLS version to 1.2.
package plantproof.checks.storage.tls_only

import data.plantproof.lib

results contains lib.pass(s, pass_message(s)) if {
	some s in data.entities.storage
	not issues[s.id]
}

results contains lib.fail(s, concat("; ", sort(issues[s.id]))) if {
	some s in data.entities.storage
	issues[s.id]
}

issues[s.id] contains "accepts connections without TLS" if {
	some s in data.entities.storage
	s.tlsOnly == false
}

issues[s.id] contains "TLS-only access is not recorded" if {
	some s in data.entities.storage
	not s.tlsOnly in {true, false}
}

issues[s.id] contains sprintf("minimum TLS version is %s; 1.2 or later is required", [s.minTlsVersion]) if {
	some s in data.entities.storage
	s.minTlsVersion in {"1.0", "1.1"}
}

pass_message(s) := sprintf("accepts TLS only, minimum version %s", [s.minTlsVersion]) if {
	is_string(s.minTlsVersion)
} else := "accepts TLS only"
