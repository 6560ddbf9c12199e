/** Concatenation info from a User Data Header (hex, as Gammu stores it in `inbox.UDH`). */
export interface ConcatInfo {
  ref: number;
  total: number;
  seq: number;
}

/**
 * Find the concatenated-SMS information element: IEI 00 (8-bit ref, `050003<ref><total><seq>`)
 * or IEI 08 (16-bit ref, `060804<ref16><total><seq>`). Null when absent or malformed.
 */
export function parseConcatUdh(udhHex: string): ConcatInfo | null {
  if (udhHex === '' || !/^(?:[0-9a-fA-F]{2})+$/.test(udhHex)) return null;
  const b = Buffer.from(udhHex, 'hex');
  const udhl = b[0];
  if (udhl === undefined || udhl + 1 > b.length) return null;
  let i = 1;
  while (i + 1 < udhl + 1) {
    const iei = b[i] as number;
    const len = b[i + 1] as number;
    const data = b.subarray(i + 2, i + 2 + len);
    if (data.length < len) return null;
    if (iei === 0x00 && len === 3) {
      const [ref, total, seq] = data as unknown as [number, number, number];
      return valid({ ref, total, seq });
    }
    if (iei === 0x08 && len === 4) {
      return valid({ ref: data.readUInt16BE(0), total: data[2] as number, seq: data[3] as number });
    }
    i += 2 + len;
  }
  return null;
}

function valid(c: ConcatInfo): ConcatInfo | null {
  return c.total >= 1 && c.seq >= 1 && c.seq <= c.total ? c : null;
}

/** UDH hex for part `seq` of `total` with 8-bit reference `ref` (what SMSD itself writes). */
export function concatUdh(ref: number, total: number, seq: number): string {
  return Buffer.from([0x05, 0x00, 0x03, ref & 0xff, total, seq]).toString('hex').toUpperCase();
}
