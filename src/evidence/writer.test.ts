import { execFile, spawn } from 'node:child_process';
import { createHash, generateKeyPairSync } from 'node:crypto';
import { mkdtemp, readdir, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { beforeAll, describe, expect, it } from 'vitest';
import { ConfigError } from '../errors.js';
import {
  bundleOptions,
  makePlant,
  type Plant,
  POLICY_DIR,
  WRITE_BUNDLE_SCRIPT,
} from './__fixtures__/plant.js';
import { listBundles } from './chain.js';
import { Manifest } from './manifest.js';
import { openBundle } from './reader.js';
import { signingKeyFromPem } from './signing.js';
import { verifyBundle } from './verify.js';
import { type WriteBundleOptions, writeBundle } from './writer.js';

const run = promisify(execFile);
const keyPem = String(generateKeyPairSync('ed25519').privateKey.export({ type: 'pkcs8', format: 'pem' }));
const sha = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');
const tmp = (p: string) => mkdtemp(join(tmpdir(), p));

let plant: Plant;
beforeAll(async () => {
  plant = await makePlant();
});

const options = (outDir: string, extra: Partial<WriteBundleOptions> = {}): WriteBundleOptions =>
  bundleOptions(plant, outDir, { signingKey: signingKeyFromPem(keyPem), ...extra });

async function childWrite(args: Record<string, unknown>, env: Record<string, string> = {}) {
  const { stdout } = await run(
    process.execPath,
    ['--import', 'tsx', WRITE_BUNDLE_SCRIPT, JSON.stringify(args)],
    {
      env: { ...process.env, ...env },
    },
  );
  return JSON.parse(stdout.trim().split('\n').pop()!) as { zipFile: string | null; dir: string | null };
}

describe('writeBundle', () => {
  it('writes the documented layout, zip and directory alike, and both verify', async () => {
    const out = await tmp('pp-out-');
    const written = await writeBundle(
      options(out, { format: 'both', reports: { 'gap-report.md': '# Gaps\n' } }),
    );
    expect(written.name).toBe('plantproof-evidence-20261122T081500Z');
    expect((await readdir(out)).sort()).toEqual([written.name, `${written.name}.zip`]);
    const zip = await openBundle(written.zipFile!);
    const dir = await openBundle(written.dir!);
    expect(zip.paths.sort()).toEqual(dir.paths.sort());
    expect(zip.paths.sort()).toEqual(
      [
        'README.txt',
        'config/plantproof.yaml',
        'config/waivers.yaml',
        'controls/evidence.yaml',
        'controls/iec.yaml',
        'controls/test.yaml',
        'evidence/manual/access-review.yaml',
        'evidence/manual/attachments/review.csv',
        'manifest.json',
        'manifest.sig',
        'policy/checks.json',
        'policy/plantproof.wasm',
        'reports/gap-report.md',
        'requirements/iecfw/SR_1.1_RE_1.json',
        'requirements/iecfw/SR_3.1_2.json',
        'requirements/testfw/T-1.json',
        'requirements/testfw/T-2.json',
        'requirements/testfw/T-3.json',
        'requirements/testfw/T-4.json',
        'results.json',
        'signing-key.pub.pem',
        'snapshot.json',
      ].sort(),
    );
    for (const p of zip.paths) expect((await zip.read(p)).equals(await dir.read(p))).toBe(true);
    // the exact snapshot bytes, the exact policy and control maps
    expect((await zip.read('snapshot.json')).equals(plant.snapshotBytes)).toBe(true);
    expect(
      (await zip.read('controls/test.yaml')).equals(await readFile(join(plant.controlsDir, 'test.yaml'))),
    ).toBe(true);
    expect(sha(await zip.read('policy/plantproof.wasm'))).toBe(plant.results.policy.wasmDigest);

    const manifest = Manifest.parse(JSON.parse((await zip.read('manifest.json')).toString('utf8')));
    expect(manifest.files.map((f) => f.path)).not.toContain('manifest.json');
    expect(manifest.files.map((f) => f.path)).not.toContain('manifest.sig');
    expect(manifest.files).toHaveLength(zip.paths.length - 2);
    expect(manifest.reports).toEqual(['reports/gap-report.md']);
    expect(manifest.config).toEqual({
      path: 'config/plantproof.yaml',
      sourceSha256: plant.config.digest,
      redacted: false,
    });
    expect(manifest.policy.wasm.sha256).toBe(plant.results.policy.wasmDigest);
    expect(manifest.controls.sourceDirName).toBe('controls');
    expect(manifest.signing?.keyId).toBe(signingKeyFromPem(keyPem).keyId);
    expect(manifest.timestamps).toEqual({
      collectedAt: plant.snapshot.collectedAt,
      evaluatedAt: plant.results.evaluatedAt,
    });
    expect(manifest.outcome.exitCode).toBe(1);

    for (const b of [written.zipFile!, written.dir!]) {
      const report = await verifyBundle(b, { reproduce: true });
      expect(report.steps.filter((s) => s.status === 'fail')).toEqual([]);
      expect(report.ok).toBe(true);
    }
  });

  it('writes one file per requirement with status, reason, checks, findings, entities, raw excerpts and provenance', async () => {
    const out = await tmp('pp-out-');
    const written = await writeBundle(options(out, { format: 'dir', excerptLimit: 2 }));
    const doc = JSON.parse(await readFile(join(written.dir!, 'requirements/iecfw/SR_3.1_2.json'), 'utf8'));
    expect(doc.requirement.id).toBe('SR 3.1/2');
    expect(doc.framework.id).toBe('iecfw');
    expect(doc.status).toBe('waived');
    expect(doc.reason).toMatch(/W-1/);
    const check = doc.checks[0];
    expect(check.id).toBe('storage.encrypted_at_rest');
    expect(check.findingCounts).toEqual({ total: 3, fail: 1, pass: 2, shown: 2, omitted: 1 });
    expect(check.omittedNote).toMatch(/results.json/);
    const failing = check.findings[0];
    expect(failing).toMatchObject({
      resource: 'aws:s3:acme-bucket-1',
      status: 'fail',
      waiver: { id: 'W-1' },
    });
    expect(failing.entity).toMatchObject({
      id: 'aws:s3:acme-bucket-1',
      kind: 'storage',
      encryptedAtRest: false,
    });
    expect(failing.provenance).toEqual({
      source: 'aws-config:123456789012',
      collector: 'aws-config',
      target: '123456789012',
      api: 'config:SelectResourceConfig',
      capturedAt: plant.snapshot.collectedAt,
    });
    expect(failing.raw).toMatchObject({
      ref: 'aws-config:123456789012#2',
      pointer: '/raw/aws-config:123456789012#2/payload',
      complete: true,
      payload: { resourceId: 'acme-bucket-1' },
    });
    expect(doc.evidence[0]).toMatchObject({ id: 'access-review', status: 'fresh', attestedBy: 'Anna Novak' });
    const manual = JSON.parse(await readFile(join(written.dir!, 'requirements/testfw/T-3.json'), 'utf8'));
    expect(manual.checks).toEqual([]);
    expect(manual.status).toBe('satisfied');
  });

  it('puts the reports it is given under reports/ and lists them in the manifest', async () => {
    const out = await tmp('pp-out-');
    const pdfLike = new Uint8Array([0x25, 0x50, 0x44, 0x46, 0, 1, 2, 3]);
    const written = await writeBundle(
      options(out, { reports: { 'summary.html': '<h1>dummy</h1>\n', 'sub/report.pdf': pdfLike } }),
    );
    expect(written.manifest.reports).toEqual(['reports/sub/report.pdf', 'reports/summary.html']);
    const b = await openBundle(written.zipFile!);
    expect((await b.read('reports/summary.html')).toString()).toBe('<h1>dummy</h1>\n');
    expect(new Uint8Array(await b.read('reports/sub/report.pdf'))).toEqual(pdfLike);
    expect(written.manifest.files.find((f) => f.path === 'reports/sub/report.pdf')?.size).toBe(8);
    await expect(
      writeBundle(options(await tmp('pp-out-'), { reports: { '../escape.txt': 'x' } })),
    ).rejects.toThrow(/not a plain relative path/);
  });

  it('is deterministic: same snapshot, config and key give a byte-identical zip, in any time zone', async () => {
    const outs = await Promise.all([tmp('pp-det-'), tmp('pp-det-'), tmp('pp-det-')]);
    const inProcess = await writeBundle(options(outs[0]!));
    const [utc, kolkata] = await Promise.all([
      childWrite({ plantDir: plant.dir, outDir: outs[1], keyPem }, { TZ: 'UTC' }),
      childWrite({ plantDir: plant.dir, outDir: outs[2], keyPem }, { TZ: 'Asia/Kolkata' }),
    ]);
    const bytes = await Promise.all(
      [inProcess.zipFile!, utc.zipFile!, kolkata.zipFile!].map((f) => readFile(f)),
    );
    expect(sha(bytes[1]!)).toBe(sha(bytes[0]!));
    expect(sha(bytes[2]!)).toBe(sha(bytes[0]!));
    // the zip entries carry the collection time as a UTC DOS timestamp: 2026-11-22 08:15:00
    const dosTime = bytes[0]!.readUInt16LE(10);
    const dosDate = bytes[0]!.readUInt16LE(12);
    expect([dosTime >> 11, (dosTime >> 5) & 63, (dosTime & 31) * 2]).toEqual([8, 15, 0]);
    expect([(dosDate >> 9) + 1980, (dosDate >> 5) & 15, dosDate & 31]).toEqual([2026, 11, 22]);
  });

  it('never overwrites an existing bundle', async () => {
    const out = await tmp('pp-out-');
    const first = await writeBundle(options(out, { format: 'both' }));
    const before = await readFile(first.zipFile!);
    await expect(writeBundle(options(out))).rejects.toBeInstanceOf(ConfigError);
    await expect(writeBundle(options(out, { format: 'dir' }))).rejects.toThrow(/never overwritten/);
    // a file that merely has the name is not replaced either
    const other = await tmp('pp-out-');
    await writeFile(join(other, `${first.name}.zip`), 'not mine');
    await expect(writeBundle(options(other))).rejects.toThrow(/already exists/);
    expect(await readFile(join(other, `${first.name}.zip`), 'utf8')).toBe('not mine');
    expect((await readFile(first.zipFile!)).equals(before)).toBe(true);
    expect((await readdir(out)).filter((n) => n.startsWith('.'))).toEqual([]);
  });

  it('is atomic: a write that fails at any step leaves no bundle and no temporary files', async () => {
    for (const stage of ['inputs-ready', 'manifest-ready', 'zip-written', 'dir-written']) {
      const out = await tmp('pp-atomic-');
      await expect(
        writeBundle(
          options(out, {
            format: 'both',
            onStage: (s) => {
              if (s === stage) throw new Error(`stopped at ${s}`);
            },
          }),
        ),
      ).rejects.toThrow(`stopped at ${stage}`);
      const left = await readdir(out).catch(() => []);
      expect(left.filter((n) => n.startsWith('plantproof-evidence-'))).toEqual([]);
      expect(left.filter((n) => n.startsWith('.'))).toEqual([]);
    }
  });

  it('is atomic: a process killed at any step leaves nothing that looks like a bundle', async () => {
    const cases = [
      ['zip-written', 'zip'],
      ['dir-written', 'dir'],
      ['manifest-ready', 'both'],
    ] as const;
    await Promise.all(cases.map(([stopAt, format]) => killAt(stopAt, format)));
    async function killAt(stopAt: string, format: string) {
      const out = await tmp('pp-kill-');
      const child = spawn(
        process.execPath,
        [
          '--import',
          'tsx',
          WRITE_BUNDLE_SCRIPT,
          JSON.stringify({ plantDir: plant.dir, outDir: out, keyPem, stopAt, format }),
        ],
        { stdio: ['ignore', 'pipe', 'inherit'] },
      );
      await new Promise<void>((resolve, reject) => {
        child.stdout.on('data', (d: Buffer) => {
          if (d.toString().includes(`stage ${stopAt}`)) resolve();
        });
        child.on('exit', (code) => reject(new Error(`child exited early (${code})`)));
      });
      child.kill('SIGKILL');
      await new Promise((r) => child.once('exit', r));
      const names = await readdir(out).catch(() => [] as string[]);
      expect(await listBundles(out)).toEqual([]);
      expect(names.filter((n) => n.startsWith('plantproof-evidence-'))).toEqual([]);
      // what a killed run leaves is a dot-file named as partial, which nothing takes for a bundle
      for (const n of names) expect(n).toMatch(/^\.plantproof-evidence-\d{8}T\d{6}Z(\.zip)?\.partial-/);
    }
  }, 120_000);

  it('records a failed collector: exit code 3 in the manifest and said in README.txt', async () => {
    const failing = await makePlant({ sourceStatus: 'error' });
    const out = await tmp('pp-out-');
    const written = await writeBundle({
      snapshot: failing.snapshot,
      snapshotBytes: failing.snapshotBytes,
      results: failing.results,
      config: failing.config,
      policyDir: POLICY_DIR,
      controlsDir: failing.controlsDir,
      outDir: out,
      previous: 'none',
    });
    expect(written.exitCode).toBe(3);
    expect(written.manifest.outcome.exitCode).toBe(3);
    expect(written.manifest.outcome.sourcesNotOk).toEqual([
      {
        id: 'aws-config:123456789012',
        status: 'error',
        error: 'AccessDenied: not authorized to perform config:SelectResourceConfig',
        gaps: [],
      },
    ]);
    const readme = (await (await openBundle(written.zipFile!)).read('README.txt')).toString();
    expect(readme).toContain('INCOMPLETE COLLECTION');
    expect(readme).toContain('aws-config:123456789012: error');
    expect(readme).toContain('UNSIGNED');
    const report = await verifyBundle(written.zipFile!, { reproduce: true });
    expect(report.ok).toBe(true);
    expect(report.steps.find((s) => s.name === 'signature')?.status).toBe('warn');
  });

  it('recomputes results that were not made for the bundled snapshot bytes', async () => {
    const out = await tmp('pp-out-');
    const stale = { ...plant.results, snapshot: { ...plant.results.snapshot, digest: 'f'.repeat(64) } };
    const written = await writeBundle(options(out, { results: stale }));
    expect(written.results.snapshot.digest).toBe(sha(plant.snapshotBytes));
    expect((await verifyBundle(written.zipFile!, { reproduce: true })).ok).toBe(true);
  });

  it('refuses results computed with another policy than the one bundled', async () => {
    const out = await tmp('pp-out-');
    const other = { ...plant.results, policy: { ...plant.results.policy, wasmDigest: '0'.repeat(64) } };
    await expect(writeBundle(options(out, { results: other }))).rejects.toThrow(
      /not computed with the policy/,
    );
  });
});
