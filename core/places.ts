/**
 * Place numbers in a message: the models and the repeat hash see every number as `xnum`, but
 * "Jalan Kaliurang km 5" and "km 12", or RT 03 and RT 07, are different places, so two reports
 * that differ only there are not the same problem (DESIGN §5: a repeat is the same concrete problem).
 */

/**
 * Words after which a number names the place of a problem: km on a road, RT/RW (a neighbourhood of a
 * few dozen households), alley, block. Not house numbers: neighbours reporting the same blocked
 * drain each give their own.
 */
const PLACE_NUMBER_RE = /\b(km|rt|rw|gg|gang|blok|kav|kavling)\s*\.?\s*:?\s*0*(\d{1,4})\b/g;
const PLACE_CUE: Readonly<Record<string, string>> = { gang: 'gg', kavling: 'kav' };

/** The place numbers of a text, e.g. ["km:5", "rt:3", "rw:5"]. */
export function placeNumbers(text: string): string[] {
  const t = text.normalize('NFC').toLowerCase();
  if (!/\d/.test(t)) return [];
  const out = new Set<string>();
  for (const m of t.matchAll(PLACE_NUMBER_RE)) out.add(`${PLACE_CUE[m[1]!] ?? m[1]}:${Number(m[2])}`);
  return [...out].sort();
}

/** Two texts name different places: for some place word (km, RT, RW, alley …) both give a number, and no number in common. */
export function placesConflict(a: readonly string[], b: readonly string[]): boolean {
  if (a.length === 0 || b.length === 0) return false;
  const cues = (xs: readonly string[]): Map<string, Set<string>> => {
    const m = new Map<string, Set<string>>();
    for (const x of xs) { const [cue, n] = x.split(':') as [string, string]; m.set(cue, (m.get(cue) ?? new Set()).add(n)); }
    return m;
  };
  const ca = cues(a), cb = cues(b);
  for (const [cue, ns] of ca) {
    const other = cb.get(cue);
    if (other && ![...ns].some((n) => other.has(n))) return true;
  }
  return false;
}
