import type { Results } from '../../check.js';
import type {
  AssessedCheck,
  EvidenceState,
  RequirementResult,
  RequirementStatus,
} from '../../controls/assess.js';
import { uuidV5 } from '../uuid.js';

/**
 * OSCAL 1.2.2 assessment results and plan of action and milestones, from results.json.
 *
 * UUIDs are version-5, derived from stable names: the same results give the same bytes. Things
 * that persist across runs (a risk on a check, a POA&M item, a party) get the same UUID in every
 * run, as OSCAL asks ("assigned per-subject"); things that belong to one run (the documents,
 * findings, observations) include the run in their name.
 */

export const OSCAL_VERSION = '1.2.2';
/** Namespace of plantproof's own OSCAL properties and facets. */
export const PLANTPROOF_NS = 'https://plantproof.dev/ns/oscal';

export interface OscalOptions {
  /** where the bundle's files are, relative to the OSCAL document (reports/ sits one level down) */
  bundleBase?: string;
}

type Json = Record<string, unknown>;
type Prop = { name: string; ns?: string; value: string; class?: string };

/** StringDatatype: one line, no leading or trailing whitespace. */
const str = (s: string) => s.replace(/\s+/g, ' ').trim();
/** MarkupLine: anything but a newline. */
const line = (s: string) => str(s) || '-';
/** TokenDatatype (an XML NCName): letters, digits, `.`, `-`, `_`; starting with a letter or `_`. */
export function token(s: string): string {
  const t = s.replace(/[^\p{L}\p{N}._-]+/gu, '-').replace(/^-+|-+$/g, '');
  return /^[\p{L}_]/u.test(t) ? t : `_${t}`;
}
const prop = (name: string, value: string | number | null | undefined, extra: Partial<Prop> = {}): Prop[] => {
  const v = value === null || value === undefined ? '' : str(String(value));
  return v ? [{ name, ns: PLANTPROOF_NS, value: v, ...extra }] : [];
};
/** OSCAL rejects empty arrays: a key with nothing in it is left out. */
const some = <T>(key: string, list: T[]): Json => (list.length > 0 ? { [key]: list } : {});
const instant = (iso: string) => new Date(iso).toISOString();
const startOfDay = (date: string) => (date.length === 10 ? `${date}T00:00:00Z` : instant(date));
const endOfDay = (date: string) => (date.length === 10 ? `${date}T23:59:59Z` : instant(date));
const isEmail = (s: string) => /^[^\s@,]+@[^\s@,]+\.[^\s@,]+$/.test(s);

const FINDING_STATE: Record<RequirementStatus, { state: 'satisfied' | 'not-satisfied'; reason: string }> = {
  satisfied: { state: 'satisfied', reason: 'pass' },
  not_satisfied: { state: 'not-satisfied', reason: 'fail' },
  // A waiver accepts the risk; it does not make the requirement met. The approved deviation is a related risk.
  waived: { state: 'not-satisfied', reason: 'fail' },
  error: { state: 'not-satisfied', reason: 'other' },
  not_assessed: { state: 'not-satisfied', reason: 'other' },
};

/** Everything both documents share: UUIDs, parties, observations and risks. */
class OscalContext {
  readonly scope: string;
  readonly run: string;
  readonly base: string;
  readonly checks: Map<string, { check: AssessedCheck; index: number }>;
  readonly evidence: Map<string, { evidence: EvidenceState; index: number }>;
  readonly tool: string;
  readonly platform: string;
  private readonly parties = new Map<
    string,
    { uuid: string; name: string; type: 'person' | 'organization' }
  >();
  private readonly partyRoles = new Map<string, Set<string>>();

  constructor(
    readonly results: Results,
    opts: OscalOptions,
  ) {
    this.scope = results.scope.name;
    this.run = `${this.scope}|${results.evaluatedAt}|${results.snapshot.digest ?? ''}`;
    this.base = opts.bundleBase ?? '../';
    this.checks = new Map(results.checks.map((check, index) => [check.id, { check, index }]));
    this.evidence = new Map(results.evidence.map((evidence, index) => [evidence.id, { evidence, index }]));
    this.tool = this.uuid('component', 'plantproof');
    this.platform = this.uuid('platform', 'plantproof');
  }

