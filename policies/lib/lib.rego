# METADATA
# title: Shared helpers for plantproof checks
# description: Result constructors and date arithmetic that work the same in wasm and the OPA CLI.
package plantproof.lib

# A passing result for one resource.
pass(entity, message) := {"resource": entity.id, "status": "pass", "message": message}

# A failing result for one resource.
fail(entity, message) := {"resource": entity.id, "status": "fail", "message": message}

# Days since 1970-01-01 for an RFC 3339 timestamp or a plain date, in pure Rego:
# time.* builtins are not available to the wasm target, and "now" comes from the input.
epoch_day(ts) := days_from_civil(
	to_number(substring(ts, 0, 4)),
	to_number(substring(ts, 5, 2)),
	to_number(substring(ts, 8, 2)),
)

# Whole days from ts to the evaluation date (input.now.date); negative for the future.
days_since(ts) := epoch_day(input.now.date) - epoch_day(ts)

# Days from the evaluation date until ts.
days_until(ts) := epoch_day(ts) - epoch_day(input.now.date)

# Howard Hinnant's days_from_civil, with floor division spelled out for Rego.
days_from_civil(y0, m, d) := days if {
	y := y0 - to_number(m <= 2)
	era := floor(y / 400)
	yoe := y - (era * 400)
	mp := (m + 9) % 12
	doy := (floor(((153 * mp) + 2) / 5) + d) - 1
	doe := (((yoe * 365) + floor(yoe / 4)) - floor(yoe / 100)) + doy
	days := ((era * 146097) + doe) - 719468
}

# Value of a config threshold, or its default when the config (or the whole input) leaves it out.
param(name, default_value) := object.get(input.params, name, default_value) if {
	is_object(input.params)
} else := default_value

# Users by entity id, built once per evaluation: role assignments name their principal by
# entity id, so the join with users is a lookup, not a scan (a scan is quadratic and exhausts
# wasm memory on large directories).
users_by_id := {u.id: u | some u in data.entities.user}

# The users an assignment is held by: the one user it names, or none for groups and services.
principal_users(assignment) := {u} if {
	assignment.principalType != "group"
	u := users_by_id[assignment.principalId]
} else := set()

rule_opens(rule, protocol, port) if {
	protocol_matches(rule.protocol, protocol)
	port_listed(rule.ports, port)
}

protocol_matches(rule_protocol, _) if lower(rule_protocol) in {"all", "any", "-1", "*"}

protocol_matches(rule_protocol, protocol) if lower(rule_protocol) == protocol

port_listed(ports, _) if count(ports) == 0

port_listed(ports, port) if {
	some range in ports
	range.from <= port
	port <= range.to
}
