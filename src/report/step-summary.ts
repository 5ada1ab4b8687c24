import { appendFile } from 'node:fs/promises';
import type { Results } from '../check.js';
import { renderExecutiveSummaryMarkdown } from './markdown/index.js';

/**
 * In GitHub Actions, add the executive summary (not the whole report) to the job summary page.
 * Returns the file written to, or null outside Actions.
 */
export async function appendStepSummary(
  results: Results,
  opts: { history?: Results[]; env?: NodeJS.ProcessEnv } = {},
): Promise<string | null> {
  const file = (opts.env ?? process.env).GITHUB_STEP_SUMMARY;
  if (!file) return null;
  await appendFile(file, `${renderExecutiveSummaryMarkdown(results, { history: opts.history })}\n`);
  return file;
}
