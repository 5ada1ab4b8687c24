import { z } from 'zod';

/**
 * The Okta Management API replies this collector reads, lenient: only the fields it uses, every
 * one optional where Okta may leave it out. The raw replies are kept as evidence beside the
 * normalized entities, so nothing is lost by not modelling the rest.
 */

const ids = z.array(z.string()).nullish();
const IncludeExclude = z.object({ include: ids, exclude: ids }).nullish();

/** `conditions.people` of a policy or rule: users and groups by id */
export const OktaPeopleCondition = z.object({ users: IncludeExclude, groups: IncludeExclude }).nullish();
export type OktaPeopleCondition = z.infer<typeof OktaPeopleCondition>;

/** GET /api/v1/users (a page is an array of these) */
export const OktaUser = z.object({
  id: z.string().min(1),
  /** ACTIVE, STAGED, PROVISIONED, RECOVERY, PASSWORD_EXPIRED, LOCKED_OUT, SUSPENDED, DEPROVISIONED */
  status: z.string(),
  created: z.string().nullish(),
  lastLogin: z.string().nullish(),
  passwordChanged: z.string().nullish(),
  profile: z.object({
    login: z.string().min(1),
    email: z.string().nullish(),
    firstName: z.string().nullish(),
    lastName: z.string().nullish(),
    displayName: z.string().nullish(),
  }),
});
export type OktaUser = z.infer<typeof OktaUser>;

/** GET /api/v1/users/{id}/factors */
export const OktaFactor = z.object({
  id: z.string(),
  /** push, token:software:totp, webauthn, sms, call, email, question, ... */
  factorType: z.string(),
  provider: z.string().nullish(),
  /** ACTIVE, PENDING_ACTIVATION, NOT_SETUP, ... */
  status: z.string(),
});
export type OktaFactor = z.infer<typeof OktaFactor>;

/** GET /api/v1/users/{id}/roles: directly assigned and group-assigned admin roles */
export const OktaRole = z.object({
  id: z.string(),
  /** SUPER_ADMIN, ORG_ADMIN, APP_ADMIN, USER_ADMIN, ..., CUSTOM */
  type: z.string(),
  label: z.string().nullish(),
  status: z.string().nullish(),
  /** USER or GROUP */
  assignmentType: z.string().nullish(),
});
export type OktaRole = z.infer<typeof OktaRole>;

/** GET /api/v1/users/{id}/groups */
export const OktaGroup = z.object({
  id: z.string(),
  /** OKTA_GROUP, APP_GROUP or BUILT_IN (the Everyone group) */
  type: z.string().nullish(),
  profile: z.object({ name: z.string() }),
});
export type OktaGroup = z.infer<typeof OktaGroup>;

const EnrollSelf = z.object({ self: z.string().nullish() }).nullish();

/** GET /api/v1/policies?type=OKTA_SIGN_ON | PASSWORD | MFA_ENROLL | ACCESS_POLICY */
export const OktaPolicy = z.object({
  id: z.string(),
  type: z.string(),
  name: z.string(),
  status: z.string().nullish(),
  priority: z.number().int().nullish(),
  system: z.boolean().nullish(),
  conditions: z.object({ people: OktaPeopleCondition }).nullish(),
  settings: z
    .object({
      password: z
        .object({
          complexity: z.object({ minLength: z.number().int().nullish() }).nullish(),
          age: z
            .object({ maxAgeDays: z.number().int().nullish(), historyCount: z.number().int().nullish() })
            .nullish(),
          lockout: z.object({ maxAttempts: z.number().int().nullish() }).nullish(),
        })
        .nullish(),
      /** MFA_ENROLL on Classic Engine: factor key → enrollment requirement */
      factors: z.record(z.string(), z.object({ enroll: EnrollSelf }).nullish()).nullish(),
      /** MFA_ENROLL on Identity Engine */
      authenticators: z.array(z.object({ key: z.string(), enroll: EnrollSelf })).nullish(),
    })
    .nullish(),
});
export type OktaPolicy = z.infer<typeof OktaPolicy>;

