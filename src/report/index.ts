import type { Results } from '../check.js';
import { renderFindingsCsv } from './csv/index.js';
import { renderGapReportHtml } from './html/index.js';
import { renderJunit } from './junit/index.js';
import { renderGapReportMarkdown } from './markdown/index.js';
import { renderOscalAssessmentResults, renderOscalPoam } from './oscal/index.js';
import { renderSarif } from './sarif/index.js';

export { diffResults, formatDiffText, type ResultsDiff } from './diff.js';
export { renderExecutiveSummaryMarkdown, renderGapReportMarkdown } from './markdown/index.js';

export const REPORT_FORMATS = ['md', 'html', 'csv', 'sarif', 'oscal', 'junit'] as const;
export type ReportFormat = (typeof REPORT_FORMATS)[number];

/** The file each format writes, under the bundle's reports/. */
export const REPORT_FILES: Record<ReportFormat, string[]> = {
  md: ['gap-report.md'],
  html: ['gap-report.html'],
  csv: ['findings.csv'],
  sarif: ['plantproof.sarif'],
  oscal: ['oscal-assessment-results.json', 'oscal-poam.json'],
  junit: ['junit.xml'],
};

const isReportFormat = (f: string): f is ReportFormat => (REPORT_FORMATS as readonly string[]).includes(f);

/**
 * The report formats in a list of output formats (config `outputs.formats` also names `json`,
 * which is results.json itself and not a report). Unknown names are returned separately.
 */
export function reportFormatsFrom(formats: readonly string[]): {
  formats: ReportFormat[];
  unknown: string[];
} {
  const out: ReportFormat[] = [];
  const unknown: string[] = [];
  for (const raw of formats) {
    const f = raw.trim().toLowerCase();
    if (f === 'json' || f === '') continue;
    if (!isReportFormat(f)) unknown.push(raw);
    else if (!out.includes(f)) out.push(f);
  }
  return { formats: out, unknown };
}

export interface RenderReportsOptions {
  formats: readonly ReportFormat[];
  /** earlier runs of the same scope, for the trend and the diff in the gap report */
  history?: Results[];
  /** the bundle's name, shown in the HTML header */
  bundleName?: string;
}

/**
 * Every requested report, as file name → content. Pure and deterministic: no clock, no I/O,
 * the same results (and history) give the same bytes.
 */
export function renderReports(results: Results, opts: RenderReportsOptions): Record<string, string> {
  const files: Record<string, string> = {};
  for (const format of REPORT_FORMATS) {
    if (!opts.formats.includes(format)) continue;
    switch (format) {
      case 'md':
        files['gap-report.md'] = renderGapReportMarkdown(results, { history: opts.history });
        break;
      case 'html':
        files['gap-report.html'] = renderGapReportHtml(results, {
          history: opts.history,
          bundleName: opts.bundleName,
        });
        break;
      case 'csv':
        files['findings.csv'] = renderFindingsCsv(results);
        break;
      case 'sarif':
        files['plantproof.sarif'] = renderSarif(results);
        break;
      case 'oscal': {
        files['oscal-assessment-results.json'] = renderOscalAssessmentResults(results);
        const poam = renderOscalPoam(results);
        if (poam) files['oscal-poam.json'] = poam;
        break;
      }
      case 'junit':
        files['junit.xml'] = renderJunit(results);
        break;
    }
  }
  return files;
}
