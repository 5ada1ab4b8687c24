import { Command, CommanderError } from 'commander';
import { ConfigError, InternalError, UsageError } from '../errors.js';
import { VERSION } from '../version.js';
import { registerBundle } from './commands/bundle.js';
import { registerCheck } from './commands/check.js';
import { registerCollect, registerMerge } from './commands/collect.js';
import { registerControls } from './commands/controls.js';
import { registerDemo } from './commands/demo.js';
import { registerDiff } from './commands/diff.js';
import { registerKeygen } from './commands/keygen.js';
import { registerPrune } from './commands/prune.js';
import { registerReport } from './commands/report.js';
import { registerRun } from './commands/run.js';
import { registerVerify } from './commands/verify.js';

/** Each command sets `process.exitCode`-style results through this holder. */
export interface CommandContext {
  exitCode: number;
  stdout: (text: string) => void;
  stderr: (text: string) => void;
}

export function buildProgram(ctx: CommandContext): Command {
  const program = new Command('plantproof')
    .description('Compliance evidence for manufacturers: collect, check, and bundle signed evidence.')
    .version(VERSION)
    .exitOverride()
    .configureOutput({ writeOut: ctx.stdout, writeErr: ctx.stderr })
    .showHelpAfterError();
  registerCollect(program, ctx);
  registerMerge(program, ctx);
  registerCheck(program, ctx);
  registerDemo(program, ctx);
  registerRun(program, ctx);
  registerBundle(program, ctx);
  registerVerify(program, ctx);
  registerKeygen(program, ctx);
  registerPrune(program, ctx);
  registerControls(program, ctx);
  registerReport(program, ctx);
  registerDiff(program, ctx);
  return program;
}

/** The only place that turns errors into exit codes and messages. */
export async function main(argv: string[], io?: Partial<CommandContext>): Promise<number> {
  const ctx: CommandContext = {
    exitCode: 0,
    stdout: io?.stdout ?? ((t) => process.stdout.write(t)),
    stderr: io?.stderr ?? ((t) => process.stderr.write(t)),
  };
  try {
    await buildProgram(ctx).parseAsync(argv);
    return ctx.exitCode;
  } catch (err) {
    if (err instanceof CommanderError) {
      return err.exitCode === 0 ? 0 : 2;
    }
    if (err instanceof ConfigError || err instanceof UsageError || err instanceof InternalError) {
      ctx.stderr(`plantproof: ${err.message}\n`);
      return 2;
    }
    ctx.stderr(
      `plantproof: internal error: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`,
    );
    return 2;
  }
}
