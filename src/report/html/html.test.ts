import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { fixtureHistory, fixtureResults } from '../../../test/fixtures/results.js';
import { esc, renderGapReportHtml } from './index.js';

const current = fixtureResults('current');
const html = renderGapReportHtml(current, { history: fixtureHistory(), bundleName: 'plantproof-evidence-x' });

describe('gap report (HTML)', () => {
  it('is one self-contained document: no external URL anywhere it could be fetched from', () => {
    expect(html).toMatch(/^<!doctype html>/);
    expect(html).not.toMatch(/\b(?:src|href|action|poster|data)\s*=\s*["']?(?:https?:)?\/\//i);
    expect(html).not.toMatch(/url\(\s*["']?(?:https?:)?\/\//i);
    expect(html).not.toMatch(/@import|@font-face|<link[^>]+stylesheet|<script[^>]+src=/i);
    expect(html).toContain(esc("default-src 'none'"));
  });

  it('pins its one inline script in the content security policy', () => {
    const script = /<script>([\s\S]*?)<\/script>/.exec(html)?.[1] ?? '';
    const hash = createHash('sha256').update(script).digest('base64');
    expect(html).toContain(esc(`script-src 'sha256-${hash}'`));
    expect(html.match(/<script/g)).toHaveLength(1);
  });

  it('uses real table headers and print styles', () => {
    expect(html).toContain('<th scope="col">');
    expect(html).toContain('<th scope="row">');
    expect(html).toContain('@media print');
    expect(html).not.toMatch(/<th>/);
  });

  it('carries the key figures', () => {
    expect(html).toContain('data-testid="ratio-soc2">3 / 12</span>');
    expect(html).toContain('data-testid="ratio-iec62443-3-3">1 / 6</span>');
    expect(html).toContain('data-testid="matrix-total">9</strong>');
    expect(html).toMatch(
      /data-likelihood="3" data-impact="5" title="network.admin_ports_internet, storage.public_access_blocked">3</,
    );
    expect(html).toContain('plantproof-evidence-x');
  });

  it('escapes every piece of text', () => {
    expect(html).toContain('Principal &quot;*&quot; s3:GetObject &lt;public&gt; &amp; ACL | AllUsers');
    expect(html).not.toContain('<public>');
    const evil = structuredClone(current);
    evil.scope.name = '<img src=x onerror=alert(1)>';
    const out = renderGapReportHtml(evil);
    expect(out).not.toContain('<img');
    expect(out).toContain('&lt;img src=x onerror=alert(1)&gt;');
    expect(esc(`a&b<c>"d'`)).toBe('a&amp;b&lt;c&gt;&quot;d&#39;');
  });

  it('shows the trend only with history, and says how to get it', () => {
    expect(html).toContain('<polyline');
    const plain = renderGapReportHtml(current);
    expect(plain).not.toContain('<polyline');
    expect(plain).toContain('--history DIR');
  });

  it('is deterministic', () => {
    expect(
      renderGapReportHtml(current, { history: fixtureHistory(), bundleName: 'plantproof-evidence-x' }),
    ).toBe(html);
  });
});
