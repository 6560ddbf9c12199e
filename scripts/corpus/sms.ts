/**
 * SMS-register corpus (written for this project, no real messages): everyday personal SMS between
 * people — many of them using words that spam also uses (transfer, pulsa, promo, menang, pinjam) —
 * against fraud scripts and operator/shop/loan/gambling promotions. Each message is composed from
 * independent fragment lists (openers, names, amounts, codes, links, closers) and then varied in
 * abbreviation, casing and punctuation, so the model learns the register rather than a template.
 *
 * Deterministic: its own seeded generator (it does not consume generate.ts's sequence).
 */
import { PLACES, PROBLEMS } from './problems.ts';
import { seededRandom } from './rng.ts';

export type SmsLabel = 'complaint' | 'statement' | 'question' | 'spam';
export interface SmsRow { text: string; label: SmsLabel; lang: 'sms' | 'jv' | 'id'; division?: string }

const rnd = seededRandom(20261128);
const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)]!;
const int = (lo: number, hi: number): number => lo + Math.floor(rnd() * (hi - lo + 1));
function fill(t: string, v: Record<string, () => string>): string {
  return t.replace(/\{(\w+)\}/g, (_, k: string) => (v[k] ? v[k]() : ''))
    .replace(/\s+([,.?!])/g, '$1').replace(/([,.])\1+/g, '$1').replace(/\s{2,}/g, ' ').replace(/^[,.\s]+/, '').trim();
}

// ---------------------------------------------------------------- shared fragments
const NAMES = ['Rina', 'Dimas', 'Tono', 'Sari', 'Yogi', 'Wulan', 'Agus', 'Fitri', 'Bayu', 'Lestari', 'Eko', 'Nanda', 'Putri', 'Heru', 'Ratna', 'Arif',
  'Dewi', 'Joko', 'Intan', 'Fajar', 'Tika', 'Bambang', 'Yuni', 'Rizky', 'Anis', 'Gilang', 'Mira', 'Slamet', 'Ayu', 'Wawan', 'Novi', 'Hendro'];
const KIN = ['bu', 'pak', 'mas', 'mbak', 'dek', 'nak', 'ma', 'pa', 'mah', 'pah', 'bro', 'sis', 'say', 'yah', 'bun', 'kak', 'le', 'nduk', 'om', 'tante', 'pakde', 'bude', 'mbah', 'cah'];
const who = (): string => (rnd() < 0.45 ? pick(KIN) : rnd() < 0.5 ? pick(NAMES) : `${pick(KIN)} ${pick(NAMES)}`);
const PLACE = ['rumah', 'kantor', 'kampus', 'sekolah', 'masjid', 'pasar', 'stasiun Tugu', 'terminal Giwangan', 'alun-alun', 'warung bu Darmi', 'burjo depan',
  'indomaret perempatan', 'kos', 'rumah simbah', 'balai RW', 'lapangan', 'bengkel', 'puskesmas', 'parkiran', 'gereja', 'angkringan', 'mall', 'Malioboro', 'gang depan'];
const TIME = ['jam 5', 'jam 7 pagi', 'jam 10', 'habis maghrib', 'ba\'da isya', 'nanti sore', 'besok pagi', 'bsk siang', 'nanti malam', 'sabtu', 'minggu depan',
  'jam 4an', 'stlh dzuhur', 'pas istirahat', 'sepulang kerja', 'jm 8', 'lusa', 'abis ashar', 'jam 1 siang', 'senin'];
const AMT = ['50rb', '20 ribu', 'Rp 150.000', '75rb', '300rb', '1 juta', '25rb', '2,5jt', '100rb', 'Rp 40.000', '500 ribu', '35rb', '10rb', '1.200.000', '60 rb'];
const SMALL = ['5rb', '10rb', '15 ribu', '20rb', '25rb', '50rb'];
const FOOD = ['nasi goreng', 'gudeg', 'bakso', 'mie ayam', 'sayur lodeh', 'soto', 'martabak', 'sate', 'pecel', 'ayam geprek', 'tempe bacem', 'es teh'];

// SMS spelling: the same message written the way people thumb it
const ABBR: Array<[RegExp, string[]]> = [
  [/\byang\b/g, ['yg']], [/\btidak\b/g, ['gk', 'ga', 'nggak', 'tdk', 'gak']], [/\bsudah\b/g, ['udh', 'udah', 'sdh', 'dah']], [/\bbesok\b/g, ['bsk', 'besok']],
  [/\bsama\b/g, ['sm', 'ama']], [/\bdi mana\b/g, ['dmn', 'dimana']], [/\bkapan\b/g, ['kpn']], [/\blagi\b/g, ['lg', 'lgi']], [/\bbanget\b/g, ['bgt', 'bngt']],
  [/\bterima kasih\b/g, ['makasih', 'mkasih', 'trims', 'tq', 'mksh']], [/\bbelum\b/g, ['blm', 'blom']], [/\bsekarang\b/g, ['skrg', 'skrng']],
  [/\baku\b/g, ['aq', 'ak']], [/\bkamu\b/g, ['km', 'kmu']], [/\bdengan\b/g, ['dgn', 'dg']], [/\bjuga\b/g, ['jg']], [/\bnanti\b/g, ['ntar', 'ntr', 'nnti']],
  [/\bkalau\b/g, ['klo', 'kalo']], [/\bberapa\b/g, ['brp']], [/\bbisa\b/g, ['bs', 'bsa']], [/\bsaja\b/g, ['aja', 'aj']], [/\buntuk\b/g, ['utk', 'buat']],
  [/\btolong\b/g, ['tlg']], [/\bjam\b/g, ['jm']], [/\bpulang\b/g, ['plg']], [/\btunggu\b/g, ['tggu', 'tgu']], [/\bkemarin\b/g, ['kmrn', 'kmrin']],
  [/\bmasih\b/g, ['msh']], [/\bsebentar\b/g, ['bntr', 'bentar']], [/\btadi\b/g, ['td']], [/\bgimana\b/g, ['gmn']], [/\bkenapa\b/g, ['knp']],
];
function sms(t: string, p = 0.5): string {
  let out = t;
  for (const [re, alts] of ABBR) if (rnd() < p) out = out.replace(re, () => pick(alts));
  return out;
}
function casing(t: string, caps = 0): string {
  const r = rnd();
  if (r < caps) return t.toUpperCase();
  if (r < caps + 0.45) return t.toLowerCase();
  if (r < caps + 0.6) return t.charAt(0).toUpperCase() + t.slice(1);
  return t;
}
function punct(t: string): string {
  const r = rnd();
  if (r < 0.2) return t.replace(/[.!]$/, '');
  if (r < 0.3) return t.replace(/[.]?$/, pick(['..', '...', ' ya', ' 🙏', ' 😊', ' wkwk', ' hehe', '!!']));
  return t;
}

