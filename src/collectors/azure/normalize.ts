import type { AuditCategory, EntityInput, TlsVersion } from '../../snapshot/schema.js';
import type { CollectContext } from '../types.js';
import {
  type DiagnosticSetting,
  DiskProperties,
  type GraphResource,
  type KeyVaultKey,
  NetworkSecurityGroupProperties,
  type SecurityRule,
  SqlServerProperties,
  StorageAccountProperties,
  WorkspaceProperties,
} from './schema.js';

/** Resource types the resource query asks Resource Graph for (lower case, as Resource Graph returns them). */
export const RESOURCE_TYPES = {
  storageAccount: 'microsoft.storage/storageaccounts',
  keyVault: 'microsoft.keyvault/vaults',
  sqlServer: 'microsoft.sql/servers',
  sqlDatabase: 'microsoft.sql/servers/databases',
  networkSecurityGroup: 'microsoft.network/networksecuritygroups',
  disk: 'microsoft.compute/disks',
  logAnalyticsWorkspace: 'microsoft.operationalinsights/workspaces',
} as const;

/** Everything read from Azure, ready to normalize; `rawRef`s point at the payloads kept as evidence. */
export interface AzureCollection {
  subscriptions: Array<{
    subscriptionId: string;
    displayName: string | null;
    rawRef: string;
    /** locations of the subscription's resources */
    regions: string[];
    /** the subscription's activity-log diagnostic settings; null when they could not be read */
    diagnosticSettings: { settings: DiagnosticSetting[]; rawRef: string } | null;
  }>;
  resources: Array<{ resource: GraphResource; rawRef: string }>;
  /** lower-cased database id → TDE on/off (null: not readable) */
  transparentDataEncryption: Map<string, boolean | null>;
  /** lower-cased SQL server id → the server's TDE protector is a customer key in Key Vault */
  sqlCustomerManagedKey: Map<string, boolean | null>;
  keys: Array<{
    vaultId: string;
    region: string | undefined;
    subscriptionId: string;
    vaultProperties: { softDelete: boolean | null; purgeProtection: boolean | null };
    key: KeyVaultKey;
    rawRef: string;
  }>;
  /** lower-cased storage account id → days after which a lifecycle rule deletes activity-log blobs (null: no such rule) */
  storageLogDeletionDays: Map<string, number | null>;
  /** lower-cased storage account ids whose blob service exports read, write and delete logs */
  storageAccessLogged: Set<string>;
}

type Gap = (what: string) => void;

/** Fields every Azure entity shares. */
interface Common {
  provider: 'azure';
  source: string;
  rawRef: string;
  name?: string;
  accountId?: string;
  region?: string;
  tags?: Record<string, string>;
}

export const entityId = (armId: string) => `azure:${armId.toLowerCase()}`;

const lower = (s: string | null | undefined) => (s ?? '').toLowerCase();

const region = (location: string | null | undefined) => {
  const l = lower(location).replace(/\s+/g, '');
  return l && l !== 'global' ? l : undefined;
};

const stringTags = (tags: Record<string, unknown> | null | undefined): Record<string, string> | undefined => {
  if (!tags) return undefined;
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(tags)) out[k] = typeof v === 'string' ? v : JSON.stringify(v);
  return Object.keys(out).length ? out : undefined;
};

/** `TLS1_2` (storage) or `1.2` (SQL) → 1.2; SQL's `None` sets no minimum, so TLS 1.0 gets in. */
export function tlsVersion(value: string | null | undefined): TlsVersion | null {
  if (!value) return null;
  if (value.toLowerCase() === 'none') return '1.0';
  const m = /^(?:tls)?_?1[._](\d)$/i.exec(value.trim());
  const v = m ? `1.${m[1]}` : null;
  return v === '1.0' || v === '1.1' || v === '1.2' || v === '1.3' ? v : null;
}

