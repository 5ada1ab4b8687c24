import type { Results } from '../../check.js';
import type { FindingChange, RequirementChange } from '../diff.js';
import {
  buildGapModel,
  dateOf,
  describeRisk,
  type GapModel,
  type RequirementRef,
  SEVERITY_LABEL,
  STATUS_LABEL,
} from '../model.js';

export interface MarkdownReportOptions {
  /** earlier runs, for the trend and the diff */
  history?: Results[];
  /** how many top risks the executive summary names */
  topRisks?: number;
  /** resources listed per failing check before "and N more" */
  maxResources?: number;
}

/** Text in Markdown: characters that would format, link or break a table cell are escaped. */
export function mdText(s: string): string {
  return s.replace(/\r?\n/g, ' ').replace(/([\\`*_[\]<>|#!~])/g, '\\$1');
}

/** A code span that survives backticks in the value and sits safely in a table cell. */
export function mdCode(s: string): string {
  const longest = Math.max(0, ...(s.match(/`+/g) ?? []).map((m) => m.length));
  const fence = '`'.repeat(longest + 1);
  const body = s.replace(/\r?\n/g, ' ').replace(/\|/g, '\\|');
  const pad = body.startsWith('`') || body.endsWith('`') ? ' ' : '';
  return `${fence}${pad}${body}${pad}${fence}`;
}

export function progressBar(percent: number, width = 20): string {
  const filled = Math.round((percent / 100) * width);
  return `${'█'.repeat(filled)}${'░'.repeat(width - filled)}`;
}

const plural = (n: number, word: string, many = `${word}s`) => `${n} ${n === 1 ? word : many}`;
const pct = (p: number) => `${Number.isInteger(p) ? p : p.toFixed(1)}%`;
const refList = (refs: RequirementRef[]) =>
  refs.map((r) => `${mdText(r.framework)} ${mdText(r.id)}`).join(', ') || '-';
const overdue = (date: string | null, now: string) => (date && date < now.slice(0, 10) ? ' (overdue)' : '');

function headerLines(model: GapModel): string[] {
  const r = model.results;
  const failed = r.sources.filter((s) => s.status !== 'ok').length;
  return [
    `# Gap report: ${mdText(r.scope.name)}`,
    '',
    `Evaluated ${dateOf(r.evaluatedAt)} against the snapshot collected ${mdText(r.snapshot.collectedAt)} ` +
      `(${plural(r.snapshot.entities, 'entity', 'entities')} from ${plural(r.sources.length, 'source')}` +
      `${failed ? `, ${failed} failed or partial` : ''}; plantproof ${mdText(r.tool.version)}).`,
    '',
  ];
}

