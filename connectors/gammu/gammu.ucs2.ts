/** Strict UTF-16BE / UCS-2 hex decoding shared by the inbox formats and the SQL backend. */

/** Decode UTF-16 big-endian bytes strictly (odd length or unpaired surrogates → throw). */
export function decodeUtf16be(bytes: Uint8Array): string {
  if (bytes.length % 2 !== 0) throw new Error(`odd number of UTF-16 bytes (${bytes.length})`);
  const swapped = Buffer.from(bytes);
  swapped.swap16();
  return new TextDecoder('utf-16le', { fatal: true }).decode(swapped);
}

/** Decode Gammu's SQL `Text` column: UCS-2BE hex (4 hex digits per char) for Default/Unicode coding. */
export function decodeHexUcs2(hex: string): string {
  if (!/^(?:[0-9a-fA-F]{4})*$/.test(hex)) throw new Error('Text is not UCS-2 hex');
  return decodeUtf16be(Buffer.from(hex, 'hex'));
}
