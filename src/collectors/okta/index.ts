import type { z } from 'zod';
import { CollectorError } from '../../errors.js';
import { isLoopback, mapLimit, parseReply, readExtraCa } from '../idp-shared.js';
import type { CollectContext, Collector, CollectorOutput } from '../types.js';
import { apiOf, type OktaAuth, OktaClient, OktaRequestError } from './client.js';
import { type CollectedPolicy, normalizeOkta } from './normalize.js';
import {
  OKTA_POLICY_TYPES,
  OktaFactor,
  OktaGroup,
  OktaOptions,
  OktaPolicy,
  OktaPolicyRule,
  OktaRole,
  OktaUser,
} from './schema.js';

/** Credentials from the environment: an API token, or an OAuth service app with a private key. */
export function resolveOktaAuth(
  options: Pick<OktaOptions, 'auth' | 'scopes' | 'envPrefix'>,
  env: NodeJS.ProcessEnv,
): OktaAuth {
  const p = options.envPrefix;
  const token = env[`${p}_API_TOKEN`]?.trim();
  const clientId = env[`${p}_CLIENT_ID`]?.trim();
  const rawKey = env[`${p}_PRIVATE_KEY`]?.trim();
  const mode = options.auth ?? (token ? 'api_token' : clientId || rawKey ? 'oauth' : null);
  if (mode === 'api_token') {
    if (!token) throw new CollectorError(`auth is api_token but ${p}_API_TOKEN is not set`);
    return { kind: 'api_token', token };
  }
  if (mode === 'oauth') {
    if (!clientId || !rawKey) {
      throw new CollectorError(
        `the Okta OAuth service app needs both ${p}_CLIENT_ID and ${p}_PRIVATE_KEY (PEM or JWK) in the environment`,
      );
    }
    // CI secret stores often hold a PEM with its line breaks escaped.
    const privateKey = rawKey.includes('\n') ? rawKey : rawKey.replace(/\\n/g, '\n');
    return {
      kind: 'oauth',
      clientId,
      privateKey,
      keyId: env[`${p}_KEY_ID`]?.trim() || undefined,
      scopes: options.scopes,
    };
  }
  throw new CollectorError(
    `no Okta credentials: set ${p}_API_TOKEN (API token of a read-only administrator) or ${p}_CLIENT_ID and ${p}_PRIVATE_KEY (OAuth service app)`,
  );
}

const denied = (err: unknown): err is OktaRequestError =>
  err instanceof OktaRequestError && err.status === 403;
const gone = (err: unknown): err is OktaRequestError => err instanceof OktaRequestError && err.status === 404;

export const oktaCollector: Collector<OktaOptions> = {
  id: 'okta',
  title:
    'Okta users, MFA factors, admin roles and sign-on, MFA enrollment, password and authentication policies',
  kinds: ['account', 'user', 'identity_policy', 'role_assignment'],
  options: OktaOptions,
  target: (options) => options.name ?? new URL(options.orgUrl).hostname,
  async collect(options, ctx) {
    const orgUrl = new URL(options.orgUrl);
    if (orgUrl.protocol === 'http:' && !isLoopback(orgUrl.hostname)) {
      throw new CollectorError(
        `refusing to send Okta credentials over plain http to ${orgUrl.host}; use https`,
      );
    }
    const org = options.name ?? orgUrl.hostname;
    const auth = resolveOktaAuth(options, ctx.env);
    const client = new OktaClient({
      orgUrl: orgUrl.origin,
      auth,
      ca: await readExtraCa(options.caFile, ctx),
      maxRetries: options.maxRetries,
      maxWaitMs: options.maxWaitSeconds * 1000,
      reserve: options.concurrency,
      signal: ctx.signal,
      onRequest: () => ctx.call(),
      onWait: (message) => ctx.progress(message),
    });

    try {
      return await collectOrg(client, org, orgUrl, options, ctx);
    } finally {
      client.close();
    }
  },
};

/** A list endpoint read to the end; `onPage` gets each page with the rawRef of its evidence record. */
function lister(client: OktaClient, ctx: CollectContext) {
  return async <T>(
    path: string,
    schema: z.ZodType<T>,
    query: Record<string, string> = {},
    onPage?: (items: T[], rawRef: string) => void,
  ): Promise<{ items: T[]; pages: unknown[] }> => {
    const items: T[] = [];
    const pages: unknown[] = [];
    for await (const page of client.pages(path, query)) {
      const parsed = parseReply('Okta', schema.array(), page.body, apiOf(page.url));
      pages.push(page.body);
      items.push(...parsed);
      if (onPage) {
        const u = new URL(page.url);
        onPage(parsed, ctx.raw(`GET ${u.pathname}${u.search}`, page.body));
      }
    }
    return { items, pages };
  };
}

