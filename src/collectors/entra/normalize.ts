import type { EntityInput } from '../../snapshot/schema.js';
import { and3, idpOrgEntities, not3, or3, type Tri } from '../idp-shared.js';
import type { CollectContext } from '../types.js';
import type {
  ConditionalAccessPolicy,
  EntraOptions,
  GraphUser,
  RoleAssignment,
  RoleDefinition,
  UserRegistrationDetails,
} from './schema.js';

/** What the collector read from one tenant; `null` marks what it could not read. */
export interface EntraCollected {
  tenant: string;
  transport: 'tls' | 'none';
  users: Array<{ user: GraphUser; rawRef: string }>;
  /** false when sign-in activity could not be read (licence or permission) */
  signInActivityKnown: boolean;
  registration: { byUser: Map<string, UserRegistrationDetails>; rawRef: string } | null;
  roleDefinitions: Map<string, RoleDefinition>;
  roleAssignments: Array<{ assignment: RoleAssignment; rawRef: string }>;
  conditionalAccess: Array<{ policy: ConditionalAccessPolicy; rawRef: string }> | null;
  securityDefaults: { enabled: boolean; rawRef: string } | null;
  /** transitive user members and names of the groups that policies and role assignments name */
  groups: Map<string, { name: string | null; members: Set<string> | null }>;
  /** each user's group names, when memberOf was read */
  memberOf: Map<string, string[] | null> | null;
}

/**
 * Directory roles that Microsoft marks as privileged (the "PRIVILEGED" label in the Entra
 * built-in roles reference), by role template id. A role definition that says
 * `isPrivileged: true` counts too, so roles Microsoft adds later are not missed.
 */
export const PRIVILEGED_ENTRA_ROLES: Record<string, string> = {
  '62e90394-69f5-4237-9190-012177145e10': 'Global Administrator',
  'e8611ab8-c189-46e8-94e1-60213ab1f814': 'Privileged Role Administrator',
  '7be44c8a-adaf-4e2a-84d6-ab2649e08a13': 'Privileged Authentication Administrator',
  '194ae4cb-b126-40b2-bd5b-6091b380977d': 'Security Administrator',
  'fe930be7-5e62-47db-91af-98c3a49a38b1': 'User Administrator',
  'c4e39bd9-1100-46d3-8c65-fb160da0071f': 'Authentication Administrator',
  'b1be1c3e-b65d-4f19-8427-f6fa0d97feb9': 'Conditional Access Administrator',
  '9b895d92-2cd3-44c7-9d02-a6ac2d5ea5c3': 'Application Administrator',
  '158c047a-c907-4556-b7ef-446551a6b5f7': 'Cloud Application Administrator',
  'cf1c38e5-3621-4004-a7cb-879624dced7c': 'Application Developer',
  '729827e3-9c14-49f7-bb1b-9608f156bbb8': 'Helpdesk Administrator',
  '966707d0-3269-4727-9be2-8c3a10f19b9d': 'Password Administrator',
  '8ac3fc64-6eca-42ea-9e69-59f4c7b60eb2': 'Hybrid Identity Administrator',
  '3a2c62db-5318-420d-8d74-23affee5d9d5': 'Intune Administrator',
  '7698a772-787b-4ac8-901f-60d6b08affd2': 'Cloud Device Administrator',
  '8329153b-31d0-4727-b945-745eb3bc5f31': 'Domain Name Administrator',
  'be2f45a1-457d-42af-a067-6ec1fa63bc45': 'External Identity Provider Administrator',
  '9360feb5-f418-4baa-8175-e2a00bac4301': 'Directory Writers',
  'f2ef992c-3afb-46b9-b7cf-a126ee74c451': 'Global Reader',
  '5f2222b1-57c3-48ba-8ad5-d4759f1fde6f': 'Security Operator',
  '5d6b6bb7-de71-4623-b4af-96380a352509': 'Security Reader',
  '25a516ed-2fa0-40ea-a2d0-12923a21473a': 'Authentication Extensibility Administrator',
  'aaf43236-0c0d-4d5f-883a-6955382ac081': 'B2C IEF Keyset Administrator',
  '59d46f88-662b-457b-bceb-5c3809e5908f': 'Lifecycle Workflows Administrator',
  'ecb2c6bf-0ab6-418e-bd87-7986f8d63bbe': 'Attribute Provisioning Administrator',
  '422218e4-db15-4ef9-bbe0-8afb41546d79': 'Attribute Provisioning Reader',
  '4ba39ca4-527c-499a-b93d-d9b492c50246': 'Partner Tier1 Support',
  'e00e864a-17c5-4a4b-9c06-f5b95a8d5bd8': 'Partner Tier2 Support',
  'db506228-d27e-4b7d-95e5-295956d6615f': 'Agent ID Administrator',
};

