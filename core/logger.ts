import { pino, type Logger, type LoggerOptions, type DestinationStream } from 'pino';

export type { Logger };

/** Keys whose values are secrets: never logged, wherever they appear. */
const SECRET_KEYS = ['pass', 'password', 'token', 'authToken', 'hmacSecret', 'signingKey', 'secretToken', 'authorization', 'cookie', 'apiKey'];
const SECRET_PATHS = SECRET_KEYS.flatMap((k) => [k, `*.${k}`, `*.*.${k}`, `*.*.*.${k}`]);

// (the local part is read for at most 64 characters, its longest: tried from each position of a long run
// without an "@" — a logged subject, a file name — an unbounded run cost time growing with the square of
// its length; and an address right after another one, `budi@gmail.com_siti@yahoo.com`, is masked too)
const EMAIL = /([A-Za-z0-9._%+-])[A-Za-z0-9._%+-]{0,63}@([A-Za-z0-9.-]+\.[A-Za-z]{2,})/g;
// "_" may border a number: Gammu file names carry the sender as IN<date>_<time>_<serial>_<number>_<part>.txt
const PHONE = /(?<![A-Za-z0-9.:/-])(\+\d{1,3}|0)\d[\d -]{5,13}(\d{3})(?![A-Za-z0-9])/g;

// a NIK or KK number (16 digits, the first a province code 1–9), alone or spaced in fours as on the card
const NIK = /(?<![A-Za-z0-9])[1-9]\d{3}[ .]?\d{4}[ .]?\d{4}[ .]?\d{4}(?![A-Za-z0-9])/g;

/** Mask personal data in a string: e-mail → `b***@example.org`, phone → `***123` (last 3 digits kept), NIK/KK → `***NIK`. */
export function maskPii(text: string): string {
  return text
    .replace(EMAIL, (_m, first: string, domain: string) => `${first}***@${domain}`)
    .replace(NIK, '***NIK')
    .replace(PHONE, (_m, _cc: string, tail: string) => `***${tail}`);
}

/**
 * Errors carry personal data too (an fs error names the file in message, stack, path and dest): a
 * copy of the same class, every own property masked, so pino's err serializer still sees an Error.
 */
function maskError(err: Error, depth: number): Error {
  const copy = Object.create(Object.getPrototypeOf(err) as object) as Error;
  for (const key of Object.getOwnPropertyNames(err)) {
    const desc = Object.getOwnPropertyDescriptor(err, key);
    if (!desc || !('value' in desc)) continue;
    const v: unknown = desc.value;
    const masked = typeof v === 'string' ? maskPii(v) : v instanceof Error ? (depth < 6 ? maskError(v, depth + 1) : v) : key === 'code' || key === 'errno' ? v : maskDeep(v, depth + 1);
    Object.defineProperty(copy, key, { ...desc, value: masked });
  }
  return copy;
}

function maskDeep(value: unknown, depth = 0): unknown {
  if (typeof value === 'string') return maskPii(value);
  if (depth > 6 || value === null || typeof value !== 'object') return value;
  if (value instanceof Error) return maskError(value, depth);
  if (Array.isArray(value)) return value.map((v) => maskDeep(v, depth + 1));
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) {
    // ids and hashes are not personal data and must stay searchable in logs
    out[k] = /(^|[a-z])(Id|id|Number|sha256|code|queue|jobId)$/.test(k) ? v : maskDeep(v, depth + 1);
  }
  return out;
}

export interface LoggerContext {
  process: string;
  connector?: string;
}

/** The one logger factory: pino, secrets redacted, phones and e-mails masked, bound to the process. */
export function createLogger(context: LoggerContext, destination?: DestinationStream): Logger {
  const options: LoggerOptions = {
    level: process.env['ADUAN_LOG_LEVEL'] ?? process.env['LOG_LEVEL'] ?? 'info',
    base: { ...context },
    redact: { paths: SECRET_PATHS, censor: '[secret]' },
    formatters: {
      log: (obj) => maskDeep(obj) as Record<string, unknown>,
    },
    hooks: {
      logMethod(args, method) {
        // log.error(err) with no message: pino would take err.message unmasked as the msg
        if (args.length === 1 && args[0] instanceof Error) args = [{ err: args[0] }, args[0].message] as unknown as typeof args;
        const masked = args.map((a) => (typeof a === 'string' ? maskPii(a) : a)) as Parameters<typeof method>;
        method.apply(this, masked);
      },
    },
  };
  return destination ? pino(options, destination) : pino(options);
}
