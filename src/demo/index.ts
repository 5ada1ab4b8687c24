import { cp, mkdir, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { checkSnapshot, type Results, sha256Hex } from '../check.js';
import { getCollector } from '../collectors/registry.js';
import { collectSnapshot } from '../collectors/run.js';
import { type LoadedConfig, loadConfig } from '../config/load.js';
import { ConfigError } from '../errors.js';
import { serializeSnapshot, writeFileAtomic } from '../snapshot/io.js';
import type { Snapshot } from '../snapshot/schema.js';
import type { Progress } from '../util/progress.js';
import { demoShiftDays, shiftDatesInText } from './clock.js';
import { demoServices, type StartedDemoService } from './services.js';

export const EXAMPLE_DIR = fileURLToPath(new URL('../../examples/acme-plant/', import.meta.url));

export interface DemoRun {
  outDir: string;
  plantDir: string;
  snapshotFile: string;
  snapshot: Snapshot;
  results: Results;
  config: LoadedConfig;
}

/** Copy the example plant, moving the dates of its hand-written evidence to today (see clock.ts). */
async function stagePlant(target: string, now: Date): Promise<void> {
  await rm(target, { recursive: true, force: true });
  await cp(EXAMPLE_DIR, target, {
    recursive: true,
    filter: (src) => !src.includes(`${EXAMPLE_DIR}demo-data`),
  });
  const days = demoShiftDays(now);
  const shift = async (file: string) => writeFile(file, shiftDatesInText(await readFile(file, 'utf8'), days));
  await shift(join(target, 'waivers.yaml'));
  for (const name of await readdir(join(target, 'manual'))) {
    if (name.endsWith('.yaml')) await shift(join(target, 'manual', name));
  }
}

/** The whole pipeline on the bundled demo plant, with local stand-ins for the vendor APIs. */
export async function runDemo(opts: {
  outDir: string;
  progress?: Progress;
  now?: () => Date;
}): Promise<DemoRun> {
  const now = opts.now ?? (() => new Date());
  const outDir = resolve(opts.outDir);
  const plantDir = join(outDir, 'plant');
  await mkdir(outDir, { recursive: true });
  await stagePlant(plantDir, now());

  const started: StartedDemoService[] = [];
  const savedEnv = { ...process.env };
  try {
    for (const service of demoServices) {
      opts.progress?.info(`demo: starting local ${service.name} endpoint`);
      started.push(await service.start({ exampleDir: EXAMPLE_DIR }));
    }
    const config = await loadConfig(join(plantDir, 'plantproof.yaml'));
    for (const s of started) {
      Object.assign(process.env, s.env ?? {});
      for (const entry of s.collectors) {
        const { type: rawType, ...options } = entry;
        const type = String(rawType);
        const collector = getCollector(type);
        const parsed = collector?.options.safeParse(options);
        if (!collector || !parsed?.success) {
          throw new ConfigError(`demo service produced an invalid ${type} collector entry`, { file: 'demo' });
        }
        config.collectors.push({ type, options: parsed.data, location: { file: 'demo' } });
      }
    }
    const snapshot = await collectSnapshot(config, { progress: opts.progress, now });
    const snapshotText = serializeSnapshot(snapshot);
    const snapshotFile = join(outDir, 'snapshot.json');
    await writeFileAtomic(snapshotFile, snapshotText);
    const results = await checkSnapshot({ snapshot, snapshotDigest: sha256Hex(snapshotText), config });
    return { outDir, plantDir, snapshotFile, snapshot, results, config };
  } finally {
    for (const s of started.reverse()) await s.close().catch(() => undefined);
    for (const key of Object.keys(process.env)) if (!(key in savedEnv)) delete process.env[key];
    Object.assign(process.env, savedEnv);
  }
}
