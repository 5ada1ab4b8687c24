import type { Agent as HttpsAgent } from 'node:https';
import { setTimeout as sleep } from 'node:timers/promises';
import { Client, Collection, DefaultRequestExecutor } from '@okta/okta-sdk-nodejs';
import { CollectorError, errorMessage } from '../../errors.js';
import { KeptAliveConnection } from '../idp-shared.js';

/**
 * The Okta SDK does the talking: authentication (SSWS token or an OAuth service app signing a
 * client assertion with its private key), `Link: rel="next"` paging through its `Collection`, and
 * retrying HTTP 429. On top of it this module adds what a compliance run needs: it waits while
 * `X-Rate-Limit-Remaining` is spent (the SDK only reacts to 429), trusts an extra CA, counts calls,
 * honours the run's abort signal, refuses next-page links to another host, and reads raw JSON
 * pages rather than SDK model objects, so the evidence is exactly what Okta returned.
 */

export type OktaAuth =
  | { kind: 'api_token'; token: string }
  | { kind: 'oauth'; clientId: string; privateKey: string; keyId?: string; scopes: string[] };

export interface OktaClientOptions {
  orgUrl: string;
  auth: OktaAuth;
  /** extra CA certificates (PEM) to trust besides the public roots */
  ca?: string;
  maxRetries: number;
  maxWaitMs: number;
  /** stop before the bucket is empty, leaving room for requests already in flight */
  reserve: number;
  signal: AbortSignal;
  onRequest: () => void;
  onWait: (message: string) => void;
}

/** A failed Okta request, with what an operator needs to fix it. */
export class OktaRequestError extends CollectorError {
  constructor(
    message: string,
    readonly status: number | null,
    readonly errorCode: string | null,
    readonly api: string,
  ) {
    super(message, { api, status: status ?? undefined });
  }
}

interface FetchRequest {
  url?: string;
  method?: string;
  agent?: unknown;
  signal?: unknown;
}

interface FetchResponse {
  status: number;
  headers: { get(name: string): string | null };
}

/** rate-limit state per endpoint family: Okta counts limits per endpoint, not per org */
interface Bucket {
  remaining: number;
  resetAt: number;
}

const RESET_MARGIN_MS = 250;

/** `/api/v1/users/00u1…/factors` → `/api/v1/users/*\/factors`: the rate-limit bucket of a request */
export function bucketOf(url: string): string {
  const parts = new URL(url).pathname.split('/');
  const out = parts.map((p, i) =>
    i > 0 && ['users', 'policies', 'groups', 'rules'].includes(parts[i - 1]!) ? '*' : p,
  );
  return out.join('/');
}

class RateAwareExecutor extends DefaultRequestExecutor {
  private readonly buckets = new Map<string, Bucket>();

  constructor(
    private readonly opts: Pick<
      OktaClientOptions,
      'maxRetries' | 'maxWaitMs' | 'reserve' | 'signal' | 'onRequest' | 'onWait'
    > & { agent?: HttpsAgent },
  ) {
    super({ maxRetries: opts.maxRetries, requestTimeout: 0 });
    this.on('backoff', (request: FetchRequest, _response: unknown, _id: unknown, delayMs: number) => {
      this.opts.onWait(`HTTP 429 on ${pathOf(request.url)}: retrying in ${Math.ceil(delayMs / 1000)}s`);
    });
  }

  override async fetch(request: Parameters<DefaultRequestExecutor['fetch']>[0]) {
    const req = request as FetchRequest;
    if (req.url) await this.gate(req.url);
    this.opts.signal.throwIfAborted();
    // A retried request is a deep copy; give it the live signal again. The SDK sets a proxy agent
    // when HTTPS_PROXY is set; that one is kept.
    req.agent ??= this.opts.agent;
    req.signal = this.opts.signal;
    this.opts.onRequest();
    return super.fetch(request);
  }

  override parseResponse(request: Parameters<DefaultRequestExecutor['parseResponse']>[0], response: never) {
    const url = (request as FetchRequest).url;
    const res = response as FetchResponse & { text(): Promise<string> };
    if (url) this.observe(url, res);
    // The SDK's OAuth flow does not check the token reply's status and would go on with
    // "Bearer undefined"; stop here with Okta's own reason instead.
    if (url && new URL(url).pathname === '/oauth2/v1/token' && res.status >= 400 && res.status !== 429) {
      return res.text().then((body) => {
        throw new OktaRequestError(
          `Okta refused the OAuth service app's token request (HTTP ${res.status}${oauthReason(body)}): check the client id, the private key and the scopes granted to the app`,
          res.status,
          null,
          'POST /oauth2/v1/token',
        );
      });
    }
    return super.parseResponse(request, response);
  }

  // Okta always sends X-Rate-Limit-Reset with a 429; without it, still retry after a second.
  override validateRetryResponseHeaders(): boolean {
    return true;
  }

  override getRetryDelayMs(response: never): number {
    const res = response as FetchResponse;
    const reset = Number.parseInt(res.headers.get('x-rate-limit-reset') ?? '', 10);
    if (!Number.isFinite(reset)) return Math.min(1000, this.opts.maxWaitMs);
    // Measured against the server's Date header, so a skewed local clock does not matter.
    const serverNow = Date.parse(res.headers.get('date') ?? '') || Date.now();
    return clamp(reset * 1000 - serverNow + RESET_MARGIN_MS, 0, this.opts.maxWaitMs);
  }

