/**
 * Case numbers as people type them. The canonical form is `ADU-2026-000123` (instance.casePrefix, the
 * year, a six-digit sequence: cases.repo.ts nextCaseNumber); a citizen on a phone writes
 * "adu 2026 123" or "ADU2026000123".
 */

/** A case number written in full, with any prefix (also one an earlier instance.casePrefix made). */
export const CASE_NUMBER = /\b([A-Z]{2,8}-\d{4}-\d{6})\b/;

/**
 * The case number a text names, in canonical form: with this instance's prefix in any case and with
 * any or no separators ("adu 2026 123" → ADU-2026-000123); another prefix only written in full.
 */
export function namedCaseNumber(text: string, prefix: string): string | undefined {
  const typed = new RegExp(`(?<![\\p{L}\\p{N}])${prefix}[\\s._/-]*(20\\d{2})[\\s._/-]*(\\d{1,7})(?!\\p{N})`, 'iu').exec(text);
  return typed ? `${prefix}-${typed[1]}-${typed[2]!.padStart(6, '0')}` : CASE_NUMBER.exec(text)?.[1];
}

/**
 * A case number an officer typed (a CLI argument, the admin API's path), in canonical form: as citizens'
 * messages are read (namedCaseNumber) — any case, spaces, dots, slashes or nothing instead of the dashes,
 * the sequence without its leading zeros ("adu 2026 1", "Adu.2026.1", "adu2026000001" → ADU-2026-000001)
 * — and with any prefix (a number an earlier instance.casePrefix gave: "lap 2025 7" → LAP-2025-000007),
 * the whole text being the number (brackets or quotes around it, as copied from a mail's subject, and a
 * full stop after it are left out). Undefined for text that is no case number.
 */
export function typedCaseNumber(typed: string): string | undefined {
  const m = /^([A-Za-z]{2,8})[\s._/-]*(\d{4})[\s._/-]*(\d{1,7})$/.exec(typed.trim().replace(/^["'([<#]+|["')\]>.,;:]+$/g, ''));
  return m ? `${m[1]!.toUpperCase()}-${m[2]}-${m[3]!.padStart(6, '0')}` : undefined;
}

/**
 * The text without the case numbers it names ("ADU-2026-000123 PUAS", "adu 2026 123: belum", "Nomor
 * ADU2026000123 tidak puas" → "PUAS", "belum", "tidak puas"): what a citizen says about the case, for
 * reading a verdict written after the number, as they are asked to name it.
 */
export function withoutCaseNumbers(text: string, prefix: string): string {
  const number = `(?:${prefix}[\\s._/-]*20\\d{2}[\\s._/-]*\\d{1,7}|[A-Z]{2,8}-\\d{4}-\\d{6})`;
  return text.replace(new RegExp(`(?<![\\p{L}\\p{N}])(?:(?:nomor|no\\.?|aduan)\\s*:?\\s*)?${number}(?!\\p{N})[\\s:;,.)-]*`, 'giu'), ' ').trim();
}

/**
 * The example case number citizens are shown ("contoh: DPRD-2026-000123"): this instance's prefix, the year
 * and a six-digit sequence — as long as a number of that prefix and year gets (until the 1,000,000th case).
 */
export function exampleCaseNumber(prefix: string, year: number): string {
  return `${prefix}-${year}-000123`;
}

/** Year of `now` in the instance timezone (a case filed at 00:30 WIB on 1 January is the new year's). */
export function yearIn(now: Date, timezone: string): number {
  return Number(new Intl.DateTimeFormat('en', { timeZone: timezone, year: 'numeric' }).format(now));
}
