import { randomBytes, randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A local stand-in for AWS Config (JSON 1.1 protocol, dispatch on `X-Amz-Target`) and the one STS
 * call the collector needs (AssumeRole, query protocol). The demo, the tests and the benchmark
 * point the real AWS SDK at it with `endpoint`.
 *
 * Replies are shaped as AWS returns them: advanced-query `Results` are JSON strings, batch items
 * carry `configuration` and every supplementary value as JSON strings, timestamps are epoch seconds,
 * errors are HTTP 400 with `__type`. The caller's account comes from its access key (static keys
 * map to `defaultAccountId`; keys issued by AssumeRole map to the role's account), the region from
 * the SigV4 credential scope. Signatures are not verified.
 */

/** One configuration item as AWS Config stores it; configuration and supplementary values as objects. */
export interface StoredConfigItem {
  version?: string;
  accountId: string;
  awsRegion: string;
  resourceType: string;
  resourceId: string;
  resourceName?: string | null;
  arn?: string | null;
  availabilityZone?: string | null;
  resourceCreationTime?: string | null;
  configurationItemCaptureTime: string;
  configurationItemStatus?: string;
  configurationStateId?: string;
  tags?: Record<string, string>;
  relationships?: Array<{
    resourceType: string;
    resourceId?: string;
    resourceName?: string;
    relationshipName: string;
  }>;
  configuration: unknown;
  supplementaryConfiguration?: Record<string, unknown>;
  /**
   * Not part of the AWS shape, never sent: the region whose recorder records this global resource
   * (awsRegion `global`, e.g. IAM). Without it a global item is served in every region of its account.
   */
  recordedRegion?: string;
}

export interface RecorderState {
  accountId: string;
  region: string;
  name?: string;
  recording: boolean;
  lastStatus?: 'Pending' | 'Success' | 'Failure';
  lastErrorCode?: string;
  lastErrorMessage?: string;
}

/** Which requests a fault applies to; an omitted field matches anything. */
export interface FaultMatch {
  accountId?: string;
  region?: string;
  /** operation name, e.g. SelectResourceConfig */
  action?: string;
}

export interface AwsConfigServerOptions {
  items: StoredConfigItem[];
  /** recorder per account and region; default: one recording recorder wherever items exist */
  recorders?: RecorderState[];
  aggregators?: Array<{ name: string; sources?: AggregatorSource[] }>;
  /** account of callers using static (non-AssumeRole) keys */
  defaultAccountId?: string;
  /** added before every reply, errors included */
  latencyMs?: number;
  /** a token bucket per account and region; over it the caller gets ThrottlingException */
  throttle?: { callsPerSecond: number; burst?: number };
  /** page size cap, at most 100 as in AWS (lower to exercise paging with few items) */
  maxPageSize?: number;
  faults?: {
    denied?: FaultMatch[];
    /** reply 200 with a body that is not JSON */
    malformed?: FaultMatch[];
    /** reply with an advanced-query row that is not JSON */
    malformedResult?: FaultMatch[];
    /** advanced query not offered (UnknownOperationException) */
    unsupported?: FaultMatch[];
    /** throttle the first N Config calls, whatever the bucket says */
    throttleFirst?: number;
    /** BatchGetResourceConfig leaves the last N keys of each of its first `times` replies unprocessed */
    unprocessed?: { keys: number; times: number };
  };
}

export interface AggregatorSource {
  SourceId: string;
  SourceType: 'ACCOUNT' | 'ORGANIZATION';
  AwsRegion: string;
  LastUpdateStatus: 'SUCCEEDED' | 'FAILED' | 'OUTDATED';
  LastErrorCode?: string;
  LastErrorMessage?: string;
}

export interface AwsConfigServerStats {
  /** every request that reached the server, STS included */
  calls: number;
  byAction: Record<string, number>;
  throttled: number;
  denied: number;
  /** configuration items sent in successful replies */
  itemsServed: number;
}

export interface StartedAwsConfigServer {
  url: string;
  port: number;
  stats: AwsConfigServerStats;
  /** requests in order: action, account, region, outcome (ok or the error type) */
  log: Array<{ action: string; accountId: string | null; region: string | null; outcome: string }>;
  close(): Promise<void>;
}

const TARGET_PREFIX = 'StarlingDoveService.';
const MAX_PAGE = 100;
const BATCH_MAX = 100;

class ApiError extends Error {
  constructor(
    readonly type: string,
    message: string,
    readonly status = 400,
  ) {
    super(message);
  }
}

interface Query {
  fields: string[];
  types: string[] | null;
}

/** The subset of advanced-query SQL the collector sends: a field list and an optional resourceType filter. */
export function parseExpression(expression: string): Query {
  const m = /^\s*SELECT\s+(.+?)(?:\s+WHERE\s+(.+?))?\s*$/is.exec(expression);
  if (!m) throw new ApiError('InvalidExpressionException', 'The expression is not a valid SELECT statement.');
  const fields = m[1]!.split(',').map((f) => f.trim());
  if (fields.some((f) => !/^[A-Za-z][A-Za-z0-9.]*$/.test(f))) {
    throw new ApiError('InvalidExpressionException', `Unsupported field list: ${m[1]}`);
  }
  if (!m[2]) return { fields, types: null };
  const inList = /^resourceType\s+IN\s*\(([^)]*)\)$/i.exec(m[2].trim());
  const eq = /^resourceType\s*=\s*'([^']+)'$/i.exec(m[2].trim());
  if (inList) {
    const types = inList[1]!.split(',').map((t) => t.trim().replace(/^'(.*)'$/, '$1'));
    return { fields, types };
  }
  if (eq) return { fields, types: [eq[1]!] };
  throw new ApiError('InvalidExpressionException', `Unsupported WHERE clause: ${m[2]}`);
}

