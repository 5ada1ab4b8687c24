import { join } from 'node:path';
import type { Command } from 'commander';
import { exitCodeFor } from '../../check.js';
import { runDemo } from '../../demo/index.js';
import { writeDemoBundle } from '../../evidence/demo.js';
import { REPORT_FORMATS } from '../../report/index.js';
import { reportsForBundle, writeReports } from '../../report/write.js';
import { createProgress } from '../../util/progress.js';
import type { CommandContext } from '../main.js';
import { describeBundle } from './bundle.js';
import { formatSummary, writeCheckOutputs } from './check.js';

export function registerDemo(program: Command, ctx: CommandContext): void {
  program
    .command('demo')
    .description('run the whole pipeline on the bundled demo plant (no credentials needed)')
    .option('-o, --out <dir>', 'output directory', 'out/demo')
    .option('-q, --quiet', 'no progress output')
    .action(async (opts: { out: string; quiet?: boolean }) => {
      const progress = createProgress({ quiet: opts.quiet });
      const run = await runDemo({ outDir: opts.out, progress });
      progress.close();
      const files = await writeCheckOutputs(run.results, run.outDir);
      const reportsDir = join(run.outDir, 'reports');
      await writeReports(run.results, { formats: REPORT_FORMATS, outDir: reportsDir });
      ctx.stdout(formatSummary(run.results));
      ctx.stdout(`snapshot: ${run.snapshotFile}\nresults: ${files.results}\ngap report: ${files.report}\n`);
      ctx.stdout(`reports (HTML, CSV, SARIF, OSCAL, JUnit): ${reportsDir}\n`);
      const bundlesDir = join(run.outDir, 'bundles');
      const reports = await reportsForBundle(run.results, { formats: REPORT_FORMATS, bundlesDir });
      const bundle = await writeDemoBundle(run, { reports });
      ctx.stdout(describeBundle(bundle.written));
      ctx.stdout(
        `verify it: plantproof verify ${bundle.written.zipFile}${bundle.publicKeyFile ? ` --public-key ${bundle.publicKeyFile}` : ''} --reproduce\n`,
      );
      const code = exitCodeFor(run.results);
      ctx.stdout(
        `The demo plant has gaps on purpose; plantproof check would exit ${code} on it. The demo itself exits 0.\n`,
      );
    });
}
