import type { Results } from '../check.js';
import type { AssessedCheck, EvidenceState, RequirementResult } from '../controls/assess.js';
import type { Entity, RawRecord, Snapshot, Source } from '../snapshot/schema.js';

/**
 * requirements/<framework>/<id>.json: one file per framework requirement, everything an auditor
 * needs to follow its status to the data: the reason, each mapped check with its findings, and
 * for the resources involved the entity and the raw payload it was normalized from, with where
 * and when it was read. Bounded: at most `excerptLimit` resources per check (failures first).
 */

export const REQUIREMENT_FILE_SCHEMA_VERSION = 1;
export const DEFAULT_EXCERPT_LIMIT = 25;
/** a raw payload larger than this is cut down to the part about the resource, when it can be found */
export const RAW_EXCERPT_MAX_CHARS = 16 * 1024;

/** `SR 1.1 RE 1` → `SR_1.1_RE_1`: portable file names, unique even on case-insensitive file systems. */
export function requirementFileNames(ids: string[]): Map<string, string> {
  const out = new Map<string, string>();
  const taken = new Set<string>();
  for (const id of ids) {
    let base = id.replace(/[^A-Za-z0-9._-]+/g, '_').replace(/^[._]+/, '');
    if (base === '') base = 'requirement';
    let name = base;
    for (let n = 2; taken.has(name.toLowerCase()); n++) name = `${base}~${n}`;
    taken.add(name.toLowerCase());
    out.set(id, `${name}.json`);
  }
  return out;
}

interface RawIndex {
  size: number;
  /** string value → JSON pointer (relative to the payload) of the object holding it */
  byValue: Map<string, string> | null;
}

