import { request as httpRequest, type IncomingMessage } from 'node:http';
import { type Agent as HttpsAgent, request as httpsRequest } from 'node:https';
import { rootCertificates } from 'node:tls';
import {
  ClientAssertionCredential,
  ClientSecretCredential,
  DefaultAzureCredential,
  type TokenCredential,
  WorkloadIdentityCredential,
} from '@azure/identity';
import {
  Client,
  type Context,
  GraphError,
  type Middleware,
  ResponseType,
  RetryHandler,
  RetryHandlerOptions,
} from '@microsoft/microsoft-graph-client';
import { CollectorError, errorMessage } from '../../errors.js';
import { KeptAliveConnection } from '../idp-shared.js';
import type { EntraOptions } from './schema.js';

/**
 * Microsoft Graph through the Graph SDK: its request builder, its RetryHandler (429/503/504,
 * honouring Retry-After) and its error parsing. Around it, three small middlewares of our own:
 * a bearer token from an @azure/identity credential, a check that every reply is JSON (so a
 * garbled reply fails with a clear message instead of a parser error), and the transport, which
 * trusts an extra CA, counts calls and stops on the run's abort signal. `@odata.nextLink` pages
 * are followed only on the configured Graph host, so a token never goes anywhere else.
 */

/** A failed Graph request, with Graph's error code. */
export class GraphRequestError extends CollectorError {
  constructor(
    message: string,
    readonly status: number | null,
    readonly code: string | null,
    readonly api: string,
  ) {
    super(message, { api, status: status ?? undefined });
  }
}

/** Graph's code when a feature needs a premium (Entra ID P1/P2) licence the tenant does not have. */
export const LICENCE_CODES = new Set([
  'authentication_requestfromnonpremiumtenantorb2ctenant',
  'aadpremiumlicenserequired',
]);

export const isLicenceError = (err: unknown): boolean =>
  err instanceof GraphRequestError && LICENCE_CODES.has((err.code ?? '').toLowerCase());

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** `/v1.0/groups/3f2…/transitiveMembers?$select=id` → `GET /v1.0/groups/{id}/transitiveMembers` */
export function apiOf(url: string, method = 'GET'): string {
  const path = new URL(url, 'https://graph.invalid').pathname;
  return `${method} ${path
    .split('/')
    .map((p) => (GUID.test(p) ? '{id}' : p))
    .join('/')}`;
}

class TokenMiddleware implements Middleware {
  private next?: Middleware;
  constructor(
    private readonly credential: TokenCredential,
    private readonly scope: string,
    private readonly signal: AbortSignal,
  ) {}
  setNext(next: Middleware): void {
    this.next = next;
  }
  async execute(context: Context): Promise<void> {
    let token: string;
    try {
      const t = await this.credential.getToken(this.scope, { abortSignal: this.signal });
      if (!t?.token) throw new Error('the credential returned no token');
      token = t.token;
    } catch (err) {
      throw named('EntraTokenError', `could not get a Microsoft Graph token: ${errorMessage(err)}`);
    }
    context.options ??= {};
    const options = context.options;
    const headers = new Headers(options.headers as ConstructorParameters<typeof Headers>[0]);
    headers.set('Authorization', `Bearer ${token}`);
    options.headers = Object.fromEntries(headers.entries());
    await this.next?.execute(context);
  }
}

/** After retries are done: a reply that is not JSON is an error worth a clear message. */
class JsonReplyMiddleware implements Middleware {
  private next?: Middleware;
  setNext(next: Middleware): void {
    this.next = next;
  }
  async execute(context: Context): Promise<void> {
    await this.next?.execute(context);
    const res = context.response;
    if (!res || res.status === 204) return;
    const text = await res.clone().text();
    try {
      JSON.parse(text);
    } catch {
      const url = typeof context.request === 'string' ? context.request : context.request.url;
      const snippet = text.replace(/\s+/g, ' ').trim().slice(0, 80);
      throw named(
        'EntraNotJson',
        `Microsoft Graph ${apiOf(url)} answered HTTP ${res.status} with a reply that is not JSON (${res.headers.get('content-type') ?? 'no content type'}): "${snippet}"`,
      );
    }
  }
}

