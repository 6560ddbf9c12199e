/**
 * Writes the project's own labelled corpus to config/corpus/*.jsonl (committed).
 *
 *   npx tsx scripts/corpus/generate.ts
 *
 * Templates × the problem table (scripts/corpus/problems.ts) in five registers, plus hand-written
 * lines (scripts/corpus/hand.ts) for hard cases. Deterministic (seeded). Every row carries a
 * `split`: about 15 % is held out for evaluation (by a hash of the text, so it never moves).
 */
import { createHash } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { PLACES, PROBLEMS, type Problem } from './problems.ts';
import { HAND } from './hand.ts';

export interface CorpusRow {
  text: string;
  label: 'complaint' | 'statement' | 'question' | 'spam';
  division: string | null;
  lang: 'id' | 'sms' | 'jv' | 'kr' | 'en' | 'mix';
  source: 'template' | 'hand';
  split: 'train' | 'test';
}

let seed = 20260101;
function rnd(): number {
  seed |= 0; seed = (seed + 0x6d2b79f5) | 0;
  let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
  t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
}
function pick<T>(xs: readonly T[]): T { return xs[Math.floor(rnd() * xs.length)]!; }
function maybe(p: number, s: string): string { return rnd() < p ? s : ''; }
function fill(t: string, v: Record<string, string>): string {
  return t.replace(/\{(\w+)\}/g, (_, k: string) => v[k] ?? '').replace(/\s+([,.?!])/g, '$1').replace(/\s{2,}/g, ' ').trim();
}
function cap(s: string): string { return s.charAt(0).toUpperCase() + s.slice(1); }

const DUR_ID = ['sudah dua minggu', 'sejak sebulan lalu', 'sudah tiga hari', 'sudah berbulan-bulan', 'sejak awal tahun', 'sudah seminggu lebih', 'dari kemarin'];
const DUR_SMS = ['udh 2 mgg', 'dr kmrn', 'udh sebulan', 'udh 3 hr', 'dr thn lalu', 'udh lama bgt', 'seminggu ini'];
const DUR_JV = ['wis rong minggu', 'wiwit wingi', 'wis sesasi', 'wis suwe banget'];
const DUR_KR = ['sampun kalih minggu', 'wiwit kala wingi', 'sampun setunggal wulan', 'sampun dangu sanget'];
const DUR_EN = ['for two weeks', 'since last month', 'for three days', 'for months now'];
const GREET_ID = ['Yth. Bapak/Ibu Anggota DPRD Kota Yogyakarta,', 'Selamat pagi Bapak/Ibu,', 'Assalamualaikum wr. wb.', 'Kepada Yth. Sekretariat DPRD,', 'Dengan hormat,', 'Selamat siang.', ''];
const GREET_SMS = ['pagi min', 'min', 'permisi', 'slmt siang', 'halo', 'assalamualaikum', 'pak dewan', ''];
const REQ_ID = ['Mohon segera ditindaklanjuti.', 'Mohon perhatian dan tindak lanjutnya.', 'Kami berharap segera ada perbaikan.', 'Tolong segera ditangani sebelum ada korban.', 'Mohon dinas terkait segera turun tangan.', 'Warga sudah lapor ke kelurahan tetapi belum ada tindakan.', 'Harus segera diperbaiki.'];
const REQ_SMS = ['tlg dong', 'mohon ditindak', 'tolong diurus', 'gmn ini pak', 'kapan dibenerin', 'hrs cepet ditangani', 'udh lapor ga ada tindakan', 'please'];
const REQ_JV = ['tulung didandani', 'njaluk tulung ditindaki', 'piye iki pak', 'kapan arep dibenakke', 'ndang diurus'];
const REQ_KR = ['nyuwun tulung dipun tindaklanjuti', 'mugi enggal dipun dandosi', 'nyuwun pirsa kapan dipun dandosi', 'matur nuwun sanget menawi enggal dipun tangani'];
const REQ_EN = ['Please fix it as soon as possible.', 'Please take action.', 'Nobody has responded to our reports.', 'When will this be fixed?'];
const EFFECT = ['Sudah ada pengendara yang jatuh.', 'Warga sangat dirugikan.', 'Anak-anak jadi takut lewat.', 'Kami sangat resah.', 'Usaha kami jadi sepi.', ''];
const SIGN = ['Terima kasih.', 'Hormat saya, warga RT 04.', 'Salam, Budi', 'Wassalam.', 'Matur nuwun.', ''];

