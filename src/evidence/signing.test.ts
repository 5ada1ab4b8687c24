import { execFileSync } from 'node:child_process';
import { generateKeyPairSync } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError } from '../errors.js';
import {
  generateSigningKeyFiles,
  loadPublicKey,
  loadSigningKey,
  SIGNING_KEY_ENV,
  signBytes,
  verifyBytes,
} from './signing.js';

const hasOpenssl = (() => {
  try {
    execFileSync('openssl', ['version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
})();

describe('signing keys', () => {
  it('keygen writes a private key only its owner can read and never overwrites', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'pp-keys-'));
    const keys = await generateSigningKeyFiles(dir);
    expect((await stat(keys.privateKeyFile)).mode & 0o777).toBe(0o600);
    expect(await readFile(keys.privateKeyFile, 'utf8')).toMatch(/^-----BEGIN PRIVATE KEY-----/);
    expect(await readFile(keys.publicKeyFile, 'utf8')).toMatch(/^-----BEGIN PUBLIC KEY-----/);
    const before = await readFile(keys.privateKeyFile);
    await expect(generateSigningKeyFiles(dir)).rejects.toBeInstanceOf(ConfigError);
    expect((await readFile(keys.privateKeyFile)).equals(before)).toBe(true);
    const loaded = await loadSigningKey({ file: keys.privateKeyFile });
    expect(loaded?.keyId).toBe(keys.keyId);
    expect((await loadPublicKey(keys.publicKeyFile)).keyId).toBe(keys.keyId);
  });

  it('takes the key from a file first, else from the environment (PEM or base64 of it), else none', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'pp-keys-'));
    const keys = await generateSigningKeyFiles(dir);
    const pem = await readFile(keys.privateKeyFile, 'utf8');
    expect(await loadSigningKey({ env: {} })).toBeNull();
    expect((await loadSigningKey({ env: { [SIGNING_KEY_ENV]: pem } }))?.keyId).toBe(keys.keyId);
    const b64 = Buffer.from(pem).toString('base64');
    expect((await loadSigningKey({ env: { [SIGNING_KEY_ENV]: b64 } }))?.origin).toBe(`$${SIGNING_KEY_ENV}`);
    const other = await generateSigningKeyFiles(await mkdtemp(join(tmpdir(), 'pp-keys-')));
    expect(
      (await loadSigningKey({ file: other.privateKeyFile, env: { [SIGNING_KEY_ENV]: pem } }))?.keyId,
    ).toBe(other.keyId);
  });

  it('rejects what is not an Ed25519 private key, without echoing it', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'pp-keys-'));
    const rsa = String(
      generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({ type: 'pkcs8', format: 'pem' }),
    );
    await writeFile(join(dir, 'rsa.pem'), rsa);
    await expect(loadSigningKey({ file: join(dir, 'rsa.pem') })).rejects.toThrow(/rsa, not Ed25519/);
    const err = await loadSigningKey({ env: { [SIGNING_KEY_ENV]: 'not-a-key-s3cr3t' } }).catch(
      (e: Error) => e,
    );
    expect(err).toBeInstanceOf(ConfigError);
    expect((err as Error).message).not.toContain('s3cr3t');
    expect((err as Error).message).toContain(`$${SIGNING_KEY_ENV}`);
    await expect(loadSigningKey({ file: join(dir, 'missing.pem') })).rejects.toThrow(
      /cannot read the signing key/,
    );
  });

  it('signs deterministically and verifies', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'pp-keys-'));
    const key = (await loadSigningKey({ file: (await generateSigningKeyFiles(dir)).privateKeyFile }))!;
    const data = Buffer.from('manifest bytes');
    const sig = signBytes(key, data);
    expect(signBytes(key, data)).toBe(sig);
    expect(verifyBytes(key.publicKey, data, sig)).toBe(true);
    expect(verifyBytes(key.publicKey, Buffer.from('manifest bytez'), sig)).toBe(false);
    const other = sig[10] === 'A' ? 'B' : 'A';
    expect(verifyBytes(key.publicKey, data, `${sig.slice(0, 10)}${other}${sig.slice(11)}`)).toBe(false);
  });

  it.skipIf(!hasOpenssl)(
    'the signature checks out with OpenSSL, as README.txt tells an auditor',
    async () => {
      const dir = await mkdtemp(join(tmpdir(), 'pp-keys-'));
      const keys = await generateSigningKeyFiles(dir);
      const key = (await loadSigningKey({ file: keys.privateKeyFile }))!;
      const data = Buffer.from('{"name":"plantproof-evidence-20261122T081500Z"}\n');
      await writeFile(join(dir, 'manifest.json'), data);
      await writeFile(join(dir, 'manifest.sig.bin'), Buffer.from(signBytes(key, data), 'base64'));
      const out = execFileSync(
        'openssl',
        [
          'pkeyutl',
          '-verify',
          '-pubin',
          '-inkey',
          keys.publicKeyFile,
          '-rawin',
          '-in',
          join(dir, 'manifest.json'),
          '-sigfile',
          join(dir, 'manifest.sig.bin'),
        ],
        { encoding: 'utf8' },
      );
      expect(out).toMatch(/Signature Verified Successfully/);
      expect(existsSync(keys.publicKeyFile)).toBe(true);
    },
  );
});
