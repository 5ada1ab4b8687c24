import { mkdir } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import type { Command } from 'commander';
import { checkSnapshot, exitCodeFor, type Results, sha256Hex } from '../../check.js';
import { loadConfig } from '../../config/load.js';
import { loadCompiledPolicy } from '../../evaluate/index.js';
import { renderGapReportMarkdown } from '../../report/markdown/index.js';
import { appendStepSummary } from '../../report/step-summary.js';
import { readSnapshot, writeFileAtomic } from '../../snapshot/io.js';
import type { CommandContext } from '../main.js';
import { collectList, parseNow } from '../options.js';

export function formatSummary(results: Results): string {
  const rows = results.frameworks.map((f) => {
    const s = f.summary;
    return [f.id, s.satisfied, s.not_satisfied, s.error, s.not_assessed, s.waived, s.total];
  });
  const header = ['framework', 'satisfied', 'not satisfied', 'error', 'not assessed', 'waived', 'total'];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => String(r[i]).length)));
  const line = (cells: (string | number)[]) =>
    cells.map((c, i) => (i === 0 ? String(c).padEnd(widths[i]!) : String(c).padStart(widths[i]!))).join('  ');
  return `${[line(header), ...rows.map(line)].join('\n')}\n`;
}

export async function writeCheckOutputs(
  results: Results,
  dir: string,
): Promise<{ results: string; report: string }> {
  await mkdir(dir, { recursive: true });
  const files = { results: join(dir, 'results.json'), report: join(dir, 'gap-report.md') };
  await writeFileAtomic(files.results, `${JSON.stringify(results, null, 2)}\n`);
  await writeFileAtomic(files.report, renderGapReportMarkdown(results));
  return files;
}

interface CheckFlags {
  snapshot: string;
  config?: string;
  framework?: string[];
  out: string;
  now?: string;
  controls?: string;
  policy?: string;
}

export function registerCheck(program: Command, ctx: CommandContext): void {
  program
    .command('check')
    .description(
      'check a snapshot against the policies and control maps; write results.json and gap-report.md',
    )
    .requiredOption('-s, --snapshot <file>', 'snapshot.json from plantproof collect')
    .option(
      '-c, --config <file>',
      'plantproof.yaml (owners, deadlines, RBAC matrix, regions, waivers, manual evidence)',
    )
    .option('-f, --framework <id...>', 'only these frameworks (repeat or comma-separate)', collectList)
    .option('-o, --out <dir>', 'output directory', 'out')
    .option('--now <date>', 'judge as of this date instead of the snapshot time')
    .option('--controls <dir>', 'control maps to use instead of the bundled ones')
    .option('--policy <dir>', 'compiled policy (plantproof.wasm + checks.json) instead of the bundled one')
    .action(async (opts: CheckFlags) => {
      const now = parseNow(opts.now);
      const { snapshot, bytes } = await readSnapshot(opts.snapshot);
      const config = opts.config ? await loadConfig(opts.config) : undefined;
      const policy = await loadCompiledPolicy(opts.policy);
      const results = await checkSnapshot({
        snapshot,
        snapshotDigest: sha256Hex(bytes),
        config,
        frameworks: opts.framework,
        now,
        policy,
        controlsDir: opts.controls,
      });
      const files = await writeCheckOutputs(results, resolve(opts.out));
      ctx.stdout(formatSummary(results));
      await appendStepSummary(results);
      ctx.stdout(`results: ${files.results}\ngap report: ${files.report}\n`);
      ctx.exitCode = exitCodeFor(results);
    });
}
