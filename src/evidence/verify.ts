import { createHash, type KeyObject } from 'node:crypto';
import { dirname, join } from 'node:path';
import { exitCodeFor, type Results } from '../check.js';
import { CHAIN_FILE, type ChainFile, checkLink, readChainFile } from './chain.js';
import {
  BUNDLE_NAME,
  MANIFEST_FILE,
  Manifest,
  SIGNATURE_FILE,
  SignatureFile,
  serializeSignature,
} from './manifest.js';
import { type OpenedBundle, openBundle, readManifestBytes } from './reader.js';
import { reproduceResults } from './reproduce.js';
import { parsePublicKey, verifyBytes } from './signing.js';
import { crc32, firstDifferenceFromCanonical, type ZipEntry } from './zip.js';

export type VerifyStatus = 'pass' | 'fail' | 'warn' | 'skip';

export interface VerifyStep {
  name: string;
  status: VerifyStatus;
  summary: string;
  problems: string[];
}

export interface VerifyReport {
  bundle: string;
  name: string | null;
  ok: boolean;
  steps: VerifyStep[];
}

export interface VerifyOptions {
  /** a trusted public key: the signature must verify with it */
  publicKey?: { key: KeyObject; keyId: string };
  /** the bundle this one should link to */
  previous?: string;
  /** chain.json with the manifests of removed bundles; by default the one beside either bundle */
  chainFile?: string;
  reproduce?: boolean;
}

const sha256 = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');
const MAX_LISTED = 50;

function limit(problems: string[]): string[] {
  return problems.length > MAX_LISTED
    ? [...problems.slice(0, MAX_LISTED), `... and ${problems.length - MAX_LISTED} more`]
    : problems;
}

/** A file of the bundle, or null when it cannot be read (a damaged zip entry). */
async function tryRead(bundle: OpenedBundle, path: string): Promise<Buffer | null> {
  try {
    return await bundle.read(path);
  } catch {
    return null;
  }
}

function jsonOf(bytes: Uint8Array): unknown {
  try {
    return JSON.parse(Buffer.from(bytes).toString('utf8'));
  } catch {
    return undefined;
  }
}

/**
 * Verify a bundle (zip or directory): the container, the manifest, every file's sha256 and size,
 * no missing and no extra file, the signature, the link to a previous bundle, the agreement of
 * results.json with what it names, and on request a re-evaluation. Never throws for a damaged
 * bundle: every finding is a failed step with the exact problem.
 */
