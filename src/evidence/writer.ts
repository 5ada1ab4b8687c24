import { createHash, randomBytes } from 'node:crypto';
import { constants } from 'node:fs';
import { link, lstat, mkdir, open, readdir, readFile, rename, rm, unlink, writeFile } from 'node:fs/promises';
import { basename, dirname, join, posix, resolve } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { checkSnapshot, exitCodeFor, type Results } from '../check.js';
import type { LoadedConfig } from '../config/load.js';
import { DEFAULT_CONTROLS_DIR } from '../controls/load.js';
import { Attestation } from '../controls/schema.js';
import { ConfigError, InternalError } from '../errors.js';
import { DEFAULT_POLICY_DIR, loadCompiledPolicy } from '../evaluate/index.js';
import { serializeSnapshot } from '../snapshot/io.js';
import type { Snapshot } from '../snapshot/schema.js';
import { byCodePoint } from '../util/compare.js';
import { VERSION } from '../version.js';
import { findPrevious, linkTo } from './chain.js';
import { DEFLATE_DESCRIPTION, deflateFiles } from './deflate.js';
import {
  BundlePath,
  bundleNameFor,
  MANIFEST_FILE,
  MANIFEST_SCHEMA_VERSION,
  type Manifest,
  type ManifestFile,
  type PreviousLink,
  PUBLIC_KEY_IN_BUNDLE,
  SIGNATURE_FILE,
  serializeManifest,
  serializeSignature,
} from './manifest.js';
import { renderReadme } from './readme.js';
import { buildRequirementFiles, DEFAULT_EXCERPT_LIMIT } from './requirements.js';
import {
  bytesMayContainSecret,
  redactYamlText,
  sanitizeResults,
  scrubSnapshot,
  serializeResults,
} from './scrub.js';
import { type SigningKey, signBytes } from './signing.js';
import { makeEntry, writeZip, type ZipEntry } from './zip.js';

export type BundleFormat = 'zip' | 'dir' | 'both';

/** Above this (compact) size, results.json stays compact: a third smaller, and no one reads it by eye. */
export const PRETTY_RESULTS_MAX = 4 * 1024 * 1024;

/** results.json as `plantproof check` writes it (two-space indent), or compact when large; both stable. */
function resultsText(s: { results: unknown }): string {
  const compact = JSON.stringify(s.results);
  return compact.length <= PRETTY_RESULTS_MAX ? serializeResults(s.results) : `${compact}\n`;
}

export const BUNDLE_PATHS = {
  readme: 'README.txt',
  snapshot: 'snapshot.json',
  results: 'results.json',
  wasm: 'policy/plantproof.wasm',
  checks: 'policy/checks.json',
  controls: 'controls',
  config: 'config/plantproof.yaml',
  waivers: 'config/waivers.yaml',
  manual: 'evidence/manual',
  reports: 'reports',
  requirements: 'requirements',
} as const;

export interface WriteBundleOptions {
  snapshot: Snapshot;
  /** the snapshot file's exact bytes, when there is one; otherwise the canonical serialization */
  snapshotBytes?: Uint8Array;
  /** results already computed for this snapshot; recomputed when missing or not for these bytes */
  results?: Results;
  config?: LoadedConfig;
  frameworks?: string[];
  policyDir?: string;
  controlsDir?: string;
  /** the folder bundles accumulate in */
  outDir: string;
  format?: BundleFormat;
  signingKey?: SigningKey | null;
  /** a bundle to link to, `auto` (the newest older one in outDir, the default) or `none` */
  previous?: string | 'auto' | 'none';
  /** rendered reports, written under reports/ (name → content) */
  reports?: Record<string, string | Uint8Array>;
  excerptLimit?: number;
  onProgress?: (message: string) => void;
  /** test hook: called between the steps of writing, so a test can fail or stop there */
  onStage?: (stage: string) => void | Promise<void>;
}

export interface WrittenBundle {
  name: string;
  zipFile: string | null;
  dir: string | null;
  manifest: Manifest;
  manifestSha256: string;
  results: Results;
  exitCode: 0 | 1 | 3;
  signed: boolean;
}

const sha256 = (b: Uint8Array | string) => createHash('sha256').update(b).digest('hex');
const utf8 = (s: string) => Buffer.from(s, 'utf8');

async function readInput(file: string, what: string): Promise<Buffer> {
  try {
    return await readFile(file);
  } catch (err) {
    throw new ConfigError(`cannot read ${what}: ${(err as NodeJS.ErrnoException).code ?? String(err)}`, {
      file,
    });
  }
}