/** ISO 8601 duration (P90D, P1Y, P18M, P2W) → whole days; months count 30 days, years 365. */
export function durationDays(value: string | null | undefined): number | null {
  const m = /^P(?:(\d+)Y)?(?:(\d+)M)?(?:(\d+)W)?(?:(\d+)D)?(?:T.*)?$/i.exec(value?.trim() ?? '');
  if (!m || m.slice(1).every((x) => x === undefined)) return null;
  const [, y, mo, w, d] = m.map((x) => Number(x ?? 0));
  return (y ?? 0) * 365 + (mo ?? 0) * 30 + (w ?? 0) * 7 + (d ?? 0);
}

/** NSG port spec (`*`, `3389`, `1000-2000`) → port ranges; `*` is every port (empty list). */
export function portRanges(specs: string[]): { from: number; to: number }[] | null {
  const out: { from: number; to: number }[] = [];
  for (const spec of specs) {
    const s = spec.trim();
    if (s === '*' || s === '0-65535') return [];
    const m = /^(\d{1,5})(?:-(\d{1,5}))?$/.exec(s);
    if (!m) return null;
    const from = Number(m[1]);
    const to = Number(m[2] ?? m[1]);
    if (from > 65535 || to > 65535 || from > to) return null;
    out.push({ from, to });
  }
  return out;
}

/** Address prefixes and service tags that mean "anyone on the internet". */
const INTERNET = new Set(['*', 'internet', 'any', '0.0.0.0/0', '0.0.0.0', '::/0']);

function networkRules(nsg: GraphResource, common: Common, gap: Gap): EntityInput[] {
  const parsed = NetworkSecurityGroupProperties.safeParse(nsg.properties ?? {});
  if (!parsed.success) {
    gap(`network security group ${nsg.id}: unexpected properties, its rules were not collected`);
    return [];
  }
  const rules: SecurityRule[] = [
    ...(parsed.data.securityRules ?? []),
    ...(parsed.data.defaultSecurityRules ?? []),
  ];
  const out: EntityInput[] = [];
  for (const rule of rules) {
    const p = rule.properties;
    const ingress = lower(p.direction) === 'inbound';
    const portSpecs = [p.destinationPortRange, ...(p.destinationPortRanges ?? [])].filter(
      (x): x is string => !!x && x.trim() !== '',
    );
    const ports = portSpecs.length ? portRanges(portSpecs) : null;
    if (!ports) {
      gap(`network rule ${rule.id}: unreadable port range ${portSpecs.join(',') || '(none)'}`);
      continue;
    }
    // `sources` is the far side of the rule: where traffic comes from (inbound) or goes to (outbound).
    const peers = ingress
      ? [
          p.sourceAddressPrefix,
          ...(p.sourceAddressPrefixes ?? []),
          ...(p.sourceApplicationSecurityGroups ?? []).map((g) => g.id),
        ]
      : [
          p.destinationAddressPrefix,
          ...(p.destinationAddressPrefixes ?? []),
          ...(p.destinationApplicationSecurityGroups ?? []).map((g) => g.id),
        ];
    const sources = peers.filter((x): x is string => !!x && x.trim() !== '');
    const action = lower(p.access) === 'allow' ? 'allow' : 'deny';
    out.push({
      ...common,
      id: entityId(rule.id),
      kind: 'network_rule',
      name: rule.name,
      groupId: entityId(nsg.id),
      direction: ingress ? 'ingress' : 'egress',
      action,
      protocol: p.protocol === '*' ? 'all' : p.protocol.toLowerCase(),
      ports,
      sources,
      internetExposed: ingress && action === 'allow' && sources.some((s) => INTERNET.has(s.toLowerCase())),
      priority: p.priority ?? null,
    });
  }
  return out;
}

function keyAlgorithm(k: KeyVaultKey['properties']): string | null {
  const kty = lower(k.kty);
  if (kty.startsWith('rsa') && k.keySize) return `RSA-${k.keySize}`;
  if (kty.startsWith('ec') && k.curveName) return `EC-${k.curveName.replace('-', '')}`;
  if (kty.startsWith('rsa')) return 'RSA';
  if (kty.startsWith('ec')) return 'EC';
  return null;
}

