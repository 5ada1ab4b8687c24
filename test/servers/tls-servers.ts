import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { existsSync, writeFileSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import https from 'node:https';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import tls from 'node:tls';

/** A server a test started; close() stops it and removes what it wrote. */
export interface RunningServer {
  host: string;
  port: number;
  close(): Promise<void>;
}

const HOST = '127.0.0.1';

/** A port nobody listens on right now (for servers that cannot report the port they got). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.once('error', reject);
    s.listen(0, HOST, () => {
      const { port } = s.address() as net.AddressInfo;
      s.close(() => resolve(port));
    });
  });
}

/** The absolute path of a program, or null; looks in PATH and the sbin directories. */
export function findProgram(name: string): string | null {
  for (const dir of [...(process.env.PATH ?? '').split(':'), '/usr/sbin', '/usr/local/sbin', '/sbin']) {
    if (dir && existsSync(join(dir, name))) return join(dir, name);
  }
  return null;
}

function listen(server: net.Server): Promise<RunningServer> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, HOST, () => {
      const { port } = server.address() as net.AddressInfo;
      resolve({
        host: HOST,
        port,
        close: () =>
          new Promise<void>((done) => {
            server.close(() => done());
            (server as net.Server & { closeAllConnections?: () => void }).closeAllConnections?.();
          }),
      });
    });
  });
}

export interface NodeTlsServerOptions {
  cert: string;
  key: string;
  minVersion?: tls.SecureVersion;
  maxVersion?: tls.SecureVersion;
  ciphers?: string;
  /** answer HTTP requests (an HTTPS server); with a Strict-Transport-Security value when given */
  https?: { hsts?: string };
}

/** A Node TLS (or HTTPS) server on 127.0.0.1 with the versions, ciphers and certificate a test chooses. */
export async function startNodeTlsServer(o: NodeTlsServerOptions): Promise<RunningServer> {
  const secure = {
    cert: o.cert,
    key: o.key,
    minVersion: o.minVersion ?? 'TLSv1.2',
    maxVersion: o.maxVersion ?? 'TLSv1.3',
    // tests need servers weaker than Node's defaults allow (1024-bit keys, TLS 1.0)
    ciphers: o.ciphers ?? 'DEFAULT:@SECLEVEL=0',
  };
  const sockets = new Set<net.Socket>();
  let server: net.Server;
  if (o.https) {
    const hsts = o.https.hsts;
    server = https.createServer(secure, (req, res) => {
      res.writeHead(200, {
        'content-type': 'text/plain',
        ...(hsts ? { 'strict-transport-security': hsts } : {}),
      });
      res.end(`ok ${req.url}\n`);
    });
  } else {
    server = tls.createServer(secure, (socket) => {
      socket.on('error', () => undefined);
      socket.end('hello\n');
    });
  }
  server.on('connection', (s: net.Socket) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  server.on('tlsClientError', () => undefined);
  const running = await listen(server);
  return {
    ...running,
    close: async () => {
      for (const s of sockets) s.destroy();
      await running.close();
    },
  };
}

/** A TCP server that answers every connection with `reply` (garbage for the prober). */
export function startGarbageServer(reply: string | Buffer, opts: { waitForData?: boolean } = {}) {
  const sockets = new Set<net.Socket>();
  const server = net.createServer((socket) => {
    sockets.add(socket);
    socket.on('error', () => undefined);
    socket.on('close', () => sockets.delete(socket));
    const answer = () => socket.end(reply);
    if (opts.waitForData) socket.once('data', answer);
    else answer();
  });
  return listen(server).then((r) => ({
    ...r,
    close: async () => {
      for (const s of sockets) s.destroy();
      await r.close();
    },
  }));
}

/** A TCP server that accepts and then never says anything. */
export function startSilentServer() {
  const sockets = new Set<net.Socket>();
  const server = net.createServer((socket) => {
    sockets.add(socket);
    socket.on('error', () => undefined);
    socket.on('close', () => sockets.delete(socket));
  });
  return listen(server).then((r) => ({
    ...r,
    close: async () => {
      for (const s of sockets) s.destroy();
      await r.close();
    },
  }));
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

/** Wait until something accepts TCP connections on the port, or the child dies. */
async function waitForPort(port: number, child: ChildProcess, log: () => string, ms = 10_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`server exited (${child.exitCode}): ${log()}`);
    const ok = await new Promise<boolean>((resolve) => {
      const s = net.connect({ host: HOST, port });
      s.once('connect', () => {
        s.destroy();
        resolve(true);
      });
      s.once('error', () => resolve(false));
    });
    if (ok) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`server did not listen on ${port} within ${ms} ms: ${log()}`);
}

/**
 * `openssl s_server` on 127.0.0.1 with extra arguments, e.g. `['-tls1', '-cipher', 'DEFAULT:@SECLEVEL=0']`:
 * the way to get a server that still speaks TLS 1.0/1.1. `-www` answers HTTP GETs.
 */
export async function startOpensslServer(o: { certFile: string; keyFile: string; args: string[] }) {
  const child = spawn(
    'openssl',
    ['s_server', '-accept', `${HOST}:0`, '-cert', o.certFile, '-key', o.keyFile, '-www', ...o.args],
    { stdio: ['pipe', 'pipe', 'pipe'] },
  );
  let out = '';
  child.stderr.on('data', (d: Buffer) => {
    out += d.toString();
  });
  const port = await new Promise<number>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`openssl s_server did not start: ${out}`)), 10_000);
    child.stdout.on('data', (d: Buffer) => {
      out += d.toString();
      const m = /ACCEPT\s+\S*:(\d+)/.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve(Number(m[1]));
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`openssl s_server exited (${code}): ${out}`));
    });
  });
  return { host: HOST, port, close: () => stopChild(child) };
}

