import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { fixtureResults } from '../../../test/fixtures/results.js';
import { listFiles, runCli, tempDir } from '../../../test/helpers.js';

const dir = tempDir('pp-report-');
const write = (path: string, variant: 'current' | 'previous' | 'older') => {
  mkdirSync(join(path, '..'), { recursive: true });
  writeFileSync(path, `${JSON.stringify(fixtureResults(variant), null, 2)}\n`);
  return path;
};
const bundle = join(dir, 'plantproof-evidence-2026-11-22T060000Z');
write(join(bundle, 'results.json'), 'current');
const history = join(dir, 'history');
write(join(history, 'plantproof-evidence-2026-09-23', 'results.json'), 'older');
write(join(history, 'plantproof-evidence-2026-10-23', 'results.json'), 'previous');

afterEach(() => {
  vi.unstubAllEnvs();
});

describe('plantproof report', () => {
  it('re-renders every format from a bundle into --out', async () => {
    vi.stubEnv('GITHUB_STEP_SUMMARY', '');
    const out = join(dir, 'all');
    const r = await runCli('report', bundle, '--out', out, '--history', history);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(listFiles(out)).toEqual([
      'findings.csv',
      'gap-report.html',
      'gap-report.md',
      'junit.xml',
      'oscal-assessment-results.json',
      'oscal-poam.json',
      'plantproof.sarif',
    ]);
    const md = readFileSync(join(out, 'gap-report.md'), 'utf8');
    expect(md).toContain('## Trend');
    expect(md).toContain('| 2026-09-23 |');
    expect(readFileSync(join(out, 'gap-report.html'), 'utf8')).toContain(
      'plantproof-evidence-2026-11-22T060000Z',
    );
    expect(r.stdout.trim().split('\n')).toHaveLength(7);
  });

  it('renders only the formats asked for, and appends the job summary in GitHub Actions', async () => {
    const summary = join(dir, 'step-summary.md');
    vi.stubEnv('GITHUB_STEP_SUMMARY', summary);
    const out = join(dir, 'some');
    const r = await runCli('report', join(bundle, 'results.json'), '--format', 'md,sarif', '-o', out);
    expect(r.code).toBe(0);
    expect(listFiles(out)).toEqual(['gap-report.md', 'plantproof.sarif']);
    expect(r.stdout).toContain(`job summary: ${summary}`);
    expect(readFileSync(summary, 'utf8')).toContain('## Executive summary');
  });

  it('rejects an unknown format and a missing bundle with exit code 2', async () => {
    const out = join(dir, 'none');
    const bad = await runCli('report', bundle, '--format', 'md,pdf', '--out', out);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/--format: unknown "pdf"; choose from md, html, csv, sarif, oscal, junit/);
    const missing = await runCli('report', join(dir, 'nope'), '--out', out);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/nope: cannot read: ENOENT/);
    expect(listFiles(out)).toEqual([]);
  });
});

describe('plantproof diff', () => {
  const older = join(history, 'plantproof-evidence-2026-10-23');

  it('prints what changed between two bundles', async () => {
    const r = await runCli('diff', older, bundle);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('Acme Precision Castings - Plant 2: 2026-10-23 -> 2026-11-22');
    expect(r.stdout).toContain('regressed soc2 CC6.7: satisfied -> not satisfied');
    expect(r.stdout).toContain('fixed     crypto.key_rotation aws:kms:key/1f2e3d4c: open -> pass');
  });

  it('prints JSON with --format json', async () => {
    const r = await runCli('diff', older, bundle, '--format', 'json');
    expect(r.code).toBe(0);
    const diff = JSON.parse(r.stdout);
    expect(diff.requirements.regressed.map((c: { id: string }) => c.id)).toEqual(['CC6.7', 'AC.L2-3.1.1']);
    expect(diff.findings.fixed).toHaveLength(1);
  });

  it('rejects another --format', async () => {
    const r = await runCli('diff', older, bundle, '--format', 'xml');
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('--format: "xml" is not text or json');
  });
});
