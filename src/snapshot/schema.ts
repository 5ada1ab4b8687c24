import { z } from 'zod';

/**
 * The normalized snapshot: the one contract between collectors and Rego policies.
 * Strict on purpose: a field the policies do not know about is a bug, not data.
 * Unknown facts are `null`, never guessed: policies treat `null` as "cannot prove it".
 */

export const SCHEMA_VERSION = 1 as const;

export const Timestamp = z.iso.datetime({ offset: false });
const nullableBool = z.boolean().nullable();
const nullableInt = z.number().int().nonnegative().nullable();

export const TlsVersion = z.enum(['1.0', '1.1', '1.2', '1.3']);
export type TlsVersion = z.infer<typeof TlsVersion>;

export const ENTITY_KINDS = [
  'account',
  'storage',
  'database',
  'key',
  'audit_log',
  'network_rule',
  'user',
  'identity_policy',
  'role_assignment',
  'tls_endpoint',
  'zone',
  'data_flow',
  'asset',
] as const;
export const EntityKind = z.enum(ENTITY_KINDS);
export type EntityKind = z.infer<typeof EntityKind>;

const base = <K extends EntityKind>(kind: K) => ({
  /** Stable across runs: `<provider>:<native id>`; snapshots merge on it. */
  id: z.string().min(1),
  kind: z.literal(kind),
  /** aws | azure | okta | entra | ldap | tls | inventory | ... */
  provider: z.string().min(1),
  /** id of the `sources[]` record that produced it */
  source: z.string().min(1),
  /** key into `raw`, or null when the entity was declared rather than read from an API */
  rawRef: z.string().nullable(),
  name: z.string().optional(),
  accountId: z.string().optional(),
  region: z.string().optional(),
  tags: z.record(z.string(), z.string()).optional(),
});

export const Account = z.strictObject({
  ...base('account'),
  accountType: z.enum(['cloud_account', 'subscription', 'idp_org', 'directory', 'plant']),
  /** regions in scope for this account (audit logging must cover each) */
  regions: z.array(z.string()).default([]),
  /** how the collector reached a directory or IdP; `none` is a plaintext bind */
  transportSecurity: z.enum(['tls', 'starttls', 'none']).nullable().default(null),
});

export const Storage = z.strictObject({
  ...base('storage'),
  storageType: z.enum(['object', 'account', 'file_share', 'block']),
  encryptedAtRest: nullableBool,
  /** normalized algorithm name, e.g. AES-256 */
  algorithm: z.string().nullable(),
  customerManagedKey: nullableBool,
  keyId: z.string().nullable().default(null),
  publicAccess: nullableBool,
  tlsOnly: nullableBool,
  minTlsVersion: TlsVersion.nullable().default(null),
  versioning: nullableBool.default(null),
  accessLogging: nullableBool.default(null),
  /** data classification of what is stored, when declared or tagged */
  classification: z.enum(['public', 'internal', 'confidential', 'restricted']).nullable().default(null),
});

export const Database = z.strictObject({
  ...base('database'),
  engine: z.string().nullable().default(null),
  encryptedAtRest: nullableBool,
  customerManagedKey: nullableBool.default(null),
  publiclyAccessible: nullableBool,
  minTlsVersion: TlsVersion.nullable().default(null),
  backupEnabled: nullableBool.default(null),
  backupRetentionDays: nullableInt.default(null),
  classification: z.enum(['public', 'internal', 'confidential', 'restricted']).nullable().default(null),
});

export const Key = z.strictObject({
  ...base('key'),
  managedBy: z.enum(['customer', 'provider']),
  enabled: nullableBool.default(null),
  rotationEnabled: nullableBool,
  rotationPeriodDays: nullableInt.default(null),
  lastRotatedAt: Timestamp.nullable().default(null),
  /** a deleted key stays recoverable for a retention period (Key Vault soft delete, KMS waiting period) */
  softDelete: nullableBool.default(null),
  /** a deleted key cannot be purged before that period ends (Key Vault purge protection) */
  purgeProtection: nullableBool.default(null),
  /** e.g. AES-256, RSA-2048, EC-P256 */
  algorithm: z.string().nullable().default(null),
});

export const AuditCategory = z.enum([
  'authentication',
  'data_access',
  'configuration',
  'data_modification',
  'security',
]);
export type AuditCategory = z.infer<typeof AuditCategory>;

export const AuditLog = z.strictObject({
  ...base('audit_log'),
  enabled: nullableBool,
  multiRegion: nullableBool.default(null),
  /** regions this log covers; with multiRegion true it covers every region of its account */
  regions: z.array(z.string()).default([]),
  integrityValidation: nullableBool.default(null),
  immutable: nullableBool.default(null),
  retentionDays: nullableInt,
  categories: z.array(AuditCategory).default([]),
});

