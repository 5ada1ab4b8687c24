import { afterAll, afterEach, describe, expect, it } from 'vitest';
import {
  azureReplies,
  graphSkipToken,
  isGraph,
  SECRET_ENV,
  startTestAzure,
  TEST_CLIENT,
  type TestAzure,
  testCa,
  withFaults,
} from '../../../test/servers/azure-arm-server.js';
import { defaultConfig } from '../../check.js';
import { evaluateSnapshot } from '../../evaluate/index.js';
import { buildSnapshot } from '../../snapshot/build.js';
import { Entity, type EntityInput } from '../../snapshot/schema.js';
import { createCollectContext } from '../context.js';
import { runCollector } from '../run.js';
import { AzureOptions, azureCollector } from './index.js';

const PROD = '6f1d2c3b-4a59-4e68-9d7c-1b2a3c4d5e01';
const DEV = '6f1d2c3b-4a59-4e68-9d7c-1b2a3c4d5e02';
const LAB = '6f1d2c3b-4a59-4e68-9d7c-1b2a3c4d5e03';
const NOW = new Date('2025-06-02T10:00:00Z');

const sub = (id: string) => `azure:/subscriptions/${id}`;
const prodRg = (rg: string, rest: string) =>
  `azure:/subscriptions/${PROD}/resourcegroups/${rg}/providers/${rest}`;
const devRg = (rest: string) => `azure:/subscriptions/${DEV}/resourcegroups/rg-dev/providers/${rest}`;
const labRg = (rest: string) => `azure:/subscriptions/${LAB}/resourcegroups/rg-lab/providers/${rest}`;
const nsgRule = (kind: string, name: string) =>
  devRg(`microsoft.network/networksecuritygroups/nsg-dev-edge/${kind}/${name.toLowerCase()}`);

/** Every entity the fixture plant yields, by id. */
const ALL_IDS = [
  prodRg('rg-data', 'microsoft.sql/servers/sql-plant-prod/databases/mes'),
  prodRg('rg-data', 'microsoft.storage/storageaccounts/plantprodcmk'),
  prodRg('rg-data', 'microsoft.storage/storageaccounts/plantprodhist'),
  prodRg('rg-sec', 'microsoft.keyvault/vaults/kv-plant-prod/keys/legacy-rsa'),
  prodRg('rg-sec', 'microsoft.keyvault/vaults/kv-plant-prod/keys/sign-ec'),
  prodRg('rg-sec', 'microsoft.keyvault/vaults/kv-plant-prod/keys/st-cmk'),
  sub(PROD),
  `azure:/subscriptions/${PROD}/providers/microsoft.insights/diagnosticsettings/to-law`,
  devRg('microsoft.compute/disks/disk-dev-data'),
  ...[
    'AllowAzureLoadBalancerInBound',
    'AllowInternetOutBound',
    'AllowVnetInBound',
    'AllowVnetOutBound',
    'DenyAllInBound',
    'DenyAllOutBound',
  ].map((n) => nsgRule('defaultsecurityrules', n)),
  ...['allow-opcua-internet', 'allow-vendor-ssh', 'deny-smb-out'].map((n) => nsgRule('securityrules', n)),
  devRg('microsoft.storage/storageaccounts/plantdevlogs'),
  sub(DEV),
  `azure:/subscriptions/${DEV}/providers/microsoft.insights/diagnosticsettings/to-storage`,
  labRg('microsoft.compute/disks/disk-lab-os'),
  labRg('microsoft.storage/storageaccounts/plantlabscratch'),
  sub(LAB),
].sort();

/**
 * Wire requests of one full run over the fixtures with Resource Graph pages of 5 and Resource
 * Manager pages of 2: subscriptions 2, resource groups 2+1+1, diagnostic settings 3, Resource Graph
 * 3 resource pages + 1 regions page, TDE 1, TDE protector 1, key list 2, key GETs 3, lifecycle policy 1,
 * blob-service diagnostic settings 4.
 */
const HAPPY_CALLS = 25;

