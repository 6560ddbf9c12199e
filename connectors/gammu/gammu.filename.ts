import { zonedIso } from '../sms/sms.common.ts';

/** A parsed Gammu SMSD inbox file name (`IN<date>_<time>_<serial>_<sender>_<part>.<ext>`). */
export interface GammuInboxName {
  name: string;
  /** The name without `_<part>.<ext>`: identical for every part of one message when times agree. */
  base: string;
  date: string;
  time: string;
  serial: number;
  /** As written by SMSD (sanitised: `*`→`X`, `<>:"/\|?` and control chars → `_`); may contain `_`. */
  sender: string;
  part: number;
  ext: 'txt' | 'bin' | 'smsbackup';
  /** SMSC timestamp of the part, as ISO with the instance timezone's offset. */
  timestampIso: string;
  /** Same instant in epoch ms, for grouping parts. */
  timestampMs: number;
}

/**
 * Anchored at both ends because the sender may itself contain `_` (sanitised characters,
 * alphanumeric senders): date, time and serial are taken from the left, part and ext from the right.
 */
const INBOX_NAME = /^IN(\d{4})(\d{2})(\d{2})_(\d{2})(\d{2})(\d{2})_(\d{2})_(.+)_(\d{2})\.(txt|bin|smsbackup)$/s;

/** Parse an inbox file name; null when it is not a Gammu inbox name (or names an impossible date). */
export function parseInboxName(name: string, timeZone: string): GammuInboxName | null {
  const m = INBOX_NAME.exec(name);
  if (!m) return null;
  const [, y, mo, d, h, mi, s, serial, sender, part, ext] = m as unknown as [string, string, string, string, string, string, string, string, string, string, 'txt' | 'bin' | 'smsbackup'];
  if (sender.length > 64) return null;
  const iso = zonedIso(Number(y), Number(mo), Number(d), Number(h), Number(mi), Number(s), timeZone);
  if (iso === null) return null;
  return {
    name,
    base: `IN${y}${mo}${d}_${h}${mi}${s}_${serial}_${sender}`,
    date: `${y}${mo}${d}`,
    time: `${h}${mi}${s}`,
    serial: Number(serial),
    sender,
    part: Number(part),
    ext,
    timestampIso: iso,
    timestampMs: Date.parse(iso),
  };
}

/** Whether a name looks like it was meant to be an inbox file (so a parse failure is quarantined, not ignored). */
export function looksLikeInboxFile(name: string): boolean {
  return name.startsWith('IN') && !name.startsWith('.');
}
