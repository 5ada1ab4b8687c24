import { type ChildProcess, execFile, execFileSync, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { demoShiftDays } from './clock.js';
import type { DemoService } from './services.js';
import { createPki, opensslAvailable } from './tls.js';

const run = promisify(execFile);

// ---------- a private OpenLDAP slapd on loopback (the demo's directory; the tests start theirs the same way) ----------

export interface SlapdInstall {
  slapd: string;
  version: string;
  /** where loadable modules live, or null when everything is built in */
  moduleDir: string | null;
  schemaDir: string;
}

const SLAPD_PATHS = [
  '/usr/sbin/slapd',
  '/usr/local/sbin/slapd',
  '/usr/libexec/slapd',
  '/usr/local/libexec/slapd',
];
const MODULE_DIRS = [
  '/usr/lib/ldap',
  '/usr/lib64/openldap',
  '/usr/lib/openldap',
  '/usr/local/libexec/openldap',
];
const SCHEMA_DIRS = ['/etc/ldap/schema', '/etc/openldap/schema', '/usr/local/etc/openldap/schema'];

/** slapd and its schema files, as Debian's `slapd` package (or another distribution's) installs them. */
export function findSlapd(): SlapdInstall | null {
  // PLANTPROOF_SLAPD names the binary to use (and only that one)
  const candidates = process.env.PLANTPROOF_SLAPD ? [process.env.PLANTPROOF_SLAPD] : SLAPD_PATHS;
  const slapd = candidates.find((p) => existsSync(p));
  const schemaDir = SCHEMA_DIRS.find((d) => existsSync(join(d, 'core.schema')));
  if (!slapd || !schemaDir) return null;
  let version = '';
  try {
    version = execFileSync(slapd, ['-VV'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  } catch (err) {
    // slapd -VV prints to stderr and exits non-zero
    version = String((err as { stderr?: unknown }).stderr ?? '');
  }
  const moduleDir =
    MODULE_DIRS.find((d) => existsSync(join(d, 'ppolicy.la')) || existsSync(join(d, 'ppolicy.so'))) ?? null;
  return { slapd, version: /slapd (\d+\.\d+\.\d+)/.exec(version)?.[1] ?? 'unknown', moduleDir, schemaDir };
}

export interface SlapdOptions {
  /** e.g. dc=acme-plant,dc=local */
  suffix: string;
  rootPassword: string;
  /** entries loaded with slapadd before start; operational attributes (pwdAccountLockedTime ...) allowed */
  seedLdif: string;
  tls?: { certFile: string; keyFile: string; caFile: string };
  /** ppolicy_default */
  ppolicyDefaultDn?: string;
  /** slapd.conf `access` directives; default: passwords for binds only, everything else readable by binds */
  access?: string[];
}

export interface RunningSlapd {
  /** ldap://127.0.0.1:port */
  url: string;
  /** ldaps://127.0.0.1:port, when TLS is configured */
  ldapsUrl: string | null;
  port: number;
  ldapsPort: number | null;
  rootDn: string;
  dir: string;
  /** what slapd wrote to stderr (for test failure messages) */
  log(): string;
  stop(): Promise<void>;
}

function freeLoopbackPort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as net.AddressInfo;
      s.close(() => resolve(port));
    });
  });
}

function portOpen(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = net.connect({ host: '127.0.0.1', port });
    s.once('connect', () => {
      s.destroy();
      resolve(true);
    });
    s.once('error', () => resolve(false));
  });
}

function stopChild(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) return resolve();
    const timer = setTimeout(() => child.kill('SIGKILL'), 3000);
    child.once('exit', () => {
      clearTimeout(timer);
      resolve();
    });
    child.kill('SIGTERM');
  });
}

const DEFAULT_ACCESS = [
  'to attrs=userPassword by self write by anonymous auth by * none',
  'to * by users read by * none',
];

