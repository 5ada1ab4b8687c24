import type { Config, Severity } from '../config/schema.js';
import type { CheckResult, CheckStatus, Finding } from '../evaluate/index.js';
import type { LoadedAttestation, LoadedControls, LoadedWaiver } from './load.js';
import { CADENCE_DAYS, type Cadence, type Requirement } from './schema.js';

export type RequirementStatus = 'satisfied' | 'not_satisfied' | 'error' | 'not_assessed' | 'waived';
export const REQUIREMENT_STATUSES: RequirementStatus[] = [
  'satisfied',
  'not_satisfied',
  'error',
  'not_assessed',
  'waived',
];

export interface WaiverRef {
  id: string;
  approver: string;
  expires: string;
  justification: string;
}

export interface AssessedFinding extends Finding {
  /** the active waiver covering this failure, if any */
  waiver: WaiverRef | null;
}

export interface AssessedCheck extends Omit<CheckResult, 'findings'> {
  findings: AssessedFinding[];
  failing: number;
  waived: number;
  owner: string | null;
  /** fix-by date for open failures: evaluation date + the deadline for the check's severity */
  dueDate: string | null;
}

export interface EvidenceState {
  id: string;
  title: string;
  cadence: Cadence;
  expects: string;
  owner: string | null;
  status: 'fresh' | 'stale' | 'missing';
  lastPerformedAt: string | null;
  attestedBy: string | null;
  /** when the next attestation is (or was) due */
  dueAt: string | null;
  attestation: {
    file: string;
    digest: string;
    summary: string;
    attachments: { path: string; sha256: string }[];
  } | null;
}

export interface RequirementResult {
  framework: string;
  id: string;
  title: string;
  group: string;
  sl?: number;
  status: RequirementStatus;
  reason: string;
  checks: { id: string; status: CheckStatus; failing: number; waived: number }[];
  evidence: { id: string; status: EvidenceState['status']; dueAt: string | null }[];
  owner: string | null;
  dueDate: string | null;
  notes?: string;
}

export interface FrameworkResult {
  id: string;
  title: string;
  version: string;
  source: string;
  file: string;
  digest: string;
  summary: Record<RequirementStatus, number> & { total: number };
  requirements: RequirementResult[];
}

export interface WaiverState extends LoadedWaiver {
  state: 'active' | 'expired';
  matched: number;
}

const dateOnly = (d: Date) => d.toISOString().slice(0, 10);
const addDays = (iso: string, days: number) => dateOnly(new Date(Date.parse(iso) + days * 86_400_000));
const SEVERITY_ORDER: Severity[] = ['critical', 'high', 'medium', 'low'];

/** `*` matches any run of characters; everything else literally. */
export function globMatch(pattern: string, value: string): boolean {
  const re = new RegExp(
    `^${pattern
      .split('*')
      .map((p) => p.replace(/[.+?^${}()|[\]\\]/g, '\\$&'))
      .join('.*')}$`,
  );
  return re.test(value);
}

export function ownerFor(config: Pick<Config, 'owners'>, domain: string): string | null {
  return config.owners[domain] ?? config.owners.default ?? null;
}

export function applyWaivers(
  checks: CheckResult[],
  waivers: LoadedWaiver[],
  now: Date,
  config: Pick<Config, 'owners' | 'deadlines'>,
): { checks: AssessedCheck[]; waivers: WaiverState[] } {
  const today = dateOnly(now);
  const states: WaiverState[] = waivers.map((w) => ({
    ...w,
    state: w.expires.slice(0, 10) >= today ? 'active' : 'expired',
    matched: 0,
  }));
  const assessed = checks.map((c): AssessedCheck => {
    const findings = c.findings.map((f): AssessedFinding => {
      if (f.status !== 'fail') return { ...f, waiver: null };
      const covering = states.filter((w) => w.check === c.id && globMatch(w.resources, f.resource));
      for (const w of covering) w.matched += 1;
      const active = covering.find((w) => w.state === 'active');
      return {
        ...f,
        waiver: active
          ? {
              id: active.id,
              approver: active.approver,
              expires: active.expires,
              justification: active.justification,
            }
          : null,
      };
    });
    const failing = findings.filter((f) => f.status === 'fail' && !f.waiver).length;
    const waived = findings.filter((f) => f.status === 'fail' && f.waiver).length;
    return {
      ...c,
      findings,
      failing,
      waived,
      owner: ownerFor(config, c.domain),
      dueDate: failing > 0 ? addDays(now.toISOString(), config.deadlines[c.severity]) : null,
    };
  });
  return { checks: assessed, waivers: states };
}

export function assessEvidence(
  controls: LoadedControls,
  attestations: LoadedAttestation[],
  now: Date,
  config: Pick<Config, 'owners'>,
): EvidenceState[] {
  const today = dateOnly(now);
  return controls.evidence.map((e): EvidenceState => {
    const latest = attestations
      .filter((a) => a.evidence === e.id && a.performedAt.slice(0, 10) <= today)
      .sort((a, b) => b.performedAt.localeCompare(a.performedAt))[0];
    const base = {
      id: e.id,
      title: e.title,
      cadence: e.cadence,
      expects: e.expects,
      owner: ownerFor(config, e.domain),
    };
    if (!latest) {
      return {
        ...base,
        status: 'missing',
        lastPerformedAt: null,
        attestedBy: null,
        dueAt: null,
        attestation: null,
      };
    }
    const dueAt = addDays(latest.performedAt, CADENCE_DAYS[e.cadence]);
    return {
      ...base,
      status: dueAt >= today ? 'fresh' : 'stale',
      lastPerformedAt: latest.performedAt,
      attestedBy: latest.attestedBy,
      dueAt,
      attestation: {
        file: latest.file,
        digest: latest.digest,
        summary: latest.summary,
        attachments: latest.attachments,
      },
    };
  });
}

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

