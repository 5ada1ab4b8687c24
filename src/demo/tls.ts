import { type ChildProcess, execFile, execFileSync, spawn } from 'node:child_process';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import https from 'node:https';
import type net from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import tls from 'node:tls';
import { promisify } from 'node:util';
import type { DemoService } from './services.js';

const run = promisify(execFile);

/** A key and certificate on disk (PEM) and in memory. */
export interface CertFiles {
  certFile: string;
  keyFile: string;
  cert: string;
  key: string;
}

export interface IssueOptions {
  /** file name stem, unique within the PKI */
  name: string;
  cn: string;
  /** subjectAltName entries in OpenSSL syntax: `DNS:localhost`, `IP:127.0.0.1` */
  sans?: string[];
  /** `rsa:2048`, `rsa:1024`, `ec:prime256v1` ... (default ec:prime256v1, fast to generate) */
  key?: string;
  notBefore?: Date;
  notAfter?: Date;
  /** signed by itself instead of the test CA */
  selfSigned?: boolean;
  /** digest for the signature (default sha256) */
  digest?: 'sha256' | 'sha1' | 'sha384';
}

/** A throw-away certificate authority in a temp directory, driven by the openssl CLI (demo and tests). */
export interface Pki {
  dir: string;
  ca: CertFiles;
  issue(opts: IssueOptions): Promise<CertFiles>;
  cleanup(): Promise<void>;
}

const DAY = 24 * 3600 * 1000;

/** openssl ca wants YYYYMMDDHHMMSSZ */
function asn1Time(d: Date): string {
  return `${d.toISOString().replace(/[-:T]/g, '').slice(0, 14)}Z`;
}

async function genKey(spec: string, keyFile: string): Promise<void> {
  const [alg, param] = spec.split(':');
  if (alg === 'rsa') {
    await run('openssl', [
      'genpkey',
      '-algorithm',
      'RSA',
      '-pkeyopt',
      `rsa_keygen_bits:${param}`,
      '-out',
      keyFile,
    ]);
  } else if (alg === 'ec') {
    await run('openssl', [
      'genpkey',
      '-algorithm',
      'EC',
      '-pkeyopt',
      `ec_paramgen_curve:${param}`,
      '-out',
      keyFile,
    ]);
  } else {
    await run('openssl', ['genpkey', '-algorithm', spec, '-out', keyFile]);
  }
}

async function load(certFile: string, keyFile: string): Promise<CertFiles> {
  return { certFile, keyFile, cert: await readFile(certFile, 'utf8'), key: await readFile(keyFile, 'utf8') };
}

