import { fileURLToPath } from 'node:url';
import type { TokenCredential } from '@azure/identity';
import { afterEach, describe, expect, it } from 'vitest';
import {
  GRAPH_TEST_TOKEN,
  type GraphServerOptions,
  startTestGraphTenant,
  type TestGraphTenant,
} from '../../../test/servers/graph-server.js';
import { entraDemoService } from '../../demo/entra.js';
import { type CheckMeta, summarizeChecks } from '../../evaluate/index.js';
import { Entity, type EntityInput, type EntityOf } from '../../snapshot/schema.js';
import { createCollectContext } from '../context.js';
import { runCollector } from '../run.js';
import { GraphClient } from './client.js';
import { createEntraCollector, LICENCE_GAP } from './index.js';
import { EntraOptions } from './schema.js';

const DOMAIN = 'acmetest.onmicrosoft.com';
const NOW = new Date('2026-11-20T12:00:00Z');
const started: TestGraphTenant[] = [];

afterEach(async () => {
  while (started.length) await started.pop()?.close();
});

async function tenant(overrides: Partial<GraphServerOptions> = {}): Promise<TestGraphTenant> {
  const s = await startTestGraphTenant(overrides);
  started.push(s);
  return s;
}

const staticToken = (token = GRAPH_TEST_TOKEN): TokenCredential => ({
  getToken: async () => ({ token, expiresOnTimestamp: Date.now() + 3_600_000 }),
});

function optionsFor(server: TestGraphTenant, extra: Record<string, unknown> = {}) {
  return EntraOptions.parse({
    tenantId: server.tenantId,
    name: DOMAIN,
    graphUrl: server.url,
    ...(server.caFile ? { caFile: server.caFile } : {}),
    ...extra,
  });
}

async function collect(
  server: TestGraphTenant,
  extra: Record<string, unknown> = {},
  opts: { credential?: TokenCredential | null; env?: NodeJS.ProcessEnv } = {},
) {
  const options = optionsFor(server, extra);
  const collector = createEntraCollector(
    opts.credential === null ? {} : { credential: opts.credential ?? staticToken() },
  );
  const progress: string[] = [];
  const { ctx, state } = createCollectContext({
    sourceId: `entra:${collector.target(options)}`,
    configDir: '/',
    env: opts.env ?? {},
    now: () => NOW,
    onProgress: (m) => progress.push(m),
  });
  let entities: EntityInput[] = [];
  let error: Error | null = null;
  try {
    entities = (await collector.collect(options, ctx)).entities;
  } catch (err) {
    error = err as Error;
  }
  const parsed = entities.map((e) => Entity.parse(e));
  const of = <K extends Entity['kind']>(kind: K) => parsed.filter((e): e is EntityOf<K> => e.kind === kind);
  const user = (name: string) => {
    const u = of('user').find((x) => x.username.startsWith(`${name}`));
    if (!u) throw new Error(`no user ${name}`);
    return u;
  };
  const policy = (name: string) => {
    const p = of('identity_policy').find((x) => x.name === name);
    if (!p) throw new Error(`no policy ${name}`);
    return p;
  };
  return { entities: parsed, of, user, policy, state, error, progress };
}

