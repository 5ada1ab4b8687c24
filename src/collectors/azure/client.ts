import { readFile } from 'node:fs/promises';
import { Agent as HttpAgent } from 'node:http';
import { Agent as HttpsAgent } from 'node:https';
import { resolve } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { rootCertificates } from 'node:tls';
import { ResourceGraphClient, type ResourceGraphModels } from '@azure/arm-resourcegraph';
import { type ResourceGroup, ResourceManagementClient } from '@azure/arm-resources';
import {
  ClientAssertionCredential,
  ClientCertificateCredential,
  ClientSecretCredential,
  DefaultAzureCredential,
  type TokenCredential,
  type TokenCredentialOptions,
} from '@azure/identity';
import { CollectorError } from '../../errors.js';
import type { CollectContext } from '../types.js';
import { ArmPage, ArmSubscription, type AzureOptions, ResourceGraphReply } from './schema.js';

/** api-versions of the Resource Manager reads made outside the SDK's typed operations */
export const API_VERSIONS = {
  subscriptions: '2022-12-01',
  diagnosticSettings: '2021-05-01-preview',
  sqlTransparentDataEncryption: '2021-11-01',
  sqlEncryptionProtector: '2021-11-01',
  keyVaultKeys: '2023-07-01',
  storageManagementPolicy: '2023-05-01',
} as const;

/** Resource Graph takes at most 1000 subscriptions per query, and returns at most 1000 rows a page. */
const GRAPH_SUBSCRIPTIONS_PER_QUERY = 1000;
const GRAPH_PAGE_SIZE = 1000;
/** how often to wait out a Resource Graph 429 that carries no Retry-After the SDK could act on */
const GRAPH_THROTTLE_RETRIES = 3;
const MIN_QUOTA_WAIT_MS = 1000;

/** A Resource Manager or Resource Graph call that failed, with what ARM said about it. */
export class AzureApiError extends Error {
  override readonly name = 'AzureApiError';
  constructor(
    message: string,
    readonly api: string,
    readonly status: number | undefined,
    readonly code: string | undefined,
  ) {
    super(message);
  }

  /** the RBAC action ARM named in an AuthorizationFailed message */
  get action(): string | undefined {
    return /perform action '([^']+)'/.exec(this.message)?.[1];
  }

  /** one line for a gap or source error: code, the missing permission when ARM named one, and the message */
  describe(): string {
    const head = [this.code, this.status ? `HTTP ${this.status}` : undefined].filter(Boolean).join(', ');
    const action = this.action ? `; missing permission ${this.action}` : '';
    return `${head || 'failed'}${action}: ${clip(this.message)}`;
  }
}

/** Sign-in failed: no call can succeed, so the collector gives up at once. */
export class AzureSignInError extends CollectorError {}

export interface GraphQueryResult {
  rows: Record<string, unknown>[];
  /** each page as it came off the wire, for raw evidence */
  pages: ResourceGraphReply[];
  /** what Resource Graph said it had (sum over subscription chunks) */
  totalRecords: number;
  truncated: boolean;
}

export interface AzureClient {
  listSubscriptions(): Promise<{ subscriptions: ArmSubscription[]; pages: unknown[] }>;
  getSubscription(subscriptionId: string): Promise<{ subscription: ArmSubscription; body: unknown }>;
  listResourceGroups(subscriptionId: string): Promise<{ groups: ResourceGroup[]; pages: unknown[] }>;
  /** GET one Resource Manager resource or collection; its parsed JSON body */
  getJson(path: string, apiVersion: string): Promise<unknown>;
  /** GET a Resource Manager collection and every `nextLink` page after it */
  listJson(path: string, apiVersion: string): Promise<{ items: unknown[]; pages: unknown[] }>;
  /** run a Resource Graph query over the given subscriptions, following `$skipToken` to the end */
  queryGraph(query: string, subscriptions: string[]): Promise<GraphQueryResult>;
  close(): void;
}

const clip = (s: string, n = 1000) => {
  const one = s.replace(/\s+/g, ' ').trim();
  return one.length > n ? `${one.slice(0, n)}…` : one;
};

/** A small semaphore: at most `n` promises from `run` in flight. */
export function createLimiter(n: number): <T>(fn: () => Promise<T>) => Promise<T> {
  let active = 0;
  const waiting: Array<() => void> = [];
  return async <T>(fn: () => Promise<T>): Promise<T> => {
    if (active >= n) await new Promise<void>((r) => waiting.push(r));
    active += 1;
    try {
      return await fn();
    } finally {
      active -= 1;
      waiting.shift()?.();
    }
  };
}

