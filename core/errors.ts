/**
 * The error catalogue: every error Aduan raises on purpose has a stable, namespaced code, a message
 * an operator can act on, an HTTP status for the web-facing ones, and whether a retry can help.
 * Codes are strings (not classes) because errors cross process boundaries inside BullMQ jobs.
 */
export interface ErrorSpec {
  /** Message template; `{name}` placeholders are filled from the details. */
  readonly message: string;
  /** HTTP status when the error reaches a web client. */
  readonly status: number;
  /** True when retrying the same operation later can succeed (Redis down, SMTP 4xx). */
  readonly retryable: boolean;
}

export const ERRORS = {
  'CONFIG.NOT_FOUND': { message: 'Config file {file} not found', status: 500, retryable: false },
  'CONFIG.YAML': { message: 'Config file {file} is not valid YAML: {detail}', status: 500, retryable: false },
  'CONFIG.INVALID': { message: 'Config file {file} is invalid: {detail}', status: 500, retryable: false },
  'CONFIG.ENV_MISSING': { message: 'Config file {file} uses ${{name}} (line {line}, key {key}) but that environment variable is not set: set {name} in the environment of the gateway\'s processes (under PM2: of the shell that runs pm2 start), or {name}_FILE to a file holding the value, or write a default: ${{name}:-…}', status: 500, retryable: false },
  'CONFIG.MODEL_MISSING': { message: 'classifier.modelDir: {file} does not exist. Train one (aduan corpus train --out {dir}) or remove classifier.modelDir to use the shipped models', status: 500, retryable: false },
  'DB.NOT_FOUND': { message: 'Database {path} does not exist (database.path in {file}; a relative path written in a config file is read from the file\'s folder, the default ./data/aduan.db and the demo\'s from the current directory, {cwd}). Correct database.path (an absolute path is safest), run aduan in the directory the gateway runs in, or create it with `aduan migrate`', status: 500, retryable: false },
  'INPUT.INVALID': { message: 'Invalid field {field}: {detail}', status: 400, retryable: false },
  'INPUT.JSON': { message: 'Request body is not valid JSON', status: 400, retryable: false },
  'INPUT.ENCODING': { message: 'Request body is not valid UTF-8', status: 400, retryable: false },
  'INPUT.TOO_LARGE': { message: 'Request body larger than {limit} bytes', status: 413, retryable: false },
  'INPUT.ATTACHMENT_TOO_LARGE': { message: 'Attachment too large ({field}): {detail}; send smaller or fewer photos', status: 413, retryable: false },
  'INPUT.MEDIA_TYPE': { message: 'Unsupported content type {type}; use application/json or application/x-www-form-urlencoded', status: 415, retryable: false },
  'AUTH.SIGNATURE_INVALID': { message: 'Missing or wrong signature', status: 403, retryable: false },
  'AUTH.SIGNATURE_UNTIMESTAMPED': { message: 'X-Signature without a timestamp is not accepted (it could be replayed): send X-Signature: t=<unix seconds>,sha256=<hex HMAC-SHA256 of "<t>.<raw body>">', status: 403, retryable: false },
  'AUTH.SIGNATURE_EXPIRED': { message: 'X-Signature timestamp t={t} is {skew} seconds away from this server\'s clock (at most {tolerance} allowed): sign each request when sending it, with t in Unix seconds, and keep the sender\'s clock right (NTP)', status: 403, retryable: false },
  'RATE.LIMITED': { message: 'Too many requests; try again in {seconds} seconds', status: 429, retryable: true },
  'WEB.BUSY': { message: 'Busy: {inFlight} requests with photos are being read already (largeBodiesInFlight of channel {channel}); nothing was taken, retry in {seconds} seconds', status: 503, retryable: true },
  'WEB.BODY_TIMEOUT': { message: 'Request body too slow: {received} of {length} bytes came in {seconds} seconds (a request with photos must send its body within {grace} seconds plus one second per {rate} bytes); nothing was taken, send it again', status: 408, retryable: true },
  'QUEUE.UNAVAILABLE': { message: 'Message queue (Redis) unavailable: the message is not confirmed as taken, please retry (a retry with the same Idempotency-Key is never taken twice)', status: 503, retryable: true },
  'MESSAGE.INVALID': { message: 'Inbound message does not match the contract: {detail}', status: 400, retryable: false },
  'MESSAGE.NOT_FOUND': { message: 'No message with id {id}', status: 404, retryable: false },
  'CASE.NOT_FOUND': { message: 'No case {number}', status: 404, retryable: false },
  'CASE.ILLEGAL_TRANSITION': { message: 'Case {number} cannot go from {from} to {to}', status: 409, retryable: false },
  'MAIL.SEND_FAILED': { message: 'Sending mail failed: {detail}', status: 502, retryable: true },
  'MAIL.REJECTED': { message: 'Mail permanently rejected: {detail}', status: 502, retryable: false },
  'CONNECTOR.UNKNOWN_TYPE': { message: 'Channel {id} has unknown type {type}', status: 500, retryable: false },
  'CONNECTOR.NOT_FOUND': { message: 'No enabled channel with id {id} in the config', status: 500, retryable: false },
  'LISTEN.FAILED': { message: 'Cannot listen on {host}:{port}: {detail}', status: 500, retryable: false },
  'BACKUP.FAILED': { message: 'Backup to {dir} failed: {detail}', status: 500, retryable: true },
  'LOCK.HELD': { message: 'Another process already polls {resource}; this copy waits', status: 409, retryable: true },
} as const satisfies Record<string, ErrorSpec>;

export type ErrorCode = keyof typeof ERRORS;

export class AduanError extends Error {
  readonly code: ErrorCode;
  readonly status: number;
  readonly retryable: boolean;
  readonly details: Readonly<Record<string, unknown>>;

  constructor(code: ErrorCode, details: Record<string, unknown> = {}, options?: { cause?: unknown }) {
    const spec: ErrorSpec = ERRORS[code];
    super(fill(spec.message, details), options);
    this.name = 'AduanError';
    this.code = code;
    this.status = spec.status;
    this.retryable = spec.retryable;
    this.details = details;
  }

  toJSON(): { code: ErrorCode; message: string; details: Readonly<Record<string, unknown>> } {
    return { code: this.code, message: this.message, details: this.details };
  }
}

function fill(template: string, details: Record<string, unknown>): string {
  return template.replace(/\{(\w+)\}/g, (whole, key: string) =>
    key in details ? String(details[key]) : whole,
  );
}

export function isAduanError(err: unknown, code?: ErrorCode): err is AduanError {
  return err instanceof AduanError && (code === undefined || err.code === code);
}

/**
 * Whether a request path holds a malformed %-escape ("%E0%A4%A", a lone "%": a link cut short when
 * copied, a scanner), which express cannot decode into a route's parameter (its URIError).
 */
export function malformedPath(path: string): boolean {
  if (!path.includes('%')) return false;
  try {
    decodeURIComponent(path);
    return false;
  } catch {
    return true;
  }
}

/** The answer to such a path (HTTP 400): the client's mistake, not an internal error. */
export function badPathError(): AduanError {
  return new AduanError('INPUT.INVALID', { field: 'url', detail: 'the path has a malformed percent-encoding' });
}