function loc(): string {
  const p = pick(PLACES);
  return rnd() < 0.25 ? `${p} RT ${1 + Math.floor(rnd() * 12)} RW ${1 + Math.floor(rnd() * 9)}` : p;
}

function complaint(p: Problem): CorpusRow {
  const r = rnd();
  const v = { loc: loc(), thing: p.thing, fix: p.fix };
  if (r < 0.28) {
    const t = pick([
      '{g} Saya ingin melaporkan {p} di {loc} {dur}. {eff} {req} {sign}',
      '{g} Di {loc} terdapat {p} {dur} dan belum ada penanganan. {req}',
      '{g} Kami warga {loc} mengeluhkan {p}. {eff} {req}',
      'Laporan: {p} di {loc}. Kondisi ini {dur} tidak ditangani. {req}',
      '{g} Mohon perhatian, {p} di sekitar {loc}. {req} {sign}',
      'Saya kecewa karena {p} di {loc} {dur} dibiarkan. {req}',
    ]);
    return row(fill(t, { ...v, g: pick(GREET_ID), p: pick(p.id), dur: pick(DUR_ID), eff: pick(EFFECT), req: pick(REQ_ID), sign: pick(SIGN) }), 'complaint', p.div, 'id');
  }
  if (r < 0.55) {
    const t = pick([
      '{g} {p} di {loc} {dur} {req}', '{p} {loc} {req}', '{g} {loc} {p}, {req}', '{p} di {loc}!! {dur} {req}',
      '{g} mo lapor {p} di {loc} {dur}', '{loc}: {p}. {req}', '{p} {dur} di {loc} ga ada yg ngurus',
    ]);
    const text = fill(t, { ...v, g: pick(GREET_SMS), p: pick(p.sms), dur: pick(DUR_SMS), req: pick(REQ_SMS) });
    return row(rnd() < 0.4 ? text.toLowerCase() : text, 'complaint', p.div, 'sms');
  }
  if (r < 0.66) {
    const t = pick(['{p} ing {loc} {dur}, {req}', 'Pak, {p} nang {loc}. {req}', '{loc} {p} {dur} ora ana sing ngurus', 'Lapor, {p} cedhak {loc}. {req}']);
    return row(fill(t, { ...v, p: pick(p.jv), dur: pick(DUR_JV), req: pick(REQ_JV) }), 'complaint', p.div, 'jv');
  }
  if (r < 0.76) {
    const t = pick(['Nyuwun sewu, {p} wonten {loc} {dur}. {req}', 'Sugeng enjing, kula badhe matur bilih {p} ing {loc}. {req}', 'Kula warga {loc} nyuwun pirsa, {p} {dur} dereng wonten tindakan. {req}']);
    return row(fill(t, { ...v, p: pick(p.kr), dur: pick(DUR_KR), req: pick(REQ_KR) }), 'complaint', p.div, 'kr');
  }
  if (r < 0.84) {
    const t = pick(['Hello, {p} near {loc} {dur}. {req}', 'I want to report that {p} at {loc}. {req}', 'Complaint: {p} in {loc}. {req}']);
    return row(fill(t, { ...v, p: pick(p.en), dur: pick(DUR_EN), req: pick(REQ_EN) }), 'complaint', p.div, 'en');
  }
  if (r < 0.92) {
    // complaint phrased as a question
    const t = pick([
      'Kapan {thing} di {loc} {fix}? Sudah {dur2} {p}.', 'Sampai kapan {p} di {loc} dibiarkan?', 'Apakah tidak ada yang peduli dengan {p} di {loc}?',
      'Knp {thing} di {loc} blm {fix} jg? {p2}', 'Pak, kenapa {p} di {loc} {dur} tidak ada tindakan?', 'Gmn sih pemkot, {p2} di {loc} kok dibiarin?',
    ]);
    return row(fill(t, { ...v, p: pick(p.id), p2: pick(p.sms), dur: pick(DUR_ID), dur2: pick(['dua minggu', 'sebulan', 'tiga hari', 'lama']) }), 'complaint', p.div, 'mix');
  }
  // wrapped in thanks / sarcasm
  const t = pick([
    'Terima kasih sebelumnya, tapi {p} di {loc} masih belum {fix} {dur}. Mohon dicek lagi.',
    'Makasih min udah respon, tp {p2} di {loc} sampai skrg msh sama aja',
    'Hebat sekali pemkot, {p} di {loc} {dur} dibiarkan begitu saja. Luar biasa.',
    'Mantap, {p2} di {loc} jadi wahana uji nyali warga. Kapan {fix}?',
    'Selamat ya, {p} di {loc} sudah ulang tahun. Belum juga {fix}.',
    'Matur nuwun sanget, nanging {p3} ing {loc} dereng {fix}.',
    'Saya apresiasi kerja dinas, namun {p} di {loc} belum tersentuh sama sekali. Mohon ditindaklanjuti.',
  ]);
  return row(fill(t, { ...v, p: pick(p.id), p2: pick(p.sms), p3: pick(p.kr), dur: pick(DUR_ID) }), 'complaint', p.div, 'mix');
}

