import type { Command } from 'commander';
import { formatVerifyReport, loadPublicKey, verifyBundle } from '../../evidence/index.js';
import type { CommandContext } from '../main.js';

export function registerVerify(program: Command, ctx: CommandContext): void {
  program
    .command('verify')
    .description(
      'verify an evidence bundle (zip or folder) offline: checksums, completeness, signature, chain; exits 1 on any failure',
    )
    .argument('<bundle>', 'the bundle zip or its unpacked folder')
    .option('--public-key <file>', 'the trusted public key the signature must verify with')
    .option('--previous <bundle>', 'the bundle this one must chain to')
    .option(
      '--chain <file>',
      'chain/chain.json with manifests of removed bundles (default: beside the bundles)',
    )
    .option('--reproduce', 're-evaluate the bundled snapshot with the bundled policy and control maps')
    .option('--json', 'print the report as JSON')
    .action(
      async (
        bundle: string,
        opts: { publicKey?: string; previous?: string; chain?: string; reproduce?: boolean; json?: boolean },
      ) => {
        const publicKey = opts.publicKey ? await loadPublicKey(opts.publicKey) : undefined;
        const report = await verifyBundle(bundle, {
          publicKey,
          previous: opts.previous,
          chainFile: opts.chain,
          reproduce: opts.reproduce,
        });
        ctx.stdout(opts.json ? `${JSON.stringify(report, null, 2)}\n` : formatVerifyReport(report));
        ctx.exitCode = report.ok ? 0 : 1;
      },
    );
}
