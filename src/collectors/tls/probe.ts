import { X509Certificate } from 'node:crypto';
import https from 'node:https';
import net from 'node:net';
import tls, { type PeerCertificate, type TLSSocket } from 'node:tls';
import type { TlsVersion } from '../../snapshot/schema.js';
import { allSuitesFor, suiteName, type Weakness, weaknessOf, weakSuitesFor } from './ciphers.js';
import { ALERTS, buildClientHello, type HelloReply, parseServerReply } from './hello.js';
import type { TlsService } from './schema.js';

export interface Endpoint {
  host: string;
  port: number;
  service: TlsService;
  servername?: string;
}

export interface ProbeSettings {
  timeoutMs: number;
  /** PEM trust anchors replacing Node's built-in store */
  ca?: string;
  probeWeakCiphers: boolean;
  signal?: AbortSignal;
  /** called for every TCP connection opened (the source's API-call count) */
  onConnection?: () => void;
}

export type VersionOutcome =
  | { accepted: true; cipher: string; via: 'handshake' | 'hello' }
  | { accepted: false; reason: string }
  /** no answer either way: timeout, or not TLS */
  | { accepted: null; reason: string };

export interface CertificateFacts {
  subject: string;
  sans: string[];
  issuer: string;
  notBefore: string;
  notAfter: string;
  keyType: string;
  keyBits: number | null;
  signatureAlgorithm: string | null;
  selfSigned: boolean;
  hostnameMatches: boolean;
  chainValid: boolean;
  chainError: string | null;
  fingerprint256: string;
  /** subject → issuer of every certificate the server sent, leaf first */
  chain: Array<{ subject: string; issuer: string; notAfter: string }>;
}

export interface ProbeResult {
  host: string;
  port: number;
  service: TlsService;
  servername: string | null;
  reachable: boolean;
  unreachableReason: string | null;
  versions: Partial<Record<TlsVersion, VersionOutcome>>;
  weakCiphers: Array<{ version: TlsVersion; cipher: string; weakness: Weakness }>;
  certificate: CertificateFacts | null;
  hsts: { header: string | null; maxAgeSeconds: number | null; includeSubDomains: boolean } | null;
  /** what could not be established; each becomes a gap of the source */
  problems: string[];
}

export const VERSIONS: readonly TlsVersion[] = ['1.3', '1.2', '1.1', '1.0'];
const NODE_VERSION: Record<TlsVersion, tls.SecureVersion> = {
  '1.0': 'TLSv1',
  '1.1': 'TLSv1.1',
  '1.2': 'TLSv1.2',
  '1.3': 'TLSv1.3',
};
const VERSION_OF_NODE: Record<string, TlsVersion> = {
  TLSv1: '1.0',
  'TLSv1.1': '1.1',
  'TLSv1.2': '1.2',
  'TLSv1.3': '1.3',
};
/** everything this OpenSSL has, down to security level 0: a prober must be able to speak to bad servers */
const PROBE_CIPHERS = 'ALL:@SECLEVEL=0';

/** Why a connection before any TLS did not work. */
export class ChannelError extends Error {
  constructor(
    readonly kind: 'unreachable' | 'timeout' | 'starttls' | 'garbage',
    message: string,
  ) {
    super(message);
  }
}

const label = (ep: Endpoint) => `${ep.host}:${ep.port}`;

function withTimeout<T>(ms: number, onTimeout: () => void, work: (done: (v: T) => void) => void): Promise<T> {
  return new Promise<T>((resolve) => {
    let settled = false;
    const done = (v: T) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      resolve(v);
    };
    const timer = setTimeout(() => {
      if (settled) return;
      onTimeout();
    }, ms);
    work(done);
  });
}

// ---------- channel: TCP, then StartTLS where the service needs it ----------

/** LDAPv3 StartTLS extended request (RFC 4511 4.14), message id 1 */
const STARTTLS_OID = '1.3.6.1.4.1.1466.20037';
export function ldapStartTlsRequest(): Buffer {
  const oid = Buffer.from(STARTTLS_OID, 'ascii');
  const name = Buffer.concat([Buffer.from([0x80, oid.length]), oid]);
  const op = Buffer.concat([Buffer.from([0x77, name.length]), name]);
  const body = Buffer.concat([Buffer.from([0x02, 0x01, 0x01]), op]);
  return Buffer.concat([Buffer.from([0x30, body.length]), body]);
}

