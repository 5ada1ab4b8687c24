import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, describe, expect, it } from 'vitest';
import { startTestAzure, TEST_CLIENT, TEST_TENANT, testCa } from '../../../test/servers/azure-arm-server.js';
import { Entity } from '../../snapshot/schema.js';
import { runCollector } from '../run.js';
import { GraphQuotaPacer, parseResetsAfter } from './client.js';
import { AzureOptions, activityLogDeletionDays } from './index.js';
import { type AzureCollection, durationDays, normalizeAzure, portRanges, tlsVersion } from './normalize.js';
import { DiagnosticSetting, GraphResource, KeyVaultKey, StorageManagementPolicy } from './schema.js';

afterAll(async () => {
  await (await testCa()).remove();
});

describe('value mapping', () => {
  it('TLS versions as storage and SQL spell them', () => {
    expect(
      ['TLS1_0', 'TLS1_1', 'TLS1_2', 'TLS1_3', '1.2', 'None', 'TLS2_0', '', null].map(tlsVersion),
    ).toEqual(['1.0', '1.1', '1.2', '1.3', '1.2', '1.0', null, null, null]);
  });

  it('ISO 8601 durations in whole days', () => {
    expect(
      ['P90D', 'P1Y', 'P18M', 'P2W', 'P1Y6M', 'P28DT12H', 'PT12H', 'P', '90', undefined].map(durationDays),
    ).toEqual([90, 365, 540, 14, 545, 28, null, null, null, null]);
  });

  it('NSG port specs', () => {
    expect(portRanges(['*'])).toEqual([]);
    expect(portRanges(['0-65535'])).toEqual([]);
    expect(portRanges(['22', '8000-8080'])).toEqual([
      { from: 22, to: 22 },
      { from: 8000, to: 8080 },
    ]);
    expect(portRanges(['70000'])).toBeNull();
    expect(portRanges(['10-5'])).toBeNull();
    expect(portRanges(['http'])).toBeNull();
  });

  it('Resource Graph quota reset times', () => {
    expect(['00:00:05', '01:02:03', '00:00:01.5', '5', null].map(parseResetsAfter)).toEqual([
      5000,
      3723000,
      1500,
      undefined,
      undefined,
    ]);
  });

  it('the pacer holds queries only once the quota is spent, at least a second', async () => {
    let now = 10_000;
    const pacer = new GraphQuotaPacer(() => now);
    const headers = (remaining: string, resets: string) => ({
      get: (n: string) =>
        ({ 'x-ms-user-quota-remaining': remaining, 'x-ms-user-quota-resets-after': resets })[n],
    });
    pacer.observe(headers('3', '00:00:04'));
    expect((pacer as unknown as { notBefore: number }).notBefore).toBe(0);
    pacer.observe(headers('0', '00:00:00'));
    expect((pacer as unknown as { notBefore: number }).notBefore).toBe(11_000);
    pacer.observe(headers('0', '00:00:03'));
    expect((pacer as unknown as { notBefore: number }).notBefore).toBe(13_000);
    pacer.throttled({ get: (n: string) => ({ 'retry-after': '7' })[n] }, 1000);
    expect((pacer as unknown as { notBefore: number }).notBefore).toBe(17_000);
    now = 20_000;
    const started = Date.now();
    await pacer.ready(new AbortController().signal);
    expect(Date.now() - started).toBeLessThan(50);
  });

  it('lifecycle rules that delete exported activity logs', () => {
    const policy = (rules: unknown[]) => StorageManagementPolicy.parse({ properties: { policy: { rules } } });
    const rule = (filters: unknown, del: unknown, enabled = true) => ({
      enabled,
      name: 'r',
      type: 'Lifecycle',
      definition: { filters, actions: { baseBlob: { delete: del } } },
    });
    expect(activityLogDeletionDays(policy([]))).toBeNull();
    expect(
      activityLogDeletionDays(policy([rule(undefined, { daysAfterModificationGreaterThan: 400 })])),
    ).toBe(400);
    expect(
      activityLogDeletionDays(
        policy([
          rule(
            { blobTypes: ['appendBlob'], prefixMatch: ['insights-activity-logs/'] },
            { daysAfterModificationGreaterThan: 365 },
          ),
          rule(
            { blobTypes: ['appendBlob'], prefixMatch: ['insights-'] },
            { daysAfterCreationGreaterThan: 200 },
          ),
        ]),
      ),
    ).toBe(200);
    // another container, block blobs only, a disabled rule: none of them touches the activity log
    expect(
      activityLogDeletionDays(
        policy([
          rule({ prefixMatch: ['backups/'] }, { daysAfterModificationGreaterThan: 7 }),
          rule({ blobTypes: ['blockBlob'] }, { daysAfterModificationGreaterThan: 7 }),
          rule({}, { daysAfterModificationGreaterThan: 7 }, false),
        ]),
      ),
    ).toBeNull();
  });
});

