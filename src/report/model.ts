import type { Results } from '../check.js';
import {
  type AssessedCheck,
  type AssessedFinding,
  type EvidenceState,
  type FrameworkResult,
  globMatch,
  type RequirementResult,
  type RequirementStatus,
  severityRank,
  type WaiverState,
} from '../controls/assess.js';
import type { Source } from '../snapshot/schema.js';
import { diffResults, type ResultsDiff } from './diff.js';

/**
 * What the gap report says, computed once from results.json so the Markdown and the HTML
 * can never disagree on a figure.
 */

export const STATUS_LABEL: Record<RequirementStatus, string> = {
  satisfied: 'Satisfied',
  not_satisfied: 'Not satisfied',
  error: 'Error',
  not_assessed: 'Not assessed',
  waived: 'Waived',
};

/** Order the report lists statuses in: worst first. */
export const STATUS_ORDER: RequirementStatus[] = [
  'not_satisfied',
  'error',
  'not_assessed',
  'waived',
  'satisfied',
];

export interface RequirementRef {
  framework: string;
  frameworkTitle: string;
  id: string;
  title: string;
  status: RequirementStatus;
}

export interface FrameworkPosture {
  id: string;
  title: string;
  version: string;
  summary: FrameworkResult['summary'];
  /** satisfied / total, 0..100 */
  percent: number;
}

export interface OpenRisk {
  check: AssessedCheck;
  /** failing resources without an active waiver */
  open: AssessedFinding[];
  /** likelihood × impact, 1..25 */
  score: number;
  /** requirements this check keeps from being satisfied */
  requirements: RequirementRef[];
}

export interface RiskMatrix {
  /** cells[likelihood - 1][impact - 1]: open findings and the checks they come from */
  cells: { findings: number; checks: string[] }[][];
  total: number;
}

export interface RequirementGap {
  requirement: RequirementResult;
  frameworkTitle: string;
  /** mapped checks with open failures, worst first */
  failing: { check: AssessedCheck; open: AssessedFinding[] }[];
}

export interface EvidenceGap {
  evidence: EvidenceState;
  requirements: RequirementRef[];
}

export interface SourceFailure {
  source: Source;
  checks: AssessedCheck[];
  /** requirements left in `error` because of these checks */
  requirements: RequirementRef[];
}

export interface WaiverEntry {
  waiver: WaiverState;
  checkTitle: string;
  /** active: the failing resources it covers in this run; expired: the failures it no longer covers */
  resources: string[];
  requirements: RequirementRef[];
}

export interface TrendRun {
  evaluatedAt: string;
  frameworks: Record<string, { satisfied: number; total: number; percent: number } | undefined>;
}

export interface GapModel {
  results: Results;
  posture: FrameworkPosture[];
  totals: Record<RequirementStatus, number> & { total: number };
  risks: OpenRisk[];
  matrix: RiskMatrix;
  gaps: { framework: FrameworkResult; items: RequirementGap[] }[];
  evidenceGaps: EvidenceGap[];
  /** not assessed because no resource of the mapped checks' kinds is in scope */
  unscoped: RequirementRef[];
  waivers: WaiverEntry[];
  waivedRequirements: RequirementRef[];
  sourceFailures: SourceFailure[];
  /** runs oldest first, the current one last; empty when no history was given */
  trend: TrendRun[];
  /** against the latest earlier run, when there is one */
  diff: ResultsDiff | null;
  previous: Results | null;
}

export const percentOf = (satisfied: number, total: number): number =>
  total === 0 ? 0 : Math.round((satisfied / total) * 1000) / 10;

const ref = (f: FrameworkResult, r: RequirementResult): RequirementRef => ({
  framework: f.id,
  frameworkTitle: f.title,
  id: r.id,
  title: r.title,
  status: r.status,
});

export const openFindings = (c: AssessedCheck): AssessedFinding[] =>
  c.findings.filter((f) => f.status === 'fail' && !f.waiver);

export const compareRisk = (a: OpenRisk, b: OpenRisk): number =>
  b.score - a.score ||
  severityRank(a.check.severity) - severityRank(b.check.severity) ||
  b.open.length - a.open.length ||
  a.check.id.localeCompare(b.check.id);

