// The AWS Config collector against the local AWS Config server: 50,000 configuration items, 50 ms
// latency per call, 10 calls/s per account and region. The floor is the fewest calls the API allows
// (100 items per SelectResourceConfig page, one DescribeConfigurationRecorderStatus) at that rate.
// Target: calls and wall time within 1.2x of the floor, nothing lost or duplicated.
// Run `npm run build` first; `node bench/aws-config.mjs` prints the table.
import { fork } from 'node:child_process';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';

const ACCOUNT = '111111111111';
const REGION = 'eu-central-1';
const CAPTURED = '2026-11-01T08:00:00.000Z';

/** One resource per item, each normalizing to exactly one entity, so counts can be compared. */
function generateItems(total) {
  const mix = [
    ['AWS::EC2::Volume', 0.4],
    ['AWS::EC2::SecurityGroup', 0.2],
    ['AWS::S3::Bucket', 0.2],
    ['AWS::KMS::Key', 0.1],
    ['AWS::RDS::DBInstance', 0.06],
    ['AWS::DynamoDB::Table', 0.04],
  ];
  const items = [];
  const expected = [];
  let n = 0;
  for (const [type, share] of mix) {
    const count = type === mix.at(-1)[0] ? total - n : Math.round(total * share);
    for (let i = 0; i < count; i++, n++) {
      const base = {
        accountId: ACCOUNT,
        awsRegion: REGION,
        resourceType: type,
        configurationItemCaptureTime: CAPTURED,
      };
      const hex = n.toString(16).padStart(8, '0');
      if (type === 'AWS::EC2::Volume') {
        const id = `vol-0${hex}abcdef01`;
        items.push({
          ...base,
          resourceId: id,
          configuration: { volumeId: id, encrypted: i % 7 !== 0, size: 100, volumeType: 'gp3' },
        });
        expected.push(`aws:ebs:${ACCOUNT}:${REGION}:${id}`);
      } else if (type === 'AWS::EC2::SecurityGroup') {
        const id = `sg-0${hex}abcdef01`;
        items.push({
          ...base,
          resourceId: id,
          resourceName: `app-${n}`,
          configuration: {
            groupId: id,
            groupName: `app-${n}`,
            ipPermissions: [
              {
                ipProtocol: 'tcp',
                fromPort: 443,
                toPort: 443,
                ipv4Ranges: [{ cidrIp: '10.0.0.0/8' }],
                ipRanges: ['10.0.0.0/8'],
              },
            ],
          },
        });
        expected.push(`aws:sg-rule:${ACCOUNT}:${REGION}:${id}:ingress:tcp:443`);
      } else if (type === 'AWS::S3::Bucket') {
        const id = `acme-data-${hex}`;
        items.push({
          ...base,
          resourceId: id,
          resourceName: id,
          configuration: { name: id, creationDate: '2024-01-01T00:00:00.000Z' },
          supplementaryConfiguration: {
            ServerSideEncryptionConfiguration: {
              rules: [{ applyServerSideEncryptionByDefault: { sseAlgorithm: 'AES256' } }],
            },
            BucketVersioningConfiguration: { status: 'Enabled', isMfaDeleteEnabled: null },
          },
        });
        expected.push(`aws:s3:${ACCOUNT}:${REGION}:${id}`);
      } else if (type === 'AWS::KMS::Key') {
        const id = `${hex}-1111-2222-3333-444455556666`;
        items.push({
          ...base,
          resourceId: id,
          configuration: { keyId: id, enabled: true, keyManager: 'CUSTOMER', keySpec: 'SYMMETRIC_DEFAULT' },
          supplementaryConfiguration: { KeyRotationStatus: i % 3 !== 0 },
        });
        expected.push(`aws:kms:${ACCOUNT}:${REGION}:${id}`);
      } else if (type === 'AWS::RDS::DBInstance') {
        const id = `db-${hex.toUpperCase()}ABCDEFGHIJKL`;
        items.push({
          ...base,
          resourceId: id,
          configuration: {
            dBInstanceIdentifier: `db${n}`,
            engine: 'postgres',
            storageEncrypted: true,
            publiclyAccessible: false,
            backupRetentionPeriod: 7,
          },
        });
        expected.push(`aws:rds:${ACCOUNT}:${REGION}:${id}`);
      } else {
        const id = `table-${hex}`;
        items.push({ ...base, resourceId: id, configuration: { tableName: id } });
        expected.push(`aws:dynamodb:${ACCOUNT}:${REGION}:${id}`);
      }
    }
  }
  return { items, expected };
}

/**
 * The server runs in its own process, as AWS does: its work on 50,000 items must not slow the
 * collector's event loop and blur what is being measured.
 */
