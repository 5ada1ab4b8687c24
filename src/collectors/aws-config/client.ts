import type { ConfigServiceClientConfig } from '@aws-sdk/client-config-service';
import {
  BatchGetResourceConfigCommand,
  ConfigServiceClient,
  DescribeConfigurationAggregatorSourcesStatusCommand,
  DescribeConfigurationRecorderStatusCommand,
  ListDiscoveredResourcesCommand,
  type ListDiscoveredResourcesCommandOutput,
  type ResourceKey,
  SelectAggregateResourceConfigCommand,
  SelectResourceConfigCommand,
} from '@aws-sdk/client-config-service';
import { fromNodeProviderChain, fromTemporaryCredentials } from '@aws-sdk/credential-providers';
import { CollectorError, errorMessage } from '../../errors.js';
import { BaseItem, decodeJsonish, SelectRow } from './schema.js';

/** One configuration item, whichever API it came from; nested JSON decoded, tags as a map. */
export interface ConfigItem {
  resourceType: string;
  resourceId: string;
  resourceName: string | null;
  accountId: string;
  region: string;
  arn: string | null;
  captureTime: string | null;
  status: string | null;
  configuration: unknown;
  supplementary: Record<string, unknown>;
  tags: Record<string, string>;
  /** key of the raw payload (one reply page) this item was read from */
  rawRef: string;
}

type Credentials = NonNullable<ConfigServiceClientConfig['credentials']>;
type Plugin = Parameters<ConfigServiceClient['middlewareStack']['use']>[0];

/** The fields every advanced query selects explicitly. */
export const SELECT_FIELDS = [
  'resourceId',
  'resourceName',
  'resourceType',
  'accountId',
  'awsRegion',
  'arn',
  'configurationItemCaptureTime',
  'configurationItemStatus',
  'configuration',
  'supplementaryConfiguration',
  'tags',
  'relationships',
] as const;

export function selectExpression(types: readonly string[]): string {
  return `SELECT ${SELECT_FIELDS.join(', ')} WHERE resourceType IN (${types.map((t) => `'${t}'`).join(', ')})`;
}

/** AWS Config's page and batch sizes (the API maximum). */
export const PAGE_SIZE = 100;
export const BATCH_SIZE = 100;

const THROTTLING = new Set([
  'ThrottlingException',
  'Throttling',
  'TooManyRequestsException',
  'RequestLimitExceeded',
  'LimitExceededException',
]);
const DENIED = new Set([
  'AccessDeniedException',
  'AccessDenied',
  'UnauthorizedOperation',
  'OrganizationAccessDeniedException',
]);
const UNSUPPORTED = new Set([
  'UnknownOperationException',
  'UnsupportedOperationException',
  'InvalidAction',
  'NotImplemented',
]);

export type FailureKind =
  | 'denied'
  | 'throttled'
  | 'unsupported'
  | 'malformed'
  | 'timeout'
  | 'credentials'
  | 'other';

/** What went wrong with one call, in words an operator can act on. */
export interface CallFailure {
  kind: FailureKind;
  /** the IAM action that was denied, for `denied` */
  permission: string | null;
  message: string;
}

export interface Scope {
  /** `account 111111111111 in eu-central-1`, or `aggregator org in eu-central-1` */
  label: string;
  accountId: string | null;
  region: string;
}