function summaryLines(model: GapModel, opts: MarkdownReportOptions): string[] {
  const out: string[] = ['## Executive summary', ''];
  const t = model.totals;
  out.push(
    `${t.satisfied} of ${plural(t.total, 'requirement')} across ${plural(model.posture.length, 'framework')} are satisfied; ` +
      `${t.not_satisfied} not satisfied, ${t.error} could not be judged, ${t.not_assessed} not assessed, ${t.waived} waived.`,
    '',
  );
  out.push(
    '| Framework | Satisfied | Posture | Not satisfied | Error | Not assessed | Waived |',
    '|---|---:|---|---:|---:|---:|---:|',
  );
  for (const f of model.posture) {
    const s = f.summary;
    out.push(
      `| ${mdText(f.title)} | ${s.satisfied} / ${s.total} | \`${progressBar(f.percent)}\` ${pct(f.percent)} | ${s.not_satisfied} | ${s.error} | ${s.not_assessed} | ${s.waived} |`,
    );
  }
  out.push('');

  const top = model.risks.slice(0, opts.topRisks ?? 5);
  out.push('### Top risks', '');
  if (top.length === 0) out.push('No open failures: every failing resource is fixed or covered by a waiver.');
  top.forEach((risk, i) => {
    const c = risk.check;
    out.push(
      `${i + 1}. **${SEVERITY_LABEL[c.severity]}** (likelihood ${c.likelihood} × impact ${c.impact}): ${mdText(describeRisk(risk))} ` +
        `Owner: ${mdText(c.owner ?? 'unassigned')}; fix by ${c.dueDate ?? '-'}.`,
    );
  });
  if (model.risks.length > top.length)
    out.push('', `${plural(model.risks.length - top.length, 'more failing check')} in the findings below.`);
  out.push('');

  if (model.sourceFailures.length > 0) {
    const checks = new Set(model.sourceFailures.flatMap((s) => s.checks.map((c) => c.id)));
    out.push(
      `> **${plural(model.sourceFailures.length, 'source')} failed or returned partial data** ` +
        `(${model.sourceFailures.map((s) => `${mdText(s.source.id)}: ${s.source.status}`).join('; ')}). ` +
        `${plural(checks.size, 'check')} could not be judged and count as errors, never as passes.`,
      '',
    );
  }
  const ev = model.evidenceGaps;
  if (ev.length > 0) {
    const missing = ev.filter((e) => e.evidence.status === 'missing').length;
    out.push(`Manual evidence: ${missing} missing, ${ev.length - missing} stale (see Not assessed).`, '');
  }
  if (model.diff && model.previous) {
    const r = model.diff.requirements;
    const f = model.diff.findings;
    out.push(
      `**Since the previous run (${dateOf(model.previous.evaluatedAt)}):** requirements ${r.new.length} new, ` +
        `${r.fixed.length} fixed, ${r.regressed.length} regressed, ${r.stillFailing.length} still failing; ` +
        `findings ${f.new.length} new, ${f.fixed.length} fixed, ${f.regressed.length} regressed, ${f.stillFailing.length} still failing.`,
      '',
    );
  }
  return out;
}

function trendLines(model: GapModel): string[] {
  if (model.trend.length === 0 || !model.diff || !model.previous) return [];
  const out: string[] = ['## Trend', '', 'Satisfied requirements per framework, oldest run first.', ''];
  out.push(
    `| Run | ${model.posture.map((f) => mdText(f.title)).join(' | ')} |`,
    `|---|${model.posture.map(() => '---:').join('|')}|`,
  );
  for (const run of model.trend) {
    const cells = model.posture.map((f) => {
      const v = run.frameworks[f.id];
      return v ? `${pct(v.percent)} (${v.satisfied}/${v.total})` : '-';
    });
    out.push(`| ${dateOf(run.evaluatedAt)} | ${cells.join(' | ')} |`);
  }
  out.push('', `### Changes since ${dateOf(model.previous.evaluatedAt)}`, '');
  const reqRow = (kind: string, c: RequirementChange) =>
    `| ${kind} | ${mdText(c.framework)} | ${mdText(c.id)} ${mdText(c.title)} | ${c.before ? STATUS_LABEL[c.before] : '-'} | ${c.after ? STATUS_LABEL[c.after] : '-'} |`;
  const r = model.diff.requirements;
  const reqRows = [
    ...r.regressed.map((c) => reqRow('Regressed', c)),
    ...r.new.map((c) => reqRow('New', c)),
    ...r.fixed.map((c) => reqRow('Fixed', c)),
    ...r.stillFailing.map((c) => reqRow('Still failing', c)),
    ...r.changed.map((c) => reqRow('Changed', c)),
  ];
  if (reqRows.length === 0) out.push('No requirement changed status.', '');
  else
    out.push('| Change | Framework | Requirement | Before | Now |', '|---|---|---|---|---|', ...reqRows, '');
  const fRow = (kind: string, c: FindingChange) =>
    `| ${kind} | ${mdCode(c.check)} | ${mdCode(c.resource)} | ${SEVERITY_LABEL[c.severity]} | ${c.before ?? '-'} | ${c.after ?? '-'} |`;
  const f = model.diff.findings;
  const fRows = [
    ...f.regressed.map((c) => fRow('Regressed', c)),
    ...f.new.map((c) => fRow('New', c)),
    ...f.fixed.map((c) => fRow('Fixed', c)),
    ...f.waived.map((c) => fRow('Waived', c)),
    ...f.unverified.map((c) => fRow('Not verifiable', c)),
    ...f.stillFailing.map((c) => fRow('Still failing', c)),
  ];
  if (fRows.length > 0)
    out.push(
      '| Change | Check | Resource | Severity | Before | Now |',
      '|---|---|---|---|---|---|',
      ...fRows,
      '',
    );
  return out;
}

