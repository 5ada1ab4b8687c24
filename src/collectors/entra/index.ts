import type { TokenCredential } from '@azure/identity';
import type { z } from 'zod';
import { CollectorError } from '../../errors.js';
import { isLoopback, mapLimit, parseReply, readExtraCa } from '../idp-shared.js';
import type { CollectContext, Collector } from '../types.js';
import { apiOf, createGraphCredential, GraphClient, GraphRequestError, isLicenceError } from './client.js';
import { type EntraCollected, normalizeEntra } from './normalize.js';
import {
  ConditionalAccessPolicy,
  DirectoryObject,
  EntraOptions,
  GraphGroup,
  GraphUser,
  RoleAssignment,
  RoleDefinition,
  SecurityDefaultsPolicy,
  UserRegistrationDetails,
} from './schema.js';

const USER_FIELDS = [
  'id',
  'userPrincipalName',
  'displayName',
  'mail',
  'accountEnabled',
  'userType',
  'createdDateTime',
  'lastPasswordChangeDateTime',
  'onPremisesSyncEnabled',
];

/** Graph caps a page at 120 users when sign-in activity is selected. */
const SIGN_IN_ACTIVITY_PAGE = 120;

export const LICENCE_GAP = 'signInActivity unavailable: tenant lacks an Entra ID P1/P2 licence';

const denied = (err: unknown): err is GraphRequestError =>
  err instanceof GraphRequestError && err.status === 403;

export interface EntraCollectorDeps {
  /** a ready credential (tests); otherwise one is built from the environment through @azure/identity */
  credential?: TokenCredential;
}

/** The entra collector; `deps.credential` replaces the credential read from the environment. */
export function createEntraCollector(deps: EntraCollectorDeps = {}): Collector<EntraOptions> {
  return {
    id: 'entra',
    title:
      'Microsoft Entra ID users, MFA registration, Conditional Access policies and directory roles (Microsoft Graph)',
    kinds: ['account', 'user', 'identity_policy', 'role_assignment'],
    options: EntraOptions,
    target: (options) => options.name ?? options.tenantId ?? 'tenant',
    async collect(options, ctx) {
      const graphUrl = new URL(options.graphUrl);
      if (graphUrl.protocol === 'http:' && !isLoopback(graphUrl.hostname)) {
        throw new CollectorError(
          `refusing to send a Graph token over plain http to ${graphUrl.host}; use https`,
        );
      }
      const tenantId = options.tenantId ?? ctx.env[`${options.envPrefix}_TENANT_ID`];
      if (!tenantId) {
        throw new CollectorError(
          `set tenantId in the collector entry or ${options.envPrefix}_TENANT_ID in the environment`,
        );
      }
      const ca = await readExtraCa(options.caFile, ctx);
      const credential = deps.credential ?? createGraphCredential({ ...options, tenantId }, ctx.env, ca);
      const client = new GraphClient({
        graphUrl: graphUrl.origin,
        credential,
        ca,
        maxRetries: options.maxRetries,
        signal: ctx.signal,
        onRequest: () => ctx.call(),
        onWait: (message) => ctx.progress(message),
      });
      try {
        const data = await readTenant(client, options, ctx, options.name ?? tenantId);
        data.transport = graphUrl.protocol === 'https:' ? 'tls' : 'none';
        return { entities: normalizeEntra(data, options, ctx) };
      } finally {
        client.close();
      }
    },
  };
}

export const entraCollector = createEntraCollector();

