import { join, resolve } from 'node:path';
import type { Command } from 'commander';
import { checkSnapshot, exitCodeFor, sha256Hex } from '../../check.js';
import { collectSnapshot } from '../../collectors/run.js';
import { loadConfig } from '../../config/load.js';
import { loadSigningKey, writeBundle } from '../../evidence/index.js';
import { appendStepSummary } from '../../report/step-summary.js';
import { reportsForBundle } from '../../report/write.js';
import { serializeSnapshot, writeFileAtomic } from '../../snapshot/io.js';
import { createProgress } from '../../util/progress.js';
import type { CommandContext } from '../main.js';
import { collectList } from '../options.js';
import { addBundleOptions, type BundleFlags, bundleFormat, describeBundle } from './bundle.js';
import { formatSummary, writeCheckOutputs } from './check.js';

export function registerRun(program: Command, ctx: CommandContext): void {
  addBundleOptions(
    program
      .command('run')
      .description('collect, check and write a signed evidence bundle, in one go')
      .requiredOption('-c, --config <file>', 'plantproof.yaml')
      .option(
        '-o, --out <dir>',
        'output folder (default: outputs.dir of the config); bundles go to <out>/bundles',
      )
      .option('--bundles <dir>', 'the folder bundles accumulate in (default: <out>/bundles)')
      .option('-f, --framework <id...>', 'only these frameworks (repeat or comma-separate)', collectList)
      .option('-q, --quiet', 'no progress output'),
  ).action(
    async (
      opts: BundleFlags & {
        config: string;
        out?: string;
        bundles?: string;
        framework?: string[];
        quiet?: boolean;
      },
    ) => {
      const format = bundleFormat(opts.format);
      const loaded = await loadConfig(opts.config);
      // Load the key before collecting: a bad key should fail in a second, not after the collection.
      const signingKey = await loadSigningKey({ file: opts.key });
      const outDir = opts.out ? resolve(opts.out) : resolve(loaded.dir, loaded.config.outputs.dir);
      const progress = createProgress({ quiet: opts.quiet });
      let snapshot: Awaited<ReturnType<typeof collectSnapshot>>;
      try {
        snapshot = await collectSnapshot(loaded, { progress });
      } finally {
        progress.close();
      }
      const snapshotText = serializeSnapshot(snapshot);
      const snapshotFile = join(outDir, 'snapshot.json');
      const results = await checkSnapshot({
        snapshot,
        snapshotDigest: sha256Hex(snapshotText),
        config: loaded,
        frameworks: opts.framework,
      });
      const files = await writeCheckOutputs(results, outDir);
      await writeFileAtomic(snapshotFile, snapshotText);
      const written = await writeBundle({
        snapshot,
        snapshotBytes: Buffer.from(snapshotText, 'utf8'),
        results,
        config: loaded,
        outDir: opts.bundles ? resolve(opts.bundles) : join(outDir, 'bundles'),
        format,
        signingKey,
        previous: opts.previous ?? 'auto',
        reports: await reportsForBundle(results, {
          formats: loaded.config.outputs.formats,
          bundlesDir: opts.bundles ? resolve(opts.bundles) : join(outDir, 'bundles'),
        }),
      });
      ctx.stdout(formatSummary(written.results));
      ctx.stdout(`snapshot: ${snapshotFile}\nresults: ${files.results}\ngap report: ${files.report}\n`);
      ctx.stdout(describeBundle(written));
      await appendStepSummary(written.results);
      ctx.exitCode = exitCodeFor(written.results);
    },
  );
}