const epoch = (iso: string | null | undefined) => (iso ? Date.parse(iso) / 1000 : undefined);

/** The advanced-query view of an item: nested objects, tags as key/value/tag triples. */
function queryView(item: StoredConfigItem): Record<string, unknown> {
  return {
    version: item.version ?? '1.3',
    accountId: item.accountId,
    awsRegion: item.awsRegion,
    resourceType: item.resourceType,
    resourceId: item.resourceId,
    resourceName: item.resourceName ?? undefined,
    arn: item.arn ?? undefined,
    availabilityZone: item.availabilityZone ?? undefined,
    resourceCreationTime: item.resourceCreationTime ?? undefined,
    configurationItemCaptureTime: item.configurationItemCaptureTime,
    configurationItemStatus: item.configurationItemStatus ?? 'OK',
    configurationStateId: item.configurationStateId ?? '1',
    configuration: item.configuration,
    supplementaryConfiguration: item.supplementaryConfiguration ?? {},
    tags: Object.entries(item.tags ?? {}).map(([key, value]) => ({ key, value, tag: `${key}=${value}` })),
    relationships: item.relationships ?? [],
  };
}

/** The BatchGetResourceConfig view: configuration and supplementary values as JSON strings. */
function baseItemView(item: StoredConfigItem): Record<string, unknown> {
  const supplementary: Record<string, string> = {};
  for (const [k, v] of Object.entries(item.supplementaryConfiguration ?? {})) {
    supplementary[k] = typeof v === 'string' ? v : JSON.stringify(v);
  }
  return {
    version: item.version ?? '1.3',
    accountId: item.accountId,
    configurationItemCaptureTime: epoch(item.configurationItemCaptureTime),
    configurationItemStatus: item.configurationItemStatus ?? 'OK',
    configurationStateId: item.configurationStateId ?? '1',
    arn: item.arn ?? undefined,
    resourceType: item.resourceType,
    resourceId: item.resourceId,
    resourceName: item.resourceName ?? undefined,
    awsRegion: item.awsRegion,
    availabilityZone: item.availabilityZone ?? undefined,
    resourceCreationTime: epoch(item.resourceCreationTime),
    configuration: JSON.stringify(item.configuration),
    supplementaryConfiguration: supplementary,
  };
}

function project(view: Record<string, unknown>, fields: string[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const field of fields) {
    const path = field.split('.');
    let value: unknown = view;
    for (const p of path)
      value = value && typeof value === 'object' ? (value as Record<string, unknown>)[p] : undefined;
    if (value === undefined) continue;
    let target = out;
    path.slice(0, -1).forEach((p) => {
      target[p] ??= {};
      target = target[p] as Record<string, unknown>;
    });
    target[path.at(-1)!] = value;
  }
  return out;
}