/** GET /api/v1/policies/{id}/rules */
export const OktaPolicyRule = z.object({
  id: z.string(),
  name: z.string(),
  type: z.string().nullish(),
  status: z.string().nullish(),
  priority: z.number().int().nullish(),
  system: z.boolean().nullish(),
  conditions: z
    .object({
      people: OktaPeopleCondition,
      /** ANYWHERE (or absent) applies everywhere; ZONE limits the rule to network zones */
      network: z.object({ connection: z.string().nullish() }).nullish(),
      riskScore: z.object({ level: z.string().nullish() }).nullish(),
      // Any of these narrows a rule to some sign-ins only; their content does not matter here.
      device: z.unknown().optional(),
      platform: z.unknown().optional(),
      elCondition: z.unknown().optional(),
      userType: z.unknown().optional(),
    })
    .nullish(),
  actions: z
    .object({
      /** OKTA_SIGN_ON (global session policy) rules */
      signon: z
        .object({
          access: z.string().nullish(),
          requireFactor: z.boolean().nullish(),
          session: z
            .object({
              maxSessionIdleMinutes: z.number().int().nullish(),
              maxSessionLifetimeMinutes: z.number().int().nullish(),
            })
            .nullish(),
        })
        .nullish(),
      /** ACCESS_POLICY (authentication policy) rules */
      appSignOn: z
        .object({
          access: z.string().nullish(),
          verificationMethod: z
            .object({
              type: z.string().nullish(),
              /** 1FA or 2FA */
              factorMode: z.string().nullish(),
              /** ISO 8601 duration, e.g. PT2H */
              reauthenticateIn: z.string().nullish(),
              inactivityPeriod: z.string().nullish(),
            })
            .nullish(),
        })
        .nullish(),
    })
    .nullish(),
});
export type OktaPolicyRule = z.infer<typeof OktaPolicyRule>;

export const OKTA_POLICY_TYPES = ['OKTA_SIGN_ON', 'PASSWORD', 'MFA_ENROLL', 'ACCESS_POLICY'] as const;
export type OktaPolicyType = (typeof OKTA_POLICY_TYPES)[number];

/** One `collectors[]` entry of type okta in plantproof.yaml. */
export const OktaOptions = z.strictObject({
  /** the org, e.g. https://acme-plant.okta.com (plain http only for a local stand-in on 127.0.0.1) */
  orgUrl: z.url({ protocol: /^https?$/ }),
  /** the org's name in the source id and entity ids; defaults to the host name of orgUrl */
  name: z.string().min(1).optional(),
  /** how to sign in; by default an API token if <envPrefix>_API_TOKEN is set, else the OAuth service app */
  auth: z.enum(['api_token', 'oauth']).optional(),
  /**
   * environment variables holding the credentials: <envPrefix>_API_TOKEN, or <envPrefix>_CLIENT_ID,
   * <envPrefix>_PRIVATE_KEY and optionally <envPrefix>_KEY_ID (one prefix per org when there are several)
   */
  envPrefix: z
    .string()
    .regex(/^[A-Z][A-Z0-9_]*$/)
    .default('OKTA'),
  /** OAuth scopes to request for the service app (read-only) */
  scopes: z
    .array(z.string().min(1))
    .min(1)
    .default(['okta.users.read', 'okta.groups.read', 'okta.roles.read', 'okta.policies.read']),
  /** requests in flight at once for the per-user calls (factors, roles, groups) */
  concurrency: z.number().int().min(1).max(16).default(4),
  /** users per page (Okta allows up to 200) */
  pageSize: z.number().int().min(1).max(200).default(200),
  /** times one request is retried after HTTP 429 */
  maxRetries: z.number().int().min(0).max(10).default(4),
  /** longest single wait for a rate-limit window to reset */
  maxWaitSeconds: z.number().int().min(1).max(900).default(120),
  /** extra CA certificates (PEM) to trust: a TLS-inspecting proxy or a local stand-in */
  caFile: z.string().min(1).optional(),
  /** also list DEPROVISIONED users (Okta leaves them out of the default listing) */
  includeDeprovisioned: z.boolean().default(true),
  /** logins of non-human accounts (integrations, service users) */
  serviceAccounts: z.array(z.string().min(1)).default([]),
  /** logins of accounts known to be shared by several people */
  sharedAccounts: z.array(z.string().min(1)).default([]),
});
export type OktaOptions = z.infer<typeof OktaOptions>;