function slapdConf(install: SlapdInstall, dir: string, o: SlapdOptions): string {
  const lines: string[] = [];
  const hasModule = (name: string) =>
    !!install.moduleDir &&
    (existsSync(join(install.moduleDir, `${name}.la`)) || existsSync(join(install.moduleDir, `${name}.so`)));
  if (install.moduleDir) lines.push(`modulepath ${install.moduleDir}`);
  if (hasModule('back_mdb')) lines.push('moduleload back_mdb');
  if (hasModule('ppolicy')) lines.push('moduleload ppolicy');
  for (const s of ['core', 'cosine', 'inetorgperson', 'nis'])
    lines.push(`include ${join(install.schemaDir, `${s}.schema`)}`);
  // slapd 2.4 ships the ppolicy schema as a file; 2.5+ builds it into the overlay
  if (install.version.startsWith('2.4.') && existsSync(join(install.schemaDir, 'ppolicy.schema'))) {
    lines.push(`include ${join(install.schemaDir, 'ppolicy.schema')}`);
  }
  lines.push(`pidfile ${join(dir, 'slapd.pid')}`, `argsfile ${join(dir, 'slapd.args')}`);
  if (o.tls) {
    lines.push(
      `TLSCACertificateFile ${o.tls.caFile}`,
      `TLSCertificateFile ${o.tls.certFile}`,
      `TLSCertificateKeyFile ${o.tls.keyFile}`,
    );
  }
  lines.push(
    'database mdb',
    'maxsize 67108864',
    `suffix "${o.suffix}"`,
    `rootdn "cn=admin,${o.suffix}"`,
    `rootpw ${o.rootPassword}`,
    `directory ${join(dir, 'db')}`,
    // keep pwdLastSuccess: the last successful bind, OpenLDAP's last-logon time
    'lastbind on',
  );
  for (const a of o.access ?? DEFAULT_ACCESS) lines.push(`access ${a}`);
  lines.push('overlay ppolicy');
  if (o.ppolicyDefaultDn) lines.push(`ppolicy_default "${o.ppolicyDefaultDn}"`);
  return `${lines.join('\n')}\n`;
}

/** Generate a config in a temp dir, load the seed with slapadd, start slapd on 127.0.0.1. */
export async function startSlapd(o: SlapdOptions, install = findSlapd()): Promise<RunningSlapd> {
  if (!install) throw new Error('slapd is not installed (Debian: apt-get install slapd)');
  const dir = await mkdtemp(join(tmpdir(), 'plantproof-slapd-'));
  try {
    await mkdir(join(dir, 'db'));
    const conf = join(dir, 'slapd.conf');
    await writeFile(conf, slapdConf(install, dir, o));
    await writeFile(join(dir, 'seed.ldif'), o.seedLdif);
    try {
      await run(install.slapd, ['-T', 'add', '-f', conf, '-l', join(dir, 'seed.ldif')]);
    } catch (err) {
      throw new Error(`slapadd failed: ${String((err as { stderr?: unknown }).stderr ?? err)}`);
    }
    let lastError = '';
    for (let attempt = 0; attempt < 3; attempt++) {
      const port = await freeLoopbackPort();
      const ldapsPort = o.tls ? await freeLoopbackPort() : null;
      const urls = [`ldap://127.0.0.1:${port}/`, ...(ldapsPort ? [`ldaps://127.0.0.1:${ldapsPort}/`] : [])];
      const child = spawn(install.slapd, ['-h', urls.join(' '), '-f', conf, '-d', '0'], {
        stdio: ['ignore', 'ignore', 'pipe'],
      });
      let stderr = '';
      child.stderr?.on('data', (d: Buffer) => {
        stderr = (stderr + d.toString()).slice(-8000);
      });
      const deadline = Date.now() + 10_000;
      let up = false;
      while (Date.now() < deadline && child.exitCode === null) {
        if ((await portOpen(port)) && (!ldapsPort || (await portOpen(ldapsPort)))) {
          up = true;
          break;
        }
        await new Promise((r) => setTimeout(r, 50));
      }
      if (up) {
        return {
          url: `ldap://127.0.0.1:${port}`,
          ldapsUrl: ldapsPort ? `ldaps://127.0.0.1:${ldapsPort}` : null,
          port,
          ldapsPort,
          rootDn: `cn=admin,${o.suffix}`,
          dir,
          log: () => stderr,
          stop: async () => {
            await stopChild(child);
            await rm(dir, { recursive: true, force: true });
          },
        };
      }
      await stopChild(child);
      lastError = stderr;
      // a port taken between the probe and slapd's bind: try other ports
    }
    throw new Error(`slapd did not start: ${lastError.slice(-2000)}`);
  } catch (err) {
    await rm(dir, { recursive: true, force: true });
    throw err;
  }
}

