import { describe, expect, it } from 'vitest';
import { repeatsLine } from '../../scripts/doctor-notes.ts';
import { testConfig } from '../helpers/config.ts';
import { YOGYAKARTA_PLACES } from '../../core/understanding/places-yogyakarta.ts';

describe('aduan doctor: the repeat settings', () => {
  it('says in one line how reports of one problem reach the division and are answered', () => {
    expect(repeatsLine(testConfig({}))).toBe('repeats: one answer per problem; a later report at least 0.85 similar joins the open report and reaches the division in a digest at most every 60 min'
      + '; the same problem in other words (a shared named place, problem words 0.7 alike) is linked too, forwarded and answered on its own'
      + ` (places read without a place word: ${YOGYAKARTA_PLACES.length} names of Kota Yogyakarta)`);
    expect(repeatsLine(testConfig({ dedupe: { placeNames: ['Sidikan', 'Griya Asri'] } }))).toMatch(/ of Kota Yogyakarta \+ 2 from dedupe.placeNames\)$/);
    expect(repeatsLine(testConfig({ dedupe: { problemSimilarity: 0 } }))).toContain('; texts only (dedupe.problemSimilarity 0)');
    expect(repeatsLine(testConfig({ dedupe: { digestMinutes: 0 } }))).toContain('every report forwarded in its own mail (dedupe.digestMinutes 0)');
    // the digest needs shared answers: without them its setting does not apply, and doctor says so
    expect(repeatsLine(testConfig({ dedupe: { shareResults: false } }))).toMatch(/^repeats: every report forwarded and answered on its own \(dedupe.shareResults false; dedupe.digestMinutes does not apply\); the same problem/);
  });
});