/** BER length at `at`: [value, bytes used] or null when more data is needed */
function berLength(buf: Buffer, at: number): [number, number] | null {
  const first = buf[at];
  if (first === undefined) return null;
  if (first < 0x80) return [first, 1];
  const n = first & 0x7f;
  if (n === 0 || n > 4) return [-1, 1];
  if (buf.length < at + 1 + n) return null;
  return [buf.readUIntBE(at + 1, n), 1 + n];
}

/** The result code of an ExtendedResponse, 'more' if incomplete, or null if it is not one */
export function parseExtendedResponse(buf: Buffer): number | 'more' | null {
  if (buf.length < 2) return 'more';
  if (buf[0] !== 0x30) return null;
  const outer = berLength(buf, 1);
  if (!outer) return 'more';
  if (outer[0] < 0) return null;
  if (buf.length < 1 + outer[1] + outer[0]) return 'more';
  let at = 1 + outer[1];
  if (buf[at] !== 0x02) return null;
  const idLen = berLength(buf, at + 1);
  if (!idLen || idLen[0] < 0) return null;
  at += 1 + idLen[1] + idLen[0];
  if (buf[at] !== 0x78) return null;
  const opLen = berLength(buf, at + 1);
  if (!opLen || opLen[0] < 0) return null;
  at += 1 + opLen[1];
  if (buf[at] !== 0x0a || buf[at + 1] !== 0x01) return null;
  return buf[at + 2] ?? null;
}

async function startLdapTls(socket: net.Socket, ep: Endpoint, ms: number): Promise<void> {
  socket.write(ldapStartTlsRequest());
  const result = await withTimeout<number | 'timeout' | 'closed' | null>(
    ms,
    () =>
      socket.destroy(new ChannelError('timeout', `${label(ep)} did not answer the LDAP StartTLS request`)),
    (done) => {
      let data = Buffer.alloc(0);
      const onData = (chunk: Buffer) => {
        data = Buffer.concat([data, chunk]);
        const r = parseExtendedResponse(data);
        if (r === 'more') return;
        socket.off('data', onData);
        socket.pause();
        done(r);
      };
      socket.on('data', onData);
      socket.once('close', () => done('closed'));
      socket.once('error', (e) => done(e instanceof ChannelError ? 'timeout' : 'closed'));
    },
  );
  if (result === 0) return;
  socket.destroy();
  if (result === 'timeout')
    // reachable (TCP connected), but silent to StartTLS: not the same as a closed port
    throw new ChannelError(
      'starttls',
      `${label(ep)} did not answer the LDAP StartTLS request within ${ms} ms`,
    );
  if (result === 'closed')
    throw new ChannelError('starttls', `${label(ep)} closed the connection on StartTLS`);
  if (result === null) throw new ChannelError('garbage', `${label(ep)} did not answer StartTLS in LDAP`);
  throw new ChannelError('starttls', `${label(ep)} refused StartTLS (LDAP result ${result})`);
}

export async function openChannel(ep: Endpoint, s: ProbeSettings): Promise<net.Socket> {
  s.onConnection?.();
  const socket = net.connect({ host: ep.host, port: ep.port });
  const err = await withTimeout<Error | null>(
    s.timeoutMs,
    () => socket.destroy(),
    (done) => {
      socket.once('connect', () => done(null));
      socket.once('error', (e) => done(e));
      socket.once('close', () => done(new ChannelError('timeout', 'connect timed out')));
    },
  );
  if (err) {
    socket.destroy();
    const code = (err as NodeJS.ErrnoException).code;
    if (err instanceof ChannelError)
      throw new ChannelError('timeout', `${label(ep)}: no TCP connection within ${s.timeoutMs} ms`);
    throw new ChannelError('unreachable', `${label(ep)}: ${code ?? err.message}`);
  }
  socket.setNoDelay(true);
  if (ep.service === 'ldap+starttls') await startLdapTls(socket, ep, s.timeoutMs);
  return socket;
}

// ---------- one handshake with Node's OpenSSL ----------

interface Handshake {
  ok: true;
  version: TlsVersion | null;
  cipher: string;
  socket: TLSSocket;
}
type HandshakeResult = Handshake | { ok: false; timeout: boolean; reason: string };