// ---------------------------------------------------------------- normal: statements
const ACT = ['otw', 'udah nyampe', 'masih di jalan', 'masih rapat', 'lagi antri', 'baru bangun', 'lagi masak', 'lagi nyetir', 'baru pulang', 'lagi di kelas',
  'lembur', 'lagi jemput adek', 'lagi di bengkel', 'lagi ngantor', 'lagi nunggu bus', 'lagi belanja', 'lagi sholat', 'lagi mandi', 'kejebak hujan', 'lagi isi bensin'];
const TODO = ['beli gas', 'bayar listrik', 'ambil rapor adek', 'kunci pintu', 'angkat jemuran', 'matiin kompor', 'beli galon', 'jemput ibu', 'minum obat',
  'bawa payung', 'isi bensin', 'ambil laundry', 'kasih makan kucing', 'bawa KTP', 'siram tanaman', 'beli telur', 'bayar kos', 'cabut charger'];
const NORMAL_T: string[] = [
  // logistics, pick-ups, appointments
  '{w}, aku {act}', '{w} aku {act}, {time} baru sampai', 'Aku {act} {w}, tunggu bentar ya', 'Nanti {time} aku jemput di {place} ya {w}', '{w} jangan lupa {todo} ya',
  'Ok {w}, {time} ketemu di {place}', 'Jadi {time} kan? aku tunggu di {place}', 'Maaf {w} aku telat, {act}', 'Sudah sampai {place}, kamu di mana {w}?',
  '{w} {time} aku gk bisa, ada acara', 'Ya nanti aku kabari lagi {w}', 'Siap {w}', 'oke {w} siap', 'otw', 'Ok', 'ya nanti', 'iya bentar', 'sip makasih', 'Oke sampai ketemu',
  'lagi dijalan', 'udh di depan', 'bentar lg nyampe', 'aku di {place}', 'siap laksanakan', 'ok ditunggu', 'nggih bu', 'ya pak', 'wkwk iya', 'hahaha bisa aja km',
  'Motor aku taruh di {place}, kuncinya di laci', '{w} tolong {todo}, aku lupa tadi', 'Hati-hati di jalan {w}', 'Kabari kalau sudah sampai ya {w}',
  'Aku pulang {time}, gk usah ditunggu makan', 'Rapat diundur jadi {time} {w}', 'Les adek libur hari ini', 'Kelas pak {n} kosong, dosennya gk dateng',
  'Tugas kelompok dikumpul {time}, jangan lupa bawa flashdisk', 'Aku izin gk masuk kerja hari ini, badan meriang', 'Besok aku shift pagi, gantian ya',
  'Absen titip ya {w}, aku telat dikit', 'Meeting sama klien jadi {time} di {place}', 'Laporannya sudah aku email ke bu {n}',
  // meals
  '{w} udah makan belum? aku masak {food}', 'Aku beliin {food} ya {w}, mau pedes gk?', 'Di rumah ada {food}, tinggal dipanasin', 'Makan {food} yuk {time}',
  'Tadi aku makan {food} di {place}, enak bgt', '{w} nitip {food} 2 bungkus ya', 'Masak apa hari ini {w}?', 'Mau dibawain {food} gk {w}?',
  // money mentioned casually
  'Uang kos bulan ini sudah aku transfer ya {w}', 'Sudah aku tf {amt}, cek mutasi ya', 'Transferan kamu sudah masuk {w}, makasih', 'Nomor rekening kamu yg BRI apa yg BCA {w}?',
  'Ini no rek aku {rek} a.n. {n}, buat patungan kado', 'Pulsaku habis {w}, nanti aku telepon balik', 'Ma, pulsa adek udah aku isiin {small}', 'Kuotaku abis, sms aja ya',
  'Beli pulsa di konter depan aja, lebih murah', 'Paket dari Shopee udah dateng {w}, aku taruh di meja', 'Paketmu dititip di pos satpam ya {w}', 'Kurirnya udah nganter paket tadi siang',
  'Ada promo di Indomaret, minyak goreng diskon, mau nitip?', 'Promo beli 1 gratis 1 di warung kopi depan kampus, yuk {time}', 'Ongkirnya gratis kalau belanja di atas {amt}',
  'Aku menang arisan bulan ini {w}, dapet {amt}', 'Adek menang lomba mewarnai, dapet piala sama hadiah buku', 'Alhamdulillah menang lomba 17an, hadiahnya panci wkwk',
  'Hadiah ultah buat {n} udah aku bungkus', 'Dapet doorprize kipas angin dari acara kantor', 'Gaji sudah masuk, nanti aku transfer uang belanja {w}',
  'Aku pinjem uang {amt} dulu ya {w}, tgl 25 aku ganti', 'Utangku yg {amt} aku bayar minggu depan ya, maaf telat', 'Udah aku ganti uangmu {amt} ya, cek rekening',
  'Uang arisan {amt} aku titip ke bu RT', 'Bayar SPP adek {amt}, aku transfer ke rekening sekolah', 'Harga cabe sekarang {amt} sekilo, mahal', 'Bensin naik lagi {w}',
  'Kembalian kemarin kurang {small} {w}, gpp kok', 'Iuran kas RT bulan ini {small} ya', 'Dompetku ketinggalan, nanti aku tf balik', 'Tadi bayar parkir {small}, mahal amat',
  'Token listrik tinggal dikit, tolong beliin {small}', 'Gratis kok {w}, tiket masuknya udah dibayarin kantor', 'Kode OTP jangan dikasih ke siapa-siapa ya {w}, banyak penipuan',
  'Hati-hati ya {w}, lagi rame penipuan minta pulsa ngaku-ngaku mama', 'Kalau ada sms menang undian abaikan aja, itu penipuan',
  // contact numbers, links and codes shared between people
  'Ini nomor pak {n} {ph}, hubungi aja langsung {w}', 'Nomor baruku {ph}, yg lama udah gk aktif', 'Kalau aku gk angkat, telp ke nomor {n} aja {ph}',
  'Link zoom rapat nanti {lnk}, jangan telat ya', 'Foto-foto kemarin udah aku upload di {lnk}', 'Ini lokasi rumahnya {lnk}, belok kiri setelah masjid',
  'Rekening bendahara kelas {rek} a.n. {n}, iuran study tour {amt}', 'Nomor antrian aku {num}, masih lama', 'Plat motornya AB {num} XY, warna hitam',
  'Kamarku nomor {num} lantai 2', 'Bus jurusan {num} berangkat jam {num}', 'Resi paketnya {code}, cek sendiri di aplikasi ya {w}', 'Segera pulang {w}, mau hujan deres',
  'Kirim alamat lengkap kamu ya {w}, mau aku kirimi oleh-oleh', 'Info dari sekolah, besok masuk jam {num} pagi', 'Info aja {w}, air PAM mati sampai sore',
  'Aku udah daftar ulang kuliah, bayar {amt}', 'Aktifkan hp kamu dong {w}, dari tadi gk nyambung', 'Ketik aja pesannya di grup {w}', 'Tarif ojek ke stasiun sekarang {small}',
  'Undian arisan RT nanti malam, jangan lupa datang', 'Dapat kupon undian dari beli semen, siapa tau menang motor wkwk', 'Poin belanjaku di Alfamart lumayan, bisa buat beli minyak',
  'Aku dapet diskon 20% pakai kartu pelajar', 'Cicilan motor bulan ini udah aku bayar {w}', 'Bunga bank sekarang kecil, mending nabung emas kata bapak',
  'Aku udah daftar lowongan di pabrik garmen, doain ya {w}', 'Ibu minta dibeliin pulsa {small} buat telpon simbah, udah aku isiin',
  'BAPAK SUDAH SAMPAI {P}, NANTI TELPON', 'OKE {W} SIAP', 'JANGAN LUPA BAWA KTP BESOK', 'MAAF BARU BALES, TADI RAPAT',
  // greetings, Lebaran, birthdays, condolences, religious reminders
  'Selamat Idul Fitri {w}, mohon maaf lahir dan batin', 'Minal aidin wal faizin, mohon maaf lahir batin ya {w} sekeluarga', 'Sugeng riyadi, ngapunten lair batin',
  'Selamat ulang tahun {w}, panjang umur sehat selalu', 'Met ultah {w}, semoga makin sukses dan tambah rejeki', 'Happy birthday {w}! traktirannya ditunggu hehe',
  'Turut berduka cita atas meninggalnya {r} {w}, semoga husnul khotimah', 'Innalillahi wa innailaihi rojiun, semoga keluarga diberi ketabahan', 'Kami sekeluarga ikut berduka {w}',
  'Selamat menunaikan ibadah puasa {w}', 'Jangan lupa sahur {w}', 'Jangan lupa sholat jumat ya {w}', 'Nanti malam yasinan di rumah pak {n} habis isya',
  'Pengajian ibu-ibu dipindah ke masjid {time}', 'Selamat Natal {w}, damai dan sukacita untuk keluarga', 'Selamat tahun baru {w}, semoga tahun ini lebih baik',
  'Selamat ya {w} atas kelulusannya, bangga', 'Selamat atas kelahiran putranya {w}, semoga jadi anak sholeh', 'Selamat menempuh hidup baru {w}, semoga samawa',
  'Semoga cepat sembuh {w}, jangan lupa istirahat', 'Pagi {w}, semangat kerjanya', 'Met bobo {w}', 'Assalamualaikum {w}, sehat?', 'Kangen {w}, kapan pulang kampung?',
  // Javanese ngoko
  'Aku wis tekan {place} {w}', 'Mengko {time} aku mampir omahmu', 'Ojo lali {todo} yo {w}', 'Aku lagi neng {place}, sedhela maneh bali', 'Wis mangan durung {w}?',
  'Duwitmu wis tak transfer {amt} yo', 'Pulsaku entek, mengko tak telpon', 'Sesuk aku ra iso, ana acara', 'Suwun yo {w}', 'Yo wis ngono wae', 'Aku melu, mengko tak susul',
  'Simbah lagi gerah {w}, dongakke yo', 'Sego gudeg wis tak tukokke, neng meja', 'Motore tak silih sik yo {w}', 'Udan deres, aku ngiyup neng {place}',
];
const REL = ['bapak', 'ibu', 'simbah', 'pakde', 'bude', 'om', 'mertua', 'eyang'];
function normalStatement(): SmsRow {
  const t = pick(NORMAL_T);
  const text = fill(t, {
    w: who, act: () => pick(ACT), time: () => pick(TIME), place: () => pick(PLACE), todo: () => pick(TODO), food: () => pick(FOOD), amt: () => pick(AMT),
    small: () => pick(SMALL), n: () => pick(NAMES), r: () => pick(REL), rek: () => `${int(1000, 9999)}${int(100000, 999999)}`,
    ph: () => `08${int(11, 99)}${int(1000000, 99999999)}`, lnk: () => pick(['https://zoom.us/j/83', 'https://maps.app.goo.gl/x1', 'drive.google.com/abc', 'bit.ly/fotoreuni', 'https://meet.google.com/xyz']),
    num: () => String(int(1, 60)), code: () => `JP${int(1000000, 9999999)}`, P: () => pick(PLACE).toUpperCase(), W: () => pick(KIN).toUpperCase(),
  });
  const jv = /\b(aku wis|mengko|ojo|neng|durung|entek|ra iso|suwun|yo wis|melu|dongakke|tukokke|silih|ngiyup|riyadi)\b/i.test(t);
  return { text: punct(casing(sms(text, 0.45))), label: 'statement', lang: jv ? 'jv' : 'sms' };
}