export function describeFailure(
  err: unknown,
  action: string,
  scope: Scope,
  opts: { timeoutMs: number; maxAttempts: number },
): CallFailure {
  const e = err as { name?: string; message?: string; $metadata?: { attempts?: number } };
  const name = e?.name ?? '';
  const message = e?.message ?? errorMessage(err);
  if (DENIED.has(name)) {
    const permission =
      /not authorized to perform:?\s+([a-z0-9-]+:[A-Za-z0-9]+)/.exec(message)?.[1] ?? `config:${action}`;
    const where = scope.accountId
      ? `for account ${scope.accountId} in ${scope.region}`
      : `for ${scope.label}`;
    return { kind: 'denied', permission, message: `${permission} denied ${where}` };
  }
  if (THROTTLING.has(name)) {
    const attempts = e.$metadata?.attempts ?? opts.maxAttempts;
    return {
      kind: 'throttled',
      permission: null,
      message: `${scope.label}: ${action} still throttled after ${attempts} attempts (${name})`,
    };
  }
  if (UNSUPPORTED.has(name)) {
    return {
      kind: 'unsupported',
      permission: null,
      message: `${scope.label}: ${action} is not offered (${name})`,
    };
  }
  if (name === 'CredentialsProviderError' || /credential/i.test(name)) {
    return {
      kind: 'credentials',
      permission: null,
      message: `${scope.label}: no usable AWS credentials (${message})`,
    };
  }
  if (
    name === 'TimeoutError' ||
    name === 'RequestTimeout' ||
    /timed? ?out|ETIMEDOUT|socket hang up/i.test(message)
  ) {
    return {
      kind: 'timeout',
      permission: null,
      message: `${scope.label}: ${action} timed out (no reply within ${opts.timeoutMs} ms)`,
    };
  }
  if (
    name === 'SyntaxError' ||
    name === 'MalformedReply' ||
    /Deserialization error|Unexpected token|JSON/.test(message)
  ) {
    return {
      kind: 'malformed',
      permission: null,
      message: `${scope.label}: AWS Config sent a malformed reply to ${action} (${message.split('\n')[0]})`,
    };
  }
  return {
    kind: 'other',
    permission: null,
    message: `${scope.label}: ${action} failed: ${name ? `${name}: ` : ''}${message}`,
  };
}

export class CallError extends CollectorError {
  constructor(readonly failure: CallFailure) {
    super(failure.message, { permission: failure.permission ?? undefined });
  }
}

export interface ClientSettings {
  endpoint?: string;
  stsEndpoint?: string;
  timeoutMs: number;
  maxAttempts: number;
  env: NodeJS.ProcessEnv;
  /** called for every HTTP attempt, retries included, with the operation and its outcome */
  onAttempt: (operation: string, outcome: string) => void;
}

export interface Access {
  roleArn?: string;
  externalId?: string;
  profile?: string;
}

/** Counts every attempt (the retry middleware sits outside the deserialize step). */
function attemptCounter(onAttempt: ClientSettings['onAttempt']): Plugin {
  return {
    applyToStack(stack) {
      stack.add(
        (next, context) => async (args) => {
          const op = String((context as { commandName?: string }).commandName ?? 'call').replace(
            /Command$/,
            '',
          );
          try {
            const out = await next(args);
            onAttempt(op, 'ok');
            return out;
          } catch (err) {
            onAttempt(op, (err as { name?: string })?.name ?? 'error');
            throw err;
          }
        },
        { step: 'deserialize', priority: 'high', name: 'plantproofAttemptCounter' },
      );
    },
  };
}

/**
 * Credentials: a named profile, else static keys from the collector's environment, else the SDK's
 * default chain (SSO, web identity for GitHub Actions OIDC, container and instance roles); then
 * AssumeRole into roleArn when one is given.
 */
export function credentialsFor(access: Access, region: string, settings: ClientSettings): Credentials {
  const env = settings.env;
  const files = { filepath: env.AWS_SHARED_CREDENTIALS_FILE, configFilepath: env.AWS_CONFIG_FILE };
  let base: Credentials;
  if (access.profile) base = fromNodeProviderChain({ profile: access.profile, ...files });
  else if (env.AWS_ACCESS_KEY_ID && env.AWS_SECRET_ACCESS_KEY && !env.AWS_PROFILE) {
    base = {
      accessKeyId: env.AWS_ACCESS_KEY_ID,
      secretAccessKey: env.AWS_SECRET_ACCESS_KEY,
      ...(env.AWS_SESSION_TOKEN ? { sessionToken: env.AWS_SESSION_TOKEN } : {}),
    };
  } else base = fromNodeProviderChain({ profile: env.AWS_PROFILE, ...files });
  if (!access.roleArn) return base;
  return shared(
    fromTemporaryCredentials({
      masterCredentials: base,
      params: {
        RoleArn: access.roleArn,
        RoleSessionName: 'plantproof',
        DurationSeconds: 3600,
        ...(access.externalId ? { ExternalId: access.externalId } : {}),
      },
      clientConfig: {
        region,
        maxAttempts: settings.maxAttempts,
        ...(settings.stsEndpoint ? { endpoint: settings.stsEndpoint } : {}),
      },
      clientPlugins: [attemptCounter(settings.onAttempt)],
    }),
  );
}

type Identity = Awaited<ReturnType<Exclude<Credentials, { accessKeyId: string }>>>;

