import { createPublicKey, type KeyObject, randomBytes, verify } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { join } from 'node:path';
import { demoShiftDays, shiftDatesInValue } from './clock.js';
import type { LocalServer, StandInFault } from './idp-server.js';
import { faultCounter, listenLocal, loadJsonFiles, readBody } from './idp-server.js';
import { localTls } from './idp-tls.js';
import type { DemoService } from './services.js';

/**
 * A local stand-in for the parts of the Okta Management API the okta collector reads, speaking
 * Okta's wire protocol: SSWS or OAuth (private_key_jwt client credentials) authentication, cursor
 * paging with `Link: <…>; rel="next"` headers, `X-Rate-Limit-*` headers per endpoint, and Okta's
 * error bodies (errorCode, errorSummary). Faults can be injected: 429s, 403s, replies that are
 * not JSON. The demo serves the demo plant's org from it; the tests use it to replay fixtures.
 */

/** One org's recorded replies: list bodies as Okta returns them, per user or policy where the API is. */
export interface OktaOrgData {
  /** GET /api/v1/users, all pages concatenated (DEPROVISIONED users included; the server filters) */
  users: unknown[];
  /** GET /api/v1/users/{id}/factors, by user id */
  factors: Record<string, unknown[]>;
  /** GET /api/v1/users/{id}/roles, by user id */
  roles: Record<string, unknown[]>;
  /** GET /api/v1/users/{id}/groups, by user id */
  groups: Record<string, unknown[]>;
  /** GET /api/v1/policies?type=…, by type; a type missing here is an empty list (ACCESS_POLICY: see classicEngine) */
  policies: Record<string, unknown[]>;
  /** GET /api/v1/policies/{id}/rules, by policy id */
  rules: Record<string, unknown[]>;
}

const FILES: Record<keyof OktaOrgData, string> = {
  users: 'users.json',
  factors: 'factors.json',
  roles: 'roles.json',
  groups: 'user-groups.json',
  policies: 'policies.json',
  rules: 'policy-rules.json',
};

/** Read an org's replies from a directory of JSON files (users.json, factors.json, …). */
export function loadOktaOrgData(dir: string): Promise<OktaOrgData> {
  return loadJsonFiles<OktaOrgData>(dir, FILES);
}

/** Which requests a fault hits (path with query, e.g. `/api/v1/users?limit=2`) and how often. */
export type OktaFault = StandInFault;

export interface OktaServerOptions {
  data: OktaOrgData;
  /** serve HTTPS with this key and certificate; plain HTTP without */
  tls?: { key: string; cert: string } | null;
  /** API token accepted as `Authorization: SSWS <token>` */
  apiToken?: string;
  /** an OAuth service app: client id, its public key (PEM) and the scopes granted to it */
  oauth?: { clientId: string; publicKey: string; grantedScopes: string[] };
  /** largest page any list endpoint returns (Okta: 200 for users) */
  maxPageSize?: number;
  /** requests per window per endpoint before HTTP 429 (default 600 a minute), for the paths matched (default all) */
  rateLimit?: { limit: number; windowSeconds: number; match?: RegExp };
  /** ACCESS_POLICY is refused with HTTP 400, as on an org still on Classic Engine */
  classicEngine?: boolean;
  faults?: { throttle?: OktaFault[]; forbidden?: OktaFault[]; garbage?: OktaFault[] };
}

export interface OktaRequestLog {
  method: string;
  path: string;
  status: number;
  auth: 'ssws' | 'bearer' | 'none';
  retryCount: number;
  at: number;
}

export interface StartedOktaServer extends LocalServer {
  requests: OktaRequestLog[];
}

const ERRORS = {
  E0000006: 'You do not have permission to perform the requested action',
  E0000007: 'Not found: Resource not found',
  E0000011: 'Invalid token provided',
  E0000001: 'Api validation failed: type',
  E0000047: 'API call exceeded rate limit due to too many requests.',
} as const;

const SCOPE_OF: Array<[RegExp, string]> = [
  [/^\/api\/v1\/users\/[^/]+\/roles$/, 'okta.roles.read'],
  [/^\/api\/v1\/users\/[^/]+\/groups$/, 'okta.groups.read'],
  [/^\/api\/v1\/users(\/[^/]+\/factors)?$/, 'okta.users.read'],
  [/^\/api\/v1\/policies(\/[^/]+\/rules)?$/, 'okta.policies.read'],
];

function b64urlJson(part: string | undefined): Record<string, unknown> | null {
  try {
    return JSON.parse(Buffer.from(part ?? '', 'base64url').toString('utf8'));
  } catch {
    return null;
  }
}

