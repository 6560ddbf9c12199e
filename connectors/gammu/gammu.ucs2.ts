/** UTF-16BE / UCS-2 hex decoding shared by the inbox formats and the SQL backend. */

/**
 * Decode the UTF-16 big-endian bytes of one SMS part (odd length → throw). An unpaired surrogate is
 * kept as it is: a phone that splits a long text by 16-bit units can put the first half of an emoji
 * at the end of one part and the second half at the start of the next, and the halves join again
 * once the parts are put together; whatever stays unpaired becomes U+FFFD in normalizeText.
 */
export function decodeUtf16be(bytes: Uint8Array): string {
  if (bytes.length % 2 !== 0) throw new Error(`odd number of UTF-16 bytes (${bytes.length})`);
  let out = '';
  const units: number[] = [];
  for (let i = 0; i < bytes.length; i += 2) {
    units.push(((bytes[i] as number) << 8) | (bytes[i + 1] as number));
    if (units.length === 4096) {
      out += String.fromCharCode(...units);
      units.length = 0;
    }
  }
  return out + String.fromCharCode(...units);
}

/** Decode Gammu's SQL `Text` column: UCS-2BE hex (4 hex digits per char) for Default/Unicode coding. */
export function decodeHexUcs2(hex: string): string {
  if (!/^(?:[0-9a-fA-F]{4})*$/.test(hex)) throw new Error('Text is not UCS-2 hex');
  return decodeUtf16be(Buffer.from(hex, 'hex'));
}

/** Whether a text holds a surrogate without its other half (an emoji cut between two SMS parts). */
export function hasLoneSurrogate(text: string): boolean {
  return LONE_SURROGATE.test(text);
}

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/**
 * Join the texts of one message's parts in order. Halves of an emoji at the edge between two
 * consecutive parts join again; across a missing part they are not each other's halves (they would
 * make up a different emoji), so each becomes U+FFFD.
 */
export function joinPartTexts(parts: readonly { seq: number; text: string }[]): string {
  let out = '';
  let prevSeq: number | undefined;
  for (const p of parts) {
    let text = p.text;
    if (prevSeq !== undefined && p.seq !== prevSeq + 1) {
      out = out.replace(/[\uD800-\uDBFF]$/, '\uFFFD');
      text = text.replace(/^[\uDC00-\uDFFF]/, '\uFFFD');
    }
    out += text;
    prevSeq = p.seq;
  }
  return out;
}
