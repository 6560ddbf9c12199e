// `aduan messages`: the messages recorded on no case — a citizen's question about a case they have none of
// (relation `unmatched`, answered "Nomor … tidak ditemukan untuk nomor Anda"), auto-replies and bounces
// (`ignored`) — which `cases list` and `cases show` never show. For the desk asked "I asked about my report
// and was told the number was not found": when, on which channel, what was written.
import { AduanError } from '../core/errors.ts';
import type { AduanConfig } from '../core/config/schema.ts';
import type { Db } from '../core/db/client.ts';
import { startOfLocalDay } from '../core/lifecycle/calendar.ts';
import { maskPii } from '../core/logger.ts';
import { toE164 } from '../core/phone.ts';
import { findContacts } from '../core/repo/contacts.repo.ts';
import { caselessMessages, CASELESS_RELATIONS, type CaselessMessage, type CaselessRelation } from '../core/repo/messages.repo.ts';

export interface MessagesOptions {
  unmatched?: boolean;
  ignored?: boolean;
  since?: string;
  phone?: string;
  email?: string;
  limit: string;
  json?: boolean;
}

/** How much of a message's text a line shows. */
const TEXT_SHOWN = 100;

/** The sender as the logs show it: a phone's last three digits, an e-mail's first letter and domain, a Telegram chat's last three digits. */
export function maskedSender(s: CaselessMessage['sender']): string {
  if (s.phone) return maskPii(s.phone);
  if (s.email) return maskPii(s.email);
  if (s.telegramChatId) return `telegram ***${s.telegramChatId.slice(-3)}`;
  return '-';
}

/** `--since`: a local day (YYYY-MM-DD, from its midnight in instance.timezone) or an ISO time; the instant as ISO. */
export function sinceInstant(since: string, timezone: string): string {
  const day = /^(\d{4})-(\d{2})-(\d{2})$/.exec(since);
  if (day) {
    const d = new Date(Date.UTC(Number(day[1]), Number(day[2]) - 1, Number(day[3])));
    if (d.getUTCMonth() === Number(day[2]) - 1 && d.getUTCDate() === Number(day[3])) return startOfLocalDay(since, timezone).toISOString();
  } else if (/^\d{4}-\d{2}-\d{2}T/.test(since) && !Number.isNaN(Date.parse(since))) {
    return new Date(since).toISOString();
  }
  throw new AduanError('INPUT.INVALID', { field: '--since', detail: `"${since}": a day as YYYY-MM-DD (from its midnight, local time), e.g. 2026-11-01, or a time as 2026-11-01T08:00:00+07:00` });
}

/** A time as the operator reads it in a list: local date and minute, "2026-11-01 08:05". */
const localTime = (iso: string, timeZone: string): string =>
  new Intl.DateTimeFormat('sv-SE', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).format(new Date(iso));

/** The lines (or JSON) `aduan messages` prints for these options. */
export function listMessages(config: Readonly<AduanConfig>, db: Db, o: MessagesOptions): string {
  const relations: CaselessRelation[] = o.unmatched || o.ignored ? CASELESS_RELATIONS.filter((r) => (r === 'unmatched' ? o.unmatched : o.ignored)) : [...CASELESS_RELATIONS];
  const limit = Number(o.limit);
  if (!Number.isSafeInteger(limit) || limit < 1) throw new AduanError('INPUT.INVALID', { field: '--limit', detail: `"${o.limit}": a whole number of messages, 1 or more` });
  const since = o.since === undefined ? undefined : sinceInstant(o.since, config.instance.timezone);
  let contactIds: number[] | undefined;
  if (o.phone !== undefined || o.email !== undefined) {
    const phone = o.phone === undefined ? undefined : toE164(o.phone, config.instance.phoneRegion);
    if (phone === null) throw new AduanError('INPUT.INVALID', { field: '--phone', detail: `"${o.phone}" is no phone number (e.g. 081234567890 or +6281234567890)` });
    contactIds = findContacts(db, { ...(phone !== undefined ? { phone } : {}), ...(o.email !== undefined ? { email: o.email } : {}) }).map((c) => c.id);
  }
  const rows = caselessMessages(db, { relations, limit, ...(since !== undefined ? { since } : {}), ...(contactIds !== undefined ? { contactIds } : {}) });
  if (o.json) {
    return JSON.stringify(rows.map(({ sender, ...m }) => ({ ...m, sender: maskedSender(sender) })), null, 2);
  }
  const which = relations.join(' or ');
  if (rows.length === 0) return `no ${which} message recorded without a case${o.since === undefined ? '' : ` since ${o.since}`}`;
  const lines = rows.map((m) => {
    const text = (m.subject ? `${m.subject} | ${m.text}` : m.text).replace(/\s+/g, ' ').trim();
    const shown = text.length > TEXT_SHOWN ? `${text.slice(0, TEXT_SHOWN)}…` : text;
    return `${localTime(m.recordedAt, config.instance.timezone)}  ${m.connectorId.padEnd(12)} ${maskedSender(m.sender).padEnd(22)} ${m.relation.padEnd(9)} ${shown}`;
  });
  const more = rows.length === limit ? `; the newest ${limit} shown, --limit <n> shows more` : '';
  lines.push(`${rows.length} message(s) recorded without a case (${which}; times in ${config.instance.timezone})${more}`);
  return lines.join('\n');
}