  /** Per-subject UUID: the same in every run of this scope. */
  uuid(kind: string, name: string): string {
    return uuidV5(`${kind}:${this.scope}:${name}`);
  }
  /** Per-run UUID. */
  runUuid(kind: string, name: string): string {
    return uuidV5(`${kind}:${this.run}:${name}`);
  }

  party(name: string, role: string, type: 'person' | 'organization'): string {
    const key = str(name);
    let p = this.parties.get(key);
    if (!p) {
      p = { uuid: this.uuid('party', key), name: key, type };
      this.parties.set(key, p);
    }
    this.partyRoles.set(role, (this.partyRoles.get(role) ?? new Set()).add(p.uuid));
    return p.uuid;
  }

  /** Owners come as "a@x, b@y" when a requirement has several; each is its own party. */
  owners(owner: string | null): string[] {
    return (owner ?? '')
      .split(',')
      .map(str)
      .filter(Boolean)
      .map((o) => this.party(o, 'remediation-owner', 'organization'));
  }

  metadata(title: string): Json {
    this.party(this.scope, 'prepared-for', 'organization');
    const roleTitles: Record<string, string> = {
      'prepared-for': 'Prepared for',
      'remediation-owner': 'Remediation owner',
      'risk-approver': 'Risk acceptance approver',
    };
    const roles = [...this.partyRoles.keys()].sort().map((id) => ({ id, title: roleTitles[id] ?? id }));
    const parties = [...this.parties.values()]
      .sort((a, b) => a.uuid.localeCompare(b.uuid))
      .map((p) => ({
        uuid: p.uuid,
        type: p.type,
        name: p.name,
        ...(isEmail(p.name) ? { 'email-addresses': [p.name] } : {}),
      }));
    return {
      title: line(title),
      'last-modified': instant(this.results.evaluatedAt),
      version: instant(this.results.evaluatedAt),
      'oscal-version': OSCAL_VERSION,
      props: [
        ...prop('tool', `plantproof ${this.results.tool.version}`),
        ...prop('evaluated-at', instant(this.results.evaluatedAt)),
        ...prop('snapshot-sha256', this.results.snapshot.digest),
      ],
      roles,
      parties,
      'responsible-parties': [...this.partyRoles.entries()]
        .sort(([a], [b]) => a.localeCompare(b))
        .map(([role, uuids]) => ({ 'role-id': role, 'party-uuids': [...uuids].sort() })),
    };
  }

  toolComponent(): Json {
    return {
      uuid: this.tool,
      type: 'software',
      title: 'plantproof',
      description: `plantproof ${this.results.tool.version}: collects configuration into a normalized snapshot and checks it with Rego policies compiled to WebAssembly.`,
      props: [
        { name: 'version', value: str(this.results.tool.version) },
        ...prop('policy-wasm-sha256', this.results.policy.wasmDigest),
      ],
      status: { state: 'operational' },
    };
  }

  assessmentAssets(): Json {
    return {
      components: [this.toolComponent()],
      'assessment-platforms': [
        { uuid: this.platform, title: 'plantproof', 'uses-components': [{ 'component-uuid': this.tool }] },
      ],
    };
  }

  origins(): Json[] {
    return [{ actors: [{ type: 'tool', 'actor-uuid': this.tool }] }];
  }

  resourceUuid(resource: string): string {
    return this.uuid('resource', resource);
  }

  inventoryItems(resources: Iterable<string>): Json[] {
    return [...new Set(resources)].sort().map((r) => ({
      uuid: this.resourceUuid(r),
      description: line(r),
      props: [{ name: 'asset-id', value: str(r) }],
    }));
  }

  checkObservationUuid(checkId: string): string {
    return this.runUuid('observation', `check:${checkId}`);
  }
  evidenceObservationUuid(evidenceId: string): string {
    return this.runUuid('observation', `evidence:${evidenceId}`);
  }

