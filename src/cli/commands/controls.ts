import type { Command } from 'commander';
import { controlCoverage } from '../../controls/coverage.js';
import { loadControls } from '../../controls/load.js';
import { UsageError } from '../../errors.js';
import { loadCompiledPolicy } from '../../evaluate/index.js';
import { textTable } from '../format.js';
import type { CommandContext } from '../main.js';

interface ControlsFlags {
  framework?: string;
  controls?: string;
  format: string;
}

async function load(opts: ControlsFlags) {
  if (!['text', 'json'].includes(opts.format))
    throw new UsageError(`--format must be text or json, not "${opts.format}"`);
  const policy = await loadCompiledPolicy();
  const controls = await loadControls({
    dir: opts.controls,
    checkIds: Object.keys(policy.checks),
    frameworks: opts.framework ? [opts.framework] : undefined,
  });
  return { policy, controls };
}

export function registerControls(program: Command, ctx: CommandContext): void {
  const controls = program.command('controls').description('inspect the framework control maps');
  controls
    .command('coverage')
    .description('per framework: requirements, automated, manual-only and coverage %')
    .option('-f, --framework <id>', 'one framework')
    .option('--controls <dir>', 'control maps to use instead of the bundled ones')
    .option('--format <format>', 'text or json', 'text')
    .action(async (opts: ControlsFlags) => {
      const { controls: loaded } = await load(opts);
      const rows = controlCoverage(loaded);
      if (opts.format === 'json') {
        ctx.stdout(`${JSON.stringify(rows, null, 2)}\n`);
        return;
      }
      ctx.stdout(
        textTable(
          ['framework', 'requirements', 'automated', 'manual only', 'coverage %'],
          rows.map((r) => [
            r.framework,
            r.requirements,
            r.automated,
            r.manualOnly,
            r.coveragePercent.toFixed(1),
          ]),
        ),
      );
    });
  controls
    .command('list')
    .description('list every requirement of a framework with its checks and manual evidence')
    .requiredOption('-f, --framework <id>', 'framework id (soc2, iso27001-2022, iec62443-3-3, cmmc-l2)')
    .option('--controls <dir>', 'control maps to use instead of the bundled ones')
    .option('--format <format>', 'text or json', 'text')
    .action(async (opts: ControlsFlags) => {
      const { controls: loaded } = await load(opts);
      const map = loaded.maps[0]!;
      if (opts.format === 'json') {
        ctx.stdout(`${JSON.stringify(map.requirements, null, 2)}\n`);
        return;
      }
      ctx.stdout(
        `${map.framework.title} (${map.framework.version}): ${map.requirements.length} requirements\n\n`,
      );
      ctx.stdout(
        textTable(
          ['requirement', 'title', 'checks', 'manual evidence'],
          map.requirements.map((r) => [
            r.sl === undefined ? r.id : `${r.id} (SL${r.sl})`,
            r.title,
            r.checks.join(', ') || '-',
            r.evidence.join(', ') || '-',
          ]),
        ),
      );
    });
}
