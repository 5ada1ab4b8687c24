import type { EntityInput } from '../../snapshot/schema.js';
import { and3, idpOrgEntities, not3, or3, type Tri } from '../idp-shared.js';
import type { CollectContext } from '../types.js';
import type {
  OktaFactor,
  OktaGroup,
  OktaOptions,
  OktaPeopleCondition,
  OktaPolicy,
  OktaPolicyRule,
  OktaPolicyType,
  OktaRole,
  OktaUser,
} from './schema.js';

/** What the collector read from one org; `null` marks what it could not read. */
export interface OktaCollected {
  /** host name of the org, e.g. acme-plant.okta.com */
  org: string;
  transport: 'tls' | 'none';
  users: Array<{ user: OktaUser; rawRef: string }>;
  /** per user id; a user missing from the map, or mapped to null, has unknown factors */
  factors: Map<string, OktaFactor[] | null>;
  roles: Map<string, OktaRole[]>;
  groups: Map<string, OktaGroup[] | null>;
  rawRefs: { factors: string | null; roles: string | null; groups: string | null };
  /** null when the policies could not be read at all */
  policies: CollectedPolicy[] | null;
}

export interface CollectedPolicy {
  policy: OktaPolicy;
  rawRef: string;
  /** null for policy types whose rules are not read (PASSWORD) */
  rules: OktaPolicyRule[] | null;
  rulesRawRef: string | null;
}

/** the value when both possibilities agree, else unknown */
const same = (a: Tri, b: Tri): Tri => (a === b ? a : null);

const STATUS: Record<string, 'active' | 'suspended' | 'deprovisioned' | 'locked' | 'staged'> = {
  ACTIVE: 'active',
  PASSWORD_EXPIRED: 'active',
  RECOVERY: 'active',
  SUSPENDED: 'suspended',
  DEPROVISIONED: 'deprovisioned',
  LOCKED_OUT: 'locked',
  STAGED: 'staged',
  PROVISIONED: 'staged',
};

/**
 * Every role /api/v1/users/{id}/roles returns is an admin role (SUPER_ADMIN, ORG_ADMIN, APP_ADMIN,
 * USER_ADMIN, GROUP_MEMBERSHIP_ADMIN, HELP_DESK_ADMIN, API_ACCESS_MANAGEMENT_ADMIN, MOBILE_ADMIN,
 * READ_ONLY_ADMIN, REPORT_ADMIN, ..., CUSTOM) and opens the Admin Console to its holder, so every
 * one makes an account privileged, including custom roles, whose permissions are not read.
 */
export function isPrivilegedOktaRole(role: OktaRole): boolean {
  return role.type.length > 0;
}

/**
 * Factor types that are a second factor in their own right. Email and security questions are
 * left out: Identity Engine enrols every user's email automatically, and neither is an
 * authenticator NIST SP 800-63B accepts as a second factor.
 */
const WEAK_FACTORS = new Set(['email', 'question']);
const WEAK_AUTHENTICATOR_KEYS = new Set([
  'okta_password',
  'okta_email',
  'security_question',
  'okta_question',
  'okta_password_factor',
]);

/** `PT2H`, `P1DT30M`, `PT0S` → whole minutes (rounded up); null when not an ISO 8601 duration */
export function isoDurationMinutes(value: string | null | undefined): number | null {
  if (!value) return null;
  const m = /^P(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+)S)?)?$/.exec(value);
  if (!m || value === 'P' || value.endsWith('T')) return null;
  const [d, h, min, s] = m.slice(1).map((x) => Number(x ?? 0)) as [number, number, number, number];
  return d * 1440 + h * 60 + min + Math.ceil(s / 60);
}

/** ISO timestamp from Okta → `YYYY-MM-DDTHH:MM:SS.sssZ`, or null */
export function isoOrNull(value: string | null | undefined): string | null {
  if (!value) return null;
  const t = Date.parse(value);
  return Number.isNaN(t) ? null : new Date(t).toISOString();
}

interface Subject {
  id: string;
  /** null when the user's groups are unknown */
  groupIds: Set<string> | null;
}

