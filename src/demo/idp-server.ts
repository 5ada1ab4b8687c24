import { readFile } from 'node:fs/promises';
import {
  createServer as createHttpServer,
  type IncomingMessage,
  type Server,
  type ServerResponse,
} from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo, Socket } from 'node:net';
import { join } from 'node:path';

/**
 * What the local identity-provider stand-ins (Okta, Microsoft Graph) run on: loading a recorded
 * org from JSON files, counting injected faults, reading a request body, and serving on
 * 127.0.0.1 over HTTPS or plain HTTP. Each stand-in keeps its own vendor's wire protocol.
 */

/** Read recorded replies from a directory: each key of the result from the JSON file named for it. */
export async function loadJsonFiles<T>(dir: string, files: Record<keyof T, string>): Promise<T> {
  const out: Partial<Record<keyof T, unknown>> = {};
  for (const [key, file] of Object.entries(files) as [keyof T, string][]) {
    out[key] = JSON.parse(await readFile(join(dir, file), 'utf8'));
  }
  return out as T;
}

/** Which requests a fault hits (path with query) and how often. */
export interface StandInFault {
  match: RegExp;
  /** how many matching requests it hits; default every one */
  times?: number;
}

/**
 * A fault counter for one server: the first fault of `list` that matches `target` and has hits
 * left, counted as hit, or null.
 */
export function faultCounter<F extends StandInFault>(): (list: F[] | undefined, target: string) => F | null {
  const hits = new Map<F, number>();
  return (list, target) => {
    for (const f of list ?? []) {
      if (!f.match.test(target)) continue;
      const n = hits.get(f) ?? 0;
      if (n >= (f.times ?? Number.POSITIVE_INFINITY)) continue;
      hits.set(f, n + 1);
      return f;
    }
    return null;
  };
}

/** The whole request body as text. */
export async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

export interface LocalServer {
  /** `https://127.0.0.1:<port>` (or http without TLS) */
  url: string;
  close(): Promise<void>;
}

/**
 * Serve `handler` on 127.0.0.1 and an ephemeral port: HTTPS with this key and certificate, plain
 * HTTP without. A handler that throws answers HTTP 500.
 */
export async function listenLocal(
  tls: { key: string; cert: string } | null | undefined,
  handler: (req: IncomingMessage, res: ServerResponse) => Promise<unknown>,
): Promise<LocalServer> {
  const listener = (req: IncomingMessage, res: ServerResponse) => {
    handler(req, res).catch(() => {
      if (!res.headersSent) res.writeHead(500);
      res.end();
    });
  };
  const server: Server = tls
    ? createHttpsServer({ key: tls.key, cert: tls.cert }, listener)
    : createHttpServer(listener);
  // Track raw sockets: a TLS handshake still in progress is not yet an HTTP connection, and
  // close() would otherwise wait for it (and its keep-alive) to time out.
  const sockets = new Set<Socket>();
  server.on('connection', (socket: Socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `${tls ? 'https' : 'http'}://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((err) => (err ? reject(err) : resolve()));
        for (const socket of sockets) socket.destroy();
      }),
  };
}
