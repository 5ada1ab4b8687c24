import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { awsConfigDemo } from '../../demo/aws-config.js';
import { runCollector } from '../run.js';
import { awsConfigCollector } from './index.js';

const EXAMPLE_DIR = fileURLToPath(new URL('../../../examples/acme-plant/', import.meta.url));

describe('the AWS Config demo service', () => {
  it("serves the demo plant's two accounts and the collector reads them without credentials", async () => {
    const started = await awsConfigDemo.start({ exampleDir: EXAMPLE_DIR });
    try {
      expect(started.collectors).toHaveLength(1);
      const { type, ...entry } = started.collectors[0]!;
      expect(type).toBe('aws-config');
      const options = awsConfigCollector.options.parse(entry);
      const r = await runCollector('aws-config', options, EXAMPLE_DIR, {
        env: { ...process.env, ...started.env },
        now: () => new Date('2026-11-20T10:00:00.000Z'),
      });
      expect(r.source).toMatchObject({ id: 'aws-config:acme-aws', status: 'ok', error: null, gaps: [] });
      const by = new Map(r.entities.map((e) => [e.id, e]));
      expect(by.get('aws:account:222222222222')).toMatchObject({
        name: 'acme-ot-dmz',
        regions: ['eu-central-1'],
      });
      // The demo's mix of passing and failing resources.
      expect(by.get('aws:s3:111111111111:eu-central-1:acme-public-exports')).toMatchObject({
        publicAccess: true,
        encryptedAtRest: null,
      });
      expect(by.get('aws:s3:111111111111:eu-central-1:acme-analytics-curated')).toMatchObject({
        publicAccess: false,
        tlsOnly: true,
      });
      expect(by.get('aws:kms:111111111111:eu-central-1:7b8c9d0e-1f2a-4b3c-8d4e-5f6a7b8c9d0e')).toMatchObject({
        rotationEnabled: false,
      });
      expect(
        by.get('aws:cloudtrail:arn:aws:cloudtrail:eu-west-1:111111111111:trail/eu-west-1-local'),
      ).toMatchObject({ multiRegion: false });
      expect(
        by.get('aws:sg-rule:111111111111:eu-central-1:sg-0a1b2c3d4e5f60001:ingress:tcp:502'),
      ).toMatchObject({ internetExposed: true });
      expect(
        by.get('aws:sg-rule:222222222222:eu-central-1:sg-0d1e2f3a4b5c60003:ingress:tcp:22'),
      ).toMatchObject({ internetExposed: true });
      expect(by.get('aws:rds:111111111111:eu-central-1:db-7QFJ2K4LXMZP5RTV3WY6HN8BCD')).toMatchObject({
        publiclyAccessible: true,
        backupRetentionDays: 1,
      });
      expect(r.entities.filter((e) => e.kind === 'user').map((e) => e.name)).toEqual([
        'alice.meyer',
        'svc-etl',
      ]);
    } finally {
      await started.close();
    }
  });
});
