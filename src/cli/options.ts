import { UsageError } from '../errors.js';

export function parseNow(value: string | undefined): Date | undefined {
  if (value === undefined) return undefined;
  const d = new Date(value);
  if (Number.isNaN(d.getTime()))
    throw new UsageError(`--now: not a date: "${value}" (use e.g. 2026-11-22 or 2026-11-22T08:00:00Z)`);
  return d;
}

export function collectList(value: string, previous: string[] = []): string[] {
  return [
    ...previous,
    ...value
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean),
  ];
}
