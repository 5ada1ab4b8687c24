import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { type Browser, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { renderGapReportHtml } from '../src/report/html/index.js';
import { buildGapModel } from '../src/report/model.js';
import { fixtureHistory, fixtureResults } from './fixtures/results.js';
import { tempDir } from './helpers.js';

/** Debian's chromium; set PLANTPROOF_CHROMIUM to use another build. */
const executablePath = process.env.PLANTPROOF_CHROMIUM ?? '/usr/bin/chromium';
const ARTIFACTS = resolve(import.meta.dirname, '..', 'test-artifacts');

const results = fixtureResults('current');
const history = fixtureHistory();

describe.skipIf(!existsSync(executablePath))('gap-report.html in headless Chromium', () => {
  let browser: Browser;
  let page: Page;
  let url: string;
  const consoleErrors: string[] = [];
  const failedRequests: string[] = [];
  const requests: string[] = [];

  beforeAll(async () => {
    // Where it lives in an unzipped bundle: <bundle>/reports/gap-report.html
    const reports = join(tempDir('pp-html-'), 'plantproof-evidence-2026-11-22T060000Z', 'reports');
    mkdirSync(reports, { recursive: true });
    const file = join(reports, 'gap-report.html');
    writeFileSync(
      file,
      renderGapReportHtml(results, { history, bundleName: 'plantproof-evidence-2026-11-22T060000Z' }),
    );
    url = pathToFileURL(file).href;

    browser = await chromium.launch({
      executablePath,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'],
    });
    page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    page.on('console', (m) => {
      if (m.type() === 'error' || m.type() === 'warning') consoleErrors.push(`${m.type()}: ${m.text()}`);
    });
    page.on('pageerror', (e) => consoleErrors.push(`pageerror: ${e.message}`));
    page.on('request', (r) => requests.push(r.url()));
    page.on('requestfailed', (r) => failedRequests.push(`${r.url()}: ${r.failure()?.errorText}`));
    await page.goto(url, { waitUntil: 'load' });
  });

  afterAll(async () => {
    await browser?.close();
  });

  it('loads with no console errors and requests nothing but itself', () => {
    expect(consoleErrors).toEqual([]);
    expect(failedRequests).toEqual([]);
    expect(requests).toEqual([url]);
  });

  it('shows satisfied / total for every framework', async () => {
    for (const f of results.frameworks) {
      const text = await page.getByTestId(`ratio-${f.id}`).textContent();
      expect(text).toBe(`${f.summary.satisfied} / ${f.summary.total}`);
    }
    await expect(page.locator('#verdict').textContent()).resolves.toBe(
      '2 sources failed: results are incomplete',
    );
  });

  it('shows the risk matrix counts', async () => {
    const model = buildGapModel(results, { history });
    expect(await page.getByTestId('matrix-total').textContent()).toBe(String(model.matrix.total));
    for (let l = 1; l <= 5; l++) {
      for (let i = 1; i <= 5; i++) {
        const n = model.matrix.cells[l - 1]![i - 1]!.findings;
        const text = await page.locator(`td[data-likelihood="${l}"][data-impact="${i}"]`).textContent();
        expect(text, `likelihood ${l}, impact ${i}`).toBe(n === 0 ? '·' : String(n));
      }
    }
    // the grid has real headers
    expect(await page.locator('table.matrix th[scope="col"]').count()).toBe(6);
    expect(await page.locator('table.matrix th[scope="row"]').count()).toBe(5);
  });

  it('shows the trend and the diff against the previous run', async () => {
    expect(await page.locator('#trend svg polyline').count()).toBe(results.frameworks.length);
    expect(await page.getByTestId('req-regressed').locator('.n').textContent()).toBe('2');
    expect(await page.getByTestId('req-fixed').locator('.n').textContent()).toBe('1');
  });

  it('prints cleanly: navigation hidden, collapsed sections opened', async () => {
    await page.emulateMedia({ media: 'print' });
    expect(await page.locator('nav.toc').isVisible()).toBe(false);
    await page.evaluate("window.dispatchEvent(new Event('beforeprint'))");
    expect(await page.locator('details:not([open])').count()).toBe(0);
    mkdirSync(ARTIFACTS, { recursive: true });
    await page.pdf({ path: join(ARTIFACTS, 'gap-report.pdf'), format: 'A4', printBackground: true });
    await page.emulateMedia({ media: 'screen' });
    expect(consoleErrors).toEqual([]);
  });

  it('keeps a screenshot as a test artifact', async () => {
    await page.reload({ waitUntil: 'load' });
    mkdirSync(ARTIFACTS, { recursive: true });
    const path = join(ARTIFACTS, 'gap-report.png');
    await page.screenshot({ path, fullPage: true });
    expect(existsSync(path)).toBe(true);
  });
});
