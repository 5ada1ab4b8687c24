import { z } from 'zod';

/**
 * The Microsoft Graph replies this collector reads, lenient: only the fields it uses. The raw
 * replies are kept as evidence beside the normalized entities.
 */

const strings = z.array(z.string()).nullish();

/** a collection reply: one page of `value`, and the link to the next page if there is one */
export const graphPage = <T extends z.ZodType>(item: T) =>
  z.object({ value: z.array(item), '@odata.nextLink': z.string().nullish() });

/** GET /v1.0/users?$select=…,signInActivity */
export const GraphUser = z.object({
  id: z.string().min(1),
  userPrincipalName: z.string().min(1),
  displayName: z.string().nullish(),
  mail: z.string().nullish(),
  accountEnabled: z.boolean().nullish(),
  /** Member or Guest */
  userType: z.string().nullish(),
  createdDateTime: z.string().nullish(),
  lastPasswordChangeDateTime: z.string().nullish(),
  onPremisesSyncEnabled: z.boolean().nullish(),
  /** only with an Entra ID P1/P2 licence and AuditLog.Read.All; null for a user who never signed in */
  signInActivity: z
    .object({
      lastSignInDateTime: z.string().nullish(),
      lastNonInteractiveSignInDateTime: z.string().nullish(),
      lastSuccessfulSignInDateTime: z.string().nullish(),
    })
    .nullish(),
});
export type GraphUser = z.infer<typeof GraphUser>;

/** GET /v1.0/reports/authenticationMethods/userRegistrationDetails */
export const UserRegistrationDetails = z.object({
  id: z.string(),
  userPrincipalName: z.string().nullish(),
  isAdmin: z.boolean().nullish(),
  isMfaRegistered: z.boolean().nullish(),
  isMfaCapable: z.boolean().nullish(),
  methodsRegistered: strings,
});
export type UserRegistrationDetails = z.infer<typeof UserRegistrationDetails>;

/** GET /v1.0/identity/conditionalAccess/policies */
export const ConditionalAccessPolicy = z.object({
  id: z.string(),
  displayName: z.string(),
  /** enabled, disabled or enabledForReportingButNotEnforced */
  state: z.string(),
  conditions: z
    .object({
      users: z
        .object({
          includeUsers: strings,
          excludeUsers: strings,
          includeGroups: strings,
          excludeGroups: strings,
          includeRoles: strings,
          excludeRoles: strings,
          includeGuestsOrExternalUsers: z.unknown().nullish(),
          excludeGuestsOrExternalUsers: z.unknown().nullish(),
        })
        .nullish(),
      applications: z
        .object({ includeApplications: strings, excludeApplications: strings, includeUserActions: strings })
        .nullish(),
      locations: z.object({ includeLocations: strings, excludeLocations: strings }).nullish(),
      platforms: z.unknown().nullish(),
      userRiskLevels: strings,
      signInRiskLevels: strings,
      clientAppTypes: strings,
    })
    .nullish(),
  grantControls: z
    .object({
      /** AND or OR */
      operator: z.string().nullish(),
      /** mfa, block, compliantDevice, domainJoinedDevice, ... */
      builtInControls: strings,
      authenticationStrength: z
        .object({ displayName: z.string().nullish(), requirementsSatisfied: z.string().nullish() })
        .nullish(),
    })
    .nullish(),
  sessionControls: z
    .object({
      signInFrequency: z
        .object({
          value: z.number().int().nullish(),
          /** hours or days */
          type: z.string().nullish(),
          /** timeBased or everyTime */
          frequencyInterval: z.string().nullish(),
          isEnabled: z.boolean().nullish(),
        })
        .nullish(),
    })
    .nullish(),
});
export type ConditionalAccessPolicy = z.infer<typeof ConditionalAccessPolicy>;

/** GET /v1.0/policies/identitySecurityDefaultsEnforcementPolicy */
export const SecurityDefaultsPolicy = z.object({ id: z.string().nullish(), isEnabled: z.boolean() });