  checkObservation(c: AssessedCheck): Json {
    const idx = this.checks.get(c.id)!.index;
    const failing = c.findings.filter((f) => f.status === 'fail');
    const snapshot = this.results.snapshot;
    return {
      uuid: this.checkObservationUuid(c.id),
      title: line(c.title),
      description: `Automated check \`${c.id}\`: ${c.reason}.`,
      props: [
        ...prop('check-id', c.id),
        ...prop('check-status', c.status),
        ...prop('severity', c.severity),
        ...prop('resources-evaluated', c.findings.length),
        ...prop('resources-failing', c.failing),
        ...prop('resources-waived', c.waived),
        ...c.blockedBy.flatMap((s) => prop('blocked-by-source', s)),
      ],
      methods: ['TEST'],
      types: ['control-objective'],
      origins: this.origins(),
      ...some(
        'subjects',
        failing.map((f) => ({
          'subject-uuid': this.resourceUuid(f.resource),
          type: 'inventory-item',
          title: line(f.resource),
          props: [...prop('result', f.waiver ? 'waived' : 'fail'), ...prop('message', f.message)],
        })),
      ),
      'relevant-evidence': [
        {
          href: `${this.base}results.json#/checks/${idx}`,
          description: `The check's result per resource in results.json (policy \`${c.file}\`).`,
        },
        {
          href: `${this.base}snapshot.json`,
          description: `The normalized configuration snapshot collected ${snapshot.collectedAt} (${snapshot.entities} entities) the check was evaluated on.`,
          ...(snapshot.digest ? { props: prop('sha256', snapshot.digest) } : {}),
        },
      ],
      collected: instant(snapshot.collectedAt),
      remarks: c.description,
    };
  }

  evidenceObservation(e: EvidenceState): Json {
    const idx = this.evidence.get(e.id)!.index;
    const description =
      e.status === 'missing'
        ? `No attestation on file for "${e.title}" (renewed ${e.cadence}).`
        : `${e.title}: attested by ${e.attestedBy} for ${e.lastPerformedAt?.slice(0, 10)}; ${e.status === 'fresh' ? 'current' : 'stale'}, next due ${e.dueAt}.`;
    return {
      uuid: this.evidenceObservationUuid(e.id),
      title: line(e.title),
      description: `${description} An auditor expects: ${e.expects}`,
      props: [
        ...prop('evidence-id', e.id),
        ...prop('evidence-status', e.status),
        ...prop('cadence', e.cadence),
        ...prop('due', e.dueAt),
        ...prop('attestation-file', e.attestation?.file),
        ...prop('attestation-sha256', e.attestation?.digest),
      ],
      methods: ['EXAMINE'],
      types: ['control-objective'],
      origins: this.origins(),
      'relevant-evidence': [
        {
          href: `${this.base}results.json#/evidence/${idx}`,
          description: e.attestation
            ? `Attestation ${e.attestation.file}: ${e.attestation.summary}`
            : 'The evidence requirement and its state in results.json.',
          ...some(
            'props',
            (e.attestation?.attachments ?? []).flatMap((a) =>
              prop('attachment', `${a.path} sha256:${a.sha256}`),
            ),
          ),
        },
      ],
      collected: e.lastPerformedAt ? startOfDay(e.lastPerformedAt) : instant(this.results.evaluatedAt),
    };
  }

  openRiskUuid(checkId: string): string {
    return this.uuid('risk', `check:${checkId}`);
  }
  waiverRiskUuid(waiverId: string): string {
    return this.uuid('risk', `waiver:${waiverId}`);
  }

  characterization(c: AssessedCheck): Json[] {
    const facet = (name: string, value: string | number) => ({
      name,
      system: PLANTPROOF_NS,
      value: String(value),
    });
    return [
      {
        origin: { actors: [{ type: 'tool', 'actor-uuid': this.tool }] },
        facets: [
          facet('likelihood', c.likelihood),
          facet('impact', c.impact),
          facet('risk-score', c.likelihood * c.impact),
          facet('severity', c.severity),
        ],
      },
    ];
  }

  requirementsOf(checkId: string, status?: RequirementStatus): string[] {
    return this.results.frameworks.flatMap((f) =>
      f.requirements
        .filter((r) => r.checks.some((c) => c.id === checkId) && (!status || r.status === status))
        .map((r) => `${f.id} ${r.id}`),
    );
  }

