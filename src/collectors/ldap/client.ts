import type { ConnectionOptions } from 'node:tls';
import {
  Client,
  ConfidentialityRequiredError,
  InsufficientAccessError,
  InvalidCredentialsError,
  NoSuchObjectError,
  ResultCodeError,
  SizeLimitExceededError,
  StrongAuthRequiredError,
} from 'ldapts';
import { CollectorError, errorMessage } from '../../errors.js';
import type { CollectContext } from '../types.js';
import { BINARY_ATTRIBUTES, type DirEntry, RawLdapEntry, type Transport } from './schema.js';

/** What went wrong with one search, in terms the collector decides on. */
export type SearchFailure = 'denied' | 'missing' | 'truncated';

export class SearchError extends Error {
  constructor(
    readonly failure: SearchFailure,
    message: string,
  ) {
    super(message);
  }
}

export interface SearchSpec {
  base: string;
  scope: 'base' | 'one' | 'sub';
  filter: string;
  attributes: readonly string[];
  /** use the paged-results control (subtree searches) */
  paged?: boolean;
}

export interface DirectoryConnection {
  readonly transport: Transport;
  search(spec: SearchSpec): Promise<DirEntry[]>;
  close(): Promise<void>;
}

export interface ConnectOptions {
  url: string;
  transport: Transport;
  bindDn: string;
  password: string;
  ca?: string;
  timeoutMs: number;
  pageSize: number;
}

const RANGED = /^(.+);range=(\d+)-(\d+|\*)$/i;

/** Text form of a binary SID: S-1-<authority>-<sub>-<sub>... */
export function sidToString(buf: Buffer): string | null {
  if (buf.length < 8) return null;
  const revision = buf[0];
  const count = buf[1] ?? 0;
  if (buf.length < 8 + count * 4) return null;
  const authority = buf.readUIntBE(2, 6);
  const subs: number[] = [];
  for (let i = 0; i < count; i++) subs.push(buf.readUInt32LE(8 + i * 4));
  return ['S', revision, authority, ...subs].join('-');
}

/** AD stores GUIDs with the first three fields little-endian. */
export function guidToString(buf: Buffer): string | null {
  if (buf.length !== 16) return null;
  const hex = (b: Buffer) => b.toString('hex');
  const le = (start: number, len: number) => hex(Buffer.from(buf.subarray(start, start + len)).reverse());
  return `${le(0, 4)}-${le(4, 2)}-${le(6, 2)}-${hex(buf.subarray(8, 10))}-${hex(buf.subarray(10, 16))}`;
}

/** ldapts entry → lower-cased attribute names, string values; binary SIDs/GUIDs as text. */
export function toDirEntry(raw: RawLdapEntry): DirEntry {
  const attrs: Record<string, string[]> = {};
  for (const [name, value] of Object.entries(raw)) {
    if (name === 'dn') continue;
    const key = name.toLowerCase();
    const values = (Array.isArray(value) ? value : [value]) as Array<string | Buffer>;
    const text: string[] = [];
    for (const v of values) {
      if (typeof v === 'string') text.push(v);
      else if (key === 'objectsid') text.push(sidToString(v) ?? v.toString('hex'));
      else if (key === 'objectguid') text.push(guidToString(v) ?? v.toString('hex'));
      else text.push(v.toString('utf8'));
    }
    if (text.length > 0) attrs[key] = [...(attrs[key] ?? []), ...text];
  }
  return { dn: raw.dn, attrs };
}

/**
 * AD returns at most MaxValRange (1500) values of a multi-valued attribute per search, named
 * `member;range=0-1499`; the rest has to be asked for range by range.
 */
export async function completeRangedAttributes(
  entry: DirEntry,
  fetchRange: (dn: string, attribute: string) => Promise<DirEntry | undefined>,
): Promise<DirEntry> {
  const attrs: Record<string, string[]> = {};
  for (const [key, values] of Object.entries(entry.attrs)) {
    const m = RANGED.exec(key);
    if (!m) {
      attrs[key] = [...(attrs[key] ?? []), ...values];
      continue;
    }
    const base = (m[1] ?? key).toLowerCase();
    const all = [...values];
    let end = m[3] ?? '*';
    for (let guard = 0; end !== '*' && guard < 10_000; guard++) {
      const next = await fetchRange(entry.dn, `${base};range=${Number(end) + 1}-*`);
      const found = Object.entries(next?.attrs ?? {}).find(([k]) =>
        k.toLowerCase().startsWith(`${base};range=`),
      );
      if (!found) break;
      all.push(...found[1]);
      end = RANGED.exec(found[0])?.[3] ?? '*';
    }
    attrs[base] = [...(attrs[base] ?? []), ...all];
  }
  return { dn: entry.dn, attrs };
}

function tlsOptions(url: string, ca: string | undefined): ConnectionOptions {
  const host = new URL(url).hostname;
  return {
    // StartTLS hands tls.connect a socket, not a host: name the host for the certificate check
    host,
    ...(ca ? { ca } : {}),
    // verify the directory's certificate: binding to an impostor would hand it the password
    rejectUnauthorized: true,
    servername: /^[\d.]+$|:/.test(host) ? undefined : host,
    minVersion: 'TLSv1.2',
  };
}