/** Earlier runs of the same scope, oldest first, without the current run itself. */
export function priorRuns(results: Results, history: Results[] = []): Results[] {
  // A bundle folder may hold the same run twice (its directory and its zip): one point per run.
  const key = (r: Results) => `${r.evaluatedAt}\u0000${r.snapshot.digest ?? ''}`;
  const seen = new Set([key(results)]);
  const out: Results[] = [];
  for (const h of [...history].sort((a, b) => a.evaluatedAt.localeCompare(b.evaluatedAt))) {
    if (h.evaluatedAt > results.evaluatedAt || seen.has(key(h))) continue;
    seen.add(key(h));
    out.push(h);
  }
  return out;
}

function trendRun(r: Results): TrendRun {
  return {
    evaluatedAt: r.evaluatedAt,
    frameworks: Object.fromEntries(
      r.frameworks.map((f) => [
        f.id,
        {
          satisfied: f.summary.satisfied,
          total: f.summary.total,
          percent: percentOf(f.summary.satisfied, f.summary.total),
        },
      ]),
    ),
  };
}

export function buildGapModel(results: Results, opts: { history?: Results[] } = {}): GapModel {
  const checks = new Map(results.checks.map((c) => [c.id, c]));
  const evidence = new Map(results.evidence.map((e) => [e.id, e]));
  const all = results.frameworks.flatMap((f) => f.requirements.map((r) => ({ f, r })));

  const posture = results.frameworks.map(
    (f): FrameworkPosture => ({
      id: f.id,
      title: f.title,
      version: f.version,
      summary: f.summary,
      percent: percentOf(f.summary.satisfied, f.summary.total),
    }),
  );
  const totals = { satisfied: 0, not_satisfied: 0, error: 0, not_assessed: 0, waived: 0, total: 0 };
  for (const f of results.frameworks) {
    for (const k of Object.keys(totals) as (keyof typeof totals)[]) totals[k] += f.summary[k];
  }

  const risks = results.checks
    .filter((c) => c.failing > 0)
    .map(
      (c): OpenRisk => ({
        check: c,
        open: openFindings(c),
        score: c.likelihood * c.impact,
        requirements: all
          .filter(({ r }) => r.status === 'not_satisfied' && r.checks.some((x) => x.id === c.id))
          .map(({ f, r }) => ref(f, r)),
      }),
    )
    .sort(compareRisk);

  const cells = Array.from({ length: 5 }, () =>
    Array.from({ length: 5 }, () => ({ findings: 0, checks: [] as string[] })),
  );
  let matrixTotal = 0;
  for (const risk of risks) {
    const cell = cells[risk.check.likelihood - 1]![risk.check.impact - 1]!;
    cell.findings += risk.open.length;
    cell.checks.push(risk.check.id);
    matrixTotal += risk.open.length;
  }

  const severityOf = (c: AssessedCheck) => severityRank(c.severity);
  const gaps = results.frameworks.map((f) => ({
    framework: f,
    items: f.requirements
      .filter((r) => r.status === 'not_satisfied')
      .map((r): RequirementGap => {
        const mapped = r.checks.map((x) => checks.get(x.id)).filter((c): c is AssessedCheck => Boolean(c));
        return {
          requirement: r,
          frameworkTitle: f.title,
          failing: mapped
            .filter((c) => c.failing > 0)
            .sort((a, b) => severityOf(a) - severityOf(b) || a.id.localeCompare(b.id))
            .map((c) => ({ check: c, open: openFindings(c) })),
        };
      }),
  }));

  const notAssessed = all.filter(({ r }) => r.status === 'not_assessed');
  const evidenceGaps = results.evidence
    .filter((e) => e.status !== 'fresh')
    .map(
      (e): EvidenceGap => ({
        evidence: e,
        requirements: all
          .filter(({ r }) => r.evidence.some((x) => x.id === e.id))
          .map(({ f, r }) => ref(f, r)),
      }),
    )
    .filter((g) => g.requirements.length > 0)
    .sort(
      (a, b) =>
        (a.evidence.status === 'missing' ? 0 : 1) - (b.evidence.status === 'missing' ? 0 : 1) ||
        (a.evidence.dueAt ?? '').localeCompare(b.evidence.dueAt ?? '') ||
        a.evidence.id.localeCompare(b.evidence.id),
    );
  const unscoped = notAssessed
    .filter(({ r }) => r.evidence.every((x) => evidence.get(x.id)?.status === 'fresh'))
    .map(({ f, r }) => ref(f, r));

  const waivers = [...results.waivers]
    .sort(
      (a, b) =>
        (a.state === 'active' ? 0 : 1) - (b.state === 'active' ? 0 : 1) ||
        a.expires.localeCompare(b.expires) ||
        a.id.localeCompare(b.id),
    )
    .map((w): WaiverEntry => {
      const check = checks.get(w.check);
      // An active waiver lists what it covers; an expired one, the failures it would have covered.
      const covered =
        check?.findings
          .filter((f) =>
            w.state === 'active'
              ? f.status === 'fail' && f.waiver?.id === w.id
              : f.status === 'fail' && globMatch(w.resources, f.resource),
          )
          .map((f) => f.resource) ?? [];
      return {
        waiver: w,
        checkTitle: check?.title ?? w.check,
        resources: covered,
        requirements: all
          .filter(({ r }) => r.status === 'waived' && r.checks.some((x) => x.id === w.check && x.waived > 0))
          .map(({ f, r }) => ref(f, r)),
      };
    });
  const waivedRequirements = all.filter(({ r }) => r.status === 'waived').map(({ f, r }) => ref(f, r));

  const sourceFailures = results.sources
    .filter((s) => s.status !== 'ok')
    .map((s): SourceFailure => {
      const blocked = results.checks.filter((c) => c.blockedBy.includes(s.id));
      const ids = new Set(blocked.map((c) => c.id));
      return {
        source: s,
        checks: blocked,
        requirements: all
          .filter(({ r }) => r.status === 'error' && r.checks.some((x) => ids.has(x.id)))
          .map(({ f, r }) => ref(f, r)),
      };
    });

  const prior = priorRuns(results, opts.history);
  const previous = prior.at(-1) ?? null;
  return {
    results,
    posture,
    totals,
    risks,
    matrix: { cells, total: matrixTotal },
    gaps,
    evidenceGaps,
    unscoped,
    waivers,
    waivedRequirements,
    sourceFailures,
    trend: prior.length > 0 ? [...prior, results].map(trendRun) : [],
    diff: previous ? diffResults(previous, results) : null,
    previous,
  };
}

