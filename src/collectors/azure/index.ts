import { CollectorError, errorMessage } from '../../errors.js';
import type { CollectContext, Collector } from '../types.js';
import {
  API_VERSIONS,
  AzureApiError,
  type AzureClient,
  AzureSignInError,
  createAzureClient,
  type GraphQueryResult,
} from './client.js';
import { type AzureCollection, normalizeAzure, RESOURCE_TYPES } from './normalize.js';
import {
  type ArmSubscription,
  AzureOptions,
  DiagnosticSetting,
  GraphRegionRow,
  GraphResource,
  KeyVaultKey,
  SqlEncryptionProtector,
  SqlTransparentDataEncryption,
  StorageManagementPolicy,
} from './schema.js';

export { AzureOptions } from './schema.js';

/** Full rows of the resource types the normalizer reads, from every subscription in one paged query. */
export const RESOURCE_QUERY = `resources
| where type in~ (${Object.values(RESOURCE_TYPES)
  .map((t) => `'${t}'`)
  .join(', ')})
| project id, name, type, location, resourceGroup, subscriptionId, tags, kind, properties`;

/** Every location a subscription has resources in: the regions its audit logging must cover. */
export const REGIONS_QUERY = `resources
| summarize resources = count() by subscriptionId, location
| project subscriptionId, location, resources`;

const GRAPH_API = 'POST /providers/Microsoft.ResourceGraph/resources';

/** Activity-log blobs land in this container of a storage account destination. */
const ACTIVITY_LOG_CONTAINER = 'insights-activity-logs';

const subscriptionLabel = (s: { subscriptionId: string; displayName?: string | null }) =>
  s.displayName ? `subscription ${s.subscriptionId} (${s.displayName})` : `subscription ${s.subscriptionId}`;

/** Re-throw what must end the collection (sign-in failed, run cancelled); everything else is a gap. */
function fatal(err: unknown): boolean {
  return err instanceof AzureSignInError || (err instanceof Error && err.name === 'AbortError');
}

const describe = (err: unknown) => (err instanceof AzureApiError ? err.describe() : errorMessage(err));

/** one raw record per call: the page itself, or every page of a paged list */
const oneOrAll = (pages: unknown[]) => (pages.length === 1 ? pages[0] : pages);

/** Days after which an enabled lifecycle rule deletes the append blobs the activity log writes; null if none does. */
export function activityLogDeletionDays(policy: StorageManagementPolicy): number | null {
  const days: number[] = [];
  for (const rule of policy.properties.policy.rules ?? []) {
    if (rule.enabled === false) continue;
    const filters = rule.definition.filters;
    const prefixes = filters?.prefixMatch ?? [];
    const matchesContainer =
      prefixes.length === 0 ||
      prefixes.some((p) => ACTIVITY_LOG_CONTAINER.startsWith(p) || p.startsWith(ACTIVITY_LOG_CONTAINER));
    const blobTypes = (filters?.blobTypes ?? []).map((t) => t.toLowerCase());
    if (!matchesContainer || (blobTypes.length > 0 && !blobTypes.includes('appendblob'))) continue;
    const del = rule.definition.actions.baseBlob?.delete;
    const d = del?.daysAfterModificationGreaterThan ?? del?.daysAfterCreationGreaterThan;
    if (typeof d === 'number') days.push(d);
  }
  return days.length ? Math.min(...days) : null;
}

type Subscription = { subscription: ArmSubscription; rawRef: string };

/** A subscription that was asked for or listed but could not be read. */
type Missed = { subscriptionId: string; line: string };

/** The subscriptions in scope: the listed ones that exist, or every enabled one the credential sees. */
/** A blob-service diagnostic setting that sends reads, writes and deletes somewhere. */
export function logsBlobAccess(setting: DiagnosticSetting): boolean {
  const p = setting.properties;
  if (!p.storageAccountId && !p.workspaceId && !p.eventHubAuthorizationRuleId && !p.marketplacePartnerId)
    return false;
  const on = (p.logs ?? []).filter((l) => l.enabled);
  if (on.some((l) => ['alllogs', 'audit'].includes((l.categoryGroup ?? '').toLowerCase()))) return true;
  const categories = new Set(on.map((l) => (l.category ?? '').toLowerCase()));
  return ['storageread', 'storagewrite', 'storagedelete'].every((c) => categories.has(c));
}

