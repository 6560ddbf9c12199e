import { parsePhoneNumberFromString, type CountryCode } from 'libphonenumber-js';

/**
 * Normalise a phone number to E.164 (`0812…` → `+62812…` with region ID). Returns null when the
 * input is not a plausible phone number, so callers decide whether that is an input error.
 */
export function toE164(raw: string, region: string): string | null {
  const cleaned = raw.trim();
  if (cleaned === '' || cleaned.length > 32) return null;
  const key = `${region}|${cleaned}`;
  const known = cache.get(key);
  if (known !== undefined) return known;
  const parsed = parsePhoneNumberFromString(cleaned, region as CountryCode);
  const result = parsed && parsed.isPossible() ? parsed.number : null;
  // Parsing costs tens of µs; senders repeat (replies, panic repeats), so keep a small bounded cache.
  if (cache.size >= CACHE_MAX) cache.delete(cache.keys().next().value!);
  cache.set(key, result);
  return result;
}

const CACHE_MAX = 5_000;
const cache = new Map<string, string | null>();