/** `hh:mm:ss` (as in x-ms-user-quota-resets-after) → milliseconds */
export function parseResetsAfter(value: string | null | undefined): number | undefined {
  const m = /^(\d+):(\d{2}):(\d{2})(?:\.(\d+))?$/.exec(value?.trim() ?? '');
  if (!m) return undefined;
  const [, h, min, s, frac] = m;
  return (
    ((Number(h) * 60 + Number(min)) * 60 + Number(s)) * 1000 +
    (frac ? Math.round(Number(`0.${frac}`) * 1000) : 0)
  );
}

/**
 * Resource Graph allows a user a few queries per window (15 per 5 s by default) and reports what is
 * left in `x-ms-user-quota-remaining` and when the window resets in `x-ms-user-quota-resets-after`.
 * The pacer holds the next query until the window resets once the quota is spent, so a long
 * paging run slows down instead of collecting 429s.
 */
export class GraphQuotaPacer {
  private notBefore = 0;
  constructor(private readonly clock: () => number = Date.now) {}

  observe(headers: { get(name: string): string | undefined | null }): void {
    const remaining = Number.parseInt(headers.get('x-ms-user-quota-remaining') ?? '', 10);
    const resetsAfter = parseResetsAfter(headers.get('x-ms-user-quota-resets-after'));
    // resets-after has whole seconds: "00:00:00" can still mean most of a second
    if (Number.isFinite(remaining) && remaining <= 0 && resetsAfter !== undefined)
      this.hold(Math.max(resetsAfter, MIN_QUOTA_WAIT_MS));
  }

  /** after a 429: wait as its headers say, and at least `minimumMs` */
  throttled(headers: { get(name: string): string | undefined | null } | undefined, minimumMs: number): void {
    const resetsAfter = parseResetsAfter(headers?.get('x-ms-user-quota-resets-after')) ?? 0;
    const retryAfter = Number(headers?.get('retry-after'));
    this.hold(Math.max(resetsAfter, Number.isFinite(retryAfter) ? retryAfter * 1000 : 0, minimumMs));
  }

  private hold(ms: number): void {
    this.notBefore = Math.max(this.notBefore, this.clock() + ms);
  }

  async ready(signal: AbortSignal): Promise<void> {
    const wait = this.notBefore - this.clock();
    if (wait > 0) await sleep(wait, undefined, { signal });
  }
}

/** RequestOptionsBase of the Resource Graph SDK (the last `resources` overload's second parameter) */
type GraphRequestOptions = Parameters<ResourceGraphClient['resources']>[1];

interface SdkRestError {
  name?: string;
  statusCode?: number;
  code?: string;
  message: string;
  response?: { headers?: { get(name: string): string | undefined | null }; bodyAsText?: string | null };
}

const isSignInError = (err: unknown) =>
  err instanceof Error &&
  [
    'AuthenticationError',
    'AggregateAuthenticationError',
    'CredentialUnavailableError',
    'AuthenticationRequiredError',
  ].includes(err.name);

const isAbort = (err: unknown) => err instanceof Error && err.name === 'AbortError';

/** Turn whatever an SDK call threw into an AzureApiError; sign-in failures and aborts pass through. */
export function toApiError(
  err: unknown,
  api: string,
  call?: { signal: AbortSignal; timeoutMs: number },
): Error {
  // The SDKs report a request's own time limit as an abort too; only the run's signal cancels.
  const aborted = isAbort(err) || (err as SdkRestError | undefined)?.code === 'REQUEST_ABORTED_ERROR';
  if (aborted && call && !call.signal.aborted)
    return new AzureApiError(`no reply within ${call.timeoutMs} ms`, api, undefined, 'Timeout');
  if (err instanceof AzureApiError || err instanceof AzureSignInError || isAbort(err)) return err as Error;
  if (isSignInError(err)) {
    const message = clip((err as Error).message);
    // MSAL reports an unreachable or untrusted sign-in host only by this code.
    const hint = /endpoints_resolution_error/.test(message)
      ? ' (the sign-in endpoint could not be reached or its certificate is not trusted: check authorityHost, the network and caFile)'
      : '';
    return new AzureSignInError(`Azure sign-in failed: ${message}${hint}`);
  }
  const e = err as SdkRestError;
  if (e && typeof e === 'object' && typeof e.message === 'string') {
    let message = e.message;
    if (e.code === 'PARSE_ERROR') {
      const body = e.response?.bodyAsText ?? '';
      message = `the reply is not JSON: ${clip(body || message, 120)}`;
    }
    return new AzureApiError(message, api, e.statusCode, e.code);
  }
  return new AzureApiError(String(err), api, undefined, undefined);
}

