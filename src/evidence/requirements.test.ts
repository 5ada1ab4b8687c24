import { createHash } from 'node:crypto';
import { mkdir, mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkSnapshot } from '../check.js';
import { loadConfig } from '../config/load.js';
import { loadCompiledPolicy } from '../evaluate/index.js';
import { serializeSnapshot } from '../snapshot/io.js';
import { Snapshot } from '../snapshot/schema.js';
import { makePlant, POLICY_DIR, plantSnapshot } from './__fixtures__/plant.js';
import { buildRequirementFiles } from './requirements.js';
import { verifyBundle } from './verify.js';
import { writeBundle } from './writer.js';

describe('requirement files', () => {
  it('cut a large raw payload down to the part about the resource, with its pointer', async () => {
    const plant = await makePlant();
    const base = plantSnapshot({ buckets: 3 });
    // one page of a list API for every bucket, padded past the excerpt limit
    const page = {
      items: base.entities.storage.map((b) => ({
        Name: b.name,
        Encryption: b.encryptedAtRest,
        pad: 'x'.repeat(7000),
      })),
    };
    const snapshot = Snapshot.parse({
      ...base,
      entities: { ...base.entities, storage: base.entities.storage.map((b) => ({ ...b, rawRef: 'page#1' })) },
      raw: {
        'page#1': {
          source: base.sources[0]!.id,
          api: 's3:ListBuckets',
          capturedAt: base.collectedAt,
          payload: page,
        },
      },
    });
    const results = await checkSnapshot({
      snapshot,
      config: plant.config,
      controlsDir: plant.controlsDir,
      policy: await loadCompiledPolicy(POLICY_DIR),
    });
    const files = buildRequirementFiles(results, snapshot);
    const t1 = JSON.parse(files.find((f) => f.path === 'requirements/testfw/T-1.json')!.text);
    const bucket1 = t1.checks[0].findings.find(
      (f: { resource: string }) => f.resource === 'aws:s3:acme-bucket-1',
    );
    expect(bucket1.raw).toMatchObject({
      ref: 'page#1',
      pointer: '/raw/page#1/payload/items/1',
      complete: false,
    });
    expect(bucket1.raw.payload.Name).toBe('acme-bucket-1');
    expect(bucket1.provenance.api).toBe('s3:ListBuckets');
  });

  it('bundle and reproduce attachments kept above the manual evidence folder', async () => {
    const plant = await makePlant();
    const shared = join(plant.dir, 'plant', 'shared');
    await mkdir(shared, { recursive: true });
    const body = 'tabletop minutes\n';
    await writeFile(join(shared, 'minutes.txt'), body);
    const att = join(plant.dir, 'plant/manual/access-review.yaml');
    const sha = createHash('sha256').update(body).digest('hex');
    await writeFile(
      att,
      `${await readFile(att, 'utf8')}  - path: ../shared/minutes.txt\n    sha256: ${sha}\n`,
    );
    const config = await loadConfig(plant.configFile);
    const written = await writeBundle({
      snapshot: plant.snapshot,
      snapshotBytes: Buffer.from(serializeSnapshot(plant.snapshot)),
      config,
      policyDir: POLICY_DIR,
      controlsDir: plant.controlsDir,
      outDir: await mkdtemp(join(tmpdir(), 'pp-att-')),
      format: 'dir',
      previous: 'none',
    });
    expect(written.manifest.manualEvidence?.attestations[0]?.attachments).toEqual([
      {
        ref: 'attachments/review.csv',
        path: 'evidence/manual/attachments/review.csv',
        sha256: expect.any(String),
      },
      { ref: '../shared/minutes.txt', path: 'evidence/manual/_parent_/shared/minutes.txt', sha256: sha },
    ]);
    expect(await readFile(join(written.dir!, 'evidence/manual/_parent_/shared/minutes.txt'), 'utf8')).toBe(
      body,
    );
    const report = await verifyBundle(written.dir!, { reproduce: true });
    expect(report.steps.filter((s) => s.status === 'fail')).toEqual([]);
  });
});
