import type { Command } from 'commander';
import { generateSigningKeyFiles, SIGNING_KEY_ENV } from '../../evidence/index.js';
import type { CommandContext } from '../main.js';

export function registerKeygen(program: Command, ctx: CommandContext): void {
  program
    .command('keygen')
    .description('make an Ed25519 key pair for signing evidence bundles')
    .requiredOption('-o, --out <dir>', 'folder for the private and the public key (never overwritten)')
    .action(async (opts: { out: string }) => {
      const keys = await generateSigningKeyFiles(opts.out);
      ctx.stdout(
        [
          `private key: ${keys.privateKeyFile}  (keep it secret: a CI secret or a vault, never the repository)`,
          `public key:  ${keys.publicKeyFile}  (give it to auditors: plantproof verify --public-key)`,
          `key id:      sha256:${keys.keyId}`,
          '',
          `Sign with --key ${keys.privateKeyFile}, or put the file's content in the environment variable ${SIGNING_KEY_ENV}`,
          `(e.g. a GitHub Actions secret: ${SIGNING_KEY_ENV}: \${{ secrets.${SIGNING_KEY_ENV} }}).`,
          '',
        ].join('\n'),
      );
    });
}
