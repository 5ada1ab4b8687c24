import net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestPki, issueStandardSet, type Pki } from '../../../test/servers/certs.js';
import { findSlapd, type RunningSlapd, startTestDirectory } from '../../../test/servers/slapd.js';
import {
  findProgram,
  type RunningServer,
  startGarbageServer,
  startNginx,
  startNodeTlsServer,
  startOpensslServer,
  startSilentServer,
} from '../../../test/servers/tls-servers.js';
import {
  type Endpoint,
  type ProbeSettings,
  parseExtendedResponse,
  parseHsts,
  probeEndpoint,
  signatureAlgorithmOf,
} from './probe.js';
import type { TlsService } from './schema.js';

let pki: Pki;
let certs: Awaited<ReturnType<typeof issueStandardSet>>;
const started: Array<{ close(): Promise<void> } | { stop(): Promise<void> }> = [];

beforeAll(async () => {
  pki = await createTestPki();
  certs = await issueStandardSet(pki);
}, 30_000);

afterAll(async () => {
  for (const s of started.reverse()) await ('close' in s ? s.close() : s.stop());
  await pki?.cleanup();
});

async function keep<T extends RunningServer>(p: Promise<T>): Promise<T> {
  const s = await p;
  started.push(s);
  return s;
}

const settings = (over: Partial<ProbeSettings> = {}): ProbeSettings => ({
  timeoutMs: 3000,
  ca: pki.ca.cert,
  probeWeakCiphers: true,
  ...over,
});
const at = (s: { port: number }, service: TlsService = 'tls', extra: Partial<Endpoint> = {}): Endpoint => ({
  host: '127.0.0.1',
  port: s.port,
  service,
  servername: 'localhost',
  ...extra,
});
const accepted = (r: Awaited<ReturnType<typeof probeEndpoint>>) =>
  (['1.0', '1.1', '1.2', '1.3'] as const).filter((v) => r.versions[v]?.accepted === true);

describe('Node TLS servers with chosen versions and certificates', () => {
  it('reads a modern HTTPS server: TLS 1.2 and 1.3, its certificate and HSTS', async () => {
    const s = await keep(
      startNodeTlsServer({
        cert: certs.valid.cert,
        key: certs.valid.key,
        https: { hsts: 'max-age=31536000; includeSubDomains' },
      }),
    );
    const r = await probeEndpoint(at(s, 'https'), settings());
    expect(r.problems).toEqual([]);
    expect(accepted(r)).toEqual(['1.2', '1.3']);
    expect(r.versions['1.3']).toMatchObject({
      accepted: true,
      cipher: expect.stringMatching(/^TLS_AES_|^TLS_CHACHA20/),
    });
    expect(r.weakCiphers).toEqual([]);
    expect(r.certificate).toMatchObject({
      subject: 'O=Acme Plant, CN=localhost',
      sans: ['localhost', '127.0.0.1'],
      issuer: 'O=plantproof tests, CN=plantproof tests CA',
      keyType: 'EC',
      keyBits: 256,
      signatureAlgorithm: 'sha256WithRSAEncryption',
      selfSigned: false,
      hostnameMatches: true,
      chainValid: true,
      chainError: null,
    });
    expect(r.hsts).toEqual({
      header: 'max-age=31536000; includeSubDomains',
      maxAgeSeconds: 31536000,
      includeSubDomains: true,
    });
  });

  it('tells TLS 1.3-only and TLS 1.2-only servers apart', async () => {
    const v13 = await keep(
      startNodeTlsServer({ cert: certs.valid.cert, key: certs.valid.key, minVersion: 'TLSv1.3' }),
    );
    const v12 = await keep(
      startNodeTlsServer({
        cert: certs.valid.cert,
        key: certs.valid.key,
        minVersion: 'TLSv1.2',
        maxVersion: 'TLSv1.2',
      }),
    );
    expect(accepted(await probeEndpoint(at(v13), settings()))).toEqual(['1.3']);
    expect(accepted(await probeEndpoint(at(v12), settings()))).toEqual(['1.2']);
  });

  it('reports an expired, a self-signed, a wrong-host and a weak-key certificate', async () => {
    const probe = async (c: { cert: string; key: string }) =>
      (await probeEndpoint(at(await keep(startNodeTlsServer({ cert: c.cert, key: c.key }))), settings()))
        .certificate;
    const expired = await probe(certs.expired);
    expect(expired).toMatchObject({
      chainValid: false,
      chainError: 'CERT_HAS_EXPIRED',
      hostnameMatches: true,
    });
    expect(Date.parse(expired?.notAfter ?? '')).toBeLessThan(Date.now());
    expect(await probe(certs.selfSigned)).toMatchObject({
      selfSigned: true,
      chainValid: false,
      chainError: 'DEPTH_ZERO_SELF_SIGNED_CERT',
    });
    expect(await probe(certs.wrongHost)).toMatchObject({
      hostnameMatches: false,
      chainValid: true,
      sans: ['wrong.example'],
    });
    expect(await probe(certs.weakKey)).toMatchObject({ keyType: 'RSA', keyBits: 1024, chainValid: true });
  });

  it("verifies against Node's built-in roots when no CA bundle is configured", async () => {
    const s = await keep(startNodeTlsServer({ cert: certs.valid.cert, key: certs.valid.key }));
    const r = await probeEndpoint(at(s), settings({ ca: undefined }));
    // the test CA is not in the Mozilla store Node ships, and the server sends no intermediate
    expect(r.certificate).toMatchObject({
      chainValid: false,
      chainError: 'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
    });
  });
});