async function resolveSubscriptions(
  client: AzureClient,
  options: AzureOptions,
  ctx: CollectContext,
  missed: Missed[],
): Promise<Subscription[]> {
  if (!options.subscriptions) {
    ctx.progress('listing subscriptions');
    let listed: Awaited<ReturnType<AzureClient['listSubscriptions']>>;
    try {
      listed = await client.listSubscriptions();
    } catch (err) {
      if (fatal(err)) throw err;
      throw new CollectorError(`cannot list subscriptions: ${describe(err)}`, { api: 'GET /subscriptions' });
    }
    const rawRef = ctx.raw('GET /subscriptions', oneOrAll(listed.pages));
    const enabled = listed.subscriptions.filter(
      (s) => !['disabled', 'deleted'].includes((s.state ?? '').toLowerCase()),
    );
    if (enabled.length === 0) throw new CollectorError('the credential sees no enabled subscription');
    return enabled.map((subscription) => ({ subscription, rawRef }));
  }
  const found = await Promise.all(
    options.subscriptions.map(async (id): Promise<Subscription | undefined> => {
      try {
        const { subscription, body } = await client.getSubscription(id);
        return { subscription, rawRef: ctx.raw(`GET /subscriptions/${id}`, body) };
      } catch (err) {
        if (fatal(err)) throw err;
        missed.push({ subscriptionId: id, line: `subscription ${id} not collected: ${describe(err)}` });
        return undefined;
      }
    }),
  );
  return found.filter((s): s is Subscription => s !== undefined);
}

/**
 * Resource groups are the access probe: a subscription whose groups cannot be listed is not
 * collected. The readable ones also get their activity-log diagnostic settings read.
 */
async function probeSubscriptions(
  client: AzureClient,
  ctx: CollectContext,
  subscriptions: Subscription[],
  missed: Missed[],
) {
  const readable = await Promise.all(
    subscriptions.map(async (entry) => {
      const id = entry.subscription.subscriptionId;
      try {
        const { pages } = await client.listResourceGroups(id);
        ctx.raw(`GET /subscriptions/${id}/resourcegroups`, oneOrAll(pages));
      } catch (err) {
        if (fatal(err)) throw err;
        missed.push({
          subscriptionId: id,
          line: `${subscriptionLabel(entry.subscription)} not collected: ${describe(err)}`,
        });
        return undefined;
      }
      return { ...entry, diagnosticSettings: await readDiagnosticSettings(client, ctx, entry.subscription) };
    }),
  );
  return readable.filter((s) => s !== undefined);
}

async function readDiagnosticSettings(client: AzureClient, ctx: CollectContext, s: ArmSubscription) {
  const path = `/subscriptions/${s.subscriptionId}/providers/Microsoft.Insights/diagnosticSettings`;
  try {
    const { items, pages } = await client.listJson(path, API_VERSIONS.diagnosticSettings);
    const settings: DiagnosticSetting[] = [];
    for (const item of items) {
      const d = DiagnosticSetting.safeParse(item);
      if (d.success) settings.push(d.data);
      else ctx.gap(`${subscriptionLabel(s)}: a diagnostic setting has an unexpected shape and was skipped`);
    }
    return { settings, rawRef: ctx.raw(`GET ${path}`, oneOrAll(pages)) };
  } catch (err) {
    if (fatal(err)) throw err;
    ctx.gap(`${subscriptionLabel(s)}: activity log export (diagnostic settings) not read: ${describe(err)}`);
    return null;
  }
}

async function queryGraph(client: AzureClient, ctx: CollectContext, query: string, subscriptions: string[]) {
  let result: GraphQueryResult;
  try {
    result = await client.queryGraph(query, subscriptions);
  } catch (err) {
    if (fatal(err)) throw err;
    throw new CollectorError(`Resource Graph query failed: ${describe(err)}`, {
      api: GRAPH_API,
      ...(err instanceof AzureApiError && err.status ? { status: err.status } : {}),
      ...(err instanceof AzureApiError && err.action ? { permission: err.action } : {}),
    });
  }
  if (result.truncated) ctx.gap('Resource Graph truncated a result; some resources were not collected');
  return result;
}

