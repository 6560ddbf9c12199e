/**
 * Decoders for Gammu SMSD inbox file contents. `InboxFormat=unicode` writes FE FF then UTF-16BE;
 * `standard` writes the daemon's locale charset (UTF-8 on any sane system; Latin-1 under the
 * C/POSIX locale of old init scripts, where non-ASCII is mangled anyway).
 */

export type DecodedPart =
  | { kind: 'text'; text: string; encoding: 'utf-16be' | 'utf-16le' | 'utf-8' | 'latin1' }
  | { kind: 'binary'; hex: string }
  | { kind: 'invalid'; reason: string };

/** Decode UTF-16 big-endian bytes strictly (odd length or unpaired surrogates → throw). */
export function decodeUtf16be(bytes: Uint8Array): string {
  if (bytes.length % 2 !== 0) throw new Error(`odd number of UTF-16 bytes (${bytes.length})`);
  const swapped = Buffer.from(bytes);
  swapped.swap16();
  return new TextDecoder('utf-16le', { fatal: true }).decode(swapped);
}

/** Decode one inbox file's bytes by its extension and BOM. */
export function decodeInboxContent(buf: Buffer, ext: 'txt' | 'bin'): DecodedPart {
  if (ext === 'bin') return { kind: 'binary', hex: buf.subarray(0, 2048).toString('hex') };
  try {
    if (buf.length >= 2 && buf[0] === 0xfe && buf[1] === 0xff) return { kind: 'text', text: decodeUtf16be(buf.subarray(2)), encoding: 'utf-16be' };
    if (buf.length >= 2 && buf[0] === 0xff && buf[1] === 0xfe) {
      if ((buf.length - 2) % 2 !== 0) throw new Error('odd number of UTF-16 bytes');
      return { kind: 'text', text: new TextDecoder('utf-16le', { fatal: true }).decode(buf.subarray(2)), encoding: 'utf-16le' };
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

/** Decode Gammu's SQL `Text` column: UCS-2BE hex (4 hex digits per char) for Default/Unicode coding. */
export function decodeHexUcs2(hex: string): string {
  if (!/^(?:[0-9a-fA-F]{4})*$/.test(hex)) throw new Error('Text is not UCS-2 hex');
  return decodeUtf16be(Buffer.from(hex, 'hex'));
}
