import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { availableParallelism } from 'node:os';
import { fileURLToPath } from 'node:url';
import { setFlagsFromString } from 'node:v8';
import { z } from 'zod';
import type { Config } from '../config/schema.js';
import { InternalError, UsageError } from '../errors.js';
import { EntityKind, type Snapshot, type Source } from '../snapshot/schema.js';
import { byCodePoint } from '../util/compare.js';
import { planGroups } from './plan.js';
import {
  compileWasm,
  moduleEntrypoints,
  runChecksHere,
  startCheckThread,
  type WasmModule,
} from './run-checks.js';

export const DEFAULT_POLICY_DIR = fileURLToPath(new URL('../../policies/dist/', import.meta.url));

export const CheckMeta = z.strictObject({
  id: z.string(),
  title: z.string(),
  description: z.string(),
  domain: z.string(),
  severity: z.enum(['critical', 'high', 'medium', 'low']),
  likelihood: z.number().int().min(1).max(5),
  impact: z.number().int().min(1).max(5),
  kinds: z.array(EntityKind).min(1),
  remediation: z.string(),
  file: z.string(),
});
export type CheckMeta = z.infer<typeof CheckMeta>;
const CheckCatalog = z.record(z.string(), CheckMeta);

export interface ResourceResult {
  resource: string;
  status: 'pass' | 'fail';
  message: string;
}

export type CheckStatus = 'pass' | 'fail' | 'not_applicable' | 'error';

export interface Finding {
  check: string;
  resource: string;
  status: 'pass' | 'fail';
  message: string;
}

export interface CheckResult extends CheckMeta {
  status: CheckStatus;
  reason: string;
  /** sources whose failure makes this check `error` */
  blockedBy: string[];
  findings: Finding[];
}

export interface EvaluateOptions {
  /**
   * Threads to spread the checks over; default: PLANTPROOF_EVAL_THREADS, else the machine's cores (at most 4).
   * Snapshots under PARALLEL_MIN_ENTITIES entities are always evaluated on the calling thread.
   */
  threads?: number;
}

export interface LoadedPolicy {
  wasmFile: string;
  wasmDigest: string;
  checksFile: string;
  checksDigest: string;
  checks: Record<string, CheckMeta>;
  /**
   * `per-check`: one entrypoint per check, evaluated check by check (on several threads for large snapshots);
   * `aggregate`: a module from before per-check entrypoints existed, evaluated through plantproof/main.
   */
  mode: 'per-check' | 'aggregate';
  evaluate(
    snapshot: Snapshot,
    input: PolicyInput,
    opts?: EvaluateOptions,
  ): Promise<Record<string, ResourceResult[]>>;
}

export interface PolicyInput {
  now: { date: string; timestamp: string };
  params: Config['policy'];
  allowedRegions: string[];
  rbac: Config['rbac'] | null;
}

/** Below this many entities, starting threads costs more than it saves. */
export const PARALLEL_MIN_ENTITIES = 10_000;
const MAX_THREADS = 4;
const AGGREGATE_ENTRYPOINT = 'plantproof/main';

/** The entrypoint `npm run policies:build` gives each check: its `results` rule. */
export function checkEntrypoint(id: string): string {
  return `plantproof/checks/${id.replace('.', '/')}/results`;
}

function defaultThreads(): number {
  const env = process.env.PLANTPROOF_EVAL_THREADS;
  if (env !== undefined && env !== '') {
    const n = Number(env);
    if (!Number.isInteger(n) || n < 1) {
      throw new UsageError(
        `PLANTPROOF_EVAL_THREADS must be a whole number of at least 1, not ${JSON.stringify(env)}`,
      );
    }
    return n;
  }
  return Math.max(1, Math.min(availableParallelism(), MAX_THREADS));
}

/**
 * Two process-wide V8 settings for evaluating large snapshots, each measured at 100k entities:
 * - V8 normally runs wasm in its baseline compiler and optimizes only functions it sees called often;
 *   a policy's functions run once per entity inside a few long calls, so most were never optimized and
 *   evaluation took twice as long. Optimizing the whole module up front fixes that.
 * - Evaluation makes a few hundred thousand findings that all live on; a young generation of 64 MiB
 *   instead of 16 copies them fewer times (15% faster, no higher peak), unless the user chose a size.
 */