export async function verifyBundle(path: string, opts: VerifyOptions = {}): Promise<VerifyReport> {
  const steps: VerifyStep[] = [];
  const add = (name: string, status: VerifyStatus, summary: string, problems: string[] = []) => {
    steps.push({ name, status, summary, problems: limit(problems) });
  };
  const finish = (name: string | null): VerifyReport => ({
    bundle: path,
    name,
    ok: steps.every((s) => s.status !== 'fail'),
    steps,
  });

  const bundle = await openBundle(path);
  const containerProblems = [...bundle.problems];
  if (bundle.root && !BUNDLE_NAME.test(bundle.root))
    containerProblems.push(`the folder is named ${bundle.root}, not plantproof-evidence-<UTC time>`);
  add(
    'container',
    containerProblems.length ? 'fail' : 'pass',
    `${bundle.kind === 'zip' ? 'zip' : 'directory'} with ${bundle.paths.length} files in ${bundle.root ?? '(no single folder)'}`,
    containerProblems,
  );

  // manifest.json
  if (!bundle.paths.includes(MANIFEST_FILE)) {
    add('manifest', 'fail', `${MANIFEST_FILE} is missing: nothing else can be checked`);
    return finish(bundle.root);
  }
  const manifestBytes = await tryRead(bundle, MANIFEST_FILE);
  if (!manifestBytes) {
    add('manifest', 'fail', `${MANIFEST_FILE} cannot be read from the archive: nothing else can be checked`);
    return finish(bundle.root);
  }
  const manifestSha = sha256(manifestBytes);
  const parsed = Manifest.safeParse(jsonOf(manifestBytes));
  if (!parsed.success) {
    add(
      'manifest',
      'fail',
      `${MANIFEST_FILE} is not a valid plantproof manifest`,
      parsed.error.issues.slice(0, 10).map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`),
    );
    return finish(bundle.root);
  }
  const manifest = parsed.data;
  const manifestProblems: string[] = [];
  if (bundle.root !== manifest.name)
    manifestProblems.push(`the manifest is for ${manifest.name} but the folder is ${bundle.root}`);
  const listedPaths = manifest.files.map((f) => f.path);
  if (new Set(listedPaths).size !== listedPaths.length) manifestProblems.push('a file is listed twice');
  if (listedPaths.includes(MANIFEST_FILE) || listedPaths.includes(SIGNATURE_FILE))
    manifestProblems.push('the manifest lists itself or its signature');
  add(
    'manifest',
    manifestProblems.length ? 'fail' : 'pass',
    `${manifest.name}, plantproof ${manifest.tool.version}, collected ${manifest.timestamps.collectedAt}, ${manifest.files.length} files listed (sha256 ${manifestSha})`,
    manifestProblems,
  );

  // signature
  steps.push(await checkSignature(bundle, manifest, manifestBytes, manifestSha, opts.publicKey));

  // files
  const fileProblems: string[] = [];
  let good = 0;
  const present = new Set(bundle.paths);
  for (const f of manifest.files) {
    if (!present.has(f.path)) continue;
    let data: Buffer;
    try {
      data = await bundle.read(f.path);
    } catch (err) {
      fileProblems.push(`${f.path}: cannot be read (${(err as Error).message.split('\n')[0]})`);
      continue;
    }
    const problems: string[] = [];
    if (data.length !== f.size) problems.push(`size is ${data.length}, the manifest says ${f.size}`);
    else {
      const digest = sha256(data);
      if (digest !== f.sha256) problems.push(`sha256 is ${digest}, the manifest says ${f.sha256}`);
    }
    const entry = bundle.entries?.get(f.path);
    if (entry && problems.length === 0) {
      if (entry.method !== f.zip.method)
        problems.push(`stored as ${entry.method}, the manifest says ${f.zip.method}`);
      else if (entry.stored.length !== f.zip.size || sha256(entry.stored) !== f.zip.sha256)
        problems.push('its compressed bytes in the zip are not the ones the manifest pins');
      if (entry.size !== data.length || entry.crc32 !== crc32(data))
        problems.push('the zip header size or CRC is wrong');
    }
    if (problems.length) fileProblems.push(...problems.map((p) => `${f.path}: ${p}`));
    else good += 1;
  }
  add(
    'files',
    fileProblems.length ? 'fail' : 'pass',
    `${good} of ${manifest.files.length} listed files match their sha256 and size`,
    fileProblems,
  );

  // completeness
  const listed = new Set(listedPaths);
  const missing = listedPaths.filter((p) => !present.has(p));
  const extra = bundle.paths.filter((p) => !listed.has(p) && p !== MANIFEST_FILE && p !== SIGNATURE_FILE);
  add(
    'completeness',
    missing.length || extra.length ? 'fail' : 'pass',
    missing.length || extra.length
      ? `${missing.length} missing, ${extra.length} not listed in the manifest`
      : 'no file missing, no file added',
    [...missing.map((p) => `missing: ${p}`), ...extra.map((p) => `not in the manifest: ${p}`)],
  );

  // the zip's own bytes
  if (bundle.kind === 'zip' && bundle.bytes && bundle.entries) {
    if (containerProblems.length || missing.length || extra.length || fileProblems.length) {
      add('archive', 'skip', 'layout not compared: the files above are already wrong');
    } else {
      const ordered: ZipEntry[] = [...bundle.entries.entries()]
        .sort(([a], [b]) => (`${manifest.name}/${a}` < `${manifest.name}/${b}` ? -1 : 1))
        .map(([, e]) => e);
      let at: number;
      try {
        at = firstDifferenceFromCanonical(bundle.bytes, ordered, manifest.zip.mtime);
      } catch (err) {
        at = 0;
        containerProblems.push((err as Error).message);
      }
      add(
        'archive',
        at === -1 ? 'pass' : 'fail',
        at === -1
          ? 'every byte of the zip is accounted for (canonical layout, pinned compressed data)'
          : 'the zip differs from the canonical layout',
        at === -1
          ? []
          : [`first unexpected byte at offset ${at} (headers, timestamps or ordering were changed)`],
      );
    }
  }

  // results.json against what it names
  steps.push(await checkConsistency(bundle, manifest, present));

  // previous
  if (opts.previous) steps.push(await checkPrevious(path, manifest, opts));
  else if (manifest.previous)
    add(
      'previous',
      'skip',
      `links to ${manifest.previous.name} (manifest sha256 ${manifest.previous.manifestSha256}); pass --previous to check the link`,
    );
  else add('previous', 'skip', 'first bundle of its chain (no previous link)');

  if (opts.reproduce) {
    const failedBefore = steps.some((s) => s.status === 'fail');
    if (failedBefore) add('reproduce', 'skip', 'not attempted: the bundle failed the checks above');
    else {
      const r = await reproduceResults(bundle, manifest);
      add('reproduce', r.ok ? 'pass' : 'fail', r.summary, r.problems);
    }
  }
  return finish(manifest.name);
}

async function checkSignature(
  bundle: OpenedBundle,
  manifest: Manifest,
  manifestBytes: Buffer,
  manifestSha: string,
  trusted: VerifyOptions['publicKey'],
): Promise<VerifyStep> {
  const step = (status: VerifyStatus, summary: string, problems: string[] = []): VerifyStep => ({
    name: 'signature',
    status,
    summary,
    problems,
  });
  if (!bundle.paths.includes(SIGNATURE_FILE)) return step('fail', `${SIGNATURE_FILE} is missing`);
  const sigBytes = await tryRead(bundle, SIGNATURE_FILE);
  if (!sigBytes) return step('fail', `${SIGNATURE_FILE} cannot be read from the archive`);
  const sig = SignatureFile.safeParse(jsonOf(sigBytes));
  if (!sig.success) return step('fail', `${SIGNATURE_FILE} is not a valid signature file`);
  const problems: string[] = [];
  if (!sigBytes.equals(Buffer.from(serializeSignature(sig.data), 'utf8')))
    problems.push(`${SIGNATURE_FILE} is not in its canonical form (it was edited)`);
  if (sig.data.manifestSha256 !== manifestSha)
    problems.push(
      `${SIGNATURE_FILE} is for a manifest with sha256 ${sig.data.manifestSha256}; this one is ${manifestSha}`,
    );
  if (sig.data.algorithm === 'none') {
    if (manifest.signing) problems.push('the manifest names a signing key but there is no signature');
    if (sig.data.keyId !== null || sig.data.signature !== null)
      problems.push(`${SIGNATURE_FILE} says unsigned but carries a key or signature`);
    if (trusted)
      problems.push(`a trusted key was given (sha256:${trusted.keyId}) but the bundle is UNSIGNED`);
    if (problems.length) return step('fail', 'signature check failed', problems);
    return step(
      'warn',
      'UNSIGNED bundle: the checksums detect damage, not deliberate change; nobody vouches for it',
    );
  }
  if (!manifest.signing || sig.data.keyId !== manifest.signing.keyId)
    problems.push(
      `${SIGNATURE_FILE} names key ${sig.data.keyId}, the manifest ${manifest.signing?.keyId ?? 'none'}`,
    );
  let key: KeyObject | null = null;
  let keyDesc = '';
  if (trusted) {
    if (trusted.keyId !== sig.data.keyId)
      problems.push(
        `signed with key sha256:${sig.data.keyId}, not with the trusted key sha256:${trusted.keyId}`,
      );
    key = trusted.key;
    keyDesc = `the trusted key sha256:${trusted.keyId}`;
  } else if (manifest.signing && bundle.paths.includes(manifest.signing.publicKey)) {
    try {
      const pub = parsePublicKey(
        (await bundle.read(manifest.signing.publicKey)).toString('utf8'),
        manifest.signing.publicKey,
      );
      if (pub.keyId !== sig.data.keyId)
        problems.push(`${manifest.signing.publicKey} is not the key the signature names`);
      key = pub.key;
      keyDesc = `the key inside the bundle (sha256:${pub.keyId})`;
    } catch (err) {
      problems.push(`${manifest.signing.publicKey}: ${(err as Error).message}`);
    }
  } else problems.push('no public key to check the signature with (pass --public-key)');
  if (key && sig.data.signature && !verifyBytes(key, manifestBytes, sig.data.signature))
    problems.push(`the Ed25519 signature over ${MANIFEST_FILE} does not verify with ${keyDesc}`);
  if (problems.length) return step('fail', 'signature check failed', problems);
  if (trusted) return step('pass', `Ed25519 signature valid for ${keyDesc} (given with --public-key)`);
  return step(
    'warn',
    `Ed25519 signature valid for ${keyDesc} — NOT checked against a trusted key: anyone can sign with their own key; pass --public-key`,
  );
}

async function checkConsistency(
  bundle: OpenedBundle,
  manifest: Manifest,
  present: Set<string>,
): Promise<VerifyStep> {
  const problems: string[] = [];
  const step = (): VerifyStep => ({
    name: 'consistency',
    status: problems.length ? 'fail' : 'pass',
    summary: problems.length
      ? 'results.json and the manifest disagree with the bundled files'
      : 'results.json names the bundled snapshot, policy, control maps and configuration',
    problems,
  });
  const digestOf = (path: string) => manifest.files.find((f) => f.path === path)?.sha256;
  if (!present.has(manifest.results.path)) {
    problems.push(`${manifest.results.path} is missing`);
    return step();
  }
  const resultsBytes = await tryRead(bundle, manifest.results.path);
  const results = (resultsBytes ? jsonOf(resultsBytes) : undefined) as Results | undefined;
  if (!results || typeof results !== 'object' || !Array.isArray(results.frameworks)) {
    problems.push(`${manifest.results.path} is not a results document`);
    return step();
  }
  const expect = (what: string, actual: unknown, expected: unknown) => {
    if (actual !== expected) problems.push(`${what}: ${String(actual)} ≠ ${String(expected)}`);
  };
  expect('results.json digest in the manifest', digestOf(manifest.results.path), manifest.results.sha256);
  expect(
    'snapshot digest in results.json vs snapshot.json',
    results.snapshot?.digest,
    digestOf(manifest.snapshot.path),
  );
  expect('snapshot digest in the manifest', manifest.snapshot.sha256, digestOf(manifest.snapshot.path));
  expect(
    'policy wasm digest in results.json',
    results.policy?.wasmDigest,
    digestOf(manifest.policy.wasm.path),
  );
  expect(
    'check catalog digest in results.json',
    results.policy?.checksDigest,
    digestOf(manifest.policy.checks.path),
  );
  expect('evaluation time', results.evaluatedAt, manifest.timestamps.evaluatedAt);
  expect('collection time', results.snapshot?.collectedAt, manifest.timestamps.collectedAt);
  expect('exit code recorded in the manifest', manifest.outcome.exitCode, exitCodeFor(results));
  for (const c of results.controls ?? []) {
    const m = manifest.controls.frameworks.find((f) => f.framework === c.framework);
    if (!m) problems.push(`control map of ${c.framework} is not in the manifest`);
    else {
      expect(`control map digest of ${c.framework}`, c.digest, m.sha256);
      expect(`bundled control map of ${c.framework}`, digestOf(m.path), c.digest);
    }
  }
  expect(
    'config digest in results.json',
    results.config?.digest ?? null,
    manifest.config?.sourceSha256 ?? null,
  );
  if (manifest.config && !manifest.config.redacted)
    expect(
      'bundled config (unredacted) vs its source digest',
      digestOf(manifest.config.path),
      manifest.config.sourceSha256,
    );
  for (const a of manifest.manualEvidence?.attestations ?? []) {
    if (!a.redacted)
      expect(`bundled attestation ${a.path} vs its source digest`, digestOf(a.path), a.sourceSha256);
    for (const att of a.attachments)
      if (att.path) expect(`attachment ${att.ref}`, digestOf(att.path), att.sha256);
  }
  if (manifest.waivers && !manifest.waivers.redacted)
    expect(
      'bundled waivers vs their source digest',
      digestOf(manifest.waivers.path),
      manifest.waivers.sourceSha256,
    );
  if (manifest.signing && !manifest.files.some((f) => f.path === manifest.signing!.publicKey))
    problems.push(`${manifest.signing.publicKey} is not listed in the manifest`);
  return step();
}

async function checkPrevious(path: string, manifest: Manifest, opts: VerifyOptions): Promise<VerifyStep> {
  const step = (status: VerifyStatus, summary: string, problems: string[] = []): VerifyStep => ({
    name: 'previous',
    status,
    summary,
    problems,
  });
  let prev: Awaited<ReturnType<typeof readManifestBytes>>;
  try {
    prev = await readManifestBytes(opts.previous!);
  } catch (err) {
    return step('fail', `cannot read the previous bundle ${opts.previous}`, [(err as Error).message]);
  }
  const prevManifest = Manifest.safeParse(jsonOf(prev.manifest));
  if (!prevManifest.success) return step('fail', `the previous bundle's manifest is not valid`);
  let chain: ChainFile | null = null;
  try {
    const candidates = opts.chainFile
      ? [opts.chainFile]
      : [join(dirname(path), CHAIN_FILE), join(dirname(opts.previous!), CHAIN_FILE)];
    for (const c of candidates) {
      chain = await readChainFile(c);
      if (chain) break;
    }
  } catch (err) {
    return step('fail', 'cannot read the chain file', [(err as Error).message]);
  }
  const link = checkLink(
    manifest.previous,
    { name: prevManifest.data.name, manifestBytes: prev.manifest },
    chain,
    opts.publicKey?.key,
  );
  if (!link.ok) return step('fail', `does not link to ${prevManifest.data.name}`, [...link.problems]);
  return step('pass', `links to ${prevManifest.data.name} via ${link.steps.join(' → ')}`);
}

export function formatVerifyReport(report: VerifyReport): string {
  const label: Record<VerifyStatus, string> = { pass: 'ok  ', fail: 'FAIL', warn: 'WARN', skip: '--  ' };
  const lines = [`verify ${report.bundle}`];
  for (const s of report.steps) {
    lines.push(`  ${label[s.status]}  ${s.name}: ${s.summary}`);
    for (const p of s.problems) lines.push(`          - ${p}`);
  }
  const failed = report.steps.filter((s) => s.status === 'fail');
  lines.push(
    report.ok
      ? `verified: ${report.name} passed every check${report.steps.some((s) => s.status === 'warn') ? ' (see the warnings above)' : ''}`
      : `NOT VERIFIED: ${failed.length} check${failed.length === 1 ? '' : 's'} failed (${failed.map((s) => s.name).join(', ')})`,
  );
  return `${lines.join('\n')}\n`;
}
