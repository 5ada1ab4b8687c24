import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { Entity } from '../../snapshot/schema.js';
import { type ConfigItem, parseBaseItem, parseSelectResult, selectExpression } from './client.js';
import { normalizeAwsConfig, parsePolicy } from './normalize.js';
import { AwsConfigOptions, decodeJsonish } from './schema.js';

const fixture = (name: string) =>
  JSON.parse(readFileSync(new URL(`./__fixtures__/${name}`, import.meta.url), 'utf8'));

/** The stored items as advanced query hands them over (objects, tags as triples), one raw ref each. */
function itemsFromFixture(): ConfigItem[] {
  const stored = fixture('configuration-items.json') as Array<Record<string, unknown>>;
  return stored.map((s, i) => {
    const row = {
      ...s,
      tags: Object.entries((s.tags ?? {}) as Record<string, string>).map(([key, value]) => ({
        key,
        value,
        tag: `${key}=${value}`,
      })),
    };
    const item = parseSelectResult(JSON.stringify(row), `src#${i + 1}`);
    if (typeof item === 'string') throw new Error(item);
    return item;
  });
}

const byId = (entities: ReturnType<typeof normalizeAwsConfig>) => new Map(entities.map((e) => [e.id, e]));

describe('recorded AWS Config replies', () => {
  it('reads an advanced-query page: JSON-string Results, nested objects, tags as key/value/tag', () => {
    const page = fixture('select-resource-config-page.json') as { Results: string[]; NextToken: string };
    expect(page.Results.every((r) => typeof r === 'string')).toBe(true);
    const [bucket, key] = page.Results.map((r) => parseSelectResult(r, 'p1')) as ConfigItem[];
    expect(bucket).toMatchObject({
      resourceType: 'AWS::S3::Bucket',
      resourceId: 'acme-analytics-curated',
      accountId: '111111111111',
      region: 'eu-central-1',
      arn: 'arn:aws:s3:::acme-analytics-curated',
      tags: { DataClassification: 'Confidential', owner: 'analytics' },
      rawRef: 'p1',
    });
    expect(bucket?.supplementary.BucketVersioningConfiguration).toEqual({
      status: 'Enabled',
      isMfaDeleteEnabled: null,
    });
    // The access control list arrives as a doubly encoded JSON string and is decoded all the way.
    expect(bucket?.supplementary.AccessControlList).toMatchObject({
      grantSet: null,
      owner: { displayName: null },
    });
    expect(key).toMatchObject({ resourceType: 'AWS::KMS::Key', supplementary: { KeyRotationStatus: true } });
  });

  it('reads a BatchGetResourceConfig reply: configuration and supplementary values as JSON strings', () => {
    const reply = fixture('batch-get-resource-config.json') as { baseConfigurationItems: unknown[] };
    const [bucket, key] = reply.baseConfigurationItems.map((b) => parseBaseItem(b, 'b1')) as ConfigItem[];
    expect(bucket).toMatchObject({
      resourceType: 'AWS::S3::Bucket',
      resourceId: 'acme-public-exports',
      configuration: { name: 'acme-public-exports', creationDate: '2023-03-14T09:21:07.000Z' },
      captureTime: '2026-11-19T06:12:44.512Z',
      tags: {},
    });
    expect(bucket?.supplementary.BucketPolicy).toEqual({
      policyText:
        '{"Version":"2012-10-17","Statement":[{"Sid":"PublicRead","Effect":"Allow","Principal":"*","Action":"s3:GetObject","Resource":"arn:aws:s3:::acme-public-exports/*"}]}',
    });
    expect(bucket?.supplementary.IsRequesterPaysEnabled).toBe(false);
    expect(key).toMatchObject({ resourceType: 'AWS::KMS::Key', supplementary: { KeyRotationStatus: false } });
  });

  it('names what is wrong with a broken Results entry', () => {
    expect(parseSelectResult('{"resourceType": "AWS::S3::Bucket", "resourceId": ', 'x')).toMatch(
      /^a Results entry is not JSON/,
    );
    expect(parseSelectResult('{"resourceType": "AWS::S3::Bucket"}', 'x')).toBe(
      'a Results entry lacks resourceId (Invalid input: expected string, received undefined)',
    );
  });

  it('decodes JSON strings up to the doubly encoded ones, and leaves other text alone', () => {
    expect(decodeJsonish('"{\\"a\\":1}"')).toEqual({ a: 1 });
    expect(decodeJsonish('false')).toBe(false);
    expect(decodeJsonish('Enabled')).toBe('Enabled');
    expect(decodeJsonish('{not json')).toBe('{not json');
  });

  it('selects configuration, supplementary configuration, tags and relationships explicitly', () => {
    expect(selectExpression(['AWS::S3::Bucket', 'AWS::KMS::Key'])).toBe(
      "SELECT resourceId, resourceName, resourceType, accountId, awsRegion, arn, configurationItemCaptureTime, configurationItemStatus, configuration, supplementaryConfiguration, tags, relationships WHERE resourceType IN ('AWS::S3::Bucket', 'AWS::KMS::Key')",
    );
  });
});