const STATEMENT_T = [
  'Terima kasih, {thing} di {loc} sudah {fixed}. Pelayanannya cepat.', 'Matur nuwun, {thing} ing {loc} sampun {fixed}.',
  'makasih min {thing} di {loc} udh {fixed} 👍', 'Alhamdulillah {thing} di {loc} sudah {fixed}, terima kasih dinas terkait.',
  'Thank you, the {thingEn} at {loc} has been fixed.', 'Info: hari ini petugas sedang melakukan perbaikan {thing} di {loc}.',
  'Petugas sudah melakukan pembersihan {thing} di {loc} pagi ini, terima kasih atas laporannya.',
  'Kerja bakti warga {loc} membersihkan {thing} hari Minggu besok, mari ikut.', 'Saya lihat {thing} di {loc} sekarang sudah bagus.',
  'Sekadar info, kemarin saya lewat {loc} dan {thing} sudah {fixed}.', 'Wis apik saiki {thing} ing {loc}, matur nuwun.',
  'Saran saja, mungkin bagus kalau di {loc} ditambah taman kota.', 'Usul: bagaimana kalau ada festival kuliner di {loc}.',
  'Menurut saya penataan {loc} sekarang sudah lebih rapi.', 'Saya setuju dengan rencana pemkot menata {loc}.',
  'Laporan ADU sudah selesai, {thing} di {loc} sudah {fixed}. PUAS.', 'Tadi pagi macet di {loc} karena ada karnaval, seru juga.',
];
const FIXED = ['diperbaiki', 'dibersihkan', 'menyala lagi', 'diangkut', 'beres', 'ditangani'];

function statementT(): CorpusRow {
  const p = pick(PROBLEMS);
  const t = pick(STATEMENT_T);
  const lang = /matur|wis apik/i.test(t) ? 'jv' : /thank you/i.test(t) ? 'en' : /makasih min/.test(t) ? 'sms' : 'id';
  return row(fill(t, { thing: p.thing, thingEn: 'problem', loc: loc(), fixed: pick(FIXED) }), 'statement', null, lang);
}

const QUESTION_T = [
  'Bagaimana cara {q}?', 'Mau tanya, syarat {q} apa saja?', 'Permisi min, {q} bisa di mana ya?', 'Apakah {q} bisa dilakukan online?',
  'Berapa biaya {q}?', 'gmn cara {q} min?', 'Nyuwun pirsa, kados pundi carane {q}?', 'Piye carane {q}?',
  'How do I {qEn}?', 'Kapan jadwal {q2}?', 'Jam berapa {q2} dibuka?', 'Dimana lokasi {q2}?', 'Info {q2} dong min',
];
const Q = [
  { q: 'mengurus KTP elektronik', div: 'komisi-a' }, { q: 'membuat akta kelahiran', div: 'komisi-a' }, { q: 'mengurus pindah domisili', div: 'komisi-a' },
  { q: 'mengajukan izin usaha', div: 'komisi-a' }, { q: 'membayar PBB', div: 'komisi-b' }, { q: 'pasang baru PDAM', div: 'komisi-b' },
  { q: 'mendaftar bantuan UMKM', div: 'komisi-b' }, { q: 'mendaftar PPDB SMP', div: 'komisi-d' }, { q: 'mendaftar BPJS PBI', div: 'komisi-d' },
  { q: 'mendapat beasiswa dari pemkot', div: 'komisi-d' }, { q: 'mengajukan bantuan sosial', div: 'komisi-d' }, { q: 'mengajukan perbaikan jalan kampung', div: 'komisi-c' },
  { q: 'mengajukan pemasangan lampu jalan', div: 'komisi-c' }, { q: 'menyampaikan aspirasi ke DPRD', div: 'humas' }, { q: 'berkunjung ke gedung DPRD', div: 'humas' },
];
const Q2 = ['reses anggota dewan', 'pelayanan kantor DPRD', 'pendaftaran PPDB', 'pembagian sembako murah', 'vaksinasi di puskesmas', 'sidang paripurna', 'pasar murah', 'pelayanan Dukcapil keliling'];
const QEN = ['renew my ID card', 'register for school admission', 'contact my council member', 'apply for a business permit'];