// ---------- the demo plant's directory ----------

/** Move LDAP GeneralizedTime values (20261120083000Z) by `days`; 000001010000Z (permanent lock) stays. */
export function shiftGeneralizedTimes(ldif: string, days: number): string {
  if (days === 0) return ldif;
  return ldif.replace(/\b(\d{4})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})Z\b/g, (m, y, mo, d, h, mi, s) => {
    if (y === '0000') return m;
    const t = new Date(Date.UTC(+y, +mo - 1, +d, +h, +mi, +s) + days * 86_400_000);
    return `${t.toISOString().replace(/[-:T]/g, '').slice(0, 14)}Z`;
  });
}

const DEMO_SUFFIX = 'dc=acme-plant,dc=local';
const DEMO_READER = `cn=plantproof-reader,ou=Service Accounts,${DEMO_SUFFIX}`;
const DEMO_PASSWORD_ENV = 'PLANTPROOF_DEMO_LDAP_PASSWORD';

/**
 * The plant's directory (examples/acme-plant/demo-data/ldap/) in a local slapd with ppolicy and
 * StartTLS; the collector binds as a read-only service account. Skips itself when slapd is missing.
 */
export const ldapDemoService: DemoService = {
  name: 'LDAP directory',
  async start({ exampleDir }) {
    const install = findSlapd();
    if (!install) {
      process.stderr.write(
        'demo: slapd is not installed (Debian package "slapd"); skipping the LDAP directory demo\n',
      );
      return { collectors: [], close: async () => undefined };
    }
    if (!opensslAvailable()) {
      process.stderr.write('demo: the openssl command is not installed; skipping the LDAP directory demo\n');
      return { collectors: [], close: async () => undefined };
    }
    const dataDir = join(exampleDir, 'demo-data', 'ldap');
    // a fresh password per run for the read-only bind account: nothing reusable is stored in the example
    const readerPassword = randomBytes(18).toString('base64url');
    const ldif = await readFile(join(dataDir, 'directory.ldif'), 'utf8');
    const seed = shiftGeneralizedTimes(ldif, demoShiftDays(new Date())).replaceAll(
      '{{READER_PASSWORD}}',
      readerPassword,
    );
    const pki = await createPki('plantproof-demo-ldap-', 'Acme Plant 2 directory');
    try {
      const cert = await pki.issue({
        name: 'dc01',
        cn: 'dc01.acme-plant.local',
        sans: ['DNS:dc01.acme-plant.local', 'IP:127.0.0.1'],
        notAfter: new Date(Date.now() + 365 * 86_400_000),
      });
      const slapd = await startSlapd(
        {
          suffix: DEMO_SUFFIX,
          rootPassword: randomBytes(18).toString('base64url'),
          seedLdif: seed,
          tls: { certFile: cert.certFile, keyFile: cert.keyFile, caFile: pki.ca.certFile },
          ppolicyDefaultDn: `cn=default,ou=Policies,${DEMO_SUFFIX}`,
          access: [
            'to attrs=userPassword by self write by anonymous auth by * none',
            `to * by dn.exact="${DEMO_READER}" read by self read by * none`,
          ],
        },
        install,
      );
      return {
        collectors: [
          {
            type: 'ldap',
            name: 'acme-plant.local',
            url: slapd.url,
            startTls: true,
            bindDn: DEMO_READER,
            passwordEnv: DEMO_PASSWORD_ENV,
            baseDn: DEMO_SUFFIX,
            flavor: 'openldap',
            privilegedGroups: ['Domain Admins', 'OT Admins'],
            serviceAccountDns: [`ou=Service Accounts,${DEMO_SUFFIX}`],
            ppolicyDefaultDn: `cn=default,ou=Policies,${DEMO_SUFFIX}`,
            caFile: pki.ca.certFile,
            timeoutMs: 5000,
          },
        ],
        env: { [DEMO_PASSWORD_ENV]: readerPassword },
        close: async () => {
          await slapd.stop();
          await pki.cleanup();
        },
      };
    } catch (err) {
      await pki.cleanup();
      throw err;
    }
  },
};
