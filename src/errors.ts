/** Where in a user's file a problem is. */
export interface Location {
  file: string;
  line?: number;
  column?: number;
  /** dotted path of the field, e.g. `collectors[2].files[0]` */
  field?: string;
}

export function formatLocation(loc: Location): string {
  let s = loc.file;
  if (loc.line !== undefined) s += `:${loc.line}`;
  if (loc.line !== undefined && loc.column !== undefined) s += `:${loc.column}`;
  if (loc.field) s += ` (${loc.field})`;
  return s;
}

/** Bad configuration or bad input a user handed us: exit code 2, message names the place. */
export class ConfigError extends Error {
  override readonly name = 'ConfigError';
  readonly problems: { location: Location; message: string }[];
  constructor(problems: { location: Location; message: string }[] | string, location?: Location) {
    const list =
      typeof problems === 'string' ? [{ location: location ?? { file: '-' }, message: problems }] : problems;
    super(list.map((p) => `${formatLocation(p.location)}: ${p.message}`).join('\n'));
    this.problems = list;
  }
}

/** Wrong flags or arguments: exit code 2. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}

/** A collector could not read its source. Recorded on the source; never ends the run. */
export class CollectorError extends Error {
  override readonly name = 'CollectorError';
  constructor(
    message: string,
    readonly detail?: { api?: string; permission?: string; status?: number },
  ) {
    super(message);
  }
}

/** A bug or broken installation (missing/corrupt policy wasm): exit code 2 with the file named. */
export class InternalError extends Error {
  override readonly name = 'InternalError';
}

export function errorMessage(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
