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

async function resolveSubscriptions(
  client: AzureClient,
  options: AzureOptions,
  ctx: CollectContext,
  notCollected: string[],
): Promise<Array<{ subscription: ArmSubscription; rawRef: string }>> {
  if (!options.subscriptions) {
    ctx.progress('listing subscriptions');
    let listed: Awaited<ReturnType<AzureClient['listSubscriptions']>>;
    try {
      listed = await client.listSubscriptions();
    } catch (err) {
      if (fatal(err)) throw err;
      throw new CollectorError(`cannot list subscriptions: ${describe(err)}`, { api: 'GET /subscriptions' });
    }
    const rawRef = ctx.raw('GET /subscriptions', listed.pages.length === 1 ? listed.pages[0] : listed.pages);
    const enabled = listed.subscriptions.filter(
      (s) => !['disabled', 'deleted'].includes((s.state ?? '').toLowerCase()),
    );
    if (enabled.length === 0) throw new CollectorError('the credential sees no enabled subscription');
    return enabled.map((subscription) => ({ subscription, rawRef }));
  }
  const found: Array<{ subscription: ArmSubscription; rawRef: string }> = [];
  await Promise.all(
    options.subscriptions.map(async (id) => {
      try {
        const { subscription, body } = await client.getSubscription(id);
        found.push({ subscription, rawRef: ctx.raw(`GET /subscriptions/${id}`, body) });
      } catch (err) {
        if (fatal(err)) throw err;
        notCollected.push(`subscription ${id} not collected: ${describe(err)}`);
      }
    }),
  );
  const order = new Map(options.subscriptions.map((id, i) => [id.toLowerCase(), i]));
  return found.sort(
    (a, b) =>
      (order.get(a.subscription.subscriptionId.toLowerCase()) ?? 0) -
      (order.get(b.subscription.subscriptionId.toLowerCase()) ?? 0),
  );
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
  const notCollected: string[] = [];
  const resolved = await resolveSubscriptions(client, options, ctx, notCollected);

  // Resource groups are the access probe: a subscription whose groups cannot be listed is denied.
  ctx.progress(`reading ${resolved.length} subscription(s)`);
  const readable: typeof resolved = [];
  const diagnostics = new Map<string, { settings: DiagnosticSetting[]; rawRef: string } | null>();
  await Promise.all(
    resolved.map(async (entry) => {
      const { subscription: s } = entry;
      const id = s.subscriptionId;
      try {
        const groups = await client.listResourceGroups(id);
        ctx.raw(`GET /subscriptions/${id}/resourcegroups`, { value: groups });
      } catch (err) {
        if (fatal(err)) throw err;
        notCollected.push(`${subscriptionLabel(s)} not collected: ${describe(err)}`);
        return;
      }
      readable.push(entry);
      const path = `/subscriptions/${id}/providers/Microsoft.Insights/diagnosticSettings`;
      try {
        const { items, pages } = await client.listJson(path, API_VERSIONS.diagnosticSettings);
        const settings: DiagnosticSetting[] = [];
        for (const item of items) {
          const d = DiagnosticSetting.safeParse(item);
          if (d.success) settings.push(d.data);
          else
            ctx.gap(`${subscriptionLabel(s)}: a diagnostic setting has an unexpected shape and was skipped`);
        }
        diagnostics.set(id, {
          settings,
          rawRef: ctx.raw(`GET ${path}`, pages.length === 1 ? pages[0] : pages),
        });
      } catch (err) {
        if (fatal(err)) throw err;
        diagnostics.set(id, null);
        ctx.gap(
          `${subscriptionLabel(s)}: activity log export (diagnostic settings) not read: ${describe(err)}`,
        );
      }
    }),
  );
  // in the order the subscriptions were asked for or listed, whatever order the replies came in
  const rank = new Map(resolved.map((r, i) => [r.subscription.subscriptionId, i]));
  readable.sort(
    (a, b) => (rank.get(a.subscription.subscriptionId) ?? 0) - (rank.get(b.subscription.subscriptionId) ?? 0),
  );
  const order = (options.subscriptions ?? resolved.map((r) => r.subscription.subscriptionId)).map((s) =>
    s.toLowerCase(),
  );
  const position = (line: string) => order.findIndex((id) => line.toLowerCase().includes(id));
  notCollected.sort((a, b) => position(a) - position(b));
  if (readable.length === 0)
    throw new CollectorError(
      notCollected.length
        ? `no subscription could be read: ${notCollected.join('; ')}`
        : 'no subscription could be read',
    );
  for (const line of notCollected) ctx.gap(line);
  const ids = readable.map((r) => r.subscription.subscriptionId).sort();

  ctx.progress('querying Resource Graph');
  const graph = await queryGraph(client, ctx, RESOURCE_QUERY, ids);
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

  const regionRows = await queryGraph(client, ctx, REGIONS_QUERY, ids);
  for (const page of regionRows.pages) ctx.raw(GRAPH_API, page);
  const regions = new Map<string, Set<string>>();
  for (const row of regionRows.rows) {
    const r = GraphRegionRow.safeParse(row);
    if (!r.success) continue;
    const loc = (r.data.location ?? '').toLowerCase().replace(/\s+/g, '');
    if (!loc || loc === 'global') continue;
    const key = r.data.subscriptionId.toLowerCase();
    if (!regions.has(key)) regions.set(key, new Set());
    regions.get(key)?.add(loc);
  }

  const ofType = (type: string) => resources.filter((r) => r.resource.type.toLowerCase() === type);
  const collection: AzureCollection = {
    subscriptions: readable.map(({ subscription: s, rawRef }) => ({
      subscriptionId: s.subscriptionId,
      displayName: s.displayName ?? null,
      rawRef,
      regions: [...(regions.get(s.subscriptionId.toLowerCase()) ?? [])].sort(),
      diagnosticSettings: diagnostics.get(s.subscriptionId) ?? null,
    })),
    resources,
    transparentDataEncryption: new Map(),
    sqlCustomerManagedKey: new Map(),
    keys: [],
    storageLogDeletionDays: new Map(),
  };

  ctx.progress('reading SQL encryption, Key Vault keys and log retention');
  const tasks: Promise<void>[] = [];

  // Resource Graph has neither a database's TDE state nor a server's TDE protector: one ARM GET each.
  for (const { resource: db } of ofType(RESOURCE_TYPES.sqlDatabase)) {
    if (db.name.toLowerCase() === 'master') continue;
    tasks.push(
      (async () => {
        const path = `${db.id}/transparentDataEncryption/current`;
        try {
          const body = await client.getJson(path, API_VERSIONS.sqlTransparentDataEncryption);
          ctx.raw(`GET ${path}`, body);
          const tde = SqlTransparentDataEncryption.safeParse(body);
          const state = (
            tde.success ? (tde.data.properties.state ?? tde.data.properties.status) : null
          )?.toLowerCase();
          collection.transparentDataEncryption.set(
            db.id.toLowerCase(),
            state === 'enabled' ? true : state === 'disabled' ? false : null,
          );
          if (state !== 'enabled' && state !== 'disabled')
            ctx.gap(`SQL database ${db.id}: unreadable transparent data encryption state`);
        } catch (err) {
          if (fatal(err)) throw err;
          ctx.gap(`SQL database ${db.id}: transparent data encryption not read: ${describe(err)}`);
        }
      })(),
    );
  }
  for (const { resource: server } of ofType(RESOURCE_TYPES.sqlServer)) {
    tasks.push(
      (async () => {
        const path = `${server.id}/encryptionProtector/current`;
        try {
          const body = await client.getJson(path, API_VERSIONS.sqlEncryptionProtector);
          ctx.raw(`GET ${path}`, body);
          const ep = SqlEncryptionProtector.safeParse(body);
          const type = ep.success ? (ep.data.properties.serverKeyType ?? '').toLowerCase() : '';
          collection.sqlCustomerManagedKey.set(
            server.id.toLowerCase(),
            type === 'azurekeyvault' ? true : type === 'servicemanaged' ? false : null,
          );
        } catch (err) {
          if (fatal(err)) throw err;
          ctx.gap(`SQL server ${server.id}: TDE protector not read: ${describe(err)}`);
        }
      })(),
    );
  }

  // Key Vault keys and their rotation policies are Resource Manager child resources, readable with Reader.
  for (const { resource: vault } of ofType(RESOURCE_TYPES.keyVault)) {
    tasks.push(
      (async () => {
        const path = `${vault.id}/keys`;
        let names: string[];
        try {
          const { items, pages } = await client.listJson(path, API_VERSIONS.keyVaultKeys);
          ctx.raw(`GET ${path}`, pages.length === 1 ? pages[0] : pages);
          names = items.flatMap((k) => {
            const key = KeyVaultKey.safeParse(k);
            return key.success ? [key.data.name] : [];
          });
        } catch (err) {
          if (fatal(err)) throw err;
          ctx.gap(`key vault ${vault.id}: keys not listed: ${describe(err)}`);
          return;
        }
        // The list leaves rotation policies out; a GET of each key has them.
        await Promise.all(
          names.map(async (name) => {
            const keyPath = `${vault.id}/keys/${name}`;
            try {
              const body = await client.getJson(keyPath, API_VERSIONS.keyVaultKeys);
              const key = KeyVaultKey.safeParse(body);
              if (!key.success) {
                ctx.gap(`key ${keyPath}: unexpected shape, not collected`);
                return;
              }
              collection.keys.push({
                vaultId: vault.id,
                region: vault.location?.toLowerCase() || undefined,
                subscriptionId: vault.subscriptionId,
                key: key.data,
                rawRef: ctx.raw(`GET ${keyPath}`, body),
              });
            } catch (err) {
              if (fatal(err)) throw err;
              ctx.gap(`key ${keyPath}: not read: ${describe(err)}`);
            }
          }),
        );
      })(),
    );
  }

  // How long an activity-log export to a storage account is kept: its lifecycle rules.
  const logAccounts = new Set<string>();
  for (const d of diagnostics.values())
    for (const s of d?.settings ?? [])
      if (s.properties.storageAccountId) logAccounts.add(s.properties.storageAccountId);
  for (const account of logAccounts) {
    tasks.push(
      (async () => {
        const path = `${account}/managementPolicies/default`;
        try {
          const body = await client.getJson(path, API_VERSIONS.storageManagementPolicy);
          ctx.raw(`GET ${path}`, body);
          const policy = StorageManagementPolicy.safeParse(body);
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

  return normalizeAzure(collection, ctx, (what) => ctx.gap(what));
}
