/**
 * Writes the project's own labelled corpus to config/corpus/*.jsonl (committed).
 *
 *   npx tsx scripts/corpus/generate.ts
 *
 * Templates × the problem table (scripts/corpus/problems.ts) in five registers, plus hand-written
 * lines (scripts/corpus/hand.ts) for hard cases, and routing-focused complaint-centre rows
 * (scripts/corpus/routing.ts, written to routing.jsonl). Deterministic (seeded). Every row carries a
 * `split`: about 15 % is held out for evaluation (by a hash of the text, so it never moves).
 */
import { createHash } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { LANDMARKS, PLACES, PROBLEMS, SERVICES, type Problem } from './problems.ts';
import { HAND } from './hand.ts';
import { routingRows } from './routing.ts';
import { generateSms } from './sms.ts';
import { socialRows } from './social.ts';
import { seededRandom } from './rng.ts';

export interface CorpusRow {
  text: string;
  label: 'complaint' | 'statement' | 'question' | 'spam';
  division: string | null;
  lang: 'id' | 'sms' | 'jv' | 'kr' | 'en' | 'mix';
  /** routing: scripts/corpus/routing.ts (trains the topic model; the message classifier weights it down). */
  source: 'template' | 'hand' | 'routing';
  split: 'train' | 'test';
}

