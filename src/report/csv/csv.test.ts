import { describe, expect, it } from 'vitest';
import { fixtureResults } from '../../../test/fixtures/results.js';
import { CSV_COLUMNS, csvCell, renderFindingsCsv } from './index.js';

/** A small RFC 4180 reader, enough to check what a spreadsheet would see. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else cell += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ',') {
      row.push(cell);
      cell = '';
    } else if (ch === '\r' && text[i + 1] === '\n') {
      row.push(cell);
      rows.push(row);
      row = [];
      cell = '';
      i++;
    } else cell += ch;
  }
  return rows;
}

describe('findings.csv', () => {
  const text = renderFindingsCsv(fixtureResults('current'));
  const [header, ...rows] = parseCsv(text.replace(/^\uFEFF/, ''));
  const col = (name: (typeof CSV_COLUMNS)[number]) => header!.indexOf(name);
  const records = rows.map((r) => Object.fromEntries(header!.map((h, i) => [h, r[i]!])));

  it('starts with a byte-order mark and a header naming every column', () => {
    expect(text.startsWith('\uFEFFframework,requirement,')).toBe(true);
    expect(header).toEqual([...CSV_COLUMNS]);
    for (const r of rows) expect(r).toHaveLength(CSV_COLUMNS.length);
  });

  it('has one row per failing resource per requirement, with owner and due date', () => {
    const r = records.filter((x) => x.check === 'network.admin_ports_internet');
    // 2 resources × 3 requirements (SOC 2 CC6.6, ISO A.8.20, IEC SR 5.1)
    expect(r).toHaveLength(6);
    expect(r[0]).toMatchObject({
      framework: 'soc2',
      requirement: 'CC6.6',
      resource: 'aws:ec2:sg-0a1b2c3d:ingress:tcp:22',
      severity: 'critical',
      status: 'open',
      owner: 'ot-network@acme-castings.example',
      due_date: '2026-11-29',
    });
  });

  it('marks waived failures with the waiver, errors with the failed source, and missing evidence', () => {
    expect(records.find((x) => x.status === 'waived')).toMatchObject({
      check: 'ot.default_credentials',
      resource: 'inventory:asset:hmi-line2',
      waiver: 'W-2026-004 (Markus Ilg, Plant Manager)',
      due_date: '2027-01-31',
    });
    expect(records.filter((x) => x.status === 'error').map((x) => x.resource)).toContain(
      'okta:acme.okta.com',
    );
    expect(records.find((x) => x.check === 'evidence:access-review')).toMatchObject({
      status: 'evidence_missing',
      owner: 'it-identity@acme-castings.example',
    });
    expect(records.find((x) => x.check === 'evidence:security-training')).toMatchObject({
      status: 'evidence_stale',
      due_date: '2026-09-16',
    });
  });

  it('quotes commas, quotes and line breaks, and defuses formulas', () => {
    const msg = records.find((x) => x.resource === 'aws:s3:acme-historian-exports' && x.status === 'open');
    expect(msg?.message).toBe('bucket policy grants Principal "*" s3:GetObject <public> & ACL | AllUsers');
    expect(col('message')).toBeGreaterThan(0);
    expect(csvCell('a,b')).toBe('"a,b"');
    expect(csvCell('say "hi"')).toBe('"say ""hi"""');
    expect(csvCell('two\nlines')).toBe('"two\nlines"');
    expect(csvCell('=HYPERLINK("x")')).toBe('"\'=HYPERLINK(""x"")"');
    expect(csvCell('-1+1')).toBe("'-1+1");
    expect(csvCell('@SUM(A1)')).toBe("'@SUM(A1)");
  });
});
