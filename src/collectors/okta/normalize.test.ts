import { describe, expect, it } from 'vitest';
import { type CollectedPolicy, isoDurationMinutes, oktaMfaEnforced, peopleMatch } from './normalize.js';
import type { OktaPolicyRule } from './schema.js';

const ADMINS = '00gadmins';
const EVERYONE = '00geveryone';

const rule = (
  name: string,
  r: Partial<OktaPolicyRule> & { mfa?: boolean; deny?: boolean },
): OktaPolicyRule => ({
  id: `0pr${name}`,
  name,
  status: 'ACTIVE',
  priority: r.priority ?? 1,
  conditions: r.conditions ?? null,
  actions: { signon: { access: r.deny ? 'DENY' : 'ALLOW', requireFactor: r.mfa ?? false } },
});

const signOn = (
  priority: number,
  groups: string[],
  rules: OktaPolicyRule[],
  status = 'ACTIVE',
  system = false,
): CollectedPolicy => ({
  policy: {
    id: `00p${priority}`,
    type: 'OKTA_SIGN_ON',
    name: `p${priority}`,
    status,
    priority,
    system,
    conditions: { people: { groups: { include: groups } } },
  },
  rawRef: 'r',
  rules,
  rulesRawRef: 'r',
});

const access = (
  rules: Array<{ name: string; mode: '1FA' | '2FA'; groups?: string[]; priority: number }>,
): CollectedPolicy => ({
  policy: { id: 'rst1', type: 'ACCESS_POLICY', name: 'app', status: 'ACTIVE', priority: 1 },
  rawRef: 'r',
  rules: rules.map((r) => ({
    id: r.name,
    name: r.name,
    status: 'ACTIVE',
    priority: r.priority,
    conditions: r.groups ? { people: { groups: { include: r.groups } } } : null,
    actions: { appSignOn: { access: 'ALLOW', verificationMethod: { factorMode: r.mode } } },
  })),
  rulesRawRef: 'r',
});

const admin = { id: '00uadmin', groupIds: new Set([EVERYONE, ADMINS]) };
const worker = { id: '00uworker', groupIds: new Set([EVERYONE]) };
const unknown = { id: '00uunknown', groupIds: null };

describe('Okta people conditions', () => {
  it('includes by user or group, excludes win, and unknown groups give unknown', () => {
    expect(peopleMatch(null, worker)).toBe(true);
    expect(peopleMatch({ groups: { include: [ADMINS] } }, admin)).toBe(true);
    expect(peopleMatch({ groups: { include: [ADMINS] } }, worker)).toBe(false);
    expect(peopleMatch({ users: { include: ['00uworker'] }, groups: { include: [ADMINS] } }, worker)).toBe(
      true,
    );
    expect(peopleMatch({ groups: { include: [EVERYONE], exclude: [ADMINS] } }, admin)).toBe(false);
    expect(peopleMatch({ users: { exclude: ['00uadmin'] } }, admin)).toBe(false);
    expect(peopleMatch({ groups: { include: [ADMINS] } }, unknown)).toBeNull();
    expect(peopleMatch({ users: { include: ['00uunknown'] }, groups: { include: [ADMINS] } }, unknown)).toBe(
      true,
    );
  });
});

describe('Okta MFA enforcement', () => {
  const policies = [
    signOn(1, [ADMINS], [rule('admins', { mfa: true })]),
    signOn(2, [EVERYONE], [rule('default', { mfa: false })], 'ACTIVE', true),
  ];

  it('follows policy priority: the first policy that takes the user in decides', () => {
    expect(oktaMfaEnforced(policies, admin)).toBe(true);
    expect(oktaMfaEnforced(policies, worker)).toBe(false);
    expect(oktaMfaEnforced(null, worker)).toBeNull();
  });

  it('is unknown when it depends on group memberships that were not read', () => {
    expect(oktaMfaEnforced(policies, unknown)).toBeNull();
    // ...but not when every possible path ends the same way: the default policy takes in everyone
    const allMfa = [
      signOn(1, [ADMINS], [rule('a', { mfa: true })]),
      signOn(2, [EVERYONE], [rule('d', { mfa: true })], 'ACTIVE', true),
    ];
    expect(oktaMfaEnforced(allMfa, unknown)).toBe(true);
    // a non-default policy for a group nobody could place the user in decides nothing
    expect(oktaMfaEnforced([signOn(1, [EVERYONE], [rule('d', { mfa: true })])], unknown)).toBeNull();
    expect(oktaMfaEnforced([signOn(1, [], [rule('d', { mfa: true })])], unknown)).toBe(true);
  });

  it('a rule limited to a network zone decides only some sign-ins', () => {
    const zoned = (mfa: boolean) =>
      rule('office', { mfa, priority: 1, conditions: { network: { connection: 'ZONE' } } });
    const withZone = (mfa: boolean) => [
      signOn(1, [EVERYONE], [zoned(mfa), rule('default', { mfa: true, priority: 2 })]),
    ];
    expect(oktaMfaEnforced(withZone(false), worker)).toBe(false);
    expect(oktaMfaEnforced(withZone(true), worker)).toBe(true);
  });

  it('ignores inactive policies and counts a deny rule as no way in without MFA', () => {
    const p = [
      signOn(1, [EVERYONE], [rule('kiosk', { mfa: false })], 'INACTIVE'),
      signOn(2, [EVERYONE], [rule('deny', { deny: true })]),
    ];
    expect(oktaMfaEnforced(p, worker)).toBe(true);
  });

  it('on Identity Engine, authentication policies that all demand two factors enforce MFA', () => {
    const noSessionMfa = [signOn(1, [EVERYONE], [rule('default', { mfa: false })])];
    expect(
      oktaMfaEnforced([...noSessionMfa, access([{ name: 'all', mode: '2FA', priority: 99 }])], worker),
    ).toBe(true);
    const adminsOnly = access([
      { name: 'admins', mode: '2FA', groups: [ADMINS], priority: 1 },
      { name: 'catch-all', mode: '1FA', priority: 99 },
    ]);
    expect(oktaMfaEnforced([...noSessionMfa, adminsOnly], admin)).toBe(true);
    expect(oktaMfaEnforced([...noSessionMfa, adminsOnly], worker)).toBe(false);
  });
});

describe('ISO 8601 durations', () => {
  it.each([
    ['PT2H', 120],
    ['PT43800H', 2_628_000],
    ['P1DT30M', 1470],
    ['PT0S', 0],
    ['PT90S', 2],
    ['P1D', 1440],
  ])('%s is %i minutes', (value, minutes) => {
    expect(isoDurationMinutes(value)).toBe(minutes);
  });

  it.each([null, '', 'P', 'PT', '2 hours', 'P1W'])('%s is not a duration', (value) => {
    expect(isoDurationMinutes(value)).toBeNull();
  });
});
