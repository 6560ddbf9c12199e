import { describe, expect, it } from 'vitest';
import { cleanText, normalize, tokenize } from '../../core/understanding/normalize.ts';

describe('normalize', () => {
  it('keeps negations and request words (no stopword list)', () => {
    const t = tokenize('Lampu jalan TIDAK menyala, belum diperbaiki. Mohon tolong harus segera!');
    for (const w of ['tidak', 'belum', 'mohon', 'tolong', 'harus']) expect(t).toContain(w);
  });

  it('expands SMS abbreviations and slang to the same words', () => {
    expect(normalize('jln rusak tdk diperbaiki, tlg dong yg bnr')).toBe('jalan rusak tidak diperbaiki tolong dong yang benar');
    expect(normalize('gak ada lampu, sdh lapor dgn RT krn blm nyala')).toBe('tidak ada lampu sudah lapor dengan rt karena belum nyala');
    expect(tokenize('ga')).toEqual(['tidak']);
    expect(tokenize('nggak')).toEqual(['tidak']);
  });

  it('lowercases, applies NFC and squeezes repeated letters', () => {
    expect(normalize('PARAHHHH bangettt')).toBe('parah banget');
    expect(normalize('Cafe\u0301')).toBe('café');
    expect(normalize('tolonggg')).toBe('tolong');
  });

  it('reads a dotted capital İ as i, not as a break inside the word ("TİDAK" is "tidak")', () => {
    expect(tokenize('TİDAK ADA AİR')).toEqual(['tidak', 'ada', 'air']);
    expect(normalize('JALAN RUSAK TİDAK DİPERBAİKİ')).toBe(normalize('jalan rusak tidak diperbaiki'));
  });

  it('masks URLs, e-mail addresses, phone numbers, money and numbers', () => {
    const t = cleanText('klik https://bit.ly/x atau hub 0812-3456-7890 / +62 812 3456 7890, email a@b.co.id, Rp 50.000 dan 3 hari');
    expect(t).toContain('xurl');
    expect(t).toContain('xphone');
    expect(t).toContain('xemail');
    expect(t).toContain('xmoney');
    expect(t).toContain('xnum');
    expect(t).not.toMatch(/\d/);
    // a link with a scheme but no dot (a spammer's shortened host) is a link too
    expect(cleanText('klaim hadiah di https://hadiahvip sekarang')).toBe(cleanText('klaim hadiah di https://hadiah.vip sekarang'));
    expect(cleanText('klaim hadiah di https://hadiahvip sekarang')).toContain('xurl');
  });

  it('takes words that name members of a JavaScript object as plain words (an English mail about a constructor)', () => {
    expect(tokenize('The constructor toString hasOwnProperty __proto__ valueOf')).toEqual(['the', 'constructor', 'tostring', 'hasownproperty', '__proto__', 'valueof']);
  });

  it('folds Indonesian reduplication written with 2 or a dash', () => {
    expect(normalize('anak2 dan lampu-lampu')).toBe('anak dan lampu');
  });

  it('a long text whose runs never reach an @, a domain dot or a money unit is read in linear time (it was quadratic: 400 KB took minutes)', () => {
    // (`aduan classify` reads any length from stdin; an e-mail body is cut only after it is read)
    const dots = 'a.'.repeat(200_000) + ' @';
    expect(tokenize(dots)).toEqual(Array.from({ length: 200_000 }, () => 'a'));
    const dashes = 'a-'.repeat(200_000) + ' .';
    expect(tokenize(dashes)).toHaveLength(200_000);
    expect(tokenize('1.'.repeat(200_000) + ' x')).toEqual(['xnum', 'x']);
    // and the masks still work at their sizes
    expect(tokenize('kirim ke budi.santoso+aduan@mail.example.id, lihat dprd.jogjakota.go.id, biaya Rp 1.250.000 atau 50rb')).toEqual(
      ['kirim', 'ke', 'xemail', 'lihat', 'dprd', 'jogjakota', 'xurl', 'biaya', 'xmoney', 'atau', 'xmoney']);
  });
});