/** Does a `people` condition take in this user? Unknown when it depends on groups that were not read. */
export function peopleMatch(people: OktaPeopleCondition, subject: Subject): Tri {
  if (!people) return true;
  const usersIn = people.users?.include ?? [];
  const usersOut = people.users?.exclude ?? [];
  const groupsIn = people.groups?.include ?? [];
  const groupsOut = people.groups?.exclude ?? [];
  if (usersOut.includes(subject.id)) return false;
  const inGroup = (list: string[]): Tri =>
    subject.groupIds ? list.some((g) => subject.groupIds?.has(g)) : null;
  const excluded: Tri = groupsOut.length === 0 ? false : inGroup(groupsOut);
  if (excluded === true) return false;
  let included: Tri;
  if (usersIn.length === 0 && groupsIn.length === 0) included = true;
  else if (usersIn.includes(subject.id)) included = true;
  else if (groupsIn.length === 0) included = false;
  else included = inGroup(groupsIn);
  return and3(included, not3(excluded));
}

/** A rule that matches only some sign-ins (a network zone, a device, a risk level, an expression). */
function isConditional(rule: OktaPolicyRule): boolean {
  const c = rule.conditions;
  if (!c) return false;
  const connection = c.network?.connection;
  if (connection && connection !== 'ANYWHERE') return true;
  if (c.riskScore?.level && c.riskScore.level !== 'ANY') return true;
  return c.device != null || c.platform != null || c.elCondition != null || c.userType != null;
}

const isActive = (status: string | null | undefined) => (status ?? 'ACTIVE') === 'ACTIVE';
const byPriority = <T extends { priority?: number | null }>(a: T, b: T) =>
  (a.priority ?? Number.MAX_SAFE_INTEGER) - (b.priority ?? Number.MAX_SAFE_INTEGER);

/** Does this rule, when it is the one that applies, leave the user without a session unless MFA is done? */
function ruleRequiresMfa(type: OktaPolicyType, rule: OktaPolicyRule): Tri {
  if (type === 'OKTA_SIGN_ON') {
    const signon = rule.actions?.signon;
    if (!signon) return null;
    if (signon.access === 'DENY') return true;
    return signon.requireFactor === true;
  }
  const app = rule.actions?.appSignOn;
  if (!app) return null;
  if (app.access === 'DENY') return true;
  const mode = app.verificationMethod?.factorMode;
  return mode === '2FA' ? true : mode === '1FA' ? false : null;
}

interface Candidate {
  match: Tri;
  conditional: boolean;
  requires: Tri;
}

/**
 * Okta's evaluation order: policies by priority, and in the first policy that takes the user in,
 * rules by priority. A rule limited to some sign-ins (a zone, a device) decides those and leaves
 * the rest to later rules; the first unconditional match decides everything left. The answer is
 * true only if every sign-in path ends in MFA (or in a denial).
 */
function everyPathRequiresMfa(candidates: Candidate[], i = 0): Tri {
  if (i >= candidates.length) return null;
  const c = candidates[i]!;
  if (c.match === false) return everyPathRequiresMfa(candidates, i + 1);
  const rest = everyPathRequiresMfa(candidates, i + 1);
  const ifApplies = c.conditional ? and3(c.requires, rest) : c.requires;
  return c.match === true ? ifApplies : same(ifApplies, rest);
}

function candidatesFor(policies: CollectedPolicy[], type: OktaPolicyType, subject: Subject): Candidate[] {
  const out: Candidate[] = [];
  for (const { policy, rules } of [...policies].sort((a, b) => byPriority(a.policy, b.policy))) {
    if (policy.type !== type || !isActive(policy.status) || !rules) continue;
    // The default (system) policy takes in everyone, whatever is known of their groups.
    const policyMatch = policy.system ? true : peopleMatch(policy.conditions?.people, subject);
    for (const rule of [...rules].sort(byPriority)) {
      if (!isActive(rule.status)) continue;
      out.push({
        match: and3(policyMatch, peopleMatch(rule.conditions?.people, subject)),
        conditional: isConditional(rule),
        requires: ruleRequiresMfa(type, rule),
      });
    }
  }
  return out;
}

/**
 * MFA is enforced for a user when the global session policy (OKTA_SIGN_ON) requires it on every
 * path, or, on Identity Engine, when every authentication policy (ACCESS_POLICY, one per group of
 * apps) requires two factors on every path for that user.
 */
