import { createHash } from 'node:crypto';
import { lstat, readdir, rm } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { ConfigError, UsageError } from '../errors.js';
import {
  type BundleOnDisk,
  CHAIN_FILE,
  emptyChain,
  listBundles,
  readChainFile,
  writeChainFile,
} from './chain.js';
import { bundleTime, Manifest } from './manifest.js';
import { readManifestBytes } from './reader.js';

/**
 * Retention: how long evidence must be kept depends on the audit it serves.
 *
 * | category      | months | why                                                        | frameworks            |
 * |---------------|--------|------------------------------------------------------------|-----------------------|
 * | annual        | 12     | a SOC 2 Type II report covers one 12-month period           | soc2                  |
 * | assessment    | 24     | IEC 62443 assessments look back over the last cycle         | iec62443-3-3          |
 * | certification | 36     | ISO/IEC 27001 and CMMC certificates run three years         | iso27001-2022, cmmc-l2|
 *
 * A bundle is kept for the longest period of any framework it holds; a framework not in the
 * table counts as `certification`. Both categories and single frameworks can be overridden.
 */
export const DEFAULT_RETENTION_MONTHS: Record<string, number> = {
  annual: 12,
  assessment: 24,
  certification: 36,
};
export const FRAMEWORK_CATEGORY: Record<string, string> = {
  soc2: 'annual',
  'iec62443-3-3': 'assessment',
  'iso27001-2022': 'certification',
  'cmmc-l2': 'certification',
};
const FALLBACK_CATEGORY = 'certification';
/** half-written bundles (a killed run) older than this are cleaned up too */
const STALE_PARTIAL_MS = 24 * 3600 * 1000;

export interface RetentionPolicy {
  /** months per category */
  categories: Record<string, number>;
  /** months per framework id, overriding its category */
  frameworks: Record<string, number>;
}

/** `--retention annual=18 --retention cmmc-l2=72`: a category name or a framework id, then months. */
export function parseRetention(specs: string[] = []): RetentionPolicy {
  const policy: RetentionPolicy = { categories: { ...DEFAULT_RETENTION_MONTHS }, frameworks: {} };
  for (const spec of specs) {
    const m = /^([a-z0-9][a-z0-9.-]*)=(\d+)$/.exec(spec.trim());
    if (!m || Number(m[2]) < 1)
      throw new UsageError(
        `--retention: expected <category or framework>=<months>, e.g. annual=18; got "${spec}"`,
      );
    const [, key, months] = m;
    if (key! in policy.categories) policy.categories[key!] = Number(months);
    else policy.frameworks[key!] = Number(months);
  }
  return policy;
}

export function retentionMonths(frameworks: string[], policy: RetentionPolicy): number {
  const months = frameworks.map(
    (f) => policy.frameworks[f] ?? policy.categories[FRAMEWORK_CATEGORY[f] ?? FALLBACK_CATEGORY] ?? 36,
  );
  return Math.max(...(months.length ? months : [policy.categories[FALLBACK_CATEGORY] ?? 36]));
}

function addMonthsUtc(date: Date, months: number): Date {
  const d = new Date(date.getTime());
  const day = d.getUTCDate();
  d.setUTCDate(1);
  d.setUTCMonth(d.getUTCMonth() + months);
  const last = new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 0)).getUTCDate();
  d.setUTCDate(Math.min(day, last));
  return d;
}

export interface PruneDecision {
  name: string;
  paths: string[];
  action: 'remove' | 'keep';
  reason: string;
  expiresAt: string | null;
}

export interface PrunePlan {
  dir: string;
  decisions: PruneDecision[];
  /** leftovers of interrupted writes */
  partials: string[];
  applied: boolean;
}

/**
 * Which bundles have outlived their retention. With `apply`, their manifests go into chain.json
 * first (chain/chain.json, so the chain over what remains still verifies) and then they are deleted. The newest
 * bundle is never removed, nor one whose manifest cannot be read.
 */
