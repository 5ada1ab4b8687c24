import type { EntityInput } from '../../snapshot/schema.js';
import type { CollectContext } from '../types.js';
import { AD_PRIVILEGED_GROUPS, type DirEntry, type Transport } from './schema.js';

/** What the collector read, already converted to DirEntry. */
export interface DirectoryData {
  flavor: 'ad' | 'openldap';
  users: DirEntry[];
  groups: DirEntry[];
  /** AD: the domain object carrying the default password policy */
  domain: DirEntry | null;
  /** AD: fine-grained password policies (msDS-PasswordSettings) */
  psos: DirEntry[];
  /** OpenLDAP: pwdPolicy entries */
  policies: DirEntry[];
  /** OpenLDAP: the policy that applies to users without pwdPolicySubentry, when known */
  ppolicyDefaultDn: string | null;
}

export interface NormalizeOptions {
  /** stable key of the directory (the AD/DNS domain, or the base DN): prefix of every id */
  directory: string;
  transport: Transport;
  privilegedGroups?: readonly string[];
  serviceAccountDns: readonly string[];
  roleAssignments: 'all' | 'privileged';
  rawRefs: {
    connection: string | null;
    users: string | null;
    groups: string | null;
    policies: string | null;
  };
}

// ---------- value decoding ----------

/** lower-case, no blanks around separators: the form DNs are compared in */
export function dnKey(dn: string): string {
  return dn
    .trim()
    .replace(/\s*([,=+])\s*/g, '$1')
    .toLowerCase();
}

/** `dc=acme-plant,dc=local` → `acme-plant.local`; null when the DN has no dc= parts */
export function domainOfDn(dn: string): string | null {
  const parts = dnKey(dn)
    .split(',')
    .filter((p) => p.startsWith('dc='))
    .map((p) => p.slice(3));
  return parts.length ? parts.join('.') : null;
}

/** the dc= suffix of a DN: `ou=x,dc=a,dc=b` → `dc=a,dc=b` */
export function domainDnOf(dn: string): string | null {
  const parts = dn.split(/\s*,\s*/).filter((p) => /^dc=/i.test(p));
  return parts.length ? parts.join(',') : null;
}

function rdnValue(dn: string): string {
  const first = dn.split(/(?<!\\),/)[0] ?? dn;
  return first.slice(first.indexOf('=') + 1).trim();
}

const one = (e: DirEntry | null | undefined, attr: string): string | undefined =>
  e?.attrs[attr.toLowerCase()]?.[0];
const many = (e: DirEntry | null | undefined, attr: string): string[] => e?.attrs[attr.toLowerCase()] ?? [];

function int(e: DirEntry | null | undefined, attr: string): number | null {
  const v = one(e, attr);
  if (v === undefined || !/^-?\d+$/.test(v.trim())) return null;
  return Number(v);
}

function bigint(e: DirEntry | null | undefined, attr: string): bigint | null {
  const v = one(e, attr)?.trim();
  if (v === undefined || !/^-?\d+$/.test(v)) return null;
  return BigInt(v);
}

const nonNegative = (n: number | null): number | null => (n === null || n < 0 ? null : n);

/** LDAP GeneralizedTime (20250101093000Z, 20250101093000.0Z, 202501010930+0100) → ISO; year 0 → null */
export function generalizedTimeToIso(value: string | undefined): string | null {
  if (!value) return null;
  const m = /^(\d{4})(\d{2})(\d{2})(\d{2})(\d{2})?(\d{2})?(?:[.,](\d+))?(Z|[+-]\d{2}(?:\d{2})?)$/.exec(
    value.trim(),
  );
  if (!m) return null;
  const [, y, mo, d, h, mi = '00', s = '00', frac, zone] = m;
  if (Number(y) === 0) return null;
  const ms = frac ? Math.round(Number(`0.${frac}`) * 1000) : 0;
  let t = Date.UTC(Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi), Number(s), ms);
  if (zone && zone !== 'Z') {
    const sign = zone.startsWith('-') ? -1 : 1;
    const offMin = Number(zone.slice(1, 3)) * 60 + Number(zone.slice(3, 5) || '0');
    t -= sign * offMin * 60_000;
  }
  return Number.isNaN(t) ? null : new Date(t).toISOString();
}

const FILETIME_EPOCH_OFFSET_MS = 11_644_473_600_000n;
const NEVER = 9_223_372_036_854_775_807n;