/** Every resource of the types normalized, each once, with the raw page it came in. */
async function readResources(client: AzureClient, ctx: CollectContext, subscriptions: string[]) {
  const graph = await queryGraph(client, ctx, RESOURCE_QUERY, subscriptions);
  const resources: AzureCollection['resources'] = [];
  const seen = new Set<string>();
  let skipped = 0;
  for (const page of graph.pages) {
    const rawRef = ctx.raw(GRAPH_API, page);
    for (const row of page.data) {
      const r = GraphResource.safeParse(row);
      if (!r.success) {
        skipped += 1;
        continue;
      }
      // a page repeated after a retry must not count its resources twice
      const key = r.data.id.toLowerCase();
      if (seen.has(key)) continue;
      seen.add(key);
      resources.push({ resource: r.data, rawRef });
    }
  }
  if (skipped) ctx.gap(`Resource Graph returned ${skipped} row(s) without id, type or subscription; skipped`);
  if (seen.size + skipped < graph.totalRecords)
    ctx.gap(`Resource Graph reported ${graph.totalRecords} resources but returned ${seen.size + skipped}`);
  return resources;
}

/** Lower-cased subscription id → the locations its resources are in. */
async function readRegions(client: AzureClient, ctx: CollectContext, subscriptions: string[]) {
  const graph = await queryGraph(client, ctx, REGIONS_QUERY, subscriptions);
  for (const page of graph.pages) ctx.raw(GRAPH_API, page);
  const regions = new Map<string, Set<string>>();
  for (const row of graph.rows) {
    const r = GraphRegionRow.safeParse(row);
    if (!r.success) continue;
    const location = (r.data.location ?? '').toLowerCase().replace(/\s+/g, '');
    if (!location || location === 'global') continue;
    const key = r.data.subscriptionId.toLowerCase();
    if (!regions.has(key)) regions.set(key, new Set());
    regions.get(key)?.add(location);
  }
  return regions;
}