const servers: TestAzure[] = [];
afterEach(async () => {
  for (const s of servers.splice(0)) await s.close();
});
afterAll(async () => {
  await (await testCa()).remove();
});

async function start(opts: Parameters<typeof startTestAzure>[0] = {}) {
  const azure = await startTestAzure({ graphPageSize: 5, armPageSize: 2, ...opts });
  servers.push(azure);
  return azure;
}

function collect(azure: TestAzure, extra: Record<string, unknown> = {}, env: NodeJS.ProcessEnv = azure.env) {
  const options = AzureOptions.parse({ ...azure.options, ...extra });
  return runCollector('azure', options, '/nonexistent-config-dir', { env, now: () => NOW });
}

const byId = (entities: EntityInput[]) => new Map(entities.map((e) => [e.id, e]));

describe('azure collector over the wire', () => {
  it('collects every subscription through several Resource Graph and Resource Manager pages', async () => {
    const azure = await start();
    const result = await collect(azure);

    expect(result.source).toMatchObject({
      id: 'azure:3e0c1a7d-8f2b-4c5e-9a1d-2b3c4d5e6f70',
      status: 'ok',
      error: null,
      gaps: [],
      apiCalls: HAPPY_CALLS,
      itemCount: ALL_IDS.length,
      kinds: ['account', 'storage', 'database', 'key', 'audit_log', 'network_rule'],
    });
    expect(result.entities.map((e) => e.id)).toEqual(ALL_IDS);
    for (const e of result.entities) {
      expect(() => Entity.parse(e), e.id).not.toThrow();
      expect(result.raw[e.rawRef ?? ''], `rawRef of ${e.id}`).toBeDefined();
    }

    // Resource Graph: three pages of the resource query, each asking for 1000 rows and following $skipToken.
    const graph = azure.server.log.filter((l) =>
      l.url.startsWith('/providers/Microsoft.ResourceGraph/resources'),
    );
    expect(graph.map((l) => l.status)).toEqual([200, 200, 200, 200]);
    expect(graph.map((l) => l.graphOptions?.$top)).toEqual([1000, 1000, 1000, 1000]);
    expect(graph.map((l) => l.graphOptions?.resultFormat)).toEqual([
      'objectArray',
      'objectArray',
      'objectArray',
      'objectArray',
    ]);
    expect(graph.map((l) => typeof l.graphOptions?.$skipToken)).toEqual([
      'undefined',
      'string',
      'string',
      'undefined',
    ]);
    expect(azure.server.tokensIssued).toBe(1);

    const e = byId(result.entities);
    expect(e.get(sub(PROD))).toEqual({
      id: sub(PROD),
      kind: 'account',
      provider: 'azure',
      source: result.source.id,
      rawRef: expect.any(String),
      name: 'plant-prod',
      accountId: PROD,
      accountType: 'subscription',
      regions: ['northeurope', 'westeurope'],
    });
    // a resource in `global` (a DNS zone) is no region
    expect(e.get(sub(LAB))).toMatchObject({ regions: ['eastus'] });
    expect(e.get(prodRg('rg-data', 'microsoft.storage/storageaccounts/plantprodhist'))).toEqual({
      id: prodRg('rg-data', 'microsoft.storage/storageaccounts/plantprodhist'),
      kind: 'storage',
      provider: 'azure',
      source: result.source.id,
      rawRef: expect.any(String),
      name: 'plantprodhist',
      accountId: PROD,
      region: 'westeurope',
      tags: { owner: 'historian', costcenter: '4711' },
      storageType: 'account',
      encryptedAtRest: true,
      algorithm: 'AES-256',
      customerManagedKey: false,
      keyId: null,
      publicAccess: true,
      tlsOnly: true,
      minTlsVersion: '1.0',
      // its blob service sends StorageRead, StorageWrite and StorageDelete to Log Analytics
      accessLogging: true,
    });
    expect(e.get(prodRg('rg-data', 'microsoft.storage/storageaccounts/plantprodcmk'))).toMatchObject({
      customerManagedKey: true,
      keyId: 'https://kv-plant-prod.vault.azure.net/keys/st-cmk',
      publicAccess: false,
      minTlsVersion: '1.2',
      // no blob diagnostic setting: classic logging may still be on, so it is not recorded either way
      accessLogging: null,
    });
    // a setting with its StorageRead category off logs nothing
    expect(e.get(labRg('microsoft.storage/storageaccounts/plantlabscratch'))).toMatchObject({
      tlsOnly: false,
      accessLogging: null,
    });
    // the `audit` category group covers reads, writes and deletes
    expect(e.get(devRg('microsoft.storage/storageaccounts/plantdevlogs'))).toMatchObject({
      accessLogging: true,
    });
    expect(e.get(devRg('microsoft.compute/disks/disk-dev-data'))).toMatchObject({
      storageType: 'block',
      encryptedAtRest: true,
      algorithm: 'AES-256',
      customerManagedKey: true,
      keyId: `azure:/subscriptions/${DEV}/resourcegroups/rg-dev/providers/microsoft.compute/diskencryptionsets/des-dev`,
      publicAccess: false,
      tlsOnly: null,
    });
    expect(e.get(labRg('microsoft.compute/disks/disk-lab-os'))).toMatchObject({
      customerManagedKey: false,
      publicAccess: true,
    });
    expect(e.get(prodRg('rg-data', 'microsoft.sql/servers/sql-plant-prod/databases/mes'))).toEqual({
      id: prodRg('rg-data', 'microsoft.sql/servers/sql-plant-prod/databases/mes'),
      kind: 'database',
      provider: 'azure',
      source: result.source.id,
      rawRef: expect.any(String),
      name: 'mes',
      accountId: PROD,
      region: 'westeurope',
      engine: 'azure-sql',
      encryptedAtRest: true,
      customerManagedKey: true,
      publiclyAccessible: false,
      minTlsVersion: '1.2',
    });
    expect(e.get(prodRg('rg-sec', 'microsoft.keyvault/vaults/kv-plant-prod/keys/st-cmk'))).toEqual({
      id: prodRg('rg-sec', 'microsoft.keyvault/vaults/kv-plant-prod/keys/st-cmk'),
      kind: 'key',
      provider: 'azure',
      source: result.source.id,
      rawRef: expect.any(String),
      name: 'st-cmk',
      accountId: PROD,
      region: 'westeurope',
      managedBy: 'customer',
      enabled: true,
      rotationEnabled: true,
      rotationPeriodDays: 90,
      lastRotatedAt: null,
      softDelete: true,
      purgeProtection: true,
      algorithm: 'RSA-3072',
    });
    // rotation 30 days before a one-year expiry
    expect(e.get(prodRg('rg-sec', 'microsoft.keyvault/vaults/kv-plant-prod/keys/sign-ec'))).toMatchObject({
      rotationEnabled: true,
      rotationPeriodDays: 335,
      algorithm: 'EC-P384',
    });
    expect(e.get(prodRg('rg-sec', 'microsoft.keyvault/vaults/kv-plant-prod/keys/legacy-rsa'))).toMatchObject({
      enabled: false,
      rotationEnabled: false,
      rotationPeriodDays: null,
    });
    expect(
      e.get(`azure:/subscriptions/${PROD}/providers/microsoft.insights/diagnosticsettings/to-law`),
    ).toEqual({
      id: `azure:/subscriptions/${PROD}/providers/microsoft.insights/diagnosticsettings/to-law`,
      kind: 'audit_log',
      provider: 'azure',
      source: result.source.id,
      rawRef: expect.any(String),
      name: 'activity log → to-law',
      accountId: PROD,
      enabled: true,
      multiRegion: true,
      regions: ['northeurope', 'westeurope'],
      integrityValidation: null,
      immutable: null,
      // the Log Analytics workspace keeps it 365 days
      retentionDays: 365,
      categories: ['configuration', 'security'],
    });
    // a lifecycle rule deletes the exported append blobs after 180 days
    expect(
      e.get(`azure:/subscriptions/${DEV}/providers/microsoft.insights/diagnosticsettings/to-storage`),
    ).toMatchObject({
      retentionDays: 180,
      categories: ['configuration', 'security'],
    });
    expect(e.get(nsgRule('securityrules', 'allow-opcua-internet'))).toEqual({
      id: nsgRule('securityrules', 'allow-opcua-internet'),
      kind: 'network_rule',
      provider: 'azure',
      source: result.source.id,
      rawRef: expect.any(String),
      name: 'allow-opcua-internet',
      accountId: DEV,
      region: 'westeurope',
      groupId: devRg('microsoft.network/networksecuritygroups/nsg-dev-edge'),
      direction: 'ingress',
      action: 'allow',
      protocol: 'tcp',
      ports: [{ from: 4840, to: 4840 }],
      sources: ['Internet'],
      internetExposed: true,
      priority: 100,
    });
    expect(e.get(nsgRule('securityrules', 'allow-vendor-ssh'))).toMatchObject({
      ports: [
        { from: 22, to: 22 },
        { from: 8000, to: 8080 },
      ],
      sources: ['198.51.100.0/24', '203.0.113.7'],
      internetExposed: false,
    });
    expect(e.get(nsgRule('defaultsecurityrules', 'DenyAllInBound'))).toMatchObject({
      action: 'deny',
      protocol: 'all',
      ports: [],
      sources: ['*'],
      internetExposed: false,
      priority: 65500,
    });
    expect(e.get(nsgRule('defaultsecurityrules', 'AllowInternetOutBound'))).toMatchObject({
      direction: 'egress',
      sources: ['Internet'],
      internetExposed: false,
    });
  });

  it('waits out 429s from Resource Graph and Resource Manager, losing and doubling nothing', async () => {
    const azure = await start({
      intercept: withFaults([
        // the second page of the resource query, with Retry-After for the SDK's retry policy
        {
          match: (r) => isGraph(r) && graphSkipToken(r) !== undefined,
          reply: () => azureReplies.graphThrottled(1),
        },
        // a Resource Graph 429 with only the quota headers: the collector's own pacing retries it
        {
          match: (r) => isGraph(r) && /summarize/.test(String((r.body as { query?: string }).query)),
          reply: () => azureReplies.graphThrottled(),
        },
        // Resource Manager read throttling on one subscription's resource groups
        {
          match: (r) => r.method === 'GET' && r.path.toLowerCase() === `/subscriptions/${DEV}/resourcegroups`,
          reply: () => azureReplies.armThrottled(1),
        },
      ]),
    });
    const result = await collect(azure);
    expect(result.source.status).toBe('ok');
    expect(result.source.gaps).toEqual([]);
    expect(result.entities.map((e) => e.id)).toEqual(ALL_IDS);
    // every retry is a call on the wire
    expect(result.source.apiCalls).toBe(HAPPY_CALLS + 3);
    expect(azure.server.log.filter((l) => l.status === 429)).toHaveLength(3);
    const graph = azure.server.log.filter((l) =>
      l.url.startsWith('/providers/Microsoft.ResourceGraph/resources'),
    );
    expect(graph.map((l) => l.status)).toEqual([200, 429, 200, 200, 429, 200]);
    // the retried page asked for the same $skipToken again
    expect(graph[2]?.graphOptions?.$skipToken).toBe(graph[1]?.graphOptions?.$skipToken);
    // the retry after a header-only 429 waited for the quota window (1 s)
    expect((graph[5]?.at ?? 0) - (graph[4]?.at ?? 0)).toBeGreaterThanOrEqual(950);
  });

  it('paces Resource Graph queries by x-ms-user-quota-remaining instead of running into 429s', async () => {
    const azure = await start({ graphPageSize: 2, graphQuota: { queries: 3, windowMs: 1000 } });
    const result = await collect(azure);
    expect(result.source.status).toBe('ok');
    expect(result.entities.map((e) => e.id)).toEqual(ALL_IDS);
    const graph = azure.server.log.filter((l) =>
      l.url.startsWith('/providers/Microsoft.ResourceGraph/resources'),
    );
    // 6 pages of resources and 3 of regions, 3 queries a second, and never a 429
    expect(graph).toHaveLength(9);
    expect(graph.every((l) => l.status === 200)).toBe(true);
    expect((graph[8]?.at ?? 0) - (graph[0]?.at ?? 0)).toBeGreaterThanOrEqual(1900);
  });

  it('marks the source partial when one subscription is denied, and the checks that need it error', async () => {
    const azure = await start({ deniedSubscriptions: [LAB] });
    const result = await collect(azure);
    expect(result.source.status).toBe('partial');
    expect(result.source.error).toBeNull();
    expect(result.source.gaps).toEqual([
      `subscription ${LAB} (plant-lab) not collected: AuthorizationFailed, HTTP 403; missing permission ` +
        `Microsoft.Resources/subscriptions/resourceGroups/read: The client '${TEST_CLIENT}' with object id '${TEST_CLIENT}' ` +
        `does not have authorization to perform action 'Microsoft.Resources/subscriptions/resourceGroups/read' over scope ` +
        `'/subscriptions/${LAB}/resourcegroups' or the scope is invalid. If access was recently granted, please refresh your credentials.`,
    ]);
    const ids = result.entities.map((e) => e.id);
    expect(ids).toEqual(ALL_IDS.filter((id) => !id.includes(LAB)));

    const snapshot = buildSnapshot({ collectedAt: NOW, scope: { name: 'test' }, results: [result] });
    const { checks } = await evaluateSnapshot(snapshot, defaultConfig('test'), { now: NOW });
    const storage = checks.find((c) => c.id === 'storage.public_access_blocked');
    expect(storage?.status).toBe('error');
    expect(storage?.blockedBy).toEqual([result.source.id]);
    expect(storage?.reason).toMatch(
      /^cannot be judged: azure:.* is partial: subscription 6f1d2c3b-4a59-4e68-9d7c-1b2a3c4d5e03/,
    );
    // the storage account that did arrive and allows public access still shows as a failing finding
    expect(storage?.findings).toContainEqual(
      expect.objectContaining({
        resource: prodRg('rg-data', 'microsoft.storage/storageaccounts/plantprodhist'),
        status: 'fail',
      }),
    );
  });

  it('fails the source with the denial when no subscription can be read', async () => {
    const azure = await start({ deniedSubscriptions: [PROD, DEV, LAB] });
    const result = await collect(azure, { subscriptions: [PROD, DEV] });
    expect(result.source.status).toBe('error');
    expect(result.source.error).toBe(
      `no subscription could be read: subscription ${PROD} not collected: AuthorizationFailed, HTTP 403; missing permission ` +
        `Microsoft.Resources/subscriptions/read: The client '${TEST_CLIENT}' with object id '${TEST_CLIENT}' does not have ` +
        `authorization to perform action 'Microsoft.Resources/subscriptions/read' over scope '/subscriptions/${PROD}' or the ` +
        `scope is invalid. If access was recently granted, please refresh your credentials.; subscription ${DEV} not collected: ` +
        `AuthorizationFailed, HTTP 403; missing permission Microsoft.Resources/subscriptions/read: The client '${TEST_CLIENT}' with ` +
        `object id '${TEST_CLIENT}' does not have authorization to perform action 'Microsoft.Resources/subscriptions/read' over ` +
        `scope '/subscriptions/${DEV}' or the scope is invalid. If access was recently granted, please refresh your credentials.`,
    );
    expect(result.entities).toEqual([]);
  });

  it('reads only the listed subscriptions and names one that does not exist', async () => {
    const missing = '6f1d2c3b-4a59-4e68-9d7c-1b2a3c4d5e09';
    const azure = await start();
    const result = await collect(azure, { subscriptions: [DEV, missing] });
    expect(result.source.status).toBe('partial');
    expect(result.source.gaps).toEqual([
      `subscription ${missing} not collected: SubscriptionNotFound, HTTP 404: The subscription '${missing}' could not be found.`,
    ]);
    expect(result.source.target).toBe(TEST_TENANT_LABEL);
    expect(result.entities.map((e) => e.id)).toEqual(ALL_IDS.filter((id) => id.includes(DEV)));
    const graph = azure.server.log.filter((l) =>
      l.url.startsWith('/providers/Microsoft.ResourceGraph/resources'),
    );
    expect(graph).toHaveLength(2);
  });

  it('turns a garbage Resource Graph reply into a clear source error, and the run goes on', async () => {
    const broken = await start({
      intercept: withFaults([{ match: isGraph, reply: azureReplies.proxyPage, times: 10 }]),
    });
    const healthy = await start();
    const bad = await collect(broken, { name: 'broken' });
    expect(bad.source.status).toBe('error');
    expect(bad.source.error).toBe(
      'Resource Graph query failed: PARSE_ERROR, HTTP 200: Resource Graph reply is not JSON: ' +
        '<html><head><title>502 Bad Gateway</title></head><body><center><h1>502 Bad Gateway</h1></center><hr><center>corporate-pr…',
    );
    expect(bad.entities).toEqual([]);
    const good = await collect(healthy, { name: 'healthy' });
    expect(good.source.status).toBe('ok');
    const snapshot = buildSnapshot({ collectedAt: NOW, scope: { name: 'test' }, results: [bad, good] });
    expect(snapshot.sources.map((s) => [s.id, s.status])).toEqual([
      ['azure:broken', 'error'],
      ['azure:healthy', 'ok'],
    ]);
    expect(snapshot.entities.storage).toHaveLength(6);
  });

  it('turns a garbage Resource Manager reply into a gap for what it held', async () => {
    const azure = await start({
      intercept: withFaults([
        {
          match: (r) => r.path.toLowerCase().endsWith('/transparentdataencryption/current'),
          reply: () => ({ status: 200, body: '{"properties": ' }),
        },
      ]),
    });
    const result = await collect(azure);
    expect(result.source.status).toBe('partial');
    expect(result.source.gaps).toEqual([
      `SQL database /subscriptions/${PROD}/resourceGroups/rg-data/providers/Microsoft.Sql/servers/sql-plant-prod/databases/mes: ` +
        'transparent data encryption not read: PARSE_ERROR, HTTP 200: the reply is not JSON: {"properties":',
    ]);
    expect(
      byId(result.entities).get(prodRg('rg-data', 'microsoft.sql/servers/sql-plant-prod/databases/mes')),
    ).toMatchObject({
      encryptedAtRest: null,
    });
  });

  it('keeps at most `concurrency` Resource Manager requests in flight', async () => {
    const LATENCY = 200;
    /** the most GETs that arrived within less than one reply time of each other */
    const peak = (log: { method: string; at: number }[]) => {
      const at = log.filter((l) => l.method === 'GET').map((l) => l.at);
      return Math.max(...at.map((t) => at.filter((u) => u >= t && u < t + LATENCY * 0.75).length));
    };
    const slow = (r: { method: string }) => (r.method === 'GET' ? LATENCY : 0);
    const two = await start({ latency: slow });
    const narrow = await collect(two, { concurrency: 2 });
    expect(narrow.source.status).toBe('ok');
    expect(peak(two.server.log.filter((l) => !/oauth2|openid/.test(l.url)))).toBeLessThanOrEqual(2);
    const eight = await start({ latency: slow });
    await collect(eight, { concurrency: 8 });
    expect(peak(eight.server.log.filter((l) => !/oauth2|openid/.test(l.url)))).toBeGreaterThan(2);
  });

  it('gives up on a slow Resource Manager reply after timeoutMs and records it as a gap', async () => {
    const azure = await start({ latency: (r) => (/transparentdataencryption/i.test(r.path) ? 5000 : 0) });
    const result = await collect(azure, { timeoutMs: 1500 });
    expect(result.source.status).toBe('partial');
    expect(result.source.gaps).toEqual([
      `SQL database /subscriptions/${PROD}/resourceGroups/rg-data/providers/Microsoft.Sql/servers/sql-plant-prod/databases/mes: ` +
        'transparent data encryption not read: Timeout: no reply within 1500 ms',
    ]);
    expect(result.entities).toHaveLength(ALL_IDS.length);
  });

  it('fails the source when Resource Graph does not answer within timeoutMs', async () => {
    const azure = await start({ latency: (r) => (isGraph(r) ? 5000 : 0) });
    const result = await collect(azure, { timeoutMs: 1500 });
    expect(result.source.status).toBe('error');
    expect(result.source.error).toBe('Resource Graph query failed: Timeout: no reply within 1500 ms');
  });

  it('fails at once with the sign-in error when the client secret is wrong', async () => {
    const azure = await start();
    const result = await collect(azure, {}, { [SECRET_ENV]: 'wrong' });
    expect(result.source.status).toBe('error');
    expect(result.source.error).toMatch(
      /^Azure sign-in failed: .*AADSTS7000215: Invalid client secret provided/,
    );
    expect(result.source.apiCalls).toBe(0);
  });

  it('names the missing secret variable and an unreadable CA file', async () => {
    const azure = await start();
    const noSecret = await collect(azure, {}, {});
    expect(noSecret.source.error).toBe(`environment variable ${SECRET_ENV} (clientSecretEnv) is not set`);
    const noCa = await collect(azure, { caFile: 'missing-ca.pem' });
    expect(noCa.source.error).toBe('cannot read caFile /nonexistent-config-dir/missing-ca.pem: ENOENT');
  });

  it('does not trust the local server without the CA', async () => {
    const azure = await start();
    const { caFile: _ca, ...rest } = azure.options;
    const result = await runCollector('azure', AzureOptions.parse(rest), '/', {
      env: azure.env,
      now: () => NOW,
    });
    expect(result.source.status).toBe('error');
    expect(result.source.error).toMatch(/Azure sign-in failed: .*(certificate|self-signed|issuer)/i);
  });
});

