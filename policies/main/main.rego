# METADATA
# title: Aggregate entrypoint
# description: Evaluates every check under data.plantproof.checks in one pass.
package plantproof.main

# Every check's per-resource results, keyed by check id (domain.name).
checks[id] := data.plantproof.checks[domain][name].results if {
	some domain, name
	id := concat(".", [domain, name])
}
