import { execFileSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { generateSnapshot } from '../../bench/generate.mjs';
import { tempDir } from '../../test/helpers.js';
import { defaultConfig } from '../check.js';
import { Snapshot } from '../snapshot/schema.js';
import {
  checkEntrypoint,
  DEFAULT_POLICY_DIR,
  evaluateSnapshot,
  type LoadedPolicy,
  loadCompiledPolicy,
  PARALLEL_MIN_ENTITIES,
  policyInput,
} from './index.js';
import { planGroups } from './plan.js';
import { compileWasm, packResults, runChecksHere, startCheckThread, unpackResults } from './run-checks.js';

const OPA = join(process.cwd(), 'tools/bin/opa');

// A plant-shaped snapshot of every entity kind, about a fifth failing, large enough to be spread over threads.
const big = Snapshot.parse(generateSnapshot(PARALLEL_MIN_ENTITIES + 2_000));
const config = defaultConfig('parallel');

let policy: LoadedPolicy;
beforeAll(async () => {
  policy = await loadCompiledPolicy();
});

describe('evaluating checks one by one and on several threads', () => {
  it('gives exactly what one thread gives, finding for finding', async () => {
    const one = await evaluateSnapshot(big, config, { policy, threads: 1 });
    const two = await evaluateSnapshot(big, config, { policy, threads: 2 });
    const four = await evaluateSnapshot(big, config, { policy, threads: 4 });
    expect(policy.mode).toBe('per-check');
    expect(one.checks.reduce((n, c) => n + c.findings.length, 0)).toBeGreaterThan(20_000);
    expect(one.checks.some((c) => c.findings.some((f) => f.status === 'fail'))).toBe(true);
    expect(two.checks).toEqual(one.checks);
    expect(four.checks).toEqual(one.checks);
  });

  it('takes the thread count from PLANTPROOF_EVAL_THREADS and rejects a bad one by name', async () => {
    const saved = process.env.PLANTPROOF_EVAL_THREADS;
    try {
      process.env.PLANTPROOF_EVAL_THREADS = 'two';
      await expect(evaluateSnapshot(big, config, { policy })).rejects.toThrow(
        /PLANTPROOF_EVAL_THREADS must be a whole number of at least 1, not "two"/,
      );
      process.env.PLANTPROOF_EVAL_THREADS = '1';
      const one = await evaluateSnapshot(big, config, { policy });
      expect(one.checks.find((c) => c.id === 'identity.mfa_all_users')?.findings.length).toBeGreaterThan(0);
    } finally {
      if (saved === undefined) delete process.env.PLANTPROOF_EVAL_THREADS;
      else process.env.PLANTPROOF_EVAL_THREADS = saved;
    }
  });

  it('reports findings in snapshot order', async () => {
    const { checks } = await evaluateSnapshot(big, config, { policy, threads: 2 });
    const position = new Map(big.entities.storage.map((s, i) => [s.id, i]));
    const enc = checks.find((c) => c.id === 'storage.encrypted_at_rest')!;
    const order = enc.findings.map((f) => position.get(f.resource)!);
    expect(order).toEqual([...order].sort((a, b) => a - b));
    expect(order).toHaveLength(big.entities.storage.length);
  });

  // Threads get only the kinds their checks declare: a check reading anything else would judge differently.
  it('each check, given only the entity kinds its metadata lists, judges as it does with everything', async () => {
    const module = await compileWasm(readFileSync(join(DEFAULT_POLICY_DIR, 'plantproof.wasm')));
    const small = Snapshot.parse(generateSnapshot(3_000));
    const input = policyInput(config, new Date(small.collectedAt));
    const bytes = (entities: object) =>
      new TextEncoder().encode(JSON.stringify({ entities, sources: small.sources }));
    const all = Object.keys(policy.checks).map((id) => ({ key: id, entrypoint: checkEntrypoint(id) }));
    const everything = await runChecksHere({ module, data: bytes(small.entities), input, entrypoints: all });
    for (const [id, meta] of Object.entries(policy.checks)) {
      const own = Object.fromEntries(meta.kinds.map((k) => [k, small.entities[k]]));
      const alone = await runChecksHere({
        module,
        data: bytes(own),
        input,
        entrypoints: [{ key: id, entrypoint: checkEntrypoint(id) }],
      });
      expect({ id, results: alone[id] }).toEqual({ id, results: everything[id] });
    }
  });

  // Bundles written before checks had their own entrypoints carry a module with only plantproof/main;
  // `verify --reproduce` must still evaluate them, with the same results.
  it.skipIf(!existsSync(OPA))('still evaluates a module with only the aggregate entrypoint', async () => {
    const dir = tempDir();
    const work = join(dir, 'work');
    mkdirSync(work);
    execFileSync(OPA, [
      'build',
      '-t',
      'wasm',
      '-e',
      'plantproof/main',
      '--ignore',
      '*_test.rego',
      '--ignore',
      'dist',
      'policies',
      '-o',
      join(work, 'bundle.tar.gz'),
    ]);
    execFileSync('tar', ['-xzf', join(work, 'bundle.tar.gz'), '-C', work, '/policy.wasm']);
    copyFileSync(join(work, 'policy.wasm'), join(dir, 'plantproof.wasm'));
    copyFileSync(join(DEFAULT_POLICY_DIR, 'checks.json'), join(dir, 'checks.json'));
    const aggregate = await loadCompiledPolicy(dir);
    expect(aggregate.mode).toBe('aggregate');
    const small = Snapshot.parse(generateSnapshot(3_000));
    const old = await evaluateSnapshot(small, config, { policy: aggregate });
    const now = await evaluateSnapshot(small, config, { policy });
    expect(old.checks).toEqual(now.checks);
  });

  it("passes a thread's failure back instead of hanging", async () => {
    // A valid but empty module: the thread cannot load it as a policy.
    const module = await compileWasm(new Uint8Array([0, 97, 115, 109, 1, 0, 0, 0]));
    await expect(
      startCheckThread(module).run({ data: new TextEncoder().encode('{}'), input: {}, entrypoints: [] }),
    ).rejects.toThrow(/\w/);
  });
});

describe('results crossing between threads', () => {
  it('come back exactly as they went, and anything malformed is passed through for the checks to reject', () => {
    const results = {
      'a.ok': [
        { resource: 'r1', status: 'pass', message: 'fine' },
        { resource: 'r2', status: 'fail', message: 'broken' },
        { resource: 'r3', status: 'pass', message: 'fine' },
      ],
      'a.empty': [],
      'a.extra': [{ resource: 'r1', status: 'pass', message: 'fine', extra: 1 }],
      'a.status': [{ resource: 'r1', status: 'maybe', message: 'fine' }],
      'a.set': { r1: true },
      'a.missing': undefined,
    };
    const packed = packResults(results);
    expect(packed['a.ok']).toMatchObject({ resources: ['r1', 'r2', 'r3'], messages: ['fine', 'broken'] });
    expect(unpackResults(packed)).toEqual(results);
  });
});

describe('planGroups', () => {
  const checks = [
    { id: 'identity.mfa', kinds: ['user'] },
    { id: 'identity.roles', kinds: ['role_assignment', 'user'] },
    { id: 'storage.enc', kinds: ['storage'] },
    { id: 'data.regions', kinds: ['storage', 'data_flow'] },
    { id: 'tls.min', kinds: ['tls_endpoint'] },
  ];
  const counts = { user: 1000, role_assignment: 500, storage: 300, data_flow: 200, tls_endpoint: 900 };

  it('keeps checks that read the same kinds together and balances the rest', () => {
    const groups = planGroups(checks, counts, 2);
    expect(groups).toHaveLength(2);
    expect(groups.map((g) => g.checks)).toEqual([
      ['identity.mfa', 'identity.roles'],
      ['data.regions', 'storage.enc', 'tls.min'],
    ]);
    expect(groups[1]!.kinds).toEqual(['data_flow', 'storage', 'tls_endpoint']);
    expect(groups[0]!.kinds.filter((k) => groups[1]!.kinds.includes(k))).toEqual([]);
  });

  it('puts everything in one group for one thread, and never makes more groups than linked sets', () => {
    expect(planGroups(checks, counts, 1).map((g) => g.checks.length)).toEqual([5]);
    expect(planGroups(checks, counts, 8)).toHaveLength(3);
  });
});
