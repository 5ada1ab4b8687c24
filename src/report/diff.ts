import type { Results } from '../check.js';
import type { AssessedCheck, RequirementResult, RequirementStatus } from '../controls/assess.js';

/** How a requirement's status reads for change tracking: a waiver counts as handled, error/not assessed as unknown. */
type RequirementClass = 'ok' | 'gap' | 'unknown';
const CLASS: Record<RequirementStatus, RequirementClass> = {
  satisfied: 'ok',
  waived: 'ok',
  not_satisfied: 'gap',
  error: 'unknown',
  not_assessed: 'unknown',
};

export interface RequirementChange {
  framework: string;
  id: string;
  title: string;
  before: RequirementStatus | null;
  after: RequirementStatus | null;
}

/** One resource under one check: `open` fails without a waiver, `waived` fails under an active waiver. */
export type FindingState = 'open' | 'waived' | 'pass';

export interface FindingChange {
  check: string;
  title: string;
  severity: AssessedCheck['severity'];
  resource: string;
  before: FindingState | null;
  after: FindingState | null;
  message: string;
}

export interface FrameworkDelta {
  id: string;
  title: string;
  before: { satisfied: number; total: number } | null;
  after: { satisfied: number; total: number } | null;
}

export interface ResultsDiff {
  from: { evaluatedAt: string; scope: string };
  to: { evaluatedAt: string; scope: string };
  frameworks: FrameworkDelta[];
  requirements: {
    /** not satisfied now; absent or not judged before */
    new: RequirementChange[];
    /** not satisfied before; satisfied or waived now */
    fixed: RequirementChange[];
    /** satisfied or waived before; not satisfied now */
    regressed: RequirementChange[];
    stillFailing: RequirementChange[];
    /** every other status change (e.g. satisfied → error when a source failed) */
    changed: RequirementChange[];
  };
  findings: {
    /** failing now on a resource the check did not report before */
    new: FindingChange[];
    /** failing before; passing now or the resource is gone */
    fixed: FindingChange[];
    /** passing or waived before; failing without a waiver now */
    regressed: FindingChange[];
    stillFailing: FindingChange[];
    /** failing before, covered by an active waiver now */
    waived: FindingChange[];
    /** failing before and not reported now because the check could not be judged */
    unverified: FindingChange[];
  };
}

function findingStates(
  results: Results,
): Map<string, { check: AssessedCheck; state: FindingState; message: string }> {
  const out = new Map<string, { check: AssessedCheck; state: FindingState; message: string }>();
  for (const check of results.checks) {
    for (const f of check.findings) {
      const state: FindingState = f.status === 'pass' ? 'pass' : f.waiver ? 'waived' : 'open';
      out.set(`${check.id}\u0000${f.resource}`, { check, state, message: f.message });
    }
  }
  return out;
}

const byCheckAndResource = (a: FindingChange, b: FindingChange) =>
  a.check.localeCompare(b.check) || a.resource.localeCompare(b.resource);

/** What changed between two runs, per requirement and per resource. Pure: the same inputs give the same output. */
export function diffResults(before: Results, after: Results): ResultsDiff {
  const requirements: ResultsDiff['requirements'] = {
    new: [],
    fixed: [],
    regressed: [],
    stillFailing: [],
    changed: [],
  };
  const oldReqs = new Map<string, RequirementResult>(
    before.frameworks.flatMap((f) => f.requirements.map((r) => [`${f.id}\u0000${r.id}`, r] as const)),
  );
  const seen = new Set<string>();
  for (const f of after.frameworks) {
    for (const r of f.requirements) {
      const key = `${f.id}\u0000${r.id}`;
      seen.add(key);
      const old = oldReqs.get(key);
      const change: RequirementChange = {
        framework: f.id,
        id: r.id,
        title: r.title,
        before: old?.status ?? null,
        after: r.status,
      };
      const was = old ? CLASS[old.status] : null;
      const now = CLASS[r.status];
      if (now === 'gap') {
        if (was === 'gap') requirements.stillFailing.push(change);
        else if (was === 'ok') requirements.regressed.push(change);
        else requirements.new.push(change);
      } else if (was === 'gap' && now === 'ok') requirements.fixed.push(change);
      else if (old && old.status !== r.status) requirements.changed.push(change);
    }
  }
  for (const [key, old] of oldReqs) {
    if (seen.has(key)) continue;
    requirements.changed.push({
      framework: old.framework,
      id: old.id,
      title: old.title,
      before: old.status,
      after: null,
    });
  }

  const findings: ResultsDiff['findings'] = {
    new: [],
    fixed: [],
    regressed: [],
    stillFailing: [],
    waived: [],
    unverified: [],
  };
  const oldF = findingStates(before);
  const newF = findingStates(after);
  const newChecks = new Map(after.checks.map((c) => [c.id, c]));
  for (const [key, now] of newF) {
    const was = oldF.get(key);
    const resource = key.split('\u0000')[1]!;
    const change: FindingChange = {
      check: now.check.id,
      title: now.check.title,
      severity: now.check.severity,
      resource,
      before: was?.state ?? null,
      after: now.state,
      message: now.message,
    };
    if (now.state === 'open') {
      if (!was) findings.new.push(change);
      else if (was.state === 'open') findings.stillFailing.push(change);
      else findings.regressed.push(change);
    } else if (was?.state === 'open') {
      (now.state === 'pass' ? findings.fixed : findings.waived).push(change);
    }
  }
  for (const [key, was] of oldF) {
    if (newF.has(key) || was.state !== 'open') continue;
    const check = newChecks.get(was.check.id);
    const change: FindingChange = {
      check: was.check.id,
      title: was.check.title,
      severity: was.check.severity,
      resource: key.split('\u0000')[1]!,
      before: 'open',
      after: null,
      message: was.message,
    };
    // A resource that vanished because its source failed is not fixed: nobody looked.
    (check && check.status !== 'error' ? findings.fixed : findings.unverified).push(change);
  }
  // Requirements stay in control-map order; findings sort by check, then resource.
  for (const list of Object.values(findings)) list.sort(byCheckAndResource);

  const oldFw = new Map(before.frameworks.map((f) => [f.id, f]));
  const frameworks: FrameworkDelta[] = after.frameworks.map((f) => {
    const o = oldFw.get(f.id);
    return {
      id: f.id,
      title: f.title,
      before: o ? { satisfied: o.summary.satisfied, total: o.summary.total } : null,
      after: { satisfied: f.summary.satisfied, total: f.summary.total },
    };
  });
  for (const o of before.frameworks) {
    if (!after.frameworks.some((f) => f.id === o.id))
      frameworks.push({
        id: o.id,
        title: o.title,
        before: { satisfied: o.summary.satisfied, total: o.summary.total },
        after: null,
      });
  }
  return {
    from: { evaluatedAt: before.evaluatedAt, scope: before.scope.name },
    to: { evaluatedAt: after.evaluatedAt, scope: after.scope.name },
    frameworks,
    requirements,
    findings,
  };
}

