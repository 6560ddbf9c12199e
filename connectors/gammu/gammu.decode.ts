import { orderBackupParts, parseSmsBackup } from './gammu.smsbackup.ts';
import { decodeUtf16be, joinPartTexts } from './gammu.ucs2.ts';

export { decodeHexUcs2, decodeUtf16be } from './gammu.ucs2.ts';

/**
 * Decoders for Gammu SMSD inbox file contents, one part at a time: half an emoji at a part's edge is
 * kept (decodeUtf16be) so that it joins its other half when the parts are put together.
 * `InboxFormat=unicode` writes FE FF then UTF-16BE;
 * `standard` writes the daemon's locale charset (UTF-8 on any sane system; Latin-1 under the
 * C/POSIX locale of old init scripts, where non-ASCII is mangled anyway).
 */

export type DecodedPart =
  | { kind: 'text'; text: string; encoding: 'utf-16be' | 'utf-16le' | 'utf-8' | 'latin1' | 'smsbackup' }
  | { kind: 'binary'; hex: string }
  | { kind: 'invalid'; reason: string };

/** Decode one inbox file's bytes by its extension and BOM. */
export function decodeInboxContent(buf: Buffer, ext: 'txt' | 'bin' | 'smsbackup'): DecodedPart {
  if (ext === 'bin') return { kind: 'binary', hex: buf.subarray(0, 2048).toString('hex') };
  if (ext === 'smsbackup') return decodeSmsBackupFile(buf);
  try {
    if (buf.length >= 2 && buf[0] === 0xfe && buf[1] === 0xff) return { kind: 'text', text: decodeUtf16be(buf.subarray(2)), encoding: 'utf-16be' };
    if (buf.length >= 2 && buf[0] === 0xff && buf[1] === 0xfe) {
      if ((buf.length - 2) % 2 !== 0) throw new Error('odd number of UTF-16 bytes');
      return { kind: 'text', text: decodeUtf16be(Buffer.from(buf.subarray(2)).swap16()), encoding: 'utf-16le' };
    }
  } catch (err) {
    return { kind: 'invalid', reason: `invalid UTF-16: ${(err as Error).message}` };
  }
  try {
    return { kind: 'text', text: new TextDecoder('utf-8', { fatal: true }).decode(buf), encoding: 'utf-8' };
  } catch {
    return { kind: 'text', text: buf.toString('latin1'), encoding: 'latin1' };
  }
}

/**
 * InboxFormat=detail: one smsbackup file holds every part of the message. Delivery reports
 * (PDU Status_Report) and 8-bit parts are not citizen text.
 */
function decodeSmsBackupFile(buf: Buffer): DecodedPart {
  let parts;
  try {
    parts = orderBackupParts(parseSmsBackup(buf.toString('latin1')));
  } catch (err) {
    return { kind: 'invalid', reason: `smsbackup: ${(err as Error).message}` };
  }
  if (parts.length === 0) return { kind: 'invalid', reason: 'smsbackup file without [SMSBackup] section' };
  if (parts.some((p) => p.pdu?.toLowerCase() === 'status_report')) return { kind: 'invalid', reason: 'smsbackup holds a delivery report, not a message' };
  if (parts.some((p) => p.text === null)) return { kind: 'binary', hex: buf.subarray(0, 2048).toString('hex') };
  return { kind: 'text', text: joinPartTexts(parts.map((p) => ({ seq: p.seq, text: p.text as string }))), encoding: 'smsbackup' };
}