function matrixLines(model: GapModel): string[] {
  const out: string[] = [
    '## Risk matrix',
    '',
    `Open findings (failing resources without an active waiver) by the likelihood and impact of their check: ${model.matrix.total} in total.`,
    '',
    '| Likelihood \\ Impact | 1 | 2 | 3 | 4 | 5 |',
    '|---|---:|---:|---:|---:|---:|',
  ];
  for (let l = 5; l >= 1; l--) {
    const row = [1, 2, 3, 4, 5].map((i) => {
      const n = model.matrix.cells[l - 1]![i - 1]!.findings;
      return n === 0 ? '·' : `**${n}**`;
    });
    out.push(`| **${l}** | ${row.join(' | ')} |`);
  }
  out.push('');
  return out;
}

function findingsLines(model: GapModel, opts: MarkdownReportOptions): string[] {
  const max = opts.maxResources ?? 20;
  const out: string[] = ['## Findings by requirement', ''];
  const any = model.gaps.some((g) => g.items.length > 0);
  if (!any) out.push('No requirement is not satisfied.', '');
  for (const { framework, items } of model.gaps) {
    if (items.length === 0) continue;
    out.push(`### ${mdText(framework.title)}`, '');
    for (const { requirement: r, failing } of items) {
      out.push(`#### ${mdText(r.id)}: ${mdText(r.title)}`, '');
      out.push(
        `- **Status:** ${STATUS_LABEL[r.status]}. ${mdText(r.reason)}`,
        `- **Owner:** ${mdText(r.owner ?? 'unassigned')}`,
        `- **Due:** ${r.dueDate ?? '-'}${overdue(r.dueDate, model.results.evaluatedAt)}`,
      );
      out.push('', '| Check | Severity | Affected resources | Remediation |', '|---|---|---|---|');
      for (const { check: c, open } of failing) {
        const shown = open.slice(0, max).map((f) => `${mdCode(f.resource)}: ${mdText(f.message)}`);
        if (open.length > max) shown.push(`and ${open.length - max} more (see findings.csv)`);
        out.push(
          `| ${mdCode(c.id)} ${mdText(c.title)} | ${SEVERITY_LABEL[c.severity]} | ${shown.join('<br>')} | ${mdText(c.remediation)} |`,
        );
      }
      out.push('');
    }
  }
  return out;
}

function notAssessedLines(model: GapModel): string[] {
  const out: string[] = ['## Not assessed', ''];
  if (model.evidenceGaps.length === 0 && model.unscoped.length === 0) {
    out.push('Every requirement was assessed.', '');
    return out;
  }
  const now = model.results.evaluatedAt;
  if (model.evidenceGaps.length > 0) {
    out.push(
      '### Manual evidence missing or stale',
      '',
      '| Evidence | Status | Last performed | Was due | Owner | Blocks | What an auditor expects |',
      '|---|---|---|---|---|---|---|',
    );
    for (const { evidence: e, requirements } of model.evidenceGaps) {
      out.push(
        `| ${mdText(e.title)} (${mdCode(e.id)}, ${e.cadence}) | ${e.status === 'missing' ? 'Missing' : 'Stale'} | ` +
          `${dateOf(e.lastPerformedAt) || 'never'} | ${e.dueAt ? `${e.dueAt}${overdue(e.dueAt, now)}` : 'no attestation on file'} | ` +
          `${mdText(e.owner ?? 'unassigned')} | ${refList(requirements)} | ${mdText(e.expects)} |`,
      );
    }
    out.push('');
  }
  if (model.unscoped.length > 0) {
    out.push(
      '### Nothing in scope',
      '',
      'No resource of the kinds these requirements are checked on was collected, so nothing proves them.',
      '',
    );
    for (const r of model.unscoped)
      out.push(`- ${mdText(r.frameworkTitle)} ${mdText(r.id)}: ${mdText(r.title)}`);
    out.push('');
  }
  return out;
}