const rnd = seededRandom(20260101);
function pick<T>(xs: readonly T[]): T { return xs[Math.floor(rnd() * xs.length)]!; }
function fill(t: string, v: Record<string, string>): string {
  return t.replace(/\{(\w+)\}/g, (_, k: string) => v[k] ?? '').replace(/\s+([,.?!])/g, '$1').replace(/\s{2,}/g, ' ').trim();
}

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
  if (rnd() < 0.12) return `${pick(PLACES)} ${pick(LANDMARKS)}`;
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
  'Selamat siang, saya mau bertanya tentang prosedur {q}.', 'Apa saja dokumen yang dibutuhkan untuk {q}?', 'Min, {q} sekarang lewat aplikasi apa ya?',
  'Apakah benar {q} sekarang tidak dipungut biaya?', 'Boleh minta informasi soal {q}? Terima kasih.', 'Kalau mau {q} harus ke kantor mana?',
  'Berapa lama proses {q}?', 'Sugeng siang, badhe nyuwun pirsa babagan {q}.', 'Where can I ask about {q2}?', 'Apakah {q2} minggu ini jadi dilaksanakan?',
  'Mohon info, {q2} diadakan di mana?', 'Min, mau nanya {q2} kapan ya', 'Is there a schedule for {q2}?',
];
const Q = [
  { q: 'mengurus KTP elektronik', div: 'komisi-a' }, { q: 'membuat akta kelahiran', div: 'komisi-a' }, { q: 'mengurus pindah domisili', div: 'komisi-a' },
  { q: 'mengajukan izin usaha', div: 'komisi-a' }, { q: 'membayar PBB', div: 'komisi-b' }, { q: 'pasang baru PDAM', div: 'komisi-b' },
  { q: 'mendaftar bantuan UMKM', div: 'komisi-b' }, { q: 'mendaftar PPDB SMP', div: 'komisi-d' }, { q: 'mendaftar BPJS PBI', div: 'komisi-d' },
  { q: 'mendapat beasiswa dari pemkot', div: 'komisi-d' }, { q: 'mengajukan bantuan sosial', div: 'komisi-d' }, { q: 'mengajukan perbaikan jalan kampung', div: 'komisi-c' },
  { q: 'mengajukan pemasangan lampu jalan', div: 'komisi-c' }, { q: 'menyampaikan aspirasi ke DPRD', div: 'humas' }, { q: 'berkunjung ke gedung DPRD', div: 'humas' },
  { q: 'mengurus kartu identitas anak', div: 'komisi-a' }, { q: 'membuat surat keterangan domisili', div: 'komisi-a' }, { q: 'mengurus SKCK', div: 'komisi-a' },
  { q: 'mengurus IMB atau PBG', div: 'komisi-a' }, { q: 'mengecek tagihan PDAM online', div: 'komisi-b' }, { q: 'mendaftar pelatihan kerja', div: 'komisi-b' },
  { q: 'menyewa kios di pasar', div: 'komisi-b' }, { q: 'mengurus NIB untuk UMKM', div: 'komisi-b' }, { q: 'mendaftar sekolah lewat jalur afirmasi', div: 'komisi-d' },
  { q: 'mendapat rujukan dari puskesmas', div: 'komisi-d' }, { q: 'mendaftarkan lansia ke program bantuan', div: 'komisi-d' }, { q: 'mengajukan fogging', div: 'komisi-d' },
  { q: 'meminta pengangkutan sampah kerja bakti', div: 'komisi-c' }, { q: 'mengajukan izin pemangkasan pohon', div: 'komisi-c' }, { q: 'menggunakan ruang rapat DPRD untuk audiensi', div: 'humas' },
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


const ACCOUNTS = ['@dprdkotajogja', '@pemkotjogja', '@humasjogja', '@dishubjogja', '@dlhjogja', '@pdamjogja', '@dinkesjogja', '@disdukcapiljogja', '@satpolppjogja', '@walikotajogja'];
const TAGS = ['#jogja', '#yogyakarta', '#infojogja', '#lapor', ''];
const URLS = ['https://t.co/aB3xYz', 'http://t.co/k9PqL2', 'pic.twitter.com/Xy12Ab', 'https://instagram.com/p/Cx1', 'bit.ly/foto-lokasi', 'https://goo.gl/maps/abc123'];

/** Social-media style complaint: mentions, hashtags, photo links. */
function tweetComplaint(p: Problem): CorpusRow {
  const t = pick(['{a} {p} di {loc} {req} {url}', '{a} {a2} {p} {dur} {tag}', '{p} di {loc} {a} {req} {url} {tag}', 'RT {a}: {p} di {loc} {url}',
    '{a} min {p} {loc}, kpn dibenerin? {url}', '{a} pak, {p} di {loc}. foto: {url}', '{a} {p} {loc} {dur}, ga ada tindakan sama sekali {tag}']);
  return row(fill(t, { a: pick(ACCOUNTS), a2: pick(ACCOUNTS), p: pick([...p.sms, ...p.id]), loc: loc(), req: pick(REQ_SMS), dur: pick(DUR_SMS), url: pick(URLS), tag: pick(TAGS) }), 'complaint', p.div, 'sms');
}

/** A request for a public service (asks for action: a complaint in the SOP sense). */
function serviceRequest(): CorpusRow {
  const s = pick(SERVICES);
  const t = pick(['Mohon bantuan {s} di {loc}.', '{g} Kami warga {loc} memohon {s}. Terima kasih.', 'Mohon dibantu {s} di wilayah {loc}, sudah lapor RT tetapi belum ada tindak lanjut.',
    'Kepada Yth. Kepala Dinas terkait, dengan hormat kami mengajukan permohonan {s} di {loc}. Atas perhatiannya kami ucapkan terima kasih.',
    'min tlg {s} di {loc}', 'Nyuwun tulung {s} wonten {loc}.', 'Please arrange {s} at {loc}.', 'Mohon segera {s}, lokasi {loc}. Matur nuwun.',
    'Saya mengajukan {s} untuk warga {loc} karena sudah lama tidak ada perhatian.']);
  return row(fill(t, { s: pick(s.items), loc: loc(), g: pick(GREET_ID) }), 'complaint', s.div, t.startsWith('Nyuwun') ? 'kr' : t.startsWith('Please') ? 'en' : 'id');
}

const WORK = ['penambalan lubang jalan', 'pengerukan saluran', 'pembersihan drainase', 'pemangkasan pohon', 'perbaikan lampu PJU', 'pengangkutan sampah', 'pengecatan marka jalan',
  'perbaikan pipa PDAM', 'pendataan warga miskin', 'fogging', 'pelayanan KTP keliling', 'penertiban PKL', 'pembagian sembako', 'vaksinasi anak', 'pengaspalan jalan'];
/** Reports of work done, news and announcements: they mention problems but carry no grievance. */
function workReport(): CorpusRow {
  const t = pick(['Tim URC {area} hari ini melakukan {w} di {loc}.', 'Petugas sedang melaksanakan {w} di {loc}, mohon maaf atas ketidaknyamanannya. {url}',
    'RT {a}: {w} di {loc} telah selesai dilaksanakan. {url}', 'Update: {w} di {loc} selesai 100%.', 'Hari ini kegiatan {w} di {loc} bersama warga. {tag}',
    'Pengumuman: besok ada {w} di {loc} mulai pukul 08.00.', 'Terima kasih laporannya, {w} di {loc} sudah kami jadwalkan minggu ini.',
    '{a} sedang {w} di {loc} {url}', 'Kegiatan {w} di wilayah {loc} berjalan lancar.', 'Baca: Pemkot lakukan {w} di {loc} {url}', 'Dokumentasi {w} di {loc} {url}']);
  return row(fill(t, { w: pick(WORK), loc: loc(), area: pick(['Umbulharjo', 'Jetis', 'Kotagede', 'Gondokusuman', 'Selatan', 'Utara']), a: pick(ACCOUNTS), url: pick(URLS), tag: pick(TAGS) }), 'statement', null, 'id');
}

/** Chit-chat, replies and opinions on social media. */
function chitChat(): CorpusRow {
  const t = pick(['{a} terima kasih pak, sukses selalu', '{a} mantap min 👍', '{a} siap pak', '{a} semoga cepat selesai ya', '{a} keren kotanya makin rapi {tag}',
    'Selamat pagi {a}, semangat bekerja', '{a} wah baru tau, makasih infonya', 'Jalan-jalan sore di {loc} enak banget {url}', 'Lagi ngopi di {loc}, suasananya adem {tag}',
    '{a} ikut bangga sama kota sendiri', '{a} ditunggu kabar baiknya pak', 'Nonton konser di {loc} seru {url}', '{a} hehe iya pak', '{a} amin, semoga amanah',
    'Pagi ini {loc} ramai, banyak yang olahraga {tag}', '{a} punten, mau tanya kabar aja', '{a} setuju pak, mari jaga kebersihan bersama', '{a} wilujeng enjing']);
  return row(fill(t, { a: pick(ACCOUNTS), loc: pick(PLACES), url: pick(URLS), tag: pick(TAGS) }), 'statement', null, 'sms');
}

/** Personal SMS chat that reaches a public number (normal messages: never spam). */
function personalChat(): CorpusRow {
  const t = pick(['{who}, aku {act} {time}', '{who} jangan lupa {todo} ya', 'Nanti {time} aku {act}', 'Uang {thing} {amt} sudah aku transfer ya {who}', 'Pulsa {amt} sudah masuk, makasih {who}',
    '{who} lagi di mana? aku {act}', 'Ok {who}, {time} ketemu di {place}', 'Jadi {time} kan? aku tunggu di {place}', 'Tolong {todo} ya {who}, aku lagi repot', '{who} td telp ada apa?',
    'Iya {who}, nanti aku kabari', 'Rapat {org} {time} di {place}', 'Maaf {who}, aku telat {time}', '{who} besok jadi ke {place}?', 'Sudah sampai {place} {who}?',
    'Nomor rekening aku {rek} ya {who}, buat patungan {thing}', 'Aku pinjam {amt} dulu ya {who}, nanti aku ganti', 'Kirim nomor hp pak RT dong {who}',
    'Wis tekan {place} {who}?', 'Mengko {time} aku mampir', '{who} nyuwun pangapunten, kula telat']);
  const text = fill(t, { who: pick(['bu', 'pak', 'mas', 'mbak', 'dek', 'nak', 'say', 'bro', 'ma', 'pa']), act: pick(['otw', 'sudah sampai', 'masih di kantor', 'jemput adik', 'pulang agak malam']),
    time: pick(['jam 5', 'besok pagi', 'nanti malam', 'jam 7', 'habis maghrib', 'sabtu']), todo: pick(['beli gas', 'bayar listrik', 'ambil rapor', 'kunci pintu', 'angkat jemuran']),
    thing: pick(['arisan', 'kas RT', 'SPP', 'kos', 'kado']), amt: pick(['50rb', '100 ribu', 'Rp 200.000', '25rb', '1,5 juta']), place: pick(['rumah', 'kantor', 'masjid', 'balai RW', 'pasar', 'stasiun', 'kampus']),
    org: pick(['RT', 'karang taruna', 'PKK', 'arisan']), rek: pick(['1234567890', '0987654321']) });
  return row(rnd() < 0.5 ? text.toLowerCase() : text, 'statement', null, 'sms');
}

const OPERATOR = ['Telkomsel', 'Indosat', 'XL', 'Tri', 'Smartfren', 'IM3', 'simPATI', 'AS'];
/** More spam families: operator promos, content services, fraud scripts. */
function spam2(): CorpusRow {
  const t = pick([
    'Plg Yth, nikmati {svc} dgn tarif Rp{n}/hari. Ketik REG {kw} kirim ke {sc}. CS:{sc2}', 'Dapatkan bonus {bonus} setiap isi ulang {amt}. Berlaku hingga {date}. Info *{sc}#',
    '{op}: Selamat! Anda mendapatkan {pts} poin. Tukarkan poin dengan hadiah menarik di *{sc}#', 'Gratis nelpon ke sesama {op} 1000 menit cukup Rp{n}! Tekan *{sc}# skrg',
    'Paket {gb} cuma {money}, aktifkan via *{sc}# atau aplikasi My{op}', 'Ikuti kuis {brand} berhadiah mobil, ketik KUIS spasi JAWABAN kirim ke {sc}',
    'Kamu terpilih ikut undian {op} periode ini. Cek status di *{sc}# tarif Rp{n}/sms', 'Download lagu hits jadi NSP kamu, ketik NSP spasi kode kirim ke {sc}',
    'Rumah anda terpilih mendapatkan hadiah dari {brand}. Kode undian {pin}. Hubungi Bpk {name} di {phone}', 'Maaf td sy salah kirim pulsa {amt} ke no anda, tolong kirim balik ya, sy butuh bgt',
    'Anak ibu kecelakaan, skrg di rumah sakit butuh biaya operasi. Segera transfer ke {rek} a.n. dr. {name}', 'Yayasan {brand} memberikan bantuan dana {money} kepada anda. Hub {phone} utk pencairan',
    'Jasa pesugihan putih tanpa tumbal, dana gaib cair. Hub Mbah {name} {phone}', 'Info lowongan kerja di kapal pesiar gaji {money}, biaya pendaftaran ditransfer ke {rek}',
    'KUR tanpa agunan cair dalam 1 hari. Proses mudah hub {phone}', 'Saldo e-wallet Anda bertambah {money}. Konfirmasi penerimaan di {url}',
    'Kamu dapat kode voucher {pin} senilai {money} dari {brand}! Tukarkan sebelum {date} di {url}', 'Akun anda akan diblokir. Segera perbarui data melalui {url}',
    'Pinjaman dana cepat cair utk PNS/karyawan, bunga 1%. Hub {phone}', 'Bpk/Ibu, ini pak {name} dari kantor pos, paket anda kena bea cukai. Transfer {money} ke {rek}',
    'Mau jadi reseller? Untung jutaan per hari tanpa modal, gabung grup WA {url}', 'JUDI BOLA, TOGEL, SLOT: deposit via pulsa tanpa potongan. Daftar di {url}',
    'Promo spesial {brand}: belanja min {money} gratis ongkir se-Indonesia. Cek {url}', 'Selamat nomor anda memenangkan Rp{n} juta dari program {brand}, PIN {pin}. Info {url}',
    'Papa minta pulsa {amt} ke nomor ini, nanti papa ganti. Penting!', 'Tolong isikan pulsa {amt} ke nomor ini ya, nanti saya ganti. Ini ibu.',
    'Pelanggan Yth, nikmati tarif nelpon Rp{n}/menit ke semua operator s/d {date}. Info hub {sc2}', 'Berlaku s/d {date}: beli paket {gb} dapat bonus {bonus}. Aktifkan *{sc}#',
    'Dijual tanah kavling murah lokasi strategis, SHM, bisa cicil. Hub {phone}', 'Jasa sedot WC murah bergaransi, hub {phone}', 'Obat kuat herbal alami tahan lama, kirim ke seluruh Indonesia {phone}',
    'Info pemenang program {brand}: nomor anda terpilih sebagai pemenang ke-2. Hub kantor pusat {phone}', 'Kartu kredit anda disetujui limit {money}. Konfirmasi ke {phone} sekarang',
    'Pemenang undian {brand} harap segera konfirmasi ke Bpk {name} {phone} sebelum hangus', 'Nikmati hiburan terbaru! Balas YA utk berlangganan, tarif Rp{n}/sms']);
  const phone = `08${Math.floor(rnd() * 9e9 + 1e9)}`;
  const text = fill(t, { svc: pick(['info bola', 'ramalan harian', 'lagu hits', 'info lowongan', 'kata mutiara']), n: pick(['1000', '2200', '500', '5', '100']), kw: pick(['BOLA', 'RAMAL', 'HITS', 'INFO']),
    sc: pick(['9889', '1212', '363', '888', '3636', '123']), sc2: pick(['021500', '0812000', '188']), bonus: pick(['nelpon 60 menit', 'SMS 1000x', 'kuota 5GB']), amt: pick(['10rb', '20.000', '50rb', '100rb']),
    date: pick(['31/12', '15 Jan', 'akhir bulan']), op: pick(OPERATOR), pts: pick(['500', '1250', '2000']), gb: pick(['10GB', '25GB', 'unlimited']), money: pick(['Rp 25.000', 'Rp10jt', '50rb', 'Rp 5.000.000', 'Rp 99rb']),
    brand: pick(['Telkomsel', 'Shopee', 'BRI', 'Indomaret', 'Lazada', 'Pertamina', 'Garuda', 'Tokopedia']), pin: pick(['R4F2', 'G77X', 'WX9K', '88AB']), name: pick(['Hendra', 'Sutrisno', 'Wijaya', 'Joko']),
    phone, rek: pick(['BRI 0123456789', 'BCA 7788990011', 'Mandiri 1300011223']), url: pick(['bit.ly/klaim-hadiah', 'http://hadiah-undian.xyz', 'www.slotgacor88.vip', 's.id/paketku', 'tinyurl.com/xyz12']) });
  return row(rnd() < 0.2 ? text.toUpperCase() : text, 'spam', null, 'id');
}

/** Replies and notices from officials: problem words, but no grievance (statements). */
function officialReply(): CorpusRow {
  const t = pick(['{a} terima kasih informasinya, akan segera kami tindaklanjuti.', '{a} laporan sudah kami teruskan ke {unit}, terima kasih.',
    '{a} mohon maaf atas ketidaknyamanannya, petugas {unit} sudah kami arahkan ke lokasi.', '{a} siap, hari ini tim {unit} meluncur ke {loc}.',
    'Terima kasih atas laporannya. {w} di {loc} dijadwalkan minggu depan.', 'Laporan diterima. Tim {unit} telah melakukan {w} di {loc}. Terima kasih.',
    '{unit}: {w} di {loc} sudah selesai dikerjakan hari ini. {url}', 'Mohon maaf, untuk {w} di {loc} masih menunggu anggaran perubahan.',
    '{a} sudah kami cek ke lokasi, kondisi {loc} sudah normal kembali.', 'Kepada warga {loc}, {w} akan dilaksanakan pada hari Sabtu. Mohon kerja samanya.',
    'Rilis: {unit} mencatat {w} di 12 titik selama bulan ini. {url}', '{a} baik pak, terima kasih sudah melapor, kami koordinasikan dengan {unit}.']);
  return row(fill(t, { a: pick(ACCOUNTS), unit: pick(['DLH', 'Dinas PUPKP', 'Dishub', 'UPT PJU', 'PDAM Tirtamarta', 'Satpol PP', 'Dinkes', 'Dinsos', 'Kelurahan', 'URC']),
    w: pick(WORK), loc: loc(), url: pick(URLS) }), 'statement', null, 'id');
}

/** Information, news and opinions that mention a public topic without asking anything. */
function infoStatement(): CorpusRow {
  const t = pick(['Info lalu lintas: {loc} ramai lancar pagi ini.', 'Hari ini {loc} cerah, cocok buat jalan-jalan.', 'Baru lewat {loc}, jalannya sekarang mulus banget 👍',
    'Alhamdulillah sekarang di {loc} sudah ada lampu jalan baru, terang.', 'Pasar {p} sekarang bersih dan rapi, senang belanja di sana.', 'Puskesmas {p} pelayanannya ramah, antrenya cepat.',
    'Ngurus KTP di Dukcapil sekarang cepat, setengah jam jadi.', 'Anakku keterima di SMP negeri lewat zonasi, alhamdulillah.', 'Tadi ikut kerja bakti bersihin selokan di {loc}, capek tapi seneng.',
    'Kemarin ada sosialisasi BPJS di balai RW {loc}, bermanfaat sekali.', 'Semoga tahun ini anggaran perbaikan jalan kampung bertambah.', 'Berita: pemkot resmikan taman baru di {loc} {url}',
    'Sekadar berbagi, foto senja di {loc} {url}', 'Saya bangga jadi warga Jogja, kotanya makin tertata.', 'Setuju dengan program bank sampah, di kampung kami sudah jalan.',
    'Diskusi publik soal tata ruang di {loc} kemarin ramai, semoga hasilnya baik.', 'Nonton wayang di {loc} semalam, pertunjukannya bagus.',
    'Hujan deras dari sore, tapi kampung kami aman tidak banjir berkat drainase baru.', 'Lapangan {p} sekarang ramai dipakai anak-anak main bola tiap sore.']);
  return row(fill(t, { loc: pick(PLACES), p: pick(['Kotagede', 'Beringharjo', 'Jetis', 'Umbulharjo', 'Kranggan']), url: pick(URLS) }), 'statement', null, 'id');
}

/** Personal chat that uses words spam also uses (transfer, pulsa, promo, menang): normal, not spam. */
function chatSpamWords(): CorpusRow {
  const t = pick(['Aku udah transfer {amt} ke rekening kamu ya, cek dulu', 'Pulsaku habis, nanti aku telpon balik', 'Ada promo diskon di Indomaret lho, mau nitip?',
    'Kemarin aku menang arisan {amt}, alhamdulillah', 'Nomor rekening buat bayar kas RT berapa ya bu?', 'Selamat ya atas kelahiran anaknya, semoga sehat',
    'Selamat ulang tahun say, maaf telat ngucapin', 'Bonus dari kantor cair, nanti kita makan-makan', 'Paket datanya udah aku beliin, coba cek', 'Gratis ongkir kalau beli dua, mau patungan?',
    'Hadiah buat Dina sudah aku bungkus', 'Kirim foto struk transfernya ya buat bukti', 'Mama sudah sampai rumah, kamu hati-hati di jalan', 'Ma, pulsa buat hp adek udah aku isi 20rb',
    'Klik link zoom rapat RT nanti malam ya, aku kirim di grup', 'Pinjam charger dong, hp aku lowbat', 'Kuota internetku habis, chat lewat sms aja', 'Menang lomba 17an kemarin dapat piring hehe',
    'Bayar listrik sudah aku bayar lewat aplikasi', 'Nak, uang saku minggu ini sudah ibu transfer']);
  return row(fill(t, { amt: pick(['50rb', '100 ribu', 'Rp 200.000', '1 juta']) }), 'statement', null, 'sms');
}

function row(text: string, label: CorpusRow['label'], division: string | null, lang: CorpusRow['lang'], source: CorpusRow['source'] = 'template'): CorpusRow {
  const h = createHash('sha1').update(text).digest();
  return { text, label, division: label === 'complaint' || label === 'question' ? division : null, lang, source, split: h[0]! % 100 < 15 ? 'test' : 'train' };
}

export function generate(): Record<string, CorpusRow[]> {
  const out: Record<string, CorpusRow[]> = { complaints: [], statements: [], questions: [], spam: [], hand: [], sms: [], social: [], routing: [] };
  const seen = new Set<string>();
  const add = (file: string, r: CorpusRow): void => {
    const key = r.text.toLowerCase();
    if (seen.has(key) || r.text.length === 0) return;
    seen.add(key);
    out[file]!.push(r);
  };
  for (let round = 0; round < 26; round++) for (const p of PROBLEMS) add('complaints', complaint(p));
  for (let round = 0; round < 6; round++) for (const p of PROBLEMS) add('complaints', tweetComplaint(p));
  for (let i = 0; i < 320; i++) add('complaints', serviceRequest());
  for (let i = 0; i < 200; i++) add('statements', workReport());
  for (let i = 0; i < 160; i++) add('statements', chitChat());
  for (let i = 0; i < 260; i++) add('statements', personalChat());
  for (let i = 0; i < 300; i++) add('spam', spam2());
  for (let i = 0; i < 200; i++) add('statements', officialReply());
  for (let i = 0; i < 200; i++) add('statements', infoStatement());
  for (let i = 0; i < 120; i++) add('statements', chatSpamWords());
  for (let i = 0; i < 500; i++) add('statements', statementT());
  for (let i = 0; i < 900; i++) add('questions', questionT());
  for (let i = 0; i < 520; i++) add('spam', spamT());
  for (const h of HAND) add('hand', row(h.text, h.label, h.division ?? null, h.lang ?? 'mix', 'hand'));
  for (const r of generateSms()) add('sms', row(r.text, r.label, r.division ?? null, r.lang));
  // social-media register (own RNG, so it never shifts the rows above)
  for (const s of socialRows()) add('social', row(s.text, s.label, s.division, s.lang));
  // routing-focused complaints and questions (scripts/corpus/routing.ts, its own RNG): after everything else, so nothing above moves
  for (const r of routingRows()) add('routing', row(r.text, r.label, r.division, r.lang, 'routing'));
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
