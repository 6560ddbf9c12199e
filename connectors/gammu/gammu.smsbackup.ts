import { decodeHexUcs2 } from './gammu.ucs2.ts';
import { parseConcatUdh } from './gammu.udh.ts';

/** One `[SMSBackupNNN]` section = one physical SMS part. */
export interface SmsBackupPart {
  number: string | undefined;
  pdu: string | undefined;
  coding: string | undefined;
  udh: string;
  /** Decoded text; null for 8-bit (binary) parts. */
  text: string | null;
  /** `DateTime` or `Sent` as written (`20021201T025023`, optionally with `Z`). */
  dateTime: string | undefined;
}

/** Strip the quotes Gammu writes around string values. */
function unquote(v: string): string {
  const t = v.trim();
  return t.length >= 2 && t.startsWith('"') && t.endsWith('"') ? t.slice(1, -1) : t;
}

/**
 * Parse an smsbackup file (what SMSD writes with InboxFormat=detail). Text comes from the
 * `TextNN` hex lines (UCS-2BE for Default and Unicode coding), never from the decorative comments.
 * Throws on malformed hex.
 */
export function parseSmsBackup(content: string): SmsBackupPart[] {
  const parts: SmsBackupPart[] = [];
  let cur: Map<string, string> | undefined;
  const flush = (): void => {
    if (!cur) return;
    const coding = cur.get('coding');
    const textKeys = [...cur.keys()].filter((k) => /^text\d+$/.test(k)).sort((a, b) => Number(a.slice(4)) - Number(b.slice(4)));
    const hex = textKeys.map((k) => cur?.get(k) ?? '').join('');
    parts.push({
      number: cur.has('number') ? unquote(cur.get('number') as string) : undefined,
      pdu: cur.get('pdu'),
      coding,
      udh: cur.get('udh') ?? '',
      text: coding?.toLowerCase() === '8bit' ? null : decodeHexUcs2(hex),
      dateTime: cur.get('datetime') ?? cur.get('sent'),
    });
  };
  for (const raw of content.split(/\r?\n/)) {
    const line = raw.trim();
    if (line === '' || line.startsWith(';') || line.startsWith('#')) continue;
    if (line.startsWith('[')) {
      flush();
      cur = /^\[SMSBackup/i.test(line) ? new Map() : undefined;
      continue;
    }
    const eq = line.indexOf('=');
    if (!cur || eq < 0) continue;
    cur.set(line.slice(0, eq).trim().toLowerCase(), line.slice(eq + 1).trim());
  }
  flush();
  return parts;
}

/** The parts of one message in sequence order (by the UDH concatenation element when present), with that sequence number. */
export function orderBackupParts(parts: readonly SmsBackupPart[]): (SmsBackupPart & { seq: number })[] {
  return parts
    .map((p, i) => ({ p, i, seq: parseConcatUdh(p.udh)?.seq ?? i + 1 }))
    .sort((a, b) => a.seq - b.seq || a.i - b.i)
    .map((x) => ({ ...x.p, seq: x.seq }));
}
