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
# Dates from 1990 through 2089 are two lookups in tables built once per evaluation; the
# arithmetic, which allocates a good deal per call in wasm, is left for dates outside them.
epoch_day(ts) := days if {
	days := month_starts[substring(ts, 0, 7)] + day_offsets[substring(ts, 8, 2)]
} else := days_from_civil(
	to_number(substring(ts, 0, 4)),
	to_number(substring(ts, 5, 2)),
	to_number(substring(ts, 8, 2)),
)

# The evaluation date (input.now.date) as an epoch day, computed once.
today := epoch_day(input.now.date)

# Whole days from ts to the evaluation date (input.now.date); negative for the future.
days_since(ts) := today - epoch_day(ts)

# Days from the evaluation date until ts.
days_until(ts) := epoch_day(ts) - today

# "YYYY-MM" -> epoch day of the first of that month, for 1990-01 through 2089-12.
month_starts := {key: days |
	some year in numbers.range(1990, 2089)
	start := days_from_civil(year, 1, 1)
	leap := (days_from_civil(year + 1, 1, 1) - start) == 366
	prefix := concat("", [format_int(year, 10), "-"])
	some month, before in days_before_month[leap]
	key := concat("", [prefix, month])
	days := start + before
}

days_before_month := {
	false: {
		"01": 0, "02": 31, "03": 59, "04": 90, "05": 120, "06": 151,
		"07": 181, "08": 212, "09": 243, "10": 273, "11": 304, "12": 334,
	},
	true: {
		"01": 0, "02": 31, "03": 60, "04": 91, "05": 121, "06": 152,
		"07": 182, "08": 213, "09": 244, "10": 274, "11": 305, "12": 335,
	},
}

# "DD" -> days after the first of the month.
day_offsets := {
	"01": 0, "02": 1, "03": 2, "04": 3, "05": 4, "06": 5, "07": 6, "08": 7, "09": 8, "10": 9, "11": 10,
	"12": 11, "13": 12, "14": 13, "15": 14, "16": 15, "17": 16, "18": 17, "19": 18, "20": 19, "21": 20,
	"22": 21, "23": 22, "24": 23, "25": 24, "26": 25, "27": 26, "28": 27, "29": 28, "30": 29, "31": 30,
}

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

# The user an assignment is held by, found by entity id; undefined for groups and services.
principal_user(assignment) := u if {
	assignment.principalType != "group"
	u := users_by_id[assignment.principalId]
}

# The users an assignment is held by: the one user it names, or none for groups and services.
principal_users(assignment) := {u} if {
	u := principal_user(assignment)
} else := set()

rule_opens(rule, protocol, port) if {
	protocol_matches(rule.protocol, protocol)
	port_listed(rule.ports, port)
}

protocol_matches(rule_protocol, protocol) if opens_protocol(lower(rule_protocol), protocol)

# Whether a rule whose protocol field is rule_protocol (already lower-cased) lets protocol through.
opens_protocol(rule_protocol, _) if rule_protocol in any_protocol

opens_protocol(rule_protocol, protocol) if rule_protocol == protocol

any_protocol := {"all", "any", "-1", "*"}

port_listed(ports, _) if count(ports) == 0

port_listed(ports, port) if {
	some range in ports
	range.from <= port
	port <= range.to
}

# The two values a recorded yes/no fact can have; null or a missing field means "not recorded".
booleans := {true, false}

# A value as text for a message: strings as they are, anything else as JSON. No sprintf: in wasm it is the
# one built-in handed to the JavaScript host, at a high cost per call, and it fails there on null.
text(value) := value if {
	is_string(value)
} else := json.marshal(value)

# A number as text for a message: whole numbers without a decimal point, anything else as JSON.
number_text(value) := format_int(value, 10) if {
	is_number(value)
	value == floor(value)
} else := json.marshal(value)

# An ingress allow rule exposed to the internet.
internet_ingress(rule) if {
	rule.direction == "ingress"
	rule.action == "allow"
	rule.internetExposed == true
}