/** Windows FILETIME (100 ns since 1601) → ISO; 0 and "never" → null */
export function filetimeToIso(value: string | undefined): string | null {
  if (!value || !/^-?\d+$/.test(value.trim())) return null;
  const v = BigInt(value.trim());
  if (v <= 0n || v >= NEVER) return null;
  const ms = v / 10_000n - FILETIME_EPOCH_OFFSET_MS;
  return new Date(Number(ms)).toISOString();
}

const HUNDRED_NS_PER_MS = 10_000n;
const DAY_100NS = 864_000_000_000n;
const INT64_MIN = -9_223_372_036_854_775_808n;

/**
 * AD stores durations as negative counts of 100 ns. 0 and INT64_MIN mean "never" (no expiry, or
 * locked until an administrator unlocks). Returns null for those; a policy reads null as not set.
 */
export function adDurationDays(v: bigint | null): number | null {
  if (v === null || v === 0n || v === INT64_MIN) return null;
  return Number((v < 0n ? -v : v) / DAY_100NS);
}

function adDurationMs(v: bigint | null): number | 'forever' | null {
  if (v === null) return null;
  if (v === INT64_MIN) return 'forever';
  return Number((v < 0n ? -v : v) / HUNDRED_NS_PER_MS);
}

// ---------- users and groups ----------

type PrivilegeMatcher = (group: DirEntry) => boolean;

function privilegeMatcher(
  flavor: DirectoryData['flavor'],
  specs: readonly string[] | undefined,
): PrivilegeMatcher {
  const useDefaults = !specs && flavor === 'ad';
  const dns = new Set<string>();
  const names = new Set<string>();
  const sids = new Set<string>();
  const rids = new Set<number>();
  for (const s of specs ?? []) {
    if (/^S-1-/i.test(s)) sids.add(s.toUpperCase());
    else if (s.includes('=')) dns.add(dnKey(s));
    else names.add(s.toLowerCase());
  }
  if (useDefaults) {
    for (const g of AD_PRIVILEGED_GROUPS) {
      names.add(g.name.toLowerCase());
      if ('sid' in g) sids.add(g.sid);
      if ('rid' in g) rids.add(g.rid);
    }
  }
  return (group) => {
    if (dns.has(dnKey(group.dn))) return true;
    const cn = (one(group, 'cn') ?? rdnValue(group.dn)).toLowerCase();
    if (names.has(cn)) return true;
    const sid = one(group, 'objectSid')?.toUpperCase();
    if (sid) {
      if (sids.has(sid)) return true;
      // domain-relative well-known groups: S-1-5-21-<domain>-<rid>
      const rid = /^S-1-5-21-(?:\d+-){3}(\d+)$/.exec(sid)?.[1];
      if (rid && rids.has(Number(rid))) return true;
    }
    return false;
  };
}

function groupName(g: DirEntry): string {
  return one(g, 'cn') ?? one(g, 'sAMAccountName') ?? rdnValue(g.dn);
}

/**
 * Ids from the directory's own immutable identifier (AD objectGUID, OpenLDAP entryUUID): stable
 * through renames and moves between OUs, and free of names, so pseudonymized snapshots stay
 * pseudonymous. An entry without one (hidden by an ACL) falls back to its DN.
 */
function entryKey(e: DirEntry): string {
  return (one(e, 'objectGUID') ?? one(e, 'entryUUID') ?? dnKey(e.dn)).toLowerCase();
}

interface UserFacts {
  status: 'active' | 'disabled' | 'locked';
  username: string;
  lastLoginAt: string | null;
  passwordLastSetAt: string | null;
  createdAt: string | null;
  service: boolean;
}

const UF_ACCOUNTDISABLE = 0x2;
const UF_LOCKOUT = 0x10;

