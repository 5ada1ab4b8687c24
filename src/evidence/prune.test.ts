import { generateKeyPairSync } from 'node:crypto';
import { cp, mkdir, mkdtemp, readdir, readFile, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { makePlant, type Plant, POLICY_DIR, plantSnapshot } from './__fixtures__/plant.js';
import { CHAIN_FILE, listBundles, readChainFile } from './chain.js';
import { formatPrunePlan, parseRetention, pruneBundles, retentionMonths } from './prune.js';
import { parsePublicKey, signingKeyFromPem } from './signing.js';
import { formatVerifyReport, verifyBundle } from './verify.js';
import { writeBundle } from './writer.js';

const key = signingKeyFromPem(
  String(generateKeyPairSync('ed25519').privateKey.export({ type: 'pkcs8', format: 'pem' })),
);
const trusted = parsePublicKey(key.publicKeyPem, 'trusted.pem');
const TIMES = [
  '2022-01-10T06:00:00.000Z',
  '2023-06-10T06:00:00.000Z',
  '2025-01-10T06:00:00.000Z',
  '2026-11-10T06:00:00.000Z',
];

let plant: Plant;
beforeAll(async () => {
  plant = await makePlant();
});

async function chainOfBundles(dir: string, times = TIMES, format: 'zip' | 'both' = 'zip') {
  const names: string[] = [];
  for (const t of times) {
    const written = await writeBundle({
      snapshot: plantSnapshot({ collectedAt: t }),
      config: plant.config,
      policyDir: POLICY_DIR,
      controlsDir: plant.controlsDir,
      outDir: dir,
      format,
      signingKey: key,
    });
    names.push(written.name);
  }
  return names;
}

describe('hash chain', () => {
  it('links each bundle to the newest older one in the folder, and verify --previous checks it', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'pp-chain-'));
    const names = await chainOfBundles(dir);
    for (let i = 1; i < names.length; i++) {
      const report = await verifyBundle(join(dir, `${names[i]}.zip`), {
        previous: join(dir, `${names[i - 1]}.zip`),
        publicKey: trusted,
      });
      expect(report.ok).toBe(true);
      expect(report.steps.find((s) => s.name === 'previous')?.summary).toContain(`links to ${names[i - 1]}`);
    }
    // not the bundle it links to
    const wrong = await verifyBundle(join(dir, `${names[3]}.zip`), {
      previous: join(dir, `${names[1]}.zip`),
    });
    expect(wrong.ok).toBe(false);
    expect(formatVerifyReport(wrong)).toMatch(/neither the given previous bundle nor recorded/);
    // a previous bundle whose manifest changed no longer matches the link
    const copy = join(await mkdtemp(join(tmpdir(), 'pp-chain-')), names[2]!);
    await writeBundle({
      snapshot: plantSnapshot({ collectedAt: TIMES[2] }),
      config: plant.config,
      policyDir: POLICY_DIR,
      controlsDir: plant.controlsDir,
      outDir: join(copy, '..'),
      format: 'dir',
      previous: 'none',
    });
    const altered = await verifyBundle(join(dir, `${names[3]}.zip`), { previous: copy });
    expect(altered.ok).toBe(false);
    expect(formatVerifyReport(altered)).toMatch(/a different or altered bundle/);
    // the first bundle has no link
    const first = await verifyBundle(join(dir, `${names[0]}.zip`), {
      previous: join(dir, `${names[1]}.zip`),
    });
    expect(first.ok).toBe(false);
  });

  it('refuses to link to a bundle that is not older', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'pp-chain-'));
    const [name] = await chainOfBundles(dir, [TIMES[3]!]);
    await expect(
      writeBundle({
        snapshot: plantSnapshot({ collectedAt: TIMES[0] }),
        config: plant.config,
        policyDir: POLICY_DIR,
        controlsDir: plant.controlsDir,
        outDir: await mkdtemp(join(tmpdir(), 'pp-chain-')),
        previous: join(dir, `${name}.zip`),
      }),
    ).rejects.toThrow(/not older/);
  });
});

