import twilio from 'twilio';
import { gsm7Typography, splitText } from '../../core/templates.ts';

export type TwilioParams = Record<string, string | string[]>;

/**
 * Parse an `application/x-www-form-urlencoded` body into the params the signature covers: every
 * key, blank values kept, repeated keys as arrays (the validator sorts and de-duplicates them).
 */
export function parseFormBody(raw: string): TwilioParams {
  const out: TwilioParams = {};
  for (const [k, v] of new URLSearchParams(raw)) {
    const prev = out[k];
    if (prev === undefined) out[k] = v;
    else out[k] = Array.isArray(prev) ? [...prev, v] : [prev, v];
  }
  return out;
}

/** First value of a param. */
export function one(params: TwilioParams, key: string): string | undefined {
  const v = params[key];
  return Array.isArray(v) ? v[0] : v;
}

/**
 * Check X-Twilio-Signature against the configured public URL (what Twilio signed — behind a proxy
 * the local URL differs), with the twilio package, for the current and an optional previous token
 * (token rotation). The package also tries the port/encoding variants Twilio's backend produces.
 */
export function verifyTwilioSignature(opts: {
  authTokens: readonly string[];
  signature: string | undefined;
  url: string;
  params: TwilioParams;
  settingsHeader?: string | undefined;
}): boolean {
  if (opts.signature === undefined || opts.signature === '') return false;
  const algorithm = twilio.getSignatureAlgorithm?.(opts.settingsHeader ?? null);
  // a `#ct=…&rc=…` connection-override fragment may or may not be part of what Twilio signed
  const hash = opts.url.indexOf('#');
  const urls = hash < 0 ? [opts.url] : [opts.url, opts.url.slice(0, hash)];
  for (const token of opts.authTokens) {
    if (token === '') continue;
    for (const url of urls) {
      try {
        if (twilio.validateRequest(token, opts.signature, url, opts.params, algorithm)) return true;
      } catch {
        // an unsupported algorithm or malformed URL is a failed validation
      }
    }
  }
  return false;
}

/** The URL Twilio signed: the configured public URL, plus the request's query string if it has one. */
export function signedUrl(publicUrl: string, originalUrl: string): string {
  const q = originalUrl.indexOf('?');
  if (q < 0 || publicUrl.includes('?')) return publicUrl;
  const hash = publicUrl.indexOf('#');
  return hash < 0 ? publicUrl + originalUrl.slice(q) : publicUrl.slice(0, hash) + originalUrl.slice(q) + publicUrl.slice(hash);
}

/** Status callbacks (MessageStatus / non-"received" SmsStatus) are not complaints. */
export function isStatusCallback(params: TwilioParams): boolean {
  const ms = one(params, 'MessageStatus');
  const ss = one(params, 'SmsStatus');
  return ms !== undefined || (ss !== undefined && ss !== 'received');
}

/** Media items `MediaUrl{N}` / `MediaContentType{N}`, N < NumMedia (they come unordered in the body). */
export function mediaItems(params: TwilioParams, max: number): { url: string; contentType: string; index: number }[] {
  const n = Math.min(Number.parseInt(one(params, 'NumMedia') ?? '0', 10) || 0, 10, max);
  const items: { url: string; contentType: string; index: number }[] = [];
  for (let i = 0; i < n; i++) {
    const url = one(params, `MediaUrl${i}`);
    if (url === undefined || !/^https?:\/\//.test(url)) continue;
    items.push({ url, contentType: (one(params, `MediaContentType${i}`) ?? 'application/octet-stream').toLowerCase().slice(0, 255), index: i });
  }
  return items;
}

export const EMPTY_TWIML = '<?xml version="1.0" encoding="UTF-8"?><Response/>';

/** Twilio refuses a Body over 1600 characters (error 21617). */
export const TWILIO_BODY_MAX = 1600;

/** A reply as Twilio bodies of at most `max` characters, in order (core/templates.ts splitText). */
export const splitTwilioBody = (text: string, max = TWILIO_BODY_MAX): string[] => splitText(text, max);

/**
 * The messages a reply goes out as. By SMS the text is first written as GSM-7 where it can be (curly
 * quotes, dashes, "…" from Outlook: one alone makes the whole SMS UCS-2, 70 characters a segment
 * instead of 160, two to three times the price), then split: the parts, their number in the status
 * callback (`part=i&parts=n`) and a retry's count of parts already sent all follow the text as sent.
 * On WhatsApp (Unicode, priced per message) the text goes as written.
 */
export const twilioBodies = (text: string, whatsapp: boolean): string[] => splitTwilioBody(whatsapp ? text : gsm7Typography(text));
