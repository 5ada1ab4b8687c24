import { isMap, isScalar, isSeq, type Node, parseDocument, visit } from 'yaml';
import { looksSecret, redact, redactionMarker } from '../snapshot/redact.js';
import type { Snapshot } from '../snapshot/schema.js';

/**
 * The last net before anything reaches a bundle. Collection already redacts (snapshot/redact.ts);
 * this runs the same rules again over everything a bundle is made from — a snapshot written by
 * another version or by hand, the config, attestations, waivers, results — so that no secret
 * reaches any byte of the bundle, whatever path the input took.
 */

export const MARKER_PREFIX = '[REDACTED sha256:';
const isMarker = (v: unknown): boolean => typeof v === 'string' && v.startsWith(MARKER_PREFIX);

function unescapePointer(segment: string): string {
  return segment.replace(/~1/g, '/').replace(/~0/g, '~');
}

function splitPointer(pointer: string, base: string): string[] {
  const rest = pointer.slice(base.length);
  return rest === '' ? [] : rest.slice(1).split('/').map(unescapePointer);
}

function getAt(value: unknown, segments: string[]): unknown {
  let v = value;
  for (const s of segments) {
    if (v === null || typeof v !== 'object') return undefined;
    v = (v as Record<string, unknown>)[s];
  }
  return v;
}

function setAt(value: unknown, segments: string[], next: unknown): void {
  let v = value as Record<string, unknown>;
  for (const s of segments.slice(0, -1)) v = v[s] as Record<string, unknown>;
  v[segments[segments.length - 1]!] = next;
}

/**
 * `redact()`, made idempotent: a value that is already a redaction marker stays as it is (redact
 * would hash the marker again under a secret-sounding key). Returns the original object when
 * nothing new was found, so clean input costs no copy.
 */
export function rescrub<T>(value: T, base = ''): { value: T; paths: string[] } {
  const red = redact(value, base);
  if (red.paths.length === 0) return { value, paths: [] };
  const paths: string[] = [];
  for (const p of red.paths) {
    const segments = splitPointer(p, base);
    const original = segments.length === 0 ? value : getAt(value, segments);
    if (isMarker(original)) {
      if (segments.length > 0) setAt(red.value, segments, original);
      continue;
    }
    paths.push(p);
  }
  return paths.length === 0 ? { value, paths } : { value: red.value as T, paths };
}

/** Value-based only: every string that looks like a secret becomes a marker. Keys are left alone. */
export function scrubStrings<T>(value: T, base = ''): { value: T; paths: string[] } {
  const paths: string[] = [];
  const walk = (v: unknown, path: string): unknown => {
    if (typeof v === 'string') {
      if (!stringIsSecret(v)) return v;
      paths.push(path);
      return redactionMarker(v);
    }
    if (Array.isArray(v)) {
      let out: unknown[] | null = null;
      for (let i = 0; i < v.length; i++) {
        const next = walk(v[i], `${path}/${i}`);
        if (next !== v[i]) {
          out ??= v.slice();
          out[i] = next;
        }
      }
      return out ?? v;
    }
    if (v && typeof v === 'object') {
      let out: Record<string, unknown> | null = null;
      for (const [k, item] of Object.entries(v)) {
        const next = walk(item, `${path}/${k.replace(/~/g, '~0').replace(/\//g, '~1')}`);
        if (next !== item) {
          out ??= { ...(v as Record<string, unknown>) };
          out[k] = next;
        }
      }
      return out ?? v;
    }
    return v;
  };
  const out = walk(value, base) as T;
  return { value: out, paths };
}

