import { createHash } from 'node:crypto';
import { mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { checkSnapshot, type Results } from '../../check.js';
import { type LoadedConfig, loadConfig } from '../../config/load.js';
import { serializeSnapshot } from '../../snapshot/io.js';
import { Snapshot, type SnapshotInput } from '../../snapshot/schema.js';
import { MANIFEST_FILE, type Manifest, SIGNATURE_FILE, serializeManifest, serializeSignature } from '../manifest.js';
import { type SigningKey, signBytes } from '../signing.js';
import type { WriteBundleOptions } from '../writer.js';

export const WRITE_BUNDLE_SCRIPT = fileURLToPath(new URL('./write-bundle.ts', import.meta.url));

/** The compiled policy in the repository (built by npm run policies:build). */
export const POLICY_DIR = fileURLToPath(new URL('../../../policies/dist/', import.meta.url));

/** Secrets seeded into inputs; none may appear in any byte of a bundle. */
export const SEEDED_SECRETS = [
  'hunter2-very-secret-password',
  'AKIAIOSFODNN7EXAMPLE',
  'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY',
  'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJzZWNyZXQtdXNlciJ9.c2lnbmF0dXJlLXNlY3JldA',
  'MIIEvQIBADANBgkqhkiG9w0BAQEFAASCBKcwggSjAgEAAoIBAQC7seeded',
  'AccountKey=c2VjcmV0LWFjY291bnQta2V5LXNlZWRlZA==',
  'ghp_0123456789abcdefghijABCDEFGHIJ0123456789',
  's3cr3t-conn-pass',
  'user-data-bootstrap-token-42',
  'env-var-database-password-99',
  'comment-token-Bearer pp5ecretT0kenForTests0123456789',
];

const CONTROLS_TEST = `framework:
  id: testfw
  title: Test framework
  version: "1"
  source: test fixture
requirements:
  - id: T-1
    title: Data at rest is encrypted
    group: T
    checks: [storage.encrypted_at_rest]
  - id: T-2
    title: No public buckets
    group: T
    checks: [storage.public_access_blocked, storage.tls_only]
  - id: T-3
    title: Access is reviewed
    group: T
    evidence: [access-review]
  - id: T-4
    title: Database encrypted
    group: T
    checks: [database.encrypted_at_rest]
`;

const CONTROLS_IEC = `framework:
  id: iecfw
  title: IEC-like framework
  version: "1"
  source: test fixture
requirements:
  - id: SR 1.1 RE 1
    title: Spaces in the id
    group: FR 1
    checks: [storage.versioning_enabled]
  - id: SR 3.1/2
    title: A slash in the id
    group: FR 3
    checks: [storage.encrypted_at_rest]
    evidence: [access-review]
`;

const EVIDENCE = `evidence:
  - id: access-review
    title: Access review
    cadence: quarterly
    expects: A review record.
    domain: identity
`;

export interface Plant {
  dir: string;
  controlsDir: string;
  configFile: string;
  config: LoadedConfig;
  snapshot: Snapshot;
  snapshotBytes: Buffer;
  results: Results;
}

export function plantSnapshot(opts: { secrets?: boolean; collectedAt?: string; sourceStatus?: 'ok' | 'error'; buckets?: number } = {}): Snapshot {
  const collectedAt = opts.collectedAt ?? '2026-11-22T08:15:00.000Z';
  const n = opts.buckets ?? 3;
  const buckets = Array.from({ length: n }, (_, i) => ({
    id: `aws:s3:acme-bucket-${i}`,
    kind: 'storage' as const,
    provider: 'aws',
    source: 'aws-config:123456789012',
    rawRef: `aws-config:123456789012#${i + 1}`,
    name: `acme-bucket-${i}`,
    region: 'eu-central-1',
    storageType: 'object' as const,
    encryptedAtRest: i !== 1,
    algorithm: i !== 1 ? 'AES-256' : null,
    customerManagedKey: false,
    publicAccess: false,
    tlsOnly: true,
    versioning: i % 2 === 0,
    tags: (opts.secrets ? { owner: 'plant', password: SEEDED_SECRETS[0]! } : { owner: 'plant' }) as Record<
      string,
      string
    >,
  }));
  const raw: SnapshotInput['raw'] = {};
  buckets.forEach((b, i) => {
    raw[b.rawRef] = {
      source: 'aws-config:123456789012',
      api: 'config:SelectResourceConfig',
      capturedAt: collectedAt,
      payload: {
        resourceId: b.name,
        configuration: { name: b.name, encryption: b.encryptedAtRest ? 'AES256' : null },
        ...(opts.secrets
          ? {
              userData: SEEDED_SECRETS[8],
              environment: { DB_PASSWORD: SEEDED_SECRETS[9] },
              tags: [{ key: 'deploy', value: `aws ${SEEDED_SECRETS[1]} ${SEEDED_SECRETS[2]}` }],
              note: `token ${SEEDED_SECRETS[3]}`,
              privateKey: `-----BEGIN PRIVATE KEY-----\n${SEEDED_SECRETS[4]}\n-----END PRIVATE KEY-----`,
              connection: `DefaultEndpointsProtocol=https;${SEEDED_SECRETS[5]};EndpointSuffix=core.windows.net`,
              ci: { githubToken: SEEDED_SECRETS[6] },
              url: `postgres://admin:${SEEDED_SECRETS[7]}@db.example:5432/x`,
              index: i,
            }
          : {}),
      },
    };
  });
  const status = opts.sourceStatus ?? 'ok';
  return Snapshot.parse({
    schemaVersion: 1,
    collectedAt,
    tool: { name: 'plantproof', version: '0.1.0' },
    scope: { name: 'Acme test plant', description: null },
    sources: [
      {
        id: 'aws-config:123456789012',
        collector: 'aws-config',
        target: '123456789012',
        status,
        error:
          status === 'error'
            ? opts.secrets
              ? `AccessDenied for postgres://svc:${SEEDED_SECRETS[7]}@h`
              : 'AccessDenied: not authorized to perform config:SelectResourceConfig'
            : null,
        startedAt: collectedAt,
        finishedAt: collectedAt,
        apiCalls: 3,
        itemCount: n,
        kinds: ['storage'],
      },
    ],
    entities: { storage: buckets },
    raw,
    redactions: [],
  } satisfies SnapshotInput);
}

/** A plant folder: config (with secrets when asked), manual evidence, waivers, small control maps. */
export async function makePlant(opts: { secrets?: boolean; sourceStatus?: 'ok' | 'error'; root?: string } = {}): Promise<Plant> {
  const dir = opts.root ?? (await mkdtemp(join(tmpdir(), 'plantproof-plant-')));
  const controlsDir = join(dir, 'controls');
  await mkdir(join(dir, 'plant', 'manual', 'attachments'), { recursive: true });
  await mkdir(controlsDir, { recursive: true });
  await writeFile(join(controlsDir, 'test.yaml'), CONTROLS_TEST);
  await writeFile(join(controlsDir, 'iec.yaml'), CONTROLS_IEC);
  await writeFile(join(controlsDir, 'evidence.yaml'), EVIDENCE);
  const csv = 'account,decision\nalice,keep\nbob,revoke\n';
  await writeFile(join(dir, 'plant', 'manual', 'attachments', 'review.csv'), csv);
  const csvSha = createHash('sha256').update(csv).digest('hex');
  await writeFile(
    join(dir, 'plant', 'manual', 'access-review.yaml'),
    `evidence: access-review\nattestedBy: Anna Novak\nperformedAt: 2026-11-03\nsummary: Quarterly access review.\nattachments:\n  - path: attachments/review.csv\n    sha256: ${csvSha}\n`,
  );
  await writeFile(
    join(dir, 'plant', 'waivers.yaml'),
    `waivers:\n  - id: W-1\n    check: storage.encrypted_at_rest\n    resources: "aws:s3:acme-bucket-1"\n    justification: Migrating in January.\n    approver: Plant Manager\n    expires: 2027-01-31\n`,
  );
  const secretLines = opts.secrets
    ? `# ci deploy token: Bearer ${SEEDED_SECRETS[10]!.split('Bearer ')[1]}\n`
    : '';
  await writeFile(
    join(dir, 'plant', 'plantproof.yaml'),
    `${secretLines}version: 1
scope:
  name: Acme test plant
frameworks: [testfw, iecfw]
owners:
  default: ciso@acme.example
  storage: ${opts.secrets ? `"postgres://owner:${SEEDED_SECRETS[7]}@db.example/x"` : 'cloud@acme.example'}
evidence:
  manualDir: manual
  waivers: waivers.yaml
`,
  );
  const configFile = join(dir, 'plant', 'plantproof.yaml');
  const config = await loadConfig(configFile);
  const snapshot = plantSnapshot({ secrets: opts.secrets, sourceStatus: opts.sourceStatus });
  const snapshotBytes = Buffer.from(serializeSnapshot(snapshot));
  await writeFile(join(dir, 'snapshot.json'), snapshotBytes);
  const results = await checkSnapshot({
    snapshot,
    snapshotDigest: createHash('sha256').update(snapshotBytes).digest('hex'),
    config,
    controlsDir,
    policy: await (await import('../../evaluate/index.js')).loadCompiledPolicy(POLICY_DIR),
  });
  return { dir, controlsDir, configFile, config, snapshot, snapshotBytes, results };
}

/** What writeBundle needs for the test plant, into `outDir`; `extra` overrides any of it. */
export function bundleOptions(
  plant: Plant,
  outDir: string,
  extra: Partial<WriteBundleOptions> = {},
): WriteBundleOptions {
  return {
    snapshot: plant.snapshot,
    snapshotBytes: plant.snapshotBytes,
    results: plant.results,
    config: plant.config,
    policyDir: POLICY_DIR,
    controlsDir: plant.controlsDir,
    outDir,
    previous: 'none',
    ...extra,
  };
}

/** Write `manifest` into a directory bundle and sign it with `key`: what someone holding a key could do. */
export async function writeSignedManifest(dir: string, manifest: Manifest, key: SigningKey): Promise<void> {
  const bytes = Buffer.from(serializeManifest(manifest));
  await writeFile(join(dir, MANIFEST_FILE), bytes);
  await writeFile(
    join(dir, SIGNATURE_FILE),
    serializeSignature({
      schemaVersion: 1,
      signs: MANIFEST_FILE,
      manifestSha256: createHash('sha256').update(bytes).digest('hex'),
      algorithm: 'ed25519',
      keyId: key.keyId,
      signature: signBytes(key, bytes),
    }),
  );
}
