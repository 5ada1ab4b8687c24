// Reads `opa inspect --annotations --format json` output and prints the checks' metadata as
// deterministic JSON keyed by check id. Fails on a check whose METADATA is incomplete.
import { readFileSync } from 'node:fs';

const inspect = JSON.parse(readFileSync(process.argv[2], 'utf8'));
const checks = {};
const problems = [];
const required = ['id', 'domain', 'severity', 'likelihood', 'impact', 'kinds', 'remediation'];
for (const entry of inspect.annotations ?? []) {
  const a = entry.annotations ?? entry;
  const path = (entry.path ?? []).map((p) => p.value).join('.');
  if (!path.startsWith('data.plantproof.checks.') || a.scope !== 'package') continue;
  const custom = a.custom ?? {};
  const file = entry.location?.file ?? path;
  const missing = required.filter((k) => custom[k] === undefined);
  if (missing.length) problems.push(`${file}: METADATA custom is missing ${missing.join(', ')}`);
  const expected = path.slice('data.plantproof.checks.'.length);
  if (custom.id !== expected)
    problems.push(`${file}: custom.id "${custom.id}" must equal the package path "${expected}"`);
  if (!a.title) problems.push(`${file}: METADATA title is missing`);
  checks[expected] = {
    id: expected,
    title: a.title,
    description: a.description ?? '',
    domain: custom.domain,
    severity: custom.severity,
    likelihood: custom.likelihood,
    impact: custom.impact,
    kinds: custom.kinds,
    remediation: custom.remediation,
    file: file.replace(/^.*?(policies\/)/, '$1'),
  };
}
if (problems.length) {
  console.error(problems.join('\n'));
  process.exit(2);
}
const sorted = Object.fromEntries(
  Object.keys(checks)
    .sort()
    .map((k) => [k, checks[k]]),
);
process.stdout.write(`${JSON.stringify(sorted, null, 2)}\n`);