// ---------------------------------------------------------------- normal: questions between people
const NORMAL_Q: string[] = [
  '{w} di mana?', 'Kamu di mana {w}? aku udah di {place}', 'Jadi ketemu jam berapa {w}?', 'Udah makan belum {w}?', '{w} pulang jam berapa?', 'Besok jadi ke {place} gk?',
  'Kapan pulang {w}?', 'Bisa jemput aku {time} gk {w}?', '{w} tau nomor pak {n} gk?', 'Minta nomor {n} dong, punya gk?', 'Nomor rekening kamu berapa {w}? mau aku transfer',
  'Transferannya udah masuk belum {w}?', 'Pulsa kamu masih ada gk {w}?', 'Paketnya udah sampai belum {w}?', 'Tadi yg nelpon siapa {w}?', 'Kunci motor ditaruh di mana {w}?',
  'Arisan bulan ini di rumah siapa?', 'Rapat RT jadi {time}?', 'Mau titip {food} gk {w}?', 'Harga tiketnya berapa {w}?', 'Uang kas kemarin udah dikasih ke bendahara belum?',
  '{w} bisa pinjemin uang {amt} gk? minggu depan aku balikin', 'Ada promo apa di Alfamart {w}?', 'Siapa yg menang lomba kemarin {w}?', 'Kelas besok masuk gk {w}?',
  'Tugasnya dikumpul kapan {w}?', 'Dosennya dateng gk hari ini?', 'Adek udah pulang sekolah belum ma?', 'Simbah gimana keadaannya {w}?', '{w} sehat?', 'Lagi apa {w}?',
  'Wis tekan ngendi {w}?', 'Sesuk mangkat jam pira?', 'Kowe neng ngendi saiki?', 'Wis mangan durung?', 'Piye kabare {w}?', 'Mengko sido rak?',
  'Ini nomor baru {w}? save ya', 'Td sms aku kok gk dibales {w}?', 'Mau dibeliin pulsa brp {w}?', 'Gasnya habis ya {w}?', 'Bisa tolong cek kompor udah mati belum?',
];
function normalQuestion(): SmsRow {
  const t = pick(NORMAL_Q);
  const text = fill(t, { w: who, place: () => pick(PLACE), time: () => pick(TIME), n: () => pick(NAMES), food: () => pick(FOOD), amt: () => pick(AMT) });
  const jv = /\b(wis|sesuk|kowe|ngendi|durung|piye|mengko|sido)\b/i.test(t);
  return { text: casing(sms(text, 0.5)), label: 'question', lang: jv ? 'jv' : 'sms' };
}

