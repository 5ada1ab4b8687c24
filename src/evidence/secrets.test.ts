import { mkdtemp, readdir, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildSnapshot } from '../snapshot/build.js';
import { bundleOptions, makePlant, POLICY_DIR, SEEDED_SECRETS } from './__fixtures__/plant.js';
import { Manifest } from './manifest.js';
import { openBundle } from './reader.js';
import { verifyBundle } from './verify.js';
import { writeBundle } from './writer.js';

/** Every distinctive piece of every seeded secret, so a partly redacted value is caught too. */
const needles = SEEDED_SECRETS.flatMap((s) => [s, ...s.split(/[\s=:/.]+/).filter((p) => p.length >= 10)]);

async function allBytes(dir: string): Promise<Buffer[]> {
  const out: Buffer[] = [];
  for (const e of await readdir(dir, { recursive: true, withFileTypes: true }))
    if (e.isFile()) out.push(await readFile(join(e.parentPath, e.name)));
  return out;
}

function leaks(buffers: Buffer[]): string[] {
  const found = new Set<string>();
  for (const b of buffers) {
    const text = b.toString('latin1');
    for (const n of needles) if (text.includes(n)) found.add(n);
    // base64 of a secret would be as bad
    for (const s of SEEDED_SECRETS)
      if (text.includes(Buffer.from(s).toString('base64').slice(0, 24))) found.add(`base64:${s}`);
  }
  return [...found];
}

describe('no secrets in a bundle', () => {
  it('seeded into raw payloads, tags, config, comments and a collector error: none reaches any byte', async () => {
    const plant = await makePlant({ secrets: true, sourceStatus: 'error' });
    // the inputs really do hold them
    expect(leaks([plant.snapshotBytes, await readFile(plant.configFile)]).length).toBeGreaterThan(8);
    const out = await mkdtemp(join(tmpdir(), 'pp-secrets-'));
    const written = await writeBundle({
      ...bundleOptions(plant, out),
      format: 'both',
      reports: { 'gap-report.md': `# report\nowner ${plant.results.checks[0]?.owner}\n` },
    });
    const zip = await openBundle(written.zipFile!);
    const entries = await Promise.all(zip.paths.map((p) => zip.read(p)));
    expect(leaks([await readFile(written.zipFile!), ...entries])).toEqual([]);
    expect(leaks(await allBytes(written.dir!))).toEqual([]);

    // markers with a short digest stand in for them, and the manifest lists where, never what
    const snapshot = (await zip.read('snapshot.json')).toString();
    expect(snapshot).toMatch(/\[REDACTED sha256:[0-9a-f]{12}\]/);
    const manifest = Manifest.parse(JSON.parse((await zip.read('manifest.json')).toString()));
    const byFile = Object.fromEntries(manifest.redactions.map((r) => [r.path, r.pointers]));
    expect(byFile['snapshot.json']).toEqual(
      expect.arrayContaining([
        '/raw/aws-config:123456789012#1/payload/userData',
        '/raw/aws-config:123456789012#1/payload/environment',
        '/raw/aws-config:123456789012#1/payload/privateKey',
        '/raw/aws-config:123456789012#1/payload/ci/githubToken',
        '/raw/aws-config:123456789012#1/payload/url',
        '/entities/storage/0/tags/password',
        '/sources/0/error',
      ]),
    );
    expect(byFile['config/plantproof.yaml']).toEqual(['(comments)', '/owners/storage']);
    expect(manifest.config?.redacted).toBe(true);
    expect(written.manifest.redactions.length).toBeGreaterThan(0);
    // a redacted config still verifies and reproduces: secrets cannot change the evaluation
    const report = await verifyBundle(written.zipFile!, { reproduce: true });
    expect(report.steps.filter((s) => s.status === 'fail')).toEqual([]);
  });

  it('through collection (buildSnapshot) as well', async () => {
    const plant = await makePlant();
    const collected = buildSnapshot({
      collectedAt: new Date('2026-11-22T08:15:00Z'),
      scope: { name: 'collected' },
      results: [
        {
          source: { ...plant.snapshot.sources[0]! },
          entities: plant.snapshot.entities.storage,
          raw: {
            'aws-config:123456789012#1': {
              source: 'aws-config:123456789012',
              api: 'config:SelectResourceConfig',
              capturedAt: '2026-11-22T08:15:00.000Z',
              payload: {
                password: SEEDED_SECRETS[0],
                note: `key ${SEEDED_SECRETS[1]}`,
                jwt: SEEDED_SECRETS[3],
              },
            },
          },
        },
      ],
    });
    const written = await writeBundle({
      snapshot: collected,
      frameworks: ['testfw', 'iecfw'],
      policyDir: POLICY_DIR,
      controlsDir: plant.controlsDir,
      outDir: await mkdtemp(join(tmpdir(), 'pp-secrets-')),
      previous: 'none',
    });
    const zip = await openBundle(written.zipFile!);
    expect(leaks(await Promise.all(zip.paths.map((p) => zip.read(p))))).toEqual([]);
    expect((await verifyBundle(written.zipFile!, { reproduce: true })).ok).toBe(true);
  });

  it('withholds an attachment that looks like it holds a secret, and says so', async () => {
    const plant = await makePlant();
    const { writeFile } = await import('node:fs/promises');
    const { createHash } = await import('node:crypto');
    const secretCsv = `account,key\nsvc,${SEEDED_SECRETS[1]}\n`;
    await writeFile(join(plant.dir, 'plant/manual/attachments/review.csv'), secretCsv);
    const att = join(plant.dir, 'plant/manual/access-review.yaml');
    const text = await readFile(att, 'utf8');
    await writeFile(
      att,
      text.replace(/sha256: [0-9a-f]{64}/, `sha256: ${createHash('sha256').update(secretCsv).digest('hex')}`),
    );
    const { loadConfig } = await import('../config/load.js');
    const written = await writeBundle({
      snapshot: plant.snapshot,
      snapshotBytes: plant.snapshotBytes,
      config: await loadConfig(plant.configFile),
      policyDir: POLICY_DIR,
      controlsDir: plant.controlsDir,
      outDir: await mkdtemp(join(tmpdir(), 'pp-secrets-')),
      previous: 'none',
    });
    expect(written.manifest.withheld).toEqual([
      {
        source: 'manual/attachments/review.csv',
        sha256: expect.stringMatching(/^[0-9a-f]{64}$/),
        reason: 'looks like it holds a secret',
      },
    ]);
    const zip = await openBundle(written.zipFile!);
    expect(zip.paths).not.toContain('evidence/manual/attachments/review.csv');
    expect(leaks(await Promise.all(zip.paths.map((p) => zip.read(p))))).toEqual([]);
    const report = await verifyBundle(written.zipFile!, { reproduce: true });
    expect(report.steps.find((s) => s.name === 'reproduce')?.summary).toMatch(/withheld/);
  });
});