function questionT(): CorpusRow {
  const t = pick(QUESTION_T);
  const q = pick(Q);
  const lang = /nyuwun|kados/i.test(t) ? 'kr' : /piye/i.test(t) ? 'jv' : /how do/i.test(t) ? 'en' : /gmn|min/.test(t) ? 'sms' : 'id';
  return row(fill(t, { q: q.q, q2: pick(Q2), qEn: pick(QEN) }), 'question', /\{q\}/.test(t) ? q.div : null, lang);
}

const PRIZE = ['Selamat! No. HP Anda terpilih mendapatkan hadiah {prize} dari {brand}. Info klaim hub {phone} atau kunjungi {url}',
  'PEMENANG UNDIAN {brand} {year}. Anda mendapat {prize} PIN pemenang {pin}. Cek di {url}',
  'Slmt nmr anda mndpt cek tunai {money} dr {brand}. U/ info hub {phone}',
  'Congratulations! You have won {prize}. Claim now at {url}'];
const MAMA = ['Mama minta pulsa {amt} ke nomor ini ya, penting. Nanti mama ganti.', 'Ini mama, nomor mama ganti. Tolong kirim pulsa {amt} dulu skrg ya nak',
  'Pa, tolong transfer {money} ke rek {rek} a.n. {name}, mama lagi di kantor polisi', 'Nak, ini ibu pakai hp teman. Tolong belikan pulsa {amt} ke no ini, nanti ibu ganti',
  'Kirim pulsa 20rb ke nomor ini dulu ya, mama lg di jalan hp lowbat', 'Bapak kena tilang, tlg tf {money} ke rekening {rek} skrg'];
const PHISH = ['Pelanggan Yth, akun BRImo Anda diblokir. Verifikasi data di {url} dalam 24 jam.', 'Tarif transfer BCA berubah jadi 150rb/bulan. Jika tidak setuju isi formulir {url}',
  'Paket Anda tertahan di gudang. Lihat resi pengiriman: {url} (download aplikasi)', 'Undangan pernikahan kami, silakan buka file APK berikut {url}',
  'Akun WhatsApp Anda akan dinonaktifkan. Kirim kode OTP 6 digit yang masuk ke nomor ini.', 'Tagihan listrik PLN Anda menunggak, bayar via link {url} agar tidak diputus.',
  'Kak ini foto tagihan belanja kamu, cek ya {url}', 'Your bank account is suspended. Verify now {url}'];
const PINJOL = ['Butuh dana cepat? Pinjaman tanpa jaminan cair 5 menit hanya modal KTP. Hub WA {phone}', 'Pinjaman online bunga rendah plafon s.d. {money}, proses 1 jam. Klik {url}',
  'DANA TUNAI cair hari ini tanpa BI checking, syarat KTP saja. Chat {phone}', 'Gali lubang tutup lubang? Kami bantu lunasi pinjol Anda. Hub {phone}',
  'Kredit macet? Sertifikat rumah bisa jadi dana {money}. Hubungi kami', 'Butuh modal usaha? KTA cair tanpa survey, bunga 0,5%. wa.me/{phonenum}'];
const JUDI = ['Slot gacor hari ini maxwin x500! Deposit {amt} bonus new member 100%. Daftar {url}', 'Situs judi online terpercaya, WD berapapun dibayar. Link alternatif {url}',
  'Main togel online diskon 66%, pasaran lengkap. Daftar {url}', 'BOCORAN RTP SLOT HARI INI 98%! Main di {url} pasti JP', 'Bandar bola resmi, cashback mingguan 10%. Hub WA {phone}',
  'Gabung sekarang di situs gacor {brand}88, depo pulsa tanpa potongan {url}'];
const PROMO = ['Paket internet 15GB hanya {money}/30 hari! Aktifkan di *363# sekarang.', 'Nikmati diskon 50% di {brand} khusus hari ini. Syarat & ketentuan berlaku. Info {url}',
  'Isi ulang {amt} dapat bonus nelpon 100 menit ke semua operator. Tekan *123#', 'Promo akhir tahun! Beli 1 gratis 1 semua menu. Berlaku s.d. 31 Des.',
  'Obat pelangsing herbal turun 10kg dalam seminggu, COD seluruh Indonesia. WA {phone}', 'Investasi emas untung 20% per bulan, dijamin aman. Gabung {url}',
  'Jual followers IG murah, 1000 followers {money}. Order {phone}', 'Kuota malam 30GB cuma {money}! Ketik UL ON kirim ke 3636',
  'Dapatkan cashback hingga {money} dengan belanja pakai e-wallet. Cek {url}', 'Rumah subsidi DP 0% lokasi strategis dekat kampus. Survey gratis hub {phone}',
  'Les privat masuk PTN dijamin lulus, daftar sekarang diskon 30%. {phone}', 'Kredit motor tanpa DP, cicilan ringan, proses cepat. Hubungi dealer {phone}'];