async function collectOrg(
  client: OktaClient,
  org: string,
  orgUrl: URL,
  options: OktaOptions,
  ctx: CollectContext,
): Promise<CollectorOutput> {
  const list = lister(client, ctx);
  ctx.progress('listing users');
  const users = new Map<string, { user: OktaUser; rawRef: string }>();
  const keepUsers = (page: OktaUser[], rawRef: string) => {
    for (const user of page) if (!users.has(user.id)) users.set(user.id, { user, rawRef });
  };
  await list('/api/v1/users', OktaUser, { limit: String(options.pageSize) }, keepUsers);
  if (options.includeDeprovisioned) {
    await list(
      '/api/v1/users',
      OktaUser,
      { filter: 'status eq "DEPROVISIONED"', limit: String(options.pageSize) },
      keepUsers,
    );
  }

  const factors = new Map<string, OktaFactor[] | null>();
  const roles = new Map<string, OktaRole[]>();
  const groups = new Map<string, OktaGroup[] | null>();
  const replies = {
    factors: {} as Record<string, unknown>,
    roles: {} as Record<string, unknown>,
    groups: {} as Record<string, unknown>,
  };
  const flat = (pages: unknown[]) => (pages.length === 1 ? pages[0] : pages.flat());
  const gaps = {
    factors:
      'MFA factors not readable (HTTP 403 on GET /api/v1/users/{id}/factors): MFA enrollment is unknown; grant okta.users.read',
    groups:
      'group memberships not readable (HTTP 403 on GET /api/v1/users/{id}/groups): groups and policy scope are unknown; grant okta.groups.read',
  };
  /** factors or groups of one user: a refusal is a gap (unknown for that user), not a failure */
  const optional = async <T>(
    id: string,
    name: 'factors' | 'groups',
    schema: z.ZodType<T>,
    into: Map<string, T[] | null>,
  ) => {
    try {
      const r = await list(`/api/v1/users/${encodeURIComponent(id)}/${name}`, schema);
      into.set(id, r.items);
      replies[name][id] = flat(r.pages);
    } catch (err) {
      if (!denied(err)) throw err;
      into.set(id, null);
      ctx.gap(gaps[name]);
    }
  };
  let done = 0;
  await mapLimit([...users.keys()], options.concurrency, async (id) => {
    try {
      const r = await list(`/api/v1/users/${encodeURIComponent(id)}/roles`, OktaRole);
      roles.set(id, r.items);
      replies.roles[id] = flat(r.pages);
      await optional(id, 'factors', OktaFactor, factors);
      await optional(id, 'groups', OktaGroup, groups);
    } catch (err) {
      // deleted while the run was reading it: it no longer exists
      if (gone(err)) {
        users.delete(id);
        return;
      }
      if (denied(err) && err.api.endsWith('/roles')) {
        throw new CollectorError(
          `cannot read admin role assignments, so privileged accounts cannot be told apart (${err.message}); grant okta.roles.read or use a read-only administrator's token`,
          { api: err.api, status: 403, permission: 'okta.roles.read' },
        );
      }
      throw err;
    }
    done += 1;
    if (done % 50 === 0) ctx.progress(`factors, roles and groups of ${done}/${users.size} users`);
  });
  const rawRefs = {
    roles: ctx.raw('GET /api/v1/users/{id}/roles', replies.roles),
    factors: Object.keys(replies.factors).length
      ? ctx.raw('GET /api/v1/users/{id}/factors', replies.factors)
      : null,
    groups: Object.keys(replies.groups).length
      ? ctx.raw('GET /api/v1/users/{id}/groups', replies.groups)
      : null,
  };

  ctx.progress('reading policies');
  let policies: CollectedPolicy[] | null = [];
  for (const type of OKTA_POLICY_TYPES) {
    try {
      const found: Array<{ policy: OktaPolicy; rawRef: string }> = [];
      await list('/api/v1/policies', OktaPolicy, { type }, (page, rawRef) => {
        for (const policy of page) found.push({ policy, rawRef });
      });
      for (const { policy, rawRef } of found) {
        if (type !== 'OKTA_SIGN_ON' && type !== 'ACCESS_POLICY') {
          policies.push({ policy, rawRef, rules: null, rulesRawRef: null });
          continue;
        }
        const path = `/api/v1/policies/${encodeURIComponent(policy.id)}/rules`;
        const r = await list(path, OktaPolicyRule);
        policies.push({
          policy,
          rawRef,
          rules: r.items,
          rulesRawRef: ctx.raw(`GET ${path}`, flat(r.pages)),
        });
      }
    } catch (err) {
      // Authentication policies exist only on Identity Engine; a Classic Engine org rejects the type.
      if (type === 'ACCESS_POLICY' && err instanceof OktaRequestError && err.status === 400) {
        ctx.progress('no ACCESS_POLICY on this org (Classic Engine)');
        continue;
      }
      if (!denied(err)) throw err;
      ctx.gap(
        `policies not readable (${err.message}): sign-on, password and MFA policies and MFA enforcement are unknown; grant okta.policies.read`,
      );
      policies = null;
      break;
    }
  }

  return {
    entities: normalizeOkta(
      {
        org,
        transport: orgUrl.protocol === 'https:' ? 'tls' : 'none',
        users: [...users.values()],
        factors,
        roles,
        groups,
        rawRefs,
        policies,
      },
      options,
      ctx,
    ),
  };
}
