import { readFile, rename, writeFile } from 'node:fs/promises';
import { formatPath } from '../config/yaml.js';
import { ConfigError, type Location } from '../errors.js';
import { Snapshot } from './schema.js';

/** Line and column of a character offset, for JSON syntax errors. */
function lineCol(text: string, offset: number): { line: number; column: number } {
  let line = 1;
  let last = -1;
  for (let i = 0; i < offset && i < text.length; i++) {
    if (text.charCodeAt(i) === 10) {
      line += 1;
      last = i;
    }
  }
  return { line, column: offset - last };
}

export function parseJsonText(text: string, file: string): unknown {
  try {
    return JSON.parse(text);
  } catch (err) {
    const msg = (err as Error).message;
    const pos = /position (\d+)/.exec(msg);
    const loc = pos ? lineCol(text, Number(pos[1])) : /line (\d+) column (\d+)/.exec(msg);
    const where = Array.isArray(loc) ? { line: Number(loc[1]), column: Number(loc[2]) } : (loc ?? {});
    throw new ConfigError(`invalid JSON: ${msg.replace(/ in JSON at position \d+.*$/, '')}`, {
      file,
      ...where,
    });
  }
}

export function parseSnapshot(data: unknown, file: string): Snapshot {
  const result = Snapshot.safeParse(data);
  if (!result.success) {
    const issues = result.error.issues;
    const shown: { location: Location; message: string }[] = issues.slice(0, 5).map((issue) => ({
      location: { file, field: formatPath(issue.path) || '(root)' },
      message: `snapshot schema: ${issue.message}`,
    }));
    if (issues.length > shown.length) {
      shown.push({ location: { file }, message: `and ${issues.length - shown.length} more schema problems` });
    }
    throw new ConfigError(shown);
  }
  const clash = duplicateEntityId(result.data);
  if (clash) {
    throw new ConfigError(
      `snapshot: entity id ${JSON.stringify(clash.id)} is used twice (first at ${clash.first}); every entity needs its own id`,
      { file, field: clash.second },
    );
  }
  return result.data;
}

/**
 * The first entity id used twice, with both places. Checks report one verdict per entity id, so two entities
 * sharing one would make one of them vanish from the evidence.
 */
export function duplicateEntityId(snapshot: Snapshot): { id: string; first: string; second: string } | null {
  // Kind only while scanning (no string per entity on the load path); positions are worked out for a clash.
  const kindOf = new Map<string, string>();
  const lists = snapshot.entities as Record<string, { id: string }[]>;
  for (const [kind, list] of Object.entries(lists)) {
    for (let i = 0; i < list.length; i++) {
      const id = list[i]!.id;
      const firstKind = kindOf.get(id);
      if (firstKind !== undefined) {
        const firstIndex = lists[firstKind]!.findIndex((e) => e.id === id);
        return { id, first: `entities.${firstKind}[${firstIndex}].id`, second: `entities.${kind}[${i}].id` };
      }
      kindOf.set(id, kind);
    }
  }
  return null;
}

export async function readSnapshot(file: string): Promise<{ snapshot: Snapshot; bytes: Buffer }> {
  let bytes: Buffer;
  try {
    bytes = await readFile(file);
  } catch (err) {
    throw new ConfigError(`cannot read snapshot: ${(err as NodeJS.ErrnoException).code ?? String(err)}`, {
      file,
    });
  }
  return { snapshot: parseSnapshot(parseJsonText(bytes.toString('utf8'), file), file), bytes };
}

/** Canonical bytes of a snapshot: stable key order as built, two-space indent, trailing newline. */
export function serializeSnapshot(snapshot: Snapshot): string {
  return `${JSON.stringify(snapshot, null, 2)}\n`;
}

/** Write via a temporary name so a reader never sees half a file. */
export async function writeFileAtomic(file: string, data: string | Uint8Array): Promise<void> {
  const tmp = `${file}.tmp-${process.pid}-${Date.now()}`;
  await writeFile(tmp, data);
  await rename(tmp, file);
}
