import { z } from 'zod';
import { Timestamp } from '../snapshot/schema.js';

/**
 * manifest.json: what a bundle holds and where it came from. It lists every file of the bundle
 * except itself and manifest.sig, which signs its exact bytes.
 */
export const MANIFEST_SCHEMA_VERSION = 1 as const;
export const MANIFEST_FILE = 'manifest.json';
export const SIGNATURE_FILE = 'manifest.sig';
export const PUBLIC_KEY_IN_BUNDLE = 'signing-key.pub.pem';
export const BUNDLE_NAME_PREFIX = 'plantproof-evidence-';
export const BUNDLE_NAME = /^plantproof-evidence-(\d{8}T\d{6}Z)$/;

export const Sha256 = z.string().regex(/^[0-9a-f]{64}$/, 'a sha256 is 64 lowercase hex digits');

/** A path inside the bundle: forward slashes, no `.` or `..` segments, nothing absolute. */
export const BundlePath = z
  .string()
  .min(1)
  .refine(
    (p) =>
      !p.startsWith('/') &&
      !p.includes('\\') &&
      p.split('/').every((s) => s !== '' && s !== '.' && s !== '..'),
    'not a plain relative path',
  );

export const ManifestFile = z.strictObject({
  path: BundlePath,
  sha256: Sha256,
  size: z.number().int().nonnegative(),
  /** how the file is stored in the zip: with this, every byte of the archive is pinned by the manifest */
  zip: z.strictObject({
    method: z.enum(['store', 'deflate']),
    size: z.number().int().nonnegative(),
    sha256: Sha256,
  }),
});
export type ManifestFile = z.infer<typeof ManifestFile>;

const Digested = z.strictObject({ path: BundlePath, sha256: Sha256 });

const RequirementSummary = z.strictObject({
  satisfied: z.number().int(),
  not_satisfied: z.number().int(),
  error: z.number().int(),
  not_assessed: z.number().int(),
  waived: z.number().int(),
  total: z.number().int(),
});

export const PreviousLink = z.strictObject({
  name: z.string().regex(BUNDLE_NAME),
  /** sha256 of the previous bundle's manifest.json bytes */
  manifestSha256: Sha256,
});
export type PreviousLink = z.infer<typeof PreviousLink>;

