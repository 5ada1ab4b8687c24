import { resolve } from 'node:path';
import type { Command } from 'commander';
import { UsageError } from '../../errors.js';
import { REPORT_FORMATS, reportFormatsFrom } from '../../report/index.js';
import { readHistory, readResults } from '../../report/read-bundle.js';
import { appendStepSummary } from '../../report/step-summary.js';
import { bundleNameOf, writeReports } from '../../report/write.js';
import type { CommandContext } from '../main.js';
import { collectList } from '../options.js';

export function registerReport(program: Command, ctx: CommandContext): void {
  program
    .command('report')
    .description(
      're-render the gap report and interop outputs from an evidence bundle (directory, zip or results.json)',
    )
    .argument('<bundle>', 'evidence bundle directory, its zip, or a results.json')
    .option(
      '-f, --format <formats...>',
      `formats, comma-separated or repeated: ${REPORT_FORMATS.join(', ')} (default: all)`,
      collectList,
    )
    .option('-o, --out <dir>', 'output directory', 'out/reports')
    .option(
      '--history <dir>',
      'folder of earlier bundles: adds the trend and the diff against the previous run',
    )
    .action(async (bundle: string, opts: { format?: string[]; out: string; history?: string }) => {
      const { formats, unknown } = reportFormatsFrom(opts.format ?? [...REPORT_FORMATS]);
      if (unknown.length > 0)
        throw new UsageError(
          `--format: unknown ${unknown.map((u) => `"${u}"`).join(', ')}; choose from ${REPORT_FORMATS.join(', ')}`,
        );
      if (formats.length === 0) throw new UsageError('--format: no report format given');
      const { results } = await readResults(bundle);
      const history = opts.history ? (await readHistory(opts.history)).map((h) => h.results) : undefined;
      const written = await writeReports(results, {
        formats,
        outDir: resolve(opts.out),
        history,
        bundleName: bundleNameOf(bundle),
      });
      for (const file of written) ctx.stdout(`${file}\n`);
      const summary = await appendStepSummary(results, { history });
      if (summary) ctx.stdout(`job summary: ${summary}\n`);
    });
}
