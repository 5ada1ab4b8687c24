import { CollectorError } from '../../errors.js';
import type { CollectContext, Collector } from '../types.js';
import {
  type CallContext,
  CallError,
  type ClientSettings,
  type ConfigItem,
  createConfigClient,
  credentialsFor,
  describeAggregatorSources,
  describeRecorders,
  listAndBatchGet,
  mapLimit,
  type Scope,
  selectAll,
  selectExpression,
} from './client.js';
import { type AccountInScope, normalizeAwsConfig } from './normalize.js';
import {
  type AwsAccount,
  AwsConfigOptions,
  ConfigurationRecorderConfiguration,
  lowerKeys,
  RESOURCE_TYPES,
} from './schema.js';

export { AwsConfigOptions } from './schema.js';

const RECORDER_TYPE = 'AWS::Config::ConfigurationRecorder';
const DELETED = new Set(['ResourceDeleted', 'ResourceDeletedNotRecorded', 'ResourceNotRecorded']);

/** Current configuration items, one per resource: the newest wins when a global resource shows up in several regions. */
class ItemSet {
  private readonly items = new Map<string, ConfigItem>();
  add = (batch: ConfigItem[]) => {
    for (const item of batch) {
      if (item.status && DELETED.has(item.status)) continue;
      const key = `${item.accountId}|${item.region}|${item.resourceType}|${item.resourceId}`;
      const prev = this.items.get(key);
      if (!prev || (item.captureTime ?? '') > (prev.captureTime ?? '')) this.items.set(key, item);
    }
  };
  get size() {
    return this.items.size;
  }
  sorted(): ConfigItem[] {
    const key = (i: ConfigItem) => `${i.accountId}|${i.region}|${i.resourceType}|${i.resourceId}`;
    return [...this.items.values()].sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0));
  }
}

function callContext(scope: Scope, options: AwsConfigOptions, ctx: CollectContext): CallContext {
  return { scope, signal: ctx.signal, settings: options, raw: (api, payload) => ctx.raw(api, payload) };
}

/** Gaps for a region whose recorder is missing, stopped or failing: its items may be stale or absent. */
function recorderGaps(
  recorders: Array<{ recording: boolean; lastStatus: string | null; lastErrorCode: string | null }>,
  accountId: string,
  region: string,
): string[] {
  if (recorders.length === 0) return [`${region}: no configuration recorder (account ${accountId})`];
  if (!recorders.some((r) => r.recording))
    return [`${region}: configuration recorder not recording (account ${accountId})`];
  const failing = recorders.find((r) => r.recording && r.lastStatus?.toLowerCase() === 'failure');
  if (failing)
    return [
      `${region}: configuration recorder failing (${failing.lastErrorCode ?? 'no error code'}) (account ${accountId})`,
    ];
  return [];
}

async function collectAccountRegion(
  account: AwsAccount,
  region: string,
  options: AwsConfigOptions,
  settings: ClientSettings,
  credentials: ReturnType<typeof credentialsFor>,
  ctx: CollectContext,
  items: ItemSet,
): Promise<void> {
  const scope: Scope = {
    label: `account ${account.accountId} in ${region}`,
    accountId: account.accountId,
    region,
  };
  const cc = callContext(scope, options, ctx);
  const types = options.resourceTypes ?? RESOURCE_TYPES;
  const client = createConfigClient(region, credentials, settings);
  try {
    ctx.progress(`${scope.label}: recorder status`);
    try {
      for (const gap of recorderGaps(await describeRecorders(client, cc), account.accountId, region))
        ctx.gap(gap);
    } catch (err) {
      // Without the recorder status the items can still be read; the missing permission is the gap.
      if (err instanceof CallError && err.failure.kind === 'denied')
        ctx.gap(`${err.message} (recording state unknown)`);
      else throw err;
    }
    const before = items.size;
    const add = (batch: ConfigItem[]) => {
      // Items of another account mean the credentials reach the wrong account; label nothing with it.
      const stranger = batch.find((i) => i.accountId !== account.accountId);
      if (stranger) {
        throw new CallError({
          kind: 'other',
          permission: null,
          message: `${scope.label}: the credentials reach account ${stranger.accountId}, not ${account.accountId} (set roleArn or profile for this account)`,
        });
      }
      items.add(batch);
      ctx.progress(`${scope.label}: ${items.size - before} items`);
    };
    if (options.mode !== 'list') {
      try {
        await selectAll(client, cc, { expression: selectExpression(types) }, add);
        return;
      } catch (err) {
        if (!(options.mode === 'auto' && err instanceof CallError && err.failure.kind === 'unsupported'))
          throw err;
        ctx.progress(`${scope.label}: advanced query not offered, listing resources instead`);
      }
    }
    const { missing } = await listAndBatchGet(client, cc, types, add, (message) => ctx.progress(message));
    if (missing > 0) {
      ctx.gap(
        `${scope.label}: ${missing} configuration items left unprocessed by BatchGetResourceConfig after ${options.maxAttempts} rounds`,
      );
    }
  } finally {
    client.destroy();
  }
}