/** Create a throw-away CA in a temp directory and return a function that issues leaf certificates from it. */
export async function createPki(prefix = 'plantproof-pki-', caOrg = 'plantproof demo'): Promise<Pki> {
  const dir = await mkdtemp(join(tmpdir(), prefix));
  await mkdir(join(dir, 'issued'));
  await writeFile(join(dir, 'index.txt'), '');
  await writeFile(join(dir, 'serial'), '1000\n');
  const caKey = join(dir, 'ca.key');
  const caCert = join(dir, 'ca.pem');
  await genKey('rsa:2048', caKey);
  await run('openssl', [
    'req',
    '-x509',
    '-new',
    '-key',
    caKey,
    '-sha256',
    '-days',
    '30',
    '-subj',
    `/O=${caOrg}/CN=${caOrg} CA`,
    '-addext',
    'basicConstraints=critical,CA:TRUE',
    '-addext',
    'keyUsage=critical,keyCertSign,cRLSign',
    '-out',
    caCert,
  ]);
  const caConf = join(dir, 'ca.cnf');
  await writeFile(
    caConf,
    [
      '[ ca ]',
      'default_ca = testca',
      '[ testca ]',
      `database = ${join(dir, 'index.txt')}`,
      `new_certs_dir = ${join(dir, 'issued')}`,
      `serial = ${join(dir, 'serial')}`,
      `certificate = ${caCert}`,
      `private_key = ${caKey}`,
      'default_md = sha256',
      'policy = any_name',
      'unique_subject = no',
      'email_in_dn = no',
      '[ any_name ]',
      'organizationName = optional',
      'commonName = supplied',
      '',
    ].join('\n'),
  );

  const ca = await load(caCert, caKey);
  // openssl ca rewrites index.txt and serial: one signing at a time
  let queue: Promise<unknown> = Promise.resolve();
  const issue = (o: IssueOptions): Promise<CertFiles> => {
    const next = queue.then(() => issueNow(o));
    queue = next.catch(() => undefined);
    return next;
  };
  const issueNow = async (o: IssueOptions): Promise<CertFiles> => {
    const keyFile = join(dir, `${o.name}.key`);
    const certFile = join(dir, `${o.name}.pem`);
    const csr = join(dir, `${o.name}.csr`);
    const ext = join(dir, `${o.name}.ext`);
    const digest = o.digest ?? 'sha256';
    await genKey(o.key ?? 'ec:prime256v1', keyFile);
    const extLines = [
      '[ leaf ]',
      'basicConstraints = CA:FALSE',
      'keyUsage = digitalSignature, keyEncipherment',
      'extendedKeyUsage = serverAuth',
    ];
    if (o.sans?.length) extLines.push(`subjectAltName = ${o.sans.join(', ')}`);
    await writeFile(ext, `${extLines.join('\n')}\n`);
    const notBefore = o.notBefore ?? new Date(Date.now() - DAY);
    const notAfter = o.notAfter ?? new Date(Date.now() + 20 * DAY);
    if (o.selfSigned) {
      await run('openssl', ['req', '-new', '-key', keyFile, '-subj', `/CN=${o.cn}`, '-out', csr]);
      await run('openssl', [
        'ca',
        '-batch',
        '-notext',
        '-config',
        caConf,
        '-selfsign',
        '-keyfile',
        keyFile,
        '-md',
        digest,
        '-startdate',
        asn1Time(notBefore),
        '-enddate',
        asn1Time(notAfter),
        '-extfile',
        ext,
        '-extensions',
        'leaf',
        '-in',
        csr,
        '-out',
        certFile,
      ]);
    } else {
      await run('openssl', [
        'req',
        '-new',
        '-key',
        keyFile,
        '-subj',
        `/O=Acme Plant/CN=${o.cn}`,
        '-out',
        csr,
      ]);
      await run('openssl', [
        'ca',
        '-batch',
        '-notext',
        '-config',
        caConf,
        '-md',
        digest,
        '-startdate',
        asn1Time(notBefore),
        '-enddate',
        asn1Time(notAfter),
        '-extfile',
        ext,
        '-extensions',
        'leaf',
        '-in',
        csr,
        '-out',
        certFile,
      ]);
    }
    return load(certFile, keyFile);
  };
  return {
    dir,
    ca,
    issue,
    cleanup: () => rm(dir, { recursive: true, force: true }),
  };
}

// ---------- the demo plant's TLS endpoints ----------

export function opensslAvailable(): boolean {
  try {
    execFileSync('openssl', ['version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

interface Stoppable {
  port: number;
  stop(): Promise<void>;
}

function listenLocal(server: net.Server): Promise<Stoppable> {
  const sockets = new Set<net.Socket>();
  server.on('connection', (s: net.Socket) => {
    sockets.add(s);
    s.on('error', () => undefined);
    s.on('close', () => sockets.delete(s));
  });
  server.on('tlsClientError', () => undefined);
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      resolve({
        port: (server.address() as net.AddressInfo).port,
        stop: () =>
          new Promise<void>((done) => {
            for (const s of sockets) s.destroy();
            server.close(() => done());
          }),
      });
    });
  });
}

function httpsEndpoint(cert: CertFiles, hsts: string | null, body: string): Promise<Stoppable> {
  const server = https.createServer(
    { cert: cert.cert, key: cert.key, minVersion: 'TLSv1.2' },
    (_req, res) => {
      res.writeHead(200, {
        'content-type': 'text/plain',
        ...(hsts ? { 'strict-transport-security': hsts } : {}),
      });
      res.end(body);
    },
  );
  return listenLocal(server);
}