/** One AssumeRole for every region of an account, also when they ask at once; renewed near expiry. */
function shared(provider: () => Promise<Identity>): () => Promise<Identity> {
  let pending: Promise<Identity> | null = null;
  return async () => {
    const current = pending;
    if (current) {
      const identity = await current.catch(() => null);
      if (identity && (!identity.expiration || identity.expiration.getTime() - Date.now() > 300_000))
        return identity;
      if (pending !== current) return pending!;
    }
    pending = provider();
    return pending;
  };
}

export function createConfigClient(
  region: string,
  credentials: Credentials,
  settings: ClientSettings,
): ConfigServiceClient {
  const client = new ConfigServiceClient({
    region,
    credentials,
    retryMode: 'adaptive',
    maxAttempts: settings.maxAttempts,
    requestHandler: {
      requestTimeout: settings.timeoutMs,
      connectionTimeout: Math.min(settings.timeoutMs, 10_000),
      throwOnRequestTimeout: true,
    },
    ...(settings.endpoint ? { endpoint: settings.endpoint } : {}),
  });
  client.middlewareStack.use(attemptCounter(settings.onAttempt));
  return client;
}

/** Run fn over items with at most `limit` at once; results in input order. */
export async function mapLimit<T, R>(
  items: readonly T[],
  limit: number,
  fn: (item: T) => Promise<R>,
): Promise<R[]> {
  const out = new Array<R>(items.length);
  let next = 0;
  const workers = Array.from({ length: Math.min(limit, items.length) }, async () => {
    while (next < items.length) {
      const i = next++;
      out[i] = await fn(items[i]!);
    }
  });
  await Promise.all(workers);
  return out;
}

export interface CallContext {
  scope: Scope;
  signal: AbortSignal;
  settings: Pick<ClientSettings, 'timeoutMs' | 'maxAttempts'>;
  /** keep a reply page; returns its raw ref */
  raw: (api: string, payload: unknown) => string;
}

async function call<T>(cc: CallContext, action: string, send: () => Promise<T>): Promise<T> {
  try {
    return await send();
  } catch (err) {
    if (cc.signal.aborted) throw err;
    throw new CallError(describeFailure(err, action, cc.scope, cc.settings));
  }
}

function stripMetadata<T extends object>(out: T): Omit<T, '$metadata'> {
  const { $metadata: _drop, ...rest } = out as T & { $metadata?: unknown };
  return rest;
}

function malformed(cc: CallContext, action: string, detail: string): CallError {
  return new CallError({
    kind: 'malformed',
    permission: null,
    message: `${cc.scope.label}: AWS Config sent a malformed reply to ${action} (${detail})`,
  });
}

function tagsOf(tags: SelectRow['tags']): Record<string, string> {
  if (!tags) return {};
  if (Array.isArray(tags)) return Object.fromEntries(tags.map((t) => [t.key, t.value ?? '']));
  return Object.fromEntries(Object.entries(tags).map(([k, v]) => [k, v ?? '']));
}

/** Capture times compare as text when the same resource arrives twice, so one format for all. */
function isoTime(value: Date | string | null | undefined): string | null {
  if (value === null || value === undefined) return null;
  const t = value instanceof Date ? value.getTime() : Date.parse(value);
  return Number.isNaN(t) ? null : new Date(t).toISOString();
}

function tagsInConfiguration(configuration: unknown): Record<string, string> {
  const tags = (configuration as { tags?: unknown } | null)?.tags;
  const parsed = SelectRow.shape.tags.safeParse(tags);
  return parsed.success ? tagsOf(parsed.data) : {};
}

function supplementaryOf(value: unknown): Record<string, unknown> {
  const v = decodeJsonish(value);
  if (!v || typeof v !== 'object' || Array.isArray(v)) return {};
  return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, decodeJsonish(x)]));
}

/** Parse one `Results` string of an advanced query. */
export function parseSelectResult(result: string, rawRef: string): ConfigItem | string {
  let json: unknown;
  try {
    json = JSON.parse(result);
  } catch (err) {
    return `a Results entry is not JSON (${errorMessage(err)})`;
  }
  const row = SelectRow.safeParse(json);
  if (!row.success) {
    const issue = row.error.issues[0];
    return `a Results entry lacks ${issue?.path.join('.') || 'fields'} (${issue?.message})`;
  }
  const r = row.data;
  return {
    resourceType: r.resourceType,
    resourceId: r.resourceId,
    resourceName: r.resourceName ?? null,
    accountId: r.accountId,
    region: r.awsRegion,
    arn: r.arn ?? null,
    captureTime: isoTime(r.configurationItemCaptureTime),
    status: r.configurationItemStatus ?? null,
    configuration: decodeJsonish(r.configuration ?? null),
    supplementary: supplementaryOf(r.supplementaryConfiguration),
    tags: tagsOf(r.tags),
    rawRef,
  };
}

