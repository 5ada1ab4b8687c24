// Child process for writer tests: writes one bundle from a plant made by makePlant, as told by
// argv[2] (JSON). With `stopAt`, it reports reaching that stage and then waits to be killed.
import { readFile } from 'node:fs/promises';
import { loadConfig } from '../../config/load.js';
import { parseSnapshot } from '../../snapshot/io.js';
import { signingKeyFromPem } from '../signing.js';
import { writeBundle } from '../writer.js';
import { POLICY_DIR } from './plant.js';

const args = JSON.parse(process.argv[2]!) as {
  plantDir: string;
  outDir: string;
  keyPem?: string;
  stopAt?: string;
  format?: 'zip' | 'dir' | 'both';
};
const snapshotBytes = await readFile(`${args.plantDir}/snapshot.json`);
const snapshot = parseSnapshot(JSON.parse(snapshotBytes.toString('utf8')), 'snapshot.json');
const written = await writeBundle({
  snapshot,
  snapshotBytes,
  config: await loadConfig(`${args.plantDir}/plant/plantproof.yaml`),
  policyDir: POLICY_DIR,
  controlsDir: `${args.plantDir}/controls`,
  outDir: args.outDir,
  format: args.format ?? 'zip',
  signingKey: args.keyPem ? signingKeyFromPem(args.keyPem) : null,
  previous: 'none',
  onStage: async (stage) => {
    if (stage === args.stopAt) {
      process.stdout.write(`stage ${stage}\n`);
      await new Promise(() => {});
    }
  },
});
process.stdout.write(`${JSON.stringify({ zipFile: written.zipFile, dir: written.dir })}\n`);
