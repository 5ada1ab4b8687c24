import { createHash, type KeyObject } from 'node:crypto';
import { mkdir, readdir, readFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { z } from 'zod';
import { ConfigError } from '../errors.js';
import { writeFileAtomic } from '../snapshot/io.js';
import { BUNDLE_NAME, Manifest, type PreviousLink, Sha256, SignatureFile } from './manifest.js';
import { readManifestBytes } from './reader.js';
import { verifyBytes } from './signing.js';

/**
 * The hash chain: each manifest names the previous bundle and the sha256 of its manifest.json.
 * When retention removes old bundles, their manifests (and signatures) are kept in chain/chain.json in
 * the bundles folder, so a chain over what remains still connects, checkably, to what was there.
 */

/**
 * Kept in a folder of its own inside the bundles folder: tools that read every `*.json` and
 * `*.zip` there as a run (report --history) pass over folders without a results.json.
 */
export const CHAIN_FILE = 'chain/chain.json';

const sha256 = (b: Uint8Array | string) => createHash('sha256').update(b).digest('hex');

export const ChainEntry = z.strictObject({
  name: z.string().regex(BUNDLE_NAME),
  manifestSha256: Sha256,
  /** manifest.json of the removed bundle, exactly as it was */
  manifest: z.string(),
  /** manifest.sig of the removed bundle, exactly as it was, or null if it had none */
  signature: z.string().nullable(),
  /** when it was removed (wall-clock: this file is an index, not evidence) */
  prunedAt: z.string(),
});
export type ChainEntry = z.infer<typeof ChainEntry>;

export const ChainFile = z.strictObject({
  schemaVersion: z.literal(1),
  description: z.string(),
  pruned: z.array(ChainEntry),
});
export type ChainFile = z.infer<typeof ChainFile>;

const CHAIN_DESCRIPTION =
  'Manifests of evidence bundles removed by retention (plantproof prune), kept so that the hash chain over the remaining bundles can still be verified.';

export async function readChainFile(file: string): Promise<ChainFile | null> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw err;
  }
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (err) {
    throw new ConfigError(`invalid JSON: ${(err as Error).message}`, { file });
  }
  const parsed = ChainFile.safeParse(data);
  if (!parsed.success)
    throw new ConfigError(`not a plantproof chain file: ${parsed.error.issues[0]?.message}`, { file });
  for (const e of parsed.data.pruned) {
    if (sha256(e.manifest) !== e.manifestSha256)
      throw new ConfigError(`entry ${e.name}: the kept manifest does not match its sha256`, { file });
  }
  return parsed.data;
}

export async function writeChainFile(file: string, chain: ChainFile): Promise<void> {
  await mkdir(dirname(file), { recursive: true });
  const sorted = {
    ...chain,
    description: CHAIN_DESCRIPTION,
    pruned: [...chain.pruned].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0)),
  };
  await writeFileAtomic(file, `${JSON.stringify(sorted, null, 2)}\n`);
}

export function emptyChain(): ChainFile {
  return { schemaVersion: 1, description: CHAIN_DESCRIPTION, pruned: [] };
}

export interface BundleOnDisk {
  name: string;
  zip: string | null;
  dir: string | null;
}

/** Finished bundles in a folder (zip files and directories); half-written ones start with a dot and are ignored. */
export async function listBundles(dir: string): Promise<BundleOnDisk[]> {
  let names: string[];
  try {
    names = await readdir(resolve(dir));
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw err;
  }
  const found = new Map<string, BundleOnDisk>();
  for (const n of names) {
    const zip = n.endsWith('.zip');
    const name = zip ? n.slice(0, -4) : n;
    if (!BUNDLE_NAME.test(name)) continue;
    const b = found.get(name) ?? { name, zip: null, dir: null };
    if (zip) b.zip = join(resolve(dir), n);
    else b.dir = join(resolve(dir), n);
    found.set(name, b);
  }
  return [...found.values()].sort((a, b) => a.name.localeCompare(b.name));
}

/** The link to a bundle: its name and the sha256 of its manifest.json. */
export async function linkTo(bundlePath: string): Promise<PreviousLink> {
  const { name, manifest } = await readManifestBytes(bundlePath);
  const parsed = parseManifestText(manifest, bundlePath);
  if (name && name !== parsed.name)
    throw new ConfigError(`the bundle folder ${name} holds the manifest of ${parsed.name}`, {
      file: bundlePath,
    });
  return { name: parsed.name, manifestSha256: sha256(manifest) };
}

