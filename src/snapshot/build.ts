import { ConfigError } from '../errors.js';
import { byCodePoint } from '../util/compare.js';
import { VERSION } from '../version.js';
import { pseudonym, redact } from './redact.js';
import {
  ENTITY_KINDS,
  type Entities,
  Entity,
  type EntityInput,
  type RawRecord,
  SCHEMA_VERSION,
  Snapshot,
  type Source,
} from './schema.js';

export interface SourceResult {
  source: Source;
  entities: EntityInput[];
  raw: Record<string, RawRecord>;
}

export function emptyEntities(): Entities {
  return Object.fromEntries(ENTITY_KINDS.map((k) => [k, []])) as unknown as Entities;
}

/**
 * Put collector output together: entities validated one by one (a bad one marks its source
 * `error` instead of poisoning the snapshot), secrets redacted, names pseudonymized on request.
 */
export function buildSnapshot(opts: {
  collectedAt: Date;
  scope: { name: string; description?: string };
  results: SourceResult[];
  pseudonymizeKey?: string;
}): Snapshot {
  const entities = emptyEntities();
  const byId = new Map<string, string>();
  const raw: Record<string, RawRecord> = {};
  const redactions: string[] = [];
  const sources: Source[] = [];

  for (const r of opts.results) {
    const source = { ...r.source };
    const accepted: Entity[] = [];
    for (const input of r.entities) {
      const parsed = Entity.safeParse(input);
      if (!parsed.success) {
        const issue = parsed.error.issues[0];
        source.status = 'error';
        source.error = `normalized entity ${String((input as { id?: unknown }).id)} is invalid: ${issue?.path.join('.')}: ${issue?.message}`;
        continue;
      }
      accepted.push(parsed.data);
    }
    for (const e of accepted) {
      const clash = byId.get(e.id);
      if (clash !== undefined) {
        source.status = source.status === 'ok' ? 'partial' : source.status;
        source.gaps.push(
          clash === source.id
            ? `entity ${e.id} reported twice; first one kept`
            : `entity ${e.id} also reported by ${clash}; first one kept`,
        );
        continue;
      }
      byId.set(e.id, source.id);
      (entities[e.kind] as Entity[]).push(e);
    }
    for (const [ref, rec] of Object.entries(r.raw)) {
      const red = redact(rec.payload, `/raw/${ref.replace(/~/g, '~0').replace(/\//g, '~1')}/payload`);
      raw[ref] = { ...rec, payload: red.value };
      redactions.push(...red.paths);
    }
    source.itemCount = accepted.length;
    sources.push(source);
  }

  if (opts.pseudonymizeKey) {
    const key = opts.pseudonymizeKey;
    const names = new Map<string, string>();
    const p = (v: string) => {
      const out = pseudonym(v, key);
      if (v.length >= 3) names.set(v, out);
      return out;
    };
    entities.user = entities.user.map((u) => ({
      ...u,
      username: p(u.username),
      displayName: u.displayName === null ? null : p(u.displayName),
      email: u.email === null ? null : p(u.email),
      name: u.name === undefined ? undefined : p(u.name),
    }));
    entities.role_assignment = entities.role_assignment.map((a) => ({
      ...a,
      principalName: a.principalName === null ? null : p(a.principalName),
      name: a.name === undefined ? undefined : replaceNames(a.name, names),
    }));
    // The raw payloads name the same people (and put them in DNs, UPNs and labels): replace them there too.
    for (const [ref, rec] of Object.entries(raw))
      raw[ref] = { ...rec, payload: replaceNamesDeep(rec.payload, names) };
  }

  sortEntities(entities);
  // Entities are normalized, but a secret-looking value slipping into one is still caught here.
  const redEntities = redact(entities, '/entities');
  redactions.push(...redEntities.paths);

  const snapshot = Snapshot.safeParse({
    schemaVersion: SCHEMA_VERSION,
    collectedAt: opts.collectedAt.toISOString(),
    tool: { name: 'plantproof', version: VERSION },
    scope: { name: opts.scope.name, description: opts.scope.description ?? null },
    sources: sources.sort((a, b) => a.id.localeCompare(b.id)),
    entities: redEntities.value,
    raw,
    redactions: redactions.sort(),
  });
  if (!snapshot.success) {
    throw new ConfigError(`the collected snapshot does not match schema v1: ${snapshot.error.message}`, {
      file: '(snapshot)',
    });
  }
  return snapshot.data;
}

function namePattern(names: Map<string, string>): RegExp | null {
  if (names.size === 0) return null;
  const alternatives = [...names.keys()]
    .sort((a, b) => b.length - a.length)
    .map((n) => n.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'));
  return new RegExp(alternatives.join('|'), 'gi');
}

const patterns = new WeakMap<Map<string, string>, RegExp | null>();

function replaceNames(text: string, names: Map<string, string>): string {
  if (!patterns.has(names)) patterns.set(names, namePattern(names));
  const re = patterns.get(names);
  if (!re) return text;
  const lower = new Map([...names].map(([k, v]) => [k.toLowerCase(), v]));
  return text.replace(re, (m) => lower.get(m.toLowerCase()) ?? m);
}

function replaceNamesDeep(value: unknown, names: Map<string, string>): unknown {
  if (typeof value === 'string') return replaceNames(value, names);
  if (Array.isArray(value)) return value.map((v) => replaceNamesDeep(v, names));
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, replaceNamesDeep(v, names)]));
  }
  return value;
}

/**
 * Each kind's entities in id order (by code point, the same on every machine), so the same plant gives the
 * same snapshot whatever order the APIs answered in, and findings, which follow snapshot order, read by id.
 */
function sortEntities(entities: Entities): void {
  for (const kind of ENTITY_KINDS) {
    (entities[kind] as Entity[]).sort((a, b) => byCodePoint(a.id, b.id));
  }
}

/** Snapshots from several machines (a CI matrix) merged by entity id; sources and raw combined. */
export function mergeSnapshots(snapshots: Snapshot[]): Snapshot {
  if (snapshots.length === 0) throw new ConfigError('nothing to merge', { file: '-' });
  const first = snapshots[0]!;
  const entities = emptyEntities();
  const seen = new Set<string>();
  const sources = new Map<string, Source>();
  const raw: Record<string, RawRecord> = {};
  const redactions = new Set<string>();
  let collectedAt = first.collectedAt;
  for (const s of snapshots) {
    if (s.collectedAt > collectedAt) collectedAt = s.collectedAt;
    for (const src of s.sources) sources.set(src.id, src);
    Object.assign(raw, s.raw);
    for (const r of s.redactions) redactions.add(r);
    for (const kind of ENTITY_KINDS) {
      for (const e of s.entities[kind] as Entity[]) {
        if (seen.has(e.id)) continue;
        seen.add(e.id);
        (entities[kind] as Entity[]).push(e);
      }
    }
  }
  sortEntities(entities);
  return {
    ...first,
    collectedAt,
    sources: [...sources.values()].sort((a, b) => a.id.localeCompare(b.id)),
    entities,
    raw,
    redactions: [...redactions].sort(),
  };
}