/** What Resource Graph does not hold: TDE state, TDE protectors, Key Vault keys, log lifecycle rules. */
async function readDetails(client: AzureClient, ctx: CollectContext, collection: AzureCollection) {
  const ofType = (type: string) =>
    collection.resources.map((r) => r.resource).filter((r) => r.type.toLowerCase() === type);
  /** GET one child resource; a failure is a gap (unless it ends the run), and the result undefined */
  const get = async (path: string, apiVersion: string, what: string): Promise<unknown> => {
    try {
      const body = await client.getJson(path, apiVersion);
      ctx.raw(`GET ${path}`, body);
      return body;
    } catch (err) {
      if (fatal(err)) throw err;
      ctx.gap(`${what}: ${describe(err)}`);
      return undefined;
    }
  };
  const tasks: Promise<void>[] = [];

  for (const db of ofType(RESOURCE_TYPES.sqlDatabase)) {
    if (db.name.toLowerCase() === 'master') continue;
    tasks.push(
      (async () => {
        const what = `SQL database ${db.id}: transparent data encryption not read`;
        const body = await get(
          `${db.id}/transparentDataEncryption/current`,
          API_VERSIONS.sqlTransparentDataEncryption,
          what,
        );
        if (body === undefined) return;
        const tde = SqlTransparentDataEncryption.safeParse(body);
        const state = tde.success
          ? (tde.data.properties.state ?? tde.data.properties.status ?? '').toLowerCase()
          : '';
        if (state !== 'enabled' && state !== 'disabled') ctx.gap(`${what}: unexpected state in the reply`);
        collection.transparentDataEncryption.set(
          db.id.toLowerCase(),
          state === 'enabled' ? true : state === 'disabled' ? false : null,
        );
      })(),
    );
  }

  for (const server of ofType(RESOURCE_TYPES.sqlServer)) {
    tasks.push(
      (async () => {
        const what = `SQL server ${server.id}: TDE protector not read`;
        const body = await get(
          `${server.id}/encryptionProtector/current`,
          API_VERSIONS.sqlEncryptionProtector,
          what,
        );
        if (body === undefined) return;
        const ep = SqlEncryptionProtector.safeParse(body);
        const type = ep.success ? (ep.data.properties.serverKeyType ?? '').toLowerCase() : '';
        if (type !== 'azurekeyvault' && type !== 'servicemanaged')
          ctx.gap(`${what}: unexpected key type in the reply`);
        collection.sqlCustomerManagedKey.set(
          server.id.toLowerCase(),
          type === 'azurekeyvault' ? true : type === 'servicemanaged' ? false : null,
        );
      })(),
    );
  }

  // Key Vault keys are Resource Manager child resources (Reader can read them); the list leaves the
  // rotation policy out, so each key is read on its own.
  for (const vault of ofType(RESOURCE_TYPES.keyVault)) {
    tasks.push(
      (async () => {
        const path = `${vault.id}/keys`;
        let names: string[];
        try {
          const { items, pages } = await client.listJson(path, API_VERSIONS.keyVaultKeys);
          ctx.raw(`GET ${path}`, oneOrAll(pages));
          names = items
            .map((k) => (k as { name?: unknown }).name)
            .filter((n): n is string => typeof n === 'string');
          if (names.length < items.length)
            ctx.gap(`key vault ${vault.id}: ${items.length - names.length} listed key(s) without a name`);
        } catch (err) {
          if (fatal(err)) throw err;
          ctx.gap(`key vault ${vault.id}: keys not listed: ${describe(err)}`);
          return;
        }
        await Promise.all(
          names.map(async (name) => {
            const keyPath = `${vault.id}/keys/${name}`;
            let body: unknown;
            try {
              body = await client.getJson(keyPath, API_VERSIONS.keyVaultKeys);
            } catch (err) {
              if (fatal(err)) throw err;
              ctx.gap(`key ${keyPath}: not read: ${describe(err)}`);
              return;
            }
            const key = KeyVaultKey.safeParse(body);
            if (!key.success) {
              ctx.gap(`key ${keyPath}: unexpected shape, not collected`);
              return;
            }
            collection.keys.push({
              vaultId: vault.id,
              region: vault.location?.toLowerCase() || undefined,
              subscriptionId: vault.subscriptionId,
              vaultProperties: vaultDeletionFacts(vault.properties),
              key: key.data,
              rawRef: ctx.raw(`GET ${keyPath}`, body),
            });
          }),
        );
      })(),
    );
  }

  // Storage access logging: blob-service diagnostic settings that export reads, writes and deletes.
  for (const account of ofType(RESOURCE_TYPES.storageAccount)) {
    tasks.push(
      (async () => {
        const path = `${account.id}/blobServices/default/providers/Microsoft.Insights/diagnosticSettings`;
        try {
          const { items, pages } = await client.listJson(path, API_VERSIONS.diagnosticSettings);
          ctx.raw(`GET ${path}`, oneOrAll(pages));
          const settings = items.flatMap((item) => {
            const d = DiagnosticSetting.safeParse(item);
            return d.success ? [d.data] : [];
          });
          if (settings.some(logsBlobAccess)) collection.storageAccessLogged.add(account.id.toLowerCase());
        } catch (err) {
          if (fatal(err)) throw err;
          ctx.gap(
            `storage account ${account.id}: blob access logging (diagnostic settings) not read: ${describe(err)}`,
          );
        }
      })(),
    );
  }

  // How long an activity-log export to a storage account is kept: its lifecycle rules.
  const logAccounts = new Set<string>();
  for (const s of collection.subscriptions)
    for (const d of s.diagnosticSettings?.settings ?? [])
      if (d.properties.storageAccountId) logAccounts.add(d.properties.storageAccountId);
  for (const account of logAccounts) {
    tasks.push(
      (async () => {
        const path = `${account}/managementPolicies/default`;
        try {
          const body = await client.getJson(path, API_VERSIONS.storageManagementPolicy);
          ctx.raw(`GET ${path}`, body);
          const policy = StorageManagementPolicy.safeParse(body);
          if (!policy.success)
            ctx.gap(`storage account ${account}: lifecycle rules have an unexpected shape`);
          collection.storageLogDeletionDays.set(
            account.toLowerCase(),
            policy.success ? activityLogDeletionDays(policy.data) : null,
          );
        } catch (err) {
          if (fatal(err)) throw err;
          // No lifecycle policy at all is a 404: the logs are kept until someone deletes them.
          if (err instanceof AzureApiError && err.status === 404)
            collection.storageLogDeletionDays.set(account.toLowerCase(), null);
          else
            ctx.gap(
              `storage account ${account}: lifecycle rules for the activity log export not read: ${describe(err)}`,
            );
        }
      })(),
    );
  }
  await Promise.all(tasks);
}

