/**
 * The real-data repeat measurement of `npm run eval` (scripts/eval-repeats.ts), on messages written
 * here: re-sent copies of a complaint (retweets, with and without the link) are found and linked to
 * the chain of the first, a different problem on the same street is not, and a re-sent statement is
 * not counted as findable.
 */
import { describe, expect, it } from 'vitest';
import { measureRepeats, silverKey } from '../../scripts/eval-repeats.ts';
import { loadDivisions } from '../../scripts/eval.ts';

const ROAD = 'Jalan di depan SD Cikutra rusak parah dan berlubang, sudah dua motor jatuh minggu ini. Mohon segera diperbaiki';

describe('repeats measured on re-sent texts', () => {
  it('normalises as the data sets\' PROVENANCE does: retweet prefix, mentions, links and punctuation go', () => {
    expect(silverKey(`RT @warga_satu: ${ROAD}! @dbmpkotabdg http://t.co/abc1`)).toBe(silverKey(`${ROAD} @dbmpkotabdg`));
    expect(silverKey(ROAD)).not.toBe(silverKey(ROAD.replace('Cikutra', 'Dago')));
  });

  it('counts the re-sent complaints intake links, and the other messages it links anyway', () => {
    const texts = [
      `${ROAD} @dbmpkotabdg http://t.co/abc1`,
      `RT @warga_satu: ${ROAD} @dbmpkotabdg http://t.co/abc1`,
      `RT @warga_dua: ${ROAD} @dbmpkotabdg`,
      // the same street, another problem: not a repeat
      'Lampu jalan di depan SD Cikutra mati sejak seminggu, gelap sekali kalau malam. Mohon dinyalakan',
      // a statement sent twice: no repeat is looked for, so it is not findable
      'Terima kasih, lampunya sudah menyala lagi. Pelayanannya cepat.',
      'Terima kasih, lampunya sudah menyala lagi. Pelayanannya cepat!',
    ];
    const rows = texts.map((text, i) => ({ text, at: new Date(Date.UTC(2015, 10, 2, 8, i)).toISOString() }));
    const f = measureRepeats(rows, loadDivisions());
    expect(f).toMatchObject({ rows: 6, resent: 3, findable: 2, found: 2, foundSameText: 2, missedLookedUp: 0, others: 3, linkedOthers: 0, linkedOthersAnnotated: 0 });
    // four complaints forwarded: the three road reports are one chain, so one answer (dedupe.shareResults), and the street light
    expect(f).toMatchObject({ forwardedCases: 4, forwardedAnswers: 2, chains: 1, chainsSplit: 0 });
    // and two forward mails: the road's later reports joined its first and reach the division in one digest (dedupe.digestMinutes)
    expect(f).toMatchObject({ forwardMails: 2, digestMails: 1, joinedReports: 2 });
    // a reworded report is linked too; the set's annotation (topic, place) says whether it is the same problem
    const reworded = [
      { text: ROAD, annotation: 'jalan rusak | cikutra' },
      { text: `${ROAD}. Terima kasih banyak`, annotation: 'jalan rusak | cikutra' },
      { text: `${ROAD}. Terima kasih sekali`, annotation: 'drainase | cikutra' },
      { text: `${ROAD}. Matur nuwun` },
    ].map((r, i) => ({ ...r, at: new Date(Date.UTC(2015, 10, 2, 8, i)).toISOString() }));
    // the differently annotated one is a near-identical text: it joined the first report (no forward of its own)
    expect(measureRepeats(reworded, loadDivisions())).toMatchObject({ resent: 0, others: 4, linkedOthers: 3, linkedOthersAnnotated: 2, linkedOthersSameAnnotation: 1, linkedOthersDifferentJoined: 1, joinedReports: 3 });
    // out of the recurring window (90 days) a re-sent text is not findable
    const late = measureRepeats([rows[0]!, { ...rows[1]!, at: new Date(Date.UTC(2016, 5, 1)).toISOString() }], loadDivisions());
    expect(late).toMatchObject({ resent: 1, findable: 0, found: 0 });
  });

  it('counts the triage decisions left: one per text and report chain, since settling one settles its copies', () => {
    // a suggestion the model calls a statement but may be a complaint (classifier.complaintDoubtAbove): triage
    const SUGGESTION = 'Saran saja, sebaiknya halte di Jalan Solo diberi atap.';
    const texts = [SUGGESTION, SUGGESTION, SUGGESTION, 'Usul saja, sebaiknya halte di Jalan Solo diberi atap.', ROAD];
    const f = measureRepeats(texts.map((text, i) => ({ text, at: new Date(Date.UTC(2015, 10, 2, 8, i)).toISOString() })), loadDivisions());
    expect(f).toMatchObject({ triageCases: 4, triageDecisions: 2 });
  });
});
