import { mkdir } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import type { Results } from '../check.js';
import { writeFileAtomic } from '../snapshot/io.js';
import { type ReportFormat, renderReports, reportFormatsFrom } from './index.js';
import { readHistory } from './read-bundle.js';

/** A bundle's name for the report header: its folder or zip name, when the path shows one. */
export function bundleNameOf(path: string): string | undefined {
  const name = basename(path.replace(/[/\\]+$/, ''));
  if (/^results\.json$/i.test(name)) {
    const parent = basename(dirname(path));
    return /^plantproof-evidence-/.test(parent) ? parent : undefined;
  }
  if (/\.json$/i.test(name)) return undefined;
  return name.replace(/\.zip$/i, '');
}

/** Render the requested reports and write them into `outDir`; returns the paths written, in order. */
export async function writeReports(
  results: Results,
  opts: { formats: readonly ReportFormat[]; outDir: string; history?: Results[]; bundleName?: string },
): Promise<string[]> {
  const files = renderReports(results, opts);
  await mkdir(opts.outDir, { recursive: true });
  const written: string[] = [];
  for (const [name, content] of Object.entries(files)) {
    const file = join(opts.outDir, name);
    await writeFileAtomic(file, content);
    written.push(file);
  }
  return written;
}

/**
 * The reports a new bundle carries: the configured formats (`json` is results.json itself and
 * skipped), with the earlier bundles in the folder it goes to as history for the trend.
 */
export async function reportsForBundle(
  results: Results,
  opts: { formats: readonly string[]; bundlesDir: string },
): Promise<Record<string, string>> {
  const history = (await readHistory(opts.bundlesDir, { lenient: true })).map((h) => h.results);
  return renderReports(results, { formats: reportFormatsFrom(opts.formats).formats, history });
}