/** How often the rotation policy makes a new key version, in days; null if it never rotates. */
function rotation(k: KeyVaultKey['properties']): { enabled: boolean; periodDays: number | null } {
  const policy = k.rotationPolicy;
  // ARM leaves rotationPolicy out when the key has none.
  const rotate = (policy?.lifetimeActions ?? []).find((a) => lower(a.action?.type) === 'rotate');
  if (!rotate) return { enabled: false, periodDays: null };
  const afterCreate = durationDays(rotate.trigger?.timeAfterCreate);
  if (afterCreate !== null) return { enabled: true, periodDays: afterCreate };
  const expiry = durationDays(policy?.attributes?.expiryTime);
  const beforeExpiry = durationDays(rotate.trigger?.timeBeforeExpiry);
  return {
    enabled: true,
    periodDays: expiry !== null && beforeExpiry !== null ? Math.max(0, expiry - beforeExpiry) : null,
  };
}

/** Activity-log categories → the audit categories the checks know. */
const ACTIVITY_CATEGORIES: Record<string, AuditCategory[]> = {
  // every create, update, delete and action through Resource Manager, role assignments included
  administrative: ['configuration'],
  security: ['security'],
  policy: ['security'],
};
const ALL_ACTIVITY: AuditCategory[] = ['configuration', 'security'];

function auditLog(
  sub: AzureCollection['subscriptions'][number],
  setting: DiagnosticSetting,
  common: Common,
  workspaceRetention: Map<string, number | null>,
  storageLogDeletionDays: Map<string, number | null>,
): EntityInput {
  const p = setting.properties;
  const logs = (p.logs ?? []).filter((l) => l.enabled);
  const categories = new Set<AuditCategory>();
  for (const l of logs) {
    const group = lower(l.categoryGroup);
    const mapped =
      group === 'alllogs' || group === 'audit'
        ? ALL_ACTIVITY
        : (ACTIVITY_CATEGORIES[lower(l.category)] ?? []);
    for (const c of mapped) categories.add(c);
  }
  const destinations = [
    p.storageAccountId,
    p.workspaceId,
    p.eventHubAuthorizationRuleId,
    p.marketplacePartnerId,
  ].filter((x) => !!x);

  // How long the exported copy is kept: the longest any destination keeps it, where we can tell.
  // An event hub or partner destination only forwards: it keeps nothing we could measure.
  const retention: number[] = [];
  if (p.workspaceId) {
    const days = workspaceRetention.get(p.workspaceId.toLowerCase());
    if (typeof days === 'number') retention.push(days);
  }
  if (p.storageAccountId) {
    const legacy = logs
      .map((l) => l.retentionPolicy)
      .filter((r) => r?.enabled && typeof r.days === 'number' && r.days > 0)
      .map((r) => r?.days as number);
    const lifecycle = storageLogDeletionDays.get(p.storageAccountId.toLowerCase());
    if (legacy.length) retention.push(Math.min(...legacy));
    else if (typeof lifecycle === 'number') retention.push(lifecycle);
  }

  return {
    ...common,
    id: entityId(setting.id),
    kind: 'audit_log',
    name: `activity log → ${setting.name}`,
    accountId: sub.subscriptionId,
    enabled: logs.length > 0 && destinations.length > 0,
    // the activity log is subscription-wide: it records operations in every region
    multiRegion: true,
    regions: sub.regions,
    integrityValidation: null,
    immutable: null,
    retentionDays: retention.length ? Math.max(...retention) : null,
    categories: [...categories].sort(),
  };
}

