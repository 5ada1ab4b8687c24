import type { LoadedConfig } from '../config/load.js';
import { ConfigError, errorMessage } from '../errors.js';
import { buildSnapshot, type SourceResult } from '../snapshot/build.js';
import type { Snapshot } from '../snapshot/schema.js';
import { createProgress, type Progress } from '../util/progress.js';
import { createCollectContext } from './context.js';
import { getCollector } from './registry.js';

export interface CollectOptions {
  progress?: Progress;
  now?: () => Date;
  env?: NodeJS.ProcessEnv;
  signal?: AbortSignal;
}

/** Run one collector against one target; whatever happens, a source record comes back. */
export async function runCollector(
  type: string,
  options: unknown,
  configDir: string,
  opts: CollectOptions = {},
): Promise<SourceResult> {
  const collector = getCollector(type);
  if (!collector) throw new Error(`collector "${type}" is not registered`);
  const now = opts.now ?? (() => new Date());
  const target = collector.target(options);
  const sourceId = `${type}:${target}`;
  const progress = opts.progress;
  const { ctx, state } = createCollectContext({
    sourceId,
    configDir,
    signal: opts.signal,
    env: opts.env,
    now,
    onProgress: (m) => progress?.update(sourceId, m),
  });
  const startedAt = now().toISOString();
  progress?.start(sourceId, 'collecting');
  let entities: SourceResult['entities'] = [];
  let error: string | null = null;
  try {
    entities = (await collector.collect(options, ctx)).entities;
  } catch (err) {
    error = errorMessage(err);
  }
  const status = error ? 'error' : state.gaps.length > 0 ? 'partial' : 'ok';
  const result: SourceResult = {
    source: {
      id: sourceId,
      collector: type,
      target,
      status,
      error,
      gaps: state.gaps,
      startedAt,
      finishedAt: now().toISOString(),
      apiCalls: state.apiCalls,
      itemCount: entities.length,
      kinds: [...collector.kinds],
    },
    entities,
    raw: state.raw,
  };
  const detail =
    error ?? (state.gaps.length ? `partial: ${state.gaps.join('; ')}` : `${entities.length} items`);
  progress?.done(sourceId, `${status} (${detail}, ${state.apiCalls} calls)`);
  return result;
}

/** Every configured collector in parallel, then one validated, redacted snapshot. */
export async function collectSnapshot(loaded: LoadedConfig, opts: CollectOptions = {}): Promise<Snapshot> {
  const progress = opts.progress ?? createProgress({ quiet: true });
  const { privacy, scope } = loaded.config;
  let pseudonymizeKey: string | undefined;
  if (privacy.pseudonymize) {
    pseudonymizeKey = (opts.env ?? process.env)[privacy.keyEnv];
    if (!pseudonymizeKey) {
      throw new ConfigError(
        `privacy.pseudonymize is on but the environment variable ${privacy.keyEnv} is not set`,
        {
          file: loaded.file,
          field: 'privacy.keyEnv',
        },
      );
    }
  }
  const collectedAt = (opts.now ?? (() => new Date()))();
  const results = await Promise.all(
    loaded.collectors.map((plan) => runCollector(plan.type, plan.options, loaded.dir, { ...opts, progress })),
  );
  return buildSnapshot({ collectedAt, scope, results, pseudonymizeKey });
}