let v8Tuned = false;
function tuneV8ForEvaluation(): void {
  if (v8Tuned) return;
  v8Tuned = true;
  setFlagsFromString('--no-wasm-dynamic-tiering');
  const chosen = [...process.execArgv, process.env.NODE_OPTIONS ?? ''].some((a) => a.includes('semi-space'));
  if (!chosen) setFlagsFromString('--max-semi-space-size=64');
}

const sha256 = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');

/** The part of the snapshot the policy reads, as JSON bytes; raw payloads stay out of the policy's memory. */
function policyData(snapshot: Snapshot, kinds: readonly string[] | null): Uint8Array {
  const all = snapshot.entities as Record<string, unknown[]>;
  const entities = kinds === null ? all : Object.fromEntries(kinds.map((k) => [k, all[k] ?? []]));
  return new TextEncoder().encode(JSON.stringify({ entities, sources: snapshot.sources }));
}

/**
 * One check's results, checked for shape in a single pass (the output of 100k entities is too large for a
 * schema library to walk quickly): an array of {resource, status, message}. That each resource appears
 * once is checked where findings are put in order (summarizeChecks), at no extra cost.
 */
function checkedResults(value: unknown, id: string, wasmFile: string): ResourceResult[] {
  if (!Array.isArray(value)) throw brokenPolicy(wasmFile, id, 'no list of results');
  for (const r of value as Partial<ResourceResult>[]) {
    if (
      typeof r !== 'object' ||
      r === null ||
      typeof r.resource !== 'string' ||
      (r.status !== 'pass' && r.status !== 'fail') ||
      typeof r.message !== 'string'
    ) {
      throw brokenPolicy(wasmFile, id, `a malformed result ${JSON.stringify(r).slice(0, 200)}`);
    }
  }
  return value as ResourceResult[];
}

function brokenPolicy(where: string, id: string, what: string): InternalError {
  return new InternalError(
    `${where}: check ${id} returned ${what}; the compiled policy is broken (npm run policies:build)`,
  );
}