function storageAccount(r: GraphResource, common: Common, data: AzureCollection, gap: Gap): EntityInput[] {
  const parsed = StorageAccountProperties.safeParse(r.properties ?? {});
  if (!parsed.success) {
    gap(`storage account ${r.id}: unexpected properties, not collected`);
    return [];
  }
  const p = parsed.data;
  const enc = p.encryption;
  // Storage service encryption (AES-256) cannot be turned off; the blob service flag records it.
  const encrypted = enc ? (enc.services?.blob?.enabled ?? true) : null;
  const keySource = lower(enc?.keySource);
  const cmk = keySource ? keySource === 'microsoft.keyvault' : null;
  const kv = enc?.keyvaultproperties;
  const keyId =
    cmk && kv?.keyvaulturi && kv.keyname
      ? `${kv.keyvaulturi.replace(/\/+$/, '')}/keys/${kv.keyname}${kv.keyversion ? `/${kv.keyversion}` : ''}`
      : null;
  return [
    {
      ...common,
      id: entityId(r.id),
      kind: 'storage',
      storageType: 'account',
      encryptedAtRest: encrypted,
      algorithm: encrypted ? 'AES-256' : null,
      customerManagedKey: cmk,
      keyId,
      publicAccess: p.allowBlobPublicAccess ?? null,
      tlsOnly: p.supportsHttpsTrafficOnly ?? null,
      minTlsVersion: tlsVersion(p.minimumTlsVersion),
      // Resource Manager shows only diagnostic-settings logging; classic Storage Analytics logging
      // needs a data-plane read, so its absence here proves nothing.
      accessLogging: data.storageAccessLogged.has(r.id.toLowerCase()) ? true : null,
    },
  ];
}

/** "Public" for a managed disk: an export (SAS) link that works from any network. */
function diskExportable(networkAccessPolicy: string, publicNetworkAccess: string): boolean | null {
  if (publicNetworkAccess === 'disabled') return false;
  if (networkAccessPolicy === 'denyall' || networkAccessPolicy === 'allowprivate') return false;
  if (networkAccessPolicy === 'allowall') return true;
  return null;
}

function managedDisk(r: GraphResource, common: Common, gap: Gap): EntityInput[] {
  const parsed = DiskProperties.safeParse(r.properties ?? {});
  if (!parsed.success) {
    gap(`managed disk ${r.id}: unexpected properties, not collected`);
    return [];
  }
  const p = parsed.data;
  const encType = lower(p.encryption?.type);
  return [
    {
      ...common,
      id: entityId(r.id),
      kind: 'storage',
      storageType: 'block',
      // Managed disks are always encrypted at rest with AES-256; the type says whose key.
      encryptedAtRest: encType ? true : null,
      algorithm: encType ? 'AES-256' : null,
      customerManagedKey: encType ? encType.includes('customerkey') : null,
      keyId: p.encryption?.diskEncryptionSetId ? entityId(p.encryption.diskEncryptionSetId) : null,
      publicAccess: diskExportable(lower(p.networkAccessPolicy), lower(p.publicNetworkAccess)),
      tlsOnly: null,
    },
  ];
}

interface SqlServerFacts {
  minTls: TlsVersion | null;
  publicAccess: boolean | null;
}

function sqlServerFacts(r: GraphResource): SqlServerFacts {
  const p = SqlServerProperties.safeParse(r.properties ?? {});
  if (!p.success) return { minTls: null, publicAccess: null };
  const pna = lower(p.data.publicNetworkAccess);
  return {
    minTls: tlsVersion(p.data.minimalTlsVersion),
    publicAccess:
      pna === 'enabled' ? true : pna === 'disabled' || pna === 'securedbyperimeter' ? false : null,
  };
}

function sqlDatabase(
  r: GraphResource,
  common: Common,
  data: AzureCollection,
  servers: Map<string, SqlServerFacts>,
): EntityInput[] {
  // `master` is the logical server's system database, not data the plant stores.
  if (lower(r.name) === 'master' || lower(r.kind).includes('system')) return [];
  const serverId = r.id.toLowerCase().replace(/\/databases\/[^/]+$/, '');
  const server = servers.get(serverId);
  return [
    {
      ...common,
      id: entityId(r.id),
      kind: 'database',
      engine: 'azure-sql',
      encryptedAtRest: data.transparentDataEncryption.get(r.id.toLowerCase()) ?? null,
      customerManagedKey: data.sqlCustomerManagedKey.get(serverId) ?? null,
      publiclyAccessible: server?.publicAccess ?? null,
      minTlsVersion: server?.minTls ?? null,
    },
  ];
}