describe('normalizeAwsConfig', () => {
  const items = itemsFromFixture().filter(
    (i) => !(i.resourceType === 'AWS::IAM::User' && i.captureTime?.startsWith('2026-11-12')),
  );
  const accounts = [
    {
      accountId: '111111111111',
      name: 'acme-analytics',
      regions: ['eu-west-1', 'eu-central-1'],
      rawRef: null,
    },
    { accountId: '222222222222', name: 'acme-ot-dmz', regions: ['eu-central-1'], rawRef: null },
  ];
  const entities = normalizeAwsConfig(items, accounts, 'aws-config:acme');
  const e = byId(entities);

  it('emits only entities that parse against the snapshot schema', () => {
    for (const entity of entities)
      expect(Entity.safeParse(entity).error?.issues ?? [], entity.id).toEqual([]);
    const kinds: Record<string, number> = {};
    for (const x of entities) kinds[x.kind] = (kinds[x.kind] ?? 0) + 1;
    expect(kinds).toEqual({
      account: 2,
      key: 4,
      storage: 7,
      database: 3,
      audit_log: 2,
      network_rule: 3,
      user: 2,
      role_assignment: 4,
    });
    expect(new Set(entities.map((x) => x.id)).size).toBe(entities.length);
  });

  it('accounts carry their regions', () => {
    expect(e.get('aws:account:111111111111')).toEqual({
      id: 'aws:account:111111111111',
      kind: 'account',
      provider: 'aws',
      source: 'aws-config:acme',
      rawRef: null,
      accountId: '111111111111',
      name: 'acme-analytics',
      accountType: 'cloud_account',
      regions: ['eu-central-1', 'eu-west-1'],
    });
  });

  it('S3: KMS with a customer key, public access blocked, TLS-only policy, versioning, logging, tagged classification', () => {
    expect(e.get('aws:s3:111111111111:eu-central-1:acme-analytics-curated')).toEqual({
      id: 'aws:s3:111111111111:eu-central-1:acme-analytics-curated',
      kind: 'storage',
      provider: 'aws',
      source: 'aws-config:acme',
      rawRef: 'src#1',
      accountId: '111111111111',
      region: 'eu-central-1',
      tags: { DataClassification: 'Confidential', owner: 'analytics' },
      name: 'acme-analytics-curated',
      storageType: 'object',
      encryptedAtRest: true,
      algorithm: 'AES-256',
      customerManagedKey: true,
      keyId: 'arn:aws:kms:eu-central-1:111111111111:key/1f4e6a2b-8c3d-4e5f-9a0b-1c2d3e4f5a6b',
      publicAccess: false,
      tlsOnly: true,
      minTlsVersion: '1.2',
      versioning: true,
      accessLogging: true,
      classification: 'confidential',
    });
  });

  it('S3: a public policy and ACL with no block, no default encryption recorded, no TLS rule', () => {
    expect(e.get('aws:s3:111111111111:eu-central-1:acme-public-exports')).toMatchObject({
      encryptedAtRest: null,
      algorithm: null,
      customerManagedKey: null,
      publicAccess: true,
      tlsOnly: false,
      versioning: false,
      accessLogging: false,
    });
    // No bucket policy at all: not TLS-only; the bucket-level block keeps it private.
    expect(e.get('aws:s3:111111111111:eu-west-1:acme-analytics-replica')).toMatchObject({
      encryptedAtRest: true,
      customerManagedKey: false,
      publicAccess: false,
      tlsOnly: false,
      accessLogging: false,
    });
    // A public policy neutralized by the account-wide public access block.
    expect(e.get('aws:s3:222222222222:eu-central-1:acme-ot-dmz-drop')).toMatchObject({
      publicAccess: false,
      tlsOnly: false,
    });
  });

  it('EBS volumes: encryption and whose key', () => {
    expect(e.get('aws:ebs:111111111111:eu-central-1:vol-0abc1234def567890')).toMatchObject({
      storageType: 'block',
      encryptedAtRest: true,
      algorithm: 'AES-256',
      customerManagedKey: true,
      publicAccess: false,
      tlsOnly: null,
    });
    expect(e.get('aws:ebs:111111111111:eu-central-1:vol-0fed9876cba543210')).toMatchObject({
      encryptedAtRest: false,
      algorithm: null,
      customerManagedKey: false,
      keyId: null,
    });
  });

  it('KMS: customer keys with and without rotation, AWS managed keys as provider keys', () => {
    expect(e.get('aws:kms:111111111111:eu-central-1:7b8c9d0e-1f2a-4b3c-8d4e-5f6a7b8c9d0e')).toEqual({
      id: 'aws:kms:111111111111:eu-central-1:7b8c9d0e-1f2a-4b3c-8d4e-5f6a7b8c9d0e',
      kind: 'key',
      provider: 'aws',
      source: 'aws-config:acme',
      rawRef: expect.stringMatching(/^src#/),
      accountId: '111111111111',
      region: 'eu-central-1',
      name: '7b8c9d0e-1f2a-4b3c-8d4e-5f6a7b8c9d0e',
      managedBy: 'customer',
      enabled: true,
      rotationEnabled: false,
      rotationPeriodDays: null,
      lastRotatedAt: null,
      softDelete: true,
      purgeProtection: true,
      algorithm: 'AES-256',
    });
    expect(e.get('aws:kms:111111111111:eu-central-1:a1b2c3d4-e5f6-4a7b-8c9d-0e1f2a3b4c5d')).toMatchObject({
      managedBy: 'provider',
      rotationEnabled: true,
    });
  });

  it('CloudTrail: multi-region with validation, retention and immutability from its bucket; a single-region trail', () => {
    expect(
      e.get('aws:cloudtrail:arn:aws:cloudtrail:eu-central-1:111111111111:trail/acme-org-trail'),
    ).toMatchObject({
      kind: 'audit_log',
      name: 'acme-org-trail',
      enabled: null,
      multiRegion: true,
      regions: [],
      integrityValidation: true,
      immutable: true,
      retentionDays: 400,
      categories: ['authentication', 'configuration', 'security'],
    });
    expect(
      e.get('aws:cloudtrail:arn:aws:cloudtrail:eu-west-1:111111111111:trail/eu-west-1-local'),
    ).toMatchObject({
      multiRegion: false,
      regions: ['eu-west-1'],
      integrityValidation: false,
      immutable: null,
      retentionDays: null,
    });
  });

  it('security groups: one network_rule per ingress permission', () => {
    expect(e.get('aws:sg-rule:111111111111:eu-central-1:sg-0a1b2c3d4e5f60001:ingress:tcp:502')).toEqual({
      id: 'aws:sg-rule:111111111111:eu-central-1:sg-0a1b2c3d4e5f60001:ingress:tcp:502',
      kind: 'network_rule',
      provider: 'aws',
      source: 'aws-config:acme',
      rawRef: expect.stringMatching(/^src#/),
      accountId: '111111111111',
      region: 'eu-central-1',
      name: 'historian-ingest ingress tcp/502',
      groupId: 'sg-0a1b2c3d4e5f60001',
      direction: 'ingress',
      action: 'allow',
      protocol: 'tcp',
      ports: [{ from: 502, to: 502 }],
      sources: ['0.0.0.0/0'],
      internetExposed: true,
      priority: null,
    });
    expect(e.get('aws:sg-rule:111111111111:eu-central-1:sg-0a1b2c3d4e5f60001:ingress:tcp:443')).toMatchObject(
      {
        sources: ['10.20.0.0/16', 'sg-0a1b2c3d4e5f60002'],
        internetExposed: false,
      },
    );
    expect(e.get('aws:sg-rule:222222222222:eu-central-1:sg-0d1e2f3a4b5c60003:ingress:tcp:22')).toMatchObject({
      sources: ['0.0.0.0/0', '::/0'],
      internetExposed: true,
    });
  });

  it('RDS and DynamoDB: encryption, key, exposure, backups', () => {
    expect(e.get('aws:rds:111111111111:eu-central-1:db-7QFJ2K4LXMZP5RTV3WY6HN8BCD')).toMatchObject({
      kind: 'database',
      name: 'historian-db',
      engine: 'postgres',
      encryptedAtRest: false,
      customerManagedKey: false,
      publiclyAccessible: true,
      backupEnabled: true,
      backupRetentionDays: 1,
    });
    expect(e.get('aws:rds:111111111111:eu-central-1:db-B3CD5EF7GH9JK2LM4NP6QR8ST')).toMatchObject({
      encryptedAtRest: true,
      customerManagedKey: true,
      publiclyAccessible: false,
      backupRetentionDays: 14,
    });
    expect(e.get('aws:dynamodb:111111111111:eu-central-1:batch-genealogy')).toMatchObject({
      engine: 'dynamodb',
      encryptedAtRest: true,
      customerManagedKey: true,
      publiclyAccessible: null,
      backupEnabled: true,
      backupRetentionDays: null,
    });
  });

  it('IAM: users privileged through groups, service users by tag, roles by trust, service-linked roles left out', () => {
    expect(e.get('aws:iam-user:arn:aws:iam::111111111111:user/alice.meyer')).toMatchObject({
      kind: 'user',
      userType: 'human',
      status: 'active',
      username: 'alice.meyer',
      privileged: true,
      mfaEnrolled: null,
      mfaEnforced: null,
      lastLoginAt: null,
      createdAt: '2024-01-15T09:30:00.000Z',
      groups: ['Admins'],
    });
    expect(e.get('aws:iam-user:arn:aws:iam::111111111111:user/alice.meyer')).not.toHaveProperty('region');
    expect(e.get('aws:iam-user:arn:aws:iam::111111111111:user/svc-etl')).toMatchObject({
      userType: 'service',
      privileged: false,
    });
    const assignments = entities
      .filter((x) => x.kind === 'role_assignment')
      .map((x) => [x.principalName, x.principalType, x.role, x.privileged]);
    expect(assignments).toEqual([
      ['Admins', 'group', 'AdministratorAccess', true],
      ['svc-etl', 'user', 'inline:etl-s3-read', false],
      ['AWSReservedSSO_ReadOnly_0a1b2c3d4e5f6a7b', 'user', 'ReadOnlyAccess', false],
      ['etl-lambda', 'service', 'EtlFullAccess', true],
    ]);
  });
});

describe('parsePolicy', () => {
  it('reads URL-encoded IAM documents and single statements', () => {
    const doc = encodeURIComponent(
      JSON.stringify({ Version: '2012-10-17', Statement: { Effect: 'Allow', Action: '*', Resource: '*' } }),
    );
    expect(parsePolicy(doc)?.statement).toEqual([{ effect: 'Allow', action: '*', resource: '*' }]);
    expect(parsePolicy('%E0%A4%A')).toBeNull();
    expect(parsePolicy('not a policy')).toBeNull();
  });
});

describe('options', () => {
  it('take accounts or an aggregator, not both, and fill defaults', () => {
    const parsed = AwsConfigOptions.parse({
      accounts: [{ accountId: '111111111111', regions: ['eu-central-1'] }],
    });
    expect(parsed).toMatchObject({ mode: 'auto', concurrency: 4, timeoutMs: 30_000, maxAttempts: 8 });
    const both = AwsConfigOptions.safeParse({
      accounts: [{ accountId: '111111111111', regions: ['eu-central-1'] }],
      aggregator: { name: 'org', region: 'eu-central-1' },
    });
    expect(both.error?.issues.map((i) => i.message)).toEqual([
      'give either accounts or aggregator (exactly one)',
    ]);
    expect(
      AwsConfigOptions.safeParse({ aggregator: { name: 'org', region: 'eu-central-1' }, mode: 'list' }).error
        ?.issues[0]?.message,
    ).toBe('mode "list" needs accounts; an aggregator is read with advanced query');
    expect(
      AwsConfigOptions.safeParse({ accounts: [{ accountId: '1111', regions: ['eu-central-1'] }] }).success,
    ).toBe(false);
    expect(
      AwsConfigOptions.safeParse({
        accounts: [{ accountId: '111111111111', regions: ['eu-central-1'] }],
        extra: 1,
      }).success,
    ).toBe(false);
  });
});
