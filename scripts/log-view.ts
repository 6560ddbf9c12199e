/**
 * `aduan logs`: the gateway's JSON log lines (what `pm2 logs --raw` or a PM2 log file holds) as lines a
 * person reads at night — local time, level, process, message, then the other fields as key=value.
 * The lines themselves stay JSON for machines; this only reads them. A line that is no log line of
 * ours (PM2's own, a stack trace a crashed process printed) is passed through as it is.
 */
import { createInterface } from 'node:readline';
import type { Readable, Writable } from 'node:stream';

export const LEVELS: Readonly<Record<number, string>> = { 10: 'TRACE', 20: 'DEBUG', 30: 'INFO', 40: 'WARN', 50: 'ERROR', 60: 'FATAL' };
const LEVEL_OF: Readonly<Record<string, number>> = Object.fromEntries(Object.entries(LEVELS).map(([n, name]) => [name.toLowerCase(), Number(n)]));

/** The least level shown for a name given on the command line (trace … fatal), or undefined when it is none. */
export function levelNamed(name: string): number | undefined {
  return LEVEL_OF[name.trim().toLowerCase()];
}

/** Fields every line has, shown in their own places (or not at all: pid, hostname). */
const PLACED = new Set(['level', 'time', 'msg', 'process', 'connector', 'pid', 'hostname', 'v']);

function clock(ms: number, timeZone: string): string {
  const parts = Object.fromEntries(new Intl.DateTimeFormat('en-GB', {
    timeZone, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit', hourCycle: 'h23',
  }).formatToParts(new Date(ms)).map((p) => [p.type, p.value]));
  return `${parts['year']}-${parts['month']}-${parts['day']} ${parts['hour']}:${parts['minute']}:${parts['second']}`;
}

function value(v: unknown): string {
  if (typeof v === 'string') return /[\s="]/.test(v) || v === '' ? JSON.stringify(v) : v;
  return JSON.stringify(v) ?? String(v);
}

export interface ViewOptions {
  timeZone: string;
  /** Lines below this level are left out (default: all). */
  minLevel?: number;
  /** With an error's whole stack (default: its first line). */
  stack?: boolean;
}

/**
 * One log line as a person reads it, or null when its level is below `minLevel`. PM2's prefix
 * (`0|aduan-worker-intake | {…}`) is kept in front; a line that is no JSON log line comes back as it is.
 */
export function viewLine(line: string, o: ViewOptions): string | null {
  const at = line.indexOf('{');
  if (at < 0) return line;
  let entry: Record<string, unknown>;
  try {
    const parsed: unknown = JSON.parse(line.slice(at));
    if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) return line;
    entry = parsed as Record<string, unknown>;
  } catch {
    return line;
  }
  const level = entry['level'];
  if (typeof level !== 'number' || typeof entry['time'] !== 'number') return line;
  if (o.minLevel !== undefined && level < o.minLevel) return null;
  const who = [entry['process'], entry['connector']].filter((x) => typeof x === 'string' && x !== '').join('/');
  const extras: string[] = [];
  let stack = '';
  for (const [k, v] of Object.entries(entry)) {
    if (PLACED.has(k) || v === undefined) continue;
    if (k === 'err' && v !== null && typeof v === 'object') {
      const e = v as { type?: unknown; message?: unknown; stack?: unknown; code?: unknown; aggregateErrors?: unknown };
      // (an error logged as a plain object, { code, message } — the Redis outage lines — has the type 'Object':
      // no class worth showing, only its message)
      const type = typeof e.type === 'string' && e.type !== 'Object' ? `${e.type}: ` : '';
      let message = typeof e.message === 'string' ? e.message : e.message === undefined ? '' : String(e.message);
      // (an AggregateError — 'localhost' refused on ::1 and on 127.0.0.1 — has no message of its own: its errors')
      if (message === '' && Array.isArray(e.aggregateErrors)) {
        message = [...new Set(e.aggregateErrors.map((x) => (x !== null && typeof x === 'object' ? String((x as { message?: unknown }).message ?? '') : String(x))).filter((m) => m !== ''))].join('; ');
      }
      extras.push(`err=${value(`${type}${message}`)}${e.code !== undefined ? ` code=${value(e.code)}` : ''}`);
      // (an error logged without a stack — core/redis-health.ts's — has the serializer's "": no empty line after it)
      const frames = o.stack && typeof e.stack === 'string' ? e.stack.split('\n').slice(1).map((l) => `    ${l.trim()}`) : [];
      if (frames.length > 0) stack = `\n${frames.join('\n')}`;
      continue;
    }
    extras.push(`${k}=${value(v)}`);
  }
  const msg = typeof entry['msg'] === 'string' ? entry['msg'] : '';
  return `${line.slice(0, at)}${clock(entry['time'] as number, o.timeZone)} ${(LEVELS[level] ?? String(level)).padEnd(5)} ${who ? `${who}: ` : ''}${msg}${extras.length ? `  ${extras.join(' ')}` : ''}${stack}`;
}

/** Read log lines from `input` and write them readable to `output`; resolves with how many lines were read. */
export async function viewLog(input: Readable, output: Writable, o: ViewOptions): Promise<number> {
  let n = 0;
  for await (const line of createInterface({ input, crlfDelay: Infinity })) {
    n++;
    const shown = viewLine(line, o);
    if (shown !== null && !output.write(`${shown}\n`)) await new Promise((resolve) => output.once('drain', resolve));
  }
  return n;
}
