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

# One verdict per store. Each store is judged by functions of that store alone, so the check stays
# linear in the number of stores.
results := [verdict(s) | some s in data.entities.storage]

# Fails listing every problem the store has (collected once); passes when it has none.
verdict(s) := lib.fail(s, concat("; ", sort(found))) if {
	found := problems(s)
	count(found) > 0
} else := lib.pass(s, pass_message(s))

problems(s) := {msg | some aspect in aspects; msg := problem(s, aspect)}

aspects := ["tls_only", "version"]

problem(s, "tls_only") := "accepts connections without TLS" if {
	s.tlsOnly == false
} else := "TLS-only access is not recorded" if {
	not s.tlsOnly in lib.booleans
}

problem(s, "version") := concat("", ["minimum TLS version is ", s.minTlsVersion, "; 1.2 or later is required"]) if {
	s.minTlsVersion in deprecated_versions
}

deprecated_versions := {"1.0", "1.1"}

pass_message(s) := concat("", ["accepts TLS only, minimum version ", s.minTlsVersion]) if {
	is_string(s.minTlsVersion)
} else := "accepts TLS only"
