import type { RawRecord } from '../snapshot/schema.js';
import type { CollectContext } from './types.js';

export interface ContextState {
  apiCalls: number;
  gaps: string[];
  raw: Record<string, RawRecord>;
}

/** The context one collector run writes into; the runner (and tests) read `state` afterwards. */
export function createCollectContext(opts: {
  sourceId: string;
  configDir: string;
  signal?: AbortSignal;
  env?: NodeJS.ProcessEnv;
  now?: () => Date;
  onProgress?: (message: string) => void;
}): { ctx: CollectContext; state: ContextState } {
  const state: ContextState = { apiCalls: 0, gaps: [], raw: {} };
  const now = opts.now ?? (() => new Date());
  let seq = 0;
  const ctx: CollectContext = {
    sourceId: opts.sourceId,
    configDir: opts.configDir,
    signal: opts.signal ?? new AbortController().signal,
    env: opts.env ?? process.env,
    now,
    raw(api, payload) {
      seq += 1;
      const ref = `${opts.sourceId}#${seq}`;
      state.raw[ref] = { source: opts.sourceId, api, capturedAt: now().toISOString(), payload };
      return ref;
    },
    call(n = 1) {
      state.apiCalls += n;
    },
    gap(what) {
      if (!state.gaps.includes(what)) state.gaps.push(what);
    },
    progress(message) {
      opts.onProgress?.(message);
    },
  };
  return { ctx, state };
}
