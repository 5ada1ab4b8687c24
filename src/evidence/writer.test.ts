import { generateKeyPairSync } from 'node:crypto';
import { mkdtemp, readdir, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { makePlant, POLICY_DIR } from './__fixtures__/plant.js';
import { signingKeyFromPem } from './signing.js';
import { formatVerifyReport, verifyBundle } from './verify.js';
import { writeBundle } from './writer.js';

const key = () =>
  signingKeyFromPem(
    String(generateKeyPairSync('ed25519').privateKey.export({ type: 'pkcs8', format: 'pem' })),
  );

describe('writeBundle', () => {
  it('writes a zip and a directory that verify', async () => {
    const plant = await makePlant();
    const out = await mkdtemp(join(tmpdir(), 'plantproof-out-'));
    const written = await writeBundle({
      snapshot: plant.snapshot,
      snapshotBytes: plant.snapshotBytes,
      results: plant.results,
      config: plant.config,
      policyDir: POLICY_DIR,
      controlsDir: plant.controlsDir,
      outDir: out,
      format: 'both',
      signingKey: key(),
      reports: { 'gap-report.md': '# Gaps\n' },
    });
    expect(written.name).toBe('plantproof-evidence-20261122T081500Z');
    expect((await readdir(out)).sort()).toEqual([written.name, `${written.name}.zip`]);
    for (const b of [written.zipFile!, written.dir!]) {
      const report = await verifyBundle(b, { reproduce: true });
      console.log(formatVerifyReport(report));
      expect(report.ok).toBe(true);
    }
    console.log(await readFile(join(written.dir!, 'README.txt'), 'utf8'));
    console.log(await readdir(join(written.dir!, 'requirements', 'iecfw')));
  });
});
