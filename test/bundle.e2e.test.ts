import { cp, mkdtemp, readdir, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { main } from '../src/cli/main.js';
import { openBundle } from '../src/evidence/reader.js';

const EXAMPLE = fileURLToPath(new URL('../examples/acme-plant/', import.meta.url));

async function cli(...args: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const code = await main(['node', 'plantproof', ...args], {
    stdout: (t) => {
      out += t;
    },
    stderr: (t) => {
      err += t;
    },
  });
  return { code, out, err };
}

const tmp = (p: string) => mkdtemp(join(tmpdir(), p));
const nextSecond = () => new Promise((r) => setTimeout(r, 1100 - (Date.now() % 1000)));

async function examplePlant(extra = ''): Promise<string> {
  const dir = await tmp('pp-e2e-plant-');
  await cp(EXAMPLE, dir, { recursive: true, filter: (src) => !src.includes('demo-data') });
  if (extra) {
    const file = join(dir, 'plantproof.yaml');
    await writeFile(file, (await readFile(file, 'utf8')).replace('\nowners:', `${extra}\nowners:`));
  }
  return join(dir, 'plantproof.yaml');
}

describe('plantproof run / bundle / verify / keygen / prune', () => {
  it('runs end to end: signed, chained, verified, tamper caught, pruned', async () => {
    const keys = await tmp('pp-e2e-keys-');
    const kg = await cli('keygen', '--out', keys);
    expect(kg.code).toBe(0);
    expect(kg.out).toMatch(/key id:\s+sha256:[0-9a-f]{64}/);
    expect((await cli('keygen', '--out', keys)).code).toBe(2);
    const key = join(keys, 'plantproof-signing.key');
    const pub = join(keys, 'plantproof-signing.pub.pem');

    const config = await examplePlant();
    const out = await tmp('pp-e2e-out-');
    const first = await cli('run', '--config', config, '--out', out, '--key', key, '--quiet');
    expect(first.err).toBe('');
    expect(first.code).toBe(1); // the example plant has gaps
    expect(first.out).toMatch(/bundle: .*plantproof-evidence-\d{8}T\d{6}Z\.zip/);
    expect(first.out).toMatch(/signed with key sha256:/);
    expect(await readdir(out)).toEqual(expect.arrayContaining(['snapshot.json', 'results.json', 'bundles']));
    const bundles = join(out, 'bundles');
    const [firstZip] = (await readdir(bundles)).filter((n) => n.endsWith('.zip'));

    const ok = await cli('verify', join(bundles, firstZip!), '--public-key', pub, '--reproduce');
    expect(ok.code).toBe(0);
    expect(ok.out).toMatch(/ok {4}reproduce: .*identical to results.json/);
    expect(ok.out).toMatch(/^verified: /m);

    await nextSecond();
    const second = await cli(
      'run',
      '--config',
      config,
      '--out',
      out,
      '--key',
      key,
      '--format',
      'both',
      '--quiet',
    );
    expect(second.code).toBe(1);
    expect(second.out).toMatch(/chained to plantproof-evidence-/);
    const zips = (await readdir(bundles)).filter((n) => n.endsWith('.zip')).sort();
    expect(zips).toHaveLength(2);
    const linked = await cli(
      'verify',
      join(bundles, zips[1]!),
      '--public-key',
      pub,
      '--previous',
      join(bundles, zips[0]!),
    );
    expect(linked.code).toBe(0);
    expect(linked.out).toMatch(/ok {4}previous: links to plantproof-evidence-/);

    // tampering with the unpacked folder is caught and named, with exit code 1
    const folder = join(bundles, zips[1]!.replace(/\.zip$/, ''));
    await writeFile(join(folder, 'results.json'), '{}\n');
    const bad = await cli('verify', folder, '--public-key', pub);
    expect(bad.code).toBe(1);
    expect(bad.out).toMatch(/FAIL {2}files: .*\n\s+- results.json: (size|sha256) is/);
    expect(bad.out).toMatch(/^NOT VERIFIED/m);

    // a wrong trusted key
    const otherKeys = await tmp('pp-e2e-keys-');
    await cli('keygen', '--out', otherKeys);
    const wrongKey = await cli(
      'verify',
      join(bundles, zips[0]!),
      '--public-key',
      join(otherKeys, 'plantproof-signing.pub.pem'),
    );
    expect(wrongKey.code).toBe(1);
    expect(wrongKey.out).toMatch(/not with the trusted key/);

    // retention: nothing is due now; far in the future everything but the newest is
    const dry = await cli('prune', '--dir', bundles);
    expect(dry.code).toBe(0);
    expect(dry.out).toMatch(/^keep /m);
    const future = await cli('prune', '--dir', bundles, '--now', '2040-01-01', '--apply');
    expect(future.code).toBe(0);
    expect(future.out).toMatch(/^removed +plantproof-evidence-/m);
    expect((await readdir(bundles)).sort()).toEqual(
      ['chain', zips[1]!.replace(/\.zip$/, ''), zips[1]!].sort(),
    );
    expect((await cli('prune', '--dir', bundles, '--retention', 'nonsense')).code).toBe(2);
  }, 180_000);

  it('bundles an existing snapshot, signed from the environment, and never overwrites', async () => {
    const keys = await tmp('pp-e2e-keys-');
    await cli('keygen', '--out', keys);
    const config = await examplePlant();
    const out = await tmp('pp-e2e-out-');
    await cli('run', '--config', config, '--out', out, '--quiet');
    const dest = await tmp('pp-e2e-bundles-');
    const saved = process.env.PLANTPROOF_SIGNING_KEY;
    process.env.PLANTPROOF_SIGNING_KEY = await readFile(join(keys, 'plantproof-signing.key'), 'utf8');
    try {
      const made = await cli(
        'bundle',
        '--snapshot',
        join(out, 'snapshot.json'),
        '--config',
        config,
        '--out',
        dest,
      );
      expect(made.code).toBe(1);
      expect(made.out).toMatch(/signed with key/);
      const again = await cli(
        'bundle',
        '--snapshot',
        join(out, 'snapshot.json'),
        '--config',
        config,
        '--out',
        dest,
      );
      expect(again.code).toBe(2);
      expect(again.err).toMatch(/never overwritten/);
    } finally {
      if (saved === undefined) delete process.env.PLANTPROOF_SIGNING_KEY;
      else process.env.PLANTPROOF_SIGNING_KEY = saved;
    }
    const [zip] = await readdir(dest);
    const verified = await cli(
      'verify',
      join(dest, zip!),
      '--public-key',
      join(keys, 'plantproof-signing.pub.pem'),
      '--reproduce',
    );
    expect(verified.code).toBe(0);
    // the snapshot in the bundle is the file's exact bytes
    const b = await openBundle(join(dest, zip!));
    expect((await b.read('snapshot.json')).equals(await readFile(join(out, 'snapshot.json')))).toBe(true);
    expect(b.paths).toEqual(expect.arrayContaining(['reports/gap-report.md', 'config/plantproof.yaml']));
  }, 180_000);

  it('still writes the bundle when a collector fails, says so, and exits 3', async () => {
    const config = await examplePlant(`
  - type: inventory
    name: broken
    files: [inventory/missing.yaml]`);
    // the extra collector entry goes at the end of collectors:, right before owners:
    const out = await tmp('pp-e2e-out-');
    const r = await cli('run', '--config', config, '--out', out, '--quiet');
    expect(r.code).toBe(3);
    expect(r.out).toMatch(/collection incomplete: inventory:broken \(error\)/);
    expect(r.out).toMatch(/UNSIGNED/);
    const [zip] = (await readdir(join(out, 'bundles'))).filter((n) => n.endsWith('.zip'));
    const b = await openBundle(join(out, 'bundles', zip!));
    expect((await b.read('README.txt')).toString()).toMatch(
      /INCOMPLETE COLLECTION[\s\S]*inventory:broken: error/,
    );
    const v = await cli('verify', join(out, 'bundles', zip!));
    expect(v.code).toBe(0);
    expect(v.out).toMatch(/WARN {2}signature: UNSIGNED/);
  }, 180_000);

  it('bad input is exit code 2 with the file named', async () => {
    const missing = await cli('verify', '/nonexistent/bundle.zip');
    expect(missing.code).toBe(2);
    expect(missing.err).toContain('/nonexistent/bundle.zip');
    const dir = await tmp('pp-e2e-bad-');
    await writeFile(join(dir, 'key.pem'), 'not a key');
    const badKey = await cli('bundle', '--snapshot', join(dir, 'nope.json'), '--key', join(dir, 'key.pem'));
    expect(badKey.code).toBe(2);
    expect(badKey.err).toMatch(/key\.pem: not a private key/);
    expect((await cli('bundle', '--snapshot', join(dir, 'nope.json'), '--format', 'tar')).code).toBe(2);
  });
});

describe('plantproof demo', () => {
  it('writes a signed bundle that verifies and reproduces, and exits 0', async () => {
    const out = await tmp('pp-e2e-demo-');
    const r = await cli('demo', '--out', out, '--quiet');
    expect(r.code).toBe(0);
    const m = /verify it: plantproof verify (\S+) --public-key (\S+) --reproduce/.exec(r.out);
    expect(m).not.toBeNull();
    expect(m![1]).toContain(join(out, 'bundles'));
    const v = await cli('verify', m![1]!, '--public-key', m![2]!, '--reproduce');
    expect(v.out).toMatch(/^verified: /m);
    expect(v.code).toBe(0);
  }, 180_000);
});