export function isPrivilegedEntraRole(
  roleDefinitionId: string,
  definition: RoleDefinition | undefined,
): boolean {
  if (definition?.isPrivileged === true) return true;
  const template = definition?.templateId ?? roleDefinitionId;
  return template in PRIVILEGED_ENTRA_ROLES || roleDefinitionId in PRIVILEGED_ENTRA_ROLES;
}

/** ISO timestamp → `YYYY-MM-DDTHH:MM:SS.sssZ`; null for none, and for Graph's "never" (0001-01-01) */
export function isoOrNull(value: string | null | undefined): string | null {
  if (!value) return null;
  const t = Date.parse(value);
  return Number.isNaN(t) || t <= 0 ? null : new Date(t).toISOString();
}

/** The latest of the sign-in timestamps Graph keeps (interactive, non-interactive, successful). */
function lastSignIn(user: GraphUser): string | null {
  const a = user.signInActivity;
  if (!a) return null;
  const times = [a.lastSignInDateTime, a.lastNonInteractiveSignInDateTime, a.lastSuccessfulSignInDateTime]
    .map(isoOrNull)
    .filter((t): t is string => t !== null)
    .sort();
  return times.at(-1) ?? null;
}

/** Does the policy demand MFA of everyone it applies to (not merely offer it as one way through)? */
export function caRequiresMfa(policy: ConditionalAccessPolicy): Tri {
  const g = policy.grantControls;
  if (!g) return false;
  const controls = g.builtInControls ?? [];
  if (controls.includes('block')) return false;
  const strengthIsMfa = g.authenticationStrength
    ? g.authenticationStrength.requirementsSatisfied === 'mfa'
    : false;
  const mfa = controls.includes('mfa') || strengthIsMfa;
  if (!mfa) return false;
  const alternatives = controls.length + (g.authenticationStrength ? 1 : 0);
  // "mfa OR compliantDevice" can be met without MFA
  return (g.operator ?? 'OR').toUpperCase() === 'AND' || alternatives === 1;
}

/** All cloud apps, every location, platform, risk level and client: the policy is not limited to some sign-ins. */
function coversEverySignIn(policy: ConditionalAccessPolicy): boolean {
  const c = policy.conditions;
  if (!c) return false;
  const apps = c.applications;
  if (!apps?.includeApplications?.includes('All') || (apps.excludeApplications?.length ?? 0) > 0)
    return false;
  const loc = c.locations;
  if (loc && (!(loc.includeLocations ?? ['All']).includes('All') || (loc.excludeLocations?.length ?? 0) > 0))
    return false;
  if (c.platforms) return false;
  if ((c.userRiskLevels?.length ?? 0) > 0 || (c.signInRiskLevels?.length ?? 0) > 0) return false;
  const clients = c.clientAppTypes ?? [];
  return clients.length === 0 || clients.includes('all');
}

interface Subject {
  id: string;
  guest: boolean;
  /** role template ids the user holds at directory scope (directly or through a group) */
  roles: Set<string>;
}

function inGroups(ids: string[], subject: Subject, groups: EntraCollected['groups']): Tri {
  let result: Tri = false;
  for (const id of ids) {
    const members = groups.get(id)?.members;
    result = or3(result, members ? members.has(subject.id) : null);
  }
  return result;
}

function selects(
  side: { users: string[]; groups: string[]; roles: string[]; guests: boolean },
  subject: Subject,
  groups: EntraCollected['groups'],
): Tri {
  if (side.users.includes('All') || side.users.includes(subject.id)) return true;
  if (subject.guest && (side.users.includes('GuestsOrExternalUsers') || side.guests)) return true;
  if (side.roles.some((r) => subject.roles.has(r))) return true;
  return inGroups(side.groups, subject, groups);
}

export function caApplies(
  policy: ConditionalAccessPolicy,
  subject: Subject,
  groups: EntraCollected['groups'],
): Tri {
  const u = policy.conditions?.users;
  if (!u) return false;
  const include = selects(
    {
      users: u.includeUsers ?? [],
      groups: u.includeGroups ?? [],
      roles: u.includeRoles ?? [],
      guests: u.includeGuestsOrExternalUsers != null,
    },
    subject,
    groups,
  );
  const exclude = selects(
    {
      users: u.excludeUsers ?? [],
      groups: u.excludeGroups ?? [],
      roles: u.excludeRoles ?? [],
      guests: u.excludeGuestsOrExternalUsers != null,
    },
    subject,
    groups,
  );
  return and3(include, not3(exclude));
}