/** `openssl s_server` speaking only TLS 1.0 at security level 0, like an old label printer's web UI. */
async function legacyEndpoint(cert: CertFiles): Promise<Stoppable> {
  const child: ChildProcess = spawn(
    'openssl',
    [
      's_server',
      '-accept',
      '127.0.0.1:0',
      '-cert',
      cert.certFile,
      '-key',
      cert.keyFile,
      '-tls1',
      '-cipher',
      'DEFAULT:@SECLEVEL=0',
      '-www',
    ],
    { stdio: ['pipe', 'pipe', 'ignore'] },
  );
  const port = await new Promise<number>((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => reject(new Error('openssl s_server did not start')), 10_000);
    child.stdout?.on('data', (d: Buffer) => {
      out += d.toString();
      const m = /ACCEPT\s+\S*:(\d+)/.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve(Number(m[1]));
      }
    });
    child.once('exit', () => {
      clearTimeout(timer);
      reject(new Error('openssl s_server exited'));
    });
  });
  return {
    port,
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null || child.signalCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}

/**
 * Four endpoints of Plant 2 on loopback: the MES portal (modern, HSTS), the historian API (certificate
 * expiring in 10 days), an OPC UA gateway (device, TLS 1.2 only) and a legacy TLS 1.0 web UI.
 */
export const tlsDemoService: DemoService = {
  name: 'TLS endpoints',
  async start() {
    if (!opensslAvailable()) {
      process.stderr.write('demo: the openssl command is not installed; skipping the TLS endpoint demo\n');
      return { collectors: [], close: async () => undefined };
    }
    const pki = await createPki('plantproof-demo-tls-', 'Acme Plant 2');
    const running: Stoppable[] = [];
    try {
      const days = (n: number) => new Date(Date.now() + n * DAY);
      const site = (host: string) => [`DNS:${host}`, 'IP:127.0.0.1'];
      const mesCert = await pki.issue({
        name: 'mes',
        cn: 'mes.acme-plant.local',
        sans: site('mes.acme-plant.local'),
        notAfter: days(300),
      });
      const historianCert = await pki.issue({
        name: 'historian',
        cn: 'historian.acme-plant.local',
        sans: site('historian.acme-plant.local'),
        notAfter: days(10),
      });
      const gatewayCert = await pki.issue({
        name: 'opcua-gw01',
        cn: 'opcua-gw01.acme-plant.local',
        sans: site('opcua-gw01.acme-plant.local'),
        notAfter: days(300),
      });
      const legacyCert = await pki.issue({
        name: 'label-printer',
        cn: 'label-printer.acme-plant.local',
        sans: site('label-printer.acme-plant.local'),
        key: 'rsa:2048',
        notAfter: days(300),
      });

      const mes = await httpsEndpoint(mesCert, 'max-age=31536000; includeSubDomains', 'Acme MES portal\n');
      running.push(mes);
      const historian = await httpsEndpoint(historianCert, null, '{"historian":"ok"}\n');
      running.push(historian);
      const gateway = await listenLocal(
        tls.createServer(
          { cert: gatewayCert.cert, key: gatewayCert.key, minVersion: 'TLSv1.2', maxVersion: 'TLSv1.2' },
          (s) => s.end(),
        ),
      );
      running.push(gateway);
      const legacy = await legacyEndpoint(legacyCert);
      running.push(legacy);

      return {
        collectors: [
          {
            type: 'tls',
            name: 'plant2-endpoints',
            caFile: pki.ca.certFile,
            timeoutMs: 3000,
            targets: [
              { host: '127.0.0.1', port: mes.port, service: 'https', servername: 'mes.acme-plant.local' },
              {
                host: '127.0.0.1',
                port: historian.port,
                service: 'https',
                servername: 'historian.acme-plant.local',
              },
              {
                host: '127.0.0.1',
                port: gateway.port,
                service: 'opcua',
                role: 'device',
                servername: 'opcua-gw01.acme-plant.local',
              },
              {
                host: '127.0.0.1',
                port: legacy.port,
                service: 'https',
                servername: 'label-printer.acme-plant.local',
              },
            ],
          },
        ],
        close: async () => {
          for (const r of running) await r.stop();
          await pki.cleanup();
        },
      };
    } catch (err) {
      for (const r of running) await r.stop().catch(() => undefined);
      await pki.cleanup();
      throw err;
    }
  },
};