// ---------------------------------------------------------------- spam fragments
const OPS = ['Telkomsel', 'Indosat', 'IM3', 'XL', 'AXIS', 'Tri', 'Smartfren', 'simPATI', 'by.U', 'Kartu As'];
const BRANDS = ['Shopee', 'Tokopedia', 'Lazada', 'Indomaret', 'Alfamart', 'BRI', 'BNI', 'Mandiri', 'BCA', 'Pegadaian', 'PLN', 'Pertamina', 'DANA', 'OVO', 'GoPay', 'J&T', 'JNE', 'SiCepat', 'Unilever', 'Astra'];
const SC = (): string => String(pick([123, 363, 888, 3636, 9889, 1212, 505, 111, 500, 8999, 777]));
const PHONE = (): string => pick(['08', '+628', '628']) + String(int(11, 99)) + String(int(1000000, 99999999));
const URL = (): string => pick(['bit.ly/', 's.id/', 'tinyurl.com/', 'cutt.ly/', 'http://', 'https://', 'www.']) +
  pick(['klaim', 'hadiah', 'promo', 'cek', 'info', 'daftar', 'login', 'verif', 'resi', 'undian', 'bonus', 'slot', 'cair', 'dana']) + pick(['-', '']) +
  pick(['2026', 'resmi', 'id', 'now', 'kilat', 'x7', '88', 'pro', 'vip', 'center']) + pick(['', '', '.xyz', '.site', '.online', '.top', '.vip', '.link', '.info', '.club']);
const PIN = (): string => pick(['R', 'K', 'G', 'X', 'B', 'W', 'M']) + String(int(100, 999)) + pick(['A', 'F', 'Z', 'Q', 'T', 'HX', '']);
const MONEY = (): string => pick(['Rp 25.000.000', 'Rp100jt', '50 JUTA', 'Rp 5.000.000', 'Rp 175 jt', 'Rp 2.500.000', '10jt', 'Rp 1M', 'Rp 75.000.000', 'Rp 350rb']);
const REKF = (): string => `${pick(['BRI', 'BCA', 'Mandiri', 'BNI', 'BSI', 'Danamon', 'DANA', 'OVO'])} ${int(1000, 9999)}${int(100000, 999999)}`;
const PRIZE = ['1 unit mobil Avanza', 'uang tunai 100 juta', 'motor NMAX', 'cek tunai 25 juta', 'iPhone 15 Pro', 'paket umroh', 'emas 10 gram', 'voucher belanja 5 juta', 'TV LED 50 inch', 'saldo 3 juta'];
const NAMEF = ['Bpk. Hendra Wijaya', 'Ibu Susanti', 'Bpk Anton', 'Dr. Rudi Hartono', 'Bpk. Sutarman', 'Ibu Maria', 'Bpk Ir. Suharto', 'Mbah Joyo', 'Ki Ageng Sakti', 'Bu Yanti'];

