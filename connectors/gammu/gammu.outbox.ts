import { gsm7Length } from '../../core/templates.ts';

export type GammuCoding = 'Default_No_Compression' | 'Unicode_No_Compression';

/** Texts longer than one SMS are split like a phone does: 153 septets / 67 UCS-2 units per part. */
export function splitSms(text: string): { coding: GammuCoding; parts: string[] } {
  if (gsm7Length(text) !== null) {
    if ((gsm7Length(text) as number) <= 160) return { coding: 'Default_No_Compression', parts: [text] };
    const parts: string[] = [];
    let cur = '';
    let len = 0;
    for (const ch of text) {
      const w = gsm7Length(ch) as number;
      if (len + w > 153) {
        parts.push(cur);
        cur = '';
        len = 0;
      }
      cur += ch;
      len += w;
    }
    if (cur !== '') parts.push(cur);
    return { coding: 'Default_No_Compression', parts };
  }
  if (text.length <= 70) return { coding: 'Unicode_No_Compression', parts: [text] };
  const parts: string[] = [];
  let cur = '';
  for (const ch of text) {
    // a surrogate pair counts two units and is never split across parts
    if (cur.length + ch.length > 67) {
      parts.push(cur);
      cur = '';
    }
    cur += ch;
  }
  if (cur !== '') parts.push(cur);
  return { coding: 'Unicode_No_Compression', parts };
}

/** Recipient as SMSD accepts it in a file name: `+` and digits only. */
export function outboxRecipient(phone: string): string | null {
  const r = phone.replace(/[\s().-]/g, '');
  return /^\+?\d{3,20}$/.test(r) ? r : null;
}

/**
 * Outbox file name `OUT<priority><date>_<time>_<serial>_<recipient>_<note>.txt`. Priority A so
 * acknowledgements go before bulk traffic; the note (our outbox id) lets us see a file was written.
 */
export function outboxFileName(recipient: string, note: string, at: Date, serial = 0): string {
  const p = (n: number, w = 2): string => String(n).padStart(w, '0');
  const date = `${at.getUTCFullYear()}${p(at.getUTCMonth() + 1)}${p(at.getUTCDate())}`;
  const time = `${p(at.getUTCHours())}${p(at.getUTCMinutes())}${p(at.getUTCSeconds())}`;
  const safeNote = note.replace(/[^A-Za-z0-9-]/g, '').slice(0, 40) || 'aduan';
  return `OUTA${date}_${time}_${p(serial % 100)}_${recipient}_${safeNote}.txt`;
}

/**
 * Outbox file content. SMSD splits long texts itself (whole file = one message). Plain ASCII is
 * written as is; anything else as FE FF + UTF-16BE, because the "standard" format depends on the
 * daemon's locale, which is C/POSIX under most init scripts.
 */
export function outboxFileContent(text: string): Buffer {
  // eslint-disable-next-line no-control-regex -- ASCII range check
  if (/^[\u0000-\u007f]*$/.test(text)) return Buffer.from(text, 'latin1');
  const le = Buffer.from(text, 'utf16le');
  le.swap16();
  return Buffer.concat([Buffer.from([0xfe, 0xff]), le]);
}