async function exists(path: string): Promise<boolean> {
  try {
    await lstat(path);
    return true;
  } catch {
    return false;
  }
}

/** A path of an attachment, as written relative to the manual evidence folder, inside the bundle. */
export function attachmentPath(ref: string): string | null {
  const norm = posix.normalize(ref.replace(/\\/g, '/'));
  if (posix.isAbsolute(norm) || norm === '.' || norm === '') return null;
  return norm
    .split('/')
    .map((s) => (s === '..' ? '_parent_' : s))
    .join('/');
}

interface Collected {
  files: Map<string, Uint8Array>;
  redactions: Manifest['redactions'];
  withheld: Manifest['withheld'];
}

/** The configuration, waivers and manual evidence, redacted, under their bundle paths. */
async function collectInputs(
  config: LoadedConfig | undefined,
  out: Collected,
): Promise<{
  config: Manifest['config'];
  waivers: Manifest['waivers'];
  manualEvidence: Manifest['manualEvidence'];
}> {
  if (!config) return { config: null, waivers: null, manualEvidence: null };
  const addYaml = (path: string, bytes: Buffer): boolean => {
    const text = bytes.toString('utf8');
    const red = redactYamlText(text);
    out.files.set(path, red.paths.length ? utf8(red.text) : bytes);
    if (red.paths.length) out.redactions.push({ path, pointers: red.paths });
    return red.paths.length > 0;
  };
  const configBytes = await readInput(config.file, 'the config');
  const configRedacted = addYaml(BUNDLE_PATHS.config, configBytes);

  let waivers: Manifest['waivers'] = null;
  if (config.config.evidence.waivers) {
    const file = resolve(config.dir, config.config.evidence.waivers);
    const bytes = await readInput(file, 'the waivers file');
    waivers = {
      path: BUNDLE_PATHS.waivers,
      sourceSha256: sha256(bytes),
      redacted: addYaml(BUNDLE_PATHS.waivers, bytes),
    };
  }

  const manualDir = resolve(config.dir, config.config.evidence.manualDir);
  let names: string[] = [];
  try {
    names = (await readdir(manualDir)).filter((n) => /\.ya?ml$/.test(n)).sort(byCodePoint);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
  }
  const attestations: NonNullable<Manifest['manualEvidence']>['attestations'] = [];
  for (const name of names) {
    const bytes = await readInput(join(manualDir, name), 'an attestation');
    const path = `${BUNDLE_PATHS.manual}/${name}`;
    const redacted = addYaml(path, bytes);
    let refs: string[] = [];
    try {
      const parsed = Attestation.safeParse(parseYaml(bytes.toString('utf8')));
      if (parsed.success) refs = parsed.data.attachments.map((a) => a.path);
    } catch {
      // an unparseable attestation failed the check already; it is bundled as it is
    }
    const attachments = [];
    for (const ref of refs) {
      const data = await readInput(resolve(manualDir, ref), `attachment ${ref}`);
      const digest = sha256(data);
      const mapped = attachmentPath(ref);
      if (bytesMayContainSecret(data)) {
        out.withheld.push({
          source: `${basename(manualDir)}/${ref}`,
          sha256: digest,
          reason: 'looks like it holds a secret',
        });
        attachments.push({ ref, path: null, sha256: digest });
        continue;
      }
      const at = mapped ? `${BUNDLE_PATHS.manual}/${mapped}` : null;
      if (at) out.files.set(at, data);
      else
        out.withheld.push({
          source: ref,
          sha256: digest,
          reason: 'absolute path: cannot be placed in the bundle',
        });
      attachments.push({ ref, path: at, sha256: digest });
    }
    attestations.push({ path, sourceSha256: sha256(bytes), redacted, attachments });
  }
  return {
    config: { path: BUNDLE_PATHS.config, sourceSha256: config.digest, redacted: configRedacted },
    waivers,
    manualEvidence: { dir: BUNDLE_PATHS.manual, sourceDirName: basename(manualDir), attestations },
  };
}

/**
 * Write one evidence bundle: snapshot, results, the policy and control maps used, the redacted
 * configuration and manual evidence, a file per requirement, reports, README.txt, the manifest
 * and its signature. Written under a temporary name and renamed when complete; an existing
 * bundle is never overwritten.
 */
