import { resolve } from 'node:path';
import type { Command } from 'commander';
import { checkSnapshot, defaultConfig, exitCodeFor, sha256Hex } from '../../check.js';
import { loadConfig } from '../../config/load.js';
import { UsageError } from '../../errors.js';
import {
  type BundleFormat,
  loadSigningKey,
  SIGNING_KEY_ENV,
  type WrittenBundle,
  writeBundle,
} from '../../evidence/index.js';
import { appendStepSummary } from '../../report/step-summary.js';
import { reportsForBundle } from '../../report/write.js';
import { readSnapshot } from '../../snapshot/io.js';
import type { CommandContext } from '../main.js';
import { collectList, parseNow } from '../options.js';
import { formatSummary } from './check.js';

export interface BundleFlags {
  format: string;
  key?: string;
  previous?: string;
}

/** The flags every command that writes a bundle shares. */
export function addBundleOptions(cmd: Command): Command {
  return cmd
    .option('--format <format>', 'zip, dir or both', 'zip')
    .option('--key <file>', `Ed25519 signing key (PKCS#8 PEM); default: $${SIGNING_KEY_ENV}; none: unsigned`)
    .option(
      '--previous <bundle>',
      'the bundle to chain to (default: the newest older bundle in the output folder)',
    );
}

export function bundleFormat(value: string): BundleFormat {
  if (value === 'zip' || value === 'dir' || value === 'both') return value;
  throw new UsageError(`--format: expected zip, dir or both; got "${value}"`);
}

export function describeBundle(written: WrittenBundle): string {
  const where = [written.zipFile, written.dir].filter(Boolean).join('\n        ');
  const lines = [`bundle: ${where}`];
  lines.push(
    written.signed
      ? `        signed with key sha256:${written.manifest.signing?.keyId}`
      : `        UNSIGNED (set $${SIGNING_KEY_ENV} or pass --key to sign; plantproof keygen makes a key)`,
  );
  if (written.manifest.previous) lines.push(`        chained to ${written.manifest.previous.name}`);
  if (written.manifest.outcome.sourcesNotOk.length > 0)
    lines.push(
      `        collection incomplete: ${written.manifest.outcome.sourcesNotOk.map((s) => `${s.id} (${s.status})`).join(', ')}`,
    );
  return `${lines.join('\n')}\n`;
}

export function registerBundle(program: Command, ctx: CommandContext): void {
  addBundleOptions(
    program
      .command('bundle')
      .description('write a signed, verifiable evidence bundle from an existing snapshot')
      .requiredOption('-s, --snapshot <file>', 'snapshot.json from plantproof collect')
      .option('-c, --config <file>', 'plantproof.yaml (owners, waivers, manual evidence, thresholds)')
      .option('-f, --framework <id...>', 'only these frameworks (repeat or comma-separate)', collectList)
      .option('-o, --out <dir>', 'the folder bundles accumulate in', 'out/bundles')
      .option('--now <date>', 'judge as of this date instead of the snapshot time'),
  ).action(
    async (
      opts: BundleFlags & {
        snapshot: string;
        config?: string;
        framework?: string[];
        out: string;
        now?: string;
      },
    ) => {
      const format = bundleFormat(opts.format);
      const now = parseNow(opts.now);
      const signingKey = await loadSigningKey({ file: opts.key });
      const { snapshot, bytes } = await readSnapshot(opts.snapshot);
      const config = opts.config ? await loadConfig(opts.config) : undefined;
      const results = await checkSnapshot({
        snapshot,
        snapshotDigest: sha256Hex(bytes),
        config,
        frameworks: opts.framework,
        now,
      });
      const written = await writeBundle({
        snapshot,
        snapshotBytes: bytes,
        results,
        config,
        outDir: resolve(opts.out),
        format,
        signingKey,
        previous: opts.previous ?? 'auto',
        reports: await reportsForBundle(results, {
          formats: config?.config.outputs.formats ?? defaultConfig(snapshot.scope.name).outputs.formats,
          bundlesDir: resolve(opts.out),
        }),
      });
      ctx.stdout(formatSummary(written.results));
      ctx.stdout(describeBundle(written));
      await appendStepSummary(written.results);
      ctx.exitCode = exitCodeFor(written.results);
    },
  );
}