export interface NginxOptions {
  certFile: string;
  keyFile: string;
  /** value of ssl_protocols, e.g. `TLSv1.2 TLSv1.3` */
  protocols: string;
  /** value of ssl_ciphers */
  ciphers: string;
  hsts?: string;
}

/** nginx in the foreground with a generated config in a temp prefix (pid, logs, temp paths inside). */
export async function startNginx(o: NginxOptions): Promise<RunningServer> {
  const nginx = findProgram('nginx');
  if (!nginx) throw new Error('nginx is not installed');
  const prefix = await mkdtemp(join(tmpdir(), 'plantproof-nginx-'));
  for (const d of ['body', 'proxy', 'fastcgi', 'uwsgi', 'scgi', 'logs']) await mkdir(join(prefix, d));
  let lastError = '';
  for (let attempt = 0; attempt < 3; attempt++) {
    const port = await freePort();
    const conf = join(prefix, 'nginx.conf');
    await writeFile(
      conf,
      [
        'daemon off;',
        'master_process off;',
        'worker_processes 1;',
        `pid ${join(prefix, 'nginx.pid')};`,
        `error_log ${join(prefix, 'logs', 'error.log')} warn;`,
        'events { worker_connections 64; }',
        'http {',
        '  access_log off;',
        `  client_body_temp_path ${join(prefix, 'body')};`,
        `  proxy_temp_path ${join(prefix, 'proxy')};`,
        `  fastcgi_temp_path ${join(prefix, 'fastcgi')};`,
        `  uwsgi_temp_path ${join(prefix, 'uwsgi')};`,
        `  scgi_temp_path ${join(prefix, 'scgi')};`,
        '  server {',
        `    listen ${HOST}:${port} ssl;`,
        '    server_name localhost;',
        `    ssl_certificate ${o.certFile};`,
        `    ssl_certificate_key ${o.keyFile};`,
        `    ssl_protocols ${o.protocols};`,
        `    ssl_ciphers '${o.ciphers}';`,
        '    ssl_prefer_server_ciphers on;',
        ...(o.hsts ? [`    add_header Strict-Transport-Security "${o.hsts}" always;`] : []),
        '    location / { return 200 "ok\\n"; }',
        '  }',
        '}',
        '',
      ].join('\n'),
    );
    const child = spawn(nginx, ['-p', prefix, '-c', conf, '-e', join(prefix, 'logs', 'startup.log')], {
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => {
      stderr += d.toString();
    });
    const log = () => stderr + (existsSync(join(prefix, 'logs', 'error.log')) ? '' : '');
    try {
      await waitForPort(port, child, log);
      return {
        host: HOST,
        port,
        close: async () => {
          await stopChild(child);
          await rm(prefix, { recursive: true, force: true });
        },
      };
    } catch (err) {
      await stopChild(child);
      lastError = `${(err as Error).message} ${await readFile(join(prefix, 'logs', 'error.log'), 'utf8').catch(() => '')}`;
      // another process may have taken the port between freePort() and nginx's bind: try again
    }
  }
  await rm(prefix, { recursive: true, force: true });
  throw new Error(`nginx did not start: ${lastError}`);
}

/** openssl's version line, or null when the CLI is missing. */
export function opensslVersion(): string | null {
  try {
    return execFileSync('openssl', ['version'], { encoding: 'utf8' }).trim();
  } catch {
    return null;
  }
}

/** Debian's mosquitto with one MQTT-over-TLS listener on loopback (TLS 1.2 and 1.3). */
export async function startMosquittoTls(o: {
  certFile: string;
  keyFile: string;
  dir: string;
}): Promise<RunningServer> {
  const program = findProgram('mosquitto');
  if (!program) throw new Error('mosquitto is not installed (Debian package mosquitto)');
  const port = await freePort();
  const conf = join(o.dir, `mosquitto-${port}.conf`);
  writeFileSync(
    conf,
    [
      // as root mosquitto drops to its own user, which cannot read the test's private temp dir
      ...(process.getuid?.() === 0 ? ['user root'] : []),
      'persistence false',
      'log_dest stderr',
      `listener ${port} ${HOST}`,
      `certfile ${o.certFile}`,
      `keyfile ${o.keyFile}`,
      'tls_version tlsv1.2',
      'allow_anonymous true',
      '',
    ].join('\n'),
  );
  const child = spawn(program, ['-c', conf], { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stderr.on('data', (d: Buffer) => {
    out += d.toString();
  });
  await new Promise<void>((resolve, reject) => {
    const deadline = Date.now() + 10_000;
    const attempt = () => {
      const socket = net.connect(port, HOST, () => {
        socket.destroy();
        resolve();
      });
      socket.once('error', () => {
        socket.destroy();
        if (child.exitCode !== null) reject(new Error(`mosquitto exited: ${out}`));
        else if (Date.now() > deadline) reject(new Error(`mosquitto did not start: ${out}`));
        else setTimeout(attempt, 100);
      });
    };
    attempt();
  });
  return { host: HOST, port, close: () => stopChild(child) };
}