const FRAUD_T: string[] = [
  // mama/papa minta pulsa
  '{mama} minta tolong beliin pulsa {amt} ke nomor ini dulu, {why}. {later}', 'Ini {mama}, nomor {mama} ganti. Kirim pulsa {amt} sekarang ya, penting',
  '{mama} lg di {where}, hp lowbat. Tolong isiin pulsa {amt} ke no ini, {later}', 'Nak ini {mama} pakai hp teman. Tolong tf {small} ke rek {rek}, {why}',
  'tolong kirimin {mama} pulsa {amt} ya, ini nomor baru {mama}. jgn telp dulu {mama} lg rapat', 'Pah/Mah, ini aku pakai nomor teman. Butuh pulsa {amt} skrg, {later}',
  'Jangan telp dulu, {mama} lg di kantor polisi. Kirim pulsa {amt} ke no ini cepat', 'Tolong isikan pulsa {amt} ke nomor ini ya, nanti saya ganti. Ini {mama}.',
  // wrong transfer
  'Maaf mas/mbak, tadi saya salah transfer {small} ke rekening anda. Tolong dikembalikan ke {rek}, itu uang buat berobat', 'Maaf td sy salah kirim pulsa {amt} ke no anda, tolong kirim balik ya sy butuh bgt',
  'Pak, saya salah tf {money} ke rek bapak. Mohon kembalikan ke rek {rek} a.n. {name}, terima kasih', 'Barusan ada pulsa {amt} masuk ke nomor anda, itu salah kirim dr sy. Mohon dikembalikan',
  'Permisi, anak saya salah isi pulsa {amt} ke nomor ini. Tolong dikirim balik ya, Allah yang membalas',
  // family emergency
  'Bu, anak ibu kecelakaan di {where}, skrg di IGD butuh biaya {money}. Segera tf ke {rek} a.n. {name}', 'Pak, saya {name}, putra bapak ditangkap polisi krn narkoba. Hub saya {phone} utk damai',
  'Suami ibu kecelakaan dan sedang operasi. Transfer biaya ke {rek} skrg juga, jgn telp dulu dokter sibuk', 'Anak anda pingsan di sekolah dan dibawa ke RS. Hubungi dr. {name} di {phone} segera',
  // prize / lottery
  'Selamat! No anda terpilih mendapatkan {prize} dari {brand} {year}. PIN: {pin}. Info klaim hub {phone}', 'PEMENANG UNDIAN {brand} {year}. Anda dapat {prize} dgn PIN {pin}, cek di {url}',
  'Slmt nmr anda mndptkn cek tunai {money} dr program {brand}. U/ info hub {name} {phone}', 'Kpd Yth pelanggan {op}, nomor anda resmi jadi pemenang ke-{n} {prize}. Kode: {pin}. Kunjungi {url}',
  'Rekening anda terpilih sbg pemenang {prize} dari {brand}. Konfirmasi ke {name} di {phone} sebelum hangus', 'Selamat anda mendapat {money} dari Gebyar {brand}. Klaim sekarang {url}',
  'Pelanggan setia {brand}, anda beruntung mendapat {prize}. Kode voucher {pin}, tukarkan di {url}', 'SELAMAT! NOMOR ANDA MENANG UNDIAN {brand} {money}. HUB {phone}',
  // fake bank / courier / e-wallet / phishing / blocking / OTP
  'Nasabah Yth, akun {bank} anda diblokir sementara. Aktifkan kembali di {url} dalam 1x24 jam', 'Tarif transfer {bank} berubah jadi Rp150.000/bln. Jika tdk setuju isi form {url}',
  'Paket anda dgn resi JP{n}{n} tertahan di gudang {brand}. Cek foto paket: {url}', 'Kurir {brand}: paket anda tdk dapat dikirim, alamat kurang lengkap. Perbarui di {url}',
  'Saldo {ew} anda akan hangus hari ini. Segera login di {url} utk mengamankan saldo', 'Akun {ew} anda terdeteksi login di perangkat lain. Verifikasi di {url} atau akun diblokir',
  'Kode OTP {n}{n}{n} telah dikirim ke nomor anda. Kami dari {brand}, mohon sebutkan kodenya utk verifikasi hadiah', 'Maaf kode verifikasi WA saya terkirim ke nomor anda, tolong kirim balik 6 angkanya ya',
  'Kartu ATM anda akan dinonaktifkan karena data belum diperbarui. Hub CS {bank} {phone}', 'Nomor anda akan diblokir {op} krn belum registrasi ulang. Klik {url}',
  'Tagihan PLN anda menunggak {money}, listrik akan diputus. Bayar via {url}', 'Undangan pernikahan kami, mohon dibuka: {url} (aplikasi APK)', 'Ini foto kamu kan? cek deh {url}',
  'Surat tilang elektronik anda, unduh di {url} sebelum denda bertambah', 'Bantuan sosial tunai {money} atas nama anda sudah cair. Cek di {url}',
  // 'head office' style notices
  'Dengan hormat, kami dari kantor pusat {brand} menginformasikan nomor anda mendapat {prize}. Hub {name} {phone}', 'Rekening anda terdaftar sbg penerima dana {money}. Kirim nama, alamat & no rek ke {phone}',
  'Info resmi {brand}: anda berhak atas pengembalian dana {money}. Isi data di {url}', 'Kepada pelanggan, nomor anda mendapat kompensasi {small}. Hub CS {phone} utk pencairan',
  // fake jobs
  'Lowongan kerja paruh waktu, cukup like & share video dibayar {small}/tugas. Daftar {url}', 'Dibutuhkan karyawan online gaji {money}/bln, kerja dari HP. WA {phone}',
  'PT {brand} buka lowongan tanpa tes, biaya seragam & pelatihan {small} transfer ke {rek}', 'Penerimaan CPNS jalur khusus tanpa tes, hub {name} {phone}, kuota terbatas',
  // dukun / pesugihan
  'Jasa pesugihan putih tanpa tumbal, dana gaib {money} cair 1 malam. Hub {name} {phone}', 'Bingung hutang numpuk? {name} bantu dengan uang gaib, tanpa syarat. {phone}',
  'Pelet ampuh, pengasihan jarak jauh, buka aura. Hub {name} {phone}', 'Angka togel ghoib dijamin tembus 4D. Mahar {small}. Hub {name} {phone}',
  'Dana hibah {money} dari yayasan, tanpa dikembalikan. Kirim biaya admin ke {rek}',
];
const MAMA = ['mama', 'mamah', 'ibu', 'papa', 'bapak', 'ayah', 'bunda', 'mami'];
const WHY = ['penting bgt', 'buat telp dokter', 'urgent', 'nanti mama jelasin', 'lagi di kantor polisi', 'buat urus surat', 'mama lg di rumah sakit', 'hp mama rusak'];
const LATER = ['nanti diganti', 'mama ganti di rumah', 'jgn telp dulu ya', 'cepet ya', 'nanti mama ceritain', 'makasih nak', ''];
const WHERE = ['rumah sakit', 'kantor polisi', 'jalan', 'bandara', 'tol', 'Jl. Magelang', 'rumah teman'];

