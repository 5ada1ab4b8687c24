import { readFile } from 'node:fs/promises';
import { isNode, LineCounter, parseDocument } from 'yaml';
import type { z } from 'zod';
import { ConfigError, type Location } from '../errors.js';

export function formatPath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const p of path) {
    if (typeof p === 'number') out += `[${p}]`;
    else out += out ? `.${String(p)}` : String(p);
  }
  return out;
}

/** Parsed YAML that still knows where each value came from. */
export interface LocatedYaml {
  file: string;
  data: unknown;
  locate(path: readonly PropertyKey[]): Location;
}

export function parseYamlText(text: string, file: string): LocatedYaml {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: true, uniqueKeys: true });
  if (doc.errors.length > 0) {
    throw new ConfigError(
      doc.errors.map((e) => {
        const pos = e.linePos?.[0];
        return {
          location: { file, line: pos?.line, column: pos?.col },
          message: `YAML syntax error: ${e.message.split('\n')[0]}`,
        };
      }),
    );
  }
  const locate = (path: readonly PropertyKey[]): Location => {
    // Walk down as far as the path exists, so a missing field points at its parent.
    for (let n = path.length; n >= 0; n--) {
      const node = n === 0 ? doc.contents : doc.getIn(path.slice(0, n) as unknown[], true);
      if (isNode(node) && node.range) {
        const pos = lineCounter.linePos(node.range[0]);
        return { file, line: pos.line, column: pos.col, field: formatPath(path) || undefined };
      }
    }
    return { file, field: formatPath(path) || undefined };
  };
  return { file, data: doc.toJS({ maxAliasCount: 100 }), locate };
}

export async function readYamlFile(file: string): Promise<LocatedYaml> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    throw new ConfigError(`cannot read file: ${(err as NodeJS.ErrnoException).code ?? String(err)}`, {
      file,
    });
  }
  return parseYamlText(text, file);
}

/** zod issues → one ConfigError naming file, line and field for each. */
export function zodToConfigError(
  error: z.ZodError,
  locate: (path: readonly PropertyKey[]) => Location,
): ConfigError {
  return new ConfigError(
    error.issues.flatMap((issue) =>
      // Point at each unknown key itself rather than at the object holding it.
      issue.code === 'unrecognized_keys'
        ? issue.keys.map((key) => ({
            location: locate([...issue.path, key]),
            message: `unknown key "${key}"`,
          }))
        : [{ location: locate(issue.path), message: issue.message }],
    ),
  );
}

export function parseWith<S extends z.ZodType>(schema: S, located: LocatedYaml): z.infer<S> {
  const result = schema.safeParse(located.data);
  if (!result.success) throw zodToConfigError(result.error, located.locate);
  return result.data;
}

export async function loadYaml<S extends z.ZodType>(schema: S, file: string): Promise<z.infer<S>> {
  return parseWith(schema, await readYamlFile(file));
}