/** A network or TLS failure → one sentence a user can act on. */
function describeConnectError(url: string, err: unknown, timeoutMs: number): string {
  const e = err as NodeJS.ErrnoException;
  const code = e?.code ?? '';
  const message = errorMessage(err);
  const where = url.replace(/\/$/, '');
  if (code === 'ECONNREFUSED') return `cannot connect to ${where}: connection refused`;
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') return `cannot resolve the host of ${where}`;
  if (code === 'ETIMEDOUT' || /timeout|timed out/i.test(message))
    return `${where} did not answer within ${timeoutMs} ms (timeoutMs)`;
  if (code === 'ERR_TLS_CERT_ALTNAME_INVALID')
    return `the TLS certificate of ${where} does not name ${new URL(url).hostname}: connect by a name the certificate lists`;
  if (/CERT|SELF_SIGNED|UNABLE_TO/i.test(code))
    return `the TLS certificate of ${where} is not trusted (${code}): set caFile to the CA that issued it`;
  if (/^ERR_SSL|EPROTO/.test(code) || /SSL routines|wrong version number/i.test(message)) {
    // OpenSSL: "...:SSL routines:ssl3_get_record:wrong version number:../ssl/record/..." → the reason
    const reason = /routines:[^:]*:([^:]+)/.exec(message)?.[1] ?? message.split('\n')[0];
    return `TLS handshake with ${where} failed: ${reason} (is this port LDAP over TLS?)`;
  }
  if (/Connection closed before message response/i.test(message))
    return `${where} closed the connection without an LDAP answer: is it an LDAP server?`;
  return `cannot talk LDAP to ${where}: ${message}`;
}

/** Connect, secure the channel (ldaps or StartTLS), bind; every failure is a CollectorError. */
export async function connectDirectory(
  o: ConnectOptions,
  ctx: Pick<CollectContext, 'call' | 'progress'>,
): Promise<DirectoryConnection> {
  const tls = tlsOptions(o.url, o.ca);
  const client = new Client({
    url: o.url.replace(/\/$/, ''),
    timeout: o.timeoutMs,
    connectTimeout: o.timeoutMs,
    // ldapts speaks TLS from the first byte whenever tlsOptions are set: only for ldaps://
    ...(o.transport === 'tls' ? { tlsOptions: tls } : {}),
    strictDN: false,
  });
  const fail = async (message: string): Promise<never> => {
    await client.unbind().catch(() => undefined);
    throw new CollectorError(message);
  };
  if (o.transport === 'starttls') {
    ctx.progress('StartTLS');
    try {
      ctx.call();
      await client.startTLS({ ...tls });
    } catch (err) {
      if (err instanceof ResultCodeError) {
        return fail(
          `${o.url} refused StartTLS (LDAP result ${err.code}): use ldaps:// or enable TLS on the server`,
        );
      }
      return fail(describeConnectError(o.url, err, o.timeoutMs));
    }
  }
  try {
    ctx.progress(`binding as ${o.bindDn}`);
    ctx.call();
    await client.bind(o.bindDn, o.password);
  } catch (err) {
    if (err instanceof InvalidCredentialsError) {
      return fail(`bind as ${o.bindDn} failed: invalid credentials (or the account is locked or disabled)`);
    }
    if (err instanceof ConfidentialityRequiredError || err instanceof StrongAuthRequiredError) {
      return fail(`${o.url} requires a protected connection for this bind: use ldaps:// or startTls`);
    }
    if (err instanceof ResultCodeError)
      return fail(`bind as ${o.bindDn} failed: LDAP result ${err.code} ${err.message}`);
    return fail(describeConnectError(o.url, err, o.timeoutMs));
  }

  const searchOnce = async (spec: SearchSpec, attributes: readonly string[]): Promise<DirEntry[]> => {
    const options = {
      scope: spec.scope,
      filter: spec.filter,
      attributes: [...attributes],
      explicitBufferAttributes: BINARY_ATTRIBUTES,
    };
    const entries: DirEntry[] = [];
    const take = (list: unknown[]) => {
      for (const e of list) {
        const parsed = RawLdapEntry.safeParse(e);
        if (!parsed.success) throw new CollectorError(`${o.url} returned an entry that is not an LDAP entry`);
        entries.push(toDirEntry(parsed.data));
      }
    };
    if (spec.paged) {
      for await (const page of client.searchPaginated(spec.base, {
        ...options,
        paged: { pageSize: o.pageSize },
      })) {
        ctx.call();
        take(page.searchEntries);
      }
    } else {
      ctx.call();
      take((await client.search(spec.base, options)).searchEntries);
    }
    return entries;
  };

  return {
    transport: o.transport,
    async search(spec) {
      try {
        const entries = await searchOnce(spec, spec.attributes);
        const fetchRange = async (dn: string, attribute: string) =>
          (
            await searchOnce({ base: dn, scope: 'base', filter: '(objectClass=*)', attributes: [] }, [
              attribute,
            ])
          )[0];
        return await Promise.all(
          entries.map((e) =>
            Object.keys(e.attrs).some((k) => RANGED.test(k)) ? completeRangedAttributes(e, fetchRange) : e,
          ),
        );
      } catch (err) {
        if (err instanceof CollectorError) throw err;
        if (err instanceof InsufficientAccessError)
          throw new SearchError('denied', `reading ${spec.base} was denied`);
        if (err instanceof NoSuchObjectError) {
          throw new SearchError(
            'missing',
            `${spec.base} does not exist or is not readable by the bind account`,
          );
        }
        if (err instanceof SizeLimitExceededError) {
          throw new SearchError(
            'truncated',
            `the server's size limit cut the search under ${spec.base} short`,
          );
        }
        if (err instanceof ResultCodeError) {
          throw new CollectorError(
            `search under ${spec.base} failed: LDAP result ${err.code} ${err.message}`,
          );
        }
        throw new CollectorError(describeConnectError(o.url, err, o.timeoutMs));
      }
    },
    async close() {
      await client.unbind().catch(() => undefined);
    },
  };
}
