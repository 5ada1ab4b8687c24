import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';
import { loadPolicy } from '@open-policy-agent/opa-wasm';

/** A compiled WebAssembly module, only passed along here (Node's typings leave WebAssembly to the DOM library). */
export type WasmModule = object;

/** What one evaluation thread is given: the compiled module, its share of the snapshot, and the checks to run. */
export interface CheckJob {
  module: WasmModule;
  /** JSON of `{ entities, sources }`, restricted to the entity kinds the job's checks read */
  data: Uint8Array;
  input: unknown;
  /** key under which each entrypoint's value is returned, and the entrypoint's name in the module */
  entrypoints: { key: string; entrypoint: string }[];
}

/** Each entrypoint's value, or undefined when the module returned no single result for it. */
export type CheckJobResult = Record<string, unknown>;

type LoadPolicy = (module: WasmModule) => Promise<{
  wasmInstance: { exports: object };
  setData(data: ArrayBuffer): void;
  evaluate(input: unknown, entrypoint: string): { result: unknown }[];
}>;

/**
 * Evaluate entrypoints one after another in one fresh policy instance.
 *
 * Self-contained on purpose: worker threads run this function's own source text, so it must not use
 * anything from outside its parameters.
 *
 * OPA's wasm allocator grows memory one 64 KiB page at a time and every growth makes V8 run a full
 * garbage collection; one large allocation up front grows memory once, and once freed the allocator
 * keeps the new limit. Untouched pages cost no resident memory. Each evaluation starts again from the
 * end of the data, so the heap only has to hold the data plus the largest single check.
 */
export async function runChecks(job: CheckJob, loadPolicy: LoadPolicy): Promise<CheckJobResult> {
  const policy = await loadPolicy(job.module);
  const heap = policy.wasmInstance.exports as {
    opa_malloc?: (size: number) => number;
    opa_free?: (addr: number) => void;
  };
  if (typeof heap.opa_malloc === 'function' && typeof heap.opa_free === 'function') {
    heap.opa_free(heap.opa_malloc(Math.min(job.data.byteLength * 16 + 2 ** 24, 2 ** 31 - 2 ** 26)));
  }
  const bytes =
    job.data.byteOffset === 0 && job.data.byteLength === job.data.buffer.byteLength
      ? job.data.buffer
      : job.data.slice().buffer;
  policy.setData(bytes as ArrayBuffer);
  const out: CheckJobResult = {};
  for (const { key, entrypoint } of job.entrypoints) {
    const set = policy.evaluate(job.input, entrypoint);
    out[key] = Array.isArray(set) && set.length === 1 ? set[0]?.result : undefined;
  }
  return out;
}

const wasmApi = (
  globalThis as unknown as { WebAssembly: { compile(bytes: Uint8Array): Promise<WasmModule> } }
).WebAssembly;

/** Compile a policy module once; this thread and every evaluation thread instantiate the same compiled code. */
export function compileWasm(bytes: Uint8Array): Promise<WasmModule> {
  return wasmApi.compile(bytes);
}

/** opa-wasm's loader, typed as `runChecks` uses it (its own typings name the DOM's WebAssembly types). */
const loadOnThisThread = loadPolicy as unknown as LoadPolicy;

/** The entrypoints a compiled module offers, by name. */
export async function moduleEntrypoints(module: WasmModule): Promise<Record<string, number>> {
  return ((await loadOnThisThread(module)) as unknown as { entrypoints: Record<string, number> }).entrypoints;
}

/** Run a job on this thread. */
export function runChecksHere(job: CheckJob): Promise<CheckJobResult> {
  return runChecks(job, loadOnThisThread);
}

/**
 * One check's results as they cross between threads: copying 100k small objects from a thread costs the
 * receiving thread a quarter of a second, while a list of ids, one byte per status and an index into the
 * check's few distinct messages cost a few milliseconds.
 */
export interface PackedResults {
  resources: string[];
  passed: Uint8Array;
  messageIndex: Uint32Array;
  messages: string[];
}