function vaultKey(entry: AzureCollection['keys'][number], base: Omit<Common, 'rawRef'>): EntityInput {
  const { key, region: keyRegion, subscriptionId, rawRef } = entry;
  const p = key.properties;
  const rot = rotation(p);
  const tags = stringTags(key.tags);
  return {
    ...base,
    rawRef,
    id: entityId(key.id),
    kind: 'key',
    name: key.name,
    accountId: subscriptionId,
    ...(keyRegion ? { region: keyRegion } : {}),
    ...(tags ? { tags } : {}),
    managedBy: 'customer',
    enabled: p.attributes?.enabled ?? null,
    rotationEnabled: rot.enabled,
    rotationPeriodDays: rot.periodDays,
    lastRotatedAt: null,
    softDelete: entry.vaultProperties.softDelete,
    purgeProtection: entry.vaultProperties.purgeProtection,
    algorithm: keyAlgorithm(p),
  };
}

/** Resource Graph rows and Resource Manager reads → normalized entities, sorted by id. */
export function normalizeAzure(
  data: AzureCollection,
  ctx: Pick<CollectContext, 'sourceId'>,
  gap: Gap,
): EntityInput[] {
  const entities: EntityInput[] = [];
  const base = { provider: 'azure' as const, source: ctx.sourceId };

  // facts other resources lean on: a database's server, an activity-log workspace's retention
  const sqlServers = new Map<string, SqlServerFacts>();
  const workspaceRetention = new Map<string, number | null>();
  for (const { resource } of data.resources) {
    const type = lower(resource.type);
    if (type === RESOURCE_TYPES.sqlServer)
      sqlServers.set(resource.id.toLowerCase(), sqlServerFacts(resource));
    if (type === RESOURCE_TYPES.logAnalyticsWorkspace) {
      const p = WorkspaceProperties.safeParse(resource.properties ?? {});
      workspaceRetention.set(resource.id.toLowerCase(), p.success ? (p.data.retentionInDays ?? null) : null);
    }
  }

  for (const { resource: r, rawRef } of data.resources) {
    const location = region(r.location);
    const tags = stringTags(r.tags);
    const placed: Common = {
      ...base,
      rawRef,
      accountId: r.subscriptionId,
      ...(location ? { region: location } : {}),
    };
    const common: Common = { ...placed, name: r.name, ...(tags ? { tags } : {}) };
    switch (lower(r.type)) {
      case RESOURCE_TYPES.storageAccount:
        entities.push(...storageAccount(r, common, data, gap));
        break;
      case RESOURCE_TYPES.disk:
        entities.push(...managedDisk(r, common, gap));
        break;
      case RESOURCE_TYPES.sqlDatabase:
        entities.push(...sqlDatabase(r, common, data, sqlServers));
        break;
      case RESOURCE_TYPES.networkSecurityGroup:
        // a rule has its own name and no tags of its own
        entities.push(...networkRules(r, placed, gap));
        break;
    }
  }

  for (const entry of data.keys) entities.push(vaultKey(entry, base));

  for (const sub of data.subscriptions) {
    entities.push({
      ...base,
      rawRef: sub.rawRef,
      id: entityId(`/subscriptions/${sub.subscriptionId}`),
      kind: 'account',
      name: sub.displayName ?? sub.subscriptionId,
      accountId: sub.subscriptionId,
      accountType: 'subscription',
      regions: sub.regions,
    });
    const diagnostics = sub.diagnosticSettings;
    if (!diagnostics) continue;
    for (const setting of diagnostics.settings)
      entities.push(
        auditLog(
          sub,
          setting,
          { ...base, rawRef: diagnostics.rawRef },
          workspaceRetention,
          data.storageLogDeletionDays,
        ),
      );
  }

  return entities.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}
