import { createHmac, timingSafeEqual } from 'node:crypto';

export type SignatureCheck = { ok: true } | { ok: false; reason: 'missing' | 'malformed' | 'stale' | 'mismatch' };

/** `hex(HMAC-SHA256(signingKey, rawBody + X-Timestamp))`, as capcom6's PayloadSigningPlugin computes it. */
export function capcomSignature(signingKey: string, rawBody: Buffer, timestamp: string): string {
  return createHmac('sha256', Buffer.from(signingKey, 'utf8')).update(rawBody).update(Buffer.from(timestamp, 'utf8')).digest('hex');
}

/**
 * Verify a capcom6 webhook: signature over the raw bytes (never re-serialised JSON), compared in
 * constant time, and a timestamp within `maxSkewSeconds` of now (replays of old requests fail).
 */
export function verifyCapcomSignature(
  signingKey: string,
  rawBody: Buffer,
  timestamp: string | undefined,
  signature: string | undefined,
  nowSeconds: number,
  maxSkewSeconds: number,
): SignatureCheck {
  if (timestamp === undefined || signature === undefined || timestamp === '' || signature === '') return { ok: false, reason: 'missing' };
  if (!/^\d{1,12}$/.test(timestamp) || !/^[0-9a-fA-F]{64}$/.test(signature)) return { ok: false, reason: 'malformed' };
  const expected = Buffer.from(capcomSignature(signingKey, rawBody, timestamp), 'hex');
  const given = Buffer.from(signature, 'hex');
  // compare before the clock check, so timing does not tell which of the two failed
  const match = given.length === expected.length && timingSafeEqual(given, expected);
  if (Math.abs(nowSeconds - Number(timestamp)) > maxSkewSeconds) return { ok: false, reason: 'stale' };
  return match ? { ok: true } : { ok: false, reason: 'mismatch' };
}