/** Check a private_key_jwt client assertion the way Okta does: signature, issuer, subject, audience, expiry. */
function verifyAssertion(jwt: string, key: KeyObject, clientId: string, audience: string): boolean {
  const [h, p, sig] = jwt.split('.');
  const header = b64urlJson(h);
  const claims = b64urlJson(p);
  if (!header || !claims || !sig) return false;
  const alg = String(header.alg);
  const signed = Buffer.from(`${h}.${p}`);
  const signature = Buffer.from(sig, 'base64url');
  const ok =
    alg === 'RS256'
      ? verify('sha256', signed, key, signature)
      : alg === 'ES256'
        ? verify('sha256', signed, { key, dsaEncoding: 'ieee-p1363' }, signature)
        : false;
  const now = Date.now() / 1000;
  return (
    ok &&
    claims.iss === clientId &&
    claims.sub === clientId &&
    claims.aud === audience &&
    Number(claims.exp) > now
  );
}

export async function startOktaServer(opts: OktaServerOptions): Promise<StartedOktaServer> {
  const requests: OktaRequestLog[] = [];
  const maxPage = opts.maxPageSize ?? 200;
  const limit = opts.rateLimit ?? { limit: 600, windowSeconds: 60 };
  const windows = new Map<string, { start: number; count: number }>();
  const accessTokens = new Map<string, Set<string>>();
  const publicKey = opts.oauth ? createPublicKey(opts.oauth.publicKey) : null;
  let base = '';

  const hits = faultCounter<OktaFault>();

  const handler = async (req: IncomingMessage, res: ServerResponse) => {
    const url = new URL(req.url ?? '/', base);
    const target = url.pathname + url.search;
    const authz = req.headers.authorization ?? '';
    const entry: OktaRequestLog = {
      method: req.method ?? 'GET',
      path: target,
      status: 0,
      auth: authz.startsWith('SSWS ') ? 'ssws' : authz.startsWith('Bearer ') ? 'bearer' : 'none',
      retryCount: Number(req.headers['x-okta-retry-count'] ?? 0),
      at: Date.now(),
    };
    requests.push(entry);
    const body = await readBody(req);
    const send = (status: number, payload: unknown, headers: Record<string, string | string[]> = {}) => {
      entry.status = status;
      const text = typeof payload === 'string' ? payload : JSON.stringify(payload);
      res.writeHead(status, {
        'Content-Type': 'application/json',
        'X-Okta-Request-Id': randomId(),
        ...headers,
      });
      res.end(text);
    };
    const oktaError = (
      status: number,
      code: keyof typeof ERRORS,
      headers: Record<string, string | string[]> = {},
    ) =>
      send(
        status,
        {
          errorCode: code,
          errorSummary: ERRORS[code],
          errorLink: code,
          errorId: `oae${randomId()}`,
          errorCauses: [],
        },
        headers,
      );

    if (req.method === 'POST' && url.pathname === '/oauth2/v1/token') {
      const form = new URLSearchParams(body);
      const app = opts.oauth;
      const assertion = form.get('client_assertion') ?? '';
      if (!app || !publicKey || form.get('grant_type') !== 'client_credentials') {
        return send(400, { error: 'invalid_request', error_description: 'Unsupported grant.' });
      }
      if (!verifyAssertion(assertion, publicKey, app.clientId, `${base}/oauth2/v1/token`)) {
        return send(401, {
          error: 'invalid_client',
          error_description: 'The client_assertion token is invalid.',
        });
      }
      const asked = (form.get('scope') ?? '').split(' ').filter(Boolean);
      const refused = asked.filter((s) => !app.grantedScopes.includes(s));
      if (refused.length > 0) {
        return send(400, {
          error: 'invalid_scope',
          error_description: `The following scopes are not allowed: ${refused.join(', ')}`,
        });
      }
      const token = `ey${randomBytes(24).toString('base64url')}`;
      accessTokens.set(token, new Set(asked));
      return send(200, {
        token_type: 'Bearer',
        expires_in: 3600,
        access_token: token,
        scope: asked.join(' '),
      });
    }

    // Authentication first, as Okta does: a bad token never learns whether a resource exists.
    let scopes: Set<string> | null = null;
    if (entry.auth === 'ssws' && opts.apiToken && authz === `SSWS ${opts.apiToken}`) {
      scopes = null;
    } else if (entry.auth === 'bearer' && accessTokens.has(authz.slice(7))) {
      scopes = accessTokens.get(authz.slice(7)) ?? new Set();
    } else {
      return oktaError(401, 'E0000011', { 'WWW-Authenticate': 'SSWS realm="Okta"' });
    }

    // Rate limit per endpoint family, reported on every reply.
    const bucket = url.pathname.replace(/\/(users|policies)\/[^/]+/g, '/$1/*');
    const now = Date.now();
    const windowMs = limit.windowSeconds * 1000;
    let w = windows.get(bucket);
    if (!w || now >= w.start + windowMs) {
      // windows start on whole seconds, so X-Rate-Limit-Reset (epoch seconds) is exact
      w = { start: Math.floor(now / 1000) * 1000, count: 0 };
      windows.set(bucket, w);
    }
    const resetAt = (w.start + windowMs) / 1000;
    const rate = (remaining: number, reset = resetAt) => ({
      'X-Rate-Limit-Limit': String(limit.limit),
      'X-Rate-Limit-Remaining': String(Math.max(0, remaining)),
      'X-Rate-Limit-Reset': String(reset),
    });
    if (hits(opts.faults?.throttle, target)) {
      return oktaError(429, 'E0000047', rate(0, Math.ceil(now / 1000)));
    }
    const limited = !limit.match || limit.match.test(target);
    if (limited && w.count >= limit.limit) return oktaError(429, 'E0000047', rate(0));
    if (limited) w.count += 1;
    const headers = rate(limit.limit - w.count);

    const needed = SCOPE_OF.find(([re]) => re.test(url.pathname))?.[1];
    if (scopes && needed && !scopes.has(needed)) {
      return oktaError(403, 'E0000006', {
        ...headers,
        'WWW-Authenticate': `Bearer authorization_uri="${base}/oauth2/v1/authorize", realm="${base}", scope="${needed}", error="insufficient_scope", error_description="The access token provided does not contain the required scopes.", resource="${url.pathname}"`,
      });
    }
    if (hits(opts.faults?.forbidden, target)) return oktaError(403, 'E0000006', headers);
    if (hits(opts.faults?.garbage, target)) {
      entry.status = 200;
      res.writeHead(200, { 'Content-Type': 'application/json', ...headers });
      return res.end(
        '<html><head><title>502 Bad Gateway</title></head><body>upstream timed out</body></html>',
      );
    }
    if (req.method !== 'GET') return oktaError(404, 'E0000007', headers);

    const page = (items: unknown[]) => {
      const size = Math.min(Number(url.searchParams.get('limit') ?? maxPage) || maxPage, maxPage);
      const after = url.searchParams.get('after');
      const start = after ? items.findIndex((i) => idOf(i) === after) + 1 : 0;
      const slice = items.slice(start, start + size);
      const self = new URL(url);
      const links = [`<${self}>; rel="self"`];
      if (start + size < items.length && slice.length > 0) {
        const next = new URL(url);
        next.searchParams.set('after', idOf(slice[slice.length - 1]));
        next.searchParams.set('limit', String(size));
        links.push(`<${next}>; rel="next"`);
      }
      return send(200, slice, { ...headers, Link: links });
    };

    const path = url.pathname;
    if (path === '/api/v1/users') {
      const deprovisioned = /status eq "DEPROVISIONED"/.test(url.searchParams.get('filter') ?? '');
      return page(opts.data.users.filter((u) => (statusOf(u) === 'DEPROVISIONED') === deprovisioned));
    }
    const perUser = /^\/api\/v1\/users\/([^/]+)\/(factors|roles|groups)$/.exec(path);
    if (perUser) {
      const [, id, what] = perUser as unknown as [string, string, 'factors' | 'roles' | 'groups'];
      if (!opts.data.users.some((u) => idOf(u) === id)) return oktaError(404, 'E0000007', headers);
      return page(opts.data[what][id] ?? []);
    }
    if (path === '/api/v1/policies') {
      const type = url.searchParams.get('type') ?? '';
      if (type === 'ACCESS_POLICY' && opts.classicEngine) return oktaError(400, 'E0000001', headers);
      return page(opts.data.policies[type] ?? []);
    }
    const rules = /^\/api\/v1\/policies\/([^/]+)\/rules$/.exec(path);
    if (rules) {
      const id = rules[1] ?? '';
      if (!(id in opts.data.rules)) return oktaError(404, 'E0000007', headers);
      return page(opts.data.rules[id] ?? []);
    }
    return oktaError(404, 'E0000007', headers);
  };

  const server = await listenLocal(opts.tls, handler);
  base = server.url;
  return { url: base, requests, close: server.close };
}