interface PageToken {
  q: string;
  offset: number;
}

function encodeToken(t: PageToken): string {
  return Buffer.from(JSON.stringify(t)).toString('base64');
}

function decodeToken(token: unknown, q: string): number {
  if (token === undefined || token === null || token === '') return 0;
  try {
    const t = JSON.parse(Buffer.from(String(token), 'base64').toString('utf8')) as PageToken;
    if (t.q === q && Number.isInteger(t.offset) && t.offset >= 0) return t.offset;
  } catch {
    // fall through
  }
  throw new ApiError('InvalidNextTokenException', 'The specified next token is invalid.');
}

const matches = (
  faults: FaultMatch[] | undefined,
  action: string,
  accountId: string | null,
  region: string | null,
) =>
  (faults ?? []).some(
    (f) =>
      (f.action === undefined || f.action === action) &&
      (f.accountId === undefined || f.accountId === accountId) &&
      (f.region === undefined || f.region === region),
  );

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

/** Start the server on 127.0.0.1 and an ephemeral port. */
export async function startAwsConfigServer(opts: AwsConfigServerOptions): Promise<StartedAwsConfigServer> {
  const maxPage = Math.min(opts.maxPageSize ?? MAX_PAGE, MAX_PAGE);
  const byKey = new Map<string, StoredConfigItem>();
  const byScope = new Map<string, StoredConfigItem[]>();
  const place = (scope: string, item: StoredConfigItem) => {
    byKey.set(`${scope}|${item.resourceType}|${item.resourceId}`, item);
    if (!byScope.has(scope)) byScope.set(scope, []);
    byScope.get(scope)!.push(item);
  };
  const globals = opts.items.filter((i) => i.awsRegion === 'global');
  for (const item of opts.items) {
    if (item.awsRegion !== 'global') place(`${item.accountId}|${item.awsRegion}`, item);
    else if (item.recordedRegion) place(`${item.accountId}|${item.recordedRegion}`, item);
  }
  for (const item of globals.filter((i) => !i.recordedRegion)) {
    const regions = [...byScope.keys()].filter((s) => s.startsWith(`${item.accountId}|`));
    for (const scope of regions) place(scope, item);
  }
  const recorders: RecorderState[] =
    opts.recorders ??
    [...byScope.keys()].map((s) => {
      const [accountId, region] = s.split('|') as [string, string];
      return { accountId, region, recording: true };
    });
  const aggregators = new Map((opts.aggregators ?? []).map((a) => [a.name, a]));
  const issuedKeys = new Map<string, string>();
  const buckets = new Map<string, { tokens: number; at: number }>();
  const stats: AwsConfigServerStats = { calls: 0, byAction: {}, throttled: 0, denied: 0, itemsServed: 0 };
  const log: StartedAwsConfigServer['log'] = [];
  let configCalls = 0;
  let unprocessedLeft = opts.faults?.unprocessed?.times ?? 0;

  const takeToken = (scope: string): boolean => {
    if (!opts.throttle) return true;
    const rate = opts.throttle.callsPerSecond;
    const burst = opts.throttle.burst ?? Math.max(1, Math.round(rate));
    const now = performance.now();
    const b = buckets.get(scope) ?? { tokens: burst, at: now };
    b.tokens = Math.min(burst, b.tokens + ((now - b.at) / 1000) * rate);
    b.at = now;
    buckets.set(scope, b);
    if (b.tokens < 1) return false;
    b.tokens -= 1;
    return true;
  };

  // A paged query filters once; its pages are slices of the cached result. Scope `*` is the
  // aggregator's view: every item once, global ones included.
  const filtered = new Map<string, StoredConfigItem[]>();
  const scopeItems = (scope: string, types: string[] | null) => {
    const key = `${scope}|${types?.join(',') ?? '*'}`;
    let items = filtered.get(key);
    if (!items) {
      const wanted = types === null ? null : new Set(types);
      const all = scope === '*' ? opts.items : (byScope.get(scope) ?? []);
      items = all.filter((i) => wanted === null || wanted.has(i.resourceType));
      filtered.set(key, items);
    }
    return items;
  };

  const selectPage = <T>(items: T[], body: Record<string, unknown>, q: string) => {
    const limit = Number(body.Limit ?? maxPage);
    if (!Number.isInteger(limit) || limit < 0 || limit > MAX_PAGE) {
      throw new ApiError(
        'ValidationException',
        `Value '${body.Limit}' at 'limit' failed to satisfy constraint: Member must have value less than or equal to 100`,
      );
    }
    const size = Math.min(limit === 0 ? maxPage : limit, maxPage);
    const offset = decodeToken(body.NextToken, q);
    const page = items.slice(offset, offset + size);
    const next = offset + size < items.length ? encodeToken({ q, offset: offset + size }) : undefined;
    return { page, next };
  };

  const handlers: Record<
    string,
    (body: Record<string, unknown>, accountId: string, region: string) => unknown
  > = {
    DescribeConfigurationRecorderStatus: (_body, accountId, region) => ({
      ConfigurationRecordersStatus: recorders
        .filter((r) => r.accountId === accountId && r.region === region)
        .map((r) => ({
          arn: `arn:aws:config:${region}:${accountId}:configuration-recorder/${r.name ?? 'default'}/${accountId.slice(-6)}`,
          name: r.name ?? 'default',
          lastStartTime: 1_700_000_000,
          ...(r.recording ? {} : { lastStopTime: 1_730_000_000 }),
          recording: r.recording,
          lastStatus: r.lastStatus ?? (r.recording ? 'SUCCESS' : 'PENDING'),
          ...(r.lastErrorCode
            ? { lastErrorCode: r.lastErrorCode, lastErrorMessage: r.lastErrorMessage }
            : {}),
          lastStatusChangeTime: 1_731_000_000,
        })),
    }),
    SelectResourceConfig: (body, accountId, region) => {
      const expression = String(body.Expression ?? '');
      const query = parseExpression(expression);
      const items = scopeItems(`${accountId}|${region}`, query.types);
      const { page, next } = selectPage(items, body, `${accountId}|${region}|${expression}`);
      stats.itemsServed += page.length;
      return {
        Results: page.map((i) => JSON.stringify(project(queryView(i), query.fields))),
        QueryInfo: { SelectFields: query.fields.map((Name) => ({ Name })) },
        ...(next ? { NextToken: next } : {}),
      };
    },
    SelectAggregateResourceConfig: (body) => {
      const aggregator = aggregators.get(String(body.ConfigurationAggregatorName ?? ''));
      if (!aggregator) {
        throw new ApiError(
          'NoSuchConfigurationAggregatorException',
          'The configuration aggregator does not exist.',
        );
      }
      const expression = String(body.Expression ?? '');
      const query = parseExpression(expression);
      const items = scopeItems('*', query.types);
      const { page, next } = selectPage(items, body, `agg|${aggregator.name}|${expression}`);
      stats.itemsServed += page.length;
      return {
        Results: page.map((i) => JSON.stringify(project(queryView(i), query.fields))),
        QueryInfo: { SelectFields: query.fields.map((Name) => ({ Name })) },
        ...(next ? { NextToken: next } : {}),
      };
    },
    DescribeConfigurationAggregatorSourcesStatus: (body) => {
      const aggregator = aggregators.get(String(body.ConfigurationAggregatorName ?? ''));
      if (!aggregator) {
        throw new ApiError(
          'NoSuchConfigurationAggregatorException',
          'The configuration aggregator does not exist.',
        );
      }
      const sources =
        aggregator.sources ??
        [...byScope.keys()].map((s) => {
          const [accountId, region] = s.split('|') as [string, string];
          return {
            SourceId: accountId,
            SourceType: 'ACCOUNT' as const,
            AwsRegion: region,
            LastUpdateStatus: 'SUCCEEDED' as const,
          };
        });
      const { page, next } = selectPage<AggregatorSource>(
        sources,
        { Limit: body.Limit, NextToken: body.NextToken },
        `src|${aggregator.name}`,
      );
      return {
        AggregatedSourceStatusList: page.map((s) => ({ ...s, LastUpdateTime: 1_731_000_000 })),
        ...(next ? { NextToken: next } : {}),
      };
    },
    ListDiscoveredResources: (body, accountId, region) => {
      const type = String(body.resourceType ?? '');
      if (!/^AWS::\w+::\w+$/.test(type)) {
        throw new ApiError(
          'ValidationException',
          `1 validation error detected: Value '${type}' at 'resourceType' failed to satisfy constraint`,
        );
      }
      const limit = Number(body.limit ?? MAX_PAGE);
      if (!Number.isInteger(limit) || limit < 0 || limit > MAX_PAGE) {
        throw new ApiError(
          'ValidationException',
          "Value at 'limit' failed to satisfy constraint: Member must have value less than or equal to 100",
        );
      }
      const items = scopeItems(`${accountId}|${region}`, [type]);
      const size = Math.min(limit === 0 ? maxPage : limit, maxPage);
      const q = `list|${accountId}|${region}|${type}`;
      const offset = decodeToken(body.nextToken, q);
      const page = items.slice(offset, offset + size);
      return {
        resourceIdentifiers: page.map((i) => ({
          resourceType: i.resourceType,
          resourceId: i.resourceId,
          ...(i.resourceName ? { resourceName: i.resourceName } : {}),
        })),
        ...(offset + size < items.length ? { nextToken: encodeToken({ q, offset: offset + size }) } : {}),
      };
    },
    BatchGetResourceConfig: (body, accountId, region) => {
      const keys = Array.isArray(body.resourceKeys)
        ? (body.resourceKeys as Array<{ resourceType: string; resourceId: string }>)
        : [];
      if (keys.length === 0 || keys.length > BATCH_MAX) {
        throw new ApiError(
          'ValidationException',
          `resourceKeys must hold 1 to ${BATCH_MAX} keys, got ${keys.length}`,
        );
      }
      let processed = keys;
      let unprocessed: typeof keys = [];
      const hold = opts.faults?.unprocessed?.keys ?? 0;
      if (unprocessedLeft > 0 && hold > 0 && keys.length > 0) {
        unprocessedLeft -= 1;
        const cut = Math.max(0, keys.length - hold);
        processed = keys.slice(0, cut);
        unprocessed = keys.slice(cut);
      }
      const found = processed
        .map((k) => byKey.get(`${accountId}|${region}|${k.resourceType}|${k.resourceId}`))
        .filter((i): i is StoredConfigItem => i !== undefined);
      stats.itemsServed += found.length;
      return { baseConfigurationItems: found.map(baseItemView), unprocessedResourceKeys: unprocessed };
    },
  };

  const send = (
    res: ServerResponse,
    status: number,
    body: string,
    contentType: string,
    extra: Record<string, string> = {},
  ) => {
    res.writeHead(status, {
      'content-type': contentType,
      'content-length': Buffer.byteLength(body),
      'x-amzn-requestid': randomUUID(),
      ...extra,
    });
    res.end(body);
  };

  const handleSts = (form: URLSearchParams, res: ServerResponse) => {
    const roleArn = form.get('RoleArn') ?? '';
    const m = /^arn:aws[\w-]*:iam::(\d{12}):role\/(.+)$/.exec(roleArn);
    if (form.get('Action') !== 'AssumeRole' || !m) {
      const xml = `<ErrorResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/"><Error><Type>Sender</Type><Code>ValidationError</Code><Message>unsupported request</Message></Error><RequestId>${randomUUID()}</RequestId></ErrorResponse>`;
      send(res, 400, xml, 'text/xml');
      return 'ValidationError';
    }
    const accessKeyId = `ASIA${randomBytes(8).toString('hex').toUpperCase()}`;
    issuedKeys.set(accessKeyId, m[1]!);
    const session = form.get('RoleSessionName') ?? 'session';
    const expiration = new Date(Date.now() + 3600_000).toISOString();
    const xml = `<AssumeRoleResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/"><AssumeRoleResult><Credentials><AccessKeyId>${accessKeyId}</AccessKeyId><SecretAccessKey>${randomBytes(20).toString('hex')}</SecretAccessKey><SessionToken>${randomBytes(32).toString('base64')}</SessionToken><Expiration>${expiration}</Expiration></Credentials><AssumedRoleUser><AssumedRoleId>AROA${m[1]}:${session}</AssumedRoleId><Arn>arn:aws:sts::${m[1]}:assumed-role/${m[2]}/${session}</Arn></AssumedRoleUser></AssumeRoleResult><ResponseMetadata><RequestId>${randomUUID()}</RequestId></ResponseMetadata></AssumeRoleResponse>`;
    send(res, 200, xml, 'text/xml');
    return 'ok';
  };

  const server = createServer((req, res) => {
    void (async () => {
      const raw = await readBody(req);
      if (opts.latencyMs) await new Promise((r) => setTimeout(r, opts.latencyMs));
      stats.calls += 1;
      const auth = String(req.headers.authorization ?? '');
      const scope = /Credential=([^/]+)\/\d{8}\/([^/]+)\/([^/]+)\//.exec(auth);
      const accessKey = scope?.[1] ?? null;
      const region = scope?.[2] ?? null;
      const service = scope?.[3] ?? null;
      const target = String(req.headers['x-amz-target'] ?? '');

      if (service === 'sts' || (!target && raw.includes('Action='))) {
        stats.byAction.AssumeRole = (stats.byAction.AssumeRole ?? 0) + 1;
        const outcome = handleSts(new URLSearchParams(raw), res);
        log.push({ action: 'AssumeRole', accountId: null, region, outcome });
        return;
      }

      const action = target.startsWith(TARGET_PREFIX) ? target.slice(TARGET_PREFIX.length) : target;
      stats.byAction[action] = (stats.byAction[action] ?? 0) + 1;
      const accountId = accessKey ? (issuedKeys.get(accessKey) ?? opts.defaultAccountId ?? null) : null;
      const reply = (status: number, payload: unknown, outcome: string) => {
        log.push({ action, accountId, region, outcome });
        send(res, status, JSON.stringify(payload), 'application/x-amz-json-1.1');
      };
      const fail = (e: ApiError) => {
        const field = e.type === 'AccessDeniedException' ? 'Message' : 'message';
        reply(e.status, { __type: e.type, [field]: e.message }, e.type);
      };

      try {
        if (!accessKey || !region)
          throw new ApiError('MissingAuthenticationTokenException', 'Missing Authentication Token', 403);
        if (!accountId)
          throw new ApiError(
            'UnrecognizedClientException',
            'The security token included in the request is invalid.',
          );
        configCalls += 1;
        if (configCalls <= (opts.faults?.throttleFirst ?? 0) || !takeToken(`${accountId}|${region}`)) {
          stats.throttled += 1;
          throw new ApiError('ThrottlingException', 'Rate exceeded');
        }
        if (matches(opts.faults?.denied, action, accountId, region)) {
          stats.denied += 1;
          throw new ApiError(
            'AccessDeniedException',
            `User: arn:aws:sts::${accountId}:assumed-role/PlantproofAudit/plantproof is not authorized to perform: config:${action} on resource: arn:aws:config:${region}:${accountId}:* because no identity-based policy allows the config:${action} action`,
          );
        }
        if (matches(opts.faults?.unsupported, action, accountId, region)) {
          throw new ApiError(
            'UnknownOperationException',
            `The operation ${action} is not available in ${region}.`,
          );
        }
        if (matches(opts.faults?.malformed, action, accountId, region)) {
          log.push({ action, accountId, region, outcome: 'malformed' });
          send(
            res,
            200,
            '<html><body>502 Bad Gateway</body></html>{"Results":[',
            'application/x-amz-json-1.1',
          );
          return;
        }
        const handler = handlers[action];
        if (!handler) throw new ApiError('UnknownOperationException', `Unknown operation ${target}`);
        let body: Record<string, unknown>;
        try {
          body = raw ? (JSON.parse(raw) as Record<string, unknown>) : {};
        } catch {
          throw new ApiError('SerializationException', 'Malformed request body');
        }
        const out = handler(body, accountId, region) as Record<string, unknown>;
        if (matches(opts.faults?.malformedResult, action, accountId, region) && Array.isArray(out.Results)) {
          out.Results = [
            ...(out.Results as string[]).slice(0, 1),
            '{"resourceType": "AWS::S3::Bucket", "resourceId": ',
          ];
        }
        reply(200, out, 'ok');
      } catch (err) {
        if (err instanceof ApiError) fail(err);
        else fail(new ApiError('InternalFailure', String(err), 500));
      }
    })();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    stats,
    log,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((err) => (err ? reject(err) : resolve()));
      }),
  };
}
