import {
  createHash,
  createPrivateKey,
  createPublicKey,
  generateKeyPairSync,
  type KeyObject,
  sign,
  verify,
} from 'node:crypto';
import { constants } from 'node:fs';
import { access, mkdir, open, readFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { ConfigError } from '../errors.js';

/** The environment variable a CI secret puts the signing key in (PKCS#8 PEM, or that PEM base64-encoded). */
export const SIGNING_KEY_ENV = 'PLANTPROOF_SIGNING_KEY';
export const PRIVATE_KEY_FILE = 'plantproof-signing.key';
export const PUBLIC_KEY_FILE = 'plantproof-signing.pub.pem';

export interface SigningKey {
  privateKey: KeyObject;
  publicKey: KeyObject;
  /** sha256 of the DER SubjectPublicKeyInfo, hex */
  keyId: string;
  publicKeyPem: string;
  /** where it came from, for messages: a file name or the environment variable; never the key */
  origin: string;
}

export function keyIdOf(publicKey: KeyObject): string {
  return createHash('sha256')
    .update(publicKey.export({ type: 'spki', format: 'der' }))
    .digest('hex');
}

function publicPem(key: KeyObject): string {
  return String(key.export({ type: 'spki', format: 'pem' }));
}

function asEd25519Private(material: string | Buffer, origin: string): SigningKey {
  let privateKey: KeyObject;
  try {
    const text = Buffer.isBuffer(material) ? material.toString('utf8') : material;
    if (text.includes('-----BEGIN')) {
      privateKey = createPrivateKey({ key: text, format: 'pem' });
    } else {
      // A CI secret may hold the PEM base64-encoded on one line, or the DER itself in base64.
      const decoded = Buffer.from(text.trim(), 'base64');
      privateKey = decoded.toString('latin1').includes('-----BEGIN')
        ? createPrivateKey({ key: decoded.toString('utf8'), format: 'pem' })
        : createPrivateKey({ key: decoded, format: 'der', type: 'pkcs8' });
    }
  } catch (err) {
    throw new ConfigError(
      `not a private key (expected Ed25519, PKCS#8 PEM as written by plantproof keygen): ${(err as Error).message.split('\n')[0]}`,
      { file: origin },
    );
  }
  if (privateKey.asymmetricKeyType !== 'ed25519')
    throw new ConfigError(`the signing key is ${privateKey.asymmetricKeyType ?? 'unknown'}, not Ed25519`, {
      file: origin,
    });
  const publicKey = createPublicKey(privateKey);
  return { privateKey, publicKey, keyId: keyIdOf(publicKey), publicKeyPem: publicPem(publicKey), origin };
}

/**
 * The signing key: `--key FILE` when given, else the environment variable, else none (the bundle
 * is written unsigned and says so). The key is only ever held in memory.
 */
export async function loadSigningKey(opts: {
  file?: string;
  env?: NodeJS.ProcessEnv;
}): Promise<SigningKey | null> {
  if (opts.file) {
    let bytes: Buffer;
    try {
      bytes = await readFile(opts.file);
    } catch (err) {
      throw new ConfigError(
        `cannot read the signing key: ${(err as NodeJS.ErrnoException).code ?? String(err)}`,
        {
          file: opts.file,
        },
      );
    }
    return asEd25519Private(bytes, opts.file);
  }
  const fromEnv = (opts.env ?? process.env)[SIGNING_KEY_ENV];
  if (fromEnv && fromEnv.trim() !== '') return asEd25519Private(fromEnv, `$${SIGNING_KEY_ENV}`);
  return null;
}

export function signingKeyFromPem(pem: string, origin = '(key)'): SigningKey {
  return asEd25519Private(pem, origin);
}

export async function loadPublicKey(file: string): Promise<{ key: KeyObject; keyId: string }> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    throw new ConfigError(
      `cannot read the public key: ${(err as NodeJS.ErrnoException).code ?? String(err)}`,
      {
        file,
      },
    );
  }
  return parsePublicKey(text, file);
}

export function parsePublicKey(text: string, origin: string): { key: KeyObject; keyId: string } {
  let key: KeyObject;
  try {
    key = createPublicKey({ key: text, format: 'pem' });
  } catch (err) {
    throw new ConfigError(
      `not a public key (expected an Ed25519 PEM): ${(err as Error).message.split('\n')[0]}`,
      {
        file: origin,
      },
    );
  }
  if (key.asymmetricKeyType !== 'ed25519')
    throw new ConfigError(`the public key is ${key.asymmetricKeyType ?? 'unknown'}, not Ed25519`, {
      file: origin,
    });
  return { key, keyId: keyIdOf(key) };
}

/** Ed25519 is deterministic: the same key and bytes always give the same signature. */
export function signBytes(key: SigningKey, data: Uint8Array): string {
  return sign(null, data, key.privateKey).toString('base64');
}

export function verifyBytes(publicKey: KeyObject, data: Uint8Array, signatureBase64: string): boolean {
  const sig = Buffer.from(signatureBase64, 'base64');
  if (sig.length !== 64 || sig.toString('base64') !== signatureBase64) return false;
  try {
    return verify(null, data, publicKey, sig);
  } catch {
    return false;
  }
}

export interface GeneratedKeyFiles {
  privateKeyFile: string;
  publicKeyFile: string;
  keyId: string;
}

/**
 * A new Ed25519 key pair in `dir`: the private key (PKCS#8 PEM, mode 0600) and the public key.
 * Existing files are never overwritten.
 */
export async function generateSigningKeyFiles(dir: string): Promise<GeneratedKeyFiles> {
  const out = resolve(dir);
  await mkdir(out, { recursive: true });
  const { privateKey, publicKey } = generateKeyPairSync('ed25519');
  const privateKeyFile = join(out, PRIVATE_KEY_FILE);
  const publicKeyFile = join(out, PUBLIC_KEY_FILE);
  for (const file of [privateKeyFile, publicKeyFile]) {
    const there = await access(file).then(
      () => true,
      () => false,
    );
    if (there)
      throw new ConfigError('already exists; a key is never overwritten (move it away first)', { file });
  }
  const create = async (file: string, data: string, mode: number) => {
    let handle: Awaited<ReturnType<typeof open>>;
    try {
      handle = await open(file, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL, mode);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'EEXIST')
        throw new ConfigError('already exists; a key is never overwritten (move it away first)', { file });
      throw err;
    }
    try {
      await handle.writeFile(data);
    } finally {
      await handle.close();
    }
  };
  await create(privateKeyFile, String(privateKey.export({ type: 'pkcs8', format: 'pem' })), 0o600);
  await create(publicKeyFile, publicPem(publicKey), 0o644);
  return { privateKeyFile, publicKeyFile, keyId: keyIdOf(publicKey) };
}