  openRisk(c: AssessedCheck): Json {
    const open = c.findings.filter((f) => f.status === 'fail' && !f.waiver);
    const owners = this.owners(c.owner);
    const listed = open.slice(0, 50).map((f) => `- \`${f.resource}\`: ${f.message}`);
    if (open.length > 50) listed.push(`- and ${open.length - 50} more (see findings.csv)`);
    const affected = this.requirementsOf(c.id, 'not_satisfied');
    return {
      uuid: this.openRiskUuid(c.id),
      title: line(c.title),
      description: c.description,
      statement: `${open.length} resource${open.length === 1 ? '' : 's'} fail${open.length === 1 ? 's' : ''} this check:\n\n${listed.join('\n')}${affected.length ? `\n\nRequirements not satisfied because of it: ${affected.join(', ')}.` : ''}`,
      props: [...prop('check-id', c.id), ...prop('severity', c.severity), ...prop('owner', c.owner)],
      status: 'open',
      origins: this.origins(),
      characterizations: this.characterization(c),
      ...(c.dueDate ? { deadline: endOfDay(c.dueDate) } : {}),
      remediations: [
        {
          uuid: this.uuid('response', `check:${c.id}`),
          lifecycle: 'recommendation',
          title: line(`Remediate ${c.id}`),
          description: c.remediation,
          origins: this.origins(),
          ...some(
            'tasks',
            c.dueDate
              ? [
                  {
                    uuid: this.uuid('task', `check:${c.id}:due`),
                    type: 'milestone',
                    title: line(`Fixed by ${c.dueDate}`),
                    description: `Deadline for a ${c.severity} finding.`,
                    timing: { 'on-date': { date: endOfDay(c.dueDate) } },
                    ...some(
                      'responsible-roles',
                      owners.length ? [{ 'role-id': 'remediation-owner', 'party-uuids': owners }] : [],
                    ),
                  },
                ]
              : [],
          ),
        },
      ],
      'related-observations': [{ 'observation-uuid': this.checkObservationUuid(c.id) }],
    };
  }

  /** Active waivers that cover at least one failure in this run, with what they cover. */
  activeWaivers(): { waiver: Results['waivers'][number]; check: AssessedCheck; resources: string[] }[] {
    return this.results.waivers
      .filter((w) => w.state === 'active')
      .map((w) => {
        const check = this.checks.get(w.check)?.check;
        const resources = check?.findings.filter((f) => f.waiver?.id === w.id).map((f) => f.resource) ?? [];
        return { waiver: w, check: check!, resources };
      })
      .filter((x) => x.check && x.resources.length > 0)
      .sort((a, b) => a.waiver.id.localeCompare(b.waiver.id));
  }

