// `aduan doctor`: what the repeat settings do, in one line.
import type { AduanConfig } from '../core/config/schema.ts';

/** How reports of one problem reach the division and are answered (dedupe.shareResults, digestMinutes, joinSimilarity). */
export function repeatsLine(config: Pick<AduanConfig, 'dedupe'>): string {
  const d = config.dedupe;
  if (!d.shareResults) return 'repeats: every report forwarded and answered on its own (dedupe.shareResults false; dedupe.digestMinutes does not apply)';
  return d.digestMinutes > 0
    ? `repeats: one answer per problem; a later report at least ${d.joinSimilarity} similar joins the open report and reaches the division in a digest at most every ${d.digestMinutes} min`
    : 'repeats: one answer per problem; every report forwarded in its own mail (dedupe.digestMinutes 0)';
}
