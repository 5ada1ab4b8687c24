import { lstat, readdir, readFile, stat } from 'node:fs/promises';
import { basename, join, resolve } from 'node:path';
import { ConfigError } from '../errors.js';
import { BUNDLE_NAME, MANIFEST_FILE, SIGNATURE_FILE } from './manifest.js';
import { inflateEntry, type ReadEntry, readZip, ZipFormatError } from './zip.js';

/** A bundle as found on disk, zip or directory alike: its files by path inside the bundle. */
export interface OpenedBundle {
  kind: 'zip' | 'dir';
  path: string;
  /** the bundle's folder name (inside the zip, or the directory's own name) */
  root: string | null;
  /** every regular file, by path relative to the bundle folder */
  paths: string[];
  read(path: string): Promise<Buffer>;
  /** zip only: the entries as stored, by path relative to the bundle folder */
  entries?: Map<string, ReadEntry>;
  /** zip only: the archive's bytes */
  bytes?: Buffer;
  /** what is wrong with the container itself: entries outside the folder, links, odd file types */
  problems: string[];
}

/** Open a bundle zip or directory. Unreadable input is a ConfigError; a damaged bundle is not (see problems). */
export async function openBundle(path: string): Promise<OpenedBundle> {
  const abs = resolve(path);
  let st: Awaited<ReturnType<typeof stat>>;
  try {
    st = await stat(abs);
  } catch (err) {
    throw new ConfigError(`cannot open bundle: ${(err as NodeJS.ErrnoException).code ?? String(err)}`, {
      file: path,
    });
  }
  return st.isDirectory() ? openDir(abs) : openZip(abs);
}

async function openZip(path: string): Promise<OpenedBundle> {
  const bytes = await readFile(path);
  const problems: string[] = [];
  let raw: ReadEntry[] = [];
  try {
    raw = readZip(bytes);
  } catch (err) {
    if (!(err instanceof ZipFormatError) && !(err instanceof TypeError)) throw err;
    problems.push(`not a readable bundle zip: ${(err as Error).message}`);
  }
  const roots = new Set(raw.map((e) => e.name.split('/')[0]!));
  const root = roots.size === 1 ? [...roots][0]! : null;
  if (raw.length > 0 && roots.size !== 1)
    problems.push(`the zip must hold one folder; it holds ${[...roots].sort().join(', ')}`);
  const entries = new Map<string, ReadEntry>();
  for (const e of raw) {
    const rel = root && e.name.startsWith(`${root}/`) ? e.name.slice(root.length + 1) : null;
    if (rel === null || rel === '' || rel.endsWith('/')) {
      problems.push(`unexpected zip entry ${JSON.stringify(e.name)}`);
      continue;
    }
    if (rel.split('/').some((s) => s === '' || s === '.' || s === '..') || e.name.includes('\\')) {
      problems.push(`unsafe path in zip: ${JSON.stringify(e.name)}`);
      continue;
    }
    if (entries.has(rel)) {
      problems.push(`duplicate zip entry ${JSON.stringify(e.name)}`);
      continue;
    }
    entries.set(rel, e);
  }
  return {
    kind: 'zip',
    path,
    root,
    paths: [...entries.keys()],
    entries,
    bytes,
    problems,
    async read(rel) {
      const e = entries.get(rel);
      if (!e) throw new Error(`${rel}: not in the bundle`);
      return inflateEntry(e);
    },
  };
}

async function openDir(path: string): Promise<OpenedBundle> {
  const problems: string[] = [];
  const paths: string[] = [];
  const walk = async (dir: string, rel: string): Promise<number> => {
    let count = 0;
    const names = (await readdir(dir)).sort();
    for (const name of names) {
      const full = join(dir, name);
      const r = rel ? `${rel}/${name}` : name;
      const st = await lstat(full);
      if (st.isSymbolicLink()) problems.push(`${r}: a symbolic link (a bundle holds only plain files)`);
      else if (st.isDirectory()) {
        const inside = await walk(full, r);
        if (inside === 0) problems.push(`${r}/: an empty folder that is not part of the bundle`);
        count += inside;
      } else if (st.isFile()) {
        paths.push(r);
        count += 1;
      } else problems.push(`${r}: not a regular file`);
    }
    return count;
  };
  await walk(path, '');
  return {
    kind: 'dir',
    path,
    root: basename(path),
    paths,
    problems,
    async read(rel) {
      return readFile(join(path, ...rel.split('/')));
    },
  };
}

/** manifest.json (exact bytes) and manifest.sig of a bundle, without verifying anything else. */
export async function readManifestBytes(
  path: string,
): Promise<{ name: string | null; manifest: Buffer; signature: Buffer | null }> {
  const b = await openBundle(path);
  if (!b.paths.includes(MANIFEST_FILE))
    throw new ConfigError(`not an evidence bundle (no ${MANIFEST_FILE})`, { file: path });
  const name = b.root && BUNDLE_NAME.test(b.root) ? b.root : null;
  return {
    name,
    manifest: await b.read(MANIFEST_FILE),
    signature: b.paths.includes(SIGNATURE_FILE) ? await b.read(SIGNATURE_FILE) : null,
  };
}