export const PortRange = z.strictObject({
  from: z.number().int().min(0).max(65535),
  to: z.number().int().min(0).max(65535),
});

export const NetworkRule = z.strictObject({
  ...base('network_rule'),
  /** the security group, NSG or firewall this rule belongs to */
  groupId: z.string(),
  direction: z.enum(['ingress', 'egress']),
  action: z.enum(['allow', 'deny']),
  /** tcp | udp | icmp | all */
  protocol: z.string(),
  /** empty means every port */
  ports: z.array(PortRange),
  sources: z.array(z.string()),
  internetExposed: z.boolean(),
  priority: z.number().int().nullable().default(null),
});

export const User = z.strictObject({
  ...base('user'),
  userType: z.enum(['human', 'service']),
  status: z.enum(['active', 'disabled', 'locked', 'suspended', 'staged', 'deprovisioned']),
  username: z.string(),
  displayName: z.string().nullable().default(null),
  email: z.string().nullable().default(null),
  privileged: z.boolean(),
  mfaEnrolled: nullableBool,
  /** an active policy requires MFA for this user at sign-in */
  mfaEnforced: nullableBool,
  mfaMethods: z.array(z.string()).default([]),
  lastLoginAt: Timestamp.nullable(),
  passwordLastSetAt: Timestamp.nullable().default(null),
  createdAt: Timestamp.nullable().default(null),
  groups: z.array(z.string()).default([]),
  /** declared or detected as shared, generic or vendor-default (admin, operator, guest ...) */
  shared: nullableBool.default(null),
  /** signs in only through federated SSO (no local password) */
  federated: nullableBool.default(null),
  accessKeys: z
    .array(
      z.strictObject({
        suffix: z.string(),
        active: z.boolean(),
        createdAt: Timestamp.nullable(),
        lastUsedAt: Timestamp.nullable(),
      }),
    )
    .default([]),
});

export const IdentityPolicy = z.strictObject({
  ...base('identity_policy'),
  policyType: z.enum(['sign_on', 'mfa_enrollment', 'password', 'access', 'conditional_access', 'session']),
  active: z.boolean(),
  priority: z.number().int().nullable().default(null),
  appliesToAll: z.boolean(),
  appliesTo: z.array(z.string()).default([]),
  mfaRequired: nullableBool.default(null),
  ssoRequired: nullableBool.default(null),
  sessionLifetimeMinutes: nullableInt.default(null),
  idleTimeoutMinutes: nullableInt.default(null),
  passwordMinLength: nullableInt.default(null),
  passwordMaxAgeDays: nullableInt.default(null),
  passwordHistory: nullableInt.default(null),
  lockoutThreshold: nullableInt.default(null),
});

export const AccessLevel = z.enum(['none', 'read', 'write', 'admin']);
export type AccessLevel = z.infer<typeof AccessLevel>;

export const RoleAssignment = z.strictObject({
  ...base('role_assignment'),
  /** the entity id of the principal (a user entity id for users), so checks can join on it */
  principalId: z.string(),
  principalName: z.string().nullable().default(null),
  principalType: z.enum(['user', 'group', 'service']),
  role: z.string(),
  scope: z.string(),
  privileged: z.boolean(),
});

export const Certificate = z.strictObject({
  subject: z.string(),
  sans: z.array(z.string()),
  issuer: z.string(),
  notBefore: Timestamp,
  notAfter: Timestamp,
  keyType: z.string(),
  keyBits: z.number().int().nullable(),
  signatureAlgorithm: z.string().nullable(),
  selfSigned: z.boolean(),
  hostnameMatches: z.boolean(),
  chainValid: z.boolean(),
  chainError: z.string().nullable().default(null),
});

export const TlsEndpoint = z.strictObject({
  ...base('tls_endpoint'),
  host: z.string(),
  port: z.number().int().min(1).max(65535),
  /** https | ldaps | ldap+starttls | mqtts | opcua | tls */
  service: z.string(),
  /** `device` endpoints (PLCs, gateways, brokers for machines) must speak TLS 1.3 */
  role: z.enum(['service', 'device']).default('service'),
  internetFacing: z.boolean().default(false),
  reachable: z.boolean(),
  protocolsAccepted: z.array(TlsVersion),
  ciphers: z.array(z.strictObject({ protocol: TlsVersion, cipher: z.string() })).default([]),
  weakCiphersAccepted: z.array(z.string()).default([]),
  certificate: Certificate.nullable(),
  hsts: z
    .strictObject({ maxAgeSeconds: z.number().int(), includeSubDomains: z.boolean() })
    .nullable()
    .default(null),
});