function nodeHandshake(ep: Endpoint, version: TlsVersion, s: ProbeSettings, socket: net.Socket) {
  let timedOut = false;
  return withTimeout<HandshakeResult>(
    s.timeoutMs,
    () => {
      timedOut = true;
      socket.destroy();
    },
    (done) => {
      const servername = ep.servername ?? (net.isIP(ep.host) ? undefined : ep.host);
      const t = tls.connect({
        socket,
        servername,
        minVersion: NODE_VERSION[version],
        maxVersion: NODE_VERSION[version],
        ciphers: PROBE_CIPHERS,
        rejectUnauthorized: false,
        // `authorized` then speaks for the chain alone; the name is checked separately
        checkServerIdentity: () => undefined,
        ...(s.ca ? { ca: s.ca } : {}),
      });
      t.once('secureConnect', () => {
        const c = t.getCipher();
        const negotiated = VERSION_OF_NODE[t.getProtocol() ?? ''] ?? null;
        done({ ok: true, version: negotiated, cipher: c.standardName ?? c.name, socket: t });
      });
      t.once('error', (e: NodeJS.ErrnoException) => {
        done({ ok: false, timeout: false, reason: (e.code ?? e.message).replace(/^ERR_SSL_/, '') });
      });
      t.once('close', () =>
        done(
          timedOut
            ? { ok: false, timeout: true, reason: `no answer within ${s.timeoutMs} ms` }
            : { ok: false, timeout: false, reason: 'connection closed' },
        ),
      );
    },
  );
}

// ---------- one handcrafted ClientHello ----------

type RawReply = HelloReply | { kind: 'closed' } | { kind: 'timeout' };

async function sendHello(
  ep: Endpoint,
  version: Exclude<TlsVersion, '1.3'>,
  suites: number[],
  s: ProbeSettings,
): Promise<RawReply> {
  const socket = await openChannel(ep, s);
  const servername = ep.servername ?? (net.isIP(ep.host) ? undefined : ep.host);
  let timedOut = false;
  const reply = await withTimeout<RawReply>(
    s.timeoutMs,
    () => {
      timedOut = true;
      socket.destroy();
    },
    (done) => {
      let data = Buffer.alloc(0);
      socket.on('data', (chunk: Buffer) => {
        data = Buffer.concat([data, chunk]);
        const r = parseServerReply(data);
        if (r.kind !== 'incomplete') done(r);
      });
      socket.once('close', () => {
        if (timedOut) return done({ kind: 'timeout' });
        const r = parseServerReply(data);
        done(
          data.length === 0
            ? { kind: 'closed' }
            : r.kind === 'incomplete'
              ? { kind: 'garbage', sample: data.toString('hex') }
              : r,
        );
      });
      socket.once('error', () => undefined);
      socket.resume();
      socket.write(buildClientHello(version, suites, servername));
    },
  );
  socket.destroy();
  return reply;
}

// ---------- certificate ----------

const SIGNATURE_OIDS: Record<string, string> = {
  '1.2.840.113549.1.1.4': 'md5WithRSAEncryption',
  '1.2.840.113549.1.1.5': 'sha1WithRSAEncryption',
  '1.2.840.113549.1.1.11': 'sha256WithRSAEncryption',
  '1.2.840.113549.1.1.12': 'sha384WithRSAEncryption',
  '1.2.840.113549.1.1.13': 'sha512WithRSAEncryption',
  '1.2.840.113549.1.1.10': 'rsassaPss',
  '1.2.840.10045.4.1': 'ecdsa-with-SHA1',
  '1.2.840.10045.4.3.2': 'ecdsa-with-SHA256',
  '1.2.840.10045.4.3.3': 'ecdsa-with-SHA384',
  '1.2.840.10045.4.3.4': 'ecdsa-with-SHA512',
  '1.3.101.112': 'ED25519',
  '1.3.101.113': 'ED448',
  '1.2.840.10040.4.3': 'dsa-with-SHA1',
  '2.16.840.1.101.3.4.3.2': 'dsa-with-SHA256',
};

function derHeader(buf: Buffer, at: number): { tag: number; len: number; start: number } | null {
  const tag = buf[at];
  const l = berLength(buf, at + 1);
  if (tag === undefined || !l || l[0] < 0) return null;
  return { tag, len: l[0], start: at + 1 + l[1] };
}