/** Pack each entrypoint's value when it is a well-formed list of results; anything else is left as it is. */
export function packResults(out: CheckJobResult): Record<string, PackedResults | { unpacked: unknown }> {
  const packed: Record<string, PackedResults | { unpacked: unknown }> = {};
  for (const [key, value] of Object.entries(out)) {
    const isResult = (r: Record<string, unknown>) =>
      typeof r === 'object' &&
      r !== null &&
      typeof r.resource === 'string' &&
      (r.status === 'pass' || r.status === 'fail') &&
      typeof r.message === 'string' &&
      Object.keys(r).length === 3;
    const list = Array.isArray(value) ? (value as Record<string, unknown>[]) : null;
    if (list === null || !list.every(isResult)) {
      packed[key] = { unpacked: value };
      continue;
    }
    const index = new Map<string, number>();
    const messageIndex = new Uint32Array(list.length);
    const passed = new Uint8Array(list.length);
    const resources = new Array<string>(list.length);
    for (let i = 0; i < list.length; i++) {
      const r = list[i] as { resource: string; status: string; message: string };
      resources[i] = r.resource;
      passed[i] = r.status === 'pass' ? 1 : 0;
      let m = index.get(r.message);
      if (m === undefined) {
        m = index.size;
        index.set(r.message, m);
      }
      messageIndex[i] = m;
    }
    packed[key] = { resources, passed, messageIndex, messages: [...index.keys()] };
  }
  return packed;
}

export function unpackResults(packed: Record<string, PackedResults | { unpacked: unknown }>): CheckJobResult {
  const out: CheckJobResult = {};
  for (const [key, value] of Object.entries(packed)) {
    if ('unpacked' in value) {
      out[key] = value.unpacked;
      continue;
    }
    const { resources, passed, messageIndex, messages } = value;
    const list = new Array(resources.length);
    for (let i = 0; i < resources.length; i++) {
      list[i] = {
        resource: resources[i],
        status: passed[i] ? 'pass' : 'fail',
        message: messages[messageIndex[i]!],
      };
    }
    out[key] = list;
  }
  return out;
}

/**
 * Source of a worker that loads the policy as soon as it starts, then waits for its job, runs it with
 * `runChecks` and posts back the packed result or the error.
 */
function workerSource(): string {
  return `'use strict';
const { parentPort, workerData } = require('node:worker_threads');
const runChecks = ${runChecks.toString()};
const packResults = ${packResults.toString()};
const ready = Promise.resolve().then(() => require(workerData.opaWasm).loadPolicy(workerData.module));
ready.catch(() => {});
parentPort.once('message', (job) => {
  ready
    .then((policy) => runChecks(Object.assign({ module: workerData.module }, job), () => Promise.resolve(policy)))
    .then(
      (results) => parentPort.postMessage({ results: packResults(results) }),
      (err) => parentPort.postMessage({ error: err && err.stack ? String(err.stack) : String(err) }),
    );
});
`;
}

/** The same opa-wasm this process uses, for the threads to load. */
const OPA_WASM = createRequire(import.meta.url).resolve('@open-policy-agent/opa-wasm');

/** A thread that has started loading the policy and runs one job when given it. */
export interface CheckThread {
  /** Hand over the job (its data is moved, not copied); resolves with the results or rejects with the error. */
  run(job: Omit<CheckJob, 'module'>): Promise<CheckJobResult>;
  /** Stop the thread without waiting for a result. */
  stop(): void;
}

/** Start a thread for `module` now, so it loads while this thread prepares the job. */
export function startCheckThread(module: WasmModule): CheckThread {
  const worker = new Worker(workerSource(), { eval: true, workerData: { module, opaWasm: OPA_WASM } });
  let settled = false;
  const outcome = new Promise<CheckJobResult>((resolve, reject) => {
    const settle = (fn: () => void) => {
      if (settled) return;
      settled = true;
      fn();
      void worker.terminate();
    };
    worker.once('message', (msg: { results?: ReturnType<typeof packResults>; error?: string }) =>
      settle(() =>
        msg.error === undefined ? resolve(unpackResults(msg.results ?? {})) : reject(new Error(msg.error)),
      ),
    );
    worker.once('error', (err) => settle(() => reject(err)));
    worker.once('exit', (code) =>
      settle(() => reject(new Error(`evaluation thread exited with code ${code} before it answered`))),
    );
  });
  return {
    run(job) {
      const whole = job.data.byteOffset === 0 && job.data.byteLength === job.data.buffer.byteLength;
      worker.postMessage(job, whole ? [job.data.buffer as ArrayBuffer] : []);
      return outcome;
    },
    stop() {
      settled = true;
      void worker.terminate();
    },
  };
}
