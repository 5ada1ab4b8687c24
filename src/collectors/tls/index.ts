import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { CollectorError, errorMessage } from '../../errors.js';
import type { EntityInput } from '../../snapshot/schema.js';
import type { Collector } from '../types.js';
import { normalizeProbe } from './normalize.js';
import { type Endpoint, mapLimit, probeEndpoint } from './probe.js';
import { defaultService, expandCidr, TlsOptions } from './schema.js';

interface Planned extends Endpoint {
  role: 'service' | 'device';
  internetFacing: boolean;
  /** found by a range scan rather than listed: a closed port there is expected, not a finding */
  scanned: boolean;
}

/** The listed targets, then (only when enabled) the hosts of the CIDR range; each host:port once. */
export function planEndpoints(o: TlsOptions): Planned[] {
  const planned = new Map<string, Planned>();
  for (const t of o.targets) {
    const key = `${t.host}:${t.port}`;
    if (planned.has(key)) continue;
    planned.set(key, {
      host: t.host,
      port: t.port,
      service: t.service ?? defaultService(t.port),
      servername: t.servername,
      role: t.role,
      internetFacing: t.internetFacing,
      scanned: false,
    });
  }
  if (o.cidr?.enabled) {
    for (const host of expandCidr(o.cidr.range)) {
      for (const port of o.cidr.ports) {
        const key = `${host}:${port}`;
        if (planned.has(key)) continue;
        planned.set(key, {
          host,
          port,
          service: o.cidr.service ?? defaultService(port),
          role: o.cidr.role,
          internetFacing: false,
          scanned: true,
        });
      }
    }
  }
  return [...planned.values()];
}

export const tlsCollector: Collector<TlsOptions> = {
  id: 'tls',
  title: 'TLS endpoints: protocol versions, cipher suites, certificate chain and HSTS',
  kinds: ['tls_endpoint'],
  options: TlsOptions,
  target: (o) => {
    if (o.name) return o.name;
    const [first, ...rest] = o.targets;
    if (!first) return o.cidr?.range ?? 'tls';
    return rest.length ? `${first.host}:${first.port}+${rest.length}` : `${first.host}:${first.port}`;
  },
  async collect(o, ctx) {
    let ca: string | undefined;
    if (o.caFile) {
      const file = resolve(ctx.configDir, o.caFile);
      try {
        ca = await readFile(file, 'utf8');
      } catch (err) {
        throw new CollectorError(`cannot read caFile ${file}: ${errorMessage(err)}`);
      }
    }
    const endpoints = planEndpoints(o);
    const settings = {
      timeoutMs: o.timeoutMs,
      ca,
      probeWeakCiphers: o.probeWeakCiphers,
      signal: ctx.signal,
      onConnection: () => ctx.call(),
    };
    let done = 0;
    const results = await mapLimit(endpoints, o.concurrency, async (ep) => {
      const r = await probeEndpoint(ep, settings);
      done++;
      ctx.progress(`${done}/${endpoints.length} endpoints probed`);
      return r;
    });

    const entities: EntityInput[] = [];
    results.forEach((r, i) => {
      const ep = endpoints[i]!;
      if (ep.scanned && !r.reachable) return;
      const rawRef = ctx.raw(`tls:probe ${r.host}:${r.port}`, r);
      entities.push(normalizeProbe(r, ep, rawRef, ctx));
      for (const p of r.problems) ctx.gap(p);
    });
    return { entities };
  },
};