/** Load the compiled policy and its metadata; a missing, corrupt or stale file is named in the error. */
export async function loadCompiledPolicy(dir = DEFAULT_POLICY_DIR): Promise<LoadedPolicy> {
  const wasmFile = `${dir.replace(/\/?$/, '/')}plantproof.wasm`;
  const checksFile = `${dir.replace(/\/?$/, '/')}checks.json`;
  const read = async (file: string) => {
    try {
      return await readFile(file);
    } catch (err) {
      throw new InternalError(
        `${file}: cannot read the compiled policy (${(err as NodeJS.ErrnoException).code ?? String(err)}); run npm run policies:build`,
      );
    }
  };
  // Both are read at once, but a failure is reported in this order, so the same broken folder always gives
  // the same message (with Promise.all, whichever read failed first would be named).
  const [wasmRead, checksRead] = await Promise.allSettled([read(wasmFile), read(checksFile)]);
  if (wasmRead.status === 'rejected') throw wasmRead.reason;
  if (checksRead.status === 'rejected') throw checksRead.reason;
  const wasm = wasmRead.value;
  const checksBytes = checksRead.value;
  let module: WasmModule;
  let entrypoints: Record<string, number>;
  try {
    tuneV8ForEvaluation();
    module = await compileWasm(wasm);
    entrypoints = await moduleEntrypoints(module);
  } catch (err) {
    throw new InternalError(`${wasmFile}: not a valid policy wasm module (${(err as Error).message})`);
  }
  let checks: Record<string, CheckMeta>;
  try {
    checks = CheckCatalog.parse(JSON.parse(checksBytes.toString('utf8')));
  } catch (err) {
    throw new InternalError(
      `${checksFile}: invalid check metadata (${(err as Error).message.split('\n')[0]})`,
    );
  }
  const ids = Object.keys(checks).sort();
  const stale = (missing: string[], unknown: string[]) =>
    new InternalError(
      `${wasmFile} and ${checksFile} disagree (missing: ${missing.join(', ') || '-'}; unknown: ${unknown.join(', ') || '-'}); run npm run policies:build`,
    );
  const withEntrypoint = ids.filter((id) => checkEntrypoint(id) in entrypoints);
  let mode: LoadedPolicy['mode'];
  if (withEntrypoint.length === ids.length && ids.length > 0) {
    mode = 'per-check';
    const known = new Set(ids.map(checkEntrypoint));
    const unknown = Object.keys(entrypoints)
      .filter((e) => e.startsWith('plantproof/checks/'))
      .filter((e) => !known.has(e));
    if (unknown.length > 0) throw stale([], unknown);
  } else if (withEntrypoint.length === 0 && AGGREGATE_ENTRYPOINT in entrypoints) {
    mode = 'aggregate';
  } else {
    throw stale(
      ids.filter((id) => !withEntrypoint.includes(id)),
      [],
    );
  }

  const evaluateAggregate = async (snapshot: Snapshot, input: PolicyInput) => {
    const out = await runChecksHere({
      module,
      data: policyData(snapshot, null),
      input,
      entrypoints: [{ key: 'all', entrypoint: AGGREGATE_ENTRYPOINT }],
    });
    const all = (out.all as { checks?: unknown } | undefined)?.checks;
    if (typeof all !== 'object' || all === null) {
      throw new InternalError(`${wasmFile}: the policy returned an unexpected result shape`);
    }
    const results = all as Record<string, unknown>;
    const missing = ids.filter((id) => !(id in results));
    const unknown = Object.keys(results).filter((id) => !(id in checks));
    if (missing.length || unknown.length) throw stale(missing, unknown);
    return Object.fromEntries(ids.map((id) => [id, checkedResults(results[id], id, wasmFile)]));
  };

  const evaluatePerCheck = async (snapshot: Snapshot, input: PolicyInput, opts: EvaluateOptions) => {
    const counts = Object.fromEntries(Object.entries(snapshot.entities).map(([k, list]) => [k, list.length]));
    const total = Object.values(counts).reduce((a, b) => a + b, 0);
    const threadCount = total < PARALLEL_MIN_ENTITIES ? 1 : (opts.threads ?? defaultThreads());
    const groups = planGroups(
      ids.map((id) => ({ id, kinds: checks[id]!.kinds })),
      counts,
      threadCount,
    );
    const job = (g: (typeof groups)[number]) => ({
      data: policyData(snapshot, g.kinds),
      input,
      entrypoints: g.checks.map((id) => ({ key: id, entrypoint: checkEntrypoint(id) })),
    });
    // The heaviest groups go to threads, started before their data is ready so they load the policy
    // meanwhile; this thread runs the lightest group itself.
    const [own, ...others] = [...groups].reverse();
    others.reverse();
    const threads = others.map(() => startCheckThread(module));
    let outs: Record<string, unknown>[];
    try {
      const threaded = others.map((g, i) => threads[i]!.run(job(g)));
      const mine = await runChecksHere({ module, ...job(own!) }).catch((err: unknown) => {
        void Promise.allSettled(threaded);
        throw err;
      });
      outs = [...(await Promise.all(threaded)), mine];
    } catch (err) {
      for (const t of threads) t.stop();
      throw new InternalError(`${wasmFile}: evaluation failed (${(err as Error).message.split('\n')[0]})`);
    }
    const merged = Object.assign({}, ...outs) as Record<string, unknown>;
    return Object.fromEntries(ids.map((id) => [id, checkedResults(merged[id], id, wasmFile)]));
  };

  return {
    wasmFile,
    wasmDigest: sha256(wasm),
    checksFile,
    checksDigest: sha256(checksBytes),
    checks,
    mode,
    evaluate: (snapshot, input, opts = {}) =>
      mode === 'per-check' ? evaluatePerCheck(snapshot, input, opts) : evaluateAggregate(snapshot, input),
  };
}

export function policyInput(config: Pick<Config, 'policy' | 'data' | 'rbac'>, now: Date): PolicyInput {
  const timestamp = now.toISOString();
  return {
    now: { date: timestamp.slice(0, 10), timestamp },
    params: config.policy,
    allowedRegions: config.data.allowedRegions,
    rbac: config.rbac ?? null,
  };
}