function adUserFacts(u: DirEntry, domain: DirEntry | null, now: Date): UserFacts {
  const uac = int(u, 'userAccountControl') ?? 0;
  const computed = int(u, 'msDS-User-Account-Control-Computed');
  const expires = filetimeToIso(one(u, 'accountExpires'));
  const disabled =
    (uac & UF_ACCOUNTDISABLE) !== 0 || (expires !== null && Date.parse(expires) <= now.getTime());
  let locked = (uac & UF_LOCKOUT) !== 0 || (computed !== null && (computed & UF_LOCKOUT) !== 0);
  if (!locked && computed === null) {
    // without the constructed attribute, work it out from lockoutTime and the domain's lockout duration
    const lockedAt = filetimeToIso(one(u, 'lockoutTime'));
    if (lockedAt) {
      const duration = adDurationMs(bigint(domain, 'lockoutDuration'));
      locked = duration === null || duration === 'forever' || Date.parse(lockedAt) + duration > now.getTime();
    }
  }
  const logons = [filetimeToIso(one(u, 'lastLogonTimestamp')), filetimeToIso(one(u, 'lastLogon'))].filter(
    (t): t is string => t !== null,
  );
  const classes = many(u, 'objectClass').map((c) => c.toLowerCase());
  return {
    status: disabled ? 'disabled' : locked ? 'locked' : 'active',
    username: one(u, 'sAMAccountName') ?? rdnValue(u.dn),
    // lastLogonTimestamp replicates (up to 14 days late); lastLogon is exact but per DC: take the later
    lastLoginAt: logons.length ? logons.sort().at(-1)! : null,
    passwordLastSetAt: filetimeToIso(one(u, 'pwdLastSet')),
    createdAt: generalizedTimeToIso(one(u, 'whenCreated')),
    service:
      classes.includes('msds-groupmanagedserviceaccount') ||
      classes.includes('msds-managedserviceaccount') ||
      many(u, 'servicePrincipalName').length > 0,
  };
}

/** ppolicy's "locked until an administrator unlocks": how OpenLDAP directories disable accounts */
const PERMANENT_LOCK = '000001010000Z';

function openldapUserFacts(
  u: DirEntry,
  policyFor: (u: DirEntry) => DirEntry | undefined,
  now: Date,
): UserFacts {
  const lockedTime = one(u, 'pwdAccountLockedTime');
  let status: UserFacts['status'] = 'active';
  const shadowExpire = int(u, 'shadowExpire');
  if (lockedTime === PERMANENT_LOCK) status = 'disabled';
  else if (shadowExpire !== null && shadowExpire >= 0 && shadowExpire * 86_400_000 <= now.getTime())
    status = 'disabled';
  else if (lockedTime) {
    const at = generalizedTimeToIso(lockedTime);
    const duration = int(policyFor(u), 'pwdLockoutDuration');
    // no policy, or duration 0: the lock stays until an administrator lifts it
    status = !at || !duration || Date.parse(at) + duration * 1000 > now.getTime() ? 'locked' : 'active';
  }
  return {
    status,
    username: one(u, 'uid') ?? one(u, 'cn') ?? rdnValue(u.dn),
    lastLoginAt: generalizedTimeToIso(one(u, 'pwdLastSuccess') ?? one(u, 'authTimestamp')),
    passwordLastSetAt: generalizedTimeToIso(one(u, 'pwdChangedTime')),
    createdAt: generalizedTimeToIso(one(u, 'createTimestamp')),
    service: false,
  };
}

