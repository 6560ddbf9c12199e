/**
 * The citizen's status link: `<publicUrl>/status/<case number>/<token>` on the web channel shows the
 * case's timeline without the status page's form.
 *
 * Its token is NOT the case's `token` column: that one is the secret in the case's staff reply address
 * (aduan+<case>.<token>@), which makes a division's `#selesai` count. A citizen — or whoever they
 * forward the link to — holding it could send a command with a forged From. The link's token is an
 * HMAC of the case number under that secret (96 bits shown): one-way, so the link tells nothing of the
 * reply address, and it needs no column of its own (every existing case has a link at once).
 */
import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import type { AduanConfig } from './config/schema.ts';
import { fitsOneSms, render } from './templates.ts';

/** Characters of the link's token (base64url: 16 × 6 = 96 bits). */
export const STATUS_TOKEN_LENGTH = 16;

/** The status link's token of a case. */
export function statusLinkToken(kase: { number: string; token: string }): string {
  return createHmac('sha256', kase.token).update(`aduan-status-link:${kase.number}`).digest('base64url').slice(0, STATUS_TOKEN_LENGTH);
}

/** Whether `given` is the case's link token, in time independent of where they differ (or of their lengths). */
export function isStatusLinkToken(kase: { number: string; token: string }, given: string): boolean {
  const a = createHash('sha256').update(given).digest();
  const b = createHash('sha256').update(statusLinkToken(kase)).digest();
  return timingSafeEqual(a, b);
}

/** The path of a case's status link on the web channel. */
export function statusLinkPath(kase: { number: string; token: string }): string {
  return `/status/${kase.number}/${statusLinkToken(kase)}`;
}

/** A web channel's `publicUrl` without its trailing slashes, or undefined. */
export function publicBase(channel: unknown): string | undefined {
  const url = (channel as { publicUrl?: unknown } | undefined)?.publicUrl;
  return typeof url === 'string' && url !== '' ? url.replace(/\/+$/, '') : undefined;
}

/**
 * Where links for citizens point: the first enabled web channel with a `publicUrl`, else `instance.publicUrl`
 * (the older key, "the web channel's public base URL") when a web channel is enabled; none, no links.
 */
export function statusLinkBase(config: Pick<AduanConfig, 'channels'> & { instance?: { publicUrl?: string | undefined } }): string | undefined {
  const web = config.channels.filter((c) => c.type === 'web' && c.enabled);
  for (const c of web) {
    const base = publicBase(c);
    if (base) return base;
  }
  return web.length > 0 ? publicBase(config.instance) : undefined;
}

/** The full status link of a case, or undefined when no web channel has a `publicUrl`. */
export function statusUrl(config: Pick<AduanConfig, 'channels'> & { instance?: { publicUrl?: string | undefined } }, kase: { number: string; token: string }): string | undefined {
  const base = statusLinkBase(config);
  return base === undefined ? undefined : `${base}${statusLinkPath(kase)}`;
}

/** The SMS / chat acknowledgements (core/intake.ts and a case rescued from spam). */
export type ShortAck = 'ackShort' | 'ackHeldShort' | 'ackRecurringShort' | 'ackDuplicateShort' | 'ackStatementShort' | 'ackOpenerShort';

/**
 * A short acknowledgement as `channel` sends it. Every one may carry {statusUrl} by a template
 * override (SMS: opt-in, the defaults do not); a Telegram acknowledgement of a report that goes on to
 * staff gets the link on a line of its own (ackLinkShort) unless its text has it already. Not a
 * statement's or an opener's: nothing follows there to watch.
 */
export function shortAckText(config: Pick<AduanConfig, 'channels' | 'templates'> & { instance?: { publicUrl?: string | undefined } }, kase: { number: string; token: string }, template: ShortAck, channel: string, note = ''): string {
  const url = statusUrl(config, kase) ?? '';
  // (a note — attachments not kept — goes with the text, before the link's own line; on SMS only when the
  // acknowledgement stays one SMS with it: the division's mail names the files not kept)
  const body = render(template, { caseNumber: kase.number, statusUrl: url }, config.templates);
  const text = note === '' || (channel === 'sms' && !fitsOneSms(`${body} ${note}`)) ? body : `${body} ${note}`;
  if (url === '' || channel !== 'telegram' || template === 'ackStatementShort' || template === 'ackOpenerShort' || text.includes(url)) return text;
  const link = render('ackLinkShort', { statusUrl: url }, config.templates).trim();
  return link === '' ? text : `${text}\n${link}`;
}