export function parseBaseItem(value: unknown, rawRef: string): ConfigItem | string {
  const parsed = BaseItem.safeParse(value);
  if (!parsed.success)
    return `a configuration item lacks ${parsed.error.issues[0]?.path.join('.') || 'fields'}`;
  const b = parsed.data;
  const configuration = decodeJsonish(b.configuration ?? null);
  const capture = b.configurationItemCaptureTime;
  return {
    resourceType: b.resourceType,
    resourceId: b.resourceId,
    resourceName: b.resourceName ?? null,
    accountId: b.accountId,
    region: b.awsRegion,
    arn: b.arn ?? null,
    captureTime: isoTime(capture),
    status: b.configurationItemStatus ?? null,
    configuration,
    supplementary: supplementaryOf(b.supplementaryConfiguration ?? {}),
    // BatchGetResourceConfig carries no tags; many configurations hold them (IAM, EC2) as key/value pairs.
    tags: tagsInConfiguration(configuration),
    rawRef,
  };
}

export interface RecorderStatus {
  name: string;
  recording: boolean;
  lastStatus: string | null;
  lastErrorCode: string | null;
}

export async function describeRecorders(
  client: ConfigServiceClient,
  cc: CallContext,
): Promise<RecorderStatus[]> {
  const action = 'DescribeConfigurationRecorderStatus';
  const out = await call(cc, action, () =>
    client.send(new DescribeConfigurationRecorderStatusCommand({}), { abortSignal: cc.signal }),
  );
  cc.raw(`config:${action} ${cc.scope.accountId}/${cc.scope.region}`, stripMetadata(out));
  if (!Array.isArray(out.ConfigurationRecordersStatus))
    throw malformed(cc, action, 'ConfigurationRecordersStatus is missing');
  return out.ConfigurationRecordersStatus.map((r) => ({
    name: r.name ?? 'default',
    recording: r.recording === true,
    lastStatus: r.lastStatus ?? null,
    lastErrorCode: r.lastErrorCode ?? null,
  }));
}

/** Page through an advanced query (account or aggregator), handing over each page's items. */
export async function selectAll(
  client: ConfigServiceClient,
  cc: CallContext,
  query: { expression: string; aggregator?: string },
  onItems: (items: ConfigItem[]) => void,
): Promise<void> {
  const action = query.aggregator ? 'SelectAggregateResourceConfig' : 'SelectResourceConfig';
  const seenTokens = new Set<string>();
  let token: string | undefined;
  let page = 0;
  do {
    const out = await call(cc, action, () =>
      query.aggregator
        ? client.send(
            new SelectAggregateResourceConfigCommand({
              Expression: query.expression,
              ConfigurationAggregatorName: query.aggregator,
              Limit: PAGE_SIZE,
              NextToken: token,
            }),
            { abortSignal: cc.signal },
          )
        : client.send(
            new SelectResourceConfigCommand({
              Expression: query.expression,
              Limit: PAGE_SIZE,
              NextToken: token,
            }),
            {
              abortSignal: cc.signal,
            },
          ),
    );
    page += 1;
    if (!Array.isArray(out.Results)) throw malformed(cc, action, `page ${page} has no Results list`);
    const ref = cc.raw(`config:${action} ${cc.scope.label} page ${page}`, stripMetadata(out));
    const items: ConfigItem[] = [];
    for (const result of out.Results) {
      const item =
        typeof result === 'string' ? parseSelectResult(result, ref) : 'a Results entry is not a string';
      if (typeof item === 'string') throw malformed(cc, action, `page ${page}: ${item}`);
      items.push(item);
    }
    onItems(items);
    token = out.NextToken || undefined;
    if (token !== undefined) {
      // A token seen before would page forever and duplicate items.
      if (seenTokens.has(token)) throw malformed(cc, action, `page ${page} repeats an earlier NextToken`);
      seenTokens.add(token);
    }
  } while (token !== undefined);
}

