import { parsePhoneNumberFromString, type CountryCode } from 'libphonenumber-js';

/**
 * Normalise a phone number to E.164 (`0812…` → `+62812…` with region ID). Returns null when the
 * input is not a plausible phone number, so callers decide whether that is an input error.
 */
export function toE164(raw: string, region: string): string | null {
  const cleaned = raw.trim();
  if (cleaned === '' || cleaned.length > 32) return null;
  const parsed = parsePhoneNumberFromString(cleaned, region as CountryCode);
  if (!parsed || !parsed.isPossible()) return null;
  return parsed.number;
}