export const azureCollector: Collector<AzureOptions> = {
  id: 'azure',
  title: 'Azure subscriptions through Resource Manager and Resource Graph',
  kinds: ['account', 'storage', 'database', 'key', 'audit_log', 'network_rule'],
  options: AzureOptions,
  target: (o) =>
    o.name ?? (o.subscriptions?.length === 1 ? o.subscriptions[0] : o.tenantId) ?? 'all-subscriptions',
  async collect(options, ctx) {
    const client = await createAzureClient(options, ctx);
    try {
      return { entities: await collectAzure(client, options, ctx) };
    } finally {
      client.close();
    }
  },
};

async function collectAzure(client: AzureClient, options: AzureOptions, ctx: CollectContext) {
  const missed: Missed[] = [];
  const resolved = await resolveSubscriptions(client, options, ctx, missed);
  ctx.progress(`reading ${resolved.length} subscription(s)`);
  const readable = await probeSubscriptions(client, ctx, resolved, missed);

  // gaps in the order the subscriptions were asked for or listed, not the order replies came in
  const order = (options.subscriptions ?? resolved.map((r) => r.subscription.subscriptionId)).map((id) =>
    id.toLowerCase(),
  );
  missed.sort(
    (a, b) => order.indexOf(a.subscriptionId.toLowerCase()) - order.indexOf(b.subscriptionId.toLowerCase()),
  );
  if (readable.length === 0)
    throw new CollectorError(
      missed.length
        ? `no subscription could be read: ${missed.map((m) => m.line).join('; ')}`
        : 'no subscription could be read',
    );
  for (const m of missed) ctx.gap(m.line);

  const ids = readable.map((r) => r.subscription.subscriptionId).sort();
  ctx.progress('querying Resource Graph');
  const resources = await readResources(client, ctx, ids);
  const regions = await readRegions(client, ctx, ids);

  const collection: AzureCollection = {
    subscriptions: readable.map(({ subscription: s, rawRef, diagnosticSettings }) => ({
      subscriptionId: s.subscriptionId,
      displayName: s.displayName ?? null,
      rawRef,
      regions: [...(regions.get(s.subscriptionId.toLowerCase()) ?? [])].sort(),
      diagnosticSettings,
    })),
    resources,
    transparentDataEncryption: new Map(),
    sqlCustomerManagedKey: new Map(),
    keys: [],
    storageLogDeletionDays: new Map(),
    storageAccessLogged: new Set(),
  };
  ctx.progress('reading SQL encryption, Key Vault keys and log retention');
  await readDetails(client, ctx, collection);
  return normalizeAzure(collection, ctx, (what) => ctx.gap(what));
}

/**
 * Soft delete has been enforced on every vault since 2020 and the property may then be omitted;
 * only an explicit `false` (an old vault that opted out) means off. Purge protection is off
 * unless set. No properties at all: nothing is known.
 */
function vaultDeletionFacts(properties: unknown): {
  softDelete: boolean | null;
  purgeProtection: boolean | null;
} {
  if (!properties || typeof properties !== 'object') return { softDelete: null, purgeProtection: null };
  const p = properties as { enableSoftDelete?: unknown; enablePurgeProtection?: unknown };
  return { softDelete: p.enableSoftDelete !== false, purgeProtection: p.enablePurgeProtection === true };
}
