import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseLdif } from '../../../test/servers/ldif.js';
import { Entity, type EntityInput } from '../../snapshot/schema.js';
import { toDirEntry } from './client.js';
import {
  adDurationDays,
  type DirectoryData,
  domainOfDn,
  filetimeToIso,
  generalizedTimeToIso,
  type NormalizeOptions,
  normalizeDirectory,
} from './normalize.js';
import { type DirEntry, RawLdapEntry } from './schema.js';

const NOW = new Date('2026-11-20T12:00:00Z');
const ctx = { sourceId: 'ldap:dc01.acme-corp.example', now: () => NOW };

function loadAd(): DirEntry[] {
  const text = readFileSync(new URL('./__fixtures__/ad-acme-corp.ldif', import.meta.url), 'utf8');
  return parseLdif(text).map((e) => toDirEntry(RawLdapEntry.parse(e)));
}

const hasClass = (e: DirEntry, c: string) =>
  (e.attrs.objectclass ?? []).some((x) => x.toLowerCase() === c.toLowerCase());

function adData(entries = loadAd()): DirectoryData {
  return {
    flavor: 'ad',
    users: entries.filter((e) => hasClass(e, 'user')),
    groups: entries.filter((e) => hasClass(e, 'group')),
    domain: entries.find((e) => hasClass(e, 'domainDNS')) ?? null,
    psos: entries.filter((e) => hasClass(e, 'msDS-PasswordSettings')),
    policies: [],
    ppolicyDefaultDn: null,
  };
}

const options: NormalizeOptions = {
  directory: 'acme-corp.example',
  transport: 'tls',
  serviceAccountDns: [],
  roleAssignments: 'all',
  rawRefs: { connection: 'r#1', users: 'r#2', groups: 'r#3', policies: 'r#4' },
};

type Of<K extends string> = Extract<EntityInput, { kind: K }>;
const users = (es: EntityInput[]) =>
  new Map(es.filter((e): e is Of<'user'> => e.kind === 'user').map((u) => [u.username, u]));
const assignments = (es: EntityInput[]) =>
  es.filter((e): e is Of<'role_assignment'> => e.kind === 'role_assignment');

describe('AD value decoding', () => {
  it('reads FILETIME, GeneralizedTime and negative 100 ns durations', () => {
    expect(filetimeToIso('134395443000000000')).toBe('2026-11-19T06:45:00.000Z');
    expect(filetimeToIso('0')).toBeNull();
    expect(filetimeToIso('9223372036854775807')).toBeNull();
    expect(filetimeToIso('not a number')).toBeNull();
    expect(generalizedTimeToIso('20210301080000.0Z')).toBe('2021-03-01T08:00:00.000Z');
    expect(generalizedTimeToIso('202103010800+0100')).toBe('2021-03-01T07:00:00.000Z');
    expect(generalizedTimeToIso('000001010000Z')).toBeNull();
    expect(generalizedTimeToIso('yesterday')).toBeNull();
    expect(adDurationDays(-36288000000000n)).toBe(42);
    expect(adDurationDays(-9223372036854775808n)).toBeNull();
    expect(adDurationDays(0n)).toBeNull();
    expect(domainOfDn('OU=Plant, DC=acme-corp,DC=example')).toBe('acme-corp.example');
  });

  it('turns binary objectSid and objectGUID into their text forms', () => {
    const alice = loadAd().find((e) => e.attrs.samaccountname?.[0] === 'alice')!;
    expect(alice.attrs.objectsid).toEqual(['S-1-5-21-1004336348-1177238915-682003330-1201']);
    expect(alice.attrs.objectguid?.[0]).toMatch(
      /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/,
    );
  });
});