const SPAM_COMPLAINT = ['Keluhan jalan rusak? Jasa pengaspalan murah meriah hub {phone}', 'Capek antre di Dukcapil? Kami urus KTP dan KK kilat 1 hari, hub {phone}',
  'Pengaduan banjir? Jual pompa air murah garansi 1 tahun {url}', 'Lampu jalan mati? Jual lampu tenaga surya PJU harga pabrik {phone}',
  'Anak tidak lolos PPDB? Kami bantu masuk sekolah favorit jalur khusus, hub {phone}', 'Bermasalah dengan BPJS? Kami jual kartu sehat premium, klik {url}'];

function spamT(): CorpusRow {
  const fam = pick([PRIZE, MAMA, PHISH, PINJOL, JUDI, PROMO, PROMO, SPAM_COMPLAINT]);
  const phone = `08${Math.floor(rnd() * 9e9 + 1e9)}`;
  const text = fill(pick(fam), {
    prize: pick(['1 unit mobil Pajero', 'uang tunai 100 juta', 'sepeda motor', 'iPhone 15', 'voucher 5 juta']),
    brand: pick(['Telkomsel', 'Shopee', 'BRI', 'Indomaret', 'Lazada', 'Tokopedia', 'ALFAMART', 'MPO', 'Dana']),
    phone, phonenum: phone.replace(/^0/, '62'), url: pick(['bit.ly/klaim-hadiah', 'http://hadiah-undian.xyz', 'www.slotgacor88.vip', 'https://bri-verifikasi.site/login', 's.id/paketku', 'tinyurl.com/resi-jnt', 'https://promo.example.com']),
    year: pick(['2024', '2025', '2026']), pin: pick(['R4F2', 'G77X', 'WX9K']), money: pick(['Rp 25.000', 'Rp10jt', '50rb', 'Rp 50.000.000', 'Rp 99.000']),
    amt: pick(['50rb', '100rb', '25.000', '10rb']), rek: pick(['0123456789', '7788990011']), name: pick(['Andi Saputra', 'Sri Wahyuni']),
  });
  return row(rnd() < 0.2 ? text.toUpperCase() : text, 'spam', null, /won|account|Congratulations/.test(text) ? 'en' : 'id');
}

function row(text: string, label: CorpusRow['label'], division: string | null, lang: CorpusRow['lang'], source: CorpusRow['source'] = 'template'): CorpusRow {
  const h = createHash('sha1').update(text).digest();
  return { text, label, division: label === 'complaint' || label === 'question' ? division : null, lang, source, split: h[0]! % 100 < 15 ? 'test' : 'train' };
}

export function generate(): Record<string, CorpusRow[]> {
  const out: Record<string, CorpusRow[]> = { complaints: [], statements: [], questions: [], spam: [], hand: [] };
  const seen = new Set<string>();
  const add = (file: string, r: CorpusRow): void => {
    const key = r.text.toLowerCase();
    if (seen.has(key) || r.text.length === 0) return;
    seen.add(key);
    out[file]!.push(r);
  };
  for (let round = 0; round < 26; round++) for (const p of PROBLEMS) add('complaints', complaint(p));
  for (let i = 0; i < 500; i++) add('statements', statementT());
  for (let i = 0; i < 380; i++) add('questions', questionT());
  for (let i = 0; i < 520; i++) add('spam', spamT());
  for (const h of HAND) add('hand', row(h.text, h.label, h.division ?? null, h.lang ?? 'mix', 'hand'));
  return out;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === path.resolve(process.argv[1])) {
  const dir = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', '..', 'config', 'corpus');
  mkdirSync(dir, { recursive: true });
  const sets = generate();
  let total = 0;
  for (const [name, rows] of Object.entries(sets)) {
    writeFileSync(path.join(dir, `${name}.jsonl`), rows.map((r) => JSON.stringify(r)).join('\n') + '\n');
    total += rows.length;
    console.log(`${name}.jsonl: ${rows.length} rows`);
  }
  console.log(`total ${total}`);
}
