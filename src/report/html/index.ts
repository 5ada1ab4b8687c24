import { createHash } from 'node:crypto';
import type { Results } from '../../check.js';
import type { RequirementStatus } from '../../controls/assess.js';
import type { FindingChange, RequirementChange } from '../diff.js';
import {
  buildGapModel,
  dateOf,
  describeRisk,
  type GapModel,
  type RequirementRef,
  riskBand,
  SEVERITY_LABEL,
  STATUS_LABEL,
  STATUS_ORDER,
} from '../model.js';
import { STYLES } from './styles.js';

export interface HtmlReportOptions {
  history?: Results[];
  /** shown in the header, e.g. the bundle's folder name */
  bundleName?: string;
  topRisks?: number;
  /** resources listed per failing check before "and N more" */
  maxResources?: number;
}

const ESCAPES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};
/** Escape text for HTML content and attribute values. */
export const esc = (s: string | number): string => String(s).replace(/[&<>"']/g, (c) => ESCAPES[c]!);

/** Closed <details> do not print; open them all before printing. The only script, pinned by its hash. */
const PRINT_SCRIPT =
  "window.addEventListener('beforeprint',function(){document.querySelectorAll('details').forEach(function(d){d.open=true})});";
const PRINT_SCRIPT_HASH = createHash('sha256').update(PRINT_SCRIPT).digest('base64');
const CSP = [
  "default-src 'none'",
  "style-src 'unsafe-inline'",
  'img-src data:',
  `script-src 'sha256-${PRINT_SCRIPT_HASH}'`,
  "base-uri 'none'",
  "form-action 'none'",
].join('; ');

const FRAMEWORK_COLORS = ['#1d4ed8', '#0f766e', '#b45309', '#7c3aed', '#be123c', '#4d7c0f', '#0369a1'];

const pct = (p: number) => `${Number.isInteger(p) ? p : p.toFixed(1)}%`;
const plural = (n: number, word: string, many = `${word}s`) => `${n} ${n === 1 ? word : many}`;
const badge = (s: RequirementStatus) => `<span class="badge st-${s}">${esc(STATUS_LABEL[s])}</span>`;
const sevBadge = (s: keyof typeof SEVERITY_LABEL) =>
  `<span class="sev sev-${s}">${esc(SEVERITY_LABEL[s])}</span>`;
const code = (s: string) => `<code>${esc(s)}</code>`;
const refs = (list: RequirementRef[]) =>
  list.length === 0
    ? '<span class="muted">–</span>'
    : `<ul class="refs">${list.map((r) => `<li><span class="fw">${esc(r.framework)}</span> ${esc(r.id)}</li>`).join('')}</ul>`;
const isOverdue = (date: string | null | undefined, now: string) => Boolean(date && date < now.slice(0, 10));
const due = (date: string | null | undefined, now: string) =>
  !date
    ? '<span class="muted">–</span>'
    : isOverdue(date, now)
      ? `<span class="overdue date">${esc(date)} <small>overdue</small></span>`
      : `<time datetime="${esc(date)}">${esc(date)}</time>`;

function stackedBar(summary: GapModel['posture'][number]['summary']): string {
  if (summary.total === 0) return '<div class="bar"></div>';
  const seg = (status: RequirementStatus) => {
    const n = summary[status];
    if (n === 0) return '';
    const w = (n / summary.total) * 100;
    return `<span class="seg st-${status}" style="width:${w.toFixed(3)}%" title="${esc(STATUS_LABEL[status])}: ${n}"></span>`;
  };
  const order: RequirementStatus[] = ['satisfied', 'waived', 'not_assessed', 'error', 'not_satisfied'];
  return `<div class="bar" role="img" aria-label="${summary.satisfied} of ${summary.total} satisfied">${order.map(seg).join('')}</div>`;
}

function header(model: GapModel, opts: HtmlReportOptions): string {
  const r = model.results;
  const failed = model.sourceFailures.length;
  const gaps = model.totals.not_satisfied + model.totals.error;
  const [verdictClass, verdict] =
    failed > 0
      ? ['warn', `${plural(failed, 'source')} failed: results are incomplete`]
      : gaps > 0
        ? ['bad', `Gaps found in ${plural(model.totals.not_satisfied, 'requirement')}`]
        : ['good', 'Every assessed requirement is satisfied or waived'];
  const meta: [string, string][] = [
    ['Evaluated', `<time datetime="${esc(r.evaluatedAt)}">${esc(dateOf(r.evaluatedAt))}</time>`],
    [
      'Snapshot collected',
      `<time datetime="${esc(r.snapshot.collectedAt)}">${esc(r.snapshot.collectedAt.replace('T', ' ').replace(/\.\d+Z$|Z$/, ' UTC'))}</time>`,
    ],
    ['Entities', esc(r.snapshot.entities.toLocaleString('en-US'))],
    [
      'Sources',
      `${r.sources.length - failed} ok${failed ? `, <strong>${failed} failed or partial</strong>` : ''}`,
    ],
    ['Frameworks', esc(model.posture.length)],
    ['plantproof', esc(r.tool.version)],
  ];
  if (opts.bundleName) meta.push(['Bundle', code(opts.bundleName)]);
  return `<header class="masthead">
  <div class="wrap">
    <div class="brand"><span class="logo" aria-hidden="true">◆</span> plantproof <span class="sep">/</span> Compliance gap report</div>
    <h1>${esc(r.scope.name)}</h1>
    ${r.scope.description ? `<p class="scope">${esc(r.scope.description)}</p>` : ''}
    <div class="verdict ${verdictClass}" id="verdict">${esc(verdict)}</div>
    <dl class="meta">${meta.map(([k, v]) => `<div><dt>${esc(k)}</dt><dd>${v}</dd></div>`).join('')}</dl>
  </div>
</header>`;
}

function nav(model: GapModel): string {
  const items: [string, string][] = [
    ['summary', 'Summary'],
    ['trend', 'Trend'],
    ['risk-matrix', 'Risk matrix'],
    ['findings', `Findings (${model.totals.not_satisfied})`],
    ['not-assessed', `Not assessed (${model.totals.not_assessed})`],
    ['waived', `Waived (${model.totals.waived})`],
    ['errors', `Errors (${model.sourceFailures.length})`],
    ['all-requirements', 'All requirements'],
  ];
  return `<nav class="toc" aria-label="Sections"><div class="wrap">${items.map(([id, label]) => `<a href="#${id}">${esc(label)}</a>`).join('')}</div></nav>`;
}

function summary(model: GapModel, opts: HtmlReportOptions): string {
  const t = model.totals;
  const cards = model.posture
    .map((f) => {
      const s = f.summary;
      const legend = STATUS_ORDER.filter((st) => st !== 'satisfied')
        .map((st) => `<li><span class="dot st-${st}"></span>${esc(STATUS_LABEL[st])} <b>${s[st]}</b></li>`)
        .join('');
      return `<article class="card posture" data-framework="${esc(f.id)}">
  <h3>${esc(f.title)}</h3>
  <p class="version">${esc(f.version)}</p>
  <p class="figure"><span class="ratio" data-testid="ratio-${esc(f.id)}">${s.satisfied} / ${s.total}</span> <span class="unit">satisfied</span><span class="pct">${pct(f.percent)}</span></p>
  ${stackedBar(s)}
  <ul class="legend">${legend}</ul>
</article>`;
    })
    .join('\n');

  const top = model.risks.slice(0, opts.topRisks ?? 5);
  const now = model.results.evaluatedAt;
  const riskRows = top
    .map(
      (risk, i) => `<tr>
  <td class="num">${i + 1}</td>
  <td>${sevBadge(risk.check.severity)}</td>
  <td><p class="risk-text">${esc(describeRisk(risk))}</p><p class="muted small">${code(risk.check.id)}</p></td>
  <td class="num"><span class="score band-${riskBand(risk.score)}" title="likelihood ${risk.check.likelihood} × impact ${risk.check.impact}">${risk.check.likelihood}×${risk.check.impact}</span></td>
  <td>${esc(risk.check.owner ?? 'unassigned')}</td>
  <td>${due(risk.check.dueDate, now)}</td>
</tr>`,
    )
    .join('\n');
  const risksTable =
    top.length === 0
      ? '<p class="callout good">No open failures: every failing resource is fixed or covered by an active waiver.</p>'
      : `<table class="data risks">
  <caption>Open failures ranked by likelihood × impact, then severity</caption>
  <thead><tr><th scope="col">#</th><th scope="col">Severity</th><th scope="col">Risk</th><th scope="col">L × I</th><th scope="col">Owner</th><th scope="col">Fix by</th></tr></thead>
  <tbody>${riskRows}</tbody>
</table>${model.risks.length > top.length ? `<p class="muted">${plural(model.risks.length - top.length, 'more failing check')} below under <a href="#findings">Findings</a>.</p>` : ''}`;

  const callouts: string[] = [];
  if (model.sourceFailures.length > 0) {
    const checks = new Set(model.sourceFailures.flatMap((s) => s.checks.map((c) => c.id)));
    callouts.push(
      `<p class="callout warn"><strong>${plural(model.sourceFailures.length, 'source')} failed or returned partial data</strong> (${model.sourceFailures.map((s) => `${code(s.source.id)} ${esc(s.source.status)}`).join(', ')}). ${plural(checks.size, 'check')} could not be judged; they count as errors, never as passes. See <a href="#errors">Errors</a>.</p>`,
    );
  }
  if (model.evidenceGaps.length > 0) {
    const missing = model.evidenceGaps.filter((e) => e.evidence.status === 'missing').length;
    callouts.push(
      `<p class="callout info"><strong>Manual evidence:</strong> ${missing} missing, ${model.evidenceGaps.length - missing} stale. See <a href="#not-assessed">Not assessed</a>.</p>`,
    );
  }
  const expired = model.waivers.filter((w) => w.waiver.state === 'expired' && w.resources.length > 0);
  if (expired.length > 0) {
    callouts.push(
      `<p class="callout info"><strong>${plural(expired.length, 'waiver')} expired</strong> (${expired.map((w) => esc(w.waiver.id)).join(', ')}): the failures they covered count again. See <a href="#waived">Waived</a>.</p>`,
    );
  }

  return `<section id="summary" class="panel">
  <h2>Executive summary</h2>
  <p class="lead"><strong>${t.satisfied} of ${t.total}</strong> requirements across ${plural(model.posture.length, 'framework')} are satisfied. ${t.not_satisfied} not satisfied, ${t.error} could not be judged, ${t.not_assessed} not assessed, ${t.waived} waived.</p>
  <div class="cards">${cards}</div>
  ${callouts.join('\n')}
  <h3 class="sub">Top risks</h3>
  ${risksTable}
</section>`;
}

function trendChart(model: GapModel): string {
  const runs = model.trend;
  const W = 760;
  const H = 250;
  const m = { l: 46, r: 20, t: 14, b: 40 };
  const iw = W - m.l - m.r;
  const ih = H - m.t - m.b;
  const x = (i: number) => m.l + (runs.length === 1 ? iw / 2 : (i / (runs.length - 1)) * iw);
  const y = (p: number) => m.t + ih - (p / 100) * ih;
  const grid = [0, 25, 50, 75, 100]
    .map(
      (p) =>
        `<line x1="${m.l}" x2="${W - m.r}" y1="${y(p)}" y2="${y(p)}" class="grid"/><text x="${m.l - 8}" y="${y(p) + 4}" class="axis" text-anchor="end">${p}%</text>`,
    )
    .join('');
  // End labels align inwards so they are never cut off at the edges.
  const anchor = (i: number) =>
    runs.length === 1 ? 'middle' : i === 0 ? 'start' : i === runs.length - 1 ? 'end' : 'middle';
  const labels = runs
    .map(
      (r, i) =>
        `<text x="${x(i).toFixed(1)}" y="${H - m.b + 20}" class="axis" text-anchor="${anchor(i)}">${esc(dateOf(r.evaluatedAt))}</text>`,
    )
    .join('');
  const lines = model.posture
    .map((f, fi) => {
      const color = FRAMEWORK_COLORS[fi % FRAMEWORK_COLORS.length]!;
      const pts = runs
        .map((r, i) => ({ i, v: r.frameworks[f.id] }))
        .filter((p): p is { i: number; v: NonNullable<typeof p.v> } => Boolean(p.v));
      const poly = pts.map((p) => `${x(p.i).toFixed(1)},${y(p.v.percent).toFixed(1)}`).join(' ');
      const dots = pts
        .map(
          (p) =>
            `<circle cx="${x(p.i).toFixed(1)}" cy="${y(p.v.percent).toFixed(1)}" r="3.5" fill="${color}"><title>${esc(f.title)} ${esc(dateOf(runs[p.i]!.evaluatedAt))}: ${pct(p.v.percent)} (${p.v.satisfied}/${p.v.total})</title></circle>`,
        )
        .join('');
      // Every other line is dashed, so frameworks with the same figures stay distinguishable.
      const dash = fi % 2 === 1 ? ' stroke-dasharray="7 4"' : '';
      return `<polyline points="${poly}" fill="none" stroke="${color}" stroke-width="2.25" stroke-linejoin="round"${dash}/>${dots}`;
    })
    .join('');
  const legend = model.posture
    .map(
      (f, fi) =>
        `<li><span class="swatch${fi % 2 === 1 ? ' dashed' : ''}" style="border-top-color:${FRAMEWORK_COLORS[fi % FRAMEWORK_COLORS.length]}"></span>${esc(f.title)}</li>`,
    )
    .join('');
  return `<figure class="chart">
  <svg viewBox="0 0 ${W} ${H}" width="100%" role="img" aria-labelledby="trend-title"><title id="trend-title">Satisfied requirements per framework over ${runs.length} runs</title>${grid}${labels}${lines}</svg>
  <figcaption><ul class="chart-legend">${legend}</ul></figcaption>
</figure>`;
}

function trend(model: GapModel): string {
  if (!model.diff || !model.previous || model.trend.length === 0) {
    return `<section id="trend" class="panel">
  <h2>Trend</h2>
  <p class="muted">No earlier runs were given. Pass earlier evidence bundles with <code>plantproof report BUNDLE --history DIR</code> to see satisfied % per framework over time and what changed since the previous run.</p>
</section>`;
  }
  const head = model.posture.map((f) => `<th scope="col">${esc(f.title)}</th>`).join('');
  const rows = model.trend
    .map((run) => {
      const cells = model.posture
        .map((f) => {
          const v = run.frameworks[f.id];
          return `<td class="num">${v ? `${pct(v.percent)} <span class="muted">(${v.satisfied}/${v.total})</span>` : '–'}</td>`;
        })
        .join('');
      return `<tr><th scope="row">${esc(dateOf(run.evaluatedAt))}</th>${cells}</tr>`;
    })
    .join('');
  const d = model.diff;
  const tile = (label: string, n: number, cls: string, id: string) =>
    `<div class="tile ${cls}" data-testid="${id}"><span class="n">${n}</span><span class="l">${esc(label)}</span></div>`;
  const now = (s: RequirementStatus | null) => (s ? badge(s) : '<span class="muted">absent</span>');
  const reqRow = (kind: string, c: RequirementChange) =>
    `<tr><td><span class="chg chg-${kind.toLowerCase().replace(/\s+/g, '-')}">${esc(kind)}</span></td><td>${esc(c.framework)}</td><td><b>${esc(c.id)}</b> ${esc(c.title)}</td><td>${now(c.before)}</td><td>${now(c.after)}</td></tr>`;
  const reqRows = [
    ...d.requirements.regressed.map((c) => reqRow('Regressed', c)),
    ...d.requirements.new.map((c) => reqRow('New', c)),
    ...d.requirements.fixed.map((c) => reqRow('Fixed', c)),
    ...d.requirements.changed.map((c) => reqRow('Changed', c)),
  ].join('');
  const stillRows = d.requirements.stillFailing.map((c) => reqRow('Still failing', c)).join('');
  const reqHead =
    '<thead><tr><th scope="col">Change</th><th scope="col">Framework</th><th scope="col">Requirement</th><th scope="col">Before</th><th scope="col">Now</th></tr></thead>';
  const fState = (s: FindingChange['before']) => (s ? esc(s) : '<span class="muted">absent</span>');
  const fRow = (kind: string, c: FindingChange) =>
    `<tr><td><span class="chg chg-${kind.toLowerCase().replace(/\s+/g, '-')}">${esc(kind)}</span></td><td>${code(c.check)}</td><td>${code(c.resource)}</td><td>${sevBadge(c.severity)}</td><td>${fState(c.before)}</td><td>${fState(c.after)}</td></tr>`;
  const fRows = [
    ...d.findings.regressed.map((c) => fRow('Regressed', c)),
    ...d.findings.new.map((c) => fRow('New', c)),
    ...d.findings.fixed.map((c) => fRow('Fixed', c)),
    ...d.findings.waived.map((c) => fRow('Waived', c)),
    ...d.findings.unverified.map((c) => fRow('Not verifiable', c)),
    ...d.findings.stillFailing.map((c) => fRow('Still failing', c)),
  ].join('');
  return `<section id="trend" class="panel">
  <h2>Trend</h2>
  <p class="muted">Satisfied requirements per framework across ${plural(model.trend.length, 'run')}, oldest first.</p>
  ${trendChart(model)}
  <table class="data compact">
    <caption>Satisfied % per framework and run</caption>
    <thead><tr><th scope="col">Run</th>${head}</tr></thead>
    <tbody>${rows}</tbody>
  </table>
  <h3 class="sub">Since the previous run (${esc(dateOf(model.previous.evaluatedAt))})</h3>
  <div class="tiles">
    <div class="tiles-group"><h4>Requirements</h4>
      ${tile('New', d.requirements.new.length, 't-new', 'req-new')}${tile('Fixed', d.requirements.fixed.length, 't-fixed', 'req-fixed')}${tile('Regressed', d.requirements.regressed.length, 't-regressed', 'req-regressed')}${tile('Still failing', d.requirements.stillFailing.length, 't-still', 'req-still')}
    </div>
    <div class="tiles-group"><h4>Findings</h4>
      ${tile('New', d.findings.new.length, 't-new', 'find-new')}${tile('Fixed', d.findings.fixed.length, 't-fixed', 'find-fixed')}${tile('Regressed', d.findings.regressed.length, 't-regressed', 'find-regressed')}${tile('Still failing', d.findings.stillFailing.length, 't-still', 'find-still')}
    </div>
  </div>
  ${
    reqRows
      ? `<table class="data"><caption>Requirements that changed status</caption>
    ${reqHead}
    <tbody>${reqRows}</tbody></table>`
      : '<p class="muted">No requirement changed status.</p>'
  }
  ${
    stillRows
      ? `<details class="more"><summary>Requirements still not satisfied (${d.requirements.stillFailing.length})</summary>
    <table class="data">${reqHead}<tbody>${stillRows}</tbody></table></details>`
      : ''
  }
  ${
    fRows
      ? `<details class="more"><summary>Findings that changed or still fail (${d.findings.new.length + d.findings.fixed.length + d.findings.regressed.length + d.findings.waived.length + d.findings.unverified.length + d.findings.stillFailing.length})</summary>
    <table class="data"><thead><tr><th scope="col">Change</th><th scope="col">Check</th><th scope="col">Resource</th><th scope="col">Severity</th><th scope="col">Before</th><th scope="col">Now</th></tr></thead>
    <tbody>${fRows}</tbody></table></details>`
      : ''
  }
</section>`;
}

function matrix(model: GapModel): string {
  const rows: string[] = [];
  for (let l = 5; l >= 1; l--) {
    const cells = [1, 2, 3, 4, 5]
      .map((i) => {
        const cell = model.matrix.cells[l - 1]![i - 1]!;
        const band = riskBand(l * i);
        const title = cell.checks.length ? ` title="${esc(cell.checks.join(', '))}"` : '';
        return `<td class="cell band-${band}${cell.findings ? ' hit' : ''}" data-likelihood="${l}" data-impact="${i}"${title}>${cell.findings || '<span class="zero">·</span>'}</td>`;
      })
      .join('');
    rows.push(`<tr><th scope="row">${l}</th>${cells}</tr>`);
  }
  const listed = model.risks
    .map(
      (r) =>
        `<tr><td>${code(r.check.id)}<br><span class="small">${esc(r.check.title)}</span></td><td class="num">${r.check.likelihood}</td><td class="num">${r.check.impact}</td><td class="num">${r.open.length}</td></tr>`,
    )
    .join('');
  return `<section id="risk-matrix" class="panel">
  <h2>Risk matrix</h2>
  <p class="muted">Open findings (failing resources without an active waiver) placed by the likelihood and impact of their check: <strong data-testid="matrix-total">${model.matrix.total}</strong> in total.</p>
  <div class="matrix-wrap">
    <table class="matrix">
      <caption>Likelihood (rows) × impact (columns): number of open findings</caption>
      <thead>
        <tr><td class="corner"></td><th scope="colgroup" colspan="5" class="axis-title">Impact →</th></tr>
        <tr><th scope="col" class="axis-title">Likelihood ↓</th>${[1, 2, 3, 4, 5].map((i) => `<th scope="col">${i}</th>`).join('')}</tr>
      </thead>
      <tbody>${rows.join('')}</tbody>
    </table>
    ${
      listed
        ? `<table class="data compact matrix-list"><caption>Checks with open findings</caption>
      <thead><tr><th scope="col">Check</th><th scope="col">Likelihood</th><th scope="col">Impact</th><th scope="col">Open</th></tr></thead>
      <tbody>${listed}</tbody></table>`
        : ''
    }
  </div>
</section>`;
}

function findings(model: GapModel, opts: HtmlReportOptions): string {
  const max = opts.maxResources ?? 25;
  const now = model.results.evaluatedAt;
  const blocks = model.gaps
    .filter((g) => g.items.length > 0)
    .map(({ framework, items }) => {
      const reqs = items
        .map(({ requirement: r, failing }) => {
          const rows = failing
            .map(({ check: c, open }) => {
              const shown = open
                .slice(0, max)
                .map((f) => `<li>${code(f.resource)}<span class="msg">${esc(f.message)}</span></li>`)
                .join('');
              const more =
                open.length > max
                  ? `<li class="muted">and ${open.length - max} more (see findings.csv)</li>`
                  : '';
              return `<tr><td>${code(c.id)}<br><span class="small">${esc(c.title)}</span></td><td>${sevBadge(c.severity)}</td><td><ul class="resources">${shown}${more}</ul></td><td>${esc(c.remediation)}</td></tr>`;
            })
            .join('');
          return `<article class="req" id="req-${esc(framework.id)}-${esc(r.id.replace(/[^A-Za-z0-9.-]+/g, '_'))}">
  <header><h4><span class="rid">${esc(r.id)}</span> ${esc(r.title)}</h4>${badge(r.status)}</header>
  <dl class="facts"><div><dt>Owner</dt><dd>${esc(r.owner ?? 'unassigned')}</dd></div><div><dt>Due</dt><dd>${due(r.dueDate, now)}</dd></div><div><dt>Group</dt><dd>${esc(r.group)}</dd></div></dl>
  <p class="reason">${esc(r.reason)}</p>
  <table class="data fixed">
    <colgroup><col style="width:27%"><col style="width:10%"><col style="width:33%"><col style="width:30%"></colgroup>
    <thead><tr><th scope="col">Check</th><th scope="col">Severity</th><th scope="col">Affected resources</th><th scope="col">Remediation</th></tr></thead>
    <tbody>${rows}</tbody>
  </table>
</article>`;
        })
        .join('\n');
      return `<h3 class="fw-title">${esc(framework.title)} <span class="count">${plural(items.length, 'requirement')} not satisfied</span></h3>\n${reqs}`;
    })
    .join('\n');
  return `<section id="findings" class="panel">
  <h2>Findings by requirement</h2>
  ${blocks || '<p class="callout good">No requirement is not satisfied.</p>'}
</section>`;
}

function notAssessed(model: GapModel): string {
  const now = model.results.evaluatedAt;
  const ev = model.evidenceGaps
    .map(({ evidence: e, requirements }) => {
      const status = e.status === 'missing' ? 'Missing' : 'Stale';
      return `<tr><td><b>${esc(e.title)}</b><br>${code(e.id)} <span class="muted small">${esc(e.cadence)}</span></td><td><span class="badge ev-${e.status}">${status}</span></td><td class="date">${e.lastPerformedAt ? esc(dateOf(e.lastPerformedAt)) : '<span class="muted">never</span>'}${e.attestedBy ? `<br><span class="small muted">${esc(e.attestedBy)}</span>` : ''}</td><td>${e.dueAt ? due(e.dueAt, now) : '<span class="muted">no attestation on file</span>'}</td><td>${esc(e.owner ?? 'unassigned')}</td><td>${refs(requirements)}</td><td class="small">${esc(e.expects)}</td></tr>`;
    })
    .join('');
  const unscoped = model.unscoped
    .map((r) => `<li><span class="fw">${esc(r.framework)}</span> <b>${esc(r.id)}</b> ${esc(r.title)}</li>`)
    .join('');
  const body =
    !ev && !unscoped
      ? '<p class="callout good">Every requirement was assessed.</p>'
      : `${
          ev
            ? `<table class="data"><caption>Manual evidence missing or stale</caption>
  <thead><tr><th scope="col">Evidence</th><th scope="col">Status</th><th scope="col">Last performed</th><th scope="col">Was due</th><th scope="col">Owner</th><th scope="col">Blocks</th><th scope="col">What an auditor expects</th></tr></thead>
  <tbody>${ev}</tbody></table>`
            : ''
        }${
          unscoped
            ? `<h3 class="sub">Nothing in scope</h3><p class="muted">No resource of the kinds these requirements are checked on was collected, so nothing proves them.</p><ul class="plain">${unscoped}</ul>`
            : ''
        }`;
  return `<section id="not-assessed" class="panel">
  <h2>Not assessed</h2>
  ${body}
</section>`;
}

function waived(model: GapModel): string {
  if (model.waivers.length === 0)
    return `<section id="waived" class="panel"><h2>Waived</h2><p class="muted">No waivers.</p></section>`;
  const rows = model.waivers
    .map((w) => {
      const x = w.waiver;
      const res =
        w.resources.length === 0
          ? `<span class="muted">none failing (pattern ${code(x.resources)})</span>`
          : `<ul class="resources">${w.resources.map((r) => `<li>${code(r)}</li>`).join('')}</ul>${x.state === 'expired' ? '<span class="small warn-text">no longer covered</span>' : ''}`;
      return `<tr><td class="date"><b>${esc(x.id)}</b></td><td>${code(x.check)}<br><span class="small">${esc(w.checkTitle)}</span></td><td>${res}</td><td>${esc(x.approver)}</td><td class="date">${x.approvedAt ? esc(dateOf(x.approvedAt)) : '–'}</td><td class="date">${esc(dateOf(x.expires))}</td><td><span class="badge wv-${x.state}">${x.state === 'active' ? 'Active' : 'Expired'}</span></td><td>${refs(w.requirements)}</td><td class="small">${esc(x.justification)}</td></tr>`;
    })
    .join('');
  return `<section id="waived" class="panel">
  <h2>Waived</h2>
  <p class="muted">Risk acceptances. A requirement is waived only when every failure is covered by an active, approved waiver; an expired waiver covers nothing.</p>
  <table class="data fixed">
    <colgroup><col style="width:9%"><col style="width:15%"><col style="width:14%"><col style="width:11%"><col style="width:8%"><col style="width:8%"><col style="width:7%"><col style="width:13%"><col style="width:15%"></colgroup>
    <thead><tr><th scope="col">Waiver</th><th scope="col">Check</th><th scope="col">Resources</th><th scope="col">Approved by</th><th scope="col">Approved</th><th scope="col">Until</th><th scope="col">State</th><th scope="col">Requirements waived</th><th scope="col">Justification</th></tr></thead>
    <tbody>${rows}</tbody>
  </table>
</section>`;
}

function errors(model: GapModel): string {
  if (model.sourceFailures.length === 0)
    return `<section id="errors" class="panel"><h2>Errors</h2><p class="callout good">Every source was collected in full.</p></section>`;
  const rows = model.sourceFailures
    .map((f) => {
      const s = f.source;
      const why = [s.error, ...s.gaps].filter(Boolean).join('; ') || 'incomplete';
      return `<tr><td>${code(s.id)}<br><span class="small muted">${esc(s.collector)} → ${esc(s.target)}</span></td><td><span class="badge src-${esc(s.status)}">${esc(s.status)}</span></td><td>${esc(why)}</td><td>${f.checks.length ? `<ul class="plain">${f.checks.map((c) => `<li>${code(c.id)}</li>`).join('')}</ul>` : '–'}</td><td>${refs(f.requirements)}</td></tr>`;
    })
    .join('');
  return `<section id="errors" class="panel">
  <h2>Errors</h2>
  <p class="muted">A check that needs a failed or partial source is an error, even if the resources that did arrive pass.</p>
  <table class="data fixed">
    <colgroup><col style="width:22%"><col style="width:9%"><col style="width:31%"><col style="width:22%"><col style="width:16%"></colgroup>
    <thead><tr><th scope="col">Source</th><th scope="col">Status</th><th scope="col">What went wrong</th><th scope="col">Checks it blocks</th><th scope="col">Requirements it blocks</th></tr></thead>
    <tbody>${rows}</tbody>
  </table>
</section>`;
}

function appendix(model: GapModel): string {
  const blocks = model.results.frameworks
    .map((f) => {
      const rows = f.requirements
        .map(
          (r) =>
            `<tr><th scope="row">${esc(r.id)}</th><td>${esc(r.title)}</td><td>${badge(r.status)}</td><td class="small">${esc(r.reason)}</td></tr>`,
        )
        .join('');
      return `<details class="fw-all"><summary>${esc(f.title)} <span class="muted">${f.summary.satisfied} / ${f.summary.total} satisfied</span></summary>
  <table class="data compact"><thead><tr><th scope="col">Requirement</th><th scope="col">Title</th><th scope="col">Status</th><th scope="col">Reason</th></tr></thead><tbody>${rows}</tbody></table>
</details>`;
    })
    .join('\n');
  return `<section id="all-requirements" class="panel">
  <h2>All requirements</h2>
  <p class="muted">Every requirement of every framework, each with exactly one status and its reason.</p>
  ${blocks}
</section>`;
}

function footer(results: Results): string {
  const d = (label: string, v: string | null) =>
    `<div><dt>${esc(label)}</dt><dd><code>${esc(v ?? '–')}</code></dd></div>`;
  return `<footer class="foot"><div class="wrap">
  <p>Rendered by plantproof ${esc(results.tool.version)} from results.json evaluated ${esc(results.evaluatedAt)}. The same results always render the same page.</p>
  <dl class="digests">${d('Snapshot sha256', results.snapshot.digest)}${d('Config sha256', results.config.digest)}${d('Policy wasm sha256', results.policy.wasmDigest)}${results.controls.map((c) => d(`${c.framework} control map sha256`, c.digest)).join('')}</dl>
</div></footer>`;
}

/** The gap report as one self-contained HTML page: no network, no fonts, no external files. */
export function renderGapReportHtml(results: Results, opts: HtmlReportOptions = {}): string {
  const model = buildGapModel(results, { history: opts.history });
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="${esc(CSP)}">
<meta name="generator" content="plantproof ${esc(results.tool.version)}">
<title>Gap report: ${esc(results.scope.name)} (${esc(dateOf(results.evaluatedAt))})</title>
<link rel="icon" href="data:,">
<style>${STYLES}</style>
</head>
<body>
${header(model, opts)}
${nav(model)}
<main class="wrap">
${summary(model, opts)}
${trend(model)}
${matrix(model)}
${findings(model, opts)}
${notAssessed(model)}
${waived(model)}
${errors(model)}
${appendix(model)}
</main>
${footer(results)}
<script>${PRINT_SCRIPT}</script>
</body>
</html>
`;
}