export async function writeBundle(opts: WriteBundleOptions): Promise<WrittenBundle> {
  const progress = opts.onProgress ?? (() => {});
  const stage = opts.onStage ?? (() => {});
  const format = opts.format ?? 'zip';
  const outDir = resolve(opts.outDir);
  const name = bundleNameFor(opts.snapshot.collectedAt);
  const zipFile = format === 'dir' ? null : join(outDir, `${name}.zip`);
  const dirPath = format === 'zip' ? null : join(outDir, name);
  for (const target of [zipFile, dirPath])
    if (target && (await exists(target)))
      throw new ConfigError('a bundle of this name already exists; bundles are never overwritten', {
        file: target,
      });

  // 1. The snapshot, with anything secret-looking that got this far redacted.
  const scrubbed = scrubSnapshot(opts.snapshot);
  const snapshot = scrubbed.snapshot;
  const snapshotBytes =
    scrubbed.paths.length === 0 && opts.snapshotBytes
      ? opts.snapshotBytes
      : utf8(serializeSnapshot(snapshot));
  const snapshotSha = sha256(snapshotBytes);

  // 2. Policy and control maps: the bytes that get bundled are the ones the results must name.
  const policyDir = resolve(opts.policyDir ?? DEFAULT_POLICY_DIR);
  const controlsDir = resolve(opts.controlsDir ?? DEFAULT_CONTROLS_DIR);
  const wasm = await readInput(join(policyDir, 'plantproof.wasm'), 'the compiled policy');
  const checksJson = await readInput(join(policyDir, 'checks.json'), 'the check catalog');
  const controlNames = (await readdir(controlsDir)).filter((n) => /\.ya?ml$/.test(n)).sort(byCodePoint);
  const controlFiles = new Map<string, Buffer>();
  for (const n of controlNames) controlFiles.set(n, await readInput(join(controlsDir, n), 'a control map'));

  // 3. Results for exactly these inputs (reused when the caller's already are).
  let results = opts.results;
  if (!results || results.snapshot.digest !== snapshotSha) {
    progress('bundle: checking the snapshot');
    results = await checkSnapshot({
      snapshot,
      snapshotDigest: snapshotSha,
      config: opts.config,
      frameworks: opts.results ? opts.results.frameworks.map((f) => f.id) : opts.frameworks,
      controlsDir,
      policy: await loadCompiledPolicy(policyDir),
      now: opts.results ? new Date(opts.results.evaluatedAt) : undefined,
    });
  }
  if (results.policy.wasmDigest !== sha256(wasm) || results.policy.checksDigest !== sha256(checksJson))
    throw new InternalError(
      `the results were not computed with the policy in ${policyDir}; refusing to bundle a mismatch`,
    );
  for (const c of results.controls) {
    const bytes = controlFiles.get(basename(c.file));
    if (!bytes || sha256(bytes) !== c.digest)
      throw new InternalError(
        `the results were not computed with ${join(controlsDir, basename(c.file))}; refusing to bundle a mismatch`,
      );
  }
  const sanitized = sanitizeResults(results);
  const bundledResults = sanitized.results;
  await stage('inputs-ready');

  // 4. Every file but the manifest and its signature.
  const collected: Collected = { files: new Map(), redactions: [], withheld: [] };
  const files = collected.files;
  files.set(BUNDLE_PATHS.snapshot, snapshotBytes);
  files.set(BUNDLE_PATHS.results, utf8(resultsText(sanitized)));
  files.set(BUNDLE_PATHS.wasm, wasm);
  files.set(BUNDLE_PATHS.checks, checksJson);
  for (const [n, bytes] of controlFiles) files.set(`${BUNDLE_PATHS.controls}/${n}`, bytes);
  const inputs = await collectInputs(opts.config, collected);
  const snapshotRedactions = snapshot.redactions;
  if (snapshotRedactions.length)
    collected.redactions.push({ path: BUNDLE_PATHS.snapshot, pointers: snapshotRedactions });
  if (sanitized.paths.length)
    collected.redactions.push({ path: BUNDLE_PATHS.results, pointers: sanitized.paths });

  const reports: string[] = [];
  for (const [rel, content] of Object.entries(opts.reports ?? {}).sort(([a], [b]) => byCodePoint(a, b))) {
    const path = `${BUNDLE_PATHS.reports}/${rel}`;
    if (!BundlePath.safeParse(path).success)
      throw new InternalError(`report name ${JSON.stringify(rel)} is not a plain relative path`);
    const bytes = typeof content === 'string' ? utf8(content) : content;
    if (bytesMayContainSecret(bytes)) {
      collected.withheld.push({
        source: path,
        sha256: sha256(bytes),
        reason: 'looks like it holds a secret',
      });
      continue;
    }
    files.set(path, bytes);
    reports.push(path);
  }

  progress('bundle: writing requirement files');
  const limit = opts.excerptLimit ?? DEFAULT_EXCERPT_LIMIT;
  for (const f of buildRequirementFiles(bundledResults, snapshot, {
    excerptLimit: limit,
    dir: BUNDLE_PATHS.requirements,
  }))
    files.set(f.path, utf8(f.text));
  if (opts.signingKey) files.set(PUBLIC_KEY_IN_BUNDLE, utf8(opts.signingKey.publicKeyPem));

  // 5. The chain link.
  let previous: PreviousLink | null = null;
  const prev = opts.previous ?? 'auto';
  if (prev === 'auto') previous = await findPrevious(outDir, name);
  else if (prev !== 'none') previous = await linkTo(prev);
  if (previous && previous.name >= name)
    throw new ConfigError(`the previous bundle ${previous.name} is not older than this one (${name})`, {
      file: typeof prev === 'string' ? prev : outDir,
    });

  // 6. Manifest, README and signature.
  const head: Omit<Manifest, 'files'> = {
    schemaVersion: MANIFEST_SCHEMA_VERSION,
    format: 'plantproof-evidence-bundle',
    name,
    tool: { name: 'plantproof', version: VERSION },
    timestamps: { collectedAt: snapshot.collectedAt, evaluatedAt: bundledResults.evaluatedAt },
    scope: { name: snapshot.scope.name, description: snapshot.scope.description },
    outcome: {
      exitCode: exitCodeFor(bundledResults),
      sourcesNotOk: snapshot.sources
        .filter((s) => s.status !== 'ok')
        .map((s) => ({ id: s.id, status: s.status as 'partial' | 'error', error: s.error, gaps: s.gaps })),
      frameworks: bundledResults.frameworks.map((f) => ({
        id: f.id,
        title: f.title,
        version: f.version,
        summary: f.summary,
      })),
    },
    snapshot: {
      path: BUNDLE_PATHS.snapshot,
      sha256: snapshotSha,
      entities: bundledResults.snapshot.entities,
      sources: snapshot.sources.map((s) => ({
        id: s.id,
        collector: s.collector,
        target: s.target,
        status: s.status,
        startedAt: s.startedAt,
        finishedAt: s.finishedAt,
      })),
    },
    results: { path: BUNDLE_PATHS.results, sha256: sha256(files.get(BUNDLE_PATHS.results)!) },
    config: inputs.config,
    policy: {
      wasm: { path: BUNDLE_PATHS.wasm, sha256: sha256(wasm) },
      checks: { path: BUNDLE_PATHS.checks, sha256: sha256(checksJson) },
      checkCount: bundledResults.checks.length,
    },
    controls: {
      dir: BUNDLE_PATHS.controls,
      sourceDirName: basename(controlsDir),
      frameworks: bundledResults.controls.map((c) => ({
        framework: c.framework,
        path: `${BUNDLE_PATHS.controls}/${basename(c.file)}`,
        sha256: c.digest,
      })),
      files: [...controlFiles].map(([n, b]) => ({
        path: `${BUNDLE_PATHS.controls}/${n}`,
        sha256: sha256(b),
      })),
    },
    manualEvidence: inputs.manualEvidence,
    waivers: inputs.waivers,
    reports,
    previous,
    signing: opts.signingKey
      ? { algorithm: 'ed25519', keyId: opts.signingKey.keyId, publicKey: PUBLIC_KEY_IN_BUNDLE }
      : null,
    redactions: collected.redactions.sort((a, b) => byCodePoint(a.path, b.path)),
    withheld: collected.withheld,
    requirementFiles: { dir: BUNDLE_PATHS.requirements, excerptLimit: limit },
    zip: {
      mtime: snapshot.collectedAt,
      deflate: `${DEFLATE_DESCRIPTION}; manifest.json and manifest.sig stored uncompressed`,
    },
  };
  files.set(BUNDLE_PATHS.readme, utf8(renderReadme(head)));

  progress('bundle: compressing');
  const paths = [...files.keys()].sort(byCodePoint);
  const compressed = await deflateFiles(paths.map((p) => files.get(p)!));
  const entries = new Map<string, ZipEntry>();
  const listed: ManifestFile[] = [];
  for (const [i, path] of paths.entries()) {
    const data = files.get(path)!;
    const entry = makeEntry(`${name}/${path}`, data, 'deflate', compressed[i]);
    entries.set(path, entry);
    listed.push({
      path,
      sha256: sha256(data),
      size: data.length,
      zip: { method: entry.method, size: entry.stored.length, sha256: sha256(entry.stored) },
    });
  }
  const manifest: Manifest = { ...head, files: listed };
  const manifestBytes = utf8(serializeManifest(manifest));
  const manifestSha256 = sha256(manifestBytes);
  const sigBytes = utf8(
    serializeSignature({
      schemaVersion: 1,
      signs: MANIFEST_FILE,
      manifestSha256,
      algorithm: opts.signingKey ? 'ed25519' : 'none',
      keyId: opts.signingKey?.keyId ?? null,
      signature: opts.signingKey ? signBytes(opts.signingKey, manifestBytes) : null,
    }),
  );
  files.set(MANIFEST_FILE, manifestBytes);
  files.set(SIGNATURE_FILE, sigBytes);
  entries.set(MANIFEST_FILE, makeEntry(`${name}/${MANIFEST_FILE}`, manifestBytes, 'store'));
  entries.set(SIGNATURE_FILE, makeEntry(`${name}/${SIGNATURE_FILE}`, sigBytes, 'store'));
  await stage('manifest-ready');

  // 7. Out, atomically: complete temporaries first, then one rename (or link) each.
  await mkdir(outDir, { recursive: true });
  const prepared: Prepared[] = [];
  try {
    if (zipFile) {
      const ordered = [...entries.keys()].sort(byCodePoint).map((p) => entries.get(p)!);
      prepared.push(await prepareZip(zipFile, ordered, snapshot.collectedAt));
      await stage('zip-written');
    }
    if (dirPath) {
      prepared.push(await prepareDir(dirPath, files));
      await stage('dir-written');
    }
    const committed: Prepared[] = [];
    try {
      for (const p of prepared) {
        await p.commit();
        committed.push(p);
      }
    } catch (err) {
      // both or neither: take back what this call itself just put in place
      for (const p of committed) await p.uncommit();
      throw err;
    }
  } finally {
    for (const p of prepared) await p.cleanup();
  }
  await syncDir(outDir);
  progress(`bundle: ${zipFile ?? dirPath}`);
  return {
    name,
    zipFile,
    dir: dirPath,
    manifest,
    manifestSha256,
    results: bundledResults,
    exitCode: exitCodeFor(bundledResults),
    signed: Boolean(opts.signingKey),
  };
}

