import { readFileSync } from 'node:fs';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  type AwsConfigServerOptions,
  type StartedAwsConfigServer,
  type StoredConfigItem,
  startAwsConfigServer,
} from '../../../test/servers/aws-config-server.js';
import { summarizeChecks } from '../../evaluate/index.js';
import type { SourceResult } from '../../snapshot/build.js';
import { Entity } from '../../snapshot/schema.js';
import { runCollector } from '../run.js';
import { awsConfigCollector } from './index.js';

const ITEMS = JSON.parse(
  readFileSync(new URL('./__fixtures__/configuration-items.json', import.meta.url), 'utf8'),
) as StoredConfigItem[];
const A1 = '111111111111';
const A2 = '222222222222';
const ENV = { AWS_ACCESS_KEY_ID: 'AKIAPLANTPROOFTEST01', AWS_SECRET_ACCESS_KEY: 'test-secret' };
const NOW = () => new Date('2026-11-20T10:00:00.000Z');

beforeAll(() => {
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';
});

let servers: StartedAwsConfigServer[] = [];
afterEach(async () => {
  await Promise.all(servers.map((s) => s.close()));
  servers = [];
});

async function serve(opts: Partial<AwsConfigServerOptions> = {}) {
  const server = await startAwsConfigServer({
    items: ITEMS,
    maxPageSize: 5,
    defaultAccountId: '333333333333',
    ...opts,
  });
  servers.push(server);
  return server;
}

const accounts = [
  {
    accountId: A1,
    name: 'acme-analytics',
    regions: ['eu-central-1', 'eu-west-1'],
    roleArn: `arn:aws:iam::${A1}:role/PlantproofAudit`,
  },
  {
    accountId: A2,
    name: 'acme-ot-dmz',
    regions: ['eu-central-1'],
    roleArn: `arn:aws:iam::${A2}:role/PlantproofAudit`,
  },
];

function run(server: StartedAwsConfigServer, extra: Record<string, unknown> = {}): Promise<SourceResult> {
  const options = awsConfigCollector.options.parse({
    name: 'acme',
    accounts,
    endpoint: server.url,
    stsEndpoint: server.url,
    ...extra,
  });
  return runCollector('aws-config', options, '/tmp', { env: ENV, now: NOW });
}

const ids = (r: SourceResult) => r.entities.map((e) => e.id).sort();
const ofAccount = (r: SourceResult, account: string) => ids(r).filter((id) => id.includes(account));
/** Entities without the provenance fields that legitimately differ between two runs. */
const facts = (r: SourceResult) =>
  r.entities
    .map((e) => {
      const { rawRef: _r, ...rest } = e as Record<string, unknown>;
      return rest;
    })
    .sort((a, b) => String(a.id).localeCompare(String(b.id)));