export const Manifest = z.strictObject({
  schemaVersion: z.literal(MANIFEST_SCHEMA_VERSION),
  format: z.literal('plantproof-evidence-bundle'),
  name: z.string().regex(BUNDLE_NAME),
  tool: z.strictObject({ name: z.literal('plantproof'), version: z.string() }),
  /** no wall-clock time: a bundle is reproducible from its inputs */
  timestamps: z.strictObject({ collectedAt: Timestamp, evaluatedAt: Timestamp }),
  scope: z.strictObject({ name: z.string(), description: z.string().nullable() }),
  outcome: z.strictObject({
    /** what `plantproof run` exits with for these results: 0, 1 gaps, 3 a collector failed */
    exitCode: z.union([z.literal(0), z.literal(1), z.literal(3)]),
    sourcesNotOk: z.array(
      z.strictObject({
        id: z.string(),
        status: z.enum(['partial', 'error']),
        error: z.string().nullable(),
        gaps: z.array(z.string()),
      }),
    ),
    frameworks: z.array(
      z.strictObject({ id: z.string(), title: z.string(), version: z.string(), summary: RequirementSummary }),
    ),
  }),
  snapshot: z.strictObject({
    path: BundlePath,
    sha256: Sha256,
    entities: z.number().int().nonnegative(),
    sources: z.array(
      z.strictObject({
        id: z.string(),
        collector: z.string(),
        target: z.string(),
        status: z.enum(['ok', 'partial', 'error']),
        startedAt: Timestamp,
        finishedAt: Timestamp,
      }),
    ),
  }),
  results: Digested,
  config: z
    .strictObject({
      path: BundlePath,
      /** sha256 of the original file, before redaction (results.json names the same digest) */
      sourceSha256: Sha256,
      redacted: z.boolean(),
    })
    .nullable(),
  policy: z.strictObject({ wasm: Digested, checks: Digested, checkCount: z.number().int().nonnegative() }),
  controls: z.strictObject({
    dir: BundlePath,
    /** the name of the folder they were loaded from (results.json names files relative to it) */
    sourceDirName: z.string().min(1),
    frameworks: z.array(z.strictObject({ framework: z.string(), path: BundlePath, sha256: Sha256 })),
    files: z.array(Digested),
  }),
  manualEvidence: z
    .strictObject({
      dir: BundlePath,
      sourceDirName: z.string().min(1),
      attestations: z.array(
        z.strictObject({
          path: BundlePath,
          sourceSha256: Sha256,
          redacted: z.boolean(),
          attachments: z.array(
            z.strictObject({
              /** as written in the attestation, relative to the manual evidence folder */
              ref: z.string(),
              path: BundlePath.nullable(),
              sha256: Sha256,
            }),
          ),
        }),
      ),
    })
    .nullable(),
  waivers: z.strictObject({ path: BundlePath, sourceSha256: Sha256, redacted: z.boolean() }).nullable(),
  reports: z.array(BundlePath),
  previous: PreviousLink.nullable(),
  signing: z
    .strictObject({
      algorithm: z.literal('ed25519'),
      keyId: Sha256,
      publicKey: BundlePath,
    })
    .nullable(),
  /** JSON pointers (YAML paths for YAML files) of values replaced by a redaction marker; never the values */
  redactions: z.array(z.strictObject({ path: BundlePath, pointers: z.array(z.string()) })),
  /** input files left out because they looked like they held a secret */
  withheld: z.array(z.strictObject({ source: z.string(), sha256: Sha256, reason: z.string() })),
  requirementFiles: z.strictObject({
    dir: BundlePath,
    /** at most this many resources per check carry entity and raw excerpts */
    excerptLimit: z.number().int().positive(),
  }),
  zip: z.strictObject({ mtime: Timestamp, deflate: z.string() }),
  files: z.array(ManifestFile),
});
export type Manifest = z.infer<typeof Manifest>;

export function serializeManifest(manifest: Manifest): string {
  return `${JSON.stringify(manifest, null, 2)}\n`;
}

/** manifest.sig: the signature over manifest.json's exact bytes, or the plain statement that there is none. */
export const SignatureFile = z.strictObject({
  schemaVersion: z.literal(1),
  signs: z.literal(MANIFEST_FILE),
  manifestSha256: Sha256,
  algorithm: z.enum(['ed25519', 'none']),
  keyId: Sha256.nullable(),
  signature: z.string().nullable(),
});
export type SignatureFile = z.infer<typeof SignatureFile>;

export function serializeSignature(sig: SignatureFile): string {
  return `${JSON.stringify(
    {
      schemaVersion: sig.schemaVersion,
      signs: sig.signs,
      manifestSha256: sig.manifestSha256,
      algorithm: sig.algorithm,
      keyId: sig.keyId,
      signature: sig.signature,
    },
    null,
    2,
  )}\n`;
}

/** `plantproof-evidence-20261122T081500Z` from `2026-11-22T08:15:00.000Z`. */
export function bundleNameFor(collectedAt: string): string {
  const d = new Date(collectedAt);
  if (Number.isNaN(d.getTime())) throw new RangeError(`not a timestamp: ${collectedAt}`);
  return `${BUNDLE_NAME_PREFIX}${d
    .toISOString()
    .replace(/\.\d{3}Z$/, 'Z')
    .replace(/[-:]/g, '')}`;
}

/** The UTC instant a bundle name stands for. */
export function bundleTime(name: string): Date | null {
  const m = BUNDLE_NAME.exec(name);
  if (!m) return null;
  const s = m[1]!;
  return new Date(
    `${s.slice(0, 4)}-${s.slice(4, 6)}-${s.slice(6, 8)}T${s.slice(9, 11)}:${s.slice(11, 13)}:${s.slice(13, 15)}Z`,
  );
}