  private observe(url: string, res: FetchResponse): void {
    const remaining = Number.parseInt(res.headers.get('x-rate-limit-remaining') ?? '', 10);
    const reset = Number.parseInt(res.headers.get('x-rate-limit-reset') ?? '', 10);
    if (!Number.isFinite(remaining) || !Number.isFinite(reset)) return;
    const serverNow = Date.parse(res.headers.get('date') ?? '') || Date.now();
    this.buckets.set(bucketOf(url), { remaining, resetAt: Date.now() + (reset * 1000 - serverNow) });
  }

  private async gate(url: string): Promise<void> {
    const key = bucketOf(url);
    const bucket = this.buckets.get(key);
    if (!bucket || bucket.remaining > this.opts.reserve) return;
    const waitMs = bucket.resetAt - Date.now() + RESET_MARGIN_MS;
    this.buckets.delete(key);
    if (waitMs <= 0) return;
    const ms = Math.min(waitMs, this.opts.maxWaitMs);
    this.opts.onWait(
      `rate limit of ${key} nearly spent (${bucket.remaining} left): waiting ${Math.ceil(ms / 1000)}s`,
    );
    await sleep(ms, undefined, { signal: this.opts.signal });
  }
}

function oauthReason(body: string): string {
  try {
    const j = JSON.parse(body) as { error?: unknown; error_description?: unknown };
    const parts = [j.error, j.error_description].filter((x) => typeof x === 'string' && x.length > 0);
    return parts.length ? `, ${parts.join(': ')}` : '';
  } catch {
    return '';
  }
}

function clamp(n: number, lo: number, hi: number): number {
  return Math.min(Math.max(n, lo), hi);
}

function pathOf(url: string | undefined): string {
  if (!url) return '?';
  const u = new URL(url);
  return u.pathname + u.search;
}

/** The API operation a URL belongs to, with ids replaced, for error messages and raw records. */
export function apiOf(url: string): string {
  return `GET ${bucketOf(url).replace(/\*/g, '{id}')}`;
}

export interface OktaPage {
  url: string;
  body: unknown;
}

export class OktaClient extends KeptAliveConnection {
  private readonly sdk: Client;

  constructor(private readonly opts: OktaClientOptions) {
    super(opts.orgUrl, opts.ca);
    const executor = new RateAwareExecutor({ ...opts, agent: this.agent });
    const common = { orgUrl: this.origin, requestExecutor: executor, cacheMiddleware: null };
    this.sdk =
      opts.auth.kind === 'api_token'
        ? new Client({ ...common, authorizationMode: 'SSWS', token: opts.auth.token })
        : new Client({
            ...common,
            authorizationMode: 'PrivateKey',
            clientId: opts.auth.clientId,
            privateKey: opts.auth.privateKey,
            keyId: opts.auth.keyId,
            scopes: opts.auth.scopes,
          });
  }

  /** Every page of a list endpoint, following `Link: rel="next"`, as the raw JSON Okta sent. */
  async *pages(path: string, query: Record<string, string> = {}): AsyncGenerator<OktaPage> {
    const first = new URL(path, this.origin);
    for (const [k, v] of Object.entries(query)) first.searchParams.set(k, v);
    // A plain request (not the SDK's RequestContext) makes Collection hand back the JSON as sent.
    const request = { method: 'get', headers: { Accept: 'application/json' } };
    const collection = new Collection<unknown>(
      this.sdk.http as never,
      first.toString(),
      undefined,
      request as unknown as ConstructorParameters<typeof Collection>[3],
    );
    const seen = new Set<string>();
    while (collection.nextUri) {
      const url = collection.nextUri;
      if (new URL(url, this.origin).origin !== this.origin) {
        throw new OktaRequestError(
          `Okta sent a next-page link to another host (${new URL(url).host}); refusing to follow it with the org's credentials`,
          null,
          null,
          apiOf(first.toString()),
        );
      }
      if (seen.has(url)) {
        throw new OktaRequestError(
          `Okta paging loops: ${pathOf(url)} came back as the next page`,
          null,
          null,
          apiOf(url),
        );
      }
      seen.add(url);
      let body: unknown;
      try {
        body = await collection.getNextPage();
      } catch (err) {
        throw this.describe(err, url);
      }
      yield { url, body };
    }
  }

  /** A thrown SDK, fetch or JSON error → one message that names the call and what to do. */
  private describe(err: unknown, url: string): Error {
    if (this.opts.signal.aborted || err instanceof OktaRequestError) {
      return err instanceof Error ? err : new Error(String(err));
    }
    const api = apiOf(url);
    const e = err as {
      name?: string;
      status?: number;
      errorCode?: string;
      errorSummary?: string;
      type?: string;
    };
    if (e?.name === 'OktaApiError' || e?.name === 'HttpError') {
      const status = Number(e.status);
      const what =
        e.name === 'OktaApiError' ? `${e.errorCode ?? ''} ${e.errorSummary ?? ''}`.trim() : errorMessage(err);
      const hint =
        status === 401
          ? ': the API token or access token was not accepted'
          : status === 403
            ? ': the token lacks a permission or OAuth scope for this call'
            : status === 429
              ? `: still rate limited after ${this.opts.maxRetries} retries`
              : '';
      return new OktaRequestError(
        `Okta ${api}: HTTP ${status} ${what}${hint}`,
        status,
        e.errorCode ?? null,
        api,
      );
    }
    if (e?.name === 'FetchError' && e.type === 'invalid-json') {
      return new OktaRequestError(
        `Okta ${api} returned a reply that is not JSON (${errorMessage(err)})`,
        null,
        null,
        api,
      );
    }
    return new OktaRequestError(`Okta ${api} failed: ${errorMessage(err)}`, null, null, api);
  }
}