describe('aws-config collector against the local AWS Config server (JSON 1.1 wire protocol)', () => {
  it('happy path: two accounts, three regions, several pages each, every item once', async () => {
    const server = await serve();
    const r = await run(server);
    expect(r.source).toMatchObject({
      id: 'aws-config:acme',
      collector: 'aws-config',
      target: 'acme',
      status: 'ok',
      error: null,
      gaps: [],
      itemCount: 27,
      kinds: [
        'account',
        'storage',
        'database',
        'key',
        'audit_log',
        'network_rule',
        'user',
        'role_assignment',
      ],
    });
    for (const e of r.entities) expect(Entity.safeParse(e).success, e.id).toBe(true);
    expect(new Set(ids(r)).size).toBe(27);
    // 22 items in 111111111111/eu-central-1 are 5 pages of 5; the other two regions fit on one page.
    expect(server.stats.byAction).toEqual({
      AssumeRole: 2,
      DescribeConfigurationRecorderStatus: 3,
      SelectResourceConfig: 7,
    });
    expect(r.source.apiCalls).toBe(12);
    expect(server.stats.itemsServed).toBe(29);
    expect(ofAccount(r, A2)).toEqual([
      'aws:account:222222222222',
      'aws:kms:222222222222:eu-central-1:c4d5e6f7-a8b9-4c0d-9e1f-2a3b4c5d6e7f',
      'aws:s3:222222222222:eu-central-1:acme-ot-dmz-drop',
      'aws:sg-rule:222222222222:eu-central-1:sg-0d1e2f3a4b5c60003:ingress:tcp:22',
    ]);
    // The IAM user recorded in both regions of 111111111111 comes once, from the newer item.
    const alice = r.entities.find((e) => e.id === `aws:iam-user:arn:aws:iam::${A1}:user/alice.meyer`);
    expect(r.raw[alice!.rawRef!]?.api).toMatch(
      /^config:SelectResourceConfig account 111111111111 in eu-central-1 page \d$/,
    );
    // Every page is kept as AWS sent it, JSON-string Results included.
    const page = Object.values(r.raw).find((x) => x.api.endsWith('eu-west-1 page 1'))!;
    expect((page.payload as { Results: unknown[] }).Results.every((x) => typeof x === 'string')).toBe(true);
    // Advanced query is asked for configuration, supplementary configuration, tags and relationships.
    expect(r.entities.find((e) => e.id === `aws:s3:${A1}:eu-central-1:acme-analytics-curated`)).toMatchObject(
      {
        tags: { DataClassification: 'Confidential', owner: 'analytics' },
        classification: 'confidential',
        tlsOnly: true,
      },
    );
  });

  it('throttled, then recovered: nothing lost, nothing duplicated, every attempt counted', async () => {
    const baseline = await run(await serve());
    const server = await serve({ faults: { throttleFirst: 3 } });
    const r = await run(server);
    expect(r.source.status).toBe('ok');
    expect(server.stats.throttled).toBe(3);
    expect(r.source.apiCalls).toBe(baseline.source.apiCalls + 3);
    expect(facts(r)).toEqual(facts(baseline));
  });

  it('a token-bucket throttle over the whole run: the same items arrive', async () => {
    const baseline = await run(await serve());
    const server = await serve({ throttle: { callsPerSecond: 20, burst: 1 } });
    const r = await run(server);
    expect(r.source.status).toBe('ok');
    expect(server.stats.throttled).toBeGreaterThan(0);
    expect(r.source.apiCalls).toBe(12 + server.stats.throttled);
    expect(facts(r)).toEqual(facts(baseline));
  });

  it('one account denied while the other succeeds: partial, the denied actions named, dependent checks error', async () => {
    const server = await serve({ faults: { denied: [{ accountId: A2 }] } });
    const r = await run(server);
    expect(r.source.status).toBe('partial');
    expect(r.source.error).toBeNull();
    expect([...r.source.gaps].sort()).toEqual([
      'config:DescribeConfigurationRecorderStatus denied for account 222222222222 in eu-central-1 (recording state unknown)',
      'config:SelectResourceConfig denied for account 222222222222 in eu-central-1',
    ]);
    expect(ofAccount(r, A2)).toEqual(['aws:account:222222222222']);
    expect(ofAccount(r, A1)).toHaveLength(23);
    const [check] = summarizeChecks(
      {
        'storage.encrypted_at_rest': {
          id: 'storage.encrypted_at_rest',
          title: 'Storage is encrypted at rest with AES-256',
          domain: 'storage',
          severity: 'high',
          kinds: ['storage'],
        } as never,
      },
      {
        'storage.encrypted_at_rest': [
          { resource: `aws:s3:${A1}:eu-central-1:acme-analytics-curated`, status: 'pass', message: 'ok' },
        ],
      },
      [r.source],
    );
    expect(check).toMatchObject({ status: 'error', blockedBy: ['aws-config:acme'] });
  });

  it('one region denied: only that region is a gap', async () => {
    const server = await serve({
      faults: { denied: [{ accountId: A1, region: 'eu-west-1', action: 'SelectResourceConfig' }] },
    });
    const r = await run(server);
    expect(r.source.status).toBe('partial');
    expect(r.source.gaps).toEqual([
      'config:SelectResourceConfig denied for account 111111111111 in eu-west-1',
    ]);
    expect(ids(r).filter((id) => id.includes(':eu-west-1:'))).toEqual([]);
    expect(ofAccount(r, A2)).toHaveLength(4);
  });

  it('everything denied: a source error that names each missing permission', async () => {
    const server = await serve({ faults: { denied: [{ action: 'SelectResourceConfig' }] } });
    const r = await run(server);
    expect(r.source.status).toBe('error');
    expect(r.source.error).toBe(
      'nothing collected: config:SelectResourceConfig denied for account 111111111111 in eu-central-1; ' +
        'config:SelectResourceConfig denied for account 111111111111 in eu-west-1; ' +
        'config:SelectResourceConfig denied for account 222222222222 in eu-central-1',
    );
    expect(r.entities).toEqual([]);
  });

  it('a garbage reply: a clear source error, and the run goes on', async () => {
    const broken = await serve({ faults: { malformed: [{ action: 'SelectResourceConfig' }] } });
    const healthy = await serve();
    const [bad, good] = await Promise.all([
      run(broken, { accounts: [accounts[1]] }),
      run(healthy, { name: 'other', accounts: [accounts[1]] }),
    ]);
    expect(bad.source.status).toBe('error');
    expect(bad.source.error).toMatch(
      /^account 222222222222 in eu-central-1: AWS Config sent a malformed reply to SelectResourceConfig \(.+\)$/,
    );
    expect(bad.entities).toEqual([]);
    expect(good.source).toMatchObject({ status: 'ok', itemCount: 4 });
  });

  it('a Results entry that is not JSON fails its region with the page named', async () => {
    const server = await serve({ faults: { malformedResult: [{ accountId: A1, region: 'eu-west-1' }] } });
    const r = await run(server);
    expect(r.source.status).toBe('partial');
    expect(r.source.gaps).toEqual([
      expect.stringMatching(
        /^account 111111111111 in eu-west-1: AWS Config sent a malformed reply to SelectResourceConfig \(page 1: a Results entry is not JSON/,
      ),
    ]);
  });

  it('a region not recording makes the source partial with the region named', async () => {
    const server = await serve({
      recorders: [
        { accountId: A1, region: 'eu-central-1', recording: true },
        { accountId: A1, region: 'eu-west-1', recording: false },
        {
          accountId: A2,
          region: 'eu-central-1',
          recording: true,
          lastStatus: 'Failure',
          lastErrorCode: 'AccessDenied',
        },
      ],
    });
    const r = await run(server);
    expect(r.source.status).toBe('partial');
    expect([...r.source.gaps].sort()).toEqual([
      'eu-central-1: configuration recorder failing (AccessDenied) (account 222222222222)',
      'eu-west-1: configuration recorder not recording (account 111111111111)',
    ]);
    expect(r.source.itemCount).toBe(27);
  });

  it('falls back to ListDiscoveredResources + BatchGetResourceConfig where advanced query is not offered', async () => {
    const baseline = await run(await serve());
    const server = await serve({
      faults: { unsupported: [{ action: 'SelectResourceConfig' }], unprocessed: { keys: 3, times: 1 } },
    });
    const r = await run(server);
    expect(r.source.status).toBe('ok');
    expect(server.stats.byAction).toEqual({
      AssumeRole: 2,
      DescribeConfigurationRecorderStatus: 3,
      SelectResourceConfig: 3,
      ListDiscoveredResources: 39,
      // one batch per region, and one more for the 3 keys left unprocessed
      BatchGetResourceConfig: 4,
    });
    expect(r.source.apiCalls).toBe(51);
    // Batch items carry no tags of their own: tags come from configurations that hold them (IAM, EC2).
    const strip = (r: SourceResult) => facts(r).map(({ tags: _t, classification: _c, ...rest }) => rest);
    expect(strip(r)).toEqual(strip(baseline));
    expect(r.entities.find((e) => e.id === `aws:iam-user:arn:aws:iam::${A1}:user/svc-etl`)).toMatchObject({
      userType: 'service',
      tags: { UserType: 'service' },
    });
  });

  it('mode list skips advanced query altogether', async () => {
    const server = await serve();
    const r = await run(server, { mode: 'list', accounts: [accounts[1]] });
    expect(r.source).toMatchObject({ status: 'ok', itemCount: 4 });
    expect(server.stats.byAction.SelectResourceConfig).toBeUndefined();
    expect(server.stats.byAction.BatchGetResourceConfig).toBe(1);
  });

  it('an organization aggregator: one query, failed sources and stopped recorders as gaps', async () => {
    const recorder: StoredConfigItem = {
      accountId: A2,
      awsRegion: 'eu-central-1',
      resourceType: 'AWS::Config::ConfigurationRecorder',
      resourceId: 'default',
      resourceName: 'default',
      configurationItemCaptureTime: '2026-11-19T06:12:44.512Z',
      configuration: {
        Name: 'default',
        Recording: false,
        RoleARN: `arn:aws:iam::${A2}:role/aws-service-role/config.amazonaws.com/AWSServiceRoleForConfig`,
      },
    };
    const server = await serve({
      items: [...ITEMS, recorder],
      aggregators: [
        {
          name: 'acme-org',
          sources: [
            {
              SourceId: A1,
              SourceType: 'ORGANIZATION',
              AwsRegion: 'eu-central-1',
              LastUpdateStatus: 'SUCCEEDED',
            },
            {
              SourceId: A1,
              SourceType: 'ORGANIZATION',
              AwsRegion: 'eu-west-1',
              LastUpdateStatus: 'SUCCEEDED',
            },
            {
              SourceId: A2,
              SourceType: 'ORGANIZATION',
              AwsRegion: 'eu-central-1',
              LastUpdateStatus: 'FAILED',
              LastErrorCode: 'AccessDenied',
              LastErrorMessage: 'The aggregator could not assume AWSServiceRoleForConfig',
            },
          ],
        },
      ],
    });
    const options = awsConfigCollector.options.parse({
      aggregator: { name: 'acme-org', region: 'eu-central-1' },
      endpoint: server.url,
    });
    const r = await runCollector('aws-config', options, '/tmp', { env: ENV, now: NOW });
    expect(r.source).toMatchObject({
      id: 'aws-config:aggregator/acme-org',
      status: 'partial',
      itemCount: 27,
    });
    expect(r.source.gaps).toEqual([
      'eu-central-1: aggregator acme-org could not collect account 222222222222 (AccessDenied: The aggregator could not assume AWSServiceRoleForConfig)',
      'eu-central-1: configuration recorder not recording (account 222222222222)',
    ]);
    expect(server.stats.byAction).toEqual({
      DescribeConfigurationAggregatorSourcesStatus: 1,
      SelectAggregateResourceConfig: 6,
    });
    expect(r.entities.find((e) => e.id === `aws:account:${A1}`)).toMatchObject({
      regions: ['eu-central-1', 'eu-west-1'],
    });
  });

  it('an unknown aggregator is a source error', async () => {
    const server = await serve({ aggregators: [] });
    const options = awsConfigCollector.options.parse({
      aggregator: { name: 'nope', region: 'eu-central-1' },
      endpoint: server.url,
    });
    const r = await runCollector('aws-config', options, '/tmp', { env: ENV, now: NOW });
    expect(r.source.status).toBe('error');
    expect(r.source.error).toBe(
      'aggregator nope in eu-central-1: DescribeConfigurationAggregatorSourcesStatus failed: NoSuchConfigurationAggregatorException: The configuration aggregator does not exist.',
    );
  });

  it('still throttled after every attempt: the region is a gap that says so', async () => {
    const server = await serve({ faults: { throttleFirst: 1_000 } });
    const r = await run(server, { accounts: [accounts[1]], maxAttempts: 2 });
    expect(r.source.status).toBe('error');
    expect(r.source.error).toBe(
      'account 222222222222 in eu-central-1: DescribeConfigurationRecorderStatus still throttled after 2 attempts (ThrottlingException)',
    );
    expect(r.source.apiCalls).toBe(3);
  });

  it('a call that does not answer in time', async () => {
    const server = await serve({ latencyMs: 600 });
    const r = await run(server, {
      accounts: [{ accountId: A2, regions: ['eu-central-1'] }],
      timeoutMs: 150,
      maxAttempts: 1,
    });
    expect(r.source.status).toBe('error');
    expect(r.source.error).toBe(
      'account 222222222222 in eu-central-1: DescribeConfigurationRecorderStatus timed out (no reply within 150 ms)',
    );
  });
});

describe('aws-config collector, credentials', () => {
  it('refuses items of another account than the one declared', async () => {
    const server = await serve({ defaultAccountId: A2 });
    const r = await run(server, { accounts: [{ accountId: A1, regions: ['eu-central-1'] }] });
    expect(r.source.status).toBe('error');
    expect(r.source.error).toBe(
      'account 111111111111 in eu-central-1: the credentials reach account 222222222222, not 111111111111 (set roleArn or profile for this account)',
    );
  });
});
