import { createHash, generateKeyPairSync } from 'node:crypto';
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Results } from '../check.js';
import { bundleOptions, makePlant, writeSignedManifest } from './__fixtures__/plant.js';
import { MANIFEST_FILE, Manifest } from './manifest.js';
import { canonicalJson, jsonDifferences } from './reproduce.js';
import { requirementFileNames } from './requirements.js';
import { parsePublicKey, signingKeyFromPem } from './signing.js';
import { formatVerifyReport, verifyBundle } from './verify.js';
import { writeBundle } from './writer.js';

const sha = (b: Uint8Array | string) => createHash('sha256').update(b).digest('hex');

type Key = ReturnType<typeof signingKeyFromPem>;

async function signedBundle(): Promise<{ dir: string; key: Key }> {
  const plant = await makePlant();
  const key = signingKeyFromPem(
    String(generateKeyPairSync('ed25519').privateKey.export({ type: 'pkcs8', format: 'pem' })),
  );
  const outDir = await mkdtemp(join(tmpdir(), 'pp-repro-'));
  const written = await writeBundle(bundleOptions(plant, outDir, { format: 'dir', signingKey: key }));
  return { dir: written.dir!, key };
}

/** Someone with the key edits results.json and fixes every digest and the signature. */
async function editAndResign(dir: string, key: Key, edit: (results: Results) => void): Promise<void> {
  const resultsFile = join(dir, 'results.json');
  const results = JSON.parse(await readFile(resultsFile, 'utf8')) as Results;
  edit(results);
  const text = `${JSON.stringify(results, null, 2)}\n`;
  await writeFile(resultsFile, text);
  const manifest = Manifest.parse(JSON.parse(await readFile(join(dir, MANIFEST_FILE), 'utf8')));
  manifest.results.sha256 = sha(text);
  manifest.files = manifest.files.map((f) =>
    f.path === 'results.json' ? { ...f, sha256: sha(text), size: Buffer.byteLength(text) } : f,
  );
  await writeSignedManifest(dir, manifest, key);
}

describe('reproduce', () => {
  it('catches results.json that the bundled policy does not give, even in a consistently re-signed bundle', async () => {
    const { dir, key } = await signedBundle();
    await editAndResign(dir, key, (results) => {
      const finding = results.checks.flatMap((c) => c.findings).find((f) => f.status === 'fail')!;
      finding.message = 'looks fine to me';
    });
    const trusted = parsePublicKey(key.publicKeyPem, 'key.pem');
    expect((await verifyBundle(dir, { publicKey: trusted })).ok).toBe(true);
    const report = await verifyBundle(dir, { publicKey: trusted, reproduce: true });
    expect(report.ok).toBe(false);
    const step = report.steps.find((s) => s.name === 'reproduce')!;
    expect(step.summary).toMatch(/different results/);
    expect(step.problems[0]).toMatch(
      /^\/checks\/\d+\/findings\/\d+\/message: results.json has "looks fine to me", re-evaluated ".+"/,
    );
    expect(formatVerifyReport(report)).toMatch(/NOT VERIFIED: 1 check failed \(reproduce\)/);
  });

  // Bundles written before findings followed snapshot order list them sorted by text.
  it('does not care in which order a check lists its findings', async () => {
    const { dir, key } = await signedBundle();
    let reversed = 0;
    await editAndResign(dir, key, (results) => {
      for (const c of results.checks) {
        if (c.findings.length > 1) {
          c.findings.reverse();
          reversed += 1;
        }
      }
    });
    expect(reversed).toBeGreaterThan(0);
    const trusted = parsePublicKey(key.publicKeyPem, 'key.pem');
    const report = await verifyBundle(dir, { publicKey: trusted, reproduce: true });
    expect(report.steps.find((s) => s.name === 'reproduce')).toMatchObject({ status: 'pass' });
    expect(report.ok).toBe(true);
  });

  it('compares canonical JSON and names the first differences', () => {
    expect(canonicalJson({ b: 1, a: { d: [1, { f: 2, e: 3 }], c: null } })).toBe(
      '{"a":{"c":null,"d":[1,{"e":3,"f":2}]},"b":1}',
    );
    expect(jsonDifferences({ a: [1, 2], b: 'x' }, { a: [1, 3, 4], b: 'x', c: true })).toEqual([
      '/a: 2 items in results.json, 3 re-evaluated',
      '/a/1: results.json has 2, re-evaluated 3',
      '/c: results.json has (absent), re-evaluated true',
    ]);
  });
});

describe('requirement file names', () => {
  it('are portable and unique, even on case-insensitive file systems', () => {
    const names = requirementFileNames([
      'SR 1.1 RE 1',
      'SR 1.1/RE 1',
      'cc1.1',
      'CC1.1',
      '../x',
      '.hidden',
      '3.1.1',
    ]);
    expect([...names.values()]).toEqual([
      'SR_1.1_RE_1.json',
      'SR_1.1_RE_1~2.json',
      'cc1.1.json',
      'CC1.1~2.json',
      'x.json',
      'hidden.json',
      '3.1.1.json',
    ]);
  });
});
