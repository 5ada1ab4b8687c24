import { randomBytes, randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { join } from 'node:path';
import { demoShiftDays, shiftDatesInValue } from './clock.js';
import type { LocalServer, StandInFault } from './idp-server.js';
import { faultCounter, listenLocal, loadJsonFiles, readBody } from './idp-server.js';
import { localTls } from './idp-tls.js';
import type { DemoService } from './services.js';

/**
 * A local stand-in for the Microsoft Graph calls the entra collector makes, and for the Entra
 * sign-in endpoint @azure/identity asks for an app token (OpenID configuration and the
 * client-credentials token endpoint). It speaks Graph's wire protocol: `value` pages with an
 * absolute `@odata.nextLink`, `$select`, `$top`, `$expand=principal`, Graph error bodies, 429 with
 * Retry-After, and the 403 a tenant without a premium licence gets for sign-in activity. Faults
 * can be injected. The demo serves the demo plant's tenant from it; the tests replay fixtures.
 */

/** One tenant's recorded replies. */
export interface EntraTenantData {
  tenant: { tenantId: string; displayName: string };
  /** GET /v1.0/users with every field the collector selects, signInActivity included */
  users: unknown[];
  /** GET /v1.0/reports/authenticationMethods/userRegistrationDetails */
  registrationDetails: unknown[];
  /** GET /v1.0/identity/conditionalAccess/policies */
  conditionalAccessPolicies: unknown[];
  /** GET /v1.0/policies/identitySecurityDefaultsEnforcementPolicy */
  securityDefaults: unknown;
  /** GET /v1.0/roleManagement/directory/roleDefinitions */
  roleDefinitions: unknown[];
  /** GET /v1.0/roleManagement/directory/roleAssignments?$expand=principal */
  roleAssignments: unknown[];
  /** GET /v1.0/groups/{id} */
  groups: unknown[];
  /** GET /v1.0/groups/{id}/transitiveMembers, by group id */
  groupMembers: Record<string, unknown[]>;
  /** GET /v1.0/users/{id}/transitiveMemberOf/microsoft.graph.group, by user id */
  memberOf: Record<string, unknown[]>;
}

const FILES: Record<keyof EntraTenantData, string> = {
  tenant: 'tenant.json',
  users: 'users.json',
  registrationDetails: 'userRegistrationDetails.json',
  conditionalAccessPolicies: 'conditionalAccessPolicies.json',
  securityDefaults: 'identitySecurityDefaultsEnforcementPolicy.json',
  roleDefinitions: 'roleDefinitions.json',
  roleAssignments: 'roleAssignments.json',
  groups: 'groups.json',
  groupMembers: 'groupMembers.json',
  memberOf: 'memberOf.json',
};

export function loadEntraTenantData(dir: string): Promise<EntraTenantData> {
  return loadJsonFiles<EntraTenantData>(dir, FILES);
}

/** Which requests a fault hits (path with query, e.g. `/v1.0/users?$select=…`) and how often. */
export interface GraphFault extends StandInFault {
  /** seconds in the Retry-After header of a 429 (default 1) */
  retryAfter?: number;
}

export interface GraphServerOptions {
  data: EntraTenantData;
  tls?: { key: string; cert: string } | null;
  /** bearer tokens accepted as they are, besides those the token endpoint issues */
  tokens?: string[];
  /** app registrations that may get a token with a client secret */
  clients?: Array<{ clientId: string; secret: string }>;
  /** the tenant has an Entra ID P1/P2 licence (sign-in activity, the registration report) */
  premium?: boolean;
  maxPageSize?: number;
  faults?: { throttle?: GraphFault[]; forbidden?: GraphFault[]; garbage?: GraphFault[] };
}

export interface GraphRequestLog {
  method: string;
  path: string;
  status: number;
  authorized: boolean;
  retryAttempt: number;
  at: number;
}

export interface StartedGraphServer extends LocalServer {
  requests: GraphRequestLog[];
}

const GRAPH_ERRORS = {
  Authorization_RequestDenied: 'Insufficient privileges to complete the operation.',
  Authentication_RequestFromNonPremiumTenantOrB2CTenant:
    "Neither tenant is B2C or tenant doesn't have premium license",
  InvalidAuthenticationToken: 'Access token validation failure. Invalid audience.',
  Request_ResourceNotFound:
    'Resource does not exist or one of its queried reference-property objects are not present.',
  TooManyRequests: 'Too many requests.',
  BadRequest: 'Unsupported query.',
} as const;

export async function startGraphServer(opts: GraphServerOptions): Promise<StartedGraphServer> {
  const requests: GraphRequestLog[] = [];
  const maxPage = opts.maxPageSize ?? 999;
  const premium = opts.premium ?? true;
  const tokens = new Set(opts.tokens ?? []);
  const tenantId = opts.data.tenant.tenantId;
  let base = '';

  const hit = faultCounter<GraphFault>();

  const handler = async (req: IncomingMessage, res: ServerResponse) => {
    const url = new URL(req.url ?? '/', base);
    // Graph keeps `$` and `,` in its query strings; so does this server, decoded for matching.
    const target = decodeURIComponent(url.pathname + url.search);
    const authz = req.headers.authorization ?? '';
    const entry: GraphRequestLog = {
      method: req.method ?? 'GET',
      path: target,
      status: 0,
      authorized: false,
      retryAttempt: Number(req.headers['retry-attempt'] ?? 0),
      at: Date.now(),
    };
    requests.push(entry);
    const body = await readBody(req);
    const send = (status: number, payload: unknown, headers: Record<string, string> = {}) => {
      entry.status = status;
      res.writeHead(status, {
        'Content-Type':
          'application/json; odata.metadata=minimal; odata.streaming=true; IEEE754Compatible=false; charset=utf-8',
        'request-id': randomUUID(),
        ...headers,
      });
      res.end(typeof payload === 'string' ? payload : JSON.stringify(payload));
    };
    const graphError = (
      status: number,
      code: keyof typeof GRAPH_ERRORS,
      headers: Record<string, string> = {},
    ) =>
      send(
        status,
        {
          error: {
            code,
            message: GRAPH_ERRORS[code],
            innerError: {
              date: new Date().toISOString().slice(0, 19),
              'request-id': randomUUID(),
              'client-request-id': randomUUID(),
            },
          },
        },
        headers,
      );

    // The sign-in endpoint (what @azure/identity calls for a client-credentials token).
    const login = /^\/([^/]+)\/(v2\.0\/\.well-known\/openid-configuration|oauth2\/v2\.0\/token)$/.exec(
      url.pathname,
    );
    if (login) {
      const [, tenant, what] = login as unknown as [string, string, string];
      if (what.startsWith('v2.0')) {
        return send(200, {
          token_endpoint: `${base}/${tenant}/oauth2/v2.0/token`,
          authorization_endpoint: `${base}/${tenant}/oauth2/v2.0/authorize`,
          issuer: `${base}/${tenant}/v2.0`,
          jwks_uri: `${base}/${tenant}/discovery/v2.0/keys`,
          end_session_endpoint: `${base}/${tenant}/oauth2/v2.0/logout`,
          token_endpoint_auth_methods_supported: [
            'client_secret_post',
            'private_key_jwt',
            'client_secret_basic',
          ],
          response_types_supported: ['code', 'id_token', 'code id_token', 'id_token token'],
          tenant_region_scope: 'EU',
        });
      }
      const form = new URLSearchParams(body);
      const client = (opts.clients ?? []).find(
        (c) => c.clientId === form.get('client_id') && c.secret === form.get('client_secret'),
      );
      if (tenant !== tenantId || !client || form.get('grant_type') !== 'client_credentials') {
        return send(401, {
          error: 'invalid_client',
          error_description: `AADSTS7000215: Invalid client secret provided. Ensure the secret being sent in the request is the client secret value, not the client secret ID. Trace ID: ${randomUUID()}`,
          error_codes: [7000215],
        });
      }
      const token = `eyJ0eXAiOiJKV1QiLCJhbGciOiJub25lIn0.${randomBytes(24).toString('base64url')}.`;
      tokens.add(token);
      return send(200, { token_type: 'Bearer', expires_in: 3599, ext_expires_in: 3599, access_token: token });
    }

    if (!authz.startsWith('Bearer ') || !tokens.has(authz.slice(7))) {
      return graphError(401, 'InvalidAuthenticationToken');
    }
    entry.authorized = true;
    const throttle = hit(opts.faults?.throttle, target);
    if (throttle)
      return graphError(429, 'TooManyRequests', { 'Retry-After': String(throttle.retryAfter ?? 1) });
    if (hit(opts.faults?.forbidden, target)) return graphError(403, 'Authorization_RequestDenied');
    if (hit(opts.faults?.garbage, target)) {
      entry.status = 200;
      res.writeHead(200, { 'Content-Type': 'text/html' });
      return res.end('<!DOCTYPE html><html><body><h1>Service Unavailable</h1></body></html>');
    }
    if (req.method !== 'GET') return graphError(400, 'BadRequest');

    const q = new Map<string, string>();
    for (const part of url.search.slice(1).split('&').filter(Boolean)) {
      const i = part.indexOf('=');
      q.set(
        decodeURIComponent(i < 0 ? part : part.slice(0, i)),
        decodeURIComponent(i < 0 ? '' : part.slice(i + 1)),
      );
    }
    const select = q.get('$select')?.split(',').filter(Boolean);
    const project = (item: unknown) => {
      if (!select) return item;
      const o = item as Record<string, unknown>;
      return Object.fromEntries(['@odata.type', 'id', ...select].filter((k) => k in o).map((k) => [k, o[k]]));
    };
    const list = (items: unknown[], context: string) => {
      const top = Math.min(Number(q.get('$top') ?? maxPage) || maxPage, maxPage);
      const skip = q.has('$skiptoken')
        ? Number(Buffer.from(q.get('$skiptoken') ?? '', 'base64url').toString())
        : 0;
      const slice = items.slice(skip, skip + top).map(project);
      const page: Record<string, unknown> = {
        '@odata.context': `${base}/v1.0/$metadata#${context}`,
        value: slice,
      };
      if (skip + top < items.length) {
        const rest = [...q.entries()].filter(([k]) => k !== '$skiptoken').map(([k, v]) => `${k}=${v}`);
        const token = Buffer.from(String(skip + top)).toString('base64url');
        page['@odata.nextLink'] = `${base}${url.pathname}?${[...rest, `$skiptoken=${token}`].join('&')}`;
      }
      return send(200, page);
    };
    const idOf = (x: unknown) => String((x as { id?: unknown }).id ?? '');
    const version = url.pathname.split('/')[1];
    const path = `/${url.pathname.split('/').slice(2).join('/')}`;
    if (version !== 'v1.0' && version !== 'beta') return graphError(400, 'BadRequest');

    if (path === '/users') {
      if (select?.includes('signInActivity') && !premium) {
        return graphError(403, 'Authentication_RequestFromNonPremiumTenantOrB2CTenant');
      }
      return list(opts.data.users, 'users');
    }
    const memberOf = /^\/users\/([^/]+)\/transitiveMemberOf\/microsoft\.graph\.group$/.exec(path);
    if (memberOf) {
      const id = memberOf[1] ?? '';
      if (!opts.data.users.some((u) => idOf(u) === id)) return graphError(404, 'Request_ResourceNotFound');
      return list(opts.data.memberOf[id] ?? [], 'groups');
    }
    if (path === '/reports/authenticationMethods/userRegistrationDetails') {
      if (!premium) return graphError(403, 'Authentication_RequestFromNonPremiumTenantOrB2CTenant');
      return list(opts.data.registrationDetails, 'reports/authenticationMethods/userRegistrationDetails');
    }
    if (path === '/identity/conditionalAccess/policies') {
      return list(opts.data.conditionalAccessPolicies, 'identity/conditionalAccess/policies');
    }
    if (path === '/policies/identitySecurityDefaultsEnforcementPolicy') {
      return send(200, {
        '@odata.context': `${base}/v1.0/$metadata#policies/identitySecurityDefaultsEnforcementPolicy/$entity`,
        ...(opts.data.securityDefaults as object),
      });
    }
    if (path === '/roleManagement/directory/roleDefinitions') {
      return list(opts.data.roleDefinitions, 'roleManagement/directory/roleDefinitions');
    }
    if (path === '/roleManagement/directory/roleAssignments') {
      const expand = q.get('$expand') === 'principal';
      const items = opts.data.roleAssignments.map((a) => {
        if (expand) return a;
        const { principal: _omit, ...rest } = a as Record<string, unknown>;
        return rest;
      });
      return list(items, `roleManagement/directory/roleAssignments${expand ? '(principal())' : ''}`);
    }
    const group = /^\/groups\/([^/]+)(\/transitiveMembers)?$/.exec(path);
    if (group) {
      const id = group[1] ?? '';
      const found = opts.data.groups.find((g) => idOf(g) === id);
      if (!found) return graphError(404, 'Request_ResourceNotFound');
      if (group[2]) return list(opts.data.groupMembers[id] ?? [], 'directoryObjects');
      return send(200, {
        '@odata.context': `${base}/v1.0/$metadata#groups/$entity`,
        ...(project(found) as object),
      });
    }
    return graphError(404, 'Request_ResourceNotFound');
  };

  const server = await listenLocal(opts.tls, handler);
  base = server.url;
  return { url: base, requests, close: server.close };
}

/**
 * The demo plant's Entra tenant (examples/acme-plant/demo-data/entra). The collector signs in
 * with a client secret through @azure/identity against the stand-in's sign-in endpoint, which
 * needs HTTPS; without openssl to make a local CA the service adds no collector.
 */
export const entraDemoService: DemoService = {
  name: 'Microsoft Entra ID',
  async start({ exampleDir }) {
    const recorded = await loadEntraTenantData(join(exampleDir, 'demo-data', 'entra'));
    const data = shiftDatesInValue(recorded, demoShiftDays(new Date()));
    const tls = await localTls();
    if (!tls) return { collectors: [], close: async () => undefined };
    const clientId = '5b1e6a8c-2f4d-4e7a-9c3b-0d8f1a2b3c4d';
    const secret = `demo~${randomBytes(18).toString('base64url')}`;
    const server = await startGraphServer({ data, tls, clients: [{ clientId, secret }], maxPageSize: 4 });
    return {
      collectors: [
        {
          type: 'entra',
          name: 'acme-castings.onmicrosoft.com',
          tenantId: data.tenant.tenantId,
          clientId,
          envPrefix: 'PLANTPROOF_DEMO_ENTRA',
          credential: 'client_secret',
          graphUrl: server.url,
          authorityHost: server.url,
          caFile: tls.caFile,
          pageSize: 4,
        },
      ],
      env: { PLANTPROOF_DEMO_ENTRA_CLIENT_SECRET: secret },
      close: server.close,
    };
  },
};
