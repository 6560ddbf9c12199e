import { createHmac, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { AduanError } from '../../core/errors.ts';
import { LIMITS } from '../../core/limits.ts';
import { normalizeText } from '../../core/message.ts';
import { toE164 } from '../../core/phone.ts';

export interface WebSubmission {
  name?: string;
  phone?: string;
  email?: string;
  subject?: string;
  text: string;
  /** Honeypot field filled: a bot. */
  honeypot: boolean;
}

const EMAIL = /^[^\s@<>()[\]\\,;:"]{1,64}@[A-Za-z0-9.-]{1,253}\.[A-Za-z]{2,63}$/;

/** Decode the raw body by content type. Throws AduanError INPUT.* with the right status. */
export function decodeBody(raw: Buffer, contentType: string | undefined): Record<string, unknown> {
  const type = (contentType ?? '').split(';')[0]!.trim().toLowerCase();
  if (type !== 'application/json' && type !== 'application/x-www-form-urlencoded') {
    throw new AduanError('INPUT.MEDIA_TYPE', { type: type === '' ? '(none)' : type });
  }
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(raw);
  } catch {
    throw new AduanError('INPUT.ENCODING');
  }
  if (type === 'application/json') {
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch {
      throw new AduanError('INPUT.JSON');
    }
    if (value === null || typeof value !== 'object' || Array.isArray(value)) throw new AduanError('INPUT.INVALID', { field: '(body)', detail: 'must be a JSON object' });
    return value as Record<string, unknown>;
  }
  const out: Record<string, unknown> = {};
  for (const [k, v] of new URLSearchParams(text)) {
    if (v.includes('\uFFFD')) throw new AduanError('INPUT.ENCODING');
    out[k] = v;
  }
  return out;
}

function field(body: Record<string, unknown>, name: string, max: number): string | undefined {
  const v = body[name];
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'string') throw new AduanError('INPUT.INVALID', { field: name, detail: 'must be a string' });
  const t = normalizeText(v, Number.MAX_SAFE_INTEGER);
  if (t.length > max) throw new AduanError('INPUT.INVALID', { field: name, detail: `at most ${max} characters` });
  return t === '' ? undefined : t;
}

/** Validate a submission: text required (≤ 10,000 chars), phone and/or e-mail, phone to E.164. */
export function parseSubmission(body: Record<string, unknown>, phoneRegion: string): WebSubmission {
  const text = field(body, 'text', LIMITS.textMaxChars);
  if (text === undefined) throw new AduanError('INPUT.INVALID', { field: 'text', detail: 'is required' });
  const name = field(body, 'name', LIMITS.nameMaxChars);
  const subject = field(body, 'subject', LIMITS.subjectMaxChars);
  const phoneRaw = field(body, 'phone', 40);
  const emailRaw = field(body, 'email', 320);
  if (phoneRaw === undefined && emailRaw === undefined) {
    throw new AduanError('INPUT.INVALID', { field: 'phone', detail: 'give a phone number or an e-mail address (at least one)' });
  }
  let phone: string | undefined;
  if (phoneRaw !== undefined) {
    phone = toE164(phoneRaw, phoneRegion) ?? undefined;
    if (phone === undefined) throw new AduanError('INPUT.INVALID', { field: 'phone', detail: 'not a valid phone number' });
  }
  if (emailRaw !== undefined && !EMAIL.test(emailRaw)) throw new AduanError('INPUT.INVALID', { field: 'email', detail: 'not a valid e-mail address' });
  const hp = body['website'];
  const result: WebSubmission = { text, honeypot: typeof hp === 'string' && hp.trim() !== '' };
  if (name !== undefined) result.name = name;
  if (phone !== undefined) result.phone = phone;
  if (emailRaw !== undefined) result.email = emailRaw.toLowerCase();
  if (subject !== undefined) result.subject = subject;
  return result;
}

/** The outcome of checking a request's `X-Signature`. `mac` is the hex HMAC the request carried. */
export type SignatureCheck =
  | { ok: true; timestamped: true; t: number; mac: string }
  | { ok: true; timestamped: false; mac: string }
  | { ok: false; reason: 'invalid' }
  | { ok: false; reason: 'untimestamped' }
  | { ok: false; reason: 'expired'; t: number; skew: number };

function sameHex(givenHex: string, expected: Buffer): boolean {
  const given = Buffer.from(givenHex, 'hex');
  return given.length === expected.length && timingSafeEqual(given, expected);
}

/**
 * Check `X-Signature` of the website's signed API, in constant time:
 * - `t=<unix seconds>,sha256=<hex HMAC-SHA256 of "<t>.<raw body>">` (preferred): valid only while
 *   |now − t| ≤ `toleranceSeconds`, so a captured request cannot be replayed later;
 * - `sha256=<hex HMAC-SHA256 of the raw body>` (the old form, replayable forever): only with
 *   `allowUntimestamped`, else refused as 'untimestamped' (the caller says what to send instead).
 * An expired timestamp is reported only after the HMAC matched (only the secret's holder learns it).
 */