function describeSource(s: Source): string {
  if (s.status === 'error') return `${s.id} failed: ${s.error ?? 'unknown error'}`;
  return `${s.id} is partial: ${s.gaps.join('; ') || s.error || 'incomplete'}`;
}

/**
 * Where each entity stands in the snapshot (kinds in schema order, then as listed): findings are reported in
 * this order, which new snapshots keep sorted by id. Linear, where sorting 300k findings by text is not.
 */
export function entityOrder(snapshot: Snapshot): Map<string, number> {
  const order = new Map<string, number>();
  for (const list of Object.values(snapshot.entities) as { id: string }[][]) {
    for (const e of list) if (!order.has(e.id)) order.set(e.id, order.size);
  }
  return order;
}

/**
 * Overall status per check, per DESIGN: a failed or partial source it needs makes it `error`. Findings come
 * in snapshot order when `order` is given; resources missing from it, or all of them without it, follow
 * sorted by id.
 */
export function summarizeChecks(
  catalog: Record<string, CheckMeta>,
  results: Record<string, ResourceResult[]>,
  sources: Source[],
  order: Map<string, number> = new Map(),
): CheckResult[] {
  const rank = (f: Finding) => order.get(f.resource) ?? Number.MAX_SAFE_INTEGER;
  return Object.values(catalog)
    .sort((a, b) => byCodePoint(a.id, b.id))
    .map((meta) => {
      const findings: Finding[] = (results[meta.id] ?? []).map((r) => ({
        check: meta.id,
        resource: r.resource,
        status: r.status,
        message: r.message,
      }));
      // Checks list entities in snapshot order already; sort only what is not.
      let previous = -1;
      let ordered = true;
      for (const f of findings) {
        const r = rank(f);
        if (r <= previous) {
          ordered = false;
          break;
        }
        previous = r;
      }
      if (!ordered) {
        findings.sort(
          (a, b) =>
            rank(a) - rank(b) || byCodePoint(a.resource, b.resource) || byCodePoint(a.status, b.status),
        );
        // In snapshot order a resource judged twice could not pass the check above; sorted, it is adjacent.
        for (let i = 1; i < findings.length; i++) {
          if (findings[i]!.resource === findings[i - 1]!.resource) {
            throw brokenPolicy(meta.file, meta.id, `two results for ${findings[i]!.resource}`);
          }
        }
      }
      const blocking = sources.filter(
        (s) => s.status !== 'ok' && s.kinds.some((k) => meta.kinds.includes(k)),
      );
      const failing = findings.filter((f) => f.status === 'fail').length;
      let status: CheckStatus;
      let reason: string;
      if (blocking.length > 0) {
        status = 'error';
        reason = `cannot be judged: ${blocking.map(describeSource).join('; ')}`;
        if (failing > 0) reason += ` (and ${failing} of the resources that did arrive fail)`;
      } else if (findings.length === 0) {
        status = 'not_applicable';
        const providing = sources.filter((s) => s.kinds.some((k) => meta.kinds.includes(k)));
        reason =
          providing.length === 0
            ? `no source collects ${meta.kinds.join(', ')}`
            : `no ${meta.kinds.join(' or ')} in scope of this check`;
      } else if (failing > 0) {
        status = 'fail';
        reason = `${failing} of ${findings.length} resources fail`;
      } else {
        status = 'pass';
        reason = `all ${findings.length} resources pass`;
      }
      return { ...meta, status, reason, blockedBy: blocking.map((s) => s.id), findings };
    });
}

export async function evaluateSnapshot(
  snapshot: Snapshot,
  config: Pick<Config, 'policy' | 'data' | 'rbac'>,
  opts: { policy?: LoadedPolicy; now?: Date } & EvaluateOptions = {},
): Promise<{ policy: LoadedPolicy; now: Date; checks: CheckResult[] }> {
  const policy = opts.policy ?? (await loadCompiledPolicy());
  const now = opts.now ?? new Date(snapshot.collectedAt);
  const results = await policy.evaluate(snapshot, policyInput(config, now), { threads: opts.threads });
  return {
    policy,
    now,
    checks: summarizeChecks(policy.checks, results, snapshot.sources, entityOrder(snapshot)),
  };
}
