import type { Command } from 'commander';
import { formatPrunePlan, parseRetention, pruneBundles } from '../../evidence/index.js';
import type { CommandContext } from '../main.js';
import { parseNow } from '../options.js';

const collect = (value: string, previous: string[] = []) => [...previous, value];

export function registerPrune(program: Command, ctx: CommandContext): void {
  program
    .command('prune')
    .description(
      'remove bundles older than their retention (annual 12, assessment 24, certification 36 months); dry run unless --apply',
    )
    .option('-d, --dir <dir>', 'the bundles folder', 'out/bundles')
    .option('--apply', 'delete (without it, only show what would be deleted)')
    .option(
      '--retention <category=months>',
      'override a retention: annual, assessment, certification or a framework id (repeatable), e.g. soc2=24',
      collect,
    )
    .option('--now <date>', 'judge ages as of this date')
    .action(async (opts: { dir: string; apply?: boolean; retention?: string[]; now?: string }) => {
      const plan = await pruneBundles({
        dir: opts.dir,
        apply: opts.apply,
        retention: parseRetention(opts.retention),
        now: parseNow(opts.now),
      });
      ctx.stdout(formatPrunePlan(plan));
    });
}