describe('entra collector against the local Microsoft Graph stand-in', () => {
  it('follows @odata.nextLink through every collection and normalizes every entity', async () => {
    const server = await tenant({ maxPageSize: 2 });
    const r = await collect(server, { pageSize: 2 });
    expect(r.error).toBeNull();
    expect(r.state.gaps).toEqual([]);
    expect(r.of('user')).toHaveLength(7);
    expect(new Set(r.entities.map((e) => e.id)).size).toBe(r.entities.length);
    const nextPages = server.requests.filter((q) => q.path.includes('$skiptoken='));
    expect(nextPages.some((q) => q.path.startsWith('/v1.0/users?'))).toBe(true);
    expect(nextPages.some((q) => q.path.startsWith('/v1.0/roleManagement/directory/roleAssignments?'))).toBe(
      true,
    );
    expect(nextPages.some((q) => q.path.startsWith('/v1.0/identity/conditionalAccess/policies'))).toBe(true);
    // the next page keeps the query of the first: signInActivity is still selected
    expect(nextPages.find((q) => q.path.startsWith('/v1.0/users?'))?.path).toContain('signInActivity');
    expect(r.state.apiCalls).toBe(server.requests.length);
    expect(server.requests.every((q) => q.authorized && q.status === 200)).toBe(true);
    expect(r.of('account')).toEqual([
      expect.objectContaining({ id: `entra:${DOMAIN}`, accountType: 'idp_org', transportSecurity: 'tls' }),
    ]);
    for (const e of r.entities) if (e.rawRef) expect(r.state.raw[e.rawRef], e.id).toBeDefined();
  });

  it('derives privilege (directly and through a role-assignable group), MFA registration and enforcement', async () => {
    const r = await collect(await tenant());
    expect(r.error).toBeNull();
    expect(r.user('ada.admin')).toMatchObject({
      status: 'active',
      privileged: true,
      mfaEnrolled: true,
      mfaEnforced: true,
      mfaMethods: ['fido2', 'microsoftAuthenticatorPush'],
      // the latest of the interactive, non-interactive and successful sign-ins
      lastLoginAt: '2026-11-19T17:45:12.123Z',
      federated: true,
    });
    // a Global Administrator without MFA registration, though a policy requires MFA of admins
    expect(r.user('gary.global')).toMatchObject({ privileged: true, mfaEnrolled: false, mfaEnforced: true });
    expect(r.user('sam.security')).toMatchObject({ privileged: true, mfaEnforced: true });
    expect(r.user('paul.plant')).toMatchObject({ privileged: false, mfaEnrolled: true, mfaEnforced: true });
    expect(r.user('sara.stale')).toMatchObject({
      mfaEnrolled: false,
      mfaEnforced: false,
      lastLoginAt: '2026-05-01T12:00:00.000Z',
    });
    // "MFA or a compliant device" does not require MFA; the guest never signed in
    expect(r.user('p.novak')).toMatchObject({
      mfaEnforced: false,
      lastLoginAt: null,
      email: 'p.novak@castparts-supplier.example',
    });
    expect(r.user('old.account')).toMatchObject({ status: 'disabled', privileged: true });

    const roles = r.of('role_assignment');
    expect(roles.map((a) => [a.principalType, a.principalName, a.role, a.privileged]).sort()).toEqual([
      ['group', 'Entra Security Admins', 'Security Administrator', true],
      ['service', 'MES Connector', 'Directory Readers', false],
      ['user', `ada.admin@${DOMAIN}`, 'Global Administrator', true],
      ['user', `gary.global@${DOMAIN}`, 'Global Administrator', true],
      ['user', `old.account@${DOMAIN}`, 'User Administrator', true],
      ['user', `sam.security@${DOMAIN}`, 'Security Administrator', true],
    ]);
    const sam = roles.find((a) => a.principalName === `sam.security@${DOMAIN}`);
    expect(sam?.name).toContain('(through Entra Security Admins)');
    expect(sam?.principalId).toBe(r.user('sam.security').id);
    expect(roles.every((a) => a.scope === 'directory')).toBe(true);
  });

  it('turns Conditional Access policies and security defaults into identity policies', async () => {
    const r = await collect(await tenant());
    expect(r.of('identity_policy')).toHaveLength(6);
    expect(r.policy('Require MFA for administrators')).toMatchObject({
      policyType: 'conditional_access',
      active: true,
      appliesToAll: false,
      appliesTo: [
        'Global Administrator',
        'Privileged Role Administrator',
        'Security Administrator',
        'User Administrator',
      ],
      mfaRequired: true,
      sessionLifetimeMinutes: 240,
      tags: { state: 'enabled', applications: 'All' },
    });
    expect(r.policy('Require MFA for plant engineers')).toMatchObject({
      mfaRequired: true,
      appliesTo: ['Plant Engineers'],
    });
    expect(r.policy('All users MFA (report-only)')).toMatchObject({
      active: false,
      appliesToAll: true,
      mfaRequired: true,
    });
    expect(r.policy('Block legacy authentication')).toMatchObject({ active: true, mfaRequired: false });
    expect(r.policy('MFA or compliant device for guests')).toMatchObject({ mfaRequired: false });
    expect(r.policy('Security defaults')).toMatchObject({ active: false, policyType: 'sign_on' });
  });

  it('without a premium licence: reads users without sign-in activity and makes the source partial', async () => {
    const server = await tenant({ premium: false });
    const r = await collect(server);
    expect(r.error).toBeNull();
    expect(r.state.gaps).toContain(LICENCE_GAP);
    expect(r.state.gaps.some((g) => /MFA registration unavailable/.test(g))).toBe(true);
    expect(r.of('user')).toHaveLength(7);
    expect(r.of('user').every((u) => u.lastLoginAt === null && u.mfaEnrolled === null)).toBe(true);
    const userCalls = server.requests.filter((q) => q.path.startsWith('/v1.0/users?'));
    expect(userCalls.map((q) => [q.status, q.path.includes('signInActivity')])).toEqual([
      [403, true],
      [200, false],
    ]);
  });

  it('retries after 429 as Retry-After says, losing and repeating nothing', async () => {
    const server = await tenant({
      maxPageSize: 3,
      faults: {
        throttle: [
          { match: /^\/v1\.0\/users\?.*\$skiptoken/, times: 2, retryAfter: 1 },
          { match: /roleAssignments/, times: 1, retryAfter: 0 },
        ],
      },
    });
    const started = Date.now();
    const r = await collect(server, { pageSize: 3 });
    expect(r.error).toBeNull();
    expect(Date.now() - started).toBeGreaterThanOrEqual(2000);
    const throttled = server.requests.filter((q) => q.status === 429);
    expect(throttled).toHaveLength(3);
    for (const t of throttled) {
      expect(server.requests.some((q) => q.path === t.path && q.status === 200 && q.retryAttempt > 0)).toBe(
        true,
      );
    }
    expect(r.of('user')).toHaveLength(7);
    expect(new Set(r.of('user').map((u) => u.id)).size).toBe(7);
    expect(r.of('role_assignment')).toHaveLength(6);
    expect(
      r.progress.some((m) => /HTTP 429 on GET \/v1\.0\/users: Graph asks to retry after 1s/.test(m)),
    ).toBe(true);
  });

  it('gives up with a clear error when throttling does not stop', async () => {
    const server = await tenant({ faults: { throttle: [{ match: /conditionalAccess/, retryAfter: 0 }] } });
    const r = await collect(server, { maxRetries: 1 });
    expect(r.error?.message).toMatch(
      /Microsoft Graph GET \/v1\.0\/identity\/conditionalAccess\/policies: HTTP 429 TooManyRequests: Too many requests\.: still throttled after 1 retries/,
    );
  });

  it('makes MFA enforcement unknown when Conditional Access cannot be read', async () => {
    const r = await collect(await tenant({ faults: { forbidden: [{ match: /conditionalAccess/ }] } }));
    expect(r.error).toBeNull();
    expect(r.state.gaps).toEqual([
      expect.stringMatching(
        /^Conditional Access policies unavailable \(.*HTTP 403 Authorization_RequestDenied.*grant Policy\.Read\.All$/,
      ),
    ]);
    expect(r.of('user').every((u) => u.mfaEnforced === null)).toBe(true);
    expect(r.of('identity_policy').map((p) => p.name)).toEqual(['Security defaults']);
  });

  it('makes group-scoped facts unknown when group members cannot be read', async () => {
    const r = await collect(await tenant({ faults: { forbidden: [{ match: /transitiveMembers/ }] } }));
    expect(r.error).toBeNull();
    expect(r.state.gaps).toEqual([
      expect.stringMatching(/^group membership unavailable .*GroupMember\.Read\.All$/),
    ]);
    expect(r.user('paul.plant').mfaEnforced).toBeNull();
    expect(r.user('sara.stale').mfaEnforced).toBeNull();
    // Global Administrators are reached by role, not group: still known
    expect(r.user('gary.global').mfaEnforced).toBe(true);
  });

  it('fails the source when directory roles cannot be read', async () => {
    const r = await collect(await tenant({ faults: { forbidden: [{ match: /roleAssignments/ }] } }));
    expect(r.error?.message).toMatch(
      /^cannot read directory role assignments.*grant RoleManagement\.Read\.Directory$/,
    );
  });

  it('fails clearly on a reply that is not JSON and on a token Graph does not accept', async () => {
    const server = await tenant({ faults: { garbage: [{ match: /userRegistrationDetails/ }] } });
    const garbage = await collect(server);
    expect(garbage.error?.message).toBe(
      'Microsoft Graph GET /v1.0/reports/authenticationMethods/userRegistrationDetails answered HTTP 200 with a reply that is not JSON (text/html): "<!DOCTYPE html><html><body><h1>Service Unavailable</h1></body></html>"',
    );
    const rejected = await collect(server, {}, { credential: staticToken('not-a-token') });
    expect(rejected.error?.message).toMatch(
      /^Microsoft Graph GET \/v1\.0\/users: HTTP 401 InvalidAuthenticationToken.*the token was not accepted$/,
    );
  });

  it('signs in with a client secret through @azure/identity and keeps the secret out of the evidence', async () => {
    const secret = 'Zq8~plantproof-test-secret-value-0000000';
    const clientId = '0f5b2c1d-1111-4222-8333-944445555666';
    const server = await tenant({ tokens: [], clients: [{ clientId, secret }] });
    const env = { TEST_ENTRA_CLIENT_ID: clientId, TEST_ENTRA_CLIENT_SECRET: secret };
    const r = await collect(
      server,
      { envPrefix: 'TEST_ENTRA', authorityHost: server.url },
      { credential: null, env },
    );
    expect(r.error).toBeNull();
    expect(r.of('user')).toHaveLength(7);
    expect(server.requests.filter((q) => q.path.includes('/oauth2/v2.0/token'))).toHaveLength(1);
    expect(JSON.stringify({ raw: r.state.raw, entities: r.entities })).not.toContain(secret);

    const wrong = await collect(
      server,
      { envPrefix: 'TEST_ENTRA', authorityHost: server.url },
      { credential: null, env: { ...env, TEST_ENTRA_CLIENT_SECRET: 'wrong' } },
    );
    expect(wrong.error?.message).toMatch(/^could not get a Microsoft Graph token: .*AADSTS7000215/s);
  });

  it('explains a missing tenant id and refuses plain http to a remote Graph', async () => {
    const server = await tenant();
    const options = EntraOptions.parse({ graphUrl: server.url });
    const { ctx } = createCollectContext({ sourceId: 'entra:x', configDir: '/', env: {} });
    await expect(createEntraCollector({ credential: staticToken() }).collect(options, ctx)).rejects.toThrow(
      /set tenantId in the collector entry or AZURE_TENANT_ID/,
    );
    const remote = EntraOptions.parse({ tenantId: 't', graphUrl: 'http://graph.example.com' });
    await expect(createEntraCollector({ credential: staticToken() }).collect(remote, ctx)).rejects.toThrow(
      /refusing to send a Graph token over plain http/,
    );
  });

  it('fills user.groups from transitive memberships when memberOf is on', async () => {
    const r = await collect(await tenant(), { memberOf: true });
    expect(r.error).toBeNull();
    expect(r.user('paul.plant').groups).toEqual(['Plant Engineers']);
    expect(r.user('sam.security').groups).toEqual(['Entra Security Admins']);
    expect(r.user('ada.admin').groups).toEqual([]);
  });

  it('never sends the token to a host other than the Graph endpoint', async () => {
    const server = await tenant();
    let asked = 0;
    const client = new GraphClient({
      graphUrl: server.url,
      credential: {
        getToken: async () => {
          asked += 1;
          return { token: GRAPH_TEST_TOKEN, expiresOnTimestamp: 0 };
        },
      },
      ca: server.ca ?? undefined,
      maxRetries: 0,
      signal: new AbortController().signal,
      onRequest: () => undefined,
      onWait: () => undefined,
    });
    await expect(client.get('https://attacker.example/v1.0/users?$skiptoken=x')).rejects.toThrow(
      /link to another host \(attacker\.example\)/,
    );
    expect(asked).toBe(0);
    client.close();
  });
});

describe('entra source status through the runner', () => {
  const meta: CheckMeta = {
    id: 'identity.mfa_privileged',
    title: 't',
    description: 'd',
    domain: 'identity',
    severity: 'critical',
    likelihood: 4,
    impact: 5,
    kinds: ['user'],
    remediation: '-',
    file: 'x.rego',
  };

  it('a licence gap makes the source partial and the checks on users errors', async () => {
    const server = await tenant({
      premium: false,
      tokens: [],
      clients: [{ clientId: 'c1d2e3f4-0000-4000-8000-000000000001', secret: 's3cr3t-value' }],
    });
    const result = await runCollector(
      'entra',
      optionsFor(server, { clientId: 'c1d2e3f4-0000-4000-8000-000000000001', authorityHost: server.url }),
      '/',
      { env: { AZURE_CLIENT_SECRET: 's3cr3t-value' }, now: () => NOW },
    );
    expect(result.source).toMatchObject({ status: 'partial', error: null });
    expect(result.source.gaps).toContain(LICENCE_GAP);
    const [check] = summarizeChecks({ [meta.id]: meta }, {}, [result.source]);
    expect(check).toMatchObject({ status: 'error', blockedBy: [`entra:${DOMAIN}`] });
  });

  it('a garbled reply is a source error with the reason, and the other collectors of the run finish', async () => {
    const client = { clientId: 'c1d2e3f4-0000-4000-8000-000000000002', secret: 'another-s3cr3t' };
    const broken = await tenant({
      tokens: [],
      clients: [client],
      faults: { garbage: [{ match: /roleDefinitions/ }] },
    });
    const healthy = await tenant({ tokens: [], clients: [client] });
    const run = (server: TestGraphTenant, name: string) =>
      runCollector(
        'entra',
        optionsFor(server, { name, clientId: client.clientId, authorityHost: server.url }),
        '/',
        { env: { AZURE_CLIENT_SECRET: client.secret } },
      );
    const [a, b] = await Promise.all([run(broken, 'broken.example'), run(healthy, DOMAIN)]);
    expect(a.source).toMatchObject({
      status: 'error',
      error: expect.stringMatching(/roleDefinitions answered HTTP 200 with a reply that is not JSON/),
      itemCount: 0,
    });
    expect(b.source).toMatchObject({ status: 'ok', error: null });
    expect(b.entities.length).toBeGreaterThan(10);
  });
});

describe("the demo plant's Entra tenant", () => {
  it('is served by the demo service and collected with a client secret through @azure/identity', async () => {
    const exampleDir = fileURLToPath(new URL('../../../examples/acme-plant/', import.meta.url));
    const service = await entraDemoService.start({ exampleDir });
    try {
      const [entry] = service.collectors;
      expect(entry?.type).toBe('entra');
      const { type, ...options } = entry ?? { type: 'entra' };
      const result = await runCollector(String(type), EntraOptions.parse(options), exampleDir, {
        env: service.env,
      });
      expect(result.source).toMatchObject({
        id: 'entra:acme-castings.onmicrosoft.com',
        status: 'ok',
        error: null,
      });
      const users = result.entities.map((e) => Entity.parse(e)).filter((e) => e.kind === 'user');
      expect(users).toHaveLength(6);
      const erik = users.find((u) => u.username === 'erik.lange@acme-castings.example');
      expect(erik).toMatchObject({ privileged: true, mfaEnrolled: false, mfaEnforced: true });
      const tobias = users.find((u) => u.username === 'tobias.wagner@acme-castings.example');
      expect(tobias).toMatchObject({ privileged: false, mfaEnrolled: true, mfaEnforced: false });
      const policies = result.entities.filter(
        (e) => e.kind === 'identity_policy' && e.policyType === 'conditional_access',
      );
      expect(policies).toEqual([
        expect.objectContaining({ name: 'Require MFA for administrators', mfaRequired: true }),
      ]);
    } finally {
      await service.close();
    }
  });
});
