import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'ldapts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestPki, type Pki } from '../../../test/servers/certs.js';
import {
  DEFAULT_POLICY_DN,
  findSlapd,
  LIMITED_DN,
  OUTSIDER_DN,
  READER_DN,
  type RunningSlapd,
  startTestDirectory,
  TEST_PASSWORD,
  TEST_SUFFIX,
} from '../../../test/servers/slapd.js';
import { startGarbageServer, startSilentServer } from '../../../test/servers/tls-servers.js';
import { Entity, type EntityInput } from '../../snapshot/schema.js';
import { createCollectContext } from '../context.js';
import { runCollector } from '../run.js';
import { ldapCollector } from './index.js';
import { LdapOptions } from './schema.js';

type Of<K extends string> = Extract<EntityInput, { kind: K }>;

// These tests start Debian's OpenLDAP (package `slapd`); without it they fail rather than pass silently.
const skip = !findSlapd() && process.env.PLANTPROOF_SKIP_SERVER_TESTS === '1';

describe.skipIf(skip)('ldap collector against a real slapd', () => {
  let pki: Pki;
  let slapd: RunningSlapd;
  let configDir: string;
  const env = { LDAP_READER_PASSWORD: TEST_PASSWORD, WRONG_PASSWORD: 'not-it' };

  beforeAll(async () => {
    if (!findSlapd()) throw new Error('slapd is not installed: apt-get install slapd ldap-utils');
    pki = await createTestPki();
    slapd = await startTestDirectory(pki);
    configDir = await mkdtemp(join(tmpdir(), 'plantproof-ldap-config-'));
  }, 30_000);

  afterAll(async () => {
    await slapd?.stop();
    await pki?.cleanup();
    if (configDir) await rm(configDir, { recursive: true, force: true });
  });

  const base = () => ({
    url: slapd.ldapsUrl!,
    bindDn: READER_DN,
    passwordEnv: 'LDAP_READER_PASSWORD',
    baseDn: TEST_SUFFIX,
    flavor: 'openldap' as const,
    privilegedGroups: ['ldap-admins'],
    caFile: pki.ca.certFile,
    ppolicyDefaultDn: DEFAULT_POLICY_DN,
    timeoutMs: 5000,
  });

  async function collect(raw: Record<string, unknown>) {
    const options = LdapOptions.parse(raw);
    const { ctx, state } = createCollectContext({ sourceId: 'ldap:test', configDir, env });
    const { entities } = await ldapCollector.collect(options, ctx);
    return { entities, state };
  }

  const usersOf = (es: EntityInput[]) =>
    new Map(es.filter((e): e is Of<'user'> => e.kind === 'user').map((u) => [u.username, u]));

  it('reads users, groups, privileged memberships and the ppolicy over LDAPS', async () => {
    const { entities, state } = await collect(base());
    expect(state.gaps).toEqual([]);
    for (const e of entities) expect(() => Entity.parse(e), JSON.stringify(e)).not.toThrow();

    const users = usersOf(entities);
    expect([...users.keys()].sort()).toEqual(
      ['admin1', 'disabled', 'enabled', 'limited', 'locked', 'lockme', 'outsider', 'reader', 'stale'].sort(),
    );
    expect(users.get('enabled')).toMatchObject({ status: 'active', privileged: true, userType: 'human' });
    expect(users.get('locked')?.status).toBe('locked');
    expect(users.get('disabled')).toMatchObject({ status: 'disabled', privileged: true });
    expect(users.get('admin1')?.privileged).toBe(true);
    expect(users.get('stale')?.privileged).toBe(false);
    const staleDays = (Date.now() - Date.parse(users.get('stale')?.lastLoginAt ?? '')) / 86_400_000;
    expect(Math.round(staleDays)).toBe(200);
    // the reader just bound: slapd's lastbind recorded it
    expect(Date.now() - Date.parse(users.get('reader')?.lastLoginAt ?? '')).toBeLessThan(120_000);
    // nested: enabled is in ops-admins (groupOfUniqueNames) which is a member of ldap-admins
    expect(users.get('enabled')?.groups).toEqual(['ldap-admins', 'operators', 'ops-admins']);

    const roles = entities.filter((e): e is Of<'role_assignment'> => e.kind === 'role_assignment');
    expect(roles.find((r) => r.principalName === 'disabled' && r.role === 'ldap-admins')).toMatchObject({
      id: expect.stringMatching(/^ldap:plant\.test:member:[0-9a-f-]{36}:[0-9a-f-]{36}$/),
      principalId: users.get('disabled')?.id,
      principalType: 'user',
      privileged: true,
    });
    expect(users.get('disabled')?.id).toMatch(/^ldap:plant\.test:user:[0-9a-f-]{36}$/);
    expect(roles.find((r) => r.principalName === 'stale' && r.role === 'operators')?.privileged).toBe(false);

    const policy = entities.find((e): e is Of<'identity_policy'> => e.kind === 'identity_policy');
    expect(policy).toMatchObject({
      appliesToAll: true,
      passwordMinLength: 12,
      passwordMaxAgeDays: 90,
      passwordHistory: 4,
      lockoutThreshold: 3,
    });
    expect(entities.find((e) => e.kind === 'account')).toMatchObject({
      id: 'ldap:plant.test',
      transportSecurity: 'tls',
    });
  });

  it('upgrades ldap:// with StartTLS by default and pages through results', async () => {
    const { entities, state } = await collect({ ...base(), url: slapd.url, pageSize: 2 });
    expect(entities.find((e) => e.kind === 'account')).toMatchObject({ transportSecurity: 'starttls' });
    expect(usersOf(entities).size).toBe(9);
    // StartTLS + bind + 5 pages of users + 2 of groups + 1 of policies (at least)
    expect(state.apiCalls).toBeGreaterThanOrEqual(10);
  });

  it('sees an account that ppolicy locked after failed binds', async () => {
    const client = new Client({ url: slapd.url, timeout: 5000 });
    for (let i = 0; i < 3; i++) {
      await expect(client.bind(`uid=lockme,ou=people,${TEST_SUFFIX}`, 'wrong')).rejects.toThrow();
    }
    await client.unbind();
    const { entities } = await collect(base());
    expect(usersOf(entities).get('lockme')?.status).toBe('locked');
  });

  it('refuses a plaintext bind unless allowed, and marks the directory when it is', async () => {
    const refused = LdapOptions.safeParse({ ...base(), url: slapd.url, startTls: false });
    expect(refused.success).toBe(false);
    expect(JSON.stringify(refused.error?.issues)).toMatch(/refusing a plaintext bind/);

    const { entities, state } = await collect({
      ...base(),
      url: slapd.url,
      startTls: false,
      allowPlaintext: true,
    });
    expect(state.gaps).toEqual([]);
    expect(entities.find((e) => e.kind === 'account')).toMatchObject({ transportSecurity: 'none' });
  });

  it('records a gap when the default password policy cannot be determined', async () => {
    const { ppolicyDefaultDn: _drop, ...withoutDefault } = base();
    const { entities, state } = await collect(withoutDefault);
    expect(state.gaps.join('\n')).toMatch(/set ppolicyDefaultDn/);
    expect(entities.find((e): e is Of<'identity_policy'> => e.kind === 'identity_policy')?.appliesToAll).toBe(
      false,
    );
  });

  async function source(raw: Record<string, unknown>) {
    const { source } = await runCollector('ldap', LdapOptions.parse(raw), configDir, { env });
    return source;
  }

  it('is partial when the bind account may not read the password policies', async () => {
    const s = await source({ ...base(), bindDn: LIMITED_DN, policyBaseDn: `ou=policies,${TEST_SUFFIX}` });
    expect(s.status).toBe('partial');
    expect(s.gaps.join('\n')).toMatch(/password policies \(ppolicy\) not read: ou=policies,dc=plant,dc=test/);
  });

  it('is an error when the bind account may not read users at all', async () => {
    const s = await source({ ...base(), bindDn: OUTSIDER_DN });
    expect(s.status).toBe('error');
    expect(s.error).toMatch(/cannot read users/);
  });

  it('is an error with a clear message for a wrong password, an untrusted certificate or nobody listening', async () => {
    expect((await source({ ...base(), passwordEnv: 'WRONG_PASSWORD' })).error).toMatch(
      /bind as cn=reader,.* failed: invalid credentials/,
    );
    const { caFile: _ca, ...noCa } = base();
    expect((await source(noCa)).error).toMatch(/not trusted .*set caFile/);
    expect((await source({ ...base(), passwordEnv: 'UNSET_VARIABLE' })).error).toMatch(
      /UNSET_VARIABLE .* not set/,
    );
    expect((await source({ ...base(), url: 'ldaps://127.0.0.1:1' })).error).toMatch(/connection refused/);
  });

  it('gives a clear source error when the server answers garbage', async () => {
    const garbage = await startGarbageServer('220 mail.example ESMTP ready\r\n');
    try {
      const s = await source({ ...base(), url: `ldap://127.0.0.1:${garbage.port}`, timeoutMs: 1500 });
      expect(s.status).toBe('error');
      expect(s.error).toMatch(/127\.0\.0\.1:\d+ closed the connection without an LDAP answer/);
      const plain = await source({
        ...base(),
        url: `ldap://127.0.0.1:${garbage.port}`,
        startTls: false,
        allowPlaintext: true,
        timeoutMs: 1500,
      });
      expect(plain.status).toBe('error');
    } finally {
      await garbage.close();
    }
  });

  it('gives up on a silent server after timeoutMs', async () => {
    const silent = await startSilentServer();
    try {
      const t0 = Date.now();
      const s = await source({ ...base(), url: `ldap://127.0.0.1:${silent.port}`, timeoutMs: 500 });
      expect(s.error).toMatch(/did not answer within 500 ms/);
      expect(Date.now() - t0).toBeLessThan(3000);
    } finally {
      await silent.close();
    }
  });
});