async function collectAggregator(
  aggregator: NonNullable<AwsConfigOptions['aggregator']>,
  options: AwsConfigOptions,
  settings: ClientSettings,
  ctx: CollectContext,
  items: ItemSet,
): Promise<AccountInScope[]> {
  const scope: Scope = {
    label: `aggregator ${aggregator.name} in ${aggregator.region}`,
    accountId: null,
    region: aggregator.region,
  };
  const cc = callContext(scope, options, ctx);
  const client = createConfigClient(
    aggregator.region,
    credentialsFor(aggregator, aggregator.region, settings),
    settings,
  );
  const accounts = new Map<string, AccountInScope>();
  try {
    ctx.progress(`${scope.label}: source status`);
    try {
      for (const s of await describeAggregatorSources(client, cc, aggregator.name)) {
        const a = accounts.get(s.accountId) ?? { accountId: s.accountId, regions: [], rawRef: null };
        if (!a.regions.includes(s.region)) a.regions.push(s.region);
        accounts.set(s.accountId, a);
        if (s.status === 'FAILED') {
          ctx.gap(
            `${s.region}: aggregator ${aggregator.name} could not collect account ${s.accountId} (${s.error ?? 'FAILED'})`,
          );
        }
      }
    } catch (err) {
      if (err instanceof CallError && err.failure.kind === 'denied')
        ctx.gap(`${err.message} (source status unknown)`);
      else throw err;
    }
    const types = [...(options.resourceTypes ?? RESOURCE_TYPES), RECORDER_TYPE];
    await selectAll(
      client,
      cc,
      { expression: selectExpression(types), aggregator: aggregator.name },
      (batch) => {
        const resources: ConfigItem[] = [];
        for (const item of batch) {
          if (item.resourceType !== RECORDER_TYPE) {
            resources.push(item);
            continue;
          }
          const recorder = ConfigurationRecorderConfiguration.safeParse(lowerKeys(item.configuration));
          if (recorder.success && recorder.data.recording === false) {
            ctx.gap(`${item.region}: configuration recorder not recording (account ${item.accountId})`);
          }
        }
        items.add(resources);
        ctx.progress(`${scope.label}: ${items.size} items`);
      },
    );
  } finally {
    client.destroy();
  }
  // Accounts seen in items but missing from the source list still belong to the scope.
  for (const item of items.sorted()) {
    const a = accounts.get(item.accountId) ?? { accountId: item.accountId, regions: [], rawRef: null };
    if (item.region !== 'global' && !a.regions.includes(item.region)) a.regions.push(item.region);
    accounts.set(item.accountId, a);
  }
  return [...accounts.values()].sort((a, b) => a.accountId.localeCompare(b.accountId));
}

/** Collect one AWS Config scope: several accounts and regions, or one aggregator. */
export async function collectAwsConfig(options: AwsConfigOptions, ctx: CollectContext) {
  const settings: ClientSettings = {
    endpoint: options.endpoint,
    stsEndpoint: options.stsEndpoint,
    timeoutMs: options.timeoutMs,
    maxAttempts: options.maxAttempts,
    env: ctx.env,
    onAttempt: () => ctx.call(),
  };
  const items = new ItemSet();
  let accounts: AccountInScope[];

  if (options.aggregator) {
    try {
      accounts = await collectAggregator(options.aggregator, options, settings, ctx, items);
    } catch (err) {
      if (err instanceof CallError) throw new CollectorError(err.message, err.detail);
      throw err;
    }
  } else {
    const declared = options.accounts ?? [];
    const units = declared.flatMap((account) => account.regions.map((region) => ({ account, region })));
    // One credential provider per account, so a role is assumed once and not once per region.
    const credentials = new Map(
      declared.map((a) => [a.accountId, credentialsFor(a, a.regions[0]!, settings)]),
    );
    const failures: string[] = [];
    await mapLimit(units, options.concurrency, async ({ account, region }) => {
      try {
        await collectAccountRegion(
          account,
          region,
          options,
          settings,
          credentials.get(account.accountId)!,
          ctx,
          items,
        );
      } catch (err) {
        if (!(err instanceof CallError) || ctx.signal.aborted) throw err;
        ctx.gap(err.message);
        failures.push(err.message);
      }
    });
    if (failures.length === units.length) {
      throw new CollectorError(
        failures.length === 1 ? failures[0]! : `nothing collected: ${failures.join('; ')}`,
      );
    }
    accounts = declared.map((a) => ({
      accountId: a.accountId,
      name: a.name,
      regions: a.regions,
      rawRef: null,
    }));
  }

  const entities = normalizeAwsConfig(items.sorted(), accounts, ctx.sourceId);
  ctx.progress(`${items.size} configuration items, ${entities.length} entities`);
  return { entities };
}

export const awsConfigCollector: Collector<AwsConfigOptions> = {
  id: 'aws-config',
  title:
    'AWS Config: S3, KMS, CloudTrail, security groups, RDS, DynamoDB, EBS and IAM across accounts and regions',
  kinds: ['account', 'storage', 'database', 'key', 'audit_log', 'network_rule', 'user', 'role_assignment'],
  options: AwsConfigOptions,
  target: (options) =>
    options.name ??
    (options.aggregator
      ? `aggregator/${options.aggregator.name}`
      : (options.accounts ?? []).map((a) => a.accountId).join('+')),
  collect: collectAwsConfig,
};