/** seconds-since-epoch `exp` of a JWT, if it has one */
function jwtExpiry(token: string): number | undefined {
  try {
    const payload = JSON.parse(Buffer.from(token.split('.')[1] ?? '', 'base64url').toString('utf8')) as {
      exp?: unknown;
    };
    return typeof payload.exp === 'number' ? payload.exp : undefined;
  } catch {
    return undefined;
  }
}

/**
 * The GitHub Actions job's OIDC token for Entra (audience api://AzureADTokenExchange). The credential
 * asks for an assertion on every token request, so the token is reused until a minute before it expires.
 */
export function githubOidcToken(
  requestUrl: string,
  requestToken: string,
  timeoutMs = 30_000,
): () => Promise<string> {
  let cached: { token: string; until: number } | undefined;
  return async () => {
    if (cached && Date.now() < cached.until) return cached.token;
    const url = new URL(requestUrl);
    url.searchParams.set('audience', 'api://AzureADTokenExchange');
    const res = await fetch(url, {
      headers: { authorization: `bearer ${requestToken}` },
      signal: AbortSignal.timeout(timeoutMs),
    });
    if (!res.ok) throw new Error(`GitHub OIDC token request failed: HTTP ${res.status}`);
    const body = (await res.json()) as { value?: unknown };
    if (typeof body.value !== 'string') throw new Error('GitHub OIDC token reply has no value');
    const exp = jwtExpiry(body.value);
    cached = { token: body.value, until: exp ? exp * 1000 - 60_000 : Date.now() + 4 * 60_000 };
    return body.value;
  };
}

/** Pick the credential: explicit options, then the process environment, then DefaultAzureCredential. */
export function createCredential(
  options: AzureOptions,
  env: NodeJS.ProcessEnv,
  common: TokenCredentialOptions,
): TokenCredential {
  const authorityHost = options.authorityHost ?? env.AZURE_AUTHORITY_HOST;
  // A custom authority (Azure Stack, the demo, tests) cannot be validated against Microsoft's list.
  const base = { ...common, authorityHost, disableInstanceDiscovery: options.authorityHost !== undefined };
  const tenantId = options.tenantId ?? env.AZURE_TENANT_ID;
  if (options.clientId && options.clientSecretEnv) {
    const secret = env[options.clientSecretEnv];
    if (!secret)
      throw new CollectorError(
        `environment variable ${options.clientSecretEnv} (clientSecretEnv) is not set`,
      );
    return new ClientSecretCredential(options.tenantId ?? '', options.clientId, secret, base);
  }
  const clientId = env.AZURE_CLIENT_ID;
  if (tenantId && clientId && env.AZURE_CLIENT_SECRET)
    return new ClientSecretCredential(tenantId, clientId, env.AZURE_CLIENT_SECRET, base);
  if (tenantId && clientId && env.AZURE_CLIENT_CERTIFICATE_PATH)
    return new ClientCertificateCredential(
      tenantId,
      clientId,
      {
        certificatePath: env.AZURE_CLIENT_CERTIFICATE_PATH,
        certificatePassword: env.AZURE_CLIENT_CERTIFICATE_PASSWORD,
      },
      base,
    );
  // GitHub Actions with `permissions: id-token: write`: trade the job's OIDC token for an Entra token
  // (workload identity federation) without azure/login or a stored secret.
  const ghUrl = env.ACTIONS_ID_TOKEN_REQUEST_URL;
  const ghToken = env.ACTIONS_ID_TOKEN_REQUEST_TOKEN;
  if (tenantId && clientId && ghUrl && ghToken && !env.AZURE_FEDERATED_TOKEN_FILE) {
    return new ClientAssertionCredential(
      tenantId,
      clientId,
      githubOidcToken(ghUrl, ghToken, options.timeoutMs),
      base,
    );
  }
  // Workload identity (AZURE_FEDERATED_TOKEN_FILE), managed identity, Azure CLI (e.g. after
  // azure/login), Azure Developer CLI, Azure PowerShell.
  return new DefaultAzureCredential({
    ...base,
    tenantId,
    ...(clientId ? { managedIdentityClientId: clientId, workloadIdentityClientId: clientId } : {}),
  });
}

/** Always ask for a token for this cloud's Resource Manager, whatever scope a client computes. */
function scopedTo(credential: TokenCredential, scope: string): TokenCredential {
  // Non-CAE tokens throughout: the Resource Graph SDK cannot answer a CAE claims challenge, and one
  // kind of token means one sign-in for every client.
  return { getToken: (_scopes, options) => credential.getToken(scope, { ...options, enableCae: false }) };
}