describe('openssl s_server at security level 0', () => {
  it('finds a TLS 1.0-only server and its CBC-SHA1 suites', async () => {
    const s = await keep(
      startOpensslServer({
        certFile: certs.rsa.certFile,
        keyFile: certs.rsa.keyFile,
        args: ['-tls1', '-cipher', 'DEFAULT:@SECLEVEL=0'],
      }),
    );
    const r = await probeEndpoint(at(s, 'https'), settings());
    expect(accepted(r)).toEqual(['1.0']);
    expect(r.versions['1.2']).toMatchObject({ accepted: false });
    const weak = r.weakCiphers.map((w) => `${w.version} ${w.cipher} ${w.weakness}`);
    expect(weak).toContain('1.0 TLS_RSA_WITH_AES_128_CBC_SHA cbc-sha1');
    expect(weak).toContain('1.0 TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA cbc-sha1');
    expect(r.certificate).toMatchObject({ keyType: 'RSA', keyBits: 2048, chainValid: true });
    expect(r.hsts).toMatchObject({ header: null });
  });

  it('finds NULL and anonymous suites a misconfigured server accepts under TLS 1.2', async () => {
    const s = await keep(
      startOpensslServer({
        certFile: certs.rsa.certFile,
        keyFile: certs.rsa.keyFile,
        args: ['-no_tls1_3', '-cipher', 'ALL:eNULL:@SECLEVEL=0'],
      }),
    );
    const r = await probeEndpoint(at(s), settings());
    expect(accepted(r)).toEqual(['1.0', '1.1', '1.2']);
    const at12 = r.weakCiphers.filter((w) => w.version === '1.2').map((w) => w.weakness);
    expect(at12).toContain('null');
    expect(at12).toContain('anon');
    expect(at12).not.toContain('cbc-sha1');
  });

  it('can be turned gentle: no weak-suite enumeration, only the negotiated suite judged', async () => {
    const s = await keep(
      startOpensslServer({
        certFile: certs.rsa.certFile,
        keyFile: certs.rsa.keyFile,
        args: ['-tls1', '-cipher', 'DEFAULT:@SECLEVEL=0'],
      }),
    );
    let connections = 0;
    const r = await probeEndpoint(
      at(s),
      settings({ probeWeakCiphers: false, onConnection: () => connections++ }),
    );
    expect(r.weakCiphers).toHaveLength(1);
    expect(connections).toBeLessThanOrEqual(7);
  });
});

// Debian's nginx-light; without it these fail, unless PLANTPROOF_SKIP_SERVER_TESTS=1
describe.skipIf(!findProgram('nginx') && process.env.PLANTPROOF_SKIP_SERVER_TESTS === '1')('nginx', () => {
  it('modern configuration: TLS 1.2/1.3, AEAD suites, HSTS', async () => {
    const s = await keep(
      startNginx({
        certFile: certs.rsa.certFile,
        keyFile: certs.rsa.keyFile,
        protocols: 'TLSv1.2 TLSv1.3',
        ciphers: 'ECDHE+AESGCM:ECDHE+CHACHA20',
        hsts: 'max-age=63072000',
      }),
    );
    const r = await probeEndpoint(at(s, 'https'), settings());
    expect(r.problems).toEqual([]);
    expect(accepted(r)).toEqual(['1.2', '1.3']);
    expect(r.weakCiphers).toEqual([]);
    expect(r.hsts).toMatchObject({ maxAgeSeconds: 63072000, includeSubDomains: false });
  });

  it('legacy configuration: TLS 1.0-1.2 with CBC-SHA1 suites under the old versions', async () => {
    const s = await keep(
      startNginx({
        certFile: certs.rsa.certFile,
        keyFile: certs.rsa.keyFile,
        protocols: 'TLSv1 TLSv1.1 TLSv1.2',
        ciphers: 'DEFAULT:@SECLEVEL=0',
      }),
    );
    const r = await probeEndpoint(at(s, 'https'), settings());
    expect(accepted(r)).toEqual(['1.0', '1.1', '1.2']);
    const versions = new Set(r.weakCiphers.map((w) => w.version));
    expect([...versions].sort()).toEqual(['1.0', '1.1']);
    expect(r.hsts?.maxAgeSeconds ?? null).toBeNull();
  });
});