describe('retention', () => {
  it('has defaults per audit category and takes overrides', () => {
    const p = parseRetention();
    expect(retentionMonths(['soc2'], p)).toBe(12);
    expect(retentionMonths(['iec62443-3-3'], p)).toBe(24);
    expect(retentionMonths(['iso27001-2022'], p)).toBe(36);
    expect(retentionMonths(['soc2', 'cmmc-l2'], p)).toBe(36);
    expect(retentionMonths(['custom-framework'], p)).toBe(36);
    const q = parseRetention(['annual=18', 'cmmc-l2=72']);
    expect(retentionMonths(['soc2'], q)).toBe(18);
    expect(retentionMonths(['cmmc-l2'], q)).toBe(72);
    expect(() => parseRetention(['soc2'])).toThrow(/--retention/);
  });

  it('is a dry run unless applied, never removes the newest, and keeps the chain verifiable', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'pp-prune-'));
    const names = await chainOfBundles(dir, TIMES, 'both');
    // an auditor kept a copy of the oldest bundle from an earlier audit
    const archive = await mkdtemp(join(tmpdir(), 'pp-archive-'));
    await cp(join(dir, `${names[0]}.zip`), join(archive, `${names[0]}.zip`));
    const now = new Date('2026-12-01T00:00:00Z');
    // left behind by a write interrupted two days before "now", whatever today's date is
    const partial = join(dir, `.${names[3]}.zip.partial-1-abcd`);
    await mkdir(partial);
    const twoDaysBefore = new Date(now.getTime() - 2 * 86_400_000);
    await utimes(partial, twoDaysBefore, twoDaysBefore);

    const dry = await pruneBundles({ dir, now });
    expect(dry.applied).toBe(false);
    // no framework of the test plant is in the table: 36 months (certification)
    expect(dry.decisions.map((d) => [d.name, d.action])).toEqual([
      [names[0], 'remove'], // expired 2025-01-10
      [names[1], 'remove'], // expired 2026-06-10
      [names[2], 'keep'], // until 2028-01-10
      [names[3], 'keep'], // the newest
    ]);
    expect(dry.partials).toHaveLength(1);
    expect(formatPrunePlan(dry)).toMatch(/would remove .*partial.*interrupted write/);
    expect(formatPrunePlan(dry)).toMatch(/dry run: nothing was deleted/);
    expect((await listBundles(dir)).map((b) => b.name)).toEqual(names);

    // everything expired: the newest stays anyway
    const all = await pruneBundles({ dir, now: new Date('2040-01-01T00:00:00Z') });
    expect(all.decisions.at(-1)).toMatchObject({ name: names[3], action: 'keep' });
    expect(all.decisions.at(-1)?.reason).toMatch(/newest/);

    const applied = await pruneBundles({ dir, now, apply: true });
    expect(applied.applied).toBe(true);
    expect((await listBundles(dir)).map((b) => b.name)).toEqual([names[2], names[3]]);
    expect((await readdir(dir)).filter((n) => n.startsWith('.'))).toEqual([]);
    const chain = await readChainFile(join(dir, CHAIN_FILE));
    expect(chain?.pruned.map((e) => e.name)).toEqual([names[0], names[1]]);
    expect(formatPrunePlan(applied)).toMatch(/manifests are kept/);

    // what remains still links: directly, and through the removed ones to the archived copy
    expect(
      (
        await verifyBundle(join(dir, `${names[3]}.zip`), {
          previous: join(dir, `${names[2]}.zip`),
          publicKey: trusted,
        })
      ).ok,
    ).toBe(true);
    const across = await verifyBundle(join(dir, `${names[2]}.zip`), {
      previous: join(archive, `${names[0]}.zip`),
      publicKey: trusted,
      chainFile: join(dir, CHAIN_FILE),
    });
    expect(across.ok).toBe(true);
    expect(across.steps.find((s) => s.name === 'previous')?.summary).toMatch(
      new RegExp(
        `${names[1]} \\(removed; manifest kept in chain/chain.json matches, signature verified\\) → ${names[0]}`,
      ),
    );
    // a new bundle chains onto the newest remaining one
    const [next] = await chainOfBundles(dir, ['2026-12-01T06:00:00.000Z']);
    expect(
      (await verifyBundle(join(dir, `${next}.zip`), { previous: join(dir, `${names[3]}.zip`) })).ok,
    ).toBe(true);

    // a forged chain record breaks the link
    const chainText = await readFile(join(dir, CHAIN_FILE), 'utf8');
    const forged = JSON.parse(chainText);
    forged.pruned[1].manifest = forged.pruned[1].manifest.replace('"previous": {', '"previous":  {');
    await writeFile(join(dir, CHAIN_FILE), JSON.stringify(forged));
    await expect(
      verifyBundle(join(dir, `${names[2]}.zip`), {
        previous: join(archive, `${names[0]}.zip`),
        chainFile: join(dir, CHAIN_FILE),
      }),
    ).resolves.toMatchObject({ ok: false });
  }, 60_000);

  it('a new bundle links to the newest bundle recorded in chain.json when no older file remains', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'pp-prune-'));
    const names = await chainOfBundles(dir, TIMES.slice(0, 2));
    await pruneBundles({
      dir,
      now: new Date('2040-01-01T00:00:00Z'),
      apply: true,
      retention: parseRetention(['certification=1']),
    });
    expect((await listBundles(dir)).map((b) => b.name)).toEqual([names[1]]);
    const { rm } = await import('node:fs/promises');
    await rm(join(dir, `${names[1]}.zip`));
    const written = await writeBundle({
      snapshot: plantSnapshot({ collectedAt: TIMES[2] }),
      config: plant.config,
      policyDir: POLICY_DIR,
      controlsDir: plant.controlsDir,
      outDir: dir,
    });
    expect(written.manifest.previous?.name).toBe(names[0]);
  });
});
