import { createHash, randomBytes } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { createServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { createLocalTls } from './idp-tls.js';
import type { DemoService } from './services.js';

/**
 * A local stand-in for Azure Resource Manager, Resource Graph and the Entra token endpoint, over
 * HTTPS with a throw-away CA. The demo, and the collector's tests, point the real Azure SDK clients
 * and credential classes at it with the collector's `endpoint`, `authorityHost` and `caFile` options.
 *
 * It serves a dataset of recorded replies: `arm.json` maps a Resource Manager path (lower case, no
 * query) to the body Azure returned for it, and `resource-graph.json` is one Resource Graph reply
 * holding every row, which the server pages through with `$top` and `$skipToken` as Resource Graph
 * does. Resource Graph queries are not run as KQL: the server honours the `type in~ (...)` filter and
 * the `summarize ... by subscriptionId, location` the collector sends, and nothing else.
 */

export interface AzureDataset {
  /** lower-cased Resource Manager path without query → reply body */
  arm: Record<string, unknown>;
  /** every row Resource Graph holds, as in a `resources` reply with resultFormat objectArray */
  graph: { data: Array<Record<string, unknown>> };
}

export async function loadAzureDataset(dir: string): Promise<AzureDataset> {
  const arm = JSON.parse(await readFile(join(dir, 'arm.json'), 'utf8')) as Record<string, unknown>;
  const graph = JSON.parse(await readFile(join(dir, 'resource-graph.json'), 'utf8')) as AzureDataset['graph'];
  return { arm: Object.fromEntries(Object.entries(arm).map(([k, v]) => [k.toLowerCase(), v])), graph };
}

export interface LocalCa {
  /** PEM of the CA certificate */
  ca: string;
  /** path of the CA certificate, for the collector's `caFile` */
  caFile: string;
  key: string;
  cert: string;
  remove(): Promise<void>;
}

/** A CA and a server certificate for 127.0.0.1 and localhost, made with the openssl CLI. */
export function createLocalCa(): Promise<LocalCa> {
  return createLocalTls('Azure stand-in');
}

export interface ArmRequest {
  method: string;
  /** path as sent, without query */
  path: string;
  query: URLSearchParams;
  /** parsed JSON body of a POST, else undefined */
  body: unknown;
  headers: IncomingMessage['headers'];
}

export interface ArmReply {
  status: number;
  headers?: Record<string, string>;
  /** an object is sent as JSON; a string as is */
  body: unknown;
}

export interface ArmServerLogEntry {
  method: string;
  /** path and query as sent */
  url: string;
  status: number;
  at: number;
  /** the `options` of a Resource Graph query */
  graphOptions?: Record<string, unknown>;
}

export interface AzureArmServerOptions {
  dataset: AzureDataset;
  tls: { key: string; cert: string };
  /** the one app the token endpoint signs in */
  tenantId: string;
  clientId: string;
  clientSecret: string;
  /** a federated token (e.g. a GitHub Actions OIDC token) the token endpoint accepts as client assertion */
  federatedAssertion?: string;
  /** Resource Graph page size cap (Resource Graph's own is 1000) */
  graphPageSize?: number;
  /** Resource Manager list page size; longer `value` arrays are split with `nextLink` */
  armPageSize?: number;
  /** Resource Graph quota per user: queries per window, as in x-ms-user-quota-* (default 15 per 5 s) */
  graphQuota?: { queries: number; windowMs: number };
  /** subscriptions the signed-in app has no role on: Resource Manager says 403, Resource Graph leaves them out */
  deniedSubscriptions?: string[];
  /** milliseconds to wait before answering an authenticated request (slow links, timeouts) */
  latency?: (req: ArmRequest) => number;
  /** look at every authenticated request first; a reply returned here is sent instead of the normal one */
  intercept?: (req: ArmRequest) => ArmReply | undefined;
}

export interface AzureArmServer {
  url: string;
  log: ArmServerLogEntry[];
  tokensIssued: number;
  close(): Promise<void>;
}

const armError = (status: number, code: string, message: string): ArmReply => ({
  status,
  body: { error: { code, message } },
});

/** The RBAC action a Reader-less caller would be refused for this GET, as ARM names it. */
function readAction(path: string): string {
  const parts = path.split('/').filter(Boolean);
  const i = parts.findIndex((p) => p.toLowerCase() === 'providers');
  if (i < 0)
    return parts.length > 2
      ? 'Microsoft.Resources/subscriptions/resourceGroups/read'
      : 'Microsoft.Resources/subscriptions/read';
  const ns = parts[i + 1] ?? '';
  // type segments are every other segment after the namespace: type, name, type, name ...
  const types = parts.slice(i + 2).filter((_, j) => j % 2 === 0);
  return `${ns}/${types.join('/')}/read`;
}

const isGraphRequest = (req: ArmRequest) =>
  req.method === 'POST' && /^\/providers\/microsoft\.resourcegraph\/resources$/i.test(req.path);

const skipTokenFor = (offset: number, key: string) =>
  Buffer.from(JSON.stringify({ o: offset, k: key })).toString('base64');

export async function startAzureArmServer(opts: AzureArmServerOptions): Promise<AzureArmServer> {
  const log: ArmServerLogEntry[] = [];
  const tokens = new Set<string>();
  const denied = new Set((opts.deniedSubscriptions ?? []).map((s) => s.toLowerCase()));
  const quota = opts.graphQuota ?? { queries: 15, windowMs: 5000 };
  let window = { start: 0, used: 0 };
  let tokensIssued = 0;
  let base = '';

  const send = (res: ServerResponse, entry: ArmServerLogEntry, reply: ArmReply) => {
    entry.status = reply.status;
    log.push(entry);
    const text = typeof reply.body === 'string' ? reply.body : JSON.stringify(reply.body);
    res.writeHead(reply.status, {
      'content-type':
        typeof reply.body === 'string' ? 'text/html; charset=utf-8' : 'application/json; charset=utf-8',
      'x-ms-request-id': randomBytes(8).toString('hex'),
      ...reply.headers,
    });
    res.end(text);
  };

  const openIdConfiguration = (tenant: string): ArmReply => ({
    status: 200,
    body: {
      token_endpoint: `${base}/${tenant}/oauth2/v2.0/token`,
      authorization_endpoint: `${base}/${tenant}/oauth2/v2.0/authorize`,
      issuer: `${base}/${tenant}/v2.0`,
      jwks_uri: `${base}/${tenant}/discovery/v2.0/keys`,
      end_session_endpoint: `${base}/${tenant}/oauth2/v2.0/logout`,
      token_endpoint_auth_methods_supported: ['client_secret_post', 'private_key_jwt', 'client_secret_basic'],
      response_types_supported: ['code', 'id_token', 'code id_token', 'id_token token'],
      tenant_region_scope: 'EU',
    },
  });

  const token = (tenant: string, form: URLSearchParams): ArmReply => {
    if (tenant !== opts.tenantId)
      return {
        status: 400,
        body: { error: 'invalid_tenant', error_description: `AADSTS90002: Tenant '${tenant}' not found.` },
      };
    const assertion = form.get('client_assertion');
    const federated =
      assertion !== null &&
      form.get('client_assertion_type') === 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer' &&
      assertion === opts.federatedAssertion;
    if (assertion !== null && !federated && form.get('client_id') === opts.clientId)
      return {
        status: 400,
        body: {
          error: 'invalid_client',
          error_description: `AADSTS700213: No matching federated identity record found for presented assertion subject.`,
        },
      };
    if (
      form.get('client_id') !== opts.clientId ||
      (!federated && form.get('client_secret') !== opts.clientSecret)
    )
      return {
        status: 401,
        body: {
          error: 'invalid_client',
          error_description: `AADSTS7000215: Invalid client secret provided. Ensure the secret being sent in the request is the client secret value, not the client secret ID, for a secret added to app '${form.get('client_id')}'.`,
        },
      };
    const scope = form.get('scope') ?? '';
    if (scope !== `${base}/.default`)
      return {
        status: 400,
        body: {
          error: 'invalid_scope',
          error_description: `AADSTS70011: The provided value for scope ${scope} is not valid.`,
        },
      };
    const accessToken = `demo.${randomBytes(16).toString('hex')}`;
    tokens.add(accessToken);
    tokensIssued += 1;
    return {
      status: 200,
      body: { token_type: 'Bearer', expires_in: 3599, ext_expires_in: 3599, access_token: accessToken },
    };
  };

  const graphQuery = (body: unknown): ArmReply => {
    const now = Date.now();
    if (now - window.start >= quota.windowMs) window = { start: now, used: 0 };
    const resetsIn = Math.max(0, quota.windowMs - (now - window.start));
    // whole seconds, rounded up, as hh:mm:ss
    const resets = new Date(Math.ceil(resetsIn / 1000) * 1000).toISOString().slice(11, 19);
    if (window.used >= quota.queries)
      return {
        status: 429,
        headers: { 'x-ms-user-quota-remaining': '0', 'x-ms-user-quota-resets-after': resets },
        body: {
          error: {
            code: 'RateLimiting',
            message:
              'Please provide below info when asking for support: timestamp = ..., correlationId = ....',
            details: [
              {
                code: 'RateLimiting',
                message:
                  'Client application has been throttled and should not attempt to repeat the request until an amount of time has elapsed. Please see https://aka.ms/resourcegraph-throttling for help.',
              },
            ],
          },
        },
      };
    window.used += 1;
    const quotaHeaders = {
      'x-ms-user-quota-remaining': String(quota.queries - window.used),
      'x-ms-user-quota-resets-after': resets,
    };
    const q = (body ?? {}) as { query?: unknown; subscriptions?: unknown; options?: Record<string, unknown> };
    if (typeof q.query !== 'string')
      return armError(
        400,
        'BadRequest',
        'Please provide below info when asking for support: query is required.',
      );
    const subs = new Set(
      (Array.isArray(q.subscriptions) ? q.subscriptions : [])
        .map((s) => String(s).toLowerCase())
        .filter((s) => !denied.has(s)),
    );
    let rows = opts.dataset.graph.data.filter((r) => subs.has(String(r.subscriptionId).toLowerCase()));
    const types = /type\s+in~\s*\(([^)]*)\)/i.exec(q.query)?.[1];
    if (types) {
      const wanted = new Set([...types.matchAll(/'([^']+)'/g)].map((m) => (m[1] ?? '').toLowerCase()));
      rows = rows.filter((r) => wanted.has(String(r.type).toLowerCase()));
    }
    if (/summarize\b/i.test(q.query)) {
      const counts = new Map<string, { subscriptionId: string; location: string; resources: number }>();
      for (const r of rows) {
        const key = `${r.subscriptionId}|${r.location}`;
        const c = counts.get(key) ?? {
          subscriptionId: String(r.subscriptionId),
          location: String(r.location ?? ''),
          resources: 0,
        };
        c.resources += 1;
        counts.set(key, c);
      }
      rows = [...counts.values()];
    }
    const key = createHash('sha256')
      .update(JSON.stringify([q.query, [...subs].sort()]))
      .digest('hex')
      .slice(0, 16);
    const options = q.options ?? {};
    let offset = 0;
    if (typeof options.$skipToken === 'string') {
      try {
        const t = JSON.parse(Buffer.from(options.$skipToken, 'base64').toString('utf8')) as {
          o: number;
          k: string;
        };
        if (t.k !== key) throw new Error('token of another query');
        offset = t.o;
      } catch {
        return armError(
          400,
          'BadRequest',
          'Please provide below info when asking for support: invalid $skipToken.',
        );
      }
    }
    const top = Math.min(Number(options.$top ?? 1000), opts.graphPageSize ?? 1000, 1000);
    const data = rows.slice(offset, offset + top);
    const next = offset + data.length;
    return {
      status: 200,
      headers: quotaHeaders,
      body: {
        totalRecords: rows.length,
        count: data.length,
        data,
        facets: [],
        resultTruncated: 'false',
        ...(next < rows.length ? { $skipToken: skipTokenFor(next, key) } : {}),
      },
    };
  };

  const armGet = (path: string, query: URLSearchParams): ArmReply => {
    const apiVersion = query.get('api-version');
    if (!apiVersion)
      return armError(
        400,
        'MissingApiVersionParameter',
        'The api-version query parameter (?api-version=) is required for all requests.',
      );
    const key = path.toLowerCase().replace(/\/+$/, '');
    const sub = /^\/subscriptions\/([^/]+)/.exec(key)?.[1];
    if (sub && denied.has(sub))
      return armError(
        403,
        'AuthorizationFailed',
        `The client '${opts.clientId}' with object id '${opts.clientId}' does not have authorization to perform action '${readAction(path)}' over scope '${path}' or the scope is invalid. If access was recently granted, please refresh your credentials.`,
      );
    let body = opts.dataset.arm[key];
    if (body === undefined && sub && key === `/subscriptions/${sub}`) {
      // a subscription GET answers from the subscription list
      const list = opts.dataset.arm['/subscriptions'] as
        | { value?: Array<{ subscriptionId?: string }> }
        | undefined;
      body = list?.value?.find((s) => s.subscriptionId?.toLowerCase() === sub);
      if (body === undefined)
        return armError(404, 'SubscriptionNotFound', `The subscription '${sub}' could not be found.`);
    }
    if (body === undefined)
      return armError(404, 'ResourceNotFound', `The Resource '${path.replace(/^\//, '')}' was not found.`);
    const value = (body as { value?: unknown }).value;
    if (opts.armPageSize && Array.isArray(value) && value.length > opts.armPageSize) {
      const offset = Number(query.get('$skiptoken') ?? 0);
      const page = value.slice(offset, offset + opts.armPageSize);
      const next = offset + page.length;
      const nextLink =
        next < value.length ? `${base}${path}?api-version=${apiVersion}&%24skiptoken=${next}` : undefined;
      return { status: 200, body: { ...(body as object), value: page, ...(nextLink ? { nextLink } : {}) } };
    }
    return { status: 200, body };
  };

  /** the answer to an authenticated Resource Manager or Resource Graph request */
  const reply = (req: ArmRequest): ArmReply => {
    const intercepted = opts.intercept?.(req);
    if (intercepted) return intercepted;
    if (isGraphRequest(req)) {
      if (!req.query.get('api-version'))
        return armError(
          400,
          'MissingApiVersionParameter',
          'The api-version query parameter (?api-version=) is required for all requests.',
        );
      return graphQuery(req.body);
    }
    if (req.method === 'GET') return armGet(req.path, req.query);
    return armError(
      405,
      'MethodNotAllowed',
      `The requested resource does not support http method '${req.method}'.`,
    );
  };

  const server = createServer({ key: opts.tls.key, cert: opts.tls.cert }, (req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const url = new URL(req.url ?? '/', base);
      const text = Buffer.concat(chunks).toString('utf8');
      const entry: ArmServerLogEntry = {
        method: req.method ?? 'GET',
        url: `${url.pathname}${url.search}`,
        status: 0,
        at: Date.now(),
      };
      const path = url.pathname.replace(/\/{2,}/g, '/');
      const oidc = /^\/([^/]+)\/v2\.0\/\.well-known\/openid-configuration$/.exec(path);
      if (oidc) return send(res, entry, openIdConfiguration(oidc[1] ?? ''));
      const tokenPath = /^\/([^/]+)\/oauth2\/v2\.0\/token$/.exec(path);
      if (tokenPath && req.method === 'POST')
        return send(res, entry, token(tokenPath[1] ?? '', new URLSearchParams(text)));

      const auth = /^Bearer (.+)$/i.exec(req.headers.authorization ?? '')?.[1];
      if (!auth || !tokens.has(auth))
        return send(res, entry, armError(401, 'InvalidAuthenticationToken', 'The access token is invalid.'));
      let body: unknown;
      if (text) {
        try {
          body = JSON.parse(text);
        } catch {
          return send(
            res,
            entry,
            armError(
              400,
              'InvalidRequestContent',
              'The request content was invalid and could not be deserialized.',
            ),
          );
        }
      }
      const armRequest: ArmRequest = {
        method: req.method ?? 'GET',
        path,
        query: url.searchParams,
        body,
        headers: req.headers,
      };
      if (isGraphRequest(armRequest))
        entry.graphOptions = ((body ?? {}) as { options?: Record<string, unknown> }).options ?? {};
      const delay = opts.latency?.(armRequest) ?? 0;
      if (delay > 0) setTimeout(() => res.destroyed || send(res, entry, reply(armRequest)), delay);
      else send(res, entry, reply(armRequest));
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  base = `https://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url: base,
    log,
    get tokensIssued() {
      return tokensIssued;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** The demo plant's one subscription. */
export const DEMO_SUBSCRIPTION = '00000000-0000-0000-0000-0000000000a1';
const DEMO_TENANT = '00000000-0000-0000-0000-0000000000e1';
const DEMO_CLIENT = '00000000-0000-0000-0000-0000000000c1';
const SECRET_ENV = 'PLANTPROOF_DEMO_AZURE_CLIENT_SECRET';

/** Azure Resource Manager, Resource Graph and sign-in for subscription acme-plant-prod, on 127.0.0.1. */
export const azureDemoService: DemoService = {
  name: 'Azure Resource Manager',
  async start({ exampleDir }) {
    const dataset = await loadAzureDataset(join(exampleDir, 'demo-data', 'azure'));
    let ca: LocalCa;
    try {
      ca = await createLocalCa();
    } catch {
      // Without openssl there is no certificate to serve HTTPS with; the demo runs without Azure.
      return { collectors: [], close: async () => undefined };
    }
    const secret = randomBytes(24).toString('base64url');
    const server = await startAzureArmServer({
      dataset,
      tls: ca,
      tenantId: DEMO_TENANT,
      clientId: DEMO_CLIENT,
      clientSecret: secret,
    }).catch(async (err) => {
      await ca.remove();
      throw err;
    });
    return {
      collectors: [
        {
          type: 'azure',
          name: 'acme-plant-prod',
          subscriptions: [DEMO_SUBSCRIPTION],
          tenantId: DEMO_TENANT,
          clientId: DEMO_CLIENT,
          clientSecretEnv: SECRET_ENV,
          endpoint: server.url,
          authorityHost: server.url,
          caFile: ca.caFile,
        },
      ],
      env: { [SECRET_ENV]: secret },
      async close() {
        await server.close();
        await ca.remove();
      },
    };
  },
};