describe('normalizeAzure', () => {
  const SUB = '00000000-0000-0000-0000-0000000000b1';
  const rg = `/subscriptions/${SUB}/resourceGroups/rg`;
  const resource = (type: string, name: string, properties: unknown, location = 'westeurope') =>
    GraphResource.parse({
      id: `${rg}/providers/${type}/${name}`,
      name: name.split('/').pop(),
      type: name.includes('/databases/') ? 'microsoft.sql/servers/databases' : type.toLowerCase(),
      location,
      resourceGroup: 'rg',
      subscriptionId: SUB,
      tags: null,
      properties,
    });
  const collection = (over: Partial<AzureCollection>): AzureCollection => ({
    subscriptions: [],
    resources: [],
    transparentDataEncryption: new Map(),
    sqlCustomerManagedKey: new Map(),
    keys: [],
    storageLogDeletionDays: new Map(),
    storageAccessLogged: new Set(),
    ...over,
  });
  const run = (data: AzureCollection) => {
    const gaps: string[] = [];
    const entities = normalizeAzure(data, { sourceId: 'azure:t' }, (g) => gaps.push(g));
    for (const e of entities) expect(() => Entity.parse(e), e.id).not.toThrow();
    return { entities, gaps };
  };

  it('leaves facts a resource does not state as null, and skips what it cannot read', () => {
    const { entities, gaps } = run(
      collection({
        resources: [
          { resource: resource('Microsoft.Storage/storageAccounts', 'bare', {}), rawRef: 'r1' },
          {
            resource: resource('Microsoft.Storage/storageAccounts', 'odd', {
              supportsHttpsTrafficOnly: 'yes',
            }),
            rawRef: 'r1',
          },
          { resource: resource('Microsoft.Compute/disks', 'd1', { encryption: {} }), rawRef: 'r1' },
          {
            resource: resource('Microsoft.Sql/servers', 's1', {
              minimalTlsVersion: 'None',
              publicNetworkAccess: 'SecuredByPerimeter',
            }),
            rawRef: 'r1',
          },
          { resource: resource('Microsoft.Sql/servers', 's1/databases/db1', {}), rawRef: 'r1' },
        ],
      }),
    );
    expect(gaps).toEqual([
      `storage account ${rg}/providers/Microsoft.Storage/storageAccounts/odd: unexpected properties, not collected`,
    ]);
    // sorted by id: microsoft.compute < microsoft.sql < microsoft.storage
    const [disk, db, bare] = entities;
    expect(entities.map((e) => e.name)).toEqual(['d1', 'db1', 'bare']);
    expect(bare).toMatchObject({
      encryptedAtRest: null,
      algorithm: null,
      customerManagedKey: null,
      publicAccess: null,
      tlsOnly: null,
      minTlsVersion: null,
    });
    expect(disk).toMatchObject({ encryptedAtRest: null, customerManagedKey: null, publicAccess: null });
    // `None` sets no minimum; a perimeter-secured server is not public; TDE not read
    expect(db).toMatchObject({
      minTlsVersion: '1.0',
      publiclyAccessible: false,
      encryptedAtRest: null,
      customerManagedKey: null,
    });
  });

  it('records an unreadable NSG port range as a gap and keeps the other rules', () => {
    const rule = (name: string, props: Record<string, unknown>) => ({
      id: `${rg}/providers/Microsoft.Network/networkSecurityGroups/n/securityRules/${name}`,
      name,
      properties: { protocol: 'Udp', access: 'Allow', direction: 'Inbound', priority: 300, ...props },
    });
    const { entities, gaps } = run(
      collection({
        resources: [
          {
            resource: resource('Microsoft.Network/networkSecurityGroups', 'n', {
              securityRules: [
                rule('bad', { destinationPortRange: 'modbus', sourceAddressPrefix: '*' }),
                rule('any', { destinationPortRange: '502', sourceAddressPrefix: '0.0.0.0/0' }),
                rule('out', {
                  direction: 'Outbound',
                  destinationPortRange: '',
                  destinationPortRanges: ['443'],
                  sourceAddressPrefix: '10.0.0.0/8',
                  destinationAddressPrefixes: ['203.0.113.0/24'],
                }),
              ],
            }),
            rawRef: 'r1',
          },
        ],
      }),
    );
    expect(gaps).toEqual([
      `network rule ${rg}/providers/Microsoft.Network/networkSecurityGroups/n/securityRules/bad: unreadable port range modbus`,
    ]);
    expect(entities.map((e) => [e.name, e.kind === 'network_rule' && e.internetExposed])).toEqual([
      ['any', true],
      ['out', false],
    ]);
    expect(entities[0]).toMatchObject({
      protocol: 'udp',
      ports: [{ from: 502, to: 502 }],
      region: 'westeurope',
    });
    expect(entities[0]).not.toHaveProperty('tags');
    expect(entities[1]).toMatchObject({
      direction: 'egress',
      sources: ['203.0.113.0/24'],
      ports: [{ from: 443, to: 443 }],
    });
  });

  it('activity-log exports: event hubs bound nothing, legacy retention counts for storage', () => {
    const setting = (name: string, properties: Record<string, unknown>) =>
      DiagnosticSetting.parse({
        id: `/subscriptions/${SUB}/providers/microsoft.insights/diagnosticSettings/${name}`,
        name,
        properties,
      });
    const { entities } = run(
      collection({
        subscriptions: [
          {
            subscriptionId: SUB,
            displayName: null,
            rawRef: 'r0',
            regions: ['westeurope'],
            diagnosticSettings: {
              rawRef: 'r2',
              settings: [
                setting('hub', {
                  eventHubAuthorizationRuleId: `${rg}/providers/Microsoft.EventHub/namespaces/ns/authorizationrules/RootManageSharedAccessKey`,
                  logs: [{ category: 'Administrative', enabled: true }],
                }),
                setting('legacy', {
                  storageAccountId: `${rg}/providers/Microsoft.Storage/storageAccounts/logs`,
                  logs: [
                    {
                      category: 'Administrative',
                      enabled: true,
                      retentionPolicy: { enabled: true, days: 400 },
                    },
                    { category: 'Security', enabled: true, retentionPolicy: { enabled: true, days: 730 } },
                    { category: 'Alert', enabled: false, retentionPolicy: { enabled: true, days: 1 } },
                  ],
                }),
                setting('off', {
                  workspaceId: `${rg}/providers/Microsoft.OperationalInsights/workspaces/w`,
                  logs: [{ category: 'Administrative', enabled: false }],
                }),
              ],
            },
          },
        ],
      }),
    );
    const logs = entities.filter((e) => e.kind === 'audit_log');
    expect(logs.map((l) => [l.name, l.enabled, l.retentionDays, l.categories])).toEqual([
      ['activity log → hub', true, null, ['configuration']],
      ['activity log → legacy', true, 400, ['configuration', 'security']],
      ['activity log → off', false, null, []],
    ]);
    expect(entities.find((e) => e.kind === 'account')).toMatchObject({ name: SUB, regions: ['westeurope'] });
  });

  it('keys without size or curve, and a notify-only policy', () => {
    const key = (name: string, properties: unknown) =>
      KeyVaultKey.parse({ id: `${rg}/providers/Microsoft.KeyVault/vaults/v/keys/${name}`, name, properties });
    const { entities } = run(
      collection({
        keys: [
          {
            vaultId: `${rg}/providers/Microsoft.KeyVault/vaults/v`,
            region: undefined,
            subscriptionId: SUB,
            vaultProperties: { softDelete: true, purgeProtection: false },
            rawRef: 'k',
            key: key('notify', {
              kty: 'RSA-HSM',
              rotationPolicy: {
                lifetimeActions: [{ trigger: { timeBeforeExpiry: 'P30D' }, action: { type: 'Notify' } }],
              },
            }),
          },
          {
            vaultId: `${rg}/providers/Microsoft.KeyVault/vaults/v`,
            region: undefined,
            subscriptionId: SUB,
            vaultProperties: { softDelete: true, purgeProtection: false },
            rawRef: 'k',
            key: key('odd', {
              kty: 'oct-HSM',
              rotationPolicy: { lifetimeActions: [{ trigger: {}, action: { type: 'rotate' } }] },
            }),
          },
        ],
      }),
    );
    expect(
      entities.map(
        (e) => e.kind === 'key' && [e.name, e.algorithm, e.enabled, e.rotationEnabled, e.rotationPeriodDays],
      ),
    ).toEqual([
      ['notify', 'RSA', null, false, null],
      ['odd', null, null, true, null],
    ]);
    expect(entities[0]).not.toHaveProperty('region');
  });
});

