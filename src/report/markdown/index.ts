import type { Results } from '../../check.js';
import type { RequirementStatus } from '../../controls/assess.js';

const LABEL: Record<RequirementStatus, string> = {
  satisfied: 'satisfied',
  not_satisfied: 'not satisfied',
  error: 'error',
  not_assessed: 'not assessed',
  waived: 'waived',
};

const esc = (s: string) => s.replace(/\|/g, '\\|').replace(/\n/g, ' ');

/** The gap report: per framework, every requirement that is not satisfied, with the reason. */
export function renderGapReportMarkdown(results: Results): string {
  const out: string[] = [];
  out.push(`# Gap report: ${results.scope.name}`, '');
  out.push(
    `Evaluated ${results.evaluatedAt.slice(0, 10)} against the snapshot collected ${results.snapshot.collectedAt} ` +
      `(${results.snapshot.entities} entities, plantproof ${results.tool.version}).`,
    '',
  );
  const failedSources = results.sources.filter((s) => s.status !== 'ok');
  if (failedSources.length > 0) {
    out.push('## Sources that failed', '', 'Checks that need these sources are `error`, never `pass`.', '');
    for (const s of failedSources)
      out.push(`- **${s.id}** ${s.status}: ${esc(s.error ?? s.gaps.join('; '))}`);
    out.push('');
  }
  out.push(
    '## Summary',
    '',
    '| framework | satisfied | not satisfied | error | not assessed | waived | total |',
  );
  out.push('|---|---:|---:|---:|---:|---:|---:|');
  for (const f of results.frameworks) {
    const s = f.summary;
    out.push(
      `| ${esc(f.title)} | ${s.satisfied} | ${s.not_satisfied} | ${s.error} | ${s.not_assessed} | ${s.waived} | ${s.total} |`,
    );
  }
  out.push('');
  for (const f of results.frameworks) {
    out.push(`## ${f.title}`, '');
    const open = f.requirements.filter((r) => r.status !== 'satisfied');
    if (open.length === 0) {
      out.push('Every requirement is satisfied.', '');
      continue;
    }
    out.push('| requirement | status | reason | owner | due |', '|---|---|---|---|---|');
    for (const r of open) {
      out.push(
        `| ${esc(r.id)} ${esc(r.title)} | ${LABEL[r.status]} | ${esc(r.reason)} | ${esc(r.owner ?? '-')} | ${r.dueDate ?? '-'} |`,
      );
    }
    out.push('');
  }
  const failing = results.checks.filter((c) => c.failing > 0);
  if (failing.length > 0) {
    out.push('## Failing checks', '');
    for (const c of failing) {
      out.push(`### ${c.id}: ${c.title} (${c.severity})`, '', c.remediation, '');
      for (const f of c.findings.filter((x) => x.status === 'fail' && !x.waiver)) {
        out.push(`- \`${f.resource}\`: ${esc(f.message)}`);
      }
      out.push('');
    }
  }
  return `${out.join('\n').trimEnd()}\n`;
}