describe('normalizeDirectory (Active Directory)', () => {
  const entities = normalizeDirectory(adData(), options, ctx);
  const byName = users(entities);

  it('emits entities that parse against the snapshot schema', () => {
    for (const e of entities) expect(() => Entity.parse(e), JSON.stringify(e)).not.toThrow();
    expect(entities.filter((e) => e.kind === 'user')).toHaveLength(12);
  });

  it('reads account state from userAccountControl, the computed flags, lockoutTime and accountExpires', () => {
    expect(byName.get('alice')?.status).toBe('active');
    expect(byName.get('bob')?.status).toBe('disabled'); // 0x2
    expect(byName.get('carol')?.status).toBe('locked'); // 0x10 stored
    expect(byName.get('dave')?.status).toBe('locked'); // msDS-User-Account-Control-Computed 0x10
    expect(byName.get('erin')?.status).toBe('active'); // lockoutTime older than the 30 min lockout duration
    expect(byName.get('henry')?.status).toBe('disabled'); // accountExpires in the past
  });

  it('takes the later of lastLogonTimestamp and lastLogon, and leaves never-used accounts null', () => {
    expect(byName.get('alice')?.lastLoginAt).toBe('2026-11-19T06:45:00.000Z');
    expect(byName.get('stan')?.lastLoginAt).toBe('2026-02-03T08:00:00.000Z');
    expect(byName.get('nina')?.lastLoginAt).toBeNull();
    expect(byName.get('nina')?.passwordLastSetAt).toBeNull(); // pwdLastSet 0: must change at next logon
    expect(byName.get('nina')?.createdAt).toBe('2026-11-10T08:00:00.000Z');
    expect(byName.get('alice')?.passwordLastSetAt).toBe('2026-10-01T09:00:00.000Z');
  });

  it('finds privileged members by well-known SID, through nesting and the primary group', () => {
    // German group names: matched by RID 512 and S-1-5-32-544/551, not by name
    expect(byName.get('bob')?.privileged).toBe(true); // direct member of Domänen-Admins
    expect(byName.get('greta')?.privileged).toBe(true); // OT-Admins (memberOf) ⊂ Domänen-Admins ⊂ Administratoren
    expect(byName.get('frank')?.privileged).toBe(true); // primaryGroupID 512
    expect(byName.get('svc_sql')?.privileged).toBe(true); // Sicherungs-Operatoren (Backup Operators)
    expect(byName.get('alice')?.privileged).toBe(false);
    // the primary group (Domain Users, RID 513) counts although AD leaves it out of `member`
    expect(byName.get('greta')?.groups).toEqual([
      'Administratoren',
      'Domain Users',
      'Domänen-Admins',
      'OT-Admins',
    ]);
  });

  it('recognizes service accounts by servicePrincipalName and gMSA class', () => {
    expect(byName.get('svc_sql')?.userType).toBe('service');
    expect(byName.get('gmsa-historian$')?.userType).toBe('service');
    expect(byName.get('alice')?.userType).toBe('human');
  });

  it('normalizes memberships to role assignments named after the group', () => {
    const ra = assignments(entities);
    const frankDa = ra.find((r) => r.principalName === 'frank' && r.role === 'Domänen-Admins');
    const frank = byName.get('frank')!;
    expect(frank.id).toMatch(
      /^ldap:acme-corp\.example:user:[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/,
    );
    expect(frankDa).toMatchObject({
      id: expect.stringMatching(/^ldap:acme-corp\.example:member:[0-9a-f-]{36}:[0-9a-f-]{36}$/),
      principalId: frank.id,
      principalType: 'user',
      scope: 'acme-corp.example',
      privileged: true,
    });
    expect(ra.find((r) => r.principalName === 'alice' && r.role === 'Plant Operators')?.privileged).toBe(
      false,
    );
    expect(ra.find((r) => r.principalName === 'svc_sql')?.principalType).toBe('service');
    const ids = ra.map((r) => r.id);
    expect(new Set(ids).size).toBe(ids.length);
    // names stay out of ids, so a pseudonymized snapshot does not leak them
    expect(ids.some((id) => /frank|alice|bob/.test(id))).toBe(false);
  });

  it('keeps only privileged memberships when asked to', () => {
    const only = assignments(
      normalizeDirectory(adData(), { ...options, roleAssignments: 'privileged' }, ctx),
    );
    expect(only.length).toBeGreaterThan(0);
    expect(only.every((r) => r.privileged)).toBe(true);
  });

  it('uses configured privileged groups instead of the defaults', () => {
    const es = normalizeDirectory(adData(), { ...options, privilegedGroups: ['Plant Operators'] }, ctx);
    expect(users(es).get('alice')?.privileged).toBe(true);
    expect(users(es).get('bob')?.privileged).toBe(false);
  });

  it('reads the domain policy and fine-grained password settings', () => {
    const policies = entities.filter((e): e is Of<'identity_policy'> => e.kind === 'identity_policy');
    expect(policies.find((p) => p.id === 'ldap:acme-corp.example:policy:domain')).toMatchObject({
      policyType: 'password',
      appliesToAll: true,
      passwordMinLength: 7,
      passwordMaxAgeDays: 42,
      passwordHistory: 24,
      lockoutThreshold: 0,
    });
    expect(policies.find((p) => p.name === 'OT-Engineers')).toMatchObject({
      appliesToAll: false,
      priority: 10,
      passwordMinLength: 14,
      passwordMaxAgeDays: 90,
      lockoutThreshold: 5,
      appliesTo: ['CN=OT-Admins,OU=Groups,DC=acme-corp,DC=example'],
    });
  });

  it('records the transport on the directory account', () => {
    const account = entities.find((e) => e.kind === 'account');
    expect(account).toMatchObject({
      id: 'ldap:acme-corp.example',
      accountType: 'directory',
      transportSecurity: 'tls',
    });
    const plain = normalizeDirectory(adData(), { ...options, transport: 'none' }, ctx).find(
      (e) => e.kind === 'account',
    );
    expect(plain).toMatchObject({ transportSecurity: 'none' });
  });

  it('leaves what a directory cannot know as null', () => {
    const alice = byName.get('alice')!;
    expect(alice.mfaEnrolled).toBeNull();
    expect(alice.mfaEnforced).toBeNull();
    expect(alice.shared).toBeNull();
  });
});

describe('normalizeDirectory (OpenLDAP ppolicy)', () => {
  const policy = (attrs: Record<string, string[]>): DirEntry => ({ dn: 'cn=p,ou=policies,dc=x', attrs });
  const run = (p: DirEntry, defaultDn: string | null = 'cn=p,ou=policies,dc=x') =>
    normalizeDirectory(
      {
        flavor: 'openldap',
        users: [],
        groups: [],
        domain: null,
        psos: [],
        policies: [p],
        ppolicyDefaultDn: defaultDn,
      },
      { ...options, directory: 'x', privilegedGroups: ['admins'] },
      ctx,
    ).find((e): e is Of<'identity_policy'> => e.kind === 'identity_policy')!;

  it('reports pwdMinLength as enforced only when quality checking is on', () => {
    expect(run(policy({ pwdminlength: ['8'], pwdcheckquality: ['2'] })).passwordMinLength).toBe(8);
    expect(run(policy({ pwdminlength: ['8'] })).passwordMinLength).toBe(0);
  });

  it('reads lockout only when pwdLockout is TRUE, and max age in days', () => {
    const p = run(
      policy({ pwdlockout: ['TRUE'], pwdmaxfailure: ['5'], pwdmaxage: ['7776000'], pwdinhistory: ['4'] }),
    );
    expect(p).toMatchObject({
      lockoutThreshold: 5,
      passwordMaxAgeDays: 90,
      passwordHistory: 4,
      appliesToAll: true,
    });
    expect(run(policy({ pwdmaxfailure: ['5'] })).lockoutThreshold).toBe(0);
    expect(run(policy({}), null).appliesToAll).toBe(false);
  });
});
