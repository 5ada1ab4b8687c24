import { resolve } from 'node:path';
import type { Command } from 'commander';
import { collectSnapshot } from '../../collectors/run.js';
import { loadConfig } from '../../config/load.js';
import { UsageError } from '../../errors.js';
import { mergeSnapshots } from '../../snapshot/build.js';
import { readSnapshot, serializeSnapshot, writeFileAtomic } from '../../snapshot/io.js';
import { createProgress } from '../../util/progress.js';
import type { CommandContext } from '../main.js';
import { collectList } from '../options.js';

export function registerCollect(program: Command, ctx: CommandContext): void {
  program
    .command('collect')
    .description('run the configured collectors in parallel and write one normalized snapshot')
    .requiredOption('-c, --config <file>', 'plantproof.yaml')
    .option('-o, --out <file>', 'where to write the snapshot', 'snapshot.json')
    .option('--only <type...>', 'run only these collector types (one shard of a CI matrix)', collectList)
    .option('-q, --quiet', 'no progress output')
    .action(async (opts: { config: string; out: string; quiet?: boolean; only?: string[] }) => {
      const loaded = await loadConfig(opts.config);
      if (opts.only) {
        const unknown = opts.only.filter((t) => !loaded.collectors.some((c) => c.type === t));
        if (unknown.length)
          throw new UsageError(
            `--only: no enabled collector of type ${unknown.join(', ')} in ${opts.config}`,
          );
        loaded.collectors = loaded.collectors.filter((c) => opts.only?.includes(c.type));
      }
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

export function registerMerge(program: Command, ctx: CommandContext): void {
  program
    .command('merge')
    .description('merge snapshots collected on several machines (a CI matrix) by entity id')
    .argument('<snapshots...>', 'snapshot files')
    .requiredOption('-o, --out <file>', 'merged snapshot')
    .action(async (files: string[], opts: { out: string }) => {
      const snapshots = [];
      for (const f of files) snapshots.push((await readSnapshot(f)).snapshot);
      const merged = mergeSnapshots(snapshots);
      await writeFileAtomic(resolve(opts.out), serializeSnapshot(merged));
      const failed = merged.sources.filter((s) => s.status !== 'ok');
      ctx.stdout(
        `merged ${files.length} snapshots into ${opts.out}: ${merged.sources.length} sources, ${failed.length} not ok\n`,
      );
      if (failed.length > 0) ctx.exitCode = 3;
    });
}
