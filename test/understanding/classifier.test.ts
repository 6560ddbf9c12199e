import { describe, expect, it } from 'vitest';
import { Classifier } from '../../core/understanding/classifier.ts';
import { classifierFeatures, predict, predictClassifier } from '../../core/understanding/linear.ts';

const clf = new Classifier();

describe('classifier (committed model)', () => {
  it('calls spam only at spamMin or above; below it the next most likely label wins (spam is never forwarded)', () => {
    const text = 'Slot gacor hari ini, deposit 10rb bonus 100%, daftar sekarang';
    const sure = new Classifier(undefined, { spamMin: 0 }).classify(text);
    expect(sure.label).toBe('spam');
    const strict = new Classifier(undefined, { spamMin: Math.min(1, sure.confidence + 0.01) }).classify(text);
    expect(strict.label).not.toBe('spam');
    expect(strict.confidence).toBe(Math.max(...['complaint', 'statement', 'question'].map((l) => sure.probabilities[l] ?? 0)));
    expect(strict.features.some((f) => f.startsWith('spam<'))).toBe(true);
  });

  it.each([
    ['Jalan di depan rumah saya rusak parah dan berlubang sudah sebulan, mohon segera diperbaiki.', 'complaint'],
    ['lampu pju di gang kami mati udh 2 minggu, tlg dong', 'complaint'],
    ['Dalane rusak banget, tulung didandani pak', 'complaint'],
    ['The street lights on our road have been broken for weeks, please fix them.', 'complaint'],
    ['Kapan tumpukan sampah di depo Kotagede diangkut? Sudah seminggu bau sekali.', 'complaint'],
    ['Terima kasih, lampunya sudah menyala lagi. Pelayanannya cepat.', 'statement'],
    ['PUAS', 'statement'],
    ['Syarat mengurus akta kelahiran apa saja ya?', 'question'],
    ['Mama minta pulsa 50rb ke nomor ini dulu ya, penting', 'spam'],
    ['Selamat! Nomor anda memenangkan undian 100 juta. Klaim di bit.ly/hadiah', 'spam'],
    ['Slot gacor hari ini, deposit 10rb bonus 100%, daftar sekarang', 'spam'],
    ['Pinjaman dana tunai cair 5 menit tanpa jaminan, hub WA 081234567890', 'spam'],
  ])('%s → %s', (text, label) => {
    const r = clf.classify(text);
    expect(r.label).toBe(label);
    expect(r.confidence).toBeGreaterThan(0.5);
    expect(r.features.length).toBeGreaterThan(0);
  });

  it('explains its decision with named features', () => {
    const r = clf.classify('air pdam mati tiga hari, mohon segera ditangani');
    expect(r.label).toBe('complaint');
    expect(r.features.some((f) => f.startsWith('w:') || f.startsWith('b:') || f.startsWith('lex:'))).toBe(true);
  });

  it('sends an empty text to a human', () => {
    expect(clf.classify('   ').confidence).toBe(0);
  });

  it('takes a message that says nothing yet for a statement, not a complaint to forward', () => {
    // the committed model alone calls most of these complaints (its bias is tuned for complaint recall)
    for (const t of ['P', 'pak?', 'Min', 'tes', 'Assalamualaikum wr wb', "Assalamu'alaikum", 'Permisi', 'Hallo DPRD', 'Selamat pagi pak', 'Mau lapor', 'Sy mau lapor pak', '??']) {
      expect(clf.classify(t), t).toMatchObject({ label: 'statement', features: ['shape:opener'] });
    }
    // a word about a problem, a place or a question is content
    for (const t of ['Pak, jalan rusak', 'Mau lapor banjir', 'tolong PJU mati', 'pak kapan PPDB dibuka?']) {
      expect(clf.classify(t).features, t).not.toContain('shape:opener');
    }
  });
});

describe('fast scorer', () => {
  it('gives the same probabilities as the generic feature-vector path', () => {
    for (const text of ['jalan rusak parah, tlg diperbaiki!!', 'Mama minta pulsa 50rb', 'Terima kasih, PUAS', 'Kapan KTP saya jadi? sudah 3 bulan', 'rusak rusak rusak jalan jalan']) {
      const fast = predictClassifier(clf.model, text);
      const slow = predict(clf.model, classifierFeatures(text));
      expect(fast.label).toBe(slow.label);
      for (const [label, p] of Object.entries(slow.probabilities)) expect(fast.probabilities[label]).toBeCloseTo(p, 9);
    }
  });
});

describe('averaged training runs', () => {
  it('averages weights and biases of linear models (a feature missing from a run counts as 0)', async () => {
    const { averageModels } = await import('../../scripts/train.ts');
    const base = { version: 1 as const, kind: 'classifier', labels: ['a', 'b'], featureSet: 'classifier' as const };
    const m = averageModels([
      { ...base, bias: [1, -1], weights: { 'w:x': [2, 0], 'w:y': [0.004, 1] } },
      { ...base, bias: [0, 1], weights: { 'w:x': [0, 2] } },
    ]);
    expect(m.bias).toEqual([0.5, 0]);
    expect(m.weights['w:x']).toEqual([1, 1]);
    expect(m.weights['w:y']).toEqual([0.002, 0.5]);
  });
});