const escapeRef = (ref: string) => ref.replace(/~/g, '~0').replace(/\//g, '~1');

/**
 * A cheap necessary condition for `looksSecret`, so that millions of ordinary strings (ids,
 * regions, timestamps) cost a few character tests instead of ten regular expressions. Every value
 * pattern in snapshot/redact.ts needs one of these: a private-key header, an AWS key prefix, a JWT
 * header, a bearer token, `=` (connection strings, SAS signatures), `://` (URL credentials), a
 * GitHub token prefix, or 40+ characters (secret keys and long tokens). Keep it in step with that
 * list: anything 40 characters or longer is always looked at, whatever the patterns become.
 */
export function mightLookSecret(s: string): boolean {
  if (s.length < 5) return false;
  if (s.length >= 40) return true;
  return (
    s.includes('=') ||
    s.includes('://') ||
    s.includes('-----') ||
    s.includes('eyJ') ||
    s.includes('AKIA') ||
    s.includes('ASIA') ||
    /gh[pousr]_|bearer/i.test(s)
  );
}

const secretKeyMemo = new Map<string, boolean>();
/** Whether redact() treats a field of this name as secret (asked of redact itself, once per name). */
function isSecretKey(key: string): boolean {
  let hit = secretKeyMemo.get(key);
  if (hit === undefined) {
    hit = redact({ [key]: 'x' }).paths.length > 0;
    if (secretKeyMemo.size < 100_000) secretKeyMemo.set(key, hit);
  }
  return hit;
}

const stringIsSecret = (v: string) => !isMarker(v) && mightLookSecret(v) && looksSecret(v) !== null;

/**
 * Would `redact()` (keys and values) or, with `keys: false`, the value rules alone change
 * anything? A walk without copying: clean data, the usual case, costs no allocation.
 */
export function needsScrub(value: unknown, opts: { keys: boolean }): boolean {
  const walk = (v: unknown, key: string | null): boolean => {
    if (opts.keys && key !== null && isSecretKey(key)) {
      const scrubbable =
        v !== null &&
        v !== '' &&
        typeof v !== 'boolean' &&
        typeof v !== 'number' &&
        !(Array.isArray(v) && v.length === 0);
      if (scrubbable && !isMarker(v)) return true;
    }
    if (typeof v === 'string') return stringIsSecret(v);
    if (Array.isArray(v)) {
      for (const item of v) if (walk(item, null)) return true;
      return false;
    }
    if (v && typeof v === 'object') {
      for (const k in v) if (walk((v as Record<string, unknown>)[k], k)) return true;
    }
    return false;
  };
  return walk(value, null);
}

/**
 * The snapshot with anything secret-looking replaced: raw payloads by the full rules (secret
 * field names and secret-looking values), entities, sources and scope by value (their field
 * names are the schema's), free-form tags by both. Clean input comes back unchanged, uncopied.
 */
export function scrubSnapshot(snapshot: Snapshot): { snapshot: Snapshot; paths: string[] } {
  const paths: string[] = [];
  let raw = snapshot.raw;
  for (const ref in snapshot.raw) {
    const rec = snapshot.raw[ref]!;
    if (!needsScrub(rec.payload, { keys: true }) && !needsScrub([rec.api, rec.source], { keys: false }))
      continue;
    const r = rescrub(rec, `/raw/${escapeRef(ref)}`);
    if (r.paths.length > 0) {
      if (raw === snapshot.raw) raw = { ...snapshot.raw };
      raw[ref] = r.value;
      paths.push(...r.paths);
    }
  }
  let entities = snapshot.entities;
  for (const [kind, list] of Object.entries(snapshot.entities) as [keyof Snapshot['entities'], unknown[]][]) {
    let next: unknown[] | null = null;
    for (let i = 0; i < list.length; i++) {
      const e = list[i] as Record<string, unknown>;
      const tagsDirty = e.tags !== undefined && needsScrub(e.tags, { keys: true });
      if (!tagsDirty && !needsScrub(e, { keys: false })) continue;
      const base = `/entities/${kind}/${i}`;
      const s = scrubStrings(e, base);
      let entity = s.value;
      const found = [...s.paths];
      if (tagsDirty) {
        const t = rescrub(entity.tags, `${base}/tags`);
        entity = { ...entity, tags: t.value };
        found.push(...t.paths);
      }
      if (found.length > 0) {
        next ??= list.slice();
        next[i] = entity;
        paths.push(...found);
      }
    }
    if (next) {
      if (entities === snapshot.entities) entities = { ...snapshot.entities };
      (entities as Record<string, unknown[]>)[kind] = next;
    }
  }
  const sources = rescrub(snapshot.sources, '/sources');
  paths.push(...sources.paths);
  const scope = scrubStrings(snapshot.scope, '/scope');
  paths.push(...scope.paths);
  if (paths.length === 0) return { snapshot, paths };
  return {
    snapshot: {
      ...snapshot,
      raw,
      entities,
      sources: sources.value,
      scope: scope.value,
      redactions: [...new Set([...snapshot.redactions, ...paths])].sort(),
    },
    paths: paths.sort(),
  };
}

const AWS_SECRET_SHAPE = /(?<![A-Za-z0-9/+=])[A-Za-z0-9/+=]{40}(?![A-Za-z0-9/+=])/g;
const CHUNK = 1 << 16;

/**
 * A fast screen of serialized text: false means no string in it can look like a secret, so the
 * structured pass can be skipped. True means "look closer", not "found".
 */
export function mayContainSecret(text: string): boolean {
  for (let start = 0; start < text.length; start += CHUNK) {
    // overlap the chunks so nothing straddling a boundary is missed
    const chunk = text.slice(start, start + CHUNK + 4096);
    if (looksSecret(chunk)) return true;
  }
  AWS_SECRET_SHAPE.lastIndex = 0;
  for (let m = AWS_SECRET_SHAPE.exec(text); m; m = AWS_SECRET_SHAPE.exec(text)) {
    const s = m[0];
    if (/[a-z]/.test(s) && /[A-Z]/.test(s) && /[0-9]/.test(s) && /[/+]/.test(s)) return true;
  }
  return false;
}

export function bytesMayContainSecret(bytes: Uint8Array): boolean {
  return mayContainSecret(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('latin1'));
}

/**
 * A YAML file with secret values replaced in place (comments and layout kept), plus the paths
 * replaced. Comments that look like they hold a secret are replaced too. Unchanged input comes
 * back byte for byte.
 */
export function redactYamlText(text: string): { text: string; paths: string[] } {
  const doc = parseDocument(text, { uniqueKeys: false });
  if (doc.errors.length > 0) {
    // Not YAML we can take apart: keep it only if nothing in it looks secret.
    if (!mayContainSecret(text)) return { text, paths: [] };
    return { text: `# ${redactionMarker(text)} (unparseable file withheld)\n`, paths: [''] };
  }
  const data = doc.toJS({ maxAliasCount: 100 }) as unknown;
  const red = rescrub(data, '');
  let changed = false;
  for (const p of red.paths) {
    const segments = splitPointer(p, '');
    const keys = segments.map((s, i) => {
      const parent = doc.getIn(segments.slice(0, i) as unknown[], true) as Node | undefined;
      return isSeq(parent) ? Number(s) : s;
    });
    if (keys.length === 0) continue;
    const node = doc.getIn(keys, true);
    const marker = redactionMarker(getAt(data, segments));
    if (isScalar(node)) {
      node.value = marker;
      node.type = 'QUOTE_DOUBLE';
    } else doc.setIn(keys, doc.createNode(marker));
    changed = true;
  }
  const secretComment = (c: string | null | undefined) => (c && mayContainSecret(c) ? redactionMarker(c) : c);
  let commentPaths = 0;
  const fixComments = (n: { commentBefore?: string | null; comment?: string | null }) => {
    const before = secretComment(n.commentBefore);
    const after = secretComment(n.comment);
    if (before !== n.commentBefore || after !== n.comment) {
      n.commentBefore = before;
      n.comment = after;
      commentPaths += 1;
      changed = true;
    }
  };
  fixComments(doc);
  visit(doc, {
    Node(_key, node) {
      if (isMap(node) || isSeq(node) || isScalar(node)) fixComments(node);
    },
    Pair(_key, pair) {
      if (isScalar(pair.key)) fixComments(pair.key);
    },
  });
  if (!changed) return { text, paths: [] };
  const out = doc.toString({ lineWidth: 0 });
  const paths = [...red.paths];
  if (commentPaths > 0) paths.push('(comments)');
  return { text: out, paths: paths.sort() };
}

/** results.json bytes: the same serialization `plantproof check` writes. */
export function serializeResults(results: unknown): string {
  return `${JSON.stringify(results, null, 2)}\n`;
}

/**
 * Results as they go into a bundle: any string that looks like a secret (it could only come from
 * a collector error, a config value or an attestation) replaced. The common clean case costs one
 * walk without copying. `plantproof verify --reproduce` applies the same step.
 */
export function sanitizeResults<T>(results: T): { results: T; paths: string[] } {
  if (!needsScrub(results, { keys: false })) return { results, paths: [] };
  const s = scrubStrings(results, '');
  if (s.paths.length === 0) return { results, paths: [] };
  return { results: s.value, paths: s.paths };
}