export const Zone = z.strictObject({
  ...base('zone'),
  /** Purdue level 0-5; the DMZ between IT and OT is 3.5 */
  level: z.number().min(0).max(5),
  dmz: z.boolean(),
  description: z.string().nullable().default(null),
});

export const Classification = z.enum(['public', 'internal', 'confidential', 'restricted']);

export const DataFlow = z.strictObject({
  ...base('data_flow'),
  from: z.string(),
  to: z.string(),
  /** zone entity ids, resolved from the declared systems; null for an outside party */
  fromZone: z.string().nullable(),
  toZone: z.string().nullable(),
  protocol: z.string(),
  port: z.number().int().nullable().default(null),
  encrypted: z.boolean(),
  authenticated: z.boolean(),
  classification: Classification,
  externalPartner: z.string().nullable().default(null),
  agreementOnFile: nullableBool.default(null),
  /** zone ids the flow passes through, in order */
  via: z.array(z.string()).default([]),
  viaDmz: z.boolean(),
  /** where the data comes to rest when it leaves the plant (cloud region), if known */
  destinationRegion: z.string().nullable().default(null),
});

export const Asset = z.strictObject({
  ...base('asset'),
  zone: z.string(),
  assetType: z.string(),
  vendor: z.string().nullable().default(null),
  model: z.string().nullable().default(null),
  firmwareVersion: z.string().nullable(),
  firmwareSigned: nullableBool,
  defaultCredentialsChanged: nullableBool,
  criticality: z.enum(['low', 'medium', 'high', 'critical']).nullable().default(null),
});

export const Entity = z.discriminatedUnion('kind', [
  Account,
  Storage,
  Database,
  Key,
  AuditLog,
  NetworkRule,
  User,
  IdentityPolicy,
  RoleAssignment,
  TlsEndpoint,
  Zone,
  DataFlow,
  Asset,
]);
export type Entity = z.infer<typeof Entity>;
export type EntityOf<K extends EntityKind> = Extract<Entity, { kind: K }>;
/** What a normalizer writes: defaults may be left out. */
export type EntityInput = z.input<typeof Entity>;

export const Entities = z.strictObject({
  account: z.array(Account).default([]),
  storage: z.array(Storage).default([]),
  database: z.array(Database).default([]),
  key: z.array(Key).default([]),
  audit_log: z.array(AuditLog).default([]),
  network_rule: z.array(NetworkRule).default([]),
  user: z.array(User).default([]),
  identity_policy: z.array(IdentityPolicy).default([]),
  role_assignment: z.array(RoleAssignment).default([]),
  tls_endpoint: z.array(TlsEndpoint).default([]),
  zone: z.array(Zone).default([]),
  data_flow: z.array(DataFlow).default([]),
  asset: z.array(Asset).default([]),
});
export type Entities = z.infer<typeof Entities>;

export const SourceStatus = z.enum(['ok', 'partial', 'error']);
export type SourceStatus = z.infer<typeof SourceStatus>;

export const Source = z.strictObject({
  /** unique in the snapshot: `<collector>:<target>` */
  id: z.string().min(1),
  collector: z.string().min(1),
  target: z.string(),
  status: SourceStatus,
  error: z.string().nullable(),
  /** what was not collected when status is partial (a region, a permission, a licence) */
  gaps: z.array(z.string()).default([]),
  startedAt: Timestamp,
  finishedAt: Timestamp,
  apiCalls: z.number().int().nonnegative(),
  itemCount: z.number().int().nonnegative(),
  /** entity kinds this source is responsible for; a check needing one of them is `error` when the source is not ok */
  kinds: z.array(EntityKind),
});
export type Source = z.infer<typeof Source>;

export const RawRecord = z.strictObject({
  source: z.string(),
  /** the API operation or file the payload came from */
  api: z.string(),
  capturedAt: Timestamp,
  payload: z.unknown(),
});
export type RawRecord = z.infer<typeof RawRecord>;

export const Snapshot = z.strictObject({
  schemaVersion: z.literal(SCHEMA_VERSION),
  collectedAt: Timestamp,
  tool: z.strictObject({ name: z.literal('plantproof'), version: z.string() }),
  scope: z.strictObject({ name: z.string(), description: z.string().nullable().default(null) }),
  sources: z.array(Source),
  entities: Entities,
  raw: z.record(z.string(), RawRecord),
  /** JSON pointers of values replaced by the redactor; never the values */
  redactions: z.array(z.string()).default([]),
});
export type Snapshot = z.infer<typeof Snapshot>;
export type SnapshotInput = z.input<typeof Snapshot>;