/** The signatureAlgorithm OID of a DER certificate, by its OpenSSL name when known. */
export function signatureAlgorithmOf(der: Buffer): string | null {
  const cert = derHeader(der, 0);
  if (cert?.tag !== 0x30) return null;
  const tbs = derHeader(der, cert.start);
  if (!tbs) return null;
  const alg = derHeader(der, tbs.start + tbs.len);
  if (alg?.tag !== 0x30) return null;
  const oid = derHeader(der, alg.start);
  if (oid?.tag !== 0x06) return null;
  const bytes = der.subarray(oid.start, oid.start + oid.len);
  const parts: number[] = [];
  let value = 0;
  bytes.forEach((b, i) => {
    value = value * 128 + (b & 0x7f);
    if (b & 0x80) return;
    if (parts.length === 0 && i < bytes.length) {
      parts.push(value < 80 ? Math.floor(value / 40) : 2, value < 80 ? value % 40 : value - 80);
    } else parts.push(value);
    value = 0;
  });
  const dotted = parts.join('.');
  return SIGNATURE_OIDS[dotted] ?? dotted;
}

const CURVE_BITS: Record<string, number> = {
  prime256v1: 256,
  secp256r1: 256,
  secp384r1: 384,
  secp521r1: 521,
  secp256k1: 256,
  secp224r1: 224,
  prime192v1: 192,
};

function keyFacts(x: X509Certificate): { keyType: string; keyBits: number | null } {
  const key = x.publicKey;
  const details = key.asymmetricKeyDetails ?? {};
  switch (key.asymmetricKeyType) {
    case 'rsa':
      return { keyType: 'RSA', keyBits: details.modulusLength ?? null };
    case 'rsa-pss':
      return { keyType: 'RSA-PSS', keyBits: details.modulusLength ?? null };
    case 'dsa':
      return { keyType: 'DSA', keyBits: details.modulusLength ?? null };
    case 'ec': {
      const curve = details.namedCurve ?? '';
      return { keyType: 'EC', keyBits: CURVE_BITS[curve] ?? (Number(/\d+/.exec(curve)?.[0]) || null) };
    }
    case 'ed25519':
      return { keyType: 'Ed25519', keyBits: 256 };
    case 'ed448':
      return { keyType: 'Ed448', keyBits: 456 };
    default:
      return { keyType: key.asymmetricKeyType ?? 'unknown', keyBits: null };
  }
}

const oneLine = (dn: string) => dn.split('\n').filter(Boolean).join(', ');
const iso = (d: string) => new Date(d).toISOString();

export function certificateFacts(socket: TLSSocket, ep: Endpoint): CertificateFacts | null {
  // getPeerCertificate first: in Node 20, getPeerX509Certificate() empties what it returns afterwards
  const peer = socket.getPeerCertificate(true);
  if (!peer?.raw) return null;
  const x = new X509Certificate(peer.raw);
  let selfSigned = false;
  try {
    // not checkIssued(): it also wants keyCertSign, which self-signed server certificates rarely carry
    selfSigned = x.subject === x.issuer && x.verify(x.publicKey);
  } catch {
    selfSigned = false;
  }
  const name = ep.servername ?? ep.host;
  const chain: CertificateFacts['chain'] = [];
  let c: PeerCertificate | undefined = peer;
  const seen = new Set<string>();
  while (c && !seen.has(c.fingerprint256)) {
    seen.add(c.fingerprint256);
    chain.push({
      subject: oneLine(new X509Certificate(c.raw).subject),
      issuer: oneLine(new X509Certificate(c.raw).issuer),
      notAfter: iso(c.valid_to),
    });
    c = (c as tls.DetailedPeerCertificate).issuerCertificate;
  }
  return {
    subject: oneLine(x.subject),
    sans: (x.subjectAltName ?? '')
      .split(/,\s*/)
      .filter(Boolean)
      .map((s) => s.replace(/^(DNS|IP Address|URI|email):/, '')),
    issuer: oneLine(x.issuer),
    notBefore: iso(x.validFrom),
    notAfter: iso(x.validTo),
    ...keyFacts(x),
    signatureAlgorithm: signatureAlgorithmOf(x.raw),
    selfSigned,
    hostnameMatches: tls.checkServerIdentity(name, peer) === undefined,
    chainValid: socket.authorized,
    chainError: socket.authorized ? null : String(socket.authorizationError ?? 'not verified'),
    fingerprint256: x.fingerprint256,
    chain,
  };
}