function assessRequirement(
  framework: string,
  req: Requirement,
  checks: Map<string, AssessedCheck>,
  evidence: Map<string, EvidenceState>,
): RequirementResult {
  const mapped = req.checks.map((id) => checks.get(id)!);
  const ev = req.evidence.map((id) => evidence.get(id)!);
  const failing = mapped.filter((c) => c.failing > 0);
  const errors = mapped.filter((c) => c.status === 'error');
  const waivedOnly = mapped.filter((c) => c.failing === 0 && c.waived > 0 && c.status !== 'error');
  const passing = mapped.filter((c) => c.status === 'pass');
  const notFresh = ev.filter((e) => e.status !== 'fresh');

  let status: RequirementStatus;
  const parts: string[] = [];
  if (failing.length > 0) {
    status = 'not_satisfied';
    parts.push(`failing: ${failing.map((c) => `${c.id} (${plural(c.failing, 'resource')})`).join(', ')}`);
    if (errors.length) parts.push(`also not judged: ${errors.map((c) => c.id).join(', ')}`);
  } else if (errors.length > 0) {
    status = 'error';
    parts.push(errors.map((c) => `${c.id} ${c.reason}`).join('; '));
  } else if (notFresh.length > 0) {
    status = 'not_assessed';
    parts.push(
      notFresh
        .map((e) =>
          e.status === 'missing'
            ? `no attestation for "${e.title}" (${e.cadence})`
            : `attestation for "${e.title}" is stale: last ${e.lastPerformedAt?.slice(0, 10)}, was due ${e.dueAt}`,
        )
        .join('; '),
    );
    if (passing.length) parts.push(`automated checks pass: ${passing.map((c) => c.id).join(', ')}`);
  } else if (waivedOnly.length > 0) {
    status = 'waived';
    const ws = new Map<string, string>();
    for (const c of waivedOnly)
      for (const f of c.findings)
        if (f.waiver)
          ws.set(f.waiver.id, `${f.waiver.id} approved by ${f.waiver.approver} until ${f.waiver.expires}`);
    parts.push(`every failure is covered by an active waiver: ${[...ws.values()].join('; ')}`);
  } else if (passing.length > 0 || (ev.length > 0 && mapped.length === 0)) {
    status = 'satisfied';
    if (passing.length)
      parts.push(`checks pass: ${passing.map((c) => `${c.id} (${c.findings.length})`).join(', ')}`);
    if (ev.length)
      parts.push(
        `fresh evidence: ${ev.map((e) => `${e.id} (${e.lastPerformedAt?.slice(0, 10)})`).join(', ')}`,
      );
  } else {
    status = 'not_assessed';
    parts.push(
      `no resources in scope for ${mapped.map((c) => c.id).join(', ')}; nothing proves this requirement`,
    );
  }

  const owners = [
    ...new Set([...failing.map((c) => c.owner), ...notFresh.map((e) => e.owner)].filter(Boolean)),
  ];
  const due = [
    ...failing.map((c) => c.dueDate),
    ...(status === 'not_assessed' ? notFresh.map((e) => e.dueAt) : []),
  ].filter((d): d is string => Boolean(d));
  return {
    framework,
    id: req.id,
    title: req.title,
    group: req.group,
    ...(req.sl !== undefined ? { sl: req.sl } : {}),
    status,
    reason: parts.join('. '),
    checks: mapped.map((c) => ({ id: c.id, status: c.status, failing: c.failing, waived: c.waived })),
    evidence: ev.map((e) => ({ id: e.id, status: e.status, dueAt: e.dueAt })),
    owner: owners.length ? owners.join(', ') : null,
    dueDate: due.length ? due.sort()[0]! : null,
    ...(req.notes ? { notes: req.notes } : {}),
  };
}

/** Every requirement of every selected framework gets exactly one status and a reason. */
export function assessRequirements(
  controls: LoadedControls,
  checks: AssessedCheck[],
  evidence: EvidenceState[],
): FrameworkResult[] {
  const byCheck = new Map(checks.map((c) => [c.id, c]));
  const byEvidence = new Map(evidence.map((e) => [e.id, e]));
  return controls.maps.map((map) => {
    const requirements = map.requirements.map((r) =>
      assessRequirement(map.framework.id, r, byCheck, byEvidence),
    );
    const summary = {
      satisfied: 0,
      not_satisfied: 0,
      error: 0,
      not_assessed: 0,
      waived: 0,
      total: requirements.length,
    };
    for (const r of requirements) summary[r.status] += 1;
    return {
      id: map.framework.id,
      title: map.framework.title,
      version: map.framework.version,
      source: map.framework.source,
      file: map.file,
      digest: map.digest,
      summary,
      requirements,
    };
  });
}

export function severityRank(s: Severity): number {
  return SEVERITY_ORDER.indexOf(s);
}
