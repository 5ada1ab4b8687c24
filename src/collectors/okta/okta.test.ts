import { generateKeyPairSync } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import {
  OKTA_TEST_TOKEN,
  type OktaServerOptions,
  startTestOktaOrg,
  type TestOktaOrg,
} from '../../../test/servers/okta-server.js';
import { oktaDemoService } from '../../demo/okta.js';
import { type CheckMeta, summarizeChecks } from '../../evaluate/index.js';
import { Entity, type EntityInput, type EntityOf } from '../../snapshot/schema.js';
import { createCollectContext } from '../context.js';
import { runCollector } from '../run.js';
import { oktaCollector } from './index.js';
import { OktaOptions } from './schema.js';

const ORG = 'acme-test.okta.com';
const NOW = new Date('2026-11-20T12:00:00Z');
const started: TestOktaOrg[] = [];

afterEach(async () => {
  while (started.length) await started.pop()?.close();
});

async function org(overrides: Partial<OktaServerOptions> = {}): Promise<TestOktaOrg> {
  const s = await startTestOktaOrg(overrides);
  started.push(s);
  return s;
}

function optionsFor(server: TestOktaOrg, extra: Record<string, unknown> = {}) {
  return OktaOptions.parse({
    orgUrl: server.url,
    name: ORG,
    ...(server.caFile ? { caFile: server.caFile } : {}),
    serviceAccounts: ['mes-integration@acme-test.example'],
    ...extra,
  });
}

async function collect(
  server: TestOktaOrg,
  extra: Record<string, unknown> = {},
  env: NodeJS.ProcessEnv = { OKTA_API_TOKEN: OKTA_TEST_TOKEN },
) {
  const options = optionsFor(server, extra);
  const progress: string[] = [];
  const { ctx, state } = createCollectContext({
    sourceId: `okta:${oktaCollector.target(options)}`,
    configDir: '/',
    env,
    now: () => NOW,
    onProgress: (m) => progress.push(m),
  });
  let entities: EntityInput[] = [];
  let error: Error | null = null;
  try {
    entities = (await oktaCollector.collect(options, ctx)).entities;
  } catch (err) {
    error = err as Error;
  }
  const parsed = entities.map((e) => Entity.parse(e));
  const of = <K extends Entity['kind']>(kind: K) => parsed.filter((e): e is EntityOf<K> => e.kind === kind);
  const user = (login: string) => {
    const u = of('user').find((x) => x.username === login);
    if (!u) throw new Error(`no user ${login}`);
    return u;
  };
  return { entities: parsed, of, user, state, error, progress };
}

const login = (name: string) => `${name}@acme-test.example`;