const TEST_TENANT_LABEL = '3e0c1a7d-8f2b-4c5e-9a1d-2b3c4d5e6f70';

describe('azure collector options', () => {
  it('defaults and target label', () => {
    const o = AzureOptions.parse({});
    expect(o).toEqual({ endpoint: 'https://management.azure.com', concurrency: 4, timeoutMs: 30000 });
    expect(azureCollector.target(o)).toBe('all-subscriptions');
    expect(azureCollector.target(AzureOptions.parse({ subscriptions: [PROD] }))).toBe(PROD);
    expect(azureCollector.target(AzureOptions.parse({ name: 'plant', subscriptions: [PROD] }))).toBe('plant');
  });

  it('rejects unknown keys, http endpoints, half-configured secrets and non-GUID subscriptions', () => {
    const issues = (input: unknown) =>
      AzureOptions.safeParse(input).error?.issues.map((i) => `${i.path.join('.')}: ${i.code}`) ?? [];
    expect(issues({ subscription: 'x' })).toEqual([': unrecognized_keys']);
    expect(issues({ endpoint: 'http://management.azure.com' })).toEqual(['endpoint: invalid_format']);
    expect(issues({ clientId: 'a' })).toEqual(['clientSecretEnv: custom', 'tenantId: custom']);
    expect(issues({ subscriptions: ['prod'] })).toEqual(['subscriptions.0: invalid_format']);
  });

  it('collects with a context made by createCollectContext as well', async () => {
    const azure = await start();
    const { ctx, state } = createCollectContext({
      sourceId: 'azure:t',
      configDir: '/',
      env: azure.env,
      now: () => NOW,
    });
    const out = await azureCollector.collect(
      AzureOptions.parse({ ...azure.options, subscriptions: [PROD] }),
      ctx,
    );
    expect(out.entities.filter((e) => e.kind === 'key').map((e) => e.name)).toEqual([
      'legacy-rsa',
      'sign-ec',
      'st-cmk',
    ]);
    expect(state.gaps).toEqual([]);
    expect(Object.values(state.raw).map((r) => r.api)).toContain(
      'POST /providers/Microsoft.ResourceGraph/resources',
    );
  });
});