function startServerProcess(total, latencyMs, rate) {
  const child = fork(
    fileURLToPath(import.meta.url),
    ['--serve', String(total), String(latencyMs), String(rate)],
    {
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    },
  );
  const next = () =>
    new Promise((resolve, reject) => {
      child.once('message', resolve);
      child.once('exit', (code) => reject(new Error(`AWS Config server process exited (${code})`)));
    });
  return next().then((ready) => ({
    url: ready.url,
    stats: async () => {
      child.send('stats');
      return next();
    },
    close: async () => {
      child.send('close');
      await new Promise((resolve) => child.once('exit', resolve));
    },
  }));
}

async function serve(total, latencyMs, rate) {
  const { startAwsConfigServer } = await import('../dist/demo/aws-config-server.js');
  const server = await startAwsConfigServer({
    items: generateItems(total).items,
    defaultAccountId: ACCOUNT,
    latencyMs,
    throttle: { callsPerSecond: rate, burst: rate },
  });
  process.on('message', async (m) => {
    if (m === 'stats') process.send(server.stats);
    if (m === 'close') {
      await server.close();
      process.exit(0);
    }
  });
  process.send({ url: server.url });
}

export async function runAwsConfigBench(opts = {}) {
  // The SDK's notice about future Node.js versions is noise in a benchmark table.
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
  const total = opts.items ?? Number(process.env.BENCH_AWS_ITEMS ?? 50_000);
  const latencyMs = opts.latencyMs ?? 50;
  const rate = opts.callsPerSecond ?? 10;
  const { awsConfigCollector } = await import('../dist/collectors/aws-config/index.js');
  const { createCollectContext } = await import('../dist/collectors/context.js');

  const { expected } = generateItems(total);
  const server = await startServerProcess(total, latencyMs, rate);
  const { ctx, state } = createCollectContext({
    sourceId: 'aws-config:bench',
    configDir: process.cwd(),
    env: { AWS_ACCESS_KEY_ID: 'AKIABENCHBENCHBENCH0', AWS_SECRET_ACCESS_KEY: 'bench-secret' },
  });
  const options = awsConfigCollector.options.parse({
    accounts: [{ accountId: ACCOUNT, name: 'bench', regions: [REGION] }],
    endpoint: server.url,
  });
  const t0 = performance.now();
  let entities;
  let served;
  try {
    entities = (await awsConfigCollector.collect(options, ctx)).entities;
  } finally {
    served = await server.stats();
    await server.close();
  }
  const wallS = (performance.now() - t0) / 1000;

  const ids = entities.filter((e) => e.kind !== 'account').map((e) => e.id);
  const unique = new Set(ids);
  const duplicated = ids.length - unique.size;
  const lost = expected.filter((id) => !unique.has(id)).length;
  const floorCalls = Math.ceil(total / 100) + 1;
  const floorWallS = floorCalls / rate;
  const callRatio = state.apiCalls / floorCalls;
  const wallRatio = wallS / floorWallS;
  const ok =
    lost === 0 && duplicated === 0 && callRatio <= 1.2 && wallRatio <= 1.2 && state.gaps.length === 0;
  const fmt = (n, d = 2) => n.toFixed(d);
  return {
    title: `aws-config: ${total} configuration items, ${latencyMs} ms latency, ${rate} calls/s (target: calls and wall <= 1.2x floor, nothing lost or duplicated)`,
    header: [
      'items',
      'calls',
      'throttled',
      'floor calls',
      'calls/floor',
      'wall s',
      'floor wall s',
      'wall/floor',
      'lost',
      'duplicated',
      'result',
    ],
    rows: [
      [
        unique.size,
        state.apiCalls,
        served.throttled,
        floorCalls,
        fmt(callRatio),
        fmt(wallS, 1),
        fmt(floorWallS, 1),
        fmt(wallRatio),
        lost,
        duplicated,
        ok ? 'ok' : 'MISSED',
      ],
    ],
    ok,
  };
}

const isMain = process.argv[1] !== undefined && fileURLToPath(import.meta.url) === process.argv[1];
if (isMain && process.argv[2] === '--serve') {
  await serve(Number(process.argv[3]), Number(process.argv[4]), Number(process.argv[5]));
} else if (isMain) {
  const result = await runAwsConfigBench();
  const widths = result.header.map((h, i) =>
    Math.max(h.length, ...result.rows.map((r) => String(r[i]).length)),
  );
  const line = (cells) => cells.map((c, i) => String(c).padStart(widths[i])).join('  ');
  console.log(`\n${result.title}\n${line(result.header)}\n${widths.map((w) => '-'.repeat(w)).join('  ')}`);
  for (const r of result.rows) console.log(line(r));
  process.exitCode = result.ok ? 0 : 1;
}
