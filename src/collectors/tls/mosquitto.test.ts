import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestPki, type Pki } from '../../../test/servers/certs.js';
import { type RunningServer, startMosquittoTls } from '../../../test/servers/tls-servers.js';
import { Entity } from '../../snapshot/schema.js';
import { runCollector } from '../run.js';
import { TlsOptions } from './schema.js';

let pki: Pki;
let broker: RunningServer;

beforeAll(async () => {
  pki = await createTestPki();
  const cert = await pki.issue({ name: 'broker', cn: 'localhost', sans: ['DNS:localhost', 'IP:127.0.0.1'] });
  broker = await startMosquittoTls({ certFile: cert.certFile, keyFile: cert.keyFile, dir: pki.dir });
}, 30_000);

afterAll(async () => {
  await broker?.close();
  await pki?.cleanup();
});

describe('tls prober against a real MQTT broker (mosquitto)', () => {
  it('reads the versions the broker accepts and its certificate, as a device endpoint', async () => {
    const options = TlsOptions.parse({
      caFile: 'ca.pem',
      targets: [
        { host: '127.0.0.1', port: broker.port, service: 'mqtts', role: 'device', servername: 'localhost' },
      ],
    });
    const { source, entities } = await runCollector('tls', options, pki.dir, {});
    expect(source.status).toBe('ok');
    expect(entities).toHaveLength(1);
    const e = Entity.parse(entities[0]);
    if (e.kind !== 'tls_endpoint') throw new Error('expected a tls_endpoint');
    expect(e).toMatchObject({ service: 'mqtts', role: 'device', reachable: true });
    // The broker is set to TLS 1.2 minimum: it must not accept 1.0 or 1.1, and it does accept 1.2.
    expect(e.protocolsAccepted).toContain('1.2');
    expect(e.protocolsAccepted).not.toContain('1.0');
    expect(e.protocolsAccepted).not.toContain('1.1');
    expect(e.weakCiphersAccepted).toEqual([]);
    expect(e.certificate).toMatchObject({ selfSigned: false, chainValid: true, hostnameMatches: true });
  });
});