  waiverRisk(x: ReturnType<OscalContext['activeWaivers']>[number]): Json {
    const { waiver: w, check: c, resources } = x;
    const approver = this.party(w.approver, 'risk-approver', 'person');
    return {
      uuid: this.waiverRiskUuid(w.id),
      title: line(`Accepted risk ${w.id}: ${c.title}`),
      description: w.justification,
      statement: `Failures of \`${c.id}\` on ${resources.map((r) => `\`${r}\``).join(', ')} are accepted by ${w.approver} until ${w.expires.slice(0, 10)}.`,
      props: [
        ...prop('waiver-id', w.id),
        ...prop('check-id', c.id),
        ...prop('approver', w.approver),
        ...prop('expires', w.expires.slice(0, 10)),
      ],
      status: 'deviation-approved',
      origins: this.origins(),
      characterizations: this.characterization(c),
      deadline: endOfDay(w.expires.slice(0, 10)),
      ...(w.approvedAt
        ? {
            'risk-log': {
              entries: [
                {
                  uuid: this.uuid('risk-log', `waiver:${w.id}:approved`),
                  title: 'Deviation approved',
                  description: `Approved by ${w.approver}: ${w.justification}`,
                  start: startOfDay(w.approvedAt.slice(0, 10)),
                  'logged-by': [{ 'party-uuid': approver, 'role-id': 'risk-approver' }],
                  'status-change': 'deviation-approved',
                },
              ],
            },
          }
        : {}),
      'related-observations': [{ 'observation-uuid': this.checkObservationUuid(c.id) }],
    };
  }

  backMatter(): Json {
    const r = this.results;
    return {
      resources: [
        {
          uuid: this.runUuid('resource', 'results.json'),
          title: 'plantproof results (results.json)',
          description: 'Every check, requirement, evidence and waiver state this document was made from.',
          rlinks: [{ href: `${this.base}results.json`, 'media-type': 'application/json' }],
        },
        {
          uuid: this.runUuid('resource', 'snapshot.json'),
          title: 'Normalized configuration snapshot',
          description: `Collected ${r.snapshot.collectedAt}; ${r.snapshot.entities} entities.`,
          rlinks: [
            {
              href: `${this.base}snapshot.json`,
              'media-type': 'application/json',
              ...(r.snapshot.digest ? { hashes: [{ algorithm: 'SHA-256', value: r.snapshot.digest }] } : {}),
            },
          ],
        },
        ...r.controls.map((c) => ({
          uuid: this.runUuid('resource', `control-map:${c.framework}`),
          title: line(`Control map ${c.file}`),
          description: `The ${c.framework} requirements and the checks and evidence mapped to them.`,
          props: [...prop('framework', c.framework), ...prop('sha256', c.digest)],
        })),
        {
          uuid: this.runUuid('resource', 'policy'),
          title: 'Compiled policy (plantproof.wasm)',
          props: [
            ...prop('sha256', r.policy.wasmDigest),
            ...prop('checks-json-sha256', r.policy.checksDigest),
          ],
        },
      ],
    };
  }
}

function finding(ctx: OscalContext, frameworkId: string, r: RequirementResult): Json {
  const state = FINDING_STATE[r.status];
  const risks = [
    ...r.checks.filter((c) => c.failing > 0).map((c) => ctx.openRiskUuid(c.id)),
    ...ctx
      .activeWaivers()
      .filter((x) => r.checks.some((c) => c.id === x.check.id && c.waived > 0))
      .map((x) => ctx.waiverRiskUuid(x.waiver.id)),
  ];
  return {
    uuid: ctx.runUuid('finding', `${frameworkId}:${r.id}`),
    title: line(`${r.id} ${r.title}`),
    description: r.reason,
    props: [
      ...prop('framework', frameworkId),
      ...prop('requirement-id', r.id),
      ...prop('status', r.status),
      ...prop('group', r.group),
      ...prop('owner', r.owner),
      ...prop('due', r.dueDate),
    ],
    origins: ctx.origins(),
    target: {
      type: 'objective-id',
      'target-id': token(`${frameworkId}_${r.id}`),
      title: line(`${frameworkId} ${r.id}`),
      status: {
        state: state.state,
        reason: state.reason,
        ...(r.status === 'error'
          ? { remarks: 'Not judged: a source the mapped checks need failed or was partial.' }
          : r.status === 'not_assessed'
            ? { remarks: 'Not assessed: no automated result and no current manual evidence.' }
            : r.status === 'waived'
              ? { remarks: 'Every failure is covered by an approved deviation (see related risks).' }
              : {}),
      },
    },
    ...some('related-observations', [
      ...r.checks.map((c) => ({ 'observation-uuid': ctx.checkObservationUuid(c.id) })),
      ...r.evidence.map((e) => ({ 'observation-uuid': ctx.evidenceObservationUuid(e.id) })),
    ]),
    ...some(
      'related-risks',
      [...new Set(risks)].map((u) => ({ 'risk-uuid': u })),
    ),
    ...(r.notes ? { remarks: r.notes } : {}),
  };
}

function referenced(results: Results): { checks: AssessedCheck[]; evidence: EvidenceState[] } {
  const checkIds = new Set(
    results.frameworks.flatMap((f) => f.requirements.flatMap((r) => r.checks.map((c) => c.id))),
  );
  const evIds = new Set(
    results.frameworks.flatMap((f) => f.requirements.flatMap((r) => r.evidence.map((e) => e.id))),
  );
  return {
    checks: results.checks.filter((c) => checkIds.has(c.id)),
    evidence: results.evidence.filter((e) => evIds.has(e.id)),
  };
}

/** OSCAL assessment-results: one finding per requirement, one observation per check and per evidence item. */
export function renderOscalAssessmentResults(results: Results, opts: OscalOptions = {}): string {
  const ctx = new OscalContext(results, opts);
  const { checks, evidence } = referenced(results);
  const observations = [
    ...checks.map((c) => ctx.checkObservation(c)),
    ...evidence.map((e) => ctx.evidenceObservation(e)),
  ];
  const risks = [
    ...checks.filter((c) => c.failing > 0).map((c) => ctx.openRisk(c)),
    ...ctx.activeWaivers().map((x) => ctx.waiverRisk(x)),
  ];
  const findings = results.frameworks.flatMap((f) => f.requirements.map((r) => finding(ctx, f.id, r)));
  const resources = checks.flatMap((c) =>
    c.findings.filter((f) => f.status === 'fail').map((f) => f.resource),
  );
  const starts = results.sources.map((s) => s.startedAt).sort();
  const start = instant(starts[0] ?? results.snapshot.collectedAt);
  const end = instant(results.snapshot.collectedAt);
  const result = {
    uuid: ctx.runUuid('result', 'all'),
    title: line(`Automated assessment of ${results.scope.name}`),
    description: `Every requirement of ${results.frameworks.map((f) => `${f.title} (${f.version})`).join(', ')}, assessed by plantproof against the configuration snapshot collected ${results.snapshot.collectedAt} and the manual evidence on file, judged as of ${results.evaluatedAt}.`,
    start,
    ...(end >= start ? { end } : {}),
    props: [
      ...prop('evaluated-at', instant(results.evaluatedAt)),
      ...results.frameworks.flatMap((f) =>
        prop('satisfied', `${f.summary.satisfied}/${f.summary.total}`, { class: token(f.id) }),
      ),
    ],
    'local-definitions': {
      ...some('inventory-items', ctx.inventoryItems(resources)),
      'assessment-assets': ctx.assessmentAssets(),
    },
    'reviewed-controls': {
      description: `All requirements of the selected frameworks, as listed in plantproof's control maps: ${results.controls.map((c) => `${c.file} (sha256 ${c.digest})`).join(', ')}.`,
      'control-selections': results.frameworks.map((f) => ({
        props: [...prop('framework', f.id), ...prop('control-map-sha256', f.digest)],
        'include-all': {},
        remarks: `${f.title} ${f.version}: ${f.summary.total} requirements.`,
      })),
    },
    ...some('observations', observations),
    ...some('risks', risks),
    ...some('findings', findings),
  };
  const doc = {
    'assessment-results': {
      uuid: ctx.runUuid('assessment-results', 'document'),
      metadata: ctx.metadata(`plantproof assessment results: ${results.scope.name}`),
      'import-ap': {
        href: `${ctx.base}results.json`,
        remarks:
          'plantproof has no separate OSCAL assessment plan. The plan is its control maps and compiled policy, whose digests are in reviewed-controls and back-matter and in results.json.',
      },
      results: [result],
      'back-matter': ctx.backMatter(),
    },
  };
  return `${JSON.stringify(doc, null, 2)}\n`;
}

