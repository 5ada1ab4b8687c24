import type { Results } from '../../check.js';

/** Columns of findings.csv, in order. */
export const CSV_COLUMNS = [
  'framework',
  'requirement',
  'requirement_title',
  'requirement_status',
  'check',
  'resource',
  'severity',
  'status',
  'message',
  'owner',
  'due_date',
  'waiver',
] as const;
type Row = Record<(typeof CSV_COLUMNS)[number], string>;

/**
 * One cell, RFC 4180 quoted. A leading = + - @ or tab would make a spreadsheet evaluate the cell
 * as a formula (CSV injection); such cells get a leading apostrophe.
 */
export function csvCell(value: string): string {
  const safe = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

/**
 * findings.csv: one row per finding per requirement it affects — a failing resource (`open`, or
 * `waived` under an active waiver), a check that could not be judged (`error`, resource = the
 * failed source) or manual evidence that is missing or stale. Rows follow the control maps;
 * UTF-8 with a byte-order mark so spreadsheet programs read names with accents correctly.
 */
export function renderFindingsCsv(results: Results): string {
  const checks = new Map(results.checks.map((c) => [c.id, c]));
  const evidence = new Map(results.evidence.map((e) => [e.id, e]));
  const rows: Row[] = [];
  for (const f of results.frameworks) {
    for (const r of f.requirements) {
      const base = {
        framework: f.id,
        requirement: r.id,
        requirement_title: r.title,
        requirement_status: r.status,
      };
      for (const ref of r.checks) {
        const c = checks.get(ref.id);
        if (!c) continue;
        for (const x of c.findings) {
          if (x.status !== 'fail') continue;
          rows.push({
            ...base,
            check: c.id,
            resource: x.resource,
            severity: c.severity,
            status: x.waiver ? 'waived' : 'open',
            message: x.message,
            owner: c.owner ?? '',
            due_date: x.waiver ? x.waiver.expires.slice(0, 10) : (c.dueDate ?? ''),
            waiver: x.waiver ? `${x.waiver.id} (${x.waiver.approver})` : '',
          });
        }
        if (c.status === 'error') {
          for (const source of c.blockedBy) {
            rows.push({
              ...base,
              check: c.id,
              resource: source,
              severity: c.severity,
              status: 'error',
              message: c.reason,
              owner: c.owner ?? '',
              due_date: '',
              waiver: '',
            });
          }
        }
      }
      for (const ref of r.evidence) {
        const e = evidence.get(ref.id);
        if (!e || e.status === 'fresh') continue;
        rows.push({
          ...base,
          check: `evidence:${e.id}`,
          resource: '',
          severity: '',
          status: e.status === 'missing' ? 'evidence_missing' : 'evidence_stale',
          message:
            e.status === 'missing'
              ? `no attestation for "${e.title}" (${e.cadence})`
              : `last attested ${e.lastPerformedAt?.slice(0, 10)} by ${e.attestedBy}; ${e.title} (${e.cadence})`,
          owner: e.owner ?? '',
          due_date: e.dueAt ?? '',
          waiver: '',
        });
      }
    }
  }
  const lines = [
    CSV_COLUMNS.join(','),
    ...rows.map((row) => CSV_COLUMNS.map((col) => csvCell(row[col])).join(',')),
  ];
  return `\uFEFF${lines.join('\r\n')}\r\n`;
}