function idOf(item: unknown): string {
  return String((item as { id?: unknown })?.id ?? '');
}

function statusOf(item: unknown): string {
  return String((item as { status?: unknown })?.status ?? '');
}

function randomId(): string {
  return randomBytes(10).toString('base64url');
}

/** The demo plant's Okta org (examples/acme-plant/demo-data/okta), over HTTPS when openssl is there. */
export const oktaDemoService: DemoService = {
  name: 'Okta',
  async start({ exampleDir }) {
    const recorded = await loadOktaOrgData(join(exampleDir, 'demo-data', 'okta'));
    const data = shiftDatesInValue(recorded, demoShiftDays(new Date()));
    const tls = await localTls();
    const token = `demo${randomBytes(16).toString('hex')}`;
    const server = await startOktaServer({ data, tls, apiToken: token, maxPageSize: 5 });
    return {
      collectors: [
        {
          type: 'okta',
          name: 'acme-plant.okta.com',
          orgUrl: server.url,
          envPrefix: 'PLANTPROOF_DEMO_OKTA',
          pageSize: 5,
          ...(tls ? { caFile: tls.caFile } : {}),
        },
      ],
      env: { PLANTPROOF_DEMO_OKTA_API_TOKEN: token },
      close: server.close,
    };
  },
};