const PROMO_T: string[] = [
  // operator packages, UMB, reply keywords
  '{op}: Paket internet {gb} cuma {price}/30hr. Aktifkan di *{sc}# sekarang!', 'Plg Yth, nikmati {gb} + bonus {bonus} hanya {price}. Tekan *{sc}*{n}#',
  'Kuota malam {gb} cuma {price}! Ketik {kw} ON kirim ke {sc}', '{op} PROMO: isi ulang {small} dpt bonus {bonus}. Berlaku s.d. {date}. Info *{sc}#',
  'Nikmati nelpon sepuasnya ke sesama {op} hanya Rp{p}/hari. Ketik REG TELP kirim ke {sc}', 'Ketik REG {kw} kirim ke {sc} utk dapat info {svc} setiap hari. Tarif Rp{p}/sms',
  'Dapatkan kuota {gb} GRATIS dgn beli paket Combo {price}. Cek *{sc}# atau app My{op}', 'Poin {op} anda {n}00! Tukarkan dgn pulsa/kuota di *{sc}# skrg sblm hangus',
  'Spesial utk anda: Paket Ketengan 1GB {small}/hr. Balas YA utk aktifkan', 'Beli paket {gb} skrg dpt cashback {small}. Berlaku hari ini, tekan *{sc}#',
  'Pelanggan Yth, layanan {svc} aktif. Tarif Rp{p}/3hr. UNREG ketik UNREG {kw} ke {sc}', 'NSP lagu {svc} pilihan kamu cuma Rp{p}. Ketik NSP spasi kode kirim ke {sc}',
  // operator notices with an upsell
  'Sisa kuota anda {left}. Beli paket {gb} hanya {price}, tekan *{sc}#', 'Masa aktif kartu anda berakhir {date}. Isi ulang min {small} & dapatkan bonus {bonus}',
  'Terima kasih telah isi ulang {small}. Dapatkan {gb} cukup {price}, balas 1 utk aktivasi', 'Pulsa anda hampir habis. Nikmati Pinjam Pulsa {small} tekan *{sc}*{n}#',
  'Nomor anda terdaftar layanan {svc} Rp{p}/sms. Utk berhenti ketik UNREG {kw} kirim ke {sc}', 'Ayo ikuti undian {op} Poin, setiap isi ulang {small} dpt 1 kupon. Hadiah {prize}!',
  'Ganti nada tunggu kamu dgn lagu hits, ketik RING spasi kode kirim ke {sc}. Rp{p}', 'Ikuti polling {svc}, ketik POL spasi jawaban kirim {sc}. Hadiah pulsa {small}',
  // shops
  '{brand} {sale}! Diskon s.d. {pct}% semua produk + gratis ongkir. Belanja di {url}', 'Flash sale jam 12 siang ini, harga mulai {small}. Buruan cek {url}',
  'Spesial gajian: belanja min {price} di {brand} dapat voucher {small}. S&K berlaku', 'Toko {shop} buka cabang baru! Diskon {pct}% utk 100 pembeli pertama. Lokasi Jl. {street}',
  'Promo beli 2 gratis 1 semua varian. Pesan sekarang WA {phone}', 'Obat herbal {herb}, hasil terbukti dlm 7 hari. COD seluruh Indonesia. Order {phone}',
  'Jual {goods} murah meriah, garansi resmi. Cicilan 0%. Hub {phone}', 'Pre-order hampers Lebaran, isi kue kering + sirup mulai {price}. Order WA {phone}',
  // loans, pinjol, credit, KPR, motor
  'Butuh dana cepat? Pinjaman tanpa jaminan cair {fast}, cukup KTP. Hub WA {phone}', 'Pinjol resmi OJK, limit s.d. {money}, bunga rendah, cair {fast}. Download {url}',
  'DANA TUNAI {money} cair hari ini tanpa BI checking. Syarat KTP & KK. Chat {phone}', 'Kredit motor {moto} DP mulai {small}, angsuran ringan, proses 1 hari. Hub sales {name} {phone}',
  'KPR rumah subsidi DP 0%, angsuran {small}/hari, dekat kota. Survey gratis hub {phone}', 'Gadai BPKB motor/mobil, dana cair {fast}, BPKB aman. Hub {phone}',
  'Kartu kredit anda disetujui dengan limit {money}. Aktifkan dgn hub {phone}', 'Pinjaman modal UMKM tanpa agunan s.d. {money}. Ajukan skrg di {url}',
  'Take over kredit macet, lunasi pinjol anda. Konsultasi gratis {phone}', 'KTA cair {fast}, tanpa survey, tanpa jaminan. wa.me/{pn}',
  // gambling
  'Slot gacor hari ini maxwin x{n}00! Depo {small} bonus new member 100%. Daftar {url}', 'Situs {site} paling gacor, WD berapapun pasti dibayar. Link alternatif {url}',
  'Bocoran RTP slot {pct}% jam ini. Main di {site} pasti JP. {url}', 'Togel online diskon 4D 66%, pasaran lengkap. Daftar {url}', 'Bandar bola resmi, cashback {pct}% tiap minggu. WA {phone}',
  'Depo pulsa tanpa potongan, min depo {small}. {site} gacor parah! {url}', 'Scatter hitam turun terus bosku, buktikan di {site} {url}', 'Freebet {small} tanpa deposit, klaim di {url}',
  // property, courses, MLM, insurance, investment
  'Dijual tanah kavling murah {loc}, SHM, bisa cicil tanpa bunga. Hub {phone}', 'Perumahan baru {loc}, free biaya KPR & AJB, booking {small} saja. Info {phone}',
  'Kursus bahasa Inggris {promo}, diskon {pct}% utk pendaftar bulan ini. Hub {phone}', 'Bimbel masuk PTN dijamin lolos atau uang kembali. Daftar {url}',
  'Kursus menjahit/komputer bersertifikat, gratis modul. Hub {phone}', 'Peluang bisnis tanpa modal, penghasilan {money}/bln dari rumah. Gabung tim kami {url}',
  'Jadi reseller {herb}, untung 50% per produk + bonus umroh. WA {phone}', 'Asuransi kesehatan keluarga premi mulai {small}/bln, klaim mudah. Hub agen {name} {phone}',
  'Investasi emas untung {pct}% per bulan, dijamin aman. Gabung {url}', 'Robot trading profit pasti tiap hari, modal {small} jadi jutaan. {url}',
  'Jasa {svc2} murah bergaransi, panggilan 24 jam. Hub {phone}', 'Dibuka kelas {cls}, hanya {price} utk 4x pertemuan. Kuota terbatas! {phone}',
];
const GB = ['10GB', '25GB', '2GB', '50GB', 'unlimited', '6GB', '15GB', '30GB', '100GB'];
const PRICE = ['Rp 25.000', 'Rp10rb', '49rb', 'Rp 99.000', '15rb', 'Rp 5.500', 'Rp 75rb', 'Rp 1.000', '150rb'];
const BONUS = ['nelpon 100 menit', 'SMS 1000x', 'kuota 5GB', 'Youtube 20GB', 'kuota malam 10GB', 'nelpon sepuasnya'];
const SVC = ['ramalan zodiak', 'info bola', 'tips kesehatan', 'kata mutiara', 'doa harian', 'lagu dangdut', 'info loker', 'resep masakan'];
const HERB = ['pelangsing', 'peninggi badan', 'obat kuat', 'penumbuh rambut', 'pemutih wajah', 'obat asam urat', 'madu hitam'];
const SITES = ['GACOR88', 'MAXWIN77', 'slot303', 'JP99', 'togelku', 'zeus4d', 'bola168', 'cuan138'];
function spam(kind: 'fraud' | 'promo'): SmsRow {
  const t = pick(kind === 'fraud' ? FRAUD_T : PROMO_T);
  const phone = PHONE();
  const text = fill(t, {
    mama: () => pick(MAMA), why: () => pick(WHY), later: () => pick(LATER), where: () => pick(WHERE), amt: () => pick(['10rb', '20rb', '25.000', '50rb', '100rb', '200 ribu', '50.000']),
    small: () => pick(['10rb', '25rb', '50rb', 'Rp 100.000', '150rb', '20k', '300rb', '500rb']), rek: REKF, money: MONEY, name: () => pick(NAMEF), phone: () => phone,
    pn: () => phone.replace(/^\+?0?/, '62'), prize: () => pick(PRIZE), brand: () => pick(BRANDS), op: () => pick(OPS), year: () => pick(['2025', '2026', 'Ramadhan', 'Akhir Tahun']),
    pin: PIN, url: URL, n: () => String(int(1, 9)), bank: () => pick(['BRI', 'BCA', 'BNI', 'Mandiri', 'BSI', 'BTN']), ew: () => pick(['DANA', 'OVO', 'GoPay', 'ShopeePay', 'LinkAja']),
    gb: () => pick(GB), price: () => pick(PRICE), bonus: () => pick(BONUS), sc: SC, kw: () => pick(['MALAM', 'HEMAT', 'GOL', 'ZODIAK', 'LOKER', 'DOA', 'NET', 'SUPER']),
    date: () => pick(['31/12', '15 Jan', 'akhir bulan', 'hari ini', '30/6']), p: () => pick(['1000', '2200', '550', '3300', '1500']), svc: () => pick(SVC),
    sale: () => pick(['Payday Sale', 'Mega Sale 12.12', 'Promo Ramadhan', 'Harbolnas', 'Cuci Gudang']), pct: () => pick(['30', '50', '70', '90', '15', '98']),
    shop: () => pick(['Sumber Rejeki', 'Maju Jaya', 'Berkah Elektronik', 'Mebel Indah']), street: () => pick(['Kaliurang km 7', 'Magelang km 5', 'Parangtritis', 'Godean']),
    herb: () => pick(HERB), goods: () => pick(['HP second', 'kulkas', 'laptop', 'spring bed', 'sparepart motor']), fast: () => pick(['5 menit', '1 jam', 'hari ini', 'dlm 30 menit']),
    moto: () => pick(['Honda Beat', 'Yamaha NMAX', 'Vario 160', 'Scoopy']), site: () => pick(SITES), loc: () => pick(['Sleman', 'Bantul', 'Godean', 'dekat UGM', 'Piyungan']),
    left: () => pick(['100MB', '50MB', '0,5GB', '20MB']),
    promo: () => pick(['online', 'intensif', 'privat', 'TOEFL']), svc2: () => pick(['sedot WC', 'servis AC', 'pasang CCTV', 'cuci sofa']), cls: () => pick(['public speaking', 'digital marketing', 'barista', 'nyetir mobil']),
  });
  const noisy = rnd() < 0.35 ? sms(text, 0.5) : text;
  return { text: punct(casing(noisy, kind === 'promo' ? 0.2 : 0.12)), label: 'spam', lang: 'sms' };
}