function parseManifestText(bytes: Uint8Array, origin: string): Manifest {
  let data: unknown;
  try {
    data = JSON.parse(Buffer.from(bytes).toString('utf8'));
  } catch {
    throw new ConfigError('manifest.json is not JSON', { file: origin });
  }
  const parsed = Manifest.safeParse(data);
  if (!parsed.success)
    throw new ConfigError(`manifest.json is not a plantproof manifest: ${parsed.error.issues[0]?.message}`, {
      file: origin,
    });
  return parsed.data;
}

/**
 * The bundle a new one links to: the newest bundle in `dir` (or removed bundle recorded in
 * chain.json) older than the new one. Null for the first bundle of a folder.
 */
export async function findPrevious(dir: string, newName: string): Promise<PreviousLink | null> {
  const bundles = (await listBundles(dir)).filter((b) => b.name < newName);
  const chain = await readChainFile(join(resolve(dir), CHAIN_FILE));
  const pruned = (chain?.pruned ?? []).filter((e) => e.name < newName);
  const newestBundle = bundles[bundles.length - 1];
  const newestPruned = pruned.sort((a, b) => a.name.localeCompare(b.name))[pruned.length - 1];
  if (newestBundle && (!newestPruned || newestBundle.name > newestPruned.name))
    return linkTo(newestBundle.zip ?? newestBundle.dir!);
  if (newestPruned) return { name: newestPruned.name, manifestSha256: newestPruned.manifestSha256 };
  return null;
}

export interface LinkCheck {
  ok: boolean;
  /** the bundles the link passes through, newest first, with how each step was proven */
  steps: string[];
  problems: string[];
}

/**
 * Does `from` (a manifest's previous link) lead to the bundle whose manifest is `target`?
 * Directly, or through removed bundles recorded in chain.json, each checked by digest and — with
 * a trusted key — by signature.
 */
export function checkLink(
  from: PreviousLink | null,
  target: { name: string; manifestBytes: Uint8Array },
  chain: ChainFile | null,
  trustedKey?: KeyObject,
): LinkCheck {
  const steps: string[] = [];
  const problems: string[] = [];
  const targetSha = sha256(target.manifestBytes);
  const byName = new Map((chain?.pruned ?? []).map((e) => [e.name, e]));
  let link = from;
  for (let hops = 0; hops <= byName.size; hops++) {
    if (!link) {
      problems.push(
        steps.length === 0
          ? 'this bundle has no previous link (it was the first of its chain)'
          : `the chain ends at ${steps[steps.length - 1]} without reaching ${target.name}`,
      );
      return { ok: false, steps, problems };
    }
    if (link.name === target.name) {
      if (link.manifestSha256 !== targetSha) {
        problems.push(
          `${target.name}: manifest sha256 is ${targetSha}, the link expects ${link.manifestSha256} (a different or altered bundle)`,
        );
        return { ok: false, steps, problems };
      }
      steps.push(`${target.name} (manifest sha256 matches)`);
      return { ok: true, steps, problems };
    }
    if (link.name < target.name) {
      problems.push(`the chain passes ${target.name} without linking to it (it links to ${link.name})`);
      return { ok: false, steps, problems };
    }
    const entry = byName.get(link.name);
    if (!entry) {
      problems.push(
        `${link.name} is linked to but is neither the given previous bundle nor recorded in ${CHAIN_FILE}`,
      );
      return { ok: false, steps, problems };
    }
    if (entry.manifestSha256 !== link.manifestSha256 || sha256(entry.manifest) !== link.manifestSha256) {
      problems.push(`${link.name}: the manifest kept in ${CHAIN_FILE} is not the one linked to`);
      return { ok: false, steps, problems };
    }
    let how = 'removed; manifest kept in chain/chain.json matches';
    if (trustedKey) {
      const sig = entry.signature === null ? null : SignatureFile.safeParse(safeJson(entry.signature));
      if (!sig?.success || sig.data.algorithm !== 'ed25519' || !sig.data.signature) {
        problems.push(
          `${link.name}: removed bundle's manifest is not signed, cannot check it against the trusted key`,
        );
        return { ok: false, steps, problems };
      }
      if (!verifyBytes(trustedKey, Buffer.from(entry.manifest, 'utf8'), sig.data.signature)) {
        problems.push(`${link.name}: the kept manifest's signature does not verify with the trusted key`);
        return { ok: false, steps, problems };
      }
      how += ', signature verified';
    }
    steps.push(`${link.name} (${how})`);
    const parsed = Manifest.safeParse(safeJson(entry.manifest));
    if (!parsed.success) {
      problems.push(`${link.name}: the kept manifest is not a plantproof manifest`);
      return { ok: false, steps, problems };
    }
    link = parsed.data.previous;
  }
  problems.push('the chain loops');
  return { ok: false, steps, problems };
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}
