import type { Results } from '../../check.js';
import type { RequirementResult } from '../../controls/assess.js';

/** XML 1.0 cannot carry most control characters at all; they are dropped, the rest escaped. */
export function xmlEscape(s: string): string {
  return (
    s
      // biome-ignore lint/suspicious/noControlCharactersInRegex: removing exactly these characters is the point
      .replace(/[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/g, '')
      .replace(/&/g, '&amp;')
      .replace(/</g, '&lt;')
      .replace(/>/g, '&gt;')
      .replace(/"/g, '&quot;')
      .replace(/'/g, '&apos;')
  );
}

function testcase(framework: string, r: RequirementResult): string {
  const name = xmlEscape(`${r.id} ${r.title}`);
  const open = `    <testcase classname="${xmlEscape(framework)}" name="${name}" time="0"`;
  const details = [
    r.reason,
    r.owner ? `owner: ${r.owner}` : '',
    r.dueDate ? `due: ${r.dueDate}` : '',
    r.checks.length ? `checks: ${r.checks.map((c) => `${c.id}=${c.status}`).join(', ')}` : '',
    r.evidence.length ? `evidence: ${r.evidence.map((e) => `${e.id}=${e.status}`).join(', ')}` : '',
  ]
    .filter(Boolean)
    .join('\n');
  switch (r.status) {
    case 'satisfied':
      return `${open}/>`;
    case 'waived':
      // A waived requirement passes (exit code 0); the waiver is recorded next to it.
      return `${open}>\n      <system-out>${xmlEscape(details)}</system-out>\n    </testcase>`;
    case 'not_satisfied':
      return `${open}>\n      <failure message="${xmlEscape(r.reason)}" type="not_satisfied">${xmlEscape(details)}</failure>\n    </testcase>`;
    case 'error':
      return `${open}>\n      <error message="${xmlEscape(r.reason)}" type="error">${xmlEscape(details)}</error>\n    </testcase>`;
    case 'not_assessed':
      return `${open}>\n      <skipped message="${xmlEscape(`not assessed: ${r.reason}`)}"/>\n    </testcase>`;
  }
}

/**
 * JUnit XML for CI dashboards: one test suite per framework, one test case per requirement.
 * not satisfied → failure, error → error, not assessed → skipped, satisfied and waived → pass.
 */
export function renderJunit(results: Results): string {
  const timestamp = results.evaluatedAt.replace(/\.\d+Z$|Z$/, '');
  const totals = { tests: 0, failures: 0, errors: 0, skipped: 0 };
  const suites = results.frameworks.map((f) => {
    const s = f.summary;
    totals.tests += s.total;
    totals.failures += s.not_satisfied;
    totals.errors += s.error;
    totals.skipped += s.not_assessed;
    return [
      `  <testsuite name="${xmlEscape(f.title)}" id="${xmlEscape(f.id)}" package="${xmlEscape(f.id)}" tests="${s.total}" failures="${s.not_satisfied}" errors="${s.error}" skipped="${s.not_assessed}" time="0" timestamp="${timestamp}" hostname="plantproof">`,
      '    <properties>',
      `      <property name="framework.version" value="${xmlEscape(f.version)}"/>`,
      `      <property name="control-map.sha256" value="${xmlEscape(f.digest)}"/>`,
      `      <property name="waived" value="${s.waived}"/>`,
      '    </properties>',
      ...f.requirements.map((r) => testcase(f.id, r)),
      '  </testsuite>',
    ].join('\n');
  });
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites name="${xmlEscape(`plantproof: ${results.scope.name}`)}" tests="${totals.tests}" failures="${totals.failures}" errors="${totals.errors}" skipped="${totals.skipped}" time="0">`,
    ...suites,
    '</testsuites>',
    '',
  ].join('\n');
}
