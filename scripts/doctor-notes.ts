// `aduan doctor`: what the repeat settings do, in one line.
import type { AduanConfig } from '../core/config/schema.ts';
import { YOGYAKARTA_PLACES } from '../core/understanding/places-yogyakarta.ts';

/** How reports of one problem reach the division and are answered (dedupe.shareResults, digestMinutes, joinSimilarity, problemSimilarity). */
export function repeatsLine(config: Pick<AduanConfig, 'dedupe'>): string {
  const d = config.dedupe;
  // the same problem in other words (dedupe.problemSimilarity): linked, but always forwarded on its own
  const byProblem = d.problemSimilarity > 0
    ? `; the same problem in other words (a shared named place, problem words ${d.problemSimilarity} alike) is linked too, forwarded and answered on its own`
      + ` (places read without a place word: ${YOGYAKARTA_PLACES.length} names of Kota Yogyakarta${d.placeNames.length > 0 ? ` + ${d.placeNames.length} from dedupe.placeNames` : ''})`
    : '; texts only (dedupe.problemSimilarity 0)';
  if (!d.shareResults) return `repeats: every report forwarded and answered on its own (dedupe.shareResults false; dedupe.digestMinutes does not apply)${byProblem}`;
  return (d.digestMinutes > 0
    ? `repeats: one answer per problem; a later report at least ${d.joinSimilarity} similar joins the open report and reaches the division in a digest at most every ${d.digestMinutes} min`
    : 'repeats: one answer per problem; every report forwarded in its own mail (dedupe.digestMinutes 0)') + byProblem;
}
