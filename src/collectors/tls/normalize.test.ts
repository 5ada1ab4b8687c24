import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { Entity } from '../../snapshot/schema.js';
import { normalizeProbe } from './normalize.js';
import type { ProbeResult } from './probe.js';

const recorded = JSON.parse(
  readFileSync(new URL('./__fixtures__/probe-nginx-legacy.json', import.meta.url), 'utf8'),
) as ProbeResult;
const ctx = { sourceId: 'tls:plant' };

describe('normalizeProbe', () => {
  it('turns a recorded probe of a legacy nginx into a valid tls_endpoint', () => {
    const e = normalizeProbe(recorded, { role: 'service', internetFacing: true }, 'tls:plant#1', ctx);
    const parsed = Entity.parse(e);
    expect(parsed).toMatchObject({
      id: 'tls:127.0.0.1:8443',
      kind: 'tls_endpoint',
      name: 'localhost',
      service: 'https',
      internetFacing: true,
      reachable: true,
      protocolsAccepted: ['1.0', '1.1', '1.2'],
      hsts: null,
    });
    if (parsed.kind !== 'tls_endpoint') throw new Error('kind');
    expect(parsed.ciphers).toContainEqual({
      protocol: '1.2',
      cipher: 'TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384',
    });
    expect(parsed.weakCiphersAccepted).toContain('TLS_RSA_WITH_AES_128_CBC_SHA');
    expect(parsed.weakCiphersAccepted).toEqual([...new Set(parsed.weakCiphersAccepted)].sort());
    expect(parsed.certificate).toMatchObject({
      keyType: 'RSA',
      keyBits: 2048,
      chainValid: true,
      selfSigned: false,
    });
  });

  it('keeps HSTS only with a valid max-age, and an unreachable endpoint empty', () => {
    const withHsts: ProbeResult = {
      ...recorded,
      hsts: { header: 'max-age=600', maxAgeSeconds: 600, includeSubDomains: false },
    };
    expect(normalizeProbe(withHsts, { role: 'service', internetFacing: false }, null, ctx)).toMatchObject({
      hsts: { maxAgeSeconds: 600, includeSubDomains: false },
    });
    const broken: ProbeResult = {
      ...recorded,
      hsts: { header: 'includeSubDomains', maxAgeSeconds: null, includeSubDomains: true },
    };
    expect(normalizeProbe(broken, { role: 'service', internetFacing: false }, null, ctx)).toMatchObject({
      hsts: null,
    });
    const down: ProbeResult = {
      ...recorded,
      reachable: false,
      versions: {},
      weakCiphers: [],
      certificate: null,
      hsts: null,
    };
    const e = Entity.parse(normalizeProbe(down, { role: 'device', internetFacing: false }, null, ctx));
    expect(e).toMatchObject({ reachable: false, protocolsAccepted: [], certificate: null, role: 'device' });
  });
});