function escapeSegment(s: string): string {
  return s.replace(/~/g, '~0').replace(/\//g, '~1');
}

function indexPayload(payload: unknown): Map<string, string> {
  const byValue = new Map<string, string>();
  const walk = (v: unknown, pointer: string, depth: number) => {
    if (depth > 12 || v === null || typeof v !== 'object') return;
    if (Array.isArray(v)) {
      for (const [i, item] of v.entries()) walk(item, `${pointer}/${i}`, depth + 1);
      return;
    }
    for (const [k, item] of Object.entries(v)) {
      if (typeof item === 'string' || typeof item === 'number') {
        const key = String(item);
        if (!byValue.has(key)) byValue.set(key, pointer);
      } else walk(item, `${pointer}/${escapeSegment(k)}`, depth + 1);
    }
  };
  walk(payload, '', 0);
  return byValue;
}

function getPointer(value: unknown, pointer: string): unknown {
  if (pointer === '') return value;
  let v = value;
  for (const raw of pointer.slice(1).split('/')) {
    const s = raw.replace(/~1/g, '/').replace(/~0/g, '~');
    if (v === null || typeof v !== 'object') return undefined;
    v = (v as Record<string, unknown>)[s];
  }
  return v;
}

export interface RawExcerpt {
  ref: string;
  /** where the excerpt sits in snapshot.json */
  pointer: string;
  complete: boolean;
  payload: unknown;
  note?: string;
}

export interface Provenance {
  source: string;
  collector: string | null;
  target: string | null;
  api: string | null;
  capturedAt: string | null;
}

class EvidenceIndex {
  private entities = new Map<string, Entity>();
  private sources = new Map<string, Source>();
  private raw: Record<string, RawRecord>;
  private rawIndex = new Map<string, RawIndex>();

  constructor(snapshot: Snapshot) {
    for (const list of Object.values(snapshot.entities) as Entity[][])
      for (const e of list) this.entities.set(e.id, e);
    for (const s of snapshot.sources) this.sources.set(s.id, s);
    this.raw = snapshot.raw;
  }

  entity(id: string): Entity | undefined {
    return this.entities.get(id);
  }

  source(id: string): Source | undefined {
    return this.sources.get(id);
  }

  provenance(e: Entity): Provenance {
    const src = this.sources.get(e.source);
    const rec = e.rawRef ? this.raw[e.rawRef] : undefined;
    return {
      source: e.source,
      collector: src?.collector ?? null,
      target: src?.target ?? null,
      api: rec?.api ?? null,
      capturedAt: rec?.capturedAt ?? null,
    };
  }

  excerpt(e: Entity): RawExcerpt | null {
    if (!e.rawRef) return null;
    const rec = this.raw[e.rawRef];
    const base = `/raw/${escapeSegment(e.rawRef)}/payload`;
    if (!rec)
      return { ref: e.rawRef, pointer: base, complete: false, payload: null, note: 'not in the snapshot' };
    let idx = this.rawIndex.get(e.rawRef);
    if (!idx) {
      idx = { size: JSON.stringify(rec.payload)?.length ?? 0, byValue: null };
      this.rawIndex.set(e.rawRef, idx);
    }
    if (idx.size <= RAW_EXCERPT_MAX_CHARS)
      return { ref: e.rawRef, pointer: base, complete: true, payload: rec.payload };
    idx.byValue ??= indexPayload(rec.payload);
    const native = e.id.slice(e.id.lastIndexOf(':') + 1);
    for (const candidate of [e.id, native, e.name]) {
      if (!candidate) continue;
      const at = idx.byValue.get(candidate);
      if (at === undefined) continue;
      const part = getPointer(rec.payload, at);
      if ((JSON.stringify(part)?.length ?? 0) <= RAW_EXCERPT_MAX_CHARS)
        return { ref: e.rawRef, pointer: `${base}${at}`, complete: false, payload: part };
    }
    return {
      ref: e.rawRef,
      pointer: base,
      complete: false,
      payload: null,
      note: `the payload (${idx.size} characters) is too large to copy here; it is in snapshot.json at the pointer`,
    };
  }
}

function checkSection(check: AssessedCheck, index: EvidenceIndex, limit: number): unknown {
  // Failures first (open before waived), then passes; the order within each is results.json's.
  const rank = (f: AssessedCheck['findings'][number]) => (f.status === 'fail' ? (f.waiver ? 1 : 0) : 2);
  const ordered = check.findings
    .map((f, i) => ({ f, i }))
    .sort((a, b) => rank(a.f) - rank(b.f) || a.i - b.i)
    .slice(0, limit)
    .map(({ f }) => f);
  const fail = check.findings.filter((f) => f.status === 'fail').length;
  return {
    id: check.id,
    title: check.title,
    description: check.description,
    severity: check.severity,
    domain: check.domain,
    status: check.status,
    reason: check.reason,
    blockedBy: check.blockedBy,
    failing: check.failing,
    waived: check.waived,
    owner: check.owner,
    dueDate: check.dueDate,
    remediation: check.remediation,
    findingCounts: {
      total: check.findings.length,
      fail,
      pass: check.findings.length - fail,
      shown: ordered.length,
      omitted: check.findings.length - ordered.length,
    },
    ...(ordered.length < check.findings.length
      ? {
          omittedNote: `the other ${check.findings.length - ordered.length} findings are in results.json (checks[id=${check.id}])`,
        }
      : {}),
    findings: ordered.map((f) => {
      const entity = index.entity(f.resource);
      return {
        resource: f.resource,
        status: f.status,
        message: f.message,
        waiver: f.waiver,
        entity: entity ?? null,
        provenance: entity ? index.provenance(entity) : null,
        raw: entity ? index.excerpt(entity) : null,
      };
    }),
  };
}

export interface RequirementFile {
  path: string;
  text: string;
}

/** Every requirement of every framework in the results, as `requirements/<framework>/<file>.json`. */
export function buildRequirementFiles(
  results: Results,
  snapshot: Snapshot,
  opts: { excerptLimit?: number; dir?: string } = {},
): RequirementFile[] {
  const limit = opts.excerptLimit ?? DEFAULT_EXCERPT_LIMIT;
  const dir = opts.dir ?? 'requirements';
  const index = new EvidenceIndex(snapshot);
  const checks = new Map(results.checks.map((c) => [c.id, c]));
  const evidence = new Map<string, EvidenceState>(results.evidence.map((e) => [e.id, e]));
  const sections = new Map<string, unknown>();
  const section = (id: string) => {
    let s = sections.get(id);
    if (s === undefined) {
      const check = checks.get(id);
      s = check
        ? checkSection(check, index, limit)
        : { id, status: 'unknown', reason: 'not in results.json' };
      sections.set(id, s);
    }
    return s;
  };
  const files: RequirementFile[] = [];
  for (const fw of results.frameworks) {
    const names = requirementFileNames(fw.requirements.map((r) => r.id));
    for (const r of fw.requirements as RequirementResult[]) {
      const involved = new Set<string>();
      for (const c of r.checks) {
        const check = checks.get(c.id);
        for (const s of check?.blockedBy ?? []) involved.add(s);
      }
      const doc = {
        schemaVersion: REQUIREMENT_FILE_SCHEMA_VERSION,
        framework: {
          id: fw.id,
          title: fw.title,
          version: fw.version,
          source: fw.source,
          controlMap: fw.file,
        },
        requirement: {
          id: r.id,
          title: r.title,
          group: r.group,
          ...(r.sl !== undefined ? { sl: r.sl } : {}),
          ...(r.notes ? { notes: r.notes } : {}),
        },
        evaluatedAt: results.evaluatedAt,
        status: r.status,
        reason: r.reason,
        owner: r.owner,
        dueDate: r.dueDate,
        checks: r.checks.map((c) => section(c.id)),
        evidence: r.evidence.map((e) => evidence.get(e.id) ?? { id: e.id, status: e.status, dueAt: e.dueAt }),
        blockingSources: [...involved].sort().map((id) => index.source(id) ?? { id }),
      };
      files.push({ path: `${dir}/${fw.id}/${names.get(r.id)}`, text: `${JSON.stringify(doc, null, 2)}\n` });
    }
  }
  return files;
}