export async function createAzureClient(
  options: AzureOptions,
  ctx: Pick<CollectContext, 'configDir' | 'env' | 'signal' | 'call'>,
): Promise<AzureClient> {
  const endpoint = options.endpoint.replace(/\/+$/, '');
  const scope = `${endpoint}/.default`;
  const timeout = options.timeoutMs;
  const signal = ctx.signal;
  const call = { signal, timeoutMs: timeout };

  let httpsAgent: HttpsAgent | undefined;
  if (options.caFile) {
    const file = resolve(ctx.configDir, options.caFile);
    let pem: string;
    try {
      pem = await readFile(file, 'utf8');
    } catch (err) {
      throw new CollectorError(
        `cannot read caFile ${file}: ${(err as NodeJS.ErrnoException).code ?? String(err)}`,
      );
    }
    // `ca` replaces Node's trust store for this agent, so keep the public roots beside the extra CA.
    httpsAgent = new HttpsAgent({ keepAlive: true, ca: [...rootCertificates, pem] });
  }
  const agentOption = httpsAgent ? { agent: httpsAgent } : {};
  const credential = scopedTo(createCredential(options, ctx.env, { ...agentOption }), scope);

  const counter = {
    name: 'plantproofApiCallCounter',
    sendRequest: (request: never, next: (r: never) => Promise<never>) => {
      ctx.call();
      return next(request);
    },
  };
  const armClients = new Map<string, ResourceManagementClient>();
  const arm = (subscriptionId?: string) => {
    const key = subscriptionId ?? '';
    let client = armClients.get(key);
    if (!client) {
      const opts = { endpoint, $host: endpoint, credentialScopes: scope, ...agentOption };
      client = subscriptionId
        ? new ResourceManagementClient(credential, subscriptionId, opts)
        : new ResourceManagementClient(credential, opts);
      // after the retry policy, so every request on the wire counts, retries included
      client.pipeline.addPolicy(counter as never, { afterPhase: 'Retry' });
      armClients.set(key, client);
    }
    return client;
  };

  const graph = new ResourceGraphClient(credential, {
    baseUri: endpoint,
    ...(httpsAgent ? { agentSettings: { http: new HttpAgent(), https: httpsAgent } } : {}),
    requestPolicyFactories: (defaults) => [
      ...defaults,
      {
        create: (next) => ({
          sendRequest: (request) => {
            ctx.call();
            return next.sendRequest(request);
          },
        }),
      },
    ],
  });
  const pacer = new GraphQuotaPacer();
  const limit = createLimiter(options.concurrency);

  const relative = (path: string) => path.replace(/^\/+/, '');

  const getJson = async (path: string, apiVersion: string): Promise<unknown> => {
    let text: string | undefined;
    try {
      await arm().resources.getById(relative(path), apiVersion, {
        abortSignal: signal,
        requestOptions: { timeout },
        onResponse: (raw) => {
          text = raw.bodyAsText ?? undefined;
        },
      });
    } catch (err) {
      throw toApiError(err, `GET ${path}`, call);
    }
    try {
      return JSON.parse(text ?? '');
    } catch {
      throw new AzureApiError(
        `the reply is not JSON: ${clip(text ?? '', 120)}`,
        `GET ${path}`,
        200,
        'PARSE_ERROR',
      );
    }
  };

  const listJson = async (path: string, apiVersion: string) => {
    const items: unknown[] = [];
    const pages: unknown[] = [];
    let next: string | undefined = relative(path);
    const origin = new URL(endpoint).origin;
    while (next) {
      const body = await getJson(next, apiVersion);
      const page = ArmPage.safeParse(body);
      if (!page.success)
        throw new AzureApiError(
          `the reply is not a Resource Manager list`,
          `GET ${path}`,
          200,
          'UNEXPECTED_SHAPE',
        );
      pages.push(body);
      items.push(...page.data.value);
      next = undefined;
      if (page.data.nextLink) {
        const url = new URL(page.data.nextLink, `${endpoint}/`);
        // never send the bearer token anywhere but this cloud's Resource Manager
        if (url.origin !== origin)
          throw new AzureApiError(
            `nextLink leaves ${origin}: ${url.origin}`,
            `GET ${path}`,
            200,
            'UNEXPECTED_SHAPE',
          );
        next = relative(`${url.pathname}${url.search}`);
      }
    }
    return { items, pages };
  };

  const queryChunk = async (query: string, subscriptions: string[], into: GraphQueryResult) => {
    let skipToken: string | undefined;
    let firstPage = true;
    const api = 'POST /providers/Microsoft.ResourceGraph/resources';
    for (;;) {
      let reply: ResourceGraphModels.ResourcesResponse;
      for (let attempt = 0; ; attempt++) {
        await pacer.ready(signal);
        try {
          reply = await graph.resources(
            {
              query,
              subscriptions,
              options: {
                resultFormat: 'objectArray',
                top: GRAPH_PAGE_SIZE,
                ...(skipToken ? { skipToken } : {}),
              },
            },
            { abortSignal: signal, timeout } as GraphRequestOptions,
          );
          break;
        } catch (err) {
          const e = err as SdkRestError;
          // The SDK already waited out any Retry-After; Resource Graph may throttle with only its quota headers.
          if (e?.statusCode === 429 && attempt < GRAPH_THROTTLE_RETRIES) {
            pacer.throttled(e.response?.headers, 1000 * 2 ** attempt);
            continue;
          }
          const apiError = toApiError(err, api, call);
          if (apiError instanceof AzureApiError && apiError.status === 429)
            throw new AzureApiError(
              `still throttled after retries: ${apiError.message}`,
              api,
              429,
              apiError.code,
            );
          throw apiError;
        }
      }
      pacer.observe(reply._response.headers);
      let body: unknown;
      try {
        body = JSON.parse(reply._response.bodyAsText ?? '');
      } catch {
        throw new AzureApiError(
          `Resource Graph reply is not JSON: ${clip(reply._response.bodyAsText ?? '', 120)}`,
          api,
          reply._response.status,
          'PARSE_ERROR',
        );
      }
      const page = ResourceGraphReply.safeParse(body);
      if (!page.success)
        throw new AzureApiError(
          `Resource Graph reply is not a query result (${page.error.issues[0]?.path.join('.') || 'body'}: ${page.error.issues[0]?.message}): ${clip(JSON.stringify(body), 120)}`,
          api,
          reply._response.status,
          'UNEXPECTED_SHAPE',
        );
      into.pages.push(page.data);
      into.rows.push(...page.data.data);
      if (firstPage) into.totalRecords += page.data.totalRecords;
      firstPage = false;
      skipToken = page.data.$skipToken ?? undefined;
      if (!skipToken) {
        if (page.data.resultTruncated === 'true') into.truncated = true;
        return;
      }
    }
  };

  return {
    async listSubscriptions() {
      const { items, pages } = await limit(() => listJson('/subscriptions', API_VERSIONS.subscriptions));
      const subscriptions: ArmSubscription[] = [];
      for (const item of items) {
        const s = ArmSubscription.safeParse(item);
        if (!s.success)
          throw new AzureApiError(
            'the subscription list has an entry without an id',
            'GET /subscriptions',
            200,
            'UNEXPECTED_SHAPE',
          );
        subscriptions.push(s.data);
      }
      return { subscriptions, pages };
    },
    async getSubscription(subscriptionId) {
      const path = `/subscriptions/${subscriptionId}`;
      const body = await limit(() => getJson(path, API_VERSIONS.subscriptions));
      const s = ArmSubscription.safeParse(body);
      if (!s.success)
        throw new AzureApiError('the reply is not a subscription', `GET ${path}`, 200, 'UNEXPECTED_SHAPE');
      return { subscription: s.data, body };
    },
    async listResourceGroups(subscriptionId) {
      const api = `GET /subscriptions/${subscriptionId}/resourcegroups`;
      return limit(async () => {
        const groups: ResourceGroup[] = [];
        const pages: unknown[] = [];
        try {
          const iterator = arm(subscriptionId).resourceGroups.list({
            abortSignal: signal,
            requestOptions: { timeout },
            // every page as it came off the wire, for the raw evidence
            onResponse: (raw) => {
              pages.push(JSON.parse(raw.bodyAsText ?? 'null'));
            },
          });
          for await (const g of iterator) groups.push(g);
        } catch (err) {
          throw toApiError(err, api, call);
        }
        return { groups, pages };
      });
    },
    getJson: (path, apiVersion) => limit(() => getJson(path, apiVersion)),
    listJson: (path, apiVersion) => limit(() => listJson(path, apiVersion)),
    async queryGraph(query, subscriptions) {
      const result: GraphQueryResult = { rows: [], pages: [], totalRecords: 0, truncated: false };
      // Resource Graph queries run one after another: its quota is per user, not per connection.
      for (let i = 0; i < subscriptions.length; i += GRAPH_SUBSCRIPTIONS_PER_QUERY)
        await queryChunk(query, subscriptions.slice(i, i + GRAPH_SUBSCRIPTIONS_PER_QUERY), result);
      return result;
    },
    close() {
      httpsAgent?.destroy();
    },
  };
}