/**
 * MFA is enforced for a user when security defaults are on, or when an enabled Conditional Access
 * policy that covers every sign-in to all cloud apps requires MFA and takes the user in (by user,
 * group, directory role or guest status) without excluding them.
 */
export function entraMfaEnforced(data: EntraCollected, subject: Subject): Tri {
  if (data.securityDefaults?.enabled) return true;
  if (!data.conditionalAccess) return null;
  const enabled = data.conditionalAccess.filter(({ policy }) => policy.state === 'enabled');
  // Security defaults cannot be on while a policy is enabled; with none, not knowing them matters.
  let result: Tri = enabled.length === 0 && !data.securityDefaults ? null : false;
  for (const { policy } of enabled) {
    if (caRequiresMfa(policy) !== true || !coversEverySignIn(policy)) continue;
    result = or3(result, caApplies(policy, subject, data.groups));
  }
  return result;
}

function signInFrequencyMinutes(policy: ConditionalAccessPolicy): number | null {
  const f = policy.sessionControls?.signInFrequency;
  if (!f || f.isEnabled === false) return null;
  if (f.frequencyInterval === 'everyTime') return 0;
  if (typeof f.value !== 'number') return null;
  return f.type === 'days' ? f.value * 1440 : f.type === 'hours' ? f.value * 60 : null;
}

const scopeOf = (directoryScopeId: string | null | undefined) =>
  !directoryScopeId || directoryScopeId === '/' ? 'directory' : `directory:${directoryScopeId}`;