/**
 * OSCAL plan of action and milestones: an item per failing check (owner, deadline, remediation),
 * per approved deviation (waiver) and per missing or stale piece of manual evidence.
 * OSCAL requires at least one item, so with nothing to track there is no POA&M: null.
 */
export function renderOscalPoam(results: Results, opts: OscalOptions = {}): string | null {
  const ctx = new OscalContext(results, opts);
  const { checks, evidence } = referenced(results);
  const failing = checks.filter((c) => c.failing > 0);
  const waivers = ctx.activeWaivers();
  const evidenceGaps = evidence.filter((e) => e.status !== 'fresh');
  if (failing.length + waivers.length + evidenceGaps.length === 0) return null;

  const checkItems = failing.map((c) => {
    const open = c.findings.filter((f) => f.status === 'fail' && !f.waiver);
    return {
      uuid: ctx.uuid('poam-item', `check:${c.id}`),
      title: line(`${c.title}: ${open.length} failing resource${open.length === 1 ? '' : 's'}`),
      description: `${c.remediation}\n\nFailing: ${open.map((f) => `\`${f.resource}\``).join(', ')}.`,
      props: [
        ...prop('check-id', c.id),
        ...prop('severity', c.severity),
        ...prop('owner', c.owner),
        ...prop('due', c.dueDate),
        ...ctx.requirementsOf(c.id, 'not_satisfied').flatMap((r) => prop('requirement', r)),
      ],
      origins: ctx.origins(),
      'related-observations': [{ 'observation-uuid': ctx.checkObservationUuid(c.id) }],
      'related-risks': [{ 'risk-uuid': ctx.openRiskUuid(c.id) }],
    };
  });
  const waiverItems = waivers.map((x) => ({
    uuid: ctx.uuid('poam-item', `waiver:${x.waiver.id}`),
    title: line(`Approved deviation ${x.waiver.id}: ${x.check.title}`),
    description: `${x.waiver.justification} Approved by ${x.waiver.approver} until ${x.waiver.expires.slice(0, 10)}; the failures count again once it expires.`,
    props: [
      ...prop('waiver-id', x.waiver.id),
      ...prop('check-id', x.check.id),
      ...prop('approver', x.waiver.approver),
      ...prop('expires', x.waiver.expires.slice(0, 10)),
    ],
    origins: ctx.origins(),
    'related-observations': [{ 'observation-uuid': ctx.checkObservationUuid(x.check.id) }],
    'related-risks': [{ 'risk-uuid': ctx.waiverRiskUuid(x.waiver.id) }],
  }));
  const evidenceItems = evidenceGaps.map((e) => {
    ctx.owners(e.owner);
    const blocks = results.frameworks.flatMap((f) =>
      f.requirements.filter((r) => r.evidence.some((x) => x.id === e.id)).map((r) => `${f.id} ${r.id}`),
    );
    return {
      uuid: ctx.uuid('poam-item', `evidence:${e.id}`),
      title: line(`${e.status === 'missing' ? 'Provide' : 'Renew'} evidence: ${e.title}`),
      description: `${e.expects}${e.dueAt ? ` Was due ${e.dueAt}.` : ' No attestation is on file.'}`,
      props: [
        ...prop('evidence-id', e.id),
        ...prop('evidence-status', e.status),
        ...prop('owner', e.owner),
        ...prop('due', e.dueAt),
        ...blocks.flatMap((r) => prop('requirement', r)),
      ],
      origins: ctx.origins(),
      'related-observations': [{ 'observation-uuid': ctx.evidenceObservationUuid(e.id) }],
    };
  });

  const observations = [
    ...checks
      .filter((c) => c.failing > 0 || waivers.some((x) => x.check.id === c.id))
      .map((c) => ctx.checkObservation(c)),
    ...evidenceGaps.map((e) => ctx.evidenceObservation(e)),
  ];
  const risks = [...failing.map((c) => ctx.openRisk(c)), ...waivers.map((x) => ctx.waiverRisk(x))];
  const resources = [...failing, ...waivers.map((x) => x.check)].flatMap((c) =>
    c.findings.filter((f) => f.status === 'fail').map((f) => f.resource),
  );
  const doc = {
    'plan-of-action-and-milestones': {
      uuid: ctx.runUuid('poam', 'document'),
      metadata: ctx.metadata(`plantproof plan of action and milestones: ${results.scope.name}`),
      'system-id': { 'identifier-type': `${PLANTPROOF_NS}/scope`, id: str(results.scope.name) },
      // components rather than assessment-assets: OSCAL 1.0.x POA&Ms know only the former.
      'local-definitions': {
        components: [ctx.toolComponent()],
        ...some('inventory-items', ctx.inventoryItems(resources)),
      },
      ...some('observations', observations),
      ...some('risks', risks),
      'poam-items': [...checkItems, ...waiverItems, ...evidenceItems],
      'back-matter': ctx.backMatter(),
    },
  };
  return `${JSON.stringify(doc, null, 2)}\n`;
}