describe('GitHub Actions OIDC (workload identity federation)', () => {
  it('trades the runner token for an Entra token, with no secret', async () => {
    const ghToken =
      'eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJyZXBvOmFjbWUvcGxhbnQ6ZW52aXJvbm1lbnQ6Y29tcGxpYW5jZSJ9.c2ln';
    const asked: string[] = [];
    const gh = createServer((req, res) => {
      asked.push(`${req.url} ${req.headers.authorization}`);
      res.setHeader('content-type', 'application/json');
      res.end(JSON.stringify({ count: 1, value: ghToken }));
    });
    await new Promise<void>((r) => gh.listen(0, '127.0.0.1', r));
    const azure = await startTestAzure({ federatedAssertion: ghToken });
    try {
      const { clientId: _c, clientSecretEnv: _s, ...options } = azure.options;
      const env = {
        AZURE_TENANT_ID: TEST_TENANT,
        AZURE_CLIENT_ID: TEST_CLIENT,
        ACTIONS_ID_TOKEN_REQUEST_URL: `http://127.0.0.1:${(gh.address() as AddressInfo).port}/idtoken?api-version=2.0`,
        ACTIONS_ID_TOKEN_REQUEST_TOKEN: 'runner-request-token',
      };
      const result = await runCollector(
        'azure',
        AzureOptions.parse({ ...options, subscriptions: ['6f1d2c3b-4a59-4e68-9d7c-1b2a3c4d5e02'] }),
        '/',
        { env },
      );
      expect(result.source.error).toBeNull();
      expect(result.source.status).toBe('ok');
      expect(result.entities.length).toBe(13);
      expect(asked).toEqual([
        '/idtoken?api-version=2.0&audience=api%3A%2F%2FAzureADTokenExchange bearer runner-request-token',
      ]);
    } finally {
      await azure.close();
      gh.close();
    }
  });
});