export function checkSignature(raw: Buffer, header: string | undefined, secret: string, opts: { nowSeconds: number; toleranceSeconds: number; allowUntimestamped: boolean }): SignatureCheck {
  const form = signatureHeader(header);
  if (form === undefined) return { ok: false, reason: 'invalid' };
  if (form.form === 'untimestamped') {
    if (!opts.allowUntimestamped) return { ok: false, reason: 'untimestamped' };
    return sameHex(form.mac, createHmac('sha256', secret).update(raw).digest()) ? { ok: true, timestamped: false, mac: form.mac.toLowerCase() } : { ok: false, reason: 'invalid' };
  }
  const expected = createHmac('sha256', secret).update(`${form.ts}.`).update(raw).digest();
  if (!sameHex(form.mac, expected)) return { ok: false, reason: 'invalid' };
  const t = Number(form.ts);
  const skew = opts.nowSeconds - t;
  if (Math.abs(skew) > opts.toleranceSeconds) return { ok: false, reason: 'expired', t, skew };
  return { ok: true, timestamped: true, t, mac: form.mac.toLowerCase() };
}

/**
 * The form of an `X-Signature` header, read without the body: `t=<digits>,sha256=<64 hex>` (in either
 * order, spaces after the comma allowed), the old `sha256=<64 hex>`, or undefined when it is neither
 * (missing, malformed). The web channel refuses a request whose header is no signature at all before
 * it reads (or, with `Expect: 100-continue`, asks for) the body.
 */
export function signatureHeader(header: string | undefined): { form: 'timestamped'; ts: string; mac: string } | { form: 'untimestamped'; mac: string } | undefined {
  const value = (header ?? '').trim();
  const old = /^sha256=([0-9a-fA-F]{64})$/.exec(value);
  if (old) return { form: 'untimestamped', mac: old[1]! };
  const parts = new Map<string, string>();
  for (const part of value.split(',')) {
    const m = /^\s*(t|sha256)=([^\s,]+)\s*$/.exec(part);
    if (!m || parts.has(m[1]!)) return undefined;
    parts.set(m[1]!, m[2]!);
  }
  const ts = parts.get('t');
  const mac = parts.get('sha256');
  if (ts === undefined || mac === undefined || !/^\d{1,15}$/.test(ts) || !/^[0-9a-fA-F]{64}$/.test(mac)) return undefined;
  return { form: 'timestamped', ts, mac };
}

/** Client-supplied idempotency key: printable, 1–200 characters. */
export function parseIdempotencyKey(header: string | undefined): string | undefined {
  if (header === undefined) return undefined;
  const key = header.trim();
  if (key === '' || key.length > 200 || !/^[\x21-\x7E]+$/.test(key)) {
    throw new AduanError('INPUT.INVALID', { field: 'Idempotency-Key', detail: 'use 1 to 200 printable ASCII characters' });
  }
  // (the channel's own message ids: a key like them could stand for a form message, and take its receipt page)
  if (/^(form|signed)-/i.test(key)) {
    throw new AduanError('INPUT.INVALID', { field: 'Idempotency-Key', detail: "may not begin with 'form-' or 'signed-' (the channel's own message ids)" });
  }
  return key;
}

/**
 * Read a request body, keeping at most `limit` bytes. A longer one is still read to its end (and dropped)
 * up to `drainMax` bytes, so that the browser, still sending, gets the answer page; `drained` false when
 * reading stopped before the end (answer with `Connection: close`). Rejects (type 'request.aborted')
 * when the client goes away.
 */
export function readLimited(req: IncomingMessage, limit: number, drainMax: number): Promise<{ body: Buffer; over: boolean; drained: boolean }> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let kept = 0;
    let seen = 0;
    const finish = (drained: boolean): void => {
      req.off('data', onData);
      req.off('end', onEnd);
      req.off('error', onError);
      req.off('aborted', onAborted);
      resolve({ body: Buffer.concat(chunks), over: seen > limit, drained });
    };
    const onData = (chunk: Buffer): void => {
      seen += chunk.length;
      if (kept < limit) {
        const part = chunk.subarray(0, limit - kept);
        chunks.push(part);
        kept += part.length;
      }
      if (seen > drainMax) {
        req.pause();
        finish(false);
      }
    };
    const onEnd = (): void => finish(true);
    const onError = (err: Error): void => reject(Object.assign(err, { type: 'request.aborted' }));
    const onAborted = (): void => reject(Object.assign(new Error('request aborted'), { type: 'request.aborted' }));
    req.on('data', onData);
    req.on('end', onEnd);
    req.on('error', onError);
    req.on('aborted', onAborted);
  });
}

/**
 * The fields of the start of a form-encoded body that was cut off: complete fields as sent, the last one
 * up to where it was cut (an escape or a character cut in half is dropped, never shown as "\uFFFD").
 */
export function cutFormFields(prefix: Buffer): { fields: Record<string, string>; last: string | undefined } {
  const text = prefix.toString('utf8').replace(/\uFFFD+$/, '').replace(/%[0-9A-Fa-f]?$/, '');
  const fields: Record<string, string> = {};
  let last: string | undefined;
  for (const [k, v] of new URLSearchParams(text)) {
    fields[k] = v.replace(/\uFFFD+$/, '');
    last = k;
  }
  return { fields, last };
}