export async function pruneBundles(opts: {
  dir: string;
  now?: Date;
  retention?: RetentionPolicy;
  apply?: boolean;
}): Promise<PrunePlan> {
  const dir = resolve(opts.dir);
  const now = opts.now ?? new Date();
  const policy = opts.retention ?? parseRetention();
  try {
    if (!(await lstat(dir)).isDirectory()) throw new Error('not a folder');
  } catch (err) {
    throw new ConfigError(
      `cannot read the bundles folder: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`,
      {
        file: opts.dir,
      },
    );
  }
  const bundles = await listBundles(dir);
  const decisions: PruneDecision[] = [];
  const keptManifests = new Map<string, { manifest: Buffer; signature: Buffer | null }>();
  for (const [i, b] of bundles.entries()) {
    const paths = [b.zip, b.dir].filter((p): p is string => p !== null);
    const keep = (reason: string, expiresAt: string | null = null) =>
      decisions.push({ name: b.name, paths, action: 'keep', reason, expiresAt });
    let read: Awaited<ReturnType<typeof readManifestBytes>>;
    try {
      read = await readManifestBytes(pathOf(b));
    } catch (err) {
      keep(`manifest unreadable, never removed automatically (${(err as Error).message.split('\n')[0]})`);
      continue;
    }
    const manifest = Manifest.safeParse(safeJson(read.manifest));
    if (!manifest.success || manifest.data.name !== b.name) {
      keep('manifest invalid, never removed automatically');
      continue;
    }
    const frameworks = manifest.data.outcome.frameworks.map((f) => f.id);
    const months = retentionMonths(frameworks, policy);
    const collected = bundleTime(b.name) ?? new Date(manifest.data.timestamps.collectedAt);
    const expires = addMonthsUtc(collected, months);
    const frameworksText = frameworks.join(', ') || 'no frameworks';
    if (i === bundles.length - 1) {
      keep(
        `the newest bundle is always kept (retention ${months} months for ${frameworksText})`,
        expires.toISOString(),
      );
      continue;
    }
    if (expires > now) {
      keep(`within retention: ${months} months for ${frameworksText}`, expires.toISOString());
      continue;
    }
    keptManifests.set(b.name, { manifest: read.manifest, signature: read.signature });
    decisions.push({
      name: b.name,
      paths,
      action: 'remove',
      reason: `older than its retention of ${months} months (${frameworksText})`,
      expiresAt: expires.toISOString(),
    });
  }

  const partials: string[] = [];
  for (const n of await readdir(dir)) {
    if (!/^\.plantproof-evidence-.*\.partial-/.test(n)) continue;
    const st = await lstat(join(dir, n));
    if (now.getTime() - st.mtimeMs > STALE_PARTIAL_MS) partials.push(join(dir, n));
  }

  const plan: PrunePlan = { dir, decisions, partials, applied: false };
  if (!opts.apply) return plan;

  const removing = decisions.filter((d) => d.action === 'remove');
  if (removing.length > 0) {
    const chainFile = join(dir, CHAIN_FILE);
    const chain = (await readChainFile(chainFile)) ?? emptyChain();
    const known = new Set(chain.pruned.map((e) => e.name));
    for (const d of removing) {
      if (known.has(d.name)) continue;
      const kept = keptManifests.get(d.name)!;
      chain.pruned.push({
        name: d.name,
        manifestSha256: createHash('sha256').update(kept.manifest).digest('hex'),
        manifest: kept.manifest.toString('utf8'),
        signature: kept.signature ? kept.signature.toString('utf8') : null,
        prunedAt: now.toISOString(),
      });
    }
    // The record comes first: a prune interrupted after this line loses nothing the chain needs.
    await writeChainFile(chainFile, chain);
    for (const d of removing) for (const p of d.paths) await rm(p, { recursive: true, force: true });
  }
  for (const p of partials) await rm(p, { recursive: true, force: true });
  plan.applied = true;
  return plan;
}

function pathOf(b: BundleOnDisk): string {
  return b.zip ?? b.dir!;
}

function safeJson(bytes: Uint8Array): unknown {
  try {
    return JSON.parse(Buffer.from(bytes).toString('utf8'));
  } catch {
    return null;
  }
}

export function formatPrunePlan(plan: PrunePlan): string {
  const lines: string[] = [];
  const removing = plan.decisions.filter((d) => d.action === 'remove');
  for (const d of plan.decisions) {
    const verb = d.action === 'remove' ? (plan.applied ? 'removed' : 'would remove') : 'keep';
    lines.push(
      `${verb.padEnd(12)} ${d.name}: ${d.reason}${d.expiresAt && d.action === 'keep' ? `; until ${d.expiresAt.slice(0, 10)}` : ''}`,
    );
  }
  for (const p of plan.partials)
    lines.push(
      `${(plan.applied ? 'removed' : 'would remove').padEnd(12)} ${p}: left over by an interrupted write`,
    );
  if (plan.decisions.length === 0) lines.push(`no bundles in ${plan.dir}`);
  if (!plan.applied && (removing.length > 0 || plan.partials.length > 0))
    lines.push('dry run: nothing was deleted; run again with --apply to delete');
  if (plan.applied && removing.length > 0)
    lines.push(
      `their manifests are kept in ${join(plan.dir, CHAIN_FILE)}, so the chain over the remaining bundles still verifies`,
    );
  return `${lines.join('\n')}\n`;
}
