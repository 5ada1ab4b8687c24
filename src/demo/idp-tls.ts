import { execFile } from 'node:child_process';
import { rmSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

/**
 * A throw-away certificate authority and one server certificate for 127.0.0.1 / localhost, made
 * with the openssl CLI the first time a local identity-provider stand-in (Okta, Microsoft Graph)
 * starts. Collectors trust it only through their `caFile` option, never process-wide.
 */
export interface LocalTls {
  /** PEM of the CA certificate: what a client must trust */
  ca: string;
  /** path of the CA certificate, for a collector's `caFile` option */
  caFile: string;
  key: string;
  cert: string;
}

let pending: Promise<LocalTls | null> | undefined;

/** The process-wide local CA, or null when openssl is not installed (the stand-ins then speak plain HTTP). */
export function localTls(): Promise<LocalTls | null> {
  pending ??= createLocalTls('identity-provider').then(
    (tls) => {
      process.once('exit', () => rmSync(tls.dir, { recursive: true, force: true }));
      return tls;
    },
    () => null,
  );
  return pending;
}

const caConfig = (label: string) => `[req]
distinguished_name = dn
prompt = no
[dn]
CN = plantproof local ${label} test CA
[v3_ca]
basicConstraints = critical,CA:TRUE
keyUsage = critical,keyCertSign,cRLSign
subjectKeyIdentifier = hash
`;

const LEAF_EXTENSIONS = `basicConstraints = CA:FALSE
keyUsage = critical,digitalSignature
extendedKeyUsage = serverAuth
subjectAltName = IP:127.0.0.1,DNS:localhost
`;

/**
 * A new CA and server certificate in a temporary folder of its own; the caller removes `dir`
 * (or calls `remove`). Throws when openssl is missing or fails.
 */
export async function createLocalTls(
  label: string,
): Promise<LocalTls & { dir: string; remove(): Promise<void> }> {
  const dir = await mkdtemp(join(tmpdir(), 'plantproof-local-tls-'));
  const remove = () => rm(dir, { recursive: true, force: true });
  try {
    return { ...(await issue(dir, label)), dir, remove };
  } catch (err) {
    await remove();
    throw err;
  }
}

async function issue(dir: string, label: string): Promise<LocalTls> {
  const file = (name: string) => join(dir, name);
  const ec = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes'];
  await writeFile(file('ca.cnf'), caConfig(label));
  await writeFile(file('leaf.cnf'), LEAF_EXTENSIONS);
  await run('openssl', [
    'req',
    '-x509',
    ...ec,
    '-keyout',
    file('ca.key'),
    '-out',
    file('ca.pem'),
    '-days',
    '7',
    '-sha256',
    '-config',
    file('ca.cnf'),
    '-extensions',
    'v3_ca',
  ]);
  await run('openssl', [
    'req',
    '-new',
    ...ec,
    '-keyout',
    file('server.key'),
    '-out',
    file('server.csr'),
    '-subj',
    '/CN=127.0.0.1',
  ]);
  await run('openssl', [
    'x509',
    '-req',
    '-in',
    file('server.csr'),
    '-CA',
    file('ca.pem'),
    '-CAkey',
    file('ca.key'),
    '-set_serial',
    `0x${Date.now().toString(16)}`,
    '-days',
    '7',
    '-sha256',
    '-extfile',
    file('leaf.cnf'),
    '-out',
    file('server.pem'),
  ]);
  return {
    ca: await readFile(file('ca.pem'), 'utf8'),
    caFile: file('ca.pem'),
    key: await readFile(file('server.key'), 'utf8'),
    cert: await readFile(file('server.pem'), 'utf8'),
  };
}