/** One sentence per risk, for people who do not read check ids. */
export function describeRisk(risk: OpenRisk): string {
  const n = risk.open.length;
  const what = `"${risk.check.title.replace(/\.$/, '')}" is not met on ${n} resource${n === 1 ? '' : 's'}.`;
  const frameworks = [...new Set(risk.requirements.map((r) => r.frameworkTitle))];
  const reqs = risk.requirements.length;
  const scope =
    reqs > 0
      ? ` This keeps ${reqs} requirement${reqs === 1 ? '' : 's'} from being satisfied (${frameworks.join(', ')}).`
      : '';
  return `${what}${scope}`;
}

export const SEVERITY_LABEL: Record<AssessedCheck['severity'], string> = {
  critical: 'Critical',
  high: 'High',
  medium: 'Medium',
  low: 'Low',
};

/** Band of a likelihood × impact score, as most risk registers colour it. */
export function riskBand(score: number): 'low' | 'medium' | 'high' | 'critical' {
  if (score >= 15) return 'critical';
  if (score >= 10) return 'high';
  if (score >= 5) return 'medium';
  return 'low';
}

export const dateOf = (iso: string | null | undefined): string => (iso ? iso.slice(0, 10) : '');

export function daysBetween(fromIso: string, toIso: string): number {
  return Math.round((Date.parse(toIso.slice(0, 10)) - Date.parse(fromIso.slice(0, 10))) / 86_400_000);
}