const tempName = (final: string) =>
  join(dirname(final), `.${basename(final)}.partial-${process.pid}-${randomBytes(4).toString('hex')}`);

async function syncDir(dir: string): Promise<void> {
  try {
    const h = await open(dir, constants.O_RDONLY);
    try {
      await h.sync();
    } finally {
      await h.close();
    }
  } catch {
    // not every platform can fsync a directory; the rename is still atomic
  }
}

interface Prepared {
  commit(): Promise<void>;
  uncommit(): Promise<void>;
  cleanup(): Promise<void>;
}

const alreadyThere = (file: string) =>
  new ConfigError('a bundle of this name already exists; bundles are never overwritten', { file });

async function prepareZip(final: string, entries: ZipEntry[], mtime: string): Promise<Prepared> {
  const tmp = tempName(final);
  const handle = await open(tmp, 'wx', 0o644);
  try {
    await writeZip(handle, entries, mtime);
    await handle.sync();
  } catch (err) {
    await handle.close();
    await unlink(tmp).catch(() => undefined);
    throw err;
  }
  await handle.close();
  return {
    async commit() {
      // link() fails when the name exists: an existing bundle is never replaced, even in a race.
      try {
        await link(tmp, final);
      } catch (err) {
        const code = (err as NodeJS.ErrnoException).code;
        if (code === 'EEXIST') throw alreadyThere(final);
        if (code !== 'EPERM' && code !== 'ENOTSUP' && code !== 'EXDEV') throw err;
        // a file system without hard links: check, then rename
        if (await exists(final)) throw alreadyThere(final);
        await rename(tmp, final);
      }
    },
    async uncommit() {
      await unlink(final).catch(() => undefined);
    },
    async cleanup() {
      await unlink(tmp).catch(() => undefined);
    },
  };
}

async function prepareDir(final: string, files: Map<string, Uint8Array>): Promise<Prepared> {
  const tmp = tempName(final);
  await mkdir(tmp);
  try {
    for (const path of [...files.keys()].sort(byCodePoint)) {
      const target = join(tmp, ...path.split('/'));
      await mkdir(dirname(target), { recursive: true });
      await writeFile(target, files.get(path)!, { flag: 'wx' });
    }
  } catch (err) {
    await rm(tmp, { recursive: true, force: true });
    throw err;
  }
  return {
    async commit() {
      // rename() would replace an empty folder of that name, so look first
      if (await exists(final)) throw alreadyThere(final);
      await rename(tmp, final);
    },
    async uncommit() {
      await rm(final, { recursive: true, force: true });
    },
    async cleanup() {
      await rm(tmp, { recursive: true, force: true });
    },
  };
}
