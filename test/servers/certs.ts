import type { Pki } from '../../src/demo/tls.js';
import { createPki } from '../../src/demo/tls.js';

export type { CertFiles, IssueOptions, Pki } from '../../src/demo/tls.js';

const DAY = 24 * 3600 * 1000;

/** A CA for one test file; call cleanup() in afterAll. */
export function createTestPki(): Promise<Pki> {
  return createPki('plantproof-test-pki-', 'plantproof tests');
}

/** The usual set for TLS tests: valid, expired, self-signed, wrong host and a 1024-bit RSA key. */
export async function issueStandardSet(pki: Pki) {
  const local = ['DNS:localhost', 'IP:127.0.0.1'];
  const DAYS = (n: number) => new Date(Date.now() + n * DAY);
  const [valid, rsa, expired, selfSigned, wrongHost, weakKey] = await Promise.all([
    pki.issue({ name: 'valid', cn: 'localhost', sans: local }),
    pki.issue({ name: 'rsa', cn: 'localhost', sans: local, key: 'rsa:2048' }),
    pki.issue({ name: 'expired', cn: 'localhost', sans: local, notBefore: DAYS(-400), notAfter: DAYS(-35) }),
    pki.issue({ name: 'self-signed', cn: 'localhost', sans: local, selfSigned: true }),
    pki.issue({ name: 'wrong-host', cn: 'wrong.example', sans: ['DNS:wrong.example'] }),
    pki.issue({ name: 'weak-key', cn: 'localhost', sans: local, key: 'rsa:1024' }),
  ]);
  return { valid, rsa, expired, selfSigned, wrongHost, weakKey };
}