/** GET /v1.0/roleManagement/directory/roleDefinitions */
export const RoleDefinition = z.object({
  id: z.string(),
  displayName: z.string(),
  templateId: z.string().nullish(),
  isBuiltIn: z.boolean().nullish(),
  /** sent by newer API versions; the explicit list in normalize.ts covers the rest */
  isPrivileged: z.boolean().nullish(),
});
export type RoleDefinition = z.infer<typeof RoleDefinition>;

/** a user, group or service principal, as `principal` or a group member */
export const DirectoryObject = z.object({
  /** #microsoft.graph.user, #microsoft.graph.group, #microsoft.graph.servicePrincipal, ... */
  '@odata.type': z.string().nullish(),
  id: z.string(),
  displayName: z.string().nullish(),
  userPrincipalName: z.string().nullish(),
});
export type DirectoryObject = z.infer<typeof DirectoryObject>;

/** GET /v1.0/roleManagement/directory/roleAssignments?$expand=principal */
export const RoleAssignment = z.object({
  id: z.string(),
  principalId: z.string(),
  roleDefinitionId: z.string(),
  directoryScopeId: z.string().nullish(),
  principal: DirectoryObject.nullish(),
});
export type RoleAssignment = z.infer<typeof RoleAssignment>;

/** GET /v1.0/groups/{id}?$select=id,displayName */
export const GraphGroup = z.object({ id: z.string(), displayName: z.string().nullish() });
export type GraphGroup = z.infer<typeof GraphGroup>;

/** One `collectors[]` entry of type entra in plantproof.yaml. */
export const EntraOptions = z.strictObject({
  /** directory (tenant) id; defaults to <envPrefix>_TENANT_ID */
  tenantId: z.string().min(1).optional(),
  /** the tenant's name in the source id and entity ids; defaults to the tenant id */
  name: z.string().min(1).optional(),
  /** application (client) id of the app registration; defaults to <envPrefix>_CLIENT_ID */
  clientId: z.string().min(1).optional(),
  /**
   * environment variables read for credentials: <envPrefix>_TENANT_ID, _CLIENT_ID, _CLIENT_SECRET,
   * _FEDERATED_TOKEN_FILE, _AUTHORITY_HOST (the @azure/identity names with the default prefix AZURE)
   */
  envPrefix: z
    .string()
    .regex(/^[A-Z][A-Z0-9_]*$/)
    .default('AZURE'),
  /**
   * auto: a client secret if set, else a federated token file (workload identity), else GitHub
   * Actions OIDC, else DefaultAzureCredential (managed identity, Azure CLI, ...)
   */
  credential: z
    .enum(['auto', 'client_secret', 'workload_identity', 'github_oidc', 'default'])
    .default('auto'),
  /** Microsoft Graph endpoint (national clouds: https://graph.microsoft.us, https://microsoftgraph.chinacloudapi.cn) */
  graphUrl: z.url({ protocol: /^https?$/ }).default('https://graph.microsoft.com'),
  /** sign-in endpoint; defaults to <envPrefix>_AUTHORITY_HOST, else https://login.microsoftonline.com */
  authorityHost: z.url({ protocol: /^https$/ }).optional(),
  /** requests in flight at once for group memberships */
  concurrency: z.number().int().min(1).max(16).default(4),
  /** users per page (Graph allows 999, and 120 when sign-in activity is selected) */
  pageSize: z.number().int().min(1).max(999).default(999),
  /** times one request is retried after HTTP 429, 503 or 504 (Graph SDK limit: 10) */
  maxRetries: z.number().int().min(0).max(10).default(5),
  /** extra CA certificates (PEM) to trust: a TLS-inspecting proxy or a local stand-in */
  caFile: z.string().min(1).optional(),
  /** also read each user's group memberships (one call per user) to fill user.groups */
  memberOf: z.boolean().default(false),
  /** user principal names of non-human accounts */
  serviceAccounts: z.array(z.string().min(1)).default([]),
  /** user principal names of accounts known to be shared by several people */
  sharedAccounts: z.array(z.string().min(1)).default([]),
});
export type EntraOptions = z.infer<typeof EntraOptions>;