/** Graph replies → user, role_assignment, identity_policy and one idp_org account for the tenant. */
export function normalizeEntra(
  data: EntraCollected,
  options: Pick<EntraOptions, 'serviceAccounts' | 'sharedAccounts'>,
  ctx: Pick<CollectContext, 'sourceId'>,
): EntityInput[] {
  const { tenant } = data;
  const { entities, common, userType, shared } = idpOrgEntities(
    'entra',
    tenant,
    data.transport,
    options,
    ctx,
  );
  const userEntityId = (id: string) => `entra:${tenant}:user:${id}`;
  const byId = new Map(data.users.map(({ user }) => [user.id, user]));

  // Who holds which role, directly or through a role-assignable group.
  const rolesOf = new Map<string, Set<string>>();
  const privilegedUsers = new Set<string>();
  const hold = (userId: string, a: RoleAssignment) => {
    const def = data.roleDefinitions.get(a.roleDefinitionId);
    if (scopeOf(a.directoryScopeId) === 'directory') {
      const set = rolesOf.get(userId) ?? new Set<string>();
      set.add(def?.templateId ?? a.roleDefinitionId);
      rolesOf.set(userId, set);
    }
    if (isPrivilegedEntraRole(a.roleDefinitionId, def)) privilegedUsers.add(userId);
  };

  for (const { assignment: a, rawRef } of data.roleAssignments) {
    const def = data.roleDefinitions.get(a.roleDefinitionId);
    const role = def?.displayName ?? a.roleDefinitionId;
    const type = (a.principal?.['@odata.type'] ?? '').toLowerCase();
    const base = {
      ...common(rawRef),
      kind: 'role_assignment' as const,
      role,
      scope: scopeOf(a.directoryScopeId),
      privileged: isPrivilegedEntraRole(a.roleDefinitionId, def),
    };
    if (type.endsWith('.group')) {
      const group = data.groups.get(a.principalId);
      const groupName = a.principal?.displayName ?? group?.name ?? null;
      entities.push({
        ...base,
        id: `entra:${tenant}:role_assignment:${a.id}`,
        name: `${groupName ?? a.principalId}: ${role}`,
        principalId: `entra:${tenant}:group:${a.principalId}`,
        principalName: groupName,
        principalType: 'group',
      });
      // Members hold the role as surely as direct assignees; checks compare users, so list them too.
      for (const member of [...(group?.members ?? [])].sort()) {
        const user = byId.get(member);
        if (!user) continue;
        hold(member, a);
        entities.push({
          ...base,
          id: `entra:${tenant}:role_assignment:${a.id}:${member}`,
          name: `${user.userPrincipalName}: ${role} (through ${groupName ?? a.principalId})`,
          principalId: userEntityId(member),
          principalName: user.userPrincipalName,
          principalType: 'user',
        });
      }
    } else if (type.endsWith('.user') || byId.has(a.principalId)) {
      const upn = byId.get(a.principalId)?.userPrincipalName ?? a.principal?.userPrincipalName ?? null;
      hold(a.principalId, a);
      entities.push({
        ...base,
        id: `entra:${tenant}:role_assignment:${a.id}`,
        name: `${upn ?? a.principalId}: ${role}`,
        principalId: userEntityId(a.principalId),
        principalName: upn,
        principalType: 'user',
      });
    } else {
      entities.push({
        ...base,
        id: `entra:${tenant}:role_assignment:${a.id}`,
        name: `${a.principal?.displayName ?? a.principalId}: ${role}`,
        principalId: `entra:${tenant}:servicePrincipal:${a.principalId}`,
        principalName: a.principal?.displayName ?? null,
        principalType: 'service',
      });
    }
  }

  for (const { user, rawRef } of data.users) {
    const upn = user.userPrincipalName;
    const reg = data.registration?.byUser.get(user.id);
    const subject: Subject = {
      id: user.id,
      guest: (user.userType ?? '').toLowerCase() === 'guest',
      roles: rolesOf.get(user.id) ?? new Set(),
    };
    const memberOf = data.memberOf?.get(user.id);
    entities.push({
      ...common(rawRef),
      id: userEntityId(user.id),
      kind: 'user',
      name: upn,
      userType: userType(upn),
      status: user.accountEnabled === false ? 'disabled' : 'active',
      username: upn,
      displayName: user.displayName ?? null,
      email: user.mail ?? null,
      privileged: privilegedUsers.has(user.id),
      mfaEnrolled: data.registration ? (reg?.isMfaRegistered ?? null) : null,
      mfaEnforced: entraMfaEnforced(data, subject),
      mfaMethods: [...(reg?.methodsRegistered ?? [])].sort(),
      lastLoginAt: data.signInActivityKnown ? lastSignIn(user) : null,
      passwordLastSetAt: isoOrNull(user.lastPasswordChangeDateTime),
      createdAt: isoOrNull(user.createdDateTime),
      groups: memberOf ? [...memberOf].sort() : [],
      shared: shared(upn),
      // Entra is the SSO directory: its accounts (guests included) sign in through the tenant.
      federated: true,
    });
  }

  const roleName = (id: string) =>
    data.roleDefinitions.get(id)?.displayName ??
    [...data.roleDefinitions.values()].find((d) => d.templateId === id)?.displayName ??
    PRIVILEGED_ENTRA_ROLES[id] ??
    id;
  const principalName = (id: string) => byId.get(id)?.userPrincipalName ?? id;
  for (const { policy, rawRef } of data.conditionalAccess ?? []) {
    const u = policy.conditions?.users;
    const includes = [
      ...(u?.includeUsers ?? []).map(principalName),
      ...(u?.includeGroups ?? []).map((g) => data.groups.get(g)?.name ?? g),
      ...(u?.includeRoles ?? []).map(roleName),
    ];
    const excludes =
      (u?.excludeUsers?.length ?? 0) + (u?.excludeGroups?.length ?? 0) + (u?.excludeRoles?.length ?? 0) > 0 ||
      u?.excludeGuestsOrExternalUsers != null;
    entities.push({
      ...common(rawRef),
      id: `entra:${tenant}:conditional_access:${policy.id}`,
      kind: 'identity_policy',
      name: policy.displayName,
      policyType: 'conditional_access',
      active: policy.state === 'enabled',
      appliesToAll: (u?.includeUsers ?? []).includes('All') && !excludes,
      appliesTo: [...new Set(includes)].sort(),
      mfaRequired: caRequiresMfa(policy),
      sessionLifetimeMinutes: signInFrequencyMinutes(policy),
      tags: {
        state: policy.state,
        applications: (policy.conditions?.applications?.includeApplications ?? []).join(',') || 'none',
      },
    });
  }
  if (data.securityDefaults) {
    entities.push({
      ...common(data.securityDefaults.rawRef),
      id: `entra:${tenant}:security_defaults`,
      kind: 'identity_policy',
      name: 'Security defaults',
      policyType: 'sign_on',
      active: data.securityDefaults.enabled,
      appliesToAll: true,
      mfaRequired: true,
    });
  }
  return entities;
}
