import { readdir, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { unzipSync } from 'fflate';
import type { Results } from '../check.js';
import { formatPath } from '../config/yaml.js';
import { ConfigError } from '../errors.js';
import { parseJsonText } from '../snapshot/io.js';
import { asResults, ResultsFile } from './results-schema.js';

const RESULTS_JSON = 'results.json';

export interface LoadedResults {
  /** what was read: the results.json path, or `<zip>!<entry>` */
  file: string;
  results: Results;
}

function validate(text: string, file: string): Results {
  const parsed = ResultsFile.safeParse(parseJsonText(text, file));
  if (!parsed.success) {
    throw new ConfigError(
      parsed.error.issues.slice(0, 20).map((issue) => ({
        location: { file, field: formatPath(issue.path) || '(root)' },
        message: `results.json: ${issue.message}`,
      })),
    );
  }
  return asResults(parsed.data);
}

/** The results.json of a zipped bundle: at the root of the zip, or one folder down (`plantproof-evidence-*\/`). */
function readFromZip(bytes: Uint8Array, file: string): LoadedResults {
  let entries: Record<string, Uint8Array>;
  try {
    entries = unzipSync(bytes, {
      filter: (f) => f.name === RESULTS_JSON || /^[^/]+\/results\.json$/.test(f.name),
    });
  } catch (err) {
    throw new ConfigError(`not a readable zip: ${(err as Error).message}`, { file });
  }
  const names = Object.keys(entries).sort((a, b) => a.length - b.length || a.localeCompare(b));
  const name = names[0];
  if (!name) throw new ConfigError(`no ${RESULTS_JSON} in this zip`, { file });
  if (names.length > 1 && names[1]!.length === name.length)
    throw new ConfigError(`more than one bundle in this zip (${names.join(', ')})`, { file });
  const where = `${file}!${name}`;
  return { file: where, results: validate(new TextDecoder().decode(entries[name]!), where) };
}

async function isFile(path: string): Promise<boolean> {
  return (await stat(path).catch(() => null))?.isFile() ?? false;
}

/**
 * Results from a bundle: a bundle directory, a zip of one, or a plain results.json.
 * Only results.json is read; nothing else in the bundle is needed to re-render reports.
 */
export async function readResults(path: string): Promise<LoadedResults> {
  const info = await stat(path).catch((err: NodeJS.ErrnoException) => {
    throw new ConfigError(`cannot read: ${err.code ?? String(err)}`, { file: path });
  });
  if (info.isDirectory()) {
    const direct = join(path, RESULTS_JSON);
    if (await isFile(direct)) return readResults(direct);
    throw new ConfigError(`not a bundle: no ${RESULTS_JSON} in this directory`, { file: path });
  }
  const bytes = await readFile(path);
  if (bytes[0] === 0x50 && bytes[1] === 0x4b) return readFromZip(bytes, path);
  return { file: path, results: validate(bytes.toString('utf8'), path) };
}

/**
 * Every earlier run in a folder: bundle directories, bundle zips and results files (`*.json`),
 * oldest first. Other entries are skipped. A zip or JSON file that is not a readable bundle or
 * results file is an error naming it, never silently left out of the trend, unless `lenient`
 * (used while writing a new bundle, where an old unreadable one must not stop the run; then a
 * missing folder is simply no history).
 */
export async function readHistory(dir: string, opts: { lenient?: boolean } = {}): Promise<LoadedResults[]> {
  let names: string[];
  try {
    names = (await readdir(dir)).sort();
  } catch (err) {
    if (opts.lenient) return [];
    throw new ConfigError(`cannot read history: ${(err as NodeJS.ErrnoException).code ?? String(err)}`, {
      file: dir,
    });
  }
  const out: LoadedResults[] = [];
  const read = async (path: string) => {
    try {
      out.push(await readResults(path));
    } catch (err) {
      if (!opts.lenient) throw err;
    }
  };
  for (const name of names) {
    const path = join(dir, name);
    const info = await stat(path).catch(() => null);
    if (info?.isDirectory()) {
      if (await isFile(join(path, RESULTS_JSON))) await read(path);
    } else if (info?.isFile() && /\.(zip|json)$/i.test(name)) {
      await read(path);
    }
  }
  return out.sort(
    (a, b) => a.results.evaluatedAt.localeCompare(b.results.evaluatedAt) || a.file.localeCompare(b.file),
  );
}
