import type { Command } from 'commander';
import { UsageError } from '../../errors.js';
import { diffResults, formatDiffText } from '../../report/diff.js';
import { readResults } from '../../report/read-bundle.js';
import type { CommandContext } from '../main.js';

export function registerDiff(program: Command, ctx: CommandContext): void {
  program
    .command('diff')
    .description(
      'what changed between two runs: requirements and findings new, fixed, regressed, still failing',
    )
    .argument('<old>', 'the earlier bundle (directory, zip or results.json)')
    .argument('<new>', 'the later bundle')
    .option('--format <format>', 'text or json', 'text')
    .action(async (oldPath: string, newPath: string, opts: { format: string }) => {
      if (opts.format !== 'text' && opts.format !== 'json')
        throw new UsageError(`--format: "${opts.format}" is not text or json`);
      const [before, after] = await Promise.all([readResults(oldPath), readResults(newPath)]);
      const diff = diffResults(before.results, after.results);
      ctx.stdout(opts.format === 'json' ? `${JSON.stringify(diff, null, 2)}\n` : formatDiffText(diff));
    });
}