class TransportMiddleware implements Middleware {
  constructor(
    private readonly agent: HttpsAgent | undefined,
    private readonly signal: AbortSignal,
    private readonly onRequest: () => void,
    private readonly onWait: (message: string) => void,
  ) {}
  async execute(context: Context): Promise<void> {
    const url = new URL(typeof context.request === 'string' ? context.request : context.request.url);
    const options = context.options ?? {};
    const headers = Object.fromEntries(
      new Headers(options.headers as ConstructorParameters<typeof Headers>[0]).entries(),
    );
    const method = (options.method ?? 'GET').toUpperCase();
    this.signal.throwIfAborted();
    this.onRequest();
    const res = await new Promise<IncomingMessage>((resolve, reject) => {
      const send = url.protocol === 'https:' ? httpsRequest : httpRequest;
      const req = send(
        url,
        { method, headers, agent: url.protocol === 'https:' ? this.agent : undefined, signal: this.signal },
        resolve,
      );
      req.on('error', reject);
      req.end(typeof options.body === 'string' ? options.body : undefined);
    });
    const chunks: Buffer[] = [];
    for await (const chunk of res) chunks.push(chunk as Buffer);
    const status = res.statusCode ?? 0;
    const responseHeaders = new Headers();
    for (const [k, v] of Object.entries(res.headers)) {
      for (const value of Array.isArray(v) ? v : v === undefined ? [] : [v]) responseHeaders.append(k, value);
    }
    if (status === 429 || status === 503 || status === 504) {
      const after = responseHeaders.get('retry-after');
      this.onWait(
        `HTTP ${status} on ${apiOf(url.toString())}${after ? `: Graph asks to retry after ${after}s` : ''}`,
      );
    }
    const body = status === 204 || status === 304 ? null : Buffer.concat(chunks);
    context.response = new Response(body, { status, headers: responseHeaders });
  }
}

function named(name: string, message: string): Error {
  const err = new Error(message);
  err.name = name;
  return err;
}

export interface GraphClientOptions {
  graphUrl: string;
  credential: TokenCredential;
  ca?: string;
  maxRetries: number;
  signal: AbortSignal;
  onRequest: () => void;
  onWait: (message: string) => void;
}

export interface GraphPage {
  url: string;
  body: { value: unknown[]; '@odata.nextLink'?: string | null } & Record<string, unknown>;
}

export class GraphClient extends KeptAliveConnection {
  private readonly sdk: Client;

  constructor(private readonly opts: GraphClientOptions) {
    super(opts.graphUrl, opts.ca);
    const retry = new RetryHandler(new RetryHandlerOptions(3, opts.maxRetries));
    const chain: Middleware[] = [
      new TokenMiddleware(opts.credential, `${this.origin}/.default`, opts.signal),
      new JsonReplyMiddleware(),
      retry,
      new TransportMiddleware(this.agent, opts.signal, opts.onRequest, opts.onWait),
    ];
    this.sdk = Client.initWithMiddleware({ middleware: chain, baseUrl: this.origin, defaultVersion: 'v1.0' });
  }

  /** One GET: a path like `/v1.0/users?$select=id` or an absolute link on the Graph host. */
  async get(pathOrUrl: string): Promise<unknown> {
    const url = new URL(pathOrUrl, this.origin);
    if (url.origin !== this.origin) {
      throw new GraphRequestError(
        `Microsoft Graph sent a link to another host (${url.host}); refusing to follow it with the tenant's token`,
        null,
        null,
        apiOf(pathOrUrl),
      );
    }
    const [, version, ...rest] = url.pathname.split('/');
    const api = apiOf(url.toString());
    try {
      return await this.sdk
        .api(`/${rest.join('/')}${url.search}`)
        .version(version ?? 'v1.0')
        .responseType(ResponseType.JSON)
        .get();
    } catch (err) {
      throw this.describe(err, api);
    }
  }

  /** Every page of a collection, following `@odata.nextLink`. */
  async *pages(path: string): AsyncGenerator<GraphPage> {
    const seen = new Set<string>();
    let next: string | null = path;
    while (next) {
      if (seen.has(next))
        throw new GraphRequestError(`Microsoft Graph paging loops at ${next}`, null, null, apiOf(next));
      seen.add(next);
      const url = new URL(next, this.origin).toString();
      const body = await this.get(next);
      if (!body || typeof body !== 'object' || !Array.isArray((body as { value?: unknown }).value)) {
        throw new GraphRequestError(
          `Microsoft Graph ${apiOf(url)} returned a reply without a "value" list`,
          null,
          null,
          apiOf(url),
        );
      }
      const page = body as GraphPage['body'];
      yield { url, body: page };
      next = typeof page['@odata.nextLink'] === 'string' ? page['@odata.nextLink'] : null;
    }
  }

