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