/** group dn key → direct member dn keys, from both sides (member/uniqueMember/memberUid and memberOf) */
function directMemberships(data: DirectoryData): Map<string, Set<string>> {
  const members = new Map<string, Set<string>>();
  const add = (group: string, member: string) => {
    const set = members.get(group) ?? new Set<string>();
    members.set(group, set);
    set.add(member);
  };
  const userByUid = new Map<string, string>();
  for (const u of data.users) {
    const uid = one(u, 'uid');
    if (uid) userByUid.set(uid.toLowerCase(), dnKey(u.dn));
  }
  const groupBySid = new Map<string, string>();
  for (const g of data.groups) {
    const key = dnKey(g.dn);
    members.set(key, members.get(key) ?? new Set());
    const sid = one(g, 'objectSid');
    if (sid) groupBySid.set(sid.toUpperCase(), key);
    for (const m of many(g, 'member')) add(key, dnKey(m));
    // groupOfUniqueNames values may carry an optional #'...'B uid suffix
    for (const m of many(g, 'uniqueMember')) add(key, dnKey(m.replace(/#'[01]*'B$/, '')));
    for (const uid of many(g, 'memberUid')) {
      const dn = userByUid.get(uid.toLowerCase());
      if (dn) add(key, dn);
    }
  }
  for (const u of data.users) {
    const key = dnKey(u.dn);
    for (const g of many(u, 'memberOf')) if (members.has(dnKey(g))) add(dnKey(g), key);
    // AD leaves the primary group out of `member`; a user whose primary group is Domain Admins is still one
    const rid = int(u, 'primaryGroupID');
    const sid = one(u, 'objectSid');
    if (rid !== null && sid) {
      const domainSid = sid.toUpperCase().replace(/-\d+$/, '');
      const group = groupBySid.get(`${domainSid}-${rid}`);
      if (group) add(group, key);
    }
  }
  return members;
}

/** member dn key → every group dn key it belongs to, directly or through nested groups */
function transitiveGroups(members: Map<string, Set<string>>): (member: string) => Set<string> {
  const parents = new Map<string, Set<string>>();
  for (const [group, set] of members) {
    for (const m of set) {
      const p = parents.get(m) ?? new Set<string>();
      parents.set(m, p);
      p.add(group);
    }
  }
  return (member) => {
    const seen = new Set<string>();
    const queue = [...(parents.get(member) ?? [])];
    while (queue.length) {
      const g = queue.pop()!;
      if (seen.has(g)) continue;
      seen.add(g);
      queue.push(...(parents.get(g) ?? []));
    }
    return seen;
  };
}

// ---------- the normalizer ----------

/** Directory entries → account, user, role_assignment and identity_policy entities. */
export function normalizeDirectory(
  data: DirectoryData,
  o: NormalizeOptions,
  ctx: Pick<CollectContext, 'sourceId' | 'now'>,
): EntityInput[] {
  const now = ctx.now();
  const dir = o.directory;
  const common = (rawRef: string | null) => ({ provider: 'ldap', source: ctx.sourceId, rawRef });
  const entities: EntityInput[] = [];

  entities.push({
    ...common(o.rawRefs.connection),
    id: `ldap:${dir}`,
    kind: 'account',
    name: dir,
    accountId: dir,
    accountType: 'directory',
    transportSecurity: o.transport,
    tags: { flavor: data.flavor },
  });

  const isPrivileged = privilegeMatcher(data.flavor, o.privilegedGroups);
  const groupsByKey = new Map(data.groups.map((g) => [dnKey(g.dn), g]));
  const privilegedGroups = new Set(data.groups.filter(isPrivileged).map((g) => dnKey(g.dn)));
  const members = directMemberships(data);
  const groupsOf = transitiveGroups(members);

  const policiesByKey = new Map(data.policies.map((p) => [dnKey(p.dn), p]));
  const policyFor = (u: DirEntry) => {
    const dn = one(u, 'pwdPolicySubentry') ?? data.ppolicyDefaultDn;
    return dn ? policiesByKey.get(dnKey(dn)) : undefined;
  };
  const serviceSuffixes = o.serviceAccountDns.map(dnKey);

  const userIds = new Map<string, string>();
  for (const u of data.users) {
    const key = dnKey(u.dn);
    const facts =
      data.flavor === 'ad' ? adUserFacts(u, data.domain, now) : openldapUserFacts(u, policyFor, now);
    const service = facts.service || serviceSuffixes.some((s) => key === s || key.endsWith(`,${s}`));
    // effective membership, nested groups included: what access decisions see
    const allGroups = groupsOf(key);
    const id = `ldap:${dir}:user:${entryKey(u)}`;
    userIds.set(key, id);
    entities.push({
      ...common(o.rawRefs.users),
      id,
      kind: 'user',
      name: facts.username,
      accountId: dir,
      userType: service ? 'service' : 'human',
      status: facts.status,
      username: facts.username,
      displayName: one(u, 'displayName') ?? one(u, 'cn') ?? null,
      email: one(u, 'mail') ?? one(u, 'userPrincipalName') ?? null,
      privileged: [...allGroups].some((g) => privilegedGroups.has(g)),
      // a directory bind knows nothing about second factors
      mfaEnrolled: null,
      mfaEnforced: null,
      lastLoginAt: facts.lastLoginAt,
      passwordLastSetAt: facts.passwordLastSetAt,
      createdAt: facts.createdAt,
      groups: [...allGroups]
        .flatMap((g) => {
          const group = groupsByKey.get(g);
          return group ? [groupName(group)] : [];
        })
        .sort(),
      // a directory does not declare shared logins; the shared-accounts check judges the names
      shared: null,
      federated: null,
    });

    for (const g of [...allGroups].sort()) {
      const group = groupsByKey.get(g);
      if (!group) continue;
      const privileged = privilegedGroups.has(g);
      if (o.roleAssignments === 'privileged' && !privileged) continue;
      entities.push({
        ...common(o.rawRefs.groups),
        id: `ldap:${dir}:member:${entryKey(group)}:${entryKey(u)}`,
        kind: 'role_assignment',
        accountId: dir,
        principalId: id,
        principalName: facts.username,
        principalType: service ? 'service' : 'user',
        role: groupName(group),
        scope: dir,
        privileged,
      });
    }
  }

  if (data.flavor === 'ad') entities.push(...adPolicies(data, o, common));
  else entities.push(...openldapPolicies(data, o, common, userIds));
  return entities;
}

type Common = (rawRef: string | null) => { provider: string; source: string; rawRef: string | null };

function adPolicies(data: DirectoryData, o: NormalizeOptions, common: Common): EntityInput[] {
  const out: EntityInput[] = [];
  const d = data.domain;
  if (d) {
    out.push({
      ...common(o.rawRefs.policies),
      id: `ldap:${o.directory}:policy:domain`,
      kind: 'identity_policy',
      name: 'Domain password and lockout policy',
      accountId: o.directory,
      policyType: 'password',
      active: true,
      appliesToAll: true,
      passwordMinLength: nonNegative(int(d, 'minPwdLength')),
      passwordMaxAgeDays: adDurationDays(bigint(d, 'maxPwdAge')),
      passwordHistory: nonNegative(int(d, 'pwdHistoryLength')),
      // 0 means accounts never lock
      lockoutThreshold: nonNegative(int(d, 'lockoutThreshold')),
    });
  }
  for (const p of data.psos) {
    out.push({
      ...common(o.rawRefs.policies),
      id: `ldap:${o.directory}:policy:pso:${(one(p, 'cn') ?? dnKey(p.dn)).toLowerCase()}`,
      kind: 'identity_policy',
      name: one(p, 'cn') ?? rdnValue(p.dn),
      accountId: o.directory,
      policyType: 'password',
      active: many(p, 'msDS-PSOAppliesTo').length > 0,
      priority: int(p, 'msDS-PasswordSettingsPrecedence'),
      appliesToAll: false,
      appliesTo: many(p, 'msDS-PSOAppliesTo'),
      passwordMinLength: nonNegative(int(p, 'msDS-MinimumPasswordLength')),
      passwordMaxAgeDays: adDurationDays(bigint(p, 'msDS-MaximumPasswordAge')),
      passwordHistory: nonNegative(int(p, 'msDS-PasswordHistoryLength')),
      lockoutThreshold: nonNegative(int(p, 'msDS-LockoutThreshold')),
    });
  }
  return out;
}

function openldapPolicies(
  data: DirectoryData,
  o: NormalizeOptions,
  common: Common,
  userIds: Map<string, string>,
): EntityInput[] {
  const defaultKey = data.ppolicyDefaultDn ? dnKey(data.ppolicyDefaultDn) : null;
  return data.policies.map((p) => {
    const key = dnKey(p.dn);
    const appliesTo = data.users
      .filter((u) => {
        const sub = one(u, 'pwdPolicySubentry');
        return sub !== undefined && dnKey(sub) === key;
      })
      .map((u) => userIds.get(dnKey(u.dn)) ?? u.dn);
    // pwdMinLength is only enforced when quality checking is on (pwdCheckQuality 1 or 2)
    const quality = int(p, 'pwdCheckQuality') ?? 0;
    const maxAgeSeconds = int(p, 'pwdMaxAge');
    const lockout = one(p, 'pwdLockout')?.toUpperCase() === 'TRUE';
    return {
      ...common(o.rawRefs.policies),
      id: `ldap:${o.directory}:policy:${dnKey(p.dn)}`,
      kind: 'identity_policy',
      name: one(p, 'cn') ?? rdnValue(p.dn),
      accountId: o.directory,
      policyType: 'password',
      active: true,
      appliesToAll: key === defaultKey,
      appliesTo,
      passwordMinLength: quality > 0 ? (nonNegative(int(p, 'pwdMinLength')) ?? 0) : 0,
      passwordMaxAgeDays: maxAgeSeconds && maxAgeSeconds > 0 ? Math.floor(maxAgeSeconds / 86_400) : null,
      passwordHistory: nonNegative(int(p, 'pwdInHistory')) ?? 0,
      lockoutThreshold: lockout ? (nonNegative(int(p, 'pwdMaxFailure')) ?? 0) : 0,
    } satisfies EntityInput;
  });
}
