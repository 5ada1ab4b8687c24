import { readFile } from 'node:fs/promises';
import { Agent as HttpsAgent } from 'node:https';
import { resolve } from 'node:path';
import { rootCertificates } from 'node:tls';
import type { z } from 'zod';
import { CollectorError, errorMessage } from '../errors.js';
import type { EntityInput } from '../snapshot/schema.js';
import type { CollectContext } from './types.js';

/**
 * What the identity-provider collectors (okta, entra) do the same way, whatever their vendor's
 * wire protocol: reach the API (the CA bundle to trust, plain http only to this machine, a
 * kept-alive connection), read its replies (schema checks, bounded concurrency), and start their
 * entities (three-valued logic, the idp_org account, service and shared account marks).
 */

// Reaching the API

/** The CA bundle to trust: the collector's caFile plus any NODE_EXTRA_CA_CERTS the run was given. */
export async function readExtraCa(
  caFile: string | undefined,
  ctx: CollectContext,
): Promise<string | undefined> {
  const files = [caFile ? resolve(ctx.configDir, caFile) : null, ctx.env.NODE_EXTRA_CA_CERTS || null].filter(
    (f): f is string => f !== null,
  );
  if (files.length === 0) return undefined;
  const parts: string[] = [];
  for (const f of files) {
    try {
      parts.push(await readFile(f, 'utf8'));
    } catch (err) {
      throw new CollectorError(`cannot read CA file ${f}: ${errorMessage(err)}`);
    }
  }
  return parts.join('\n');
}

/** A host name (as `URL.hostname` gives it) that stays on this machine. */
export function isLoopback(host: string): boolean {
  return host === 'localhost' || host === '[::1]' || host === '::1' || /^127\./.test(host);
}

/**
 * What an API client holds for its whole run: the API's origin, and for https a kept-alive agent
 * that trusts the public roots plus the extra CA bundle.
 */
export class KeptAliveConnection {
  protected readonly origin: string;
  protected readonly agent: HttpsAgent | undefined;

  constructor(apiUrl: string, ca: string | undefined) {
    const url = new URL(apiUrl);
    this.origin = url.origin;
    this.agent =
      url.protocol === 'https:'
        ? new HttpsAgent({ keepAlive: true, ca: ca ? [...rootCertificates, ca] : undefined })
        : undefined;
  }

  /** Close kept-alive connections, so the process can exit when the run is over. */
  close(): void {
    this.agent?.destroy();
  }
}

// Reading replies

/** A reply checked against its schema; `vendor` names the API in the error, e.g. `Okta`. */
export function parseReply<T>(vendor: string, schema: z.ZodType<T>, body: unknown, api: string): T {
  const parsed = schema.safeParse(body);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  const where = issue?.path.length ? issue.path.join('.') : 'reply';
  throw new CollectorError(
    `${vendor} ${api} returned a reply in an unexpected shape (${where}: ${issue?.message})`,
    { api },
  );
}

/**
 * Run fn over items with at most `limit` in flight. The first failure stops new work; it is thrown
 * once the calls already in flight have settled, so nothing runs on after the collector returns.
 */
export async function mapLimit<T>(items: T[], limit: number, fn: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  let failure: { err: unknown } | null = null;
  const worker = async () => {
    while (!failure && next < items.length) {
      const item = items[next++] as T;
      try {
        await fn(item);
      } catch (err) {
        failure ??= { err };
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  if (failure) throw (failure as { err: unknown }).err;
}

// Normalizing

/** true, false, or null when it cannot be known from what was read */
export type Tri = boolean | null;

export const and3 = (a: Tri, b: Tri): Tri =>
  a === false || b === false ? false : a === null || b === null ? null : true;
export const or3 = (a: Tri, b: Tri): Tri =>
  a === true || b === true ? true : a === null || b === null ? null : false;
export const not3 = (a: Tri): Tri => (a === null ? null : !a);

/**
 * The start of an identity provider's entities: the fields every entity of the org carries, the
 * idp_org account itself (first in `entities`), and how the collector's `serviceAccounts` and
 * `sharedAccounts` options (matched without regard to case) mark a user.
 */
export function idpOrgEntities(
  provider: string,
  org: string,
  transport: 'tls' | 'none',
  options: { serviceAccounts: string[]; sharedAccounts: string[] },
  ctx: Pick<CollectContext, 'sourceId'>,
) {
  const common = (rawRef: string | null) => ({
    provider,
    source: ctx.sourceId,
    rawRef,
    accountId: org,
  });
  const lower = (xs: string[]) => new Set(xs.map((x) => x.toLowerCase()));
  const service = lower(options.serviceAccounts);
  const shared = lower(options.sharedAccounts);
  const entities: EntityInput[] = [
    {
      ...common(null),
      id: `${provider}:${org}`,
      kind: 'account',
      name: org,
      accountType: 'idp_org',
      transportSecurity: transport,
    },
  ];
  return {
    entities,
    common,
    /** a user's `userType`, by login */
    userType: (login: string): 'service' | 'human' =>
      service.has(login.toLowerCase()) ? 'service' : 'human',
    /** a user's `shared`: true when listed, otherwise unknown */
    shared: (login: string): true | null => (shared.has(login.toLowerCase()) ? true : null),
  };
}
