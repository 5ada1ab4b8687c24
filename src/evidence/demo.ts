import { access } from 'node:fs/promises';
import { join } from 'node:path';
import type { DemoRun } from '../demo/index.js';
import { serializeSnapshot } from '../snapshot/io.js';
import { generateSigningKeyFiles, loadSigningKey, PRIVATE_KEY_FILE, PUBLIC_KEY_FILE } from './signing.js';
import { type WrittenBundle, writeBundle } from './writer.js';

/**
 * The demo's evidence bundle, in `<out>/bundles/`. Signed with $PLANTPROOF_SIGNING_KEY when it is
 * set, else with a demo key pair kept in `<out>/keys/` (made on first use), so the demo shows a
 * signed bundle and the command that verifies it.
 */
export async function writeDemoBundle(
  run: DemoRun,
  opts: { reports?: Record<string, string | Uint8Array> } = {},
): Promise<{ written: WrittenBundle; publicKeyFile: string | null }> {
  let signingKey = await loadSigningKey({});
  let publicKeyFile: string | null = null;
  if (!signingKey) {
    const keysDir = join(run.outDir, 'keys');
    const exists = await access(join(keysDir, PRIVATE_KEY_FILE)).then(
      () => true,
      () => false,
    );
    if (!exists) await generateSigningKeyFiles(keysDir);
    signingKey = await loadSigningKey({ file: join(keysDir, PRIVATE_KEY_FILE), env: {} });
    publicKeyFile = join(keysDir, PUBLIC_KEY_FILE);
  }
  const written = await writeBundle({
    snapshot: run.snapshot,
    snapshotBytes: Buffer.from(serializeSnapshot(run.snapshot), 'utf8'),
    results: run.results,
    config: run.config,
    outDir: join(run.outDir, 'bundles'),
    signingKey,
    reports: opts.reports,
  });
  return { written, publicKeyFile };
}