export function oktaMfaEnforced(policies: CollectedPolicy[] | null, subject: Subject): Tri {
  if (!policies) return null;
  const session = everyPathRequiresMfa(candidatesFor(policies, 'OKTA_SIGN_ON', subject));
  const accessPolicies = policies.filter(
    (p) => p.policy.type === 'ACCESS_POLICY' && isActive(p.policy.status),
  );
  let everyApp: Tri = accessPolicies.length > 0;
  for (const p of accessPolicies) {
    everyApp = and3(everyApp, everyPathRequiresMfa(candidatesFor([p], 'ACCESS_POLICY', subject)));
  }
  return or3(session, everyApp);
}

function strongFactors(factors: OktaFactor[]): OktaFactor[] {
  return factors.filter((f) => f.status === 'ACTIVE' && !WEAK_FACTORS.has(f.factorType));
}

function mfaEnrollmentRequired(policy: OktaPolicy): Tri {
  const s = policy.settings;
  if (!s) return null;
  const required: string[] = [];
  for (const a of s.authenticators ?? []) if (a.enroll?.self === 'REQUIRED') required.push(a.key);
  for (const [key, f] of Object.entries(s.factors ?? {}))
    if (f?.enroll?.self === 'REQUIRED') required.push(key);
  if (!s.authenticators && !s.factors) return null;
  return required.some((k) => !WEAK_AUTHENTICATOR_KEYS.has(k));
}