function waiverLines(model: GapModel): string[] {
  const waiverResources = (w: GapModel['waivers'][number]) => {
    if (w.resources.length === 0) return `none failing (pattern ${mdCode(w.waiver.resources)})`;
    const list = w.resources.map(mdCode).join(', ');
    return w.waiver.state === 'active' ? list : `${list} (no longer covered)`;
  };
  const out: string[] = ['## Waived', ''];
  if (model.waivers.length === 0) {
    out.push('No waivers.', '');
    return out;
  }
  out.push(
    '| Waiver | Check | Resources covered | Approved by | Approved | Expires | State | Requirements waived | Justification |',
    '|---|---|---|---|---|---|---|---|---|',
  );
  for (const w of model.waivers) {
    const x = w.waiver;
    out.push(
      `| ${mdText(x.id)} | ${mdCode(x.check)} | ${waiverResources(w)} | ` +
        `${mdText(x.approver)} | ${dateOf(x.approvedAt) || '-'} | ${dateOf(x.expires)} | ` +
        `${x.state === 'active' ? 'Active' : '**Expired**: its failures count again'} | ${refList(w.requirements)} | ${mdText(x.justification)} |`,
    );
  }
  out.push('');
  return out;
}

function errorLines(model: GapModel): string[] {
  const out: string[] = ['## Errors', ''];
  if (model.sourceFailures.length === 0) {
    out.push('Every source was collected in full.', '');
    return out;
  }
  out.push(
    'A check that needs a failed or partial source is an error, even if the resources that did arrive pass.',
    '',
    '| Source | Status | What went wrong | Checks it blocks | Requirements it blocks |',
    '|---|---|---|---|---|',
  );
  for (const f of model.sourceFailures) {
    const s = f.source;
    const why = [s.error, ...s.gaps].filter(Boolean).join('; ') || 'incomplete';
    out.push(
      `| ${mdCode(s.id)} | ${s.status} | ${mdText(why)} | ${f.checks.map((c) => mdCode(c.id)).join(', ') || '-'} | ${refList(f.requirements)} |`,
    );
  }
  out.push('');
  return out;
}

function footerLines(results: Results): string[] {
  const short = (d: string | null) => (d ? d.slice(0, 12) : '-');
  return [
    '---',
    '',
    `Reproducible from results.json: snapshot sha256 ${short(results.snapshot.digest)}, config ${short(results.config.digest)}, ` +
      `policy ${short(results.policy.wasmDigest)}, control maps ${results.controls.map((c) => `${mdText(c.framework)} ${short(c.digest)}`).join(', ')}.`,
  ];
}

/** The executive summary alone: what a GitHub job summary shows. */
export function renderExecutiveSummaryMarkdown(results: Results, opts: MarkdownReportOptions = {}): string {
  const model = buildGapModel(results, { history: opts.history });
  return `${[...headerLines(model), ...summaryLines(model, opts)].join('\n').trimEnd()}\n`;
}

/** The gap report: executive summary, trend, risk matrix, findings, not assessed, waived, errors. */
export function renderGapReportMarkdown(results: Results, opts: MarkdownReportOptions = {}): string {
  const model = buildGapModel(results, { history: opts.history });
  const out = [
    ...headerLines(model),
    ...summaryLines(model, opts),
    ...trendLines(model),
    ...matrixLines(model),
    ...findingsLines(model, opts),
    ...notAssessedLines(model),
    ...waiverLines(model),
    ...errorLines(model),
    ...footerLines(results),
  ];
  return `${out.join('\n').trimEnd()}\n`;
}