/** The fallback: ListDiscoveredResources per type, then BatchGetResourceConfig 100 keys at a time. */
export async function listAndBatchGet(
  client: ConfigServiceClient,
  cc: CallContext,
  types: readonly string[],
  onItems: (items: ConfigItem[]) => void,
  onSkip: (message: string) => void,
): Promise<{ missing: number }> {
  const keys: ResourceKey[] = [];
  for (const resourceType of types) {
    let token: string | undefined;
    const seenTokens = new Set<string>();
    do {
      let out: ListDiscoveredResourcesCommandOutput;
      try {
        out = await call(cc, 'ListDiscoveredResources', () =>
          client.send(
            new ListDiscoveredResourcesCommand({
              resourceType: resourceType as never,
              limit: PAGE_SIZE,
              nextToken: token,
            }),
            {
              abortSignal: cc.signal,
            },
          ),
        );
      } catch (err) {
        // A type the region does not offer has no resources there.
        if (err instanceof CallError && /ValidationException/.test(err.message)) {
          onSkip(`${cc.scope.label}: ${resourceType} is not offered there`);
          break;
        }
        throw err;
      }
      if (!Array.isArray(out.resourceIdentifiers))
        throw malformed(cc, 'ListDiscoveredResources', 'resourceIdentifiers is missing');
      cc.raw(`config:ListDiscoveredResources ${cc.scope.label} ${resourceType}`, stripMetadata(out));
      for (const r of out.resourceIdentifiers) {
        if (r.resourceType && r.resourceId)
          keys.push({ resourceType: r.resourceType, resourceId: r.resourceId });
      }
      token = out.nextToken || undefined;
      if (token !== undefined) {
        if (seenTokens.has(token)) throw malformed(cc, 'ListDiscoveredResources', 'a nextToken repeats');
        seenTokens.add(token);
      }
    } while (token !== undefined);
  }

  let pending = keys;
  let round = 0;
  while (pending.length > 0 && round < cc.settings.maxAttempts) {
    if (round > 0) await new Promise((r) => setTimeout(r, Math.min(200 * 2 ** round, 5_000)));
    round += 1;
    const retry: ResourceKey[] = [];
    for (let i = 0; i < pending.length; i += BATCH_SIZE) {
      const batch = pending.slice(i, i + BATCH_SIZE);
      const out = await call(cc, 'BatchGetResourceConfig', () =>
        client.send(new BatchGetResourceConfigCommand({ resourceKeys: batch }), { abortSignal: cc.signal }),
      );
      if (!Array.isArray(out.baseConfigurationItems))
        throw malformed(cc, 'BatchGetResourceConfig', 'baseConfigurationItems is missing');
      const ref = cc.raw(`config:BatchGetResourceConfig ${cc.scope.label}`, stripMetadata(out));
      const items: ConfigItem[] = [];
      for (const b of out.baseConfigurationItems) {
        const item = parseBaseItem(b, ref);
        if (typeof item === 'string') throw malformed(cc, 'BatchGetResourceConfig', item);
        items.push(item);
      }
      onItems(items);
      retry.push(...(out.unprocessedResourceKeys ?? []));
    }
    pending = retry;
  }
  return { missing: pending.length };
}

export interface AggregatorSourceStatus {
  accountId: string;
  region: string;
  status: string;
  error: string | null;
}

export async function describeAggregatorSources(
  client: ConfigServiceClient,
  cc: CallContext,
  aggregator: string,
): Promise<AggregatorSourceStatus[]> {
  const action = 'DescribeConfigurationAggregatorSourcesStatus';
  const out: AggregatorSourceStatus[] = [];
  let token: string | undefined;
  do {
    const page = await call(cc, action, () =>
      client.send(
        new DescribeConfigurationAggregatorSourcesStatusCommand({
          ConfigurationAggregatorName: aggregator,
          NextToken: token,
          Limit: PAGE_SIZE,
        }),
        {
          abortSignal: cc.signal,
        },
      ),
    );
    if (!Array.isArray(page.AggregatedSourceStatusList))
      throw malformed(cc, action, 'AggregatedSourceStatusList is missing');
    cc.raw(`config:${action} ${aggregator}`, stripMetadata(page));
    for (const s of page.AggregatedSourceStatusList) {
      if (!s.SourceId || !s.AwsRegion) continue;
      out.push({
        accountId: s.SourceId,
        region: s.AwsRegion,
        status: s.LastUpdateStatus ?? 'UNKNOWN',
        error: s.LastErrorCode
          ? `${s.LastErrorCode}${s.LastErrorMessage ? `: ${s.LastErrorMessage}` : ''}`
          : null,
      });
    }
    token = page.NextToken || undefined;
  } while (token !== undefined);
  return out;
}
