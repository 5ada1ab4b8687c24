/**
 * The demo plant's files are written as of DEMO_ANCHOR. So that the demo shows the same mix of
 * fresh and stale evidence, active and expired waivers, whenever it runs, its dates are moved
 * forward by the days between the anchor and today. Only the demo does this; never real input.
 */
export const DEMO_ANCHOR = '2026-11-20';

const DAY = 86_400_000;

export function demoShiftDays(now: Date): number {
  return Math.floor((Date.parse(now.toISOString().slice(0, 10)) - Date.parse(DEMO_ANCHOR)) / DAY);
}

const DATE = /\b(\d{4}-\d{2}-\d{2})(T\d{2}:\d{2}:\d{2}(?:\.\d+)?Z)?\b/g;

/** Shift every ISO date or UTC timestamp in a text by `days`. */
export function shiftDatesInText(text: string, days: number): string {
  if (days === 0) return text;
  return text.replace(DATE, (_m, date: string, time: string | undefined) => {
    const shifted = new Date(Date.parse(`${date}T00:00:00Z`) + days * DAY).toISOString().slice(0, 10);
    return time ? `${shifted}${time}` : shifted;
  });
}

/** Shift every ISO date or timestamp string inside a JSON-like value. */
export function shiftDatesInValue<T>(value: T, days: number): T {
  if (days === 0) return value;
  return JSON.parse(shiftDatesInText(JSON.stringify(value), days)) as T;
}