// ---------- HSTS ----------

export function parseHsts(header: string): { maxAgeSeconds: number | null; includeSubDomains: boolean } {
  const parts = header.split(';').map((p) => p.trim().toLowerCase());
  const maxAge = parts.map((p) => /^max-age\s*=\s*"?(\d+)"?$/.exec(p)?.[1]).find((v) => v !== undefined);
  return {
    maxAgeSeconds: maxAge === undefined ? null : Number(maxAge),
    includeSubDomains: parts.includes('includesubdomains'),
  };
}

function fetchHsts(ep: Endpoint, s: ProbeSettings): Promise<{ header: string | null } | { error: string }> {
  return new Promise((resolve) => {
    const req = https.request({
      host: ep.host,
      port: ep.port,
      method: 'GET',
      path: '/',
      servername: ep.servername ?? (net.isIP(ep.host) ? undefined : ep.host),
      headers: { host: ep.servername ?? ep.host, 'user-agent': 'plantproof-tls-probe' },
      agent: false,
      rejectUnauthorized: false,
      minVersion: 'TLSv1',
      ciphers: PROBE_CIPHERS,
      timeout: s.timeoutMs,
    });
    req.on('response', (res) => {
      const v = res.headers['strict-transport-security'];
      resolve({ header: Array.isArray(v) ? (v[0] ?? null) : (v ?? null) });
      res.destroy();
    });
    req.on('timeout', () => req.destroy(new Error(`no HTTP answer within ${s.timeoutMs} ms`)));
    req.on('error', (e) => resolve({ error: e.message }));
    req.end();
  });
}

/** what a non-TLS server said: text when it is text (an HTTP error page, a banner), else hex */
function describeBytes(hex: string): string {
  const bytes = Buffer.from(hex, 'hex');
  const text = bytes.toString('latin1');
  return /^[\x20-\x7e\r\n\t]+$/.test(text) ? JSON.stringify(text.trim()) : `bytes ${hex.slice(0, 48)}`;
}

// ---------- one endpoint ----------

