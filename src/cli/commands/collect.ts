import { resolve } from 'node:path';
import type { Command } from 'commander';
import { collectSnapshot } from '../../collectors/run.js';
import { loadConfig } from '../../config/load.js';
import { serializeSnapshot, writeFileAtomic } from '../../snapshot/io.js';
import { createProgress } from '../../util/progress.js';
import type { CommandContext } from '../main.js';

export function registerCollect(program: Command, ctx: CommandContext): void {
  program
    .command('collect')
    .description('run the configured collectors in parallel and write one normalized snapshot')
    .requiredOption('-c, --config <file>', 'plantproof.yaml')
    .option('-o, --out <file>', 'where to write the snapshot', 'snapshot.json')
    .option('-q, --quiet', 'no progress output')
    .action(async (opts: { config: string; out: string; quiet?: boolean }) => {
      const loaded = await loadConfig(opts.config);
      const progress = createProgress({ quiet: opts.quiet });
      const snapshot = await collectSnapshot(loaded, { progress });
      progress.close();
      await writeFileAtomic(resolve(opts.out), serializeSnapshot(snapshot));
      const failed = snapshot.sources.filter((s) => s.status !== 'ok');
      ctx.stdout(
        `snapshot written to ${opts.out}: ${snapshot.sources.length} sources, ${failed.length} not ok\n`,
      );
      if (failed.length > 0) ctx.exitCode = 3;
    });
}
