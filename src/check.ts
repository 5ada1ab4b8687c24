import { createHash } from 'node:crypto';
import { resolve } from 'node:path';
import type { LoadedConfig } from './config/load.js';
import { Config } from './config/schema.js';
import {
  type AssessedCheck,
  applyWaivers,
  assessEvidence,
  assessRequirements,
  type EvidenceState,
  type FrameworkResult,
  type WaiverState,
} from './controls/assess.js';
import { loadAttestations, loadControls, loadWaivers } from './controls/load.js';
import { evaluateSnapshot, type LoadedPolicy, loadCompiledPolicy } from './evaluate/index.js';
import type { Snapshot, Source } from './snapshot/schema.js';
import { VERSION } from './version.js';

export const RESULTS_SCHEMA_VERSION = 1;

/** results.json: everything the reports and the bundle are made from. No wall-clock time in it. */
export interface Results {
  schemaVersion: typeof RESULTS_SCHEMA_VERSION;
  tool: { name: 'plantproof'; version: string };
  /** the date the checks were judged against: the snapshot's collection time unless overridden */
  evaluatedAt: string;
  scope: { name: string; description: string | null };
  snapshot: { collectedAt: string; digest: string | null; entities: number };
  config: { digest: string | null };
  policy: { wasmDigest: string; checksDigest: string };
  controls: { framework: string; file: string; digest: string }[];
  sources: Source[];
  frameworks: FrameworkResult[];
  checks: AssessedCheck[];
  evidence: EvidenceState[];
  waivers: WaiverState[];
}

export interface CheckOptions {
  snapshot: Snapshot;
  /** sha256 of the snapshot file as read, when there is one */
  snapshotDigest?: string;
  config?: LoadedConfig;
  frameworks?: string[];
  controlsDir?: string;
  policy?: LoadedPolicy;
  now?: Date;
}

export function defaultConfig(scopeName: string): Config {
  return Config.parse({ version: 1, scope: { name: scopeName } });
}

/** evaluate → assess: the snapshot against every check, then every requirement of every framework. */
export async function checkSnapshot(opts: CheckOptions): Promise<Results> {
  const config = opts.config?.config ?? defaultConfig(opts.snapshot.scope.name);
  const baseDir = opts.config?.dir ?? process.cwd();
  const policy = opts.policy ?? (await loadCompiledPolicy());
  const checkIds = Object.keys(policy.checks);
  const frameworks = opts.frameworks?.length ? opts.frameworks : config.frameworks;
  const controls = await loadControls({ dir: opts.controlsDir, checkIds, frameworks });
  const evaluated = await evaluateSnapshot(opts.snapshot, config, { policy, now: opts.now });
  const waivers = await loadWaivers(
    config.evidence.waivers ? resolve(baseDir, config.evidence.waivers) : undefined,
    checkIds,
  );
  const attestations = opts.config
    ? await loadAttestations(
        resolve(baseDir, config.evidence.manualDir),
        controls.evidence.map((e) => e.id),
      )
    : [];
  const { checks, waivers: waiverStates } = applyWaivers(evaluated.checks, waivers, evaluated.now, config);
  const evidence = assessEvidence(controls, attestations, evaluated.now, config);
  const frameworkResults = assessRequirements(controls, checks, evidence);
  const entities = Object.values(opts.snapshot.entities).reduce((n, list) => n + list.length, 0);
  return {
    schemaVersion: RESULTS_SCHEMA_VERSION,
    tool: { name: 'plantproof', version: VERSION },
    evaluatedAt: evaluated.now.toISOString(),
    scope: opts.snapshot.scope,
    snapshot: { collectedAt: opts.snapshot.collectedAt, digest: opts.snapshotDigest ?? null, entities },
    config: { digest: opts.config?.digest ?? null },
    policy: { wasmDigest: policy.wasmDigest, checksDigest: policy.checksDigest },
    controls: frameworkResults.map((f) => ({ framework: f.id, file: f.file, digest: f.digest })),
    sources: opts.snapshot.sources,
    frameworks: frameworkResults,
    checks,
    evidence,
    waivers: waiverStates,
  };
}

/** Exit code per DESIGN: 3 when a collector failed, 1 when gaps were found, else 0 (2 is for bad input). */
export function exitCodeFor(results: Results): 0 | 1 | 3 {
  if (results.sources.some((s) => s.status !== 'ok')) return 3;
  const gaps = results.frameworks.some((f) => f.summary.not_satisfied + f.summary.error > 0);
  return gaps ? 1 : 0;
}

export function sha256Hex(data: string | Uint8Array): string {
  return createHash('sha256').update(data).digest('hex');
}
