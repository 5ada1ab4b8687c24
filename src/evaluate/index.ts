import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { loadPolicy } from '@open-policy-agent/opa-wasm';
import { z } from 'zod';
import type { Config } from '../config/schema.js';
import { InternalError } from '../errors.js';
import { EntityKind, type Snapshot, type Source } from '../snapshot/schema.js';

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

const ResourceResult = z.strictObject({
  resource: z.string(),
  status: z.enum(['pass', 'fail']),
  message: z.string(),
});
const WasmOutput = z.array(
  z.object({ result: z.strictObject({ checks: z.record(z.string(), z.array(ResourceResult)) }) }),
);

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

export interface LoadedPolicy {
  wasmFile: string;
  wasmDigest: string;
  checksFile: string;
  checksDigest: string;
  checks: Record<string, CheckMeta>;
  evaluate(snapshot: Snapshot, input: PolicyInput): Record<string, z.infer<typeof ResourceResult>[]>;
}

export interface PolicyInput {
  now: { date: string; timestamp: string };
  params: Config['policy'];
  allowedRegions: string[];
  rbac: Config['rbac'] | null;
}

interface WasmHeap {
  opa_malloc(size: number): number;
  opa_free(addr: number): void;
}

/**
 * OPA's wasm allocator grows memory one 64 KiB page at a time, and every growth makes V8 run a
 * full garbage collection: at 100k entities that was most of the run. One large allocation up
 * front grows memory once; once freed, the allocator keeps the new limit for data and evaluation.
 * Pages never touched cost no resident memory. 20x the data covers parsing plus evaluation.
 */
function reserveWasmHeap(policy: unknown, dataBytes: number): void {
  const exports = (policy as { wasmInstance?: { exports?: Partial<WasmHeap> } }).wasmInstance?.exports;
  if (typeof exports?.opa_malloc !== 'function' || typeof exports.opa_free !== 'function') return;
  const size = Math.min(dataBytes * 20, 2 ** 31 - 2 ** 26);
  exports.opa_free(exports.opa_malloc(size));
}

const sha256 = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');

/** Load the compiled policy and its metadata; a missing or corrupt file is named in the error. */
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
  const [wasm, checksBytes] = await Promise.all([read(wasmFile), read(checksFile)]);
  let policy: Awaited<ReturnType<typeof loadPolicy>>;
  try {
    policy = await loadPolicy(
      wasm.buffer.slice(wasm.byteOffset, wasm.byteOffset + wasm.byteLength) as ArrayBuffer,
    );
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
  return {
    wasmFile,
    wasmDigest: sha256(wasm),
    checksFile,
    checksDigest: sha256(checksBytes),
    checks,
    evaluate(snapshot, input) {
      // The snapshot goes in once, as bytes; raw payloads stay out of the policy's memory.
      const data = new TextEncoder().encode(
        JSON.stringify({ entities: snapshot.entities, sources: snapshot.sources }),
      );
      reserveWasmHeap(policy, data.byteLength);
      policy.setData(data.buffer as ArrayBuffer);
      const out = WasmOutput.safeParse(policy.evaluate(input));
      if (!out.success || out.data.length !== 1) {
        throw new InternalError(`${wasmFile}: the policy returned an unexpected result shape`);
      }
      const results = out.data[0]!.result.checks;
      const missing = Object.keys(checks).filter((id) => !(id in results));
      const unknown = Object.keys(results).filter((id) => !(id in checks));
      if (missing.length || unknown.length) {
        throw new InternalError(
          `${wasmFile} and ${checksFile} disagree (missing: ${missing.join(', ') || '-'}; unknown: ${unknown.join(', ') || '-'}); run npm run policies:build`,
        );
      }
      return results;
    },
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

/** Overall status per check, per DESIGN: a failed or partial source it needs makes it `error`. */
export function summarizeChecks(
  catalog: Record<string, CheckMeta>,
  results: Record<string, z.infer<typeof ResourceResult>[]>,
  sources: Source[],
): CheckResult[] {
  return Object.values(catalog)
    .sort((a, b) => a.id.localeCompare(b.id))
    .map((meta) => {
      const findings: Finding[] = (results[meta.id] ?? [])
        .map((r) => ({ check: meta.id, ...r }))
        .sort((a, b) => a.resource.localeCompare(b.resource) || a.status.localeCompare(b.status));
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
  opts: { policy?: LoadedPolicy; now?: Date } = {},
): Promise<{ policy: LoadedPolicy; now: Date; checks: CheckResult[] }> {
  const policy = opts.policy ?? (await loadCompiledPolicy());
  const now = opts.now ?? new Date(snapshot.collectedAt);
  const results = policy.evaluate(snapshot, policyInput(config, now));
  return { policy, now, checks: summarizeChecks(policy.checks, results, snapshot.sources) };
}
