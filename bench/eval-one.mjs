// One measurement in a fresh process, so peak RSS belongs to this size alone.
// Prints one JSON line: load, policy load, evaluation (all checks), assess, peak RSS.
import { performance } from 'node:perf_hooks';

const file = process.argv[2];
const { readSnapshot } = await import('../dist/snapshot/io.js');
const { loadCompiledPolicy, evaluateSnapshot } = await import('../dist/evaluate/index.js');
const { checkSnapshot, defaultConfig } = await import('../dist/check.js');

const t0 = performance.now();
const { snapshot } = await readSnapshot(file);
const t1 = performance.now();
const policy = await loadCompiledPolicy();
const t2 = performance.now();
const { checks } = await evaluateSnapshot(snapshot, defaultConfig('bench'), { policy });
const t3 = performance.now();
const results = await checkSnapshot({ snapshot, policy });
const t4 = performance.now();
const findings = checks.reduce((n, c) => n + c.findings.length, 0);
console.log(
  JSON.stringify({
    loadMs: t1 - t0,
    policyMs: t2 - t1,
    evalMs: t3 - t2,
    checkMs: t4 - t3,
    checks: checks.length,
    findings,
    requirements: results.frameworks.reduce((n, f) => n + f.summary.total, 0),
    peakRssMiB: process.resourceUsage().maxRSS / 1024,
  }),
);
