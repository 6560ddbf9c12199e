/** Working-day arithmetic on the instance's calendar: Monday–Friday in its timezone, minus holidays. */

/** One formatter per timezone: making one costs far more than using it, and a sweep asks for thousands of dates. */
const formatters = new Map<string, Intl.DateTimeFormat>();

/**
 * Local dates formatted lately (timezone and instant → date): the sweep asks each minute for the same
 * instants (every open case's stage, and its own time for each of them). Emptied when it grows large.
 */
const formatted = new Map<string, string>();

function localDate(d: Date, timezone: string): string {
  const key = `${timezone} ${d.getTime()}`;
  const known = formatted.get(key);
  if (known !== undefined) return known;
  let f = formatters.get(timezone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-CA', { timeZone: timezone, year: 'numeric', month: '2-digit', day: '2-digit' });
    formatters.set(timezone, f);
  }
  const date = f.format(d);
  if (formatted.size >= 50_000) formatted.clear();
  formatted.set(key, date);
  return date;
}

function weekday(isoDate: string): number {
  return new Date(`${isoDate}T12:00:00Z`).getUTCDay();
}

export function isWorkingDay(isoDate: string, holidays: ReadonlySet<string>): boolean {
  const wd = weekday(isoDate);
  return wd !== 0 && wd !== 6 && !holidays.has(isoDate);
}

const DAY_MS = 86_400_000;
/** The longest span counted (ten years): as far as the day-by-day count of earlier versions went. */
const MAX_SPAN_DAYS = 3660;

/**
 * Whole working days that have passed from `from` to `to` (calendar days in the timezone, `from`'s day not
 * counted). Counted by whole weeks, the days left over and the holidays in between — not day by day: the
 * scheduler asks this of every open case every minute, and a case nobody answered for two years cost 700
 * steps (a backlog of 5,000 such cases: 5 s of the sweep's write lock each minute).
 */
export function workingDaysBetween(from: Date, to: Date, timezone: string, holidays: readonly string[]): number {
  const start = localDate(from, timezone);
  const end = localDate(to, timezone);
  if (end <= start) return 0;
  const startMs = Date.parse(`${start}T12:00:00Z`);
  const span = Math.min(MAX_SPAN_DAYS, Math.round((Date.parse(`${end}T12:00:00Z`) - startMs) / DAY_MS));
  const weeks = Math.floor(span / 7);
  let n = weeks * 5;
  const first = weekday(start);
  for (let k = weeks * 7 + 1; k <= span; k++) {
    const wd = (first + k) % 7;
    if (wd !== 0 && wd !== 6) n++;
  }
  const last = new Date(startMs + span * DAY_MS).toISOString().slice(0, 10);
  for (const h of new Set(holidays)) {
    // (a holiday on a working day within the span; config takes only real dates, YYYY-MM-DD)
    if (h > start && h <= last && isCalendarDate(h) && isWorkingDay(h, EMPTY)) n--;
  }
  return n;
}
const EMPTY: ReadonlySet<string> = new Set();

function isCalendarDate(s: string): boolean {
  const t = Date.parse(`${s}T12:00:00Z`);
  return !Number.isNaN(t) && new Date(t).toISOString().slice(0, 10) === s;
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
