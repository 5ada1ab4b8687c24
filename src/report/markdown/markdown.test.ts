import { describe, expect, it } from 'vitest';
import { fixtureHistory, fixtureResults } from '../../../test/fixtures/results.js';
import {
  mdCode,
  mdText,
  progressBar,
  renderExecutiveSummaryMarkdown,
  renderGapReportMarkdown,
} from './index.js';

const current = fixtureResults('current');

describe('gap report (Markdown)', () => {
  const md = renderGapReportMarkdown(current, { history: fixtureHistory() });

  it('has every section, in order', () => {
    const headings = md.split('\n').filter((l) => /^## /.test(l));
    expect(headings).toEqual([
      '## Executive summary',
      '## Trend',
      '## Risk matrix',
      '## Findings by requirement',
      '## Not assessed',
      '## Waived',
      '## Errors',
    ]);
  });

  it('shows satisfied / total per framework with a progress bar', () => {
    expect(md).toContain(
      '| SOC 2 Trust Services Criteria | 3 / 12 | `█████░░░░░░░░░░░░░░░` 25% | 4 | 1 | 3 | 1 |',
    );
    expect(md).toContain('| CMMC 2.0 Level 2 | 1 / 6 |');
  });

  it('names the top risks in plain words, worst first, with owner and deadline', () => {
    const top = md.slice(md.indexOf('### Top risks'), md.indexOf('> **2 sources'));
    expect(top).toMatch(
      /1\. \*\*Critical\*\* \(likelihood 3 × impact 5\): "Admin ports are not open to the internet" is not met on 2 resources\./,
    );
    expect(top).toContain('Owner: ot-network@acme-castings.example; fix by 2026-11-29.');
    expect(top).toContain('3 more failing checks');
  });

  it('puts open findings in the likelihood × impact grid', () => {
    expect(md).toContain('9 in total');
    expect(md).toContain('| **3** | · | · | · | **2** | **3** |');
    expect(md).toContain('| **4** | · | · | **1** | · | · |');
  });

  it('lists each unsatisfied requirement with reason, resources, remediation, owner and due date', () => {
    const block = md.slice(md.indexOf('#### CC6.6'), md.indexOf('#### CC6.7'));
    expect(block).toContain('- **Owner:** ot-network@acme-castings.example');
    expect(block).toContain('- **Due:** 2026-11-29');
    expect(block).toContain('`aws:ec2:sg-0a1b2c3d:ingress:tcp:22`: SSH (22/tcp) open to 0.0.0.0/0');
    expect(block).toContain('Remove 0.0.0.0/0 from rules allowing 22/3389');
  });

  it('says which evidence is missing or stale and when it was due', () => {
    expect(md).toMatch(/Quarterly user access review .*\| Missing \| never \| no attestation on file \|/);
    expect(md).toMatch(
      /Security awareness training completed .*\| Stale \| 2025-09-15 \| 2026-09-16 \(overdue\) \|/,
    );
    expect(md).toContain(
      '- SOC 2 Trust Services Criteria CC7.2: Component behaviour is watched for signs of attack',
    );
  });

  it('says who approved each waiver and until when, and flags expired ones', () => {
    expect(md).toMatch(
      /\| W-2026-004 \| `ot.default_credentials` \| `inventory:asset:hmi-line2` \| Markus Ilg, Plant Manager \| 2026-10-01 \| 2027-01-31 \| Active \|/,
    );
    expect(md).toMatch(/\| W-2026-001 .*\(no longer covered\).*\*\*Expired\*\*/);
  });

  it('says which source failed and what it blocks', () => {
    expect(md).toContain(
      '| `okta:acme.okta.com` | error | HTTP 403 Forbidden: the API token lacks okta.users.read | `identity.inactive_accounts`, `identity.mfa_all_users` | soc2 CC6.2, iec62443-3-3 SR 1.1 |',
    );
  });

  it('shows the trend and what changed since the previous run', () => {
    expect(md).toContain('| 2026-09-23 | 33.3% (4/12) |');
    expect(md).toContain('| 2026-11-22 | 25% (3/12) |');
    expect(md).toContain(
      '| Regressed | soc2 | CC6.7 Data in transit is limited and protected | Satisfied | Not satisfied |',
    );
    expect(md).toContain('**Since the previous run (2026-10-23):** requirements 0 new, 1 fixed, 2 regressed');
  });

  it('leaves the trend out without history', () => {
    const plain = renderGapReportMarkdown(current);
    expect(plain).not.toContain('## Trend');
    expect(plain).not.toContain('Since the previous run');
  });

  it('escapes text that would break tables or inject HTML', () => {
    expect(md).toContain('bucket policy grants Principal "\\*" s3:GetObject \\<public\\> & ACL \\| AllUsers');
    expect(md).not.toContain('<public>');
  });

  it('is deterministic', () => {
    expect(renderGapReportMarkdown(current, { history: fixtureHistory() })).toBe(md);
  });
});

describe('executive summary', () => {
  it('is the header and summary only', () => {
    const s = renderExecutiveSummaryMarkdown(current);
    expect(s).toMatch(/^# Gap report: Acme Precision Castings - Plant 2\n/);
    expect(s).toContain('### Top risks');
    expect(s).not.toContain('## Findings by requirement');
    expect(s).not.toContain('## Risk matrix');
  });
});

describe('Markdown helpers', () => {
  it('escape text, code spans and draw bars', () => {
    expect(mdText('a|b *c* <d>\nnext')).toBe('a\\|b \\*c\\* \\<d\\> next');
    expect(mdCode('x`y|z')).toBe('``x`y\\|z``');
    expect(mdCode('`edge`')).toBe('`` `edge` ``');
    expect(progressBar(0, 4)).toBe('░░░░');
    expect(progressBar(100, 4)).toBe('████');
  });
});