const STATUS_WORDS: Record<RequirementStatus, string> = {
  satisfied: 'satisfied',
  not_satisfied: 'not satisfied',
  error: 'error',
  not_assessed: 'not assessed',
  waived: 'waived',
};
const pct = (s: { satisfied: number; total: number }) =>
  s.total === 0 ? '-' : `${Math.round((s.satisfied / s.total) * 100)}%`;
const statusWord = (s: RequirementStatus | null) => (s ? STATUS_WORDS[s] : 'absent');
const findingWord = (s: FindingState | null) => s ?? 'absent';

/** The diff for a terminal: posture per framework, then each list with what moved. */
export function formatDiffText(diff: ResultsDiff): string {
  const out: string[] = [];
  out.push(
    `${diff.to.scope}: ${diff.from.evaluatedAt.slice(0, 10)} -> ${diff.to.evaluatedAt.slice(0, 10)}`,
    '',
  );
  const rows = diff.frameworks.map((f) => {
    const before = f.before ? `${f.before.satisfied}/${f.before.total} (${pct(f.before)})` : '-';
    const after = f.after ? `${f.after.satisfied}/${f.after.total} (${pct(f.after)})` : '-';
    const delta = f.before && f.after ? f.after.satisfied - f.before.satisfied : 0;
    return [f.id, before, after, delta > 0 ? `+${delta}` : delta < 0 ? String(delta) : '='];
  });
  const header = ['framework', 'satisfied before', 'satisfied now', 'change'];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  for (const r of [header, ...rows])
    out.push(
      r
        .map((c, i) => c.padEnd(widths[i]!))
        .join('  ')
        .trimEnd(),
    );
  out.push('');
  const r = diff.requirements;
  out.push(
    `requirements: ${r.new.length} new, ${r.fixed.length} fixed, ${r.regressed.length} regressed, ${r.stillFailing.length} still failing, ${r.changed.length} other changes`,
  );
  const reqLine = (label: string, c: RequirementChange) =>
    `  ${label.padEnd(9)} ${c.framework} ${c.id}: ${statusWord(c.before)} -> ${statusWord(c.after)}  ${c.title}`;
  for (const c of r.regressed) out.push(reqLine('regressed', c));
  for (const c of r.new) out.push(reqLine('new', c));
  for (const c of r.fixed) out.push(reqLine('fixed', c));
  for (const c of r.changed) out.push(reqLine('changed', c));
  for (const c of r.stillFailing) out.push(reqLine('failing', c));
  out.push('');
  const f = diff.findings;
  out.push(
    `findings: ${f.new.length} new, ${f.fixed.length} fixed, ${f.regressed.length} regressed, ${f.stillFailing.length} still failing, ${f.waived.length} newly waived, ${f.unverified.length} not verifiable`,
  );
  const findingLine = (label: string, c: FindingChange) =>
    `  ${label.padEnd(9)} ${c.check} ${c.resource}: ${findingWord(c.before)} -> ${findingWord(c.after)}`;
  for (const c of f.regressed) out.push(findingLine('regressed', c));
  for (const c of f.new) out.push(findingLine('new', c));
  for (const c of f.fixed) out.push(findingLine('fixed', c));
  for (const c of f.waived) out.push(findingLine('waived', c));
  for (const c of f.unverified) out.push(findingLine('unknown', c));
  for (const c of f.stillFailing) out.push(findingLine('failing', c));
  return `${out.join('\n')}\n`;
}
