import { describe, expect, it } from 'vitest';
import type { DivisionConfig } from '../../core/config/schema.ts';
import path from 'node:path';
import { readFileSync } from 'node:fs';
import { parse as parseYaml } from 'yaml';
import { loadModel, MODEL_DIR } from '../../core/understanding/classifier.ts';
import { predict, predictTopic, topicFeatures } from '../../core/understanding/linear.ts';
import { Router } from '../../core/understanding/routing.ts';
import { SLANG, tokenize } from '../../core/understanding/normalize.ts';
import { loadDivisions } from '../../scripts/eval.ts';
import { ROOT } from '../../scripts/train.ts';

const div = (id: string, keywords: string[], isDefault = false): DivisionConfig => ({ id, name: id, inbox: `${id}@dprd.test`, staff: [], keywords, default: isDefault });

describe('router', () => {
  const router = new Router(loadDivisions());

  it('routes by the shipped YAML keywords', () => {
    expect(router.route('air pdam mati tiga hari').divisionId).toBe('komisi-b');
    expect(router.route('KTP saya belum jadi tiga bulan').divisionId).toBe('komisi-a');
    expect(router.route('lampu pju mati di gang').divisionId).toBe('komisi-c');
    expect(router.route('anak saya tidak diterima PPDB zonasi').divisionId).toBe('komisi-d');
  });

  it('routes English complaints by their own keywords, not by a landmark or a street the topic model knows', () => {
    // "Malioboro" and "market" pull the topic model to Komisi B (markets, street vendors)
    expect(router.route('The streetlights on Jalan Malioboro near the market have been off for a week, please fix them.')).toMatchObject({ divisionId: 'komisi-c', by: 'keyword' });
    expect(router.route('The water bill doubled this month but our usage is the same').divisionId).toBe('komisi-b');
    expect(router.route('My daughter was rejected in the school admission zoning although we live close').divisionId).toBe('komisi-d');
    expect(router.route('The village officer asked for a bribe to process my ID card').divisionId).toBe('komisi-a');
  });

  it('routes Javanese complaints, ngoko and krama, by their own keywords', () => {
    expect(router.route('Nyuwun sewu, lampu mergi ing Jalan Tamansiswa sampun seminggu mboten murub. Mugi enggal dipundandosi.')).toMatchObject({ divisionId: 'komisi-c', by: 'keyword' });
    expect(router.route('uwuh neng pinggir kali ra tau diangkut, mambu banget')).toMatchObject({ divisionId: 'komisi-c', by: 'keyword' });
    expect(router.route('Toyanipun mboten mili sampun tigang dinten, tagihan toya tetep mindhak')).toMatchObject({ divisionId: 'komisi-b', by: 'keyword' });
    expect(router.route('Pelayanan kemantren suwe banget, ngurus surat wae seminggu ra rampung')).toMatchObject({ divisionId: 'komisi-a', by: 'keyword' });
  });

  it('the demo configuration (what the quick start and `aduan classify` read) routes with the shipped divisions', () => {
    const demo = parseYaml(readFileSync(path.join(ROOT, 'config', 'aduan.example.yaml'), 'utf8')) as { divisions: unknown };
    expect(demo.divisions).toEqual(parseYaml(readFileSync(path.join(ROOT, 'config', 'divisions.yaml'), 'utf8')).divisions);
  });

  it('an explicit keyword rule wins over the topic model', () => {
    // the topic model says komisi-c for street lights; the sysadmin's rule says otherwise
    const custom = new Router([div('penerangan', ['lampu']), div('komisi-c', []), div('humas', [], true)]);
    const r = custom.route('lampu jalan mati, gelap sekali di malam hari');
    expect(r).toMatchObject({ divisionId: 'penerangan', by: 'keyword' });
  });

  it('uses the topic model for paraphrases without a keyword', () => {
    const noKeywords = new Router([div('komisi-a', []), div('komisi-b', []), div('komisi-c', []), div('komisi-d', []), div('humas', [], true)]);
    const r = noKeywords.route('Aspal di kampung kami mengelupas dan bolong-bolong, motor sering terjatuh');
    expect(r).toMatchObject({ divisionId: 'komisi-c', by: 'topic' });
  });

  it('falls back to the default division when nobody is sure', () => {
    const r = new Router([div('komisi-c', ['jalan rusak']), div('humas', [], true)], { topicModel: null }).route('halo selamat pagi');
    expect(r).toMatchObject({ divisionId: 'humas', by: 'default' });
  });

  it('does not take a document number given as identification for the topic', () => {
    const r = router.route('NIK 3471012345678901 KK 3471019876543210, mohon bantuan sosial untuk keluarga kami');
    expect(r).toMatchObject({ divisionId: 'komisi-d', by: 'keyword' });
    expect(router.route('KTP saya belum jadi tiga bulan')).toMatchObject({ divisionId: 'komisi-a', by: 'keyword' });
  });

  it('has no keyword the normaliser turns into a common word (smp -> sampai, sma -> sama)', () => {
    expect(router.route('sampai sekarang sama saja').by).not.toBe('keyword');
  });

  it('no shipped keyword is rewritten by the slang map into a different everyday word', () => {
    const everyday = new Set(Object.values(SLANG));
    const bad = loadDivisions().flatMap((d) => d.keywords).filter((k) => {
      const t = tokenize(k);
      return !k.includes(' ') && t.length === 1 && t[0] !== k && everyday.has(t[0]!);
    });
    expect(bad).toEqual([]);
  });

  it('a longer phrase outweighs a shared single word', () => {
    expect(router.route('pkl liar di trotoar').divisionId).toBe('komisi-a');
  });

  it('ignores a keyword that only names a landmark', () => {
    const r = router.route('jalan rusak berlubang depan sekolah');
    expect(r.divisionId).toBe('komisi-c');
  });
});

describe('topic fast scorer', () => {
  it('gives the same probabilities as the generic feature-vector path', () => {
    const model = loadModel(path.join(MODEL_DIR, 'topic.json'));
    for (const text of ['Aspal di kampung kami mengelupas', 'BPJS ibu saya tiba-tiba nonaktif', 'tagihan air naik 3x lipat, pdam pdam', 'x']) {
      const fast = predictTopic(model, text);
      const slow = predict(model, topicFeatures(text));
      expect(fast.label).toBe(slow.label);
      for (const [label, p] of Object.entries(slow.probabilities)) expect(fast.probabilities[label]).toBeCloseTo(p, 9);
    }
  });
});
