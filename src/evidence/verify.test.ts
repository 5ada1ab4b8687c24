import { generateKeyPairSync } from 'node:crypto';
import { appendFile, cp, mkdir, mkdtemp, readFile, rm, truncate, unlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { bundleOptions, makePlant, type Plant, writeSignedManifest } from './__fixtures__/plant.js';
import { MANIFEST_FILE, Manifest } from './manifest.js';
import { parsePublicKey, type SigningKey, signingKeyFromPem } from './signing.js';
import { formatVerifyReport, verifyBundle } from './verify.js';
import { type WrittenBundle, writeBundle } from './writer.js';

const newKey = () =>
  signingKeyFromPem(
    String(generateKeyPairSync('ed25519').privateKey.export({ type: 'pkcs8', format: 'pem' })),
  );
const tmp = (p: string) => mkdtemp(join(tmpdir(), p));

let plant: Plant;
let key: SigningKey;
let signed: WrittenBundle;
let unsigned: WrittenBundle;
let trusted: ReturnType<typeof parsePublicKey>;

beforeAll(async () => {
  plant = await makePlant();
  key = newKey();
  trusted = parsePublicKey(key.publicKeyPem, 'trusted.pem');
  signed = await writeBundle(
    bundleOptions(plant, await tmp('pp-signed-'), { format: 'both', signingKey: key }),
  );
  unsigned = await writeBundle(
    bundleOptions(plant, await tmp('pp-unsigned-'), { format: 'both', signingKey: null }),
  );
});

async function copyDir(src: string): Promise<string> {
  const dst = join(await tmp('pp-tamper-'), 'plantproof-evidence-20261122T081500Z');
  await cp(src, dst, { recursive: true });
  return dst;
}

describe('verifyBundle', () => {
  it('passes an intact bundle and says what it checked', async () => {
    const report = await verifyBundle(signed.zipFile!, { publicKey: trusted });
    expect(report.ok).toBe(true);
    expect(report.steps.map((s) => [s.name, s.status])).toEqual([
      ['container', 'pass'],
      ['manifest', 'pass'],
      ['signature', 'pass'],
      ['files', 'pass'],
      ['completeness', 'pass'],
      ['archive', 'pass'],
      ['consistency', 'pass'],
      ['previous', 'skip'],
    ]);
    const text = formatVerifyReport(report);
    expect(text).toContain('given with --public-key');
    expect(text).toMatch(/^verified: plantproof-evidence-20261122T081500Z passed every check$/m);
  });

  it('says when the signature was not checked against a trusted key, and when there is none', async () => {
    const own = await verifyBundle(signed.zipFile!);
    expect(own.ok).toBe(true);
    expect(own.steps.find((s) => s.name === 'signature')).toMatchObject({ status: 'warn' });
    expect(formatVerifyReport(own)).toMatch(/NOT checked against a trusted key/);
    const none = await verifyBundle(unsigned.zipFile!);
    expect(none.ok).toBe(true);
    expect(formatVerifyReport(none)).toMatch(/UNSIGNED/);
    const demanded = await verifyBundle(unsigned.zipFile!, { publicKey: trusted });
    expect(demanded.ok).toBe(false);
    expect(formatVerifyReport(demanded)).toMatch(/the bundle is UNSIGNED/);
  });

  it('rejects a bundle re-signed with another key when a trusted key is given', async () => {
    const dir = await copyDir(signed.dir!);
    const mallory = newKey();
    const manifest = Manifest.parse(JSON.parse(await readFile(join(dir, MANIFEST_FILE), 'utf8')));
    const forged = { ...manifest, signing: { ...manifest.signing!, keyId: mallory.keyId } };
    const pub = Buffer.from(mallory.publicKeyPem);
    const { createHash } = await import('node:crypto');
    forged.files = forged.files.map((f) =>
      f.path === 'signing-key.pub.pem'
        ? { ...f, size: pub.length, sha256: createHash('sha256').update(pub).digest('hex') }
        : f,
    );
    await writeFile(join(dir, 'signing-key.pub.pem'), pub);
    await writeSignedManifest(dir, forged, mallory);
    const withTrust = await verifyBundle(dir, { publicKey: trusted });
    expect(withTrust.ok).toBe(false);
    expect(withTrust.steps.find((s) => s.name === 'signature')?.problems.join('\n')).toMatch(
      /not with the trusted key/,
    );
    // without a trusted key it verifies, and says loudly that this proves nothing about who signed
    const without = await verifyBundle(dir);
    expect(without.ok).toBe(true);
    expect(without.steps.find((s) => s.name === 'signature')?.status).toBe('warn');
  });

  it('catches every changed, truncated, added and removed file of a directory bundle', async () => {
    const files = (await (await import('./reader.js')).openBundle(signed.dir!)).paths;
    expect(files.length).toBeGreaterThan(15);
    const mutations: [string, (dir: string, f: string) => Promise<void>][] = [
      [
        'changed',
        async (dir, f) => {
          const b = await readFile(join(dir, f));
          const at = Math.floor(b.length / 2);
          if (b.length > 0) b[at] = b[at]! ^ 0x20;
          await writeFile(join(dir, f), b);
        },
      ],
      [
        'truncated',
        async (dir, f) => truncate(join(dir, f), Math.max(0, (await readFile(join(dir, f))).length - 1)),
      ],
      ['emptied', async (dir, f) => truncate(join(dir, f), 0)],
      ['appended to', async (dir, f) => appendFile(join(dir, f), '\n')],
      ['removed', async (dir, f) => unlink(join(dir, f))],
    ];
    let cases = 0;
    for (const f of files) {
      for (const [what, mutate] of mutations) {
        const dir = await copyDir(signed.dir!);
        await mutate(dir, f);
        for (const publicKey of [trusted, undefined]) {
          const report = await verifyBundle(dir, { publicKey });
          if (report.ok) throw new Error(`not caught: ${f} ${what}\n${formatVerifyReport(report)}`);
        }
        await rm(dir, { recursive: true, force: true });
        cases += 1;
      }
    }
    for (const extra of ['extra.txt', 'requirements/testfw/T-9.json', 'policy/other.wasm']) {
      const dir = await copyDir(signed.dir!);
      await mkdir(join(dir, extra, '..'), { recursive: true });
      await writeFile(join(dir, extra), 'added\n');
      const report = await verifyBundle(dir, { publicKey: trusted });
      expect(report.ok).toBe(false);
      expect(report.steps.find((s) => s.name === 'completeness')?.problems).toEqual([
        `not in the manifest: ${extra}`,
      ]);
      cases += 1;
    }
    const dir = await copyDir(signed.dir!);
    await mkdir(join(dir, 'hidden-folder'));
    expect((await verifyBundle(dir)).ok).toBe(false);
    expect(cases).toBe(files.length * mutations.length + 3);
  }, 120_000);

  it('names exactly what failed', async () => {
    const dir = await copyDir(signed.dir!);
    const f = join(dir, 'requirements/testfw/T-1.json');
    await writeFile(
      f,
      (await readFile(f, 'utf8')).replace('Data at rest is encrypted', 'Data at rest is ENCRYPTED'),
    );
    await unlink(join(dir, 'controls/iec.yaml'));
    await writeFile(join(dir, 'notes.txt'), 'hello');
    const report = await verifyBundle(dir, { publicKey: trusted });
    expect(report.ok).toBe(false);
    const text = formatVerifyReport(report);
    expect(text).toMatch(
      /requirements\/testfw\/T-1\.json: sha256 is [0-9a-f]{64}, the manifest says [0-9a-f]{64}/,
    );
    expect(text).toContain('missing: controls/iec.yaml');
    expect(text).toContain('not in the manifest: notes.txt');
    expect(text).toMatch(/^NOT VERIFIED: 2 checks failed \(files, completeness\)$/m);
  });

  it('catches a flipped byte anywhere in a zip, signed or not', async () => {
    for (const [bundle, publicKey, masks, manifestStep] of [
      [signed, trusted, [0x01, 0x80], 7],
      [unsigned, undefined, [0x10], 3],
    ] as const) {
      const original = await readFile(bundle.zipFile!);
      const { readZip } = await import('./zip.js');
      const entries = readZip(original);
      const work = await tmp('pp-flip-');
      const file = join(work, 'plantproof-evidence-20261122T081500Z.zip');
      // every byte of every header and of the central directory, a close stride through
      // manifest.json and manifest.sig, and a stride through all compressed data
      const positions = new Set<number>();
      const cdStart = original.readUInt32LE(original.length - 6);
      for (let i = cdStart; i < original.length; i++) positions.add(i);
      for (const e of entries) {
        const dataAt = e.stored.byteOffset - original.byteOffset;
        const headerAt = dataAt - 30 - Buffer.byteLength(e.name);
        for (let i = headerAt; i < dataAt; i++) positions.add(i);
        const whole = e.name.endsWith('/manifest.json') || e.name.endsWith('/manifest.sig');
        const step = whole ? manifestStep : Math.max(1, Math.floor(e.stored.length / 8));
        for (let i = 0; i < e.stored.length; i += step) positions.add(dataAt + i);
        positions.add(dataAt + e.stored.length - 1);
      }
      let checked = 0;
      for (const pos of [...positions].sort((a, b) => a - b)) {
        for (const mask of masks) {
          const b = Buffer.from(original);
          b[pos]! ^= mask;
          await writeFile(file, b);
          const report = await verifyBundle(file, { publicKey });
          if (report.ok)
            throw new Error(`flip of bit ${mask} at byte ${pos} of ${original.length} not caught`);
          checked += 1;
        }
      }
      expect(checked).toBe(positions.size * masks.length);
      // truncation and appended bytes
      for (const cut of [1, 22, 100, Math.floor(original.length / 2)]) {
        await writeFile(file, original.subarray(0, original.length - cut));
        expect((await verifyBundle(file, { publicKey })).ok).toBe(false);
      }
      await writeFile(file, Buffer.concat([original, Buffer.from('x')]));
      expect((await verifyBundle(file, { publicKey })).ok).toBe(false);
    }
  }, 600_000);

  it('catches files added to or removed from a zip', async () => {
    const { readZip, zipChunks, makeEntry } = await import('./zip.js');
    const original = await readFile(signed.zipFile!);
    const entries = readZip(original);
    const write = async (list: typeof entries) => {
      const file = join(await tmp('pp-zip-'), 'plantproof-evidence-20261122T081500Z.zip');
      await writeFile(file, Buffer.concat([...zipChunks(list, '2026-11-22T08:15:00.000Z')]));
      return verifyBundle(file, { publicKey: trusted });
    };
    // rebuilding the same entries gives the same, valid archive
    expect((await write(entries)).ok).toBe(true);
    for (let i = 0; i < entries.length; i++) {
      const report = await write(entries.filter((_, j) => j !== i));
      expect(report.ok).toBe(false);
    }
    const extra = makeEntry('plantproof-evidence-20261122T081500Z/extra.txt', Buffer.from('x'), 'deflate');
    expect((await write([...entries, extra])).ok).toBe(false);
    const outside = makeEntry('elsewhere/readme.txt', Buffer.from('x'), 'store');
    expect((await write([...entries, outside])).ok).toBe(false);
    // the same content stored instead of deflated is not the pinned archive either
    const snapIdx = entries.findIndex((e) => e.name.endsWith('/snapshot.json'));
    const { inflateEntry } = await import('./zip.js');
    const stored = makeEntry(entries[snapIdx]!.name, inflateEntry(entries[snapIdx]!), 'store');
    expect((await write(entries.map((e, i) => (i === snapIdx ? stored : e)))).ok).toBe(false);
  });
});
