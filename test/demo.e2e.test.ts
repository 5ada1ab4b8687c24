import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Results } from '../src/check.js';
import { runCli, tempDir } from './helpers.js';

describe('plantproof demo, then check on its snapshot', () => {
  const out = tempDir('pp-demo-');

  it('runs the whole pipeline on the demo plant and exits 0', async () => {
    const r = await runCli('demo', '--out', out, '--quiet');
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/gap report: .*gap-report\.md/);
    for (const f of ['snapshot.json', 'results.json', 'gap-report.md'])
      expect(existsSync(join(out, f))).toBe(true);
    const results = JSON.parse(readFileSync(join(out, 'results.json'), 'utf8')) as Results;
    expect(results.frameworks.map((f) => f.id)).toEqual(['soc2', 'iso27001-2022', 'iec62443-3-3', 'cmmc-l2']);
    expect(results.frameworks.map((f) => f.summary.total)).toEqual([61, 93, 100, 110]);
    for (const f of results.frameworks) {
      for (const req of f.requirements) expect(req.reason.length, `${f.id} ${req.id}`).toBeGreaterThan(0);
      // The demo plant is built to show every kind of outcome.
      expect(f.summary.satisfied + f.summary.not_satisfied + f.summary.not_assessed).toBeGreaterThan(0);
    }
    const all = results.frameworks.flatMap((f) => f.requirements.map((r) => r.status));
    for (const status of ['satisfied', 'not_satisfied', 'not_assessed', 'waived'])
      expect(all).toContain(status);
    const byId = Object.fromEntries(results.checks.map((c) => [c.id, c]));
    expect(byId['ot.dmz_bypass']?.findings).toContainEqual(
      expect.objectContaining({ resource: 'inventory:flow:erp-recipe-download', status: 'fail' }),
    );
    expect(byId['data.partner_agreement']?.findings).toContainEqual(
      expect.objectContaining({ resource: 'inventory:flow:quality-to-lab', status: 'fail' }),
    );
    expect(results.waivers.map((w) => [w.id, w.state])).toEqual([
      ['W-2026-004', 'active'],
      ['W-2026-001', 'expired'],
      ['W-2026-006', 'active'],
    ]);
    const evidence = Object.fromEntries(results.evidence.map((e) => [e.id, e.status]));
    expect(evidence).toMatchObject({
      'access-review': 'fresh',
      'vulnerability-scan': 'fresh',
      'incident-response-tabletop': 'stale',
      'supplier-security-review': 'stale',
    });
  });

  it('check on the demo snapshot reports gaps with exit 1 and the per-framework summary', async () => {
    const checkOut = join(out, 'check');
    const r = await runCli(
      'check',
      '--snapshot',
      join(out, 'snapshot.json'),
      '--config',
      join(out, 'plant', 'plantproof.yaml'),
      '--framework',
      'iec62443-3-3',
      '--out',
      checkOut,
    );
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(
      /^framework\s+satisfied\s+not satisfied\s+error\s+not assessed\s+waived\s+total/m,
    );
    expect(r.stdout).toMatch(/^iec62443-3-3\s+\d+\s+\d+\s+\d+\s+\d+\s+\d+\s+100$/m);
    const report = readFileSync(join(checkOut, 'gap-report.md'), 'utf8');
    expect(report).toContain('ot.dmz_bypass');
  });
});