/** Okta replies → user, role_assignment, identity_policy and one idp_org account. */
export function normalizeOkta(
  data: OktaCollected,
  options: Pick<OktaOptions, 'serviceAccounts' | 'sharedAccounts'>,
  ctx: Pick<CollectContext, 'sourceId'>,
): EntityInput[] {
  const { org } = data;
  const { entities, common, userType, shared } = idpOrgEntities('okta', org, data.transport, options, ctx);
  const userId = (id: string) => `okta:${org}:user:${id}`;

  // Group names and the Everyone group, learnt from the memberships that were read.
  const groupNames = new Map<string, string>();
  let everyoneId: string | null = null;
  for (const list of data.groups.values()) {
    for (const g of list ?? []) {
      groupNames.set(g.id, g.profile.name);
      if (g.type === 'BUILT_IN' && g.profile.name === 'Everyone') everyoneId = g.id;
    }
  }
  const logins = new Map(data.users.map(({ user }) => [user.id, user.profile.login]));

  for (const { user, rawRef } of data.users) {
    const login = user.profile.login;
    const factors = data.factors.get(user.id) ?? null;
    const roles = (data.roles.get(user.id) ?? []).filter((r) => isActive(r.status));
    const groups = data.groups.get(user.id) ?? null;
    const subject: Subject = { id: user.id, groupIds: groups ? new Set(groups.map((g) => g.id)) : null };
    const name = [user.profile.firstName, user.profile.lastName].filter(Boolean).join(' ');
    entities.push({
      ...common(rawRef),
      id: userId(user.id),
      kind: 'user',
      name: login,
      userType: userType(login),
      status: STATUS[user.status] ?? 'active',
      username: login,
      displayName: user.profile.displayName ?? (name || null),
      email: user.profile.email ?? null,
      privileged: roles.some(isPrivilegedOktaRole),
      mfaEnrolled: factors ? strongFactors(factors).length > 0 : null,
      mfaEnforced: oktaMfaEnforced(data.policies, subject),
      mfaMethods: factors
        ? [...new Set(factors.filter((f) => f.status === 'ACTIVE').map((f) => f.factorType))].sort()
        : [],
      lastLoginAt: isoOrNull(user.lastLogin),
      passwordLastSetAt: isoOrNull(user.passwordChanged),
      createdAt: isoOrNull(user.created),
      groups: groups ? groups.map((g) => g.profile.name).sort() : [],
      shared: shared(login),
      // Okta is the SSO directory: its accounts are the federated identities other systems trust.
      federated: true,
    });
    for (const role of roles) {
      entities.push({
        ...common(data.rawRefs.roles),
        id: `okta:${org}:role_assignment:${user.id}:${role.id}`,
        kind: 'role_assignment',
        name: `${login}: ${role.label ?? role.type}`,
        principalId: userId(user.id),
        principalName: login,
        principalType: 'user',
        role: role.label ?? role.type,
        scope: 'org',
        privileged: isPrivilegedOktaRole(role),
      });
    }
  }

  const nameOf = (kind: 'user' | 'group', id: string) =>
    kind === 'group' ? (groupNames.get(id) ?? id) : (logins.get(id) ?? id);
  const audience = (...conds: OktaPeopleCondition[]) => {
    const names: string[] = [];
    let excludes = false;
    let everyone = true;
    let narrowed = false;
    for (const c of conds) {
      if (!c) continue;
      excludes ||= (c.users?.exclude?.length ?? 0) > 0 || (c.groups?.exclude?.length ?? 0) > 0;
      const users = c.users?.include ?? [];
      const groups = c.groups?.include ?? [];
      if (users.length === 0 && groups.length === 0) continue;
      narrowed = true;
      names.push(...users.map((u) => nameOf('user', u)), ...groups.map((g) => nameOf('group', g)));
      if (!(everyoneId !== null && groups.includes(everyoneId))) everyone = false;
    }
    return { appliesToAll: !excludes && (!narrowed || everyone), appliesTo: [...new Set(names)].sort() };
  };

  for (const { policy, rawRef, rules, rulesRawRef } of data.policies ?? []) {
    const base = { ...common(rawRef), active: isActive(policy.status), priority: policy.priority ?? null };
    const policyPeople = policy.conditions?.people;
    if (policy.type === 'PASSWORD') {
      const pw = policy.settings?.password;
      const maxAge = pw?.age?.maxAgeDays;
      entities.push({
        ...base,
        id: `okta:${org}:policy:${policy.id}`,
        kind: 'identity_policy',
        name: policy.name,
        policyType: 'password',
        ...audience(policyPeople),
        passwordMinLength: pw?.complexity?.minLength ?? null,
        // 0 means "never expires" in Okta, not "expires at once"
        passwordMaxAgeDays: maxAge ? maxAge : null,
        passwordHistory: pw?.age?.historyCount ?? null,
        lockoutThreshold: pw?.lockout?.maxAttempts ?? null,
      });
      continue;
    }
    if (policy.type === 'MFA_ENROLL') {
      entities.push({
        ...base,
        id: `okta:${org}:policy:${policy.id}`,
        kind: 'identity_policy',
        name: policy.name,
        policyType: 'mfa_enrollment',
        ...audience(policyPeople),
        mfaRequired: mfaEnrollmentRequired(policy),
      });
      continue;
    }
    // Sign-on and authentication policies keep their settings in rules: one entity per rule.
    // Rules that deny access start no session, so they have no session settings to judge.
    for (const rule of [...(rules ?? [])].sort(byPriority)) {
      const rulePeople = rule.conditions?.people;
      const ruleBase = {
        ...base,
        rawRef: rulesRawRef,
        id: `okta:${org}:policy:${policy.id}:rule:${rule.id}`,
        kind: 'identity_policy' as const,
        name: `${policy.name} / ${rule.name}`,
        active: base.active && isActive(rule.status),
        ...audience(policyPeople, rulePeople),
      };
      if (policy.type === 'OKTA_SIGN_ON') {
        const signon = rule.actions?.signon;
        if (signon?.access === 'DENY') continue;
        const lifetime = signon?.session?.maxSessionLifetimeMinutes;
        entities.push({
          ...ruleBase,
          policyType: 'sign_on',
          mfaRequired: signon ? signon.requireFactor === true : null,
          // 0 means "no maximum": a session lives as long as it is used.
          sessionLifetimeMinutes: lifetime ? lifetime : null,
          idleTimeoutMinutes: signon?.session?.maxSessionIdleMinutes ?? null,
        });
      } else if (policy.type === 'ACCESS_POLICY') {
        const app = rule.actions?.appSignOn;
        if (app?.access === 'DENY') continue;
        entities.push({
          ...ruleBase,
          policyType: 'access',
          mfaRequired: ruleRequiresMfa('ACCESS_POLICY', rule),
          sessionLifetimeMinutes: isoDurationMinutes(app?.verificationMethod?.reauthenticateIn),
          idleTimeoutMinutes: isoDurationMinutes(app?.verificationMethod?.inactivityPeriod),
        });
      }
    }
  }
  return entities;
}
