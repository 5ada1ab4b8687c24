import { describe, expect, it } from 'vitest';
import { runCollector } from '../collectors/run.js';
import { tlsCollector } from '../collectors/tls/index.js';
import type { EntityInput } from '../snapshot/schema.js';
import { EXAMPLE_DIR } from './index.js';
import { opensslAvailable, tlsDemoService } from './tls.js';

type Endpoint = Extract<EntityInput, { kind: 'tls_endpoint' }>;

describe.skipIf(!opensslAvailable() && process.env.PLANTPROOF_SKIP_SERVER_TESTS === '1')(
  'TLS demo service',
  () => {
    it("serves the plant's four endpoints, each with its own problem", async () => {
      const started = await tlsDemoService.start({ exampleDir: EXAMPLE_DIR });
      try {
        const [entry] = started.collectors;
        const { type, ...raw } = entry ?? { type: '' };
        expect(type).toBe('tls');
        const { source, entities } = await runCollector('tls', tlsCollector.options.parse(raw), EXAMPLE_DIR);
        expect(source).toMatchObject({ id: 'tls:plant2-endpoints', status: 'ok', itemCount: 4 });
        const byName = new Map((entities as Endpoint[]).map((e) => [e.name, e]));
        expect(byName.get('mes.acme-plant.local')).toMatchObject({
          protocolsAccepted: ['1.2', '1.3'],
          hsts: { maxAgeSeconds: 31536000, includeSubDomains: true },
          certificate: { chainValid: true, hostnameMatches: true },
        });
        const historian = byName.get('historian.acme-plant.local');
        const days = (Date.parse(historian?.certificate?.notAfter ?? '') - Date.now()) / 86_400_000;
        expect(Math.round(days)).toBe(10);
        expect(byName.get('opcua-gw01.acme-plant.local')).toMatchObject({
          role: 'device',
          protocolsAccepted: ['1.2'],
        });
        const legacy = byName.get('label-printer.acme-plant.local');
        expect(legacy?.protocolsAccepted).toEqual(['1.0']);
        expect(legacy?.weakCiphersAccepted?.length).toBeGreaterThan(0);
      } finally {
        await started.close();
      }
    }, 30_000);
  },
);
