// Bundle benchmark: write + verify of an evidence bundle for a large snapshot, each phase in a
// process of its own so that wall time and peak RSS belong to that phase alone.
//
//   node bench/bundle.mjs                      the 100k-entity bench snapshot (bench/generate.mjs)
//   node bench/bundle.mjs --snapshot FILE [--results FILE]   a given snapshot (and its results)
//   runBundleBench({ snapshotFile, workDir })  from bench/run.mjs (table rows)
//
// Imports the compiled code in dist/ (npm run build).
import { execFileSync } from 'node:child_process';
import { createHash, generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const dist = (p) => join(root, 'dist', p);
const TARGET_MS = 5000;
const TARGET_MIB = 1536;

/**
 * Raw payloads for every entity of a snapshot (the bench generator leaves them out), the shape
 * collectors record, redacted as collection redacts them.
 */
export async function withRawPayloads(snapshot) {
  const { redact } = await import(dist('snapshot/redact.js'));
  const raw = {};
  const redactions = [];
  for (const list of Object.values(snapshot.entities)) {
    for (const e of list) {
      const ref = `${e.source}#${e.id}`;
      e.rawRef = ref;
      raw[ref] = {
        source: e.source,
        api: `bench:Describe${e.kind}`,
        capturedAt: snapshot.collectedAt,
        payload: {
          resourceId: e.id,
          resourceName: e.name ?? e.id,
          arn: `arn:aws:bench:${e.region ?? 'eu-central-1'}:${e.accountId ?? '000000000000'}:${e.kind}/${e.name ?? e.id}`,
          configuration: { ...e, id: undefined, kind: undefined, source: undefined, rawRef: undefined },
          configurationItemStatus: 'OK',
          tags: [{ key: 'owner', value: 'plant-2' }],
        },
      };
      const red = redact(raw[ref].payload, `/raw/${ref.replace(/~/g, '~0').replace(/\//g, '~1')}/payload`);
      raw[ref].payload = red.value;
      redactions.push(...red.paths);
    }
  }
  snapshot.raw = raw;
  snapshot.redactions = redactions.sort();
  return snapshot;
}

function mib(bytes) {
  return bytes / 1024 / 1024;
}

/** One phase in a child process; returns its JSON line. */
function phase(args) {
  const out = execFileSync(process.execPath, ['--expose-gc', fileURLToPath(import.meta.url), ...args], {
    encoding: 'utf8',
    maxBuffer: 1 << 26,
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  return JSON.parse(out.trim().split('\n').pop());
}

/** Controls for the bench: the repository's maps, or one map of every check if those do not load yet. */
async function benchControlsDir(work) {
  const { loadControls, DEFAULT_CONTROLS_DIR } = await import(dist('controls/load.js'));
  const { loadCompiledPolicy } = await import(dist('evaluate/index.js'));
  const policy = await loadCompiledPolicy();
  try {
    await loadControls({ dir: DEFAULT_CONTROLS_DIR, checkIds: Object.keys(policy.checks) });
    return DEFAULT_CONTROLS_DIR;
  } catch {
    const dir = join(work, 'controls');
    await mkdir(dir, { recursive: true });
    const ids = Object.keys(policy.checks).sort();
    await writeFile(
      join(dir, 'bench.yaml'),
      `framework: { id: bench, title: Bench, version: "1", source: bench }\nrequirements:\n${ids
        .map((id, i) => `  - { id: "B ${i + 1}", title: "${id}", group: B, checks: [${id}] }`)
        .join('\n')}\n`,
    );
    await writeFile(
      join(dir, 'evidence.yaml'),
      'evidence:\n  - { id: review, title: Review, cadence: annual, expects: A review. }\n',
    );
    return dir;
  }
}

async function childCheck(snapshotFile, resultsFile, controlsDir) {
  const { readSnapshot } = await import(dist('snapshot/io.js'));
  const { checkSnapshot, sha256Hex } = await import(dist('check.js'));
  const { snapshot, bytes } = await readSnapshot(snapshotFile);
  const results = await checkSnapshot({ snapshot, snapshotDigest: sha256Hex(bytes), controlsDir });
  writeFileSync(resultsFile, JSON.stringify(results));
  return { ok: true };
}

async function childWrite(snapshotFile, resultsFile, controlsDir, outDir) {
  const { readSnapshot } = await import(dist('snapshot/io.js'));
  const { writeBundle, signingKeyFromPem } = await import(dist('evidence/index.js'));
  const key = signingKeyFromPem(
    String(generateKeyPairSync('ed25519').privateKey.export({ type: 'pkcs8', format: 'pem' })),
  );
  const r0 = performance.now();
  const { snapshot, bytes } = await readSnapshot(snapshotFile);
  const readMs = performance.now() - r0;
  const results = JSON.parse(readFileSync(resultsFile, 'utf8'));
  if (results.snapshot.digest !== createHash('sha256').update(bytes).digest('hex'))
    throw new Error(`${resultsFile} was not computed for ${snapshotFile}`);
  const t0 = performance.now();
  const written = await writeBundle({
    snapshot,
    snapshotBytes: bytes,
    results,
    controlsDir,
    outDir,
    format: 'zip',
    signingKey: key,
    previous: 'none',
  });
  const wallMs = performance.now() - t0;
  return {
    readMs,
    wallMs,
    peakRssMiB: process.resourceUsage().maxRSS / 1024,
    zipFile: written.zipFile,
    zipMiB: mib(statSync(written.zipFile).size),
    files: written.manifest.files.length,
  };
}

async function childVerify(zipFile) {
  const { verifyBundle } = await import(dist('evidence/index.js'));
  const t0 = performance.now();
  const report = await verifyBundle(zipFile);
  const wallMs = performance.now() - t0;
  return { wallMs, peakRssMiB: process.resourceUsage().maxRSS / 1024, ok: report.ok };
}

/** Results of a snapshot whose entities and sources equal another's: the same, but for the snapshot digest. */
function resultsFor(snapshotFile, baseResultsFile, resultsFile) {
  const results = JSON.parse(readFileSync(baseResultsFile, 'utf8'));
  results.snapshot.digest = createHash('sha256').update(readFileSync(snapshotFile)).digest('hex');
  writeFileSync(resultsFile, JSON.stringify(results));
}

function benchOne(label, snapshotFile, work, controlsDir, resultsFile) {
  const outDir = join(work, `${label.replace(/\W+/g, '-')}-bundles`);
  const w = phase(['--phase', 'write', snapshotFile, resultsFile, controlsDir, outDir]);
  const v = phase(['--phase', 'verify', w.zipFile]);
  const snap = JSON.parse(readFileSync(snapshotFile, 'utf8'));
  const entities = Object.values(snap.entities).reduce((n, l) => n + l.length, 0);
  const totalMs = w.wallMs + v.wallMs;
  const peak = Math.max(w.peakRssMiB, v.peakRssMiB);
  return [
    label,
    entities,
    mib(statSync(snapshotFile).size).toFixed(0),
    w.files,
    w.zipMiB.toFixed(1),
    w.readMs.toFixed(0),
    w.wallMs.toFixed(0),
    w.peakRssMiB.toFixed(0),
    v.wallMs.toFixed(0),
    v.peakRssMiB.toFixed(0),
    totalMs.toFixed(0),
    peak.toFixed(0),
    v.ok && totalMs <= TARGET_MS && peak <= TARGET_MIB ? 'yes' : 'NO',
  ];
}

/** For bench/run.mjs: the given snapshot, and the same snapshot with a raw payload per entity. */
export async function runBundleBench({ snapshotFile, workDir, resultsFile } = {}) {
  const work = workDir
    ? mkdtempSync(join(workDir, 'bundle-'))
    : mkdtempSync(join(tmpdir(), 'pp-bundle-bench-'));
  const controlsDir = await benchControlsDir(work);
  let given = snapshotFile;
  if (!given) {
    const { writeSnapshot } = await import('./generate.mjs');
    given = join(work, 'snapshot-100000.json');
    writeSnapshot(100_000, given);
  }
  // Checking is not what this bench measures (bench/run.mjs does): it runs once, untimed, and the
  // variant with raw payloads (same entities, same sources) reuses its results.
  let checked = resultsFile;
  if (!checked) {
    checked = join(work, 'given-results.json');
    phase(['--phase', 'check', given, checked, controlsDir]);
  }
  const rows = [benchOne('bench snapshot', given, work, controlsDir, checked)];
  const rawFile = join(work, 'snapshot-with-raw.json');
  const withRaw = await withRawPayloads(JSON.parse(readFileSync(given, 'utf8')));
  writeFileSync(rawFile, `${JSON.stringify(withRaw, null, 2)}\n`);
  const rawResults = join(work, 'raw-results.json');
  resultsFor(rawFile, checked, rawResults);
  rows.push(benchOne('+ raw payload per entity', rawFile, work, controlsDir, rawResults));
  return {
    title: `bundle: write + verify of a signed zip, each in its own process (target: write + verify <= ${TARGET_MS} ms, peak RSS <= ${TARGET_MIB} MiB; read = parse and validate the snapshot, shared with check)`,
    header: [
      'snapshot',
      'entities',
      'snapshot MiB',
      'files',
      'zip MiB',
      'read ms',
      'write ms',
      'write MiB',
      'verify ms',
      'verify MiB',
      'write+verify ms',
      'peak MiB',
      'on target',
    ],
    rows,
  };
}

const isMain = process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1];
if (isMain) {
  const args = process.argv.slice(2);
  if (args[0] === '--phase') {
    const [, which, ...rest] = args;
    const run = { check: childCheck, write: childWrite, verify: childVerify }[which];
    const out = await run(...rest);
    process.stdout.write(`${JSON.stringify(out)}\n`);
  } else {
    const opt = (name) => (args.includes(name) ? args[args.indexOf(name) + 1] : undefined);
    const result = await runBundleBench({ snapshotFile: opt('--snapshot'), resultsFile: opt('--results') });
    const widths = result.header.map((h, k) =>
      Math.max(h.length, ...result.rows.map((r) => String(r[k]).length)),
    );
    const line = (cells) => cells.map((c, k) => String(c).padStart(widths[k])).join('  ');
    console.log(`${result.title}\n${line(result.header)}\n${widths.map((w) => '-'.repeat(w)).join('  ')}`);
    for (const r of result.rows) console.log(line(r));
  }
}