describe.skipIf(!findSlapd() && process.env.PLANTPROOF_SKIP_SERVER_TESTS === '1')('LDAP', () => {
  let slapd: RunningSlapd;
  beforeAll(async () => {
    slapd = await startTestDirectory(pki);
    started.push(slapd);
  }, 30_000);

  it('probes LDAP over StartTLS and LDAPS', async () => {
    const starttls = await probeEndpoint(at({ port: slapd.port }, 'ldap+starttls'), settings());
    expect(starttls.problems).toEqual([]);
    expect(accepted(starttls)).toContain('1.2');
    expect(starttls.certificate).toMatchObject({ subject: 'O=Acme Plant, CN=localhost', chainValid: true });
    const ldaps = await probeEndpoint(at({ port: slapd.ldapsPort! }, 'ldaps'), settings());
    expect(accepted(ldaps)).toEqual(accepted(starttls));
  });

  it('reports a server that refuses StartTLS, or is not LDAP', async () => {
    // ExtendedResponse, message 1, resultCode 2 (protocolError)
    const refuse = Buffer.from('300c02010178070a010204000400', 'hex');
    const refusing = await keep(startGarbageServer(refuse, { waitForData: true }));
    const r = await probeEndpoint(at(refusing, 'ldap+starttls'), settings());
    expect(r.reachable).toBe(true);
    expect(r.problems.join()).toMatch(/refused StartTLS \(LDAP result 2\)/);
    const silent = await keep(startSilentServer());
    const quiet = await probeEndpoint(at(silent, 'ldap+starttls'), settings({ timeoutMs: 300 }));
    expect(quiet.reachable).toBe(true);
    expect(quiet.problems.join()).toMatch(/did not answer the LDAP StartTLS request within 300 ms/);
    const smtp = await keep(startGarbageServer('220 mail.example ESMTP\r\n', { waitForData: true }));
    expect((await probeEndpoint(at(smtp, 'ldap+starttls'), settings())).problems.join()).toMatch(
      /did not answer StartTLS in LDAP|closed the connection/,
    );
  });
});

/**
 * A scripted endpoint that picks TLS_RSA_WITH_3DES_EDE_CBC_SHA whenever it is offered: no OpenSSL
 * build here can serve 3DES, so this is how the handcrafted-hello path is exercised end to end.
 */
function start3desOnlyServer(): Promise<RunningServer> {
  const server = net.createServer((socket) => {
    socket.on('error', () => undefined);
    socket.once('data', (hello: Buffer) => {
      const version = hello.readUInt16BE(9);
      const sidLen = hello[43] ?? 0;
      const suitesLen = hello.readUInt16BE(44 + sidLen);
      const suites: number[] = [];
      for (let i = 0; i < suitesLen; i += 2) suites.push(hello.readUInt16BE(46 + sidLen + i));
      if (!suites.includes(0x000a) || version > 0x0303) {
        socket.end(Buffer.from([0x15, 0x03, 0x01, 0x00, 0x02, 0x02, 40]));
        return;
      }
      const body = Buffer.concat([
        Buffer.from([version >> 8, version & 0xff]),
        Buffer.alloc(32, 7),
        Buffer.from([0, 0x00, 0x0a, 0]),
      ]);
      const hs = Buffer.concat([Buffer.from([2, 0, 0, body.length]), body]);
      socket.end(Buffer.concat([Buffer.from([0x16, 0x03, 0x01, 0, hs.length]), hs]));
    });
  });
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () =>
      resolve({
        host: '127.0.0.1',
        port: (server.address() as net.AddressInfo).port,
        close: () => new Promise<void>((done) => server.close(() => done())),
      }),
    ),
  );
}

describe('suites Node cannot speak', () => {
  it('detects a 3DES-only server with handcrafted ClientHellos', async () => {
    const s = await keep(start3desOnlyServer());
    const r = await probeEndpoint(at(s), settings());
    expect(accepted(r)).toEqual(['1.0', '1.1', '1.2']);
    expect(r.versions['1.2']).toEqual({
      accepted: true,
      cipher: 'TLS_RSA_WITH_3DES_EDE_CBC_SHA',
      via: 'hello',
    });
    expect(new Set(r.weakCiphers.map((w) => w.weakness))).toEqual(new Set(['3des']));
    expect(r.certificate).toBeNull();
    expect(r.problems.join()).toMatch(/certificate not read/);
  });
});

describe('helpers', () => {
  it('parses HSTS headers and LDAP extended responses', () => {
    expect(parseHsts('max-age="600"; includeSubDomains; preload')).toEqual({
      maxAgeSeconds: 600,
      includeSubDomains: true,
    });
    expect(parseHsts('includeSubDomains')).toEqual({ maxAgeSeconds: null, includeSubDomains: true });
    expect(parseExtendedResponse(Buffer.from('300c02010178070a010004000400', 'hex'))).toBe(0);
    expect(parseExtendedResponse(Buffer.from('300c0201', 'hex'))).toBe('more');
    expect(parseExtendedResponse(Buffer.from('HTTP/1.1'))).toBeNull();
  });

  it('reads the signature algorithm of a certificate', () => {
    const der = Buffer.from(pki.ca.cert.replace(/-----[^-]+-----|\s/g, ''), 'base64');
    expect(signatureAlgorithmOf(der)).toBe('sha256WithRSAEncryption');
    expect(signatureAlgorithmOf(Buffer.from([1, 2, 3]))).toBeNull();
  });
});