describe('okta collector against the local Okta stand-in', () => {
  it('pages through users, per-user lists and policies, and normalizes every entity', async () => {
    const server = await org({ maxPageSize: 2 });
    const r = await collect(server, { pageSize: 2 });
    expect(r.error).toBeNull();
    expect(r.state.gaps).toEqual([]);

    // seven users across four pages of active users and one of deprovisioned ones, none twice
    const users = r.of('user');
    expect(users).toHaveLength(7);
    expect(new Set(r.entities.map((e) => e.id)).size).toBe(r.entities.length);
    const userPages = server.requests.filter((q) => q.path.startsWith('/api/v1/users?'));
    expect(userPages.filter((q) => q.path.includes('after=')).length).toBeGreaterThanOrEqual(2);
    expect(server.requests.some((q) => /\/api\/v1\/policies\?.*after=/.test(q.path))).toBe(true);
    expect(server.requests.some((q) => /\/rules\?.*after=/.test(q.path))).toBe(true);
    expect(r.state.apiCalls).toBe(server.requests.length);
    expect(server.requests.every((q) => q.auth === 'ssws' && q.status === 200)).toBe(true);

    const account = r.of('account');
    expect(account).toEqual([
      expect.objectContaining({ id: `okta:${ORG}`, accountType: 'idp_org', transportSecurity: 'tls' }),
    ]);
    for (const e of r.entities) {
      expect(e.source).toBe(`okta:${ORG}`);
      if (e.rawRef) expect(r.state.raw[e.rawRef], e.id).toBeDefined();
    }
  });

  it('derives status, privilege, MFA enrollment and MFA enforcement per user', async () => {
    const r = await collect(await org({ maxPageSize: 3 }));
    expect(r.error).toBeNull();

    const alice = r.user(login('alice.operator'));
    expect(alice).toMatchObject({
      status: 'active',
      userType: 'human',
      privileged: false,
      mfaEnrolled: true,
      mfaEnforced: true,
      mfaMethods: ['push'],
      lastLoginAt: '2026-11-18T07:02:11.000Z',
      groups: ['Everyone', 'Plant Operators'],
      federated: true,
      shared: null,
    });
    expect(alice.id).toMatch(new RegExp(`^okta:${ORG}:user:00u`));

    // email and security question do not count as a second factor
    const carol = r.user(login('carol.admin'));
    expect(carol).toMatchObject({ privileged: true, mfaEnrolled: false, mfaEnforced: true });
    expect(carol.mfaMethods).toEqual(['email', 'question']);

    // a pending factor is not an enrolled one; the supplier rule lets suppliers in without MFA
    const dave = r.user('dave@castparts-supplier.example');
    expect(dave).toMatchObject({ status: 'locked', mfaEnrolled: false, mfaEnforced: false, mfaMethods: [] });

    // PASSWORD_EXPIRED is still an active account; a group-assigned admin role counts
    expect(r.user(login('erin.stale'))).toMatchObject({
      status: 'active',
      privileged: true,
      mfaEnrolled: true,
    });
    expect(r.user(login('frank.left'))).toMatchObject({
      status: 'deprovisioned',
      lastLoginAt: '2026-01-30T09:00:00.000Z',
    });
    expect(r.user(login('mes-integration'))).toMatchObject({
      userType: 'service',
      lastLoginAt: null,
      mfaEnrolled: false,
    });
    expect(r.user(login('bob.engineer'))).toMatchObject({ mfaEnrolled: true, mfaEnforced: true });

    const roles = r.of('role_assignment');
    expect(roles.map((a) => [a.principalName, a.role, a.scope, a.privileged]).sort()).toEqual([
      [login('carol.admin'), 'Super Administrator', 'org', true],
      [login('erin.stale'), 'Help Desk Administrator', 'org', true],
    ]);
    expect(
      roles.every((a) => a.principalType === 'user' && r.entities.some((e) => e.id === a.principalId)),
    ).toBe(true);
  });

  it('turns sign-on, authentication, password and enrollment policies into identity policies', async () => {
    const r = await collect(await org({ maxPageSize: 2 }));
    const policies = r.of('identity_policy');
    const byName = (name: string) => {
      const p = policies.find((x) => x.name === name);
      if (!p) throw new Error(`no policy ${name}: ${policies.map((x) => x.name).join(', ')}`);
      return p;
    };
    expect(policies).toHaveLength(9);
    expect(byName('Administrators / Admins always MFA')).toMatchObject({
      policyType: 'sign_on',
      active: true,
      appliesToAll: false,
      appliesTo: ['IT Admins'],
      mfaRequired: true,
      sessionLifetimeMinutes: 480,
      idleTimeoutMinutes: 15,
    });
    // a lifetime of 0 is "no maximum", which cannot be shown as a number of minutes
    expect(byName('Default Policy / Default Rule')).toMatchObject({
      appliesToAll: true,
      mfaRequired: true,
      sessionLifetimeMinutes: null,
      idleTimeoutMinutes: 120,
    });
    expect(byName('Default Policy / Suppliers without MFA')).toMatchObject({
      appliesToAll: false,
      appliesTo: ['Everyone', 'Suppliers'],
      mfaRequired: false,
    });
    expect(byName('Old kiosk policy / Kiosk')).toMatchObject({ active: false });
    expect(byName('Okta Dashboard / Catch-all Rule')).toMatchObject({
      policyType: 'access',
      appliesToAll: true,
      mfaRequired: false,
      sessionLifetimeMinutes: 720,
      idleTimeoutMinutes: null,
    });
    expect(byName('Okta Dashboard / Admins phishing resistant')).toMatchObject({
      mfaRequired: true,
      sessionLifetimeMinutes: 120,
    });
    const password = policies.find((p) => p.policyType === 'password');
    expect(password).toMatchObject({
      appliesToAll: true,
      passwordMinLength: 8,
      passwordMaxAgeDays: null,
      passwordHistory: 4,
      lockoutThreshold: 10,
    });
    expect(policies.find((p) => p.policyType === 'mfa_enrollment')).toMatchObject({ mfaRequired: true });
  });

  it('never writes the API token into entities or raw evidence', async () => {
    const r = await collect(await org());
    expect(r.error).toBeNull();
    const text = JSON.stringify({ entities: r.entities, raw: r.state.raw });
    expect(text).not.toContain(OKTA_TEST_TOKEN);
    expect(text).not.toContain('SSWS');
  });

  it('signs in as an OAuth service app with a private key (PEM with escaped line breaks)', async () => {
    const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const pem = privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
    const server = await org({
      apiToken: undefined,
      oauth: {
        clientId: '0oaplantproof0001',
        publicKey: publicKey.export({ type: 'spki', format: 'pem' }).toString(),
        grantedScopes: ['okta.users.read', 'okta.groups.read', 'okta.roles.read', 'okta.policies.read'],
      },
    });
    const r = await collect(
      server,
      {},
      { OKTA_CLIENT_ID: '0oaplantproof0001', OKTA_PRIVATE_KEY: pem.replace(/\n/g, '\\n') },
    );
    expect(r.error).toBeNull();
    expect(r.state.gaps).toEqual([]);
    expect(r.of('user')).toHaveLength(7);
    expect(server.requests.filter((q) => q.path === '/oauth2/v1/token')).toHaveLength(1);
    expect(server.requests.filter((q) => q.path.startsWith('/api/')).every((q) => q.auth === 'bearer')).toBe(
      true,
    );
    expect(JSON.stringify(r.state.raw)).not.toContain('PRIVATE KEY');
  });

  it('reports a refused OAuth client clearly', async () => {
    const { publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const { privateKey: otherKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const server = await org({
      apiToken: undefined,
      oauth: {
        clientId: '0oa1',
        publicKey: publicKey.export({ type: 'spki', format: 'pem' }).toString(),
        grantedScopes: [],
      },
    });
    const r = await collect(
      server,
      {},
      {
        OKTA_CLIENT_ID: '0oa1',
        OKTA_PRIVATE_KEY: otherKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
      },
    );
    expect(r.error?.message).toMatch(
      /^Okta refused the OAuth service app's token request \(HTTP 401, invalid_client: The client_assertion token is invalid\.\)/,
    );
    expect(server.requests.filter((q) => q.path.startsWith('/api/'))).toEqual([]);
  });

  it('recovers from HTTP 429 on a page and on a per-user call, with nothing lost or duplicated', async () => {
    const server = await org({
      maxPageSize: 2,
      faults: {
        throttle: [
          { match: /^\/api\/v1\/users\?.*after=/, times: 2 },
          { match: /\/factors/, times: 1 },
        ],
      },
    });
    const r = await collect(server);
    expect(r.error).toBeNull();
    const throttled = server.requests.filter((q) => q.status === 429);
    expect(throttled).toHaveLength(3);
    // each throttled request was sent again, marked as a retry, and succeeded
    for (const t of throttled) {
      expect(server.requests.some((q) => q.path === t.path && q.status === 200 && q.retryCount > 0)).toBe(
        true,
      );
    }
    expect(r.of('user')).toHaveLength(7);
    expect(new Set(r.of('user').map((u) => u.id)).size).toBe(7);
    expect(r.progress.some((m) => /HTTP 429 .*retrying/.test(m))).toBe(true);
    const alice = r.user(login('alice.operator'));
    expect(alice.mfaEnrolled).toBe(true);
  });

  it('waits for the window to reset when X-Rate-Limit-Remaining runs out instead of running into 429', async () => {
    const server = await org({
      maxPageSize: 1,
      rateLimit: { limit: 3, windowSeconds: 1, match: /^\/api\/v1\/users\?/ },
    });
    const r = await collect(server, { concurrency: 1, pageSize: 1 });
    expect(r.error).toBeNull();
    expect(server.requests.filter((q) => q.status === 429)).toEqual([]);
    expect(r.progress.some((m) => /rate limit of \/api\/v1\/users .*waiting/.test(m))).toBe(true);
    expect(r.of('user')).toHaveLength(7);
  }, 30_000);

  it('gives up with a clear error when the rate limit never recovers', async () => {
    const server = await org({ faults: { throttle: [{ match: /^\/api\/v1\/users\?/ }] } });
    const r = await collect(server, { maxRetries: 1 });
    expect(r.error?.message).toMatch(
      /Okta GET \/api\/v1\/users: HTTP 429 E0000047 .*still rate limited after 1 retries/,
    );
  });

  it('makes the source partial and MFA enforcement unknown when policies are refused', async () => {
    const server = await org({ faults: { forbidden: [{ match: /^\/api\/v1\/policies/ }] } });
    const r = await collect(server);
    expect(r.error).toBeNull();
    expect(r.state.gaps).toEqual([
      expect.stringMatching(/^policies not readable \(Okta GET \/api\/v1\/policies: HTTP 403 E0000006/),
    ]);
    expect(r.of('identity_policy')).toEqual([]);
    expect(r.of('user').every((u) => u.mfaEnforced === null)).toBe(true);
    expect(r.user(login('alice.operator')).mfaEnrolled).toBe(true);
  });

  it('makes MFA enrollment unknown, not false, when factors are refused', async () => {
    const server = await org({ faults: { forbidden: [{ match: /\/factors/ }] } });
    const r = await collect(server);
    expect(r.error).toBeNull();
    expect(r.state.gaps).toHaveLength(1);
    expect(r.state.gaps[0]).toMatch(/MFA factors not readable/);
    expect(r.of('user').every((u) => u.mfaEnrolled === null && u.mfaMethods.length === 0)).toBe(true);
  });

  it('fails the source when admin roles cannot be read, since privilege would be a guess', async () => {
    const server = await org({ faults: { forbidden: [{ match: /\/roles/ }] } });
    const r = await collect(server);
    expect(r.error?.message).toMatch(
      /^cannot read admin role assignments.*HTTP 403.*grant okta\.roles\.read/,
    );
  });

  it('fails clearly on a rejected token, a refused user listing and a reply that is not JSON', async () => {
    const server = await org({
      faults: { garbage: [{ match: /00u[^/]+\/factors/, times: 1 }] },
    });
    const badToken = await collect(server, {}, { OKTA_API_TOKEN: 'wrong' });
    expect(badToken.error?.message).toMatch(
      /HTTP 401 E0000011 Invalid token provided: the API token or access token was not accepted/,
    );

    const garbage = await collect(server);
    expect(garbage.error?.message).toMatch(
      /Okta GET \/api\/v1\/users\/\{id\}\/factors returned a reply that is not JSON/,
    );

    const refused = await org({ faults: { forbidden: [{ match: /^\/api\/v1\/users\?/ }] } });
    const r = await collect(refused);
    expect(r.error?.message).toMatch(
      /^Okta GET \/api\/v1\/users: HTTP 403 E0000006 You do not have permission/,
    );
  });

  it('skips authentication policies on a Classic Engine org without calling it a gap', async () => {
    const r = await collect(await org({ classicEngine: true }));
    expect(r.error).toBeNull();
    expect(r.state.gaps).toEqual([]);
    expect(r.of('identity_policy').some((p) => p.policyType === 'access')).toBe(false);
    expect(r.progress).toContain('no ACCESS_POLICY on this org (Classic Engine)');
  });

  it('explains missing credentials and refuses plain http to a remote org', async () => {
    const server = await org();
    expect((await collect(server, {}, {})).error?.message).toMatch(/no Okta credentials: set OKTA_API_TOKEN/);
    expect(
      (await collect(server, { envPrefix: 'OKTA_PROD' }, { OKTA_API_TOKEN: 'x' })).error?.message,
    ).toMatch(/OKTA_PROD_API_TOKEN/);
    const options = OktaOptions.parse({ orgUrl: 'http://acme.okta.com' });
    const { ctx } = createCollectContext({
      sourceId: 'okta:x',
      configDir: '/',
      env: { OKTA_API_TOKEN: 'x' },
    });
    await expect(oktaCollector.collect(options, ctx)).rejects.toThrow(
      /refusing to send Okta credentials over plain http/,
    );
  });

  it('speaks plain http to a loopback stand-in and records that the transport is not TLS', async () => {
    const r = await collect(await org({ tls: null }));
    expect(r.error).toBeNull();
    expect(r.of('account')[0]?.transportSecurity).toBe('none');
  });
});

describe('okta source status through the runner', () => {
  const meta = (id: string, kinds: CheckMeta['kinds']): CheckMeta => ({
    id,
    title: id,
    description: id,
    domain: 'identity',
    severity: 'high',
    likelihood: 3,
    impact: 3,
    kinds,
    remediation: '-',
    file: `${id}.rego`,
  });

  it('is partial when a permission is missing, and checks that need its kinds become errors', async () => {
    const server = await org({ faults: { forbidden: [{ match: /^\/api\/v1\/policies/ }] } });
    const result = await runCollector('okta', optionsFor(server), '/', {
      env: { OKTA_API_TOKEN: OKTA_TEST_TOKEN },
      now: () => NOW,
    });
    expect(result.source.status).toBe('partial');
    expect(result.source.kinds).toContain('identity_policy');
    const checks = summarizeChecks(
      { mfa: meta('identity.mfa_all_users', ['user']), tls: meta('tls.min_version_12', ['tls_endpoint']) },
      { 'identity.mfa_all_users': [{ resource: 'x', status: 'pass', message: 'ok' }] },
      [result.source],
    );
    expect(checks.find((c) => c.id === 'identity.mfa_all_users')).toMatchObject({ status: 'error' });
    expect(checks.find((c) => c.id === 'tls.min_version_12')).toMatchObject({ status: 'not_applicable' });
  });

  it('records a broken reply as a source error and lets the other collectors of the run finish', async () => {
    const broken = await org({ faults: { garbage: [{ match: /\/groups/ }] } });
    const healthy = await org();
    const [a, b] = await Promise.all([
      runCollector('okta', optionsFor(broken, { name: 'broken.okta.com' }), '/', {
        env: { OKTA_API_TOKEN: OKTA_TEST_TOKEN },
      }),
      runCollector('okta', optionsFor(healthy), '/', { env: { OKTA_API_TOKEN: OKTA_TEST_TOKEN } }),
    ]);
    expect(a.source).toMatchObject({
      status: 'error',
      error: expect.stringMatching(/groups returned a reply that is not JSON/),
    });
    expect(b.source).toMatchObject({ status: 'ok', itemCount: b.entities.length });
    expect(b.entities.length).toBeGreaterThan(10);
  });
});

describe("the demo plant's Okta org", () => {
  it('is served by the demo service and collected without credentials of the user', async () => {
    const exampleDir = fileURLToPath(new URL('../../../examples/acme-plant/', import.meta.url));
    const service = await oktaDemoService.start({ exampleDir });
    try {
      const [entry] = service.collectors;
      expect(entry?.type).toBe('okta');
      const { type, ...options } = entry ?? { type: 'okta' };
      const result = await runCollector(String(type), OktaOptions.parse(options), exampleDir, {
        env: service.env,
      });
      expect(result.source).toMatchObject({ id: 'okta:acme-plant.okta.com', status: 'ok', error: null });
      const users = result.entities.map((e) => Entity.parse(e)).filter((e) => e.kind === 'user');
      expect(users).toHaveLength(13);
      const byLogin = new Map(users.map((u) => [u.username, u]));
      expect(byLogin.get('anna.klein@acme-castings.example')).toMatchObject({
        privileged: true,
        mfaEnrolled: false,
      });
      expect(byLogin.get('maria.schmidt@acme-castings.example')).toMatchObject({
        mfaEnrolled: true,
        mfaEnforced: false,
      });
      expect(byLogin.get('kai.schulz@acme-castings.example')).toMatchObject({
        status: 'suspended',
        privileged: true,
      });
      const stale = byLogin.get('stefan.braun@acme-castings.example')?.lastLoginAt ?? '';
      expect(Date.now() - Date.parse(stale)).toBeGreaterThan(90 * 86_400_000);
      const policies = result.entities.filter((e) => e.kind === 'identity_policy');
      expect(policies).toContainEqual(
        expect.objectContaining({
          name: 'Default Policy / Shop-floor terminals',
          sessionLifetimeMinutes: 10080,
        }),
      );
      expect(policies).toContainEqual(
        expect.objectContaining({ policyType: 'password', passwordMinLength: 8 }),
      );
    } finally {
      await service.close();
    }
  });
});