/** Everything the prober can learn about one endpoint. Never throws. */
export async function probeEndpoint(ep: Endpoint, s: ProbeSettings): Promise<ProbeResult> {
  const result: ProbeResult = {
    host: ep.host,
    port: ep.port,
    service: ep.service,
    servername: ep.servername ?? null,
    reachable: true,
    unreachableReason: null,
    versions: {},
    weakCiphers: [],
    certificate: null,
    hsts: null,
    problems: [],
  };
  const where = label(ep);
  let unanswered = 0;
  let notTls: string | null = null;

  for (const version of VERSIONS) {
    if (s.signal?.aborted) {
      result.problems.push(`${where}: probing was cancelled`);
      return result;
    }
    let socket: net.Socket;
    try {
      socket = await openChannel(ep, s);
    } catch (err) {
      const e = err as ChannelError;
      const firstContact = Object.keys(result.versions).length === 0;
      if (firstContact && (e.kind === 'unreachable' || e.kind === 'timeout')) {
        result.reachable = false;
        result.unreachableReason = e.message;
        return result;
      }
      result.versions[version] = { accepted: null, reason: e.message };
      result.problems.push(e.message);
      if (e.kind === 'starttls' || e.kind === 'garbage') return result;
      continue;
    }
    const hs = await nodeHandshake(ep, version, s, socket);
    if (hs.ok && hs.version === version) {
      result.versions[version] = { accepted: true, cipher: hs.cipher, via: 'handshake' };
      if (!result.certificate) result.certificate = certificateFacts(hs.socket, ep);
      hs.socket.destroy();
      continue;
    }
    if (hs.ok) hs.socket.destroy();
    const nodeReason = hs.ok ? `server chose TLS ${hs.version}` : hs.reason;
    if (version === '1.3') {
      const silent = !hs.ok && hs.timeout;
      result.versions[version] = silent
        ? { accepted: null, reason: nodeReason }
        : { accepted: false, reason: nodeReason };
      if (silent) unanswered++;
      continue;
    }
    if (!hs.ok && hs.timeout) {
      // silent to a proper ClientHello: ours would fare no better
      unanswered++;
      result.versions[version] = { accepted: null, reason: nodeReason };
      if (unanswered >= 2 && !VERSIONS.some((v) => result.versions[v]?.accepted)) break;
      continue;
    }
    // Node's OpenSSL may lack every suite the server has (RC4, 3DES): ask with a handcrafted hello
    let reply: RawReply;
    try {
      reply = await sendHello(
        ep,
        version,
        allSuitesFor(version).map((x) => x.code),
        s,
      );
    } catch (err) {
      reply = { kind: 'timeout' };
      result.problems.push((err as Error).message);
    }
    if (reply.kind === 'hello' && reply.version === version) {
      result.versions[version] = { accepted: true, cipher: suiteName(reply.cipher), via: 'hello' };
    } else if (reply.kind === 'hello' || reply.kind === 'alert' || reply.kind === 'closed') {
      const why =
        reply.kind === 'alert'
          ? `alert ${ALERTS[reply.description] ?? reply.description}`
          : reply.kind === 'hello'
            ? `server chose TLS ${reply.version}`
            : 'connection closed';
      result.versions[version] = { accepted: false, reason: `${nodeReason}; ${why}` };
    } else if (reply.kind === 'garbage') {
      notTls = reply.sample;
      result.versions[version] = { accepted: null, reason: `not a TLS reply: ${reply.sample}` };
    } else {
      unanswered++;
      result.versions[version] = { accepted: null, reason: `no answer within ${s.timeoutMs} ms` };
    }
    // a server that answers neither Node's hello nor ours twice in a row is not going to
    if (unanswered >= 2 && !VERSIONS.some((v) => result.versions[v]?.accepted)) break;
    if (notTls) break;
  }

  const accepted = VERSIONS.filter((v) => result.versions[v]?.accepted === true);
  if (notTls) {
    result.problems.push(`${where} does not speak TLS (it answered ${describeBytes(notTls)})`);
  } else if (accepted.length === 0) {
    const reasons = VERSIONS.map((v) => result.versions[v])
      .filter((o): o is Exclude<VersionOutcome, { accepted: true }> => o !== undefined && o.accepted !== true)
      .map((o) => o.reason);
    result.problems.push(
      `${where}: no TLS version was accepted (${[...new Set(reasons)].slice(0, 2).join('; ')})`,
    );
  }
  for (const v of VERSIONS) {
    const o = result.versions[v];
    if (o?.accepted === null && !notTls && accepted.length > 0)
      result.problems.push(`${where}: TLS ${v} probe: ${o.reason}`);
  }
  if (accepted.length > 0 && !result.certificate) {
    result.problems.push(
      `${where}: certificate not read: the server accepts only cipher suites this Node's OpenSSL cannot complete`,
    );
  }

  // weak suites: the one negotiated, then each weak suite the server still picks when offered only weak ones
  for (const v of accepted) {
    const o = result.versions[v];
    if (o?.accepted !== true) continue;
    const weak = weaknessOf(o.cipher, v);
    if (weak) result.weakCiphers.push({ version: v, cipher: o.cipher, weakness: weak });
    if (!s.probeWeakCiphers || v === '1.3') continue;
    let remaining = weakSuitesFor(v).filter((x) => x.name !== o.cipher);
    for (let round = 0; remaining.length > 0 && round < 64; round++) {
      let reply: RawReply;
      try {
        reply = await sendHello(
          ep,
          v,
          remaining.map((x) => x.code),
          s,
        );
      } catch {
        break;
      }
      if (reply.kind !== 'hello' || reply.version !== v) break;
      const picked = remaining.find((x) => x.code === reply.cipher);
      if (!picked) break;
      result.weakCiphers.push({
        version: v,
        cipher: picked.name,
        weakness: weaknessOf(picked.name, v) ?? picked.weakness!,
      });
      remaining = remaining.filter((x) => x !== picked);
    }
  }

  if (ep.service === 'https' && accepted.length > 0) {
    const r = await fetchHsts(ep, s);
    if ('error' in r) result.problems.push(`${where}: HSTS not checked: ${r.error}`);
    else
      result.hsts = {
        header: r.header,
        ...(r.header ? parseHsts(r.header) : { maxAgeSeconds: null, includeSubDomains: false }),
      };
  }
  return result;
}

/** Run `fn` over `items`, at most `limit` at a time, results in input order. */
export async function mapLimit<T, R>(
  items: readonly T[],
  limit: number,
  fn: (item: T) => Promise<R>,
): Promise<R[]> {
  const out: R[] = new Array(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      out[i] = await fn(items[i] as T);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return out;
}