// ---------------------------------------------------------------- complaints that use spam words
// Citizens complain ABOUT scams, loans, gambling, bills and transfers: the words are spam's, the
// message is a grievance. Without these the SMS spam rows would pull such complaints to spam.
const GRIEVE: Array<{ div: string; t: string[] }> = [
  { div: 'komisi-a', t: [
    'Saya ditipu lewat sms {scam}, uang {amt} hilang. Lapor polisi {slow}', 'Warga kami banyak jadi korban penipuan {scam}, mohon aparat bertindak',
    'Tetangga saya kena tipu {scam} sampai {amt}, {slow}', 'Judi online merajalela di kampung {loc}, anak muda habis uangnya. Mohon ditertibkan',
    'Ada warung di {loc} jadi tempat judi slot dan togel, warga resah', 'Debt collector pinjol meneror warga {loc}, menyebar data dan mengancam. Tolong ditindak',
    'Saya diteror penagih pinjol ilegal tiap hari, padahal sudah bayar. Kemana harus lapor?', 'Rentenir berkedok koperasi di {loc} menjerat warga dengan bunga 20%, mohon ditertibkan',
    'Nomor saya dipakai orang untuk daftar pinjol, sekarang ditagih terus. Mohon bantuan', 'Anak saya kecanduan judi slot, di {loc} banyak yang begitu. Pemerintah harus tegas',
    'SMS penipuan hadiah undian terus masuk tiap hari, kenapa tidak diblokir operator?', 'Data KTP warga bocor dan dipakai buat pinjaman online, tolong diusut',
    'KTP saya diblokir Dukcapil katanya data ganda, sudah tiga kali datang belum beres', 'Kena tilang ETLE padahal motor saya tidak lewat situ, mohon dicek. Hub saya {ph}',
    'Data KK saya belum diperbarui padahal sudah lapor {slow2}', 'Anak saya kecelakaan gara-gara lubang jalan di {loc}, tidak ada rambu. Mohon segera ditutup',
    'Parkir di {loc} ditarik {amt}, jukir tidak kasih karcis', 'Kantor kelurahan {loc} minta uang {amt} buat surat pengantar, apa itu resmi?',
    'Mohon segera ditindak, balap liar tiap malam di {loc}. Kontak saya {ph}', 'SAYA SUDAH LAPOR BERKALI-KALI TAPI TIDAK ADA TANGGAPAN, MOHON SEGERA DITINDAK',
  ] },
  { div: 'komisi-b', t: [
    'Tagihan listrik saya bulan ini {amt}, naik tiga kali lipat padahal pemakaian sama. Tolong dicek', 'Token listrik yg saya beli {amt} tidak masuk, CS PLN tidak respon',
    'Pulsa saya terpotong terus untuk layanan yg tidak pernah saya daftar, operator tidak mau mengembalikan', 'Kuota internet di {loc} tidak bisa dipakai, sinyal hilang {slow2}',
    'Tagihan PDAM saya {amt} padahal air sering mati, mohon ditinjau', 'Pedagang pasar {loc} dipungut retribusi {amt} tanpa karcis',
    'Harga gas elpiji di {loc} sampai {amt}, di atas HET. Mohon ditertibkan', 'Air PDAM di {loc} mati {slow2}, CS susah dihubungi. No saya {ph}',
    'Meteran listrik rumah saya dicabut tanpa pemberitahuan, padahal tagihan sudah dibayar', 'Saya sudah bayar PBB {amt} lewat bank tapi di sistem masih menunggak, mohon dicek',
    'Retribusi sampah naik jadi {amt} sebulan tapi sampah tidak diangkut {slow2}', 'Lampu jalan di {loc} mati {slow2}, sudah telp {ph} tidak diangkat',
    'Jalan di {loc} rusak parah, lubangnya dalam. Foto: {lnk}', 'Sampah numpuk di {loc} {slow2}, bau. Ini fotonya {lnk}', 'Sudah transfer biaya sewa kios pasar {amt} ke rekening pengelola tapi kios belum diberikan',
    'Promo diskon di toko {loc} ternyata menipu, harga dinaikkan dulu baru didiskon. Perlindungan konsumen mana?', 'Paket sembako murah pemkot di {loc} habis dibeli tengkulak, warga tidak kebagian',
  ] },
  { div: 'komisi-d', t: [
    'Bansos tunai belum masuk ke rekening ibu saya, padahal namanya terdaftar. Mohon dicek', 'Dana PIP anak saya tidak cair, sekolah bilang sudah ditransfer',
    'Bantuan BLT di {loc} dipotong {amt} oleh oknum, tolong diusut', 'Nama kami hilang dari daftar penerima bansos tanpa alasan, padahal masih miskin',
    'Sekolah di {loc} menarik uang seragam {amt}, katanya wajib. Mohon ditinjau', 'KIS saya diblokir, berobat ke puskesmas ditolak. Tolong dibantu',
    'Hadiah lomba anak-anak sekolah dari dinas belum dibayarkan sampai sekarang', 'Kartu PKH ibu saya saldonya kosong padahal bulan lalu masih dapat',
    'BPJS saya nonaktif padahal iuran sudah dibayar, di rumah sakit disuruh bayar {amt}', 'Ibu saya ditolak rumah sakit, katanya kamar penuh. Tolong dibantu, hub {ph}',
    'Pendaftaran sekolah online error terus, anak saya tidak bisa daftar. Websitenya {lnk}', 'Bantuan sosial belum cair {slow2}, petugas tidak bisa dihubungi',
  ] },
];
const SCAM = ['mama minta pulsa', 'undian berhadiah', 'salah transfer', 'kurir paket palsu', 'link undangan APK', 'lowongan kerja palsu', 'pinjol', 'arisan online'];
const SLOW = ['tapi belum ada tindak lanjut', 'sampai sekarang belum ditangani', 'katanya susah dilacak', 'mohon diusut', 'tapi dibiarkan saja'];
function complaintSpamWords(): SmsRow {
  const g = pick(GRIEVE);
  const text = fill(pick(g.t), {
    scam: () => pick(SCAM), amt: () => pick(AMT), loc: () => pick(['Tegalrejo', 'Wirobrajan', 'Mergangsan', 'Kotagede', 'Danurejan', 'Jetis', 'Umbulharjo', 'Ngampilan', 'Gondomanan']),
    slow: () => pick(SLOW), slow2: () => pick(['sudah seminggu', 'dari kemarin', 'sejak bulan lalu', 'udh 2 minggu', 'sejak lebaran']),
    ph: () => `08${int(11, 99)}${int(1000000, 99999999)}`, lnk: () => pick(['https://t.co/aB3xYz', 'bit.ly/foto-lokasi', 'https://goo.gl/maps/abc', 'https://ppdb.example.id']),
  });
  const opener = pick(['', '', 'Pak dewan, ', 'Min, ', 'Selamat siang. ', 'Assalamualaikum, ', 'Mohon maaf mengganggu, ']);
  return { text: casing(sms(opener + text, 0.35)), label: 'complaint', lang: 'sms', division: g.div };
}