  private describe(err: unknown, api: string): Error {
    if (this.opts.signal.aborted) return err instanceof Error ? err : new Error(String(err));
    if (err instanceof GraphError) {
      const code = err.code ?? null;
      if (code === 'EntraTokenError' || code === 'EntraNotJson') {
        return new GraphRequestError(err.message, null, code, api);
      }
      const status = err.statusCode > 0 ? err.statusCode : null;
      if (status === null)
        return new GraphRequestError(`Microsoft Graph ${api} failed: ${err.message}`, null, code, api);
      const hint =
        status === 401
          ? ': the token was not accepted'
          : status === 403
            ? LICENCE_CODES.has((code ?? '').toLowerCase())
              ? ': the tenant lacks an Entra ID P1/P2 licence for this'
              : ': the app lacks a Microsoft Graph permission for this call'
            : status === 429
              ? `: still throttled after ${this.opts.maxRetries} retries`
              : '';
      return new GraphRequestError(
        `Microsoft Graph ${api}: HTTP ${status} ${code ?? ''}${err.message ? `: ${err.message}` : ''}${hint}`,
        status,
        code,
        api,
      );
    }
    return new GraphRequestError(`Microsoft Graph ${api} failed: ${errorMessage(err)}`, null, null, api);
  }
}

const PUBLIC_AUTHORITIES = new Set([
  'login.microsoftonline.com',
  'login.microsoftonline.us',
  'login.chinacloudapi.cn',
  'login.partner.microsoftonline.cn',
]);

/** GitHub Actions OIDC: the job's ID token, exchanged by Entra for an app token (federated credential). */
async function githubOidcAssertion(env: NodeJS.ProcessEnv): Promise<string> {
  const url = new URL(env.ACTIONS_ID_TOKEN_REQUEST_URL ?? '');
  url.searchParams.set('audience', 'api://AzureADTokenExchange');
  const res = await fetch(url, {
    headers: { Authorization: `bearer ${env.ACTIONS_ID_TOKEN_REQUEST_TOKEN}` },
  });
  if (!res.ok) throw new Error(`GitHub refused the OIDC token request (HTTP ${res.status})`);
  const body = (await res.json()) as { value?: unknown };
  if (typeof body.value !== 'string') throw new Error('GitHub returned no OIDC token');
  return body.value;
}

/**
 * The credential for this run, from @azure/identity, with its settings read from `env` under the
 * collector's prefix (AZURE by default): a client secret, a federated token file (workload
 * identity), GitHub Actions OIDC, or DefaultAzureCredential (managed identity, Azure CLI, ...).
 */
export function createGraphCredential(
  options: Pick<EntraOptions, 'tenantId' | 'clientId' | 'envPrefix' | 'credential' | 'authorityHost'>,
  env: NodeJS.ProcessEnv,
  ca: string | undefined,
): TokenCredential {
  const p = options.envPrefix;
  const tenantId = options.tenantId ?? env[`${p}_TENANT_ID`];
  const clientId = options.clientId ?? env[`${p}_CLIENT_ID`];
  const secret = env[`${p}_CLIENT_SECRET`];
  const tokenFile = env[`${p}_FEDERATED_TOKEN_FILE`];
  const authorityHost =
    options.authorityHost ?? env[`${p}_AUTHORITY_HOST`] ?? 'https://login.microsoftonline.com';
  const common = {
    authorityHost,
    // Instance discovery asks login.microsoftonline.com about the authority; skip it for any other host.
    disableInstanceDiscovery: !PUBLIC_AUTHORITIES.has(new URL(authorityHost).hostname),
    ...(ca ? { tlsOptions: { ca: [...rootCertificates, ca] } } : {}),
  };
  const github = Boolean(env.ACTIONS_ID_TOKEN_REQUEST_URL && env.ACTIONS_ID_TOKEN_REQUEST_TOKEN);
  const mode =
    options.credential !== 'auto'
      ? options.credential
      : secret
        ? 'client_secret'
        : tokenFile
          ? 'workload_identity'
          : github && tenantId && clientId
            ? 'github_oidc'
            : 'default';
  const need = (what: string, value: string | undefined): string => {
    if (!value) throw new CollectorError(`the ${mode} credential needs ${what}`);
    return value;
  };
  switch (mode) {
    case 'client_secret':
      return new ClientSecretCredential(
        need(`tenantId or ${p}_TENANT_ID`, tenantId),
        need(`clientId or ${p}_CLIENT_ID`, clientId),
        need(`${p}_CLIENT_SECRET`, secret),
        common,
      );
    case 'workload_identity':
      return new WorkloadIdentityCredential({
        ...common,
        tenantId: need(`tenantId or ${p}_TENANT_ID`, tenantId),
        clientId: need(`clientId or ${p}_CLIENT_ID`, clientId),
        tokenFilePath: need(`${p}_FEDERATED_TOKEN_FILE`, tokenFile),
      });
    case 'github_oidc':
      if (!github)
        throw new CollectorError(
          'the github_oidc credential runs only in GitHub Actions with `permissions: id-token: write`',
        );
      return new ClientAssertionCredential(
        need(`tenantId or ${p}_TENANT_ID`, tenantId),
        need(`clientId or ${p}_CLIENT_ID`, clientId),
        () => githubOidcAssertion(env),
        common,
      );
    default:
      return new DefaultAzureCredential({ ...common, tenantId, managedIdentityClientId: clientId });
  }
}