async function readTenant(
  client: GraphClient,
  options: EntraOptions,
  ctx: CollectContext,
  tenant: string,
): Promise<EntraCollected> {
  /** every item of a collection, each page kept as raw evidence */
  const list = async <T>(
    path: string,
    schema: z.ZodType<T>,
    onPage?: (items: T[], rawRef: string) => void,
  ) => {
    const items: T[] = [];
    const rawRefs: string[] = [];
    for await (const page of client.pages(path)) {
      const u = new URL(page.url);
      const parsed = parseReply('Microsoft Graph', schema.array(), page.body.value, apiOf(page.url));
      const rawRef = ctx.raw(`GET ${u.pathname}${u.search}`, page.body);
      rawRefs.push(rawRef);
      items.push(...parsed);
      onPage?.(parsed, rawRef);
    }
    return { items, rawRef: rawRefs[0] ?? null };
  };

  ctx.progress('listing users');
  const users = new Map<string, { user: GraphUser; rawRef: string }>();
  const keep = (page: GraphUser[], rawRef: string) => {
    for (const user of page) if (!users.has(user.id)) users.set(user.id, { user, rawRef });
  };
  let signInActivityKnown = true;
  try {
    const top = Math.min(options.pageSize, SIGN_IN_ACTIVITY_PAGE);
    await list(
      `/v1.0/users?$select=${[...USER_FIELDS, 'signInActivity'].join(',')}&$top=${top}`,
      GraphUser,
      keep,
    );
  } catch (err) {
    // Sign-in activity needs a premium licence and AuditLog.Read.All; the users themselves do not.
    if (!(denied(err) && users.size === 0)) throw err;
    signInActivityKnown = false;
    ctx.gap(
      isLicenceError(err)
        ? LICENCE_GAP
        : `signInActivity unavailable (${err.message}): last sign-in is unknown; grant AuditLog.Read.All`,
    );
    await list(`/v1.0/users?$select=${USER_FIELDS.join(',')}&$top=${options.pageSize}`, GraphUser, keep);
  }

  ctx.progress('reading directory roles');
  const definitions = await list('/v1.0/roleManagement/directory/roleDefinitions', RoleDefinition).catch(
    roleReadError,
  );
  const roleDefinitions = new Map(definitions.items.map((d) => [d.id, d]));
  const roleAssignments: EntraCollected['roleAssignments'] = [];
  await list(
    '/v1.0/roleManagement/directory/roleAssignments?$expand=principal',
    RoleAssignment,
    (page, rawRef) => {
      for (const assignment of page) roleAssignments.push({ assignment, rawRef });
    },
  ).catch(roleReadError);

  ctx.progress('reading MFA registration');
  let registration: EntraCollected['registration'] = null;
  try {
    const r = await list(
      '/v1.0/reports/authenticationMethods/userRegistrationDetails',
      UserRegistrationDetails,
    );
    registration = { byUser: new Map(r.items.map((d) => [d.id, d])), rawRef: r.rawRef ?? '' };
  } catch (err) {
    if (!denied(err)) throw err;
    ctx.gap(
      isLicenceError(err)
        ? 'MFA registration unavailable: the authentication methods report needs an Entra ID P1/P2 licence'
        : `MFA registration unavailable (${err.message}): MFA enrollment is unknown; grant AuditLog.Read.All`,
    );
  }

  ctx.progress('reading Conditional Access policies');
  let conditionalAccess: EntraCollected['conditionalAccess'] = [];
  try {
    await list('/v1.0/identity/conditionalAccess/policies', ConditionalAccessPolicy, (page, rawRef) => {
      for (const policy of page) conditionalAccess?.push({ policy, rawRef });
    });
  } catch (err) {
    if (!denied(err)) throw err;
    conditionalAccess = null;
    ctx.gap(
      isLicenceError(err)
        ? 'Conditional Access unavailable: the tenant lacks an Entra ID P1/P2 licence; MFA enforcement is unknown'
        : `Conditional Access policies unavailable (${err.message}): MFA enforcement is unknown; grant Policy.Read.All`,
    );
  }
  let securityDefaults: EntraCollected['securityDefaults'] = null;
  try {
    const path = '/v1.0/policies/identitySecurityDefaultsEnforcementPolicy';
    const body = await client.get(path);
    const parsed = parseReply('Microsoft Graph', SecurityDefaultsPolicy, body, `GET ${path}`);
    securityDefaults = { enabled: parsed.isEnabled, rawRef: ctx.raw(`GET ${path}`, body) };
  } catch (err) {
    if (!denied(err)) throw err;
    ctx.gap(`security defaults unavailable (${err.message}): grant Policy.Read.All`);
  }

  // Groups that decide who a policy or a role reaches: their names and transitive user members.
  const groupIds = new Set<string>();
  for (const { policy } of conditionalAccess ?? []) {
    const u = policy.conditions?.users;
    for (const id of [...(u?.includeGroups ?? []), ...(u?.excludeGroups ?? [])]) groupIds.add(id);
  }
  for (const { assignment } of roleAssignments) {
    if ((assignment.principal?.['@odata.type'] ?? '').toLowerCase().endsWith('.group'))
      groupIds.add(assignment.principalId);
  }
  const groups: EntraCollected['groups'] = new Map();
  const memberReplies: Record<string, unknown> = {};
  await mapLimit([...groupIds].sort(), options.concurrency, async (id) => {
    const path = `/v1.0/groups/${encodeURIComponent(id)}`;
    try {
      const group = parseReply(
        'Microsoft Graph',
        GraphGroup,
        await client.get(`${path}?$select=id,displayName`),
        `GET ${path}`,
      );
      const members = await list(`${path}/transitiveMembers?$select=id`, DirectoryObject);
      memberReplies[id] = { group, members: members.items };
      const users = members.items.filter((m) =>
        (m['@odata.type'] ?? '#microsoft.graph.user').endsWith('.user'),
      );
      groups.set(id, { name: group.displayName ?? null, members: new Set(users.map((m) => m.id)) });
    } catch (err) {
      if (err instanceof GraphRequestError && err.status === 404) {
        groups.set(id, { name: null, members: new Set() });
        return;
      }
      if (!denied(err)) throw err;
      groups.set(id, { name: null, members: null });
      ctx.gap(
        `group membership unavailable (${err.message}): policy scope and group-held roles are unknown; grant GroupMember.Read.All`,
      );
    }
  });
  if (Object.keys(memberReplies).length) ctx.raw('GET /v1.0/groups/{id}/transitiveMembers', memberReplies);

  let memberOf: EntraCollected['memberOf'] = null;
  if (options.memberOf) {
    ctx.progress('reading group memberships of every user');
    memberOf = new Map();
    const replies: Record<string, unknown> = {};
    await mapLimit([...users.keys()], options.concurrency, async (id) => {
      try {
        const r = await list(
          `/v1.0/users/${encodeURIComponent(id)}/transitiveMemberOf/microsoft.graph.group?$select=id,displayName`,
          GraphGroup,
        );
        replies[id] = r.items;
        memberOf?.set(
          id,
          r.items.map((g) => g.displayName ?? g.id),
        );
      } catch (err) {
        if (!denied(err)) throw err;
        memberOf?.set(id, null);
        ctx.gap(
          `group memberships unavailable (${err.message}): user groups are unknown; grant GroupMember.Read.All`,
        );
      }
    });
    ctx.raw('GET /v1.0/users/{id}/transitiveMemberOf/microsoft.graph.group', replies);
  }

  return {
    tenant,
    transport: 'tls',
    users: [...users.values()],
    signInActivityKnown,
    registration,
    roleDefinitions,
    roleAssignments,
    conditionalAccess,
    securityDefaults,
    groups,
    memberOf,
  };
}

/** Without directory roles no account can be called privileged or not: the source fails. */
function roleReadError(err: unknown): never {
  if (denied(err)) {
    throw new CollectorError(
      `cannot read directory role assignments, so privileged accounts cannot be told apart (${err.message}); grant RoleManagement.Read.Directory`,
      { api: err.api, status: 403, permission: 'RoleManagement.Read.Directory' },
    );
  }
  throw err;
}
