import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestPki, type Pki } from '../../../test/servers/certs.js';
import {
  type RunningServer,
  startGarbageServer,
  startNodeTlsServer,
  startSilentServer,
} from '../../../test/servers/tls-servers.js';
import { Entity, type EntityInput } from '../../snapshot/schema.js';
import { createCollectContext } from '../context.js';
import { runCollector } from '../run.js';
import { planEndpoints, tlsCollector } from './index.js';
import { mapLimit } from './probe.js';
import { cidrSize, expandCidr, TlsOptions } from './schema.js';

type Endpoint = Extract<EntityInput, { kind: 'tls_endpoint' }>;

let pki: Pki;
let good: RunningServer;
const servers: RunningServer[] = [];

beforeAll(async () => {
  pki = await createTestPki();
  const cert = await pki.issue({ name: 'plc', cn: 'localhost', sans: ['DNS:localhost', 'IP:127.0.0.1'] });
  good = await startNodeTlsServer({ cert: cert.cert, key: cert.key, minVersion: 'TLSv1.3' });
  servers.push(good);
}, 30_000);

afterAll(async () => {
  for (const s of servers) await s.close();
  await pki?.cleanup();
});

async function run(raw: Record<string, unknown>) {
  const { source, entities } = await runCollector('tls', TlsOptions.parse(raw), pki.dir, {});
  for (const e of entities) expect(() => Entity.parse(e)).not.toThrow();
  return { source, entities: entities as Endpoint[] };
}

describe('options', () => {
  it('needs a target, and refuses a CIDR range larger than maxHosts', () => {
    expect(TlsOptions.safeParse({}).success).toBe(false);
    const big = TlsOptions.safeParse({ cidr: { enabled: true, range: '10.0.0.0/16' } });
    expect(big.success).toBe(false);
    expect(JSON.stringify(big.error?.issues)).toMatch(/65534 hosts, more than maxHosts \(256\)/);
    expect(TlsOptions.safeParse({ cidr: { range: '10.0.0.0/24' } }).success).toBe(false); // enabled must be said
    expect(TlsOptions.safeParse({ cidr: { enabled: true, range: 'plant-net' } }).success).toBe(false);
    expect(TlsOptions.parse({ targets: [{ host: 'h', port: 8883 }] })).toMatchObject({
      timeoutMs: 5000,
      concurrency: 8,
      probeWeakCiphers: true,
    });
  });

  it('expands a range only when enabled, without network and broadcast addresses', () => {
    expect(cidrSize('192.168.10.0/30')).toBe(2);
    expect(expandCidr('192.168.10.0/30')).toEqual(['192.168.10.1', '192.168.10.2']);
    expect(expandCidr('10.1.2.3/32')).toEqual(['10.1.2.3']);
    const off = TlsOptions.parse({
      targets: [{ host: 'a', port: 443 }],
      cidr: { enabled: false, range: '10.0.0.0/30' },
    });
    expect(planEndpoints(off).map((e) => e.host)).toEqual(['a']);
    const on = TlsOptions.parse({
      targets: [{ host: '10.0.0.1', port: 443, role: 'device' }],
      cidr: { enabled: true, range: '10.0.0.0/30', ports: [443, 8883] },
    });
    expect(planEndpoints(on).map((e) => `${e.host}:${e.port}:${e.service}:${e.role}`)).toEqual([
      '10.0.0.1:443:https:device',
      '10.0.0.1:8883:mqtts:service',
      '10.0.0.2:443:https:service',
      '10.0.0.2:8883:mqtts:service',
    ]);
  });
});

describe('tls collector', () => {
  it('probes the listed targets; an unreachable one is an endpoint, not a collection gap', async () => {
    const { source, entities } = await run({
      name: 'plant',
      caFile: 'ca.pem',
      targets: [
        { host: '127.0.0.1', port: good.port, service: 'opcua', role: 'device', servername: 'localhost' },
        { host: '127.0.0.1', port: 1, service: 'mqtts' },
      ],
    });
    expect(source).toMatchObject({ id: 'tls:plant', status: 'ok', itemCount: 2, kinds: ['tls_endpoint'] });
    expect(source.apiCalls).toBeGreaterThan(2);
    const [plc, down] = entities;
    expect(plc).toMatchObject({
      id: `tls:127.0.0.1:${good.port}`,
      role: 'device',
      service: 'opcua',
      reachable: true,
      protocolsAccepted: ['1.3'],
      certificate: { chainValid: true, hostnameMatches: true },
    });
    expect(plc?.rawRef).toMatch(/^tls:plant#/);
    expect(down).toMatchObject({ reachable: false, protocolsAccepted: [], certificate: null });
  });

  it('is partial, with the reason, when an endpoint does not speak TLS or stays silent', async () => {
    const http = await startGarbageServer('HTTP/1.1 400 Bad Request\r\n\r\n', { waitForData: true });
    const silent = await startSilentServer();
    servers.push(http, silent);
    const t0 = Date.now();
    const { source, entities } = await run({
      timeoutMs: 400,
      targets: [
        { host: '127.0.0.1', port: http.port },
        { host: '127.0.0.1', port: silent.port },
      ],
    });
    expect(Date.now() - t0).toBeLessThan(5000);
    expect(source.status).toBe('partial');
    expect(source.gaps.join('\n')).toMatch(/does not speak TLS \(it answered "HTTP\/1\.1 400 Bad Request"\)/);
    expect(source.gaps.join('\n')).toMatch(/no TLS version was accepted \(no answer within 400 ms\)/);
    expect(entities.every((e) => e.reachable && e.protocolsAccepted?.length === 0)).toBe(true);
  });

  it('skips silent addresses of a scanned range, but reports the ones that answer', async () => {
    const { source, entities } = await run({
      timeoutMs: 1000,
      cidr: { enabled: true, range: '127.0.0.0/30', ports: [good.port] },
    });
    expect(source.status).toBe('ok');
    // 127.0.0.2 is loopback too but nothing listens there
    expect(entities.map((e) => e.host)).toEqual(['127.0.0.1']);
  });

  it('probes at most `concurrency` endpoints at once', async () => {
    let active = 0;
    let peak = 0;
    const order = await mapLimit([1, 2, 3, 4, 5, 6, 7], 3, async (n) => {
      active++;
      peak = Math.max(peak, active);
      await new Promise((r) => setTimeout(r, 10 + (n % 3) * 5));
      active--;
      return n * 10;
    });
    expect(order).toEqual([10, 20, 30, 40, 50, 60, 70]);
    expect(peak).toBe(3);
  });

  it('fails the source with a clear message when the CA bundle is missing', async () => {
    const { source } = await run({
      caFile: 'missing.pem',
      targets: [{ host: '127.0.0.1', port: good.port }],
    });
    expect(source.status).toBe('error');
    expect(source.error).toMatch(/cannot read caFile .*missing\.pem/);
  });

  it('names its source after the first target', () => {
    const o = TlsOptions.parse({
      targets: [
        { host: 'a', port: 1 },
        { host: 'b', port: 2 },
      ],
    });
    expect(tlsCollector.target(o)).toBe('a:1+1');
    const { ctx } = createCollectContext({ sourceId: 'x', configDir: '.' });
    expect(ctx.sourceId).toBe('x');
  });
});