// Everyday complaints thumbed in the same SMS register as the personal chat above (abbreviations,
// kin terms, lower case): the register alone must not read as chat.
const SMS_OPEN = ['', '', 'pak ', 'bu ', 'min ', 'mas ', 'permisi ', 'maaf ganggu ', 'lapor ', 'assalamualaikum ', 'sore pak ', 'pagi bu '];
const SMS_DUR = ['udh seminggu', 'dr kemarin', 'udh 2 bulan', 'dari lebaran', 'tiap hari', 'udh lama bgt', 'sejak senin', 'dr pagi', 'sejak tgl 3', 'udh 10 hari', 'dr jam 9 malam', 'sejak 2 minggu lalu', 'hampir 3 bulan'];
const SMS_END = ['', 'tlg diurus', 'mohon dibantu', 'kpn dibenerin?', 'gmn ini?', 'warga resah', 'tolong ditindak pak', 'udah lapor RT gk ada hasil', 'mksh',
  'tlg cepet ya', 'no hp saya 08{ph}', 'capek lapor terus', 'anak2 jadi takut', 'kami rugi bgt'];
function smsComplaint(): SmsRow {
  const p = pick(PROBLEMS);
  const r = rnd();
  const loc = r < 0.35 ? pick(PLACES) : r < 0.7 ? `${pick(['Jl.', 'jln', 'gg.', 'gang', 'Jalan'])} ${pick(['Melati', 'Kenanga', 'Mawar', 'Sawo', 'Nangka', 'Anggrek', 'Kusuma'])} ${pick(['no ', 'No. ', ''])}${int(1, 120)}`
    : r < 0.85 ? `RT ${String(int(1, 15)).padStart(2, '0')} RW ${String(int(1, 12)).padStart(2, '0')} ${pick(PLACES)}` : pick(['dpn rumah', 'gang sebelah', 'kampung kami', 'jl depan masjid', 'dekat sekolah', 'perempatan']);
  const t = pick(['{o}{p} di {l} {d}, {e}', '{o}{l} {p} {d} {e}', '{o}{p} {d} {e}', '{o}{p} lagi di {l}. {e}', '{o}knp {p} di {l} gk diurus2? {e}', '{o}{p}, {l}. {d}']);
  const text = fill(t, { o: () => pick(SMS_OPEN), p: () => pick(p.sms), l: () => loc, d: () => pick(SMS_DUR), e: () => pick(SMS_END).replace('{ph}', String(int(1000000, 99999999))) });
  return { text: casing(sms(text, 0.5)), label: 'complaint', lang: 'sms', division: p.div };
}

/** The SMS corpus: about 600 normal statements, 200 normal questions, 850 spam (fraud and promo), and complaints about scams/loans/bills. */
export function generateSms(): SmsRow[] {
  const out: SmsRow[] = [];
  for (let i = 0; i < 850; i++) out.push(normalStatement());
  for (let i = 0; i < 220; i++) out.push(normalQuestion());
  for (let i = 0; i < 450; i++) out.push(spam('fraud'));
  for (let i = 0; i < 450; i++) out.push(spam('promo'));
  for (let i = 0; i < 320; i++) out.push(complaintSpamWords());
  for (let i = 0; i < 350; i++) out.push(smsComplaint());
  return out;
}
