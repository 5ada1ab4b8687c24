import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';
import { type StoredConfigItem, startAwsConfigServer } from './aws-config-server.js';
import { demoShiftDays, shiftDatesInValue } from './clock.js';
import type { DemoService } from './services.js';

/** The demo plant's two AWS accounts; each is read through a role assumed from the audit credentials. */
export const DEMO_AWS_ACCOUNTS = [
  { accountId: '111111111111', name: 'acme-analytics', regions: ['eu-central-1', 'eu-west-1'] },
  { accountId: '222222222222', name: 'acme-ot-dmz', regions: ['eu-central-1'] },
] as const;

const DemoItems = z.array(
  z.looseObject({
    accountId: z.string().regex(/^\d{12}$/),
    awsRegion: z.string().min(1),
    resourceType: z.string().startsWith('AWS::'),
    resourceId: z.string().min(1),
    configurationItemCaptureTime: z.string(),
    configuration: z.unknown(),
  }),
);

/** Every `*.json` in demo-data/aws-config: arrays of configuration items as AWS Config records them. */
export async function loadDemoConfigItems(exampleDir: string, now = new Date()): Promise<StoredConfigItem[]> {
  const dir = join(exampleDir, 'demo-data', 'aws-config');
  const files = (await readdir(dir)).filter((f) => f.endsWith('.json')).sort();
  const items: StoredConfigItem[] = [];
  for (const file of files) {
    const parsed = DemoItems.safeParse(JSON.parse(await readFile(join(dir, file), 'utf8')));
    if (!parsed.success) throw new Error(`${join(dir, file)}: ${parsed.error.issues[0]?.message}`);
    items.push(...(parsed.data as StoredConfigItem[]));
  }
  return shiftDatesInValue(items, demoShiftDays(now));
}

export const awsConfigDemo: DemoService = {
  name: 'AWS Config',
  async start({ exampleDir }) {
    const items = await loadDemoConfigItems(exampleDir);
    const server = await startAwsConfigServer({ items, defaultAccountId: '333333333333' });
    return {
      collectors: [
        {
          type: 'aws-config',
          name: 'acme-aws',
          accounts: DEMO_AWS_ACCOUNTS.map((a) => ({
            ...a,
            regions: [...a.regions],
            roleArn: `arn:aws:iam::${a.accountId}:role/PlantproofAudit`,
          })),
          endpoint: server.url,
          stsEndpoint: server.url,
        },
      ],
      env: {
        // Throw-away keys the local server accepts; an AWS_PROFILE of the user's own is set aside.
        AWS_ACCESS_KEY_ID: 'AKIADEMOPLANTPROOF01',
        AWS_SECRET_ACCESS_KEY: 'demo-only-not-a-secret',
        AWS_PROFILE: '',
        AWS_EC2_METADATA_DISABLED: 'true',
        AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
      },
      close: () => server.close(),
    };
  },
};
