import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { fixtureHistory, fixtureResults } from '../../test/fixtures/results.js';
import { REPORT_FORMATS, renderReports, reportFormatsFrom } from './index.js';
import { appendStepSummary } from './step-summary.js';

describe('renderReports', () => {
  const current = fixtureResults('current');

  it('renders every format to its file name under reports/', () => {
    const files = renderReports(current, { formats: REPORT_FORMATS, history: fixtureHistory() });
    expect(Object.keys(files)).toEqual([
      'gap-report.md',
      'gap-report.html',
      'findings.csv',
      'plantproof.sarif',
      'oscal-assessment-results.json',
      'oscal-poam.json',
      'junit.xml',
    ]);
    for (const content of Object.values(files)) expect(content.length).toBeGreaterThan(100);
  });

  it('renders only what is asked', () => {
    expect(Object.keys(renderReports(current, { formats: ['csv', 'junit'] }))).toEqual([
      'findings.csv',
      'junit.xml',
    ]);
    expect(renderReports(current, { formats: [] })).toEqual({});
  });

  it('is deterministic: same results, same bytes, whatever the clock says', () => {
    const a = renderReports(current, { formats: REPORT_FORMATS, history: fixtureHistory(), bundleName: 'b' });
    const b = renderReports(fixtureResults('current'), {
      formats: REPORT_FORMATS,
      history: fixtureHistory(),
      bundleName: 'b',
    });
    expect(b).toEqual(a);
  });
});

describe('reportFormatsFrom', () => {
  it('keeps report formats, drops json (results.json itself), flags the unknown', () => {
    expect(reportFormatsFrom(['md', 'json', 'HTML', 'md', ' sarif '])).toEqual({
      formats: ['md', 'html', 'sarif'],
      unknown: [],
    });
    expect(reportFormatsFrom(['pdf', 'csv']).unknown).toEqual(['pdf']);
  });
});

describe('appendStepSummary', () => {
  it('appends the executive summary to $GITHUB_STEP_SUMMARY, and does nothing without it', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'pp-summary-')), 'summary.md');
    const current = fixtureResults('current');
    expect(await appendStepSummary(current, { env: {} })).toBeNull();
    expect(await appendStepSummary(current, { env: { GITHUB_STEP_SUMMARY: file } })).toBe(file);
    await appendStepSummary(current, { env: { GITHUB_STEP_SUMMARY: file } });
    const text = readFileSync(file, 'utf8');
    expect(text.match(/^# Gap report: /gm)).toHaveLength(2);
    expect(text).toContain('| SOC 2 Trust Services Criteria | 3 / 12 |');
    expect(text).not.toContain('## Findings by requirement');
  });
});

describe('reportsForBundle', () => {
  it('renders the configured formats with earlier bundles in the folder as history', async () => {
    const { reportsForBundle } = await import('./write.js');
    const { writeFileSync, mkdirSync } = await import('node:fs');
    const bundles = mkdtempSync(join(tmpdir(), 'pp-bundles-'));
    mkdirSync(join(bundles, 'plantproof-evidence-older'));
    writeFileSync(
      join(bundles, 'plantproof-evidence-older', 'results.json'),
      JSON.stringify(fixtureResults('previous')),
    );
    writeFileSync(join(bundles, 'plantproof-evidence-broken.zip'), 'not a zip');
    const files = await reportsForBundle(fixtureResults('current'), {
      formats: ['md', 'json', 'html'],
      bundlesDir: bundles,
    });
    expect(Object.keys(files)).toEqual(['gap-report.md', 'gap-report.html']);
    expect(files['gap-report.md']).toContain('**Since the previous run (2026-10-23):**');
    const none = await reportsForBundle(fixtureResults('current'), {
      formats: ['md'],
      bundlesDir: join(bundles, 'nope'),
    });
    expect(none['gap-report.md']).not.toContain('## Trend');
  });
});
