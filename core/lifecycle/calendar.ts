/** Working-day arithmetic on the instance's calendar: Monday–Friday in its timezone, minus holidays. */

/** One formatter per timezone: making one costs far more than using it, and a sweep asks for thousands of dates. */
const formatters = new Map<string, Intl.DateTimeFormat>();

function localDate(d: Date, timezone: string): string {
  let f = formatters.get(timezone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-CA', { timeZone: timezone, year: 'numeric', month: '2-digit', day: '2-digit' });
    formatters.set(timezone, f);
  }
  return f.format(d);
}

function weekday(isoDate: string): number {
  return new Date(`${isoDate}T12:00:00Z`).getUTCDay();
}

export function isWorkingDay(isoDate: string, holidays: ReadonlySet<string>): boolean {
  const wd = weekday(isoDate);
  return wd !== 0 && wd !== 6 && !holidays.has(isoDate);
}

/** Whole working days that have passed from `from` to `to` (calendar days in the timezone, `from`'s day not counted). */
export function workingDaysBetween(from: Date, to: Date, timezone: string, holidays: readonly string[]): number {
  const set = new Set(holidays);
  const start = localDate(from, timezone);
  const end = localDate(to, timezone);
  let n = 0;
  let cursor = start;
  for (let i = 0; i < 3660 && cursor < end; i++) {
    const next = new Date(`${cursor}T12:00:00Z`);
    next.setUTCDate(next.getUTCDate() + 1);
    cursor = next.toISOString().slice(0, 10);
    if (isWorkingDay(cursor, set)) n++;
  }
  return n;
}

/**
 * The local date (YYYY-MM-DD) of the `n`th working day after `from`'s day: a clock of `n` working days
 * started at `from` is late after it (workingDaysBetween reaches n on that day).
 */
export function nthWorkingDayAfter(from: Date, n: number, timezone: string, holidays: readonly string[]): string {
  const set = new Set(holidays);
  let cursor = localDate(from, timezone);
  for (let k = 0, i = 0; k < n && i < 3660; i++) {
    const next = new Date(`${cursor}T12:00:00Z`);
    next.setUTCDate(next.getUTCDate() + 1);
    cursor = next.toISOString().slice(0, 10);
    if (isWorkingDay(cursor, set)) k++;
  }
  return cursor;
}

const partFormatters = new Map<string, Intl.DateTimeFormat>();

/** `d`'s date and time of day in the timezone, as numbers (year, month 1–12, day, hour 0–23, minute, second). */
export function localParts(d: Date, timezone: string): { year: number; month: number; day: number; hour: number; minute: number; second: number } {
  let f = partFormatters.get(timezone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-CA', { timeZone: timezone, hourCycle: 'h23', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit' });
    partFormatters.set(timezone, f);
  }
  const p = Object.fromEntries(f.formatToParts(d).map((x) => [x.type, Number(x.value)]));
  return { year: p['year']!, month: p['month']!, day: p['day']!, hour: p['hour']!, minute: p['minute']!, second: p['second']! };
}

/** Midnight of a local date (YYYY-MM-DD) in the timezone (WIB, WITA, WIT: Indonesia keeps no summer time, so one offset serves the day). */
export function startOfLocalDay(isoDate: string, timezone: string): Date {
  const guess = /^\d{4}-\d{2}-\d{2}$/.test(isoDate) ? Date.parse(`${isoDate}T00:00:00Z`) : NaN;
  if (Number.isNaN(guess)) throw new Error('dates must be YYYY-MM-DD');
  const p = localParts(new Date(guess), timezone);
  return new Date(guess - (Date.UTC(p.year, p.month - 1, p.day, p.hour, p.minute, p.second) - guess));
}
