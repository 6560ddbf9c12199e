/**
 * Social-media register (tweets and replies addressed to city accounts), written for this project.
 *
 * Real timelines addressed to a city government are mostly NOT complaints: banter with the mayor,
 * thanks (also for problems that were fixed), retweeted news, the agencies' own work reports and
 * replies, event notices, suggestions, jokes and prayers. Complaints in the same register are short,
 * full of @mentions, slang, sarcasm and photo links. Every row here is composed from many
 * independent fragment lists so that no single template dominates.
 *
 * Uses its own seeded RNG so that adding or changing rows here never shifts the other generators.
 */
import { PLACES } from './problems.ts';
import { seededRandom } from './rng.ts';

export interface SocialRow {
  text: string;
  label: 'complaint' | 'statement' | 'question' | 'spam';
  division: string | null;
  lang: 'id' | 'sms' | 'jv' | 'en' | 'mix';
}

const rnd = seededRandom(77031);
const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)]!;
const maybe = (p: number, s: string | (() => string)): string => (rnd() < p ? (typeof s === 'string' ? s : s()) : '');
function tidy(s: string): string {
  return s.replace(/\s+([,.?!])/g, '$1').replace(/([,.])\1+/g, '$1').replace(/\s{2,}/g, ' ').replace(/^[,.\s]+/, '').trim();
}

// ------------------------------------------------------------------ shared fragments
const CITY_ACC = ['@pemkotjogja', '@humasjogja', '@walikotajogja', '@dprdkotajogja', '@kotajogja', '@jogjakota', '@pemkot_ygy', '@infopemkot', '@balaikota_jogja'];
const AGENCY_ACC = ['@dpupkp_jogja', '@dishubjogja', '@dlhjogja', '@pdamtirtamarta', '@satpolpp_jogja', '@dinkesjogja', '@disdukcapil_ygy', '@bpbdjogja', '@upt_pju', '@dinsosjogja', '@dinaspu_kota'];
const PERSON_ACC = ['@wali_kota', '@pakwali', '@bu_wakil', '@mas_dewan', '@ketua_dprd', '@lurah_terban', '@camat_jetis'];
const USER_ACC = ['@budi_s', '@rina.ayu', '@ardiansyah_', '@mbak_tutik', '@yogiprat', '@kangasep', '@teh_nining', '@dimas1997', '@sarimbok', '@anak_kos_jogja', '@cak_mat', '@neng_ulfa', '@infojogjaterkini', '@merapi_news', '@radarkota', '@jogjaupdate', '@seputarkota'];
const NEWS_ACC = ['@infojogjaterkini', '@merapi_news', '@radarkota', '@jogjaupdate', '@seputarkota', '@kabarkota_id', '@tribunkota', '@harianwarga'];
const mention = (): string => pick(rnd() < 0.45 ? CITY_ACC : rnd() < 0.6 ? AGENCY_ACC : PERSON_ACC);
const mentions = (): string => {
  const n = rnd() < 0.55 ? 1 : rnd() < 0.7 ? 2 : 3;
  return Array.from({ length: n }, mention).join(' ');
};
const URLS = ['https://t.co/Qw8Lm2', 'http://t.co/Zk31pA', 'https://t.co/7hYbnR', 'pic.twitter.com/Ab9xKQ', 'pic.twitter.com/mm21Pz', 'https://instagr.am/p/Bx7',
  'http://bit.ly/2kotaku', 'https://youtu.be/k3Xp9', 'http://fb.me/3xLq', 'https://goo.gl/maps/Tq4', 'http://kotaku.news/b/1827', 'https://wp.me/pQ8'];
const TAGS = ['#jogja', '#jogjaistimewa', '#yogyakarta', '#lapor', '#infokota', '#kotakita', '#semangatpagi', '#jumatberkah', '#CFD', '#pilkada', '#jogjabersih',
  '#gerakanbersih', '#SaveKampung', '#MusimHujan', '#ayoolahraga', '#kulinerjogja', '#timnas', '#PSIM', '#bangga', '#wisata', '#hutkota', '#goodmorning'];
const EMO_POS = ['😊', '🙏', '👍', '😁', '❤️', '🔥', '👏', '🤣', '😂', '✨', ':)', ':D', '^_^', 'wkwk', 'hehe', 'xixi', '💪', '🥰'];
const EMO_NEG = ['😡', '😤', '😩', '🙄', '😭', '😒', '-_-', '!!!', '??', '😠', '🤦', 'hadeuh', 'haduh', 'astaghfirullah', 'ya Allah'];
const tag = (): string => pick(TAGS);
const url = (): string => pick(URLS);
const epos = (): string => pick(EMO_POS);
const eneg = (): string => pick(EMO_NEG);

const STREETS = ['Jl. Merdeka', 'Jl. Sudirman', 'Jl. Ahmad Yani', 'Jl. Diponegoro', 'Jl. Gatot Subroto', 'Jl. Pahlawan', 'Jl. Pemuda', 'Jl. Veteran', 'Jl. Gajah Mada',
  'Jl. Hayam Wuruk', 'Jl. Cendana', 'Jl. Melati', 'Jl. Kenanga', 'Jl. Mawar', 'Jl. Flamboyan', 'Jl. Kartini', 'Jl. Dr. Wahidin', 'Jl. Juanda', 'Jl. Cik Ditiro',
  'Jl. Perintis Kemerdekaan', 'Jl. Raya Timur', 'Jl. Lingkar Utara', 'Jl. Sisingamangaraja', 'Jl. Imam Bonjol', 'Jl. Pangeran Diponegoro', 'Jl. Soekarno Hatta',
  'jl. sudirman', 'jln merdeka', 'jalan ahmad yani', 'jl kenari', 'jl. gejayan', 'jln kaliurang km 5', 'jl. parangtritis', 'jl magelang', 'jl. wates', 'jl. godean'];
const AREAS = ['Kotagede', 'Umbulharjo', 'Gondokusuman', 'Jetis', 'Tegalrejo', 'Wirobrajan', 'Mantrijeron', 'Kraton', 'Gondomanan', 'Pakualaman', 'Danurejan',
  'Gedongtengen', 'Ngampilan', 'Mergangsan', 'Kecamatan Utara', 'Kecamatan Selatan', 'Kecamatan Timur', 'Kecamatan Barat', 'Kecamatan Tengah', 'Sukamaju', 'Sukajadi',
  'Cempaka', 'Margasari', 'Sindangsari', 'Karanganyar', 'Mekarjaya', 'Sumberrejo', 'Tanjungsari', 'Mulyorejo', 'Kebonsari'];
const SPOTS = ['depan sekolah', 'dekat pasar', 'depan masjid', 'samping alun-alun', 'ujung gang', 'pertigaan', 'perempatan', 'bawah jembatan', 'depan puskesmas',
  'dekat halte', 'sebelah minimarket', 'depan kantor kelurahan', 'dekat terminal', 'depan stasiun', 'dekat taman kota', 'di gang 3', 'depan SD', 'dekat rel'];
function place(): string {
  const r = rnd();
  if (r < 0.35) return pick(STREETS);
  if (r < 0.55) return pick(PLACES);
  if (r < 0.7) return `${pick(SPOTS)} ${pick(STREETS)}`;
  if (r < 0.85) return `${pick(AREAS)}`;
  return `${pick(STREETS)} ${pick(['no', 'No.', 'depan no'])} ${1 + Math.floor(rnd() * 120)}`;
}
const TIME_AGO = ['dari kemarin', 'dr kmrn', 'sejak semalam', 'udah seminggu', 'udh 2 minggu', 'sebulan lebih', 'dari subuh', 'dari jam 3 pagi', 'sejak lebaran',
  'berbulan-bulan', 'sdh 3 hari', 'dari minggu lalu', 'tiap hari', 'tiap malam', 'tiap hujan', 'dari tahun lalu', 'seharian', 'sampai sekarang', 'dari pagi', 'udah lama'];
const NOW = ['pagi ini', 'malam ini', 'barusan', 'tadi sore', 'sekarang', 'siang ini', 'hari ini', 'td pagi', 'jam segini', 'tadi malam'];

// ------------------------------------------------------------------ complaints
interface Topic { div: string; s: string[] }
const CTOPICS: Topic[] = [
  { div: 'komisi-c', s: ['jalan rusak parah', 'jalannya bolong2', 'lubang gede di tengah jalan', 'aspal ngelupas semua', 'jalan ancur kayak kubangan kerbau', 'jalan berlubang bikin motor oleng',
    'jalan amblas', 'lubang jalan makin dalem', 'jalan rusak ga pernah dibenerin', 'tambalan jalan udah ancur lagi', 'jalan bergelombang parah', 'jalanan kayak off road'] },
  { div: 'komisi-c', s: ['lampu PJU mati', 'lampu jalan mati total', 'pju padam gelap gulita', 'lampu jalan ga nyala', 'PJU mati rawan begal', 'lampu penerangan jalan pada mati',
    'jalan gelap banget lampunya mati', 'lampu jalan kedip2 terus mati'] },
  { div: 'komisi-c', s: ['banjir lagi', 'banjir sepaha', 'genangan air ga surut', 'air got naik ke jalan', 'selokan mampet', 'saluran air buntu', 'gorong2 mampet sampah',
    'drainase meluap tiap hujan', 'rumah kebanjiran lagi', 'banjir cileuncang', 'air selokan hitam dan bau'] },
  { div: 'komisi-c', s: ['sampah numpuk', 'sampah ga diangkut', 'TPS penuh meluber ke jalan', 'sampah berserakan bau busuk', 'tumpukan sampah di pinggir jalan', 'truk sampah ga dateng',
    'bau sampah nyengat banget', 'sungai penuh sampah plastik', 'orang buang sampah sembarangan ga ada yg negur'] },
  { div: 'komisi-c', s: ['macet parah', 'macet total ga gerak', 'lampu merah mati bikin semrawut', 'traffic light rusak', 'bangjo mati', 'macet gara2 angkot ngetem',
    'ga ada petugas ngatur lalu lintas', 'antrean kendaraan panjang banget', 'jalan ditutup tanpa pemberitahuan'] },
  { div: 'komisi-c', s: ['parkir liar makan jalan', 'jukir liar narik 5rb', 'parkir di trotoar', 'mobil parkir sembarangan nutup jalan', 'parkir liar bikin macet',
    'tukang parkir galak minta lebih'] },
  { div: 'komisi-c', s: ['PKL jualan di trotoar', 'pedagang liar nutup trotoar', 'lapak PKL makan badan jalan', 'trotoar dipake jualan pejalan kaki turun ke jalan',
    'trotoar rusak paving lepas', 'trotoar jadi tempat parkir motor'] },
  { div: 'komisi-c', s: ['pohon mau tumbang', 'pohon tumbang nutup jalan', 'dahan pohon nyangkut kabel', 'kabel menjuntai bahaya', 'tiang listrik miring mau roboh',
    'galian kabel ga ditutup lagi', 'galian pipa dibiarkan menganga'] },
  { div: 'komisi-b', s: ['air PDAM mati', 'air pdam ga ngalir', 'PDAM mati lagi', 'air keruh kayak kopi susu', 'air pdam kecil banget ngocornya', 'tagihan PDAM naik ga wajar',
    'air mati dari subuh ga ada info', 'pipa PDAM bocor airnya muncrat ke jalan'] },
  { div: 'komisi-b', s: ['pasar becek atapnya bocor', 'retribusi pasar naik terus', 'los pasar kumuh', 'elpiji 3 kg langka', 'harga sembako naik'] },
  { div: 'komisi-a', s: ['pungli di kelurahan', 'ngurus KTP dipersulit', 'e-KTP belum jadi berbulan-bulan', 'petugas pelayanan jutek', 'antrean dukcapil ga jelas',
    'balap liar tiap malam', 'geng motor meresahkan', 'klitih lagi', 'anak2 mabuk di pos ronda', 'karaoke bising sampai subuh'] },
  { div: 'komisi-d', s: ['bansos ga tepat sasaran', 'BPJS tiba2 nonaktif', 'puskesmas antre sampai siang', 'obat di puskesmas kosong', 'zonasi PPDB ga adil',
    'sekolah minta pungutan', 'DBD udah banyak belum fogging', 'lansia ga dapet bantuan'] },
  { div: 'komisi-c', s: ['angkot ngetem sembarangan', 'sopir angkot ugal-ugalan', 'bus kota ga pernah tepat waktu', 'halte rusak atapnya bolong', 'halte dipake tidur gelandangan',
    'ojol mangkal di bahu jalan', 'jembatan penyeberangan karatan bahaya', 'rambu lalu lintas ketutup pohon', 'marka jalan udah ga keliatan', 'polisi tidur ketinggian bikin motor mentok'] },
  { div: 'komisi-c', s: ['toilet umum taman jorok', 'taman kota kotor banyak sampah', 'bangku taman rusak', 'fasilitas taman dirusak orang', 'baliho liar nutupin rambu', 'spanduk liar di mana-mana',
    'coretan vandal di tembok', 'kabel fiber optik semrawut', 'tiang bekas ga dicabut', 'proyek galian bikin debu tebel'] },
  { div: 'komisi-a', s: ['suara knalpot brong tiap malam', 'anjing liar ngejar pengendara', 'pengamen maksa minta uang', 'pak ogah minta duit di putaran', 'preman minta jatah ke pedagang',
    'mobil dinas dipake belanja', 'pegawai kelurahan ga ada di tempat', 'pelayanan kecamatan lelet', 'sidak dong pelayanan di kantor camat'] },
  { div: 'komisi-b', s: ['tagihan air ga sesuai pemakaian', 'meteran PDAM rusak ga diganti', 'tarif parkir naik seenaknya', 'pasar tradisional kumuh becek', 'pedagang pasar ditarik pungutan liar'] },
  { div: 'komisi-d', s: ['rumah sakit nolak pasien BPJS', 'antre rumah sakit ga jelas', 'ambulans lama banget datangnya', 'posyandu ga jalan', 'guru sering ga masuk', 'sekolah rusak atap bocor'] },
];
const C_OPEN = ['', '', '', 'min', 'pak', 'bu', 'punten', 'permisi', 'tolong', 'lapor', 'lapor pak', 'halo min', 'pak wali', 'min mau lapor', 'assalamualaikum pak', 'woy',
  'bapak ibu yth', 'gini min', 'info', 'pagi min', 'mau ngadu', 'sekedar info', 'pak, mohon maaf', 'admin yth'];
const C_ASK = ['kapan dibenerin?', 'kapan diperbaiki pak?', 'tolong dong', 'mohon ditindaklanjuti', 'tolong segera ditangani', 'mohon perhatiannya', 'tlg dicek',
  'ada yg ngurus ga sih?', 'kemana aja dinasnya?', 'tolong lah pak', 'mohon segera', 'please fix', 'sampai kapan?', 'masa harus viral dulu?', 'nunggu korban dulu?',
  'udah lapor berkali2 ga ada respon', 'gimana ini pak?', 'iraha dibenerkeun?', 'kumaha ieu pak?', 'ditunggu aksinya', 'tolong turun ke lapangan', 'kok dibiarin?',
  'mohon dinas terkait', 'segera pak sebelum ada korban', 'tolong diangkut', 'please', 'urgent!', 'harus nunggu berapa lama lagi?', 'help', 'ga ada tindakan sama sekali'];
const C_EFFECT = ['udah ada yg jatuh', 'motor saya hampir nyungsep', 'anak sekolah kesulitan lewat', 'warga resah', 'bahaya buat pengendara', 'bau sampe ke rumah',
  'ga bisa tidur', 'telat kerja gara2 ini', 'jualan jadi sepi', 'nyamuk dimana-mana', 'rawan kecelakaan', 'mobil ga bisa lewat', 'harus beli air galon terus',
  'tetangga udah ada yg kena DBD', 'ban bocor kena lubang', 'pejalan kaki ga kebagian jalan'];
const C_SARC = ['mantap bener kotaku', 'luar biasa pelayanannya', 'keren banget ya', 'jalan rasa wahana', 'selamat ulang tahun lubang ke-2', 'katanya smart city',
  'kota layak huni katanya', 'pajak jalan terus, jalannya gini aja', 'cocok buat kolam lele', 'asik bisa offroad tiap hari', 'makasih lho pemkot udah dibiarin', 'prestasi'];

function complaintTweet(): SocialRow {
  const t = pick(CTOPICS);
  const prob = pick(t.s);
  const r = rnd();
  let text: string;
  if (r < 0.14) {
    // terse: mention + problem (+ place)
    text = `${mentions()} ${prob} ${maybe(0.7, place)} ${maybe(0.4, eneg)}`;
  } else if (r < 0.32) {
    text = `${mentions()} ${pick(C_OPEN)} ${prob} di ${place()} ${pick(TIME_AGO)}, ${pick(C_ASK)} ${maybe(0.4, url)} ${maybe(0.25, tag)}`;
  } else if (r < 0.44) {
    // sarcasm
    text = `${pick(C_SARC)}, ${prob} di ${place()} ${maybe(0.6, () => pick(TIME_AGO))} ${maybe(0.5, () => pick(C_ASK))} ${mentions()} ${maybe(0.4, eneg)} ${maybe(0.3, url)}`;
  } else if (r < 0.56) {
    // question-shaped complaint
    const q = pick(['kapan {p} di {l} dibenerin?', '{p} di {l} kapan ditangani?', 'sampai kapan {p} di {l}?', 'kenapa {p} di {l} dibiarin aja?', '{l} {p} lagi, ada yg peduli ga?',
      'iraha {p} di {l} dibereskeun?', 'apa harus ada korban dulu baru {p} di {l} diurus?', 'ini {p} di {l} mau sampai kapan pak?', 'gmn nasib {p} di {l}?']);
    text = `${maybe(0.8, mentions)} ${q.replace('{p}', prob).replace('{l}', place())} ${maybe(0.4, () => pick(TIME_AGO))} ${maybe(0.3, eneg)} ${maybe(0.3, url)}`;
  } else if (r < 0.68) {
    // with effect
    text = `${pick(C_OPEN)} ${mentions()} ${prob} ${pick(NOW)} di ${place()}, ${pick(C_EFFECT)}. ${pick(C_ASK)} ${maybe(0.3, tag)}`;
  } else if (r < 0.76) {
    // photo report
    text = `${prob} ${place()} ${pick(TIME_AGO)} ${mentions()} ${url()} ${maybe(0.5, tag)}`;
  } else if (r < 0.84) {
    // thanks-wrapped but still a grievance
    text = `${mentions()} ${pick(['makasih udah respon, tapi', 'terima kasih pak, tp', 'dulu udah dibenerin tp', 'hatur nuhun, mung', 'udah dilaporin kmrn tp'])} ${prob} di ${place()} ${pick(['masih sama aja', 'kambuh lagi', 'belum ada perubahan', 'tetep aja', 'masih belum beres'])}. ${pick(C_ASK)}`;
  } else if (r < 0.92) {
    // longer personal story
    text = `${mentions()} ${pick(['Pak, saya warga', 'Saya tinggal di', 'Kami warga', 'Rumah saya di', 'Tiap hari saya lewat'])} ${place()}. ${capital(prob)} ${pick(TIME_AGO)}. ${pick(C_EFFECT)}. ${pick(['Sudah lapor ke RT', 'Sudah lapor lewat aplikasi', 'Sudah kirim DM', 'Sudah telepon call center'])} tapi ${pick(['belum ada tindak lanjut', 'ga ada kabar', 'cuma dibilang nanti', 'ga direspon'])}. ${pick(C_ASK)} ${maybe(0.4, url)}`;
  } else {
    // Sundanese / Javanese mixed
    text = `${mentions()} ${pick(['punten pak', 'pak, eta', 'kang', 'nyuwun sewu pak', 'pak wali', 'lur'])} ${pick(['jalan di', 'lampu di', 'saluran di', 'sampah di', 'cai PDAM di', 'dalan ing'])} ${place()} ${pick(['rusak pisan', 'pareum ti kamari', 'mampet deui', 'numpuk teu dicandak', 'teu ngocor tos 3 dinten', 'rusak parah ora didandani', 'mati wis seminggu', 'banjir deui'])}, ${pick(['iraha dibenerkeun?', 'mohon dibantu', 'kumaha ieu?', 'tulung didandani', 'kapan pak?', 'nyuwun tulung'])} ${maybe(0.3, eneg)}`;
  }
  if (rnd() < 0.06) text = `RT ${pick(USER_ACC)}: ${text}`;
  if (rnd() < 0.15) text = text.toLowerCase();
  return { text: tidy(text), label: 'complaint', division: t.div, lang: 'sms' };
}
function capital(s: string): string { return s.charAt(0).toUpperCase() + s.slice(1); }

// ------------------------------------------------------------------ government work reports and replies
const UNITS = ['URC', 'Tim URC', 'UPT PJU', 'Satgas Drainase', 'Satgas Kebersihan', 'Tim Reaksi Cepat', 'Petugas DPUPKP', 'Petugas DLH', 'Petugas PDAM', 'Satpol PP',
  'Dishub', 'BPBD', 'Tim Pemeliharaan Jalan', 'Petugas kebersihan', 'Pasukan Orange', 'Bidang Bina Marga', 'Bidang SDA', 'Petugas kelurahan'];
const WORKS = ['pengerukan saluran', 'pengerukan sedimen saluran', 'pembersihan saluran', 'pembersihan gorong-gorong', 'penambalan jalan berlubang', 'penambalan lubang jalan',
  'perbaikan PJU', 'penggantian lampu PJU', 'pemangkasan pohon', 'perantingan pohon', 'pengangkatan sampah di saluran', 'pengangkutan sampah', 'normalisasi sungai',
  'perbaikan trotoar', 'pengaspalan jalan', 'pemasangan rambu', 'pengecatan marka', 'perbaikan tutup saluran', 'pembuatan sumur resapan', 'penanganan genangan',
  'perbaikan pipa bocor', 'penertiban PKL', 'penertiban reklame liar', 'penertiban parkir liar', 'pembersihan taman', 'penyapuan jalan', 'penyemprotan fogging',
  'pengurasan kolam retensi', 'perbaikan jembatan', 'pemasangan u-ditch', 'perbaikan saluran yang jebol', 'pengangkatan pohon tumbang', 'perbaikan lampu lalu lintas'];
const WORK_DONE = ['telah dilakukan', 'sudah selesai', 'selesai dikerjakan', 'sedang berlangsung', 'dilaksanakan hari ini', 'berjalan lancar', 'rampung', 'tuntas'];
const UNIT_DONE = ['telah melakukan', 'melaksanakan', 'sedang melakukan', 'hari ini melakukan', 'menuntaskan', 'menindaklanjuti laporan warga dengan', 'bergerak cepat melakukan'];

function workReport(): SocialRow {
  const w = pick(WORKS);
  const r = rnd();
  let text: string;
  if (r < 0.25) {
    // "URC Kotagede, pengerukan saluran di Jl ..."
    text = `${pick(['URC', 'Tim URC', 'Satgas', 'UPT', 'Pemeliharaan'])} ${pick(AREAS)}, ${w} di ${place()} ${maybe(0.5, () => pick(WORK_DONE))} ${maybe(0.6, url)} ${maybe(0.3, tag)}`;
  } else if (r < 0.45) {
    text = `RT ${pick(AGENCY_ACC)}: ${pick(UNITS)} ${pick(AREAS)} ${pick(UNIT_DONE)} ${w} di ${place()} ${maybe(0.5, url)}`;
  } else if (r < 0.6) {
    text = `${pick(['Petugas telah', 'Tim kami sudah', 'Petugas sudah', 'Alhamdulillah petugas telah', 'Hari ini petugas', 'Pagi ini tim'])} ${pick(['menambal lubang', 'membersihkan saluran', 'mengangkut sampah', 'memperbaiki lampu PJU', 'memangkas pohon', 'mengeruk sedimen', 'menertibkan PKL', 'memperbaiki pipa', 'mengaspal ulang jalan', 'membersihkan gorong-gorong'])} di ${place()}${pick(['.', ', terima kasih atas laporannya.', ', kondisi sudah normal.', '. Mohon maaf atas ketidaknyamanannya.', ' sesuai laporan warga.'])} ${maybe(0.5, url)}`;
  } else if (r < 0.72) {
    text = `${pick(['Update', 'Progres', 'Dokumentasi', 'Laporan kegiatan', 'Kegiatan hari ini', 'Info kegiatan', 'Foto kegiatan'])}: ${w} ${pick(['di', 'di wilayah', 'sepanjang'])} ${place()} ${pick(WORK_DONE)}. ${maybe(0.5, url)} ${maybe(0.5, tag)}`;
  } else if (r < 0.84) {
    text = `${pick(UNITS)} ${pick(UNIT_DONE)} ${w} ${pick(['di', 'pada ruas', 'di kawasan'])} ${place()} ${pick(['pada hari ini', 'pukul 09.00', 'mulai pagi tadi', 'bersama warga setempat', 'untuk mengantisipasi genangan', 'dalam rangka musim hujan', ''])} ${maybe(0.4, url)}`;
  } else {
    text = `${pick(['Mohon maaf perjalanan Anda terganggu', 'Pengumuman', 'Info lalu lintas', 'Rekayasa lalu lintas', 'Perhatian'])}, ${pick(['ada', 'akan dilaksanakan', 'sedang ada'])} ${w} di ${place()} ${pick(['tanggal 12-14', 'mulai besok', 'selama 3 hari', 'pukul 22.00-04.00', 'minggu ini'])}. ${pick(['Mohon gunakan jalur alternatif.', 'Terima kasih atas pengertiannya.', 'Harap berhati-hati.', ''])} ${maybe(0.3, tag)}`;
  }
  return { text: tidy(text), label: 'statement', division: null, lang: 'id' };
}

const REPLY_OPEN = ['Terima kasih laporannya', 'Terima kasih atas informasinya', 'Siap', 'Baik', 'Halo kak', 'Hai', 'Selamat pagi', 'Terima kasih sudah menghubungi kami', 'Mohon maaf atas ketidaknyamanannya',
  'Laporan diterima', 'Terima kasih masukannya', 'Siap, terima kasih', 'Hatur nuhun', 'Matur nuwun infonya'];
const REPLY_BODY = ['sudah kami teruskan ke dinas terkait', 'segera kami tindak lanjuti', 'akan kami koordinasikan dengan OPD terkait', 'petugas sudah menuju lokasi',
  'sudah kami sampaikan ke UPT terkait', 'laporan Anda sudah kami catat', 'tim kami akan segera mengecek ke lokasi', 'sudah ditangani oleh petugas pagi tadi',
  'mohon ditunggu ya', 'sudah masuk jadwal perbaikan minggu ini', 'sudah kami tindaklanjuti, mohon dicek kembali', 'kami teruskan ke bidang terkait',
  'silakan juga laporkan melalui aplikasi pengaduan resmi', 'nomor laporan Anda sudah terdaftar', 'perbaikan dijadwalkan setelah musim hujan', 'sedang dalam proses pengadaan'];
const REPLY_CLOSE = ['', '', 'Salam.', '🙏', 'Terima kasih.', '#MelayaniDenganHati', 'Salam sehat.', '-adm', '^ad', 'Semoga membantu.'];
function govReply(): SocialRow {
  const r = rnd();
  let text: string;
  if (r < 0.7) text = `${pick(USER_ACC)} ${pick(REPLY_OPEN)}, ${pick(REPLY_BODY)}. ${pick(REPLY_CLOSE)}`;
  else if (r < 0.85) text = `${pick(USER_ACC)} ${pick(REPLY_OPEN)}. ${pick(['Boleh dibantu lokasi lengkapnya?', 'Mohon info titik lokasinya via DM ya.', 'Bisa kirim fotonya kak?', 'Mohon sertakan nama jalan dan patokan ya.'])}`;
  else text = `${pick(USER_ACC)} ${pick(['Siap, segera kami tindak lanjuti', 'Sudah diperbaiki ya kak', 'Lampu sudah menyala kembali', 'Sampah sudah diangkut pagi ini', 'Saluran sudah dibersihkan', 'Sudah ditambal kemarin sore'])}. ${pick(['Terima kasih partisipasinya', 'Terima kasih sudah peduli', 'Salam', 'Matur nuwun'])} ${maybe(0.4, url)}`;
  return { text: tidy(text), label: 'statement', division: null, lang: 'id' };
}

// ------------------------------------------------------------------ news / info retweets
const NEWS = ['Wali Kota resmikan taman baru di {a}', 'Pemkot raih penghargaan kota layak anak', 'Car free day kembali digelar Minggu ini di {s}', 'Festival kuliner akhir pekan di alun-alun',
  'Pemkot siapkan 20 lokasi vaksinasi gratis', 'Jadwal samsat keliling pekan ini', 'Wali kota tinjau pembangunan pasar {a}', 'Ribuan warga ikut senam massal di {s}',
  'Pemkot luncurkan aplikasi layanan warga', 'BMKG: hujan ringan diprediksi turun sore nanti', 'Pendaftaran sekolah dibuka mulai pekan depan', 'Pemkot gelar pasar murah di 14 kecamatan',
  'Angka kemiskinan kota turun 2 persen', 'Wali kota ajak warga pilah sampah dari rumah', 'Pembangunan jalan lingkar ditargetkan rampung akhir tahun', 'Peringatan hari jadi kota dimeriahkan kirab budaya',
  'Lomba kampung bersih tingkat kota resmi dibuka', 'Perpustakaan kota kini buka sampai malam', 'Bus kota tambah armada untuk rute {a}', 'Pemkot bagikan bibit pohon gratis',
  'Data terbaru kasus DBD menurun', 'Gerakan menanam pohon serentak di {a}', 'Jembatan baru di {a} mulai bisa dilalui', 'Wali kota lantik pejabat baru', 'Stadion siap jadi tuan rumah laga akhir pekan',
  'Sosialisasi bank sampah di {a}', 'Layanan adminduk kini bisa online', 'Pemkot perpanjang diskon PBB sampai akhir bulan', 'Kirab budaya digelar di {s} malam ini', 'Tips aman berkendara saat hujan'];
function newsRt(): SocialRow {
  const h = pick(NEWS).replace('{a}', pick(AREAS)).replace('{s}', pick(STREETS));
  const r = rnd();
  let text: string;
  if (r < 0.5) text = `RT ${pick([...NEWS_ACC, ...CITY_ACC])}: ${h} ${maybe(0.7, url)} ${maybe(0.4, tag)}`;
  else if (r < 0.7) text = `${h} ${url()} via ${pick(NEWS_ACC)}`;
  else if (r < 0.85) text = `${pick(['Baca:', 'Info:', 'Berita hari ini:', 'Kabar baik!', 'Breaking:', 'Sekilas info,'])} ${h} ${maybe(0.6, url)} ${maybe(0.5, tag)}`;
  else text = `${mentions()} ${pick(['ikut share ya', 'sudah baca ini pak?', 'keren nih beritanya', 'info penting'])} ${h} ${url()}`;
  return { text: tidy(text), label: 'statement', division: null, lang: 'id' };
}

// ------------------------------------------------------------------ banter, support, opinions, life
const CHAT = [
  'semangat pak wali!', 'semangat terus pak', 'sehat selalu pak wali', 'sukses selalu bu', 'mantap pak lanjutkan', 'kapan main ke kampus kami pak?', 'pak kapan ngopi bareng warga lagi?',
  'ditunggu di acara 17an kampung kami pak', 'pak wali idola', 'pak minta foto bareng dong', 'salam dari warga rantau pak', 'kangen kota ini', 'pak selamat ulang tahun, panjang umur',
  'barakallah fii umrik pak', 'selamat hari raya pak wali, mohon maaf lahir batin', 'minal aidin wal faizin pak', 'selamat natal pak', 'happy birthday pak!',
  'selamat menunaikan ibadah puasa', 'doain saya lulus sidang pak', 'pak saya baru wisuda hari ini', 'pak jadi nonton bola ga nanti malam?', 'ayo PSIM menang!',
  'timnas main jam berapa pak?', 'hujan terus nih pak, jangan lupa bawa payung', 'panas banget hari ini', 'cuacanya adem, enak buat jalan pagi', 'pagi pak, udah sarapan?',
  'rekomendasi gudeg enak di mana pak?', 'bakso depan balai kota enak pak', 'lagi makan soto, inget bapak', 'bapak mirip artis pak hehe', 'pak wali lucu banget di video kemarin',
  'wkwk pak wali bisa aja', 'pak ini serius?', 'bapak ngetwit sendiri apa admin nih?', 'admin nya ramah banget', 'follback pak', 'ikut nyimak', 'nyimak aja pak', 'setuju pak',
  'sepakat', 'betul pak', 'aamiin', 'aamiin ya rabbal alamin', 'insyaallah pak', 'nuhun pak', 'siap laksanakan', 'mantul', 'gaskeun pak', 'keren', 'kereen', 'joss',
  'top markotop', 'bangga sama kota sendiri', 'kota ini makin cantik', 'jalan pagi keliling kota, udaranya seger', 'baru pulang kerja, capek tapi bahagia',
  'lagi macet? ngga kok, lancar jaya pagi ini', 'jalanan lancar pagi ini', 'arus lalu lintas ramai lancar', 'alhamdulillah lalu lintas normal', 'nonton konser di alun-alun seru banget',
  'pak wali kapan nyanyi lagi?', 'pilkada nanti pilih yang amanah', 'jangan golput ya guys', 'menurut saya kebijakan ini bagus', 'saya dukung program bapak', 'program ini harus dilanjutkan',
  'semoga amanah sampai akhir jabatan', 'politik itu dinamis pak', 'beda pilihan tetap saudara', 'selamat bertugas pak', 'selamat atas pelantikannya', 'selamat atas penghargaannya pak',
  'turut berduka cita pak', 'innalillahi, semoga husnul khotimah', 'cepat sembuh pak', 'semoga lekas pulih', 'good morning pak mayor', 'have a nice day sir', 'nice info',
  'wilujeng enjing pak', 'sugeng enjing pak', 'sampurasun', 'rampes', 'mangga pak', 'punten pak, ngiring nyimak', 'matur nuwun pak', 'hatur nuhun pisan', 'mugi sehat salawasna',
  'mugi lancar sadayana', 'ayo olahraga', 'jangan lupa bahagia', 'love this city', 'kapan-kapan ke sini lagi pak', 'ditunggu kunjungannya di sekolah kami',
  'undang pak wali ke pengajian RW kami dong', 'pak jadi pembina upacara di sekolah anak saya', 'terinspirasi sama bapak', 'pidato bapak kemarin keren', 'quote hari ini: kerja ikhlas',
  '"kota ini milik kita bersama"', 'anak saya pengen jadi wali kota katanya', 'kucing saya namanya wali hehe', 'pak kok belum tidur?', 'lembur ya pak?', 'istirahat pak jangan capek2',
];
const CHAT_TAIL = ['', '', '', 'pak', 'bu', 'min', 'hehe', 'wkwk', ':)', '🙏', '😁', '👍', '❤️', '💪', 'euy', 'lho', 'ya', 'nih'];
function banter(): SocialRow {
  const r = rnd();
  let text: string;
  if (r < 0.6) text = `${maybe(0.8, mentions)} ${pick(CHAT)} ${pick(CHAT_TAIL)} ${maybe(0.25, tag)} ${maybe(0.15, url)}`;
  else if (r < 0.8) text = `${pick(CHAT)} ${maybe(0.5, mentions)} ${pick(CHAT)} ${maybe(0.3, epos)}`;
  else text = `RT ${pick([...PERSON_ACC, ...CITY_ACC])}: ${pick(CHAT)} ${maybe(0.3, epos)} ${maybe(0.3, url)}`;
  if (rnd() < 0.2) text = text.toLowerCase();
  return { text: tidy(text), label: 'statement', division: null, lang: 'sms' };
}

// thanks and praise, including for problems that were fixed
const FIXED_THING = ['lampu di {l}', 'PJU di {l}', 'lampu jalan {l}', 'jalan {l}', 'lubang di {l}', 'saluran di {l}', 'got di {l}', 'sampah di {l}', 'trotoar {l}',
  'air PDAM di rumah', 'air di {l}', 'taman {l}', 'jembatan {l}', 'zebra cross {l}', 'lampu merah {l}', 'drainase {l}'];
const FIXED_STATE = ['sudah nyala lagi', 'udah terang', 'atos sae', 'tos hurung', 'sudah mulus', 'udah ditambal', 'sudah bersih', 'udah lancar', 'sudah diangkut', 'sudah ngalir lagi',
  'sekarang rapi', 'makin cantik', 'udah bagus', 'sudah beres', 'wis apik', 'wis padhang', 'mulus kayak jalan tol', 'sudah tidak banjir lagi', 'sekarang kering walau hujan deras'];
const THANKS = ['terima kasih', 'makasih', 'hatur nuhun', 'matur nuwun', 'thanks', 'thank you', 'terimakasih banyak', 'trims', 'nuhun', 'makasih banyak', 'suwun', 'tengkyu'];
function thanksPraise(): SocialRow {
  const thing = pick(FIXED_THING).replace('{l}', pick(STREETS));
  const r = rnd();
  let text: string;
  if (r < 0.35) text = `${pick(THANKS)} ${mention()} ${thing} ${pick(FIXED_STATE)} ${maybe(0.5, epos)}`;
  else if (r < 0.6) text = `${mentions()} ${pick(['alhamdulillah', 'wah', 'akhirnya', 'mantap', 'keren', 'asik'])} ${thing} ${pick(FIXED_STATE)}, ${pick(THANKS)} ${pick(['pak', 'min', 'petugas', 'tim URC', 'bapak ibu', ''])} ${maybe(0.5, epos)}`;
  else if (r < 0.75) text = `${pick(['Respon cepat', 'Pelayanan top', 'Gercep', 'Salut', 'Apresiasi', 'Jempol'])} ${pick(['buat', 'untuk'])} ${mention()}, ${pick(['laporan kemarin langsung ditangani', 'baru lapor tadi pagi sorenya udah beres', 'petugasnya ramah', 'kerjanya rapi'])} ${maybe(0.5, epos)}`;
  else if (r < 0.88) text = `${mentions()} ${pick(THANKS)} ${pick(['pak', 'bu', 'min', 'atas kerja kerasnya', 'sudah mendengar aspirasi warga', 'atas infonya', 'sudah gercep', 'untuk kotanya yang makin nyaman'])} ${maybe(0.5, epos)}`;
  else text = `${pick(['Dulu', 'Tahun lalu', 'Waktu itu'])} ${thing} ${pick(['sering banjir', 'rusak', 'gelap', 'kumuh'])}, ${pick(['sekarang', 'skrg', 'kini'])} ${pick(FIXED_STATE)}. ${pick(THANKS)} ${mention()}`;
  if (rnd() < 0.25) text = text.toLowerCase();
  return { text: tidy(text), label: 'statement', division: null, lang: 'mix' };
}

// events, announcements, suggestions without grievance
const EVENTS = ['senam bersama', 'jalan sehat', 'kerja bakti', 'donor darah', 'pengajian akbar', 'lomba mewarnai', 'bazar UMKM', 'pentas seni', 'festival layang-layang', 'nonton bareng',
  'khitanan massal', 'pasar murah', 'vaksinasi', 'pelatihan digital UMKM', 'lomba 17an', 'turnamen futsal', 'gowes bareng', 'cek kesehatan gratis'];
function eventNotice(): SocialRow {
  const e = pick(EVENTS);
  const r = rnd();
  let text: string;
  if (r < 0.45) text = `${pick(['Yuk ikut', 'Ayo ramaikan', 'Jangan lupa', 'Hadirilah', 'Catat tanggalnya!', 'Save the date:'])} ${e} ${pick(['hari Minggu', 'besok pagi', 'tanggal 17', 'akhir pekan ini', 'Sabtu depan', 'pukul 07.00'])} di ${place()} ${maybe(0.5, tag)} ${maybe(0.5, url)}`;
  else if (r < 0.7) text = `${mentions()} ${pick(['izin share pak,', 'mohon dibantu share,', 'pak, kami mengundang bapak di', 'ditunggu kehadirannya di'])} ${e} ${pick(['RW 05', 'kampung kami', 'karang taruna', 'sekolah kami', 'komunitas kami'])} ${pick(['minggu depan', 'tanggal 20', 'bulan ini'])} ${maybe(0.4, epos)}`;
  else text = `${pick(['Saran pak', 'Usul min', 'Ide aja', 'Sekadar masukan', 'Mungkin bisa dipertimbangkan'])}, ${pick(['gimana kalau ada', 'bagus juga kalau diadakan', 'mungkin perlu ditambah', 'kayaknya seru kalau ada'])} ${pick(['taman baca di tiap kelurahan', 'jalur sepeda di ' + pick(STREETS), 'festival musik tahunan', 'lebih banyak bangku taman', 'bus sekolah gratis', 'lomba kampung hijau', 'CFD di ' + pick(STREETS), 'wifi gratis di taman', 'pojok kuliner malam'])} ${maybe(0.4, mentions)} ${maybe(0.4, epos)}`;
  return { text: tidy(text), label: 'statement', division: null, lang: 'id' };
}

// English / mixed chatter
const EN_CHAT = ['what a beautiful morning in the city', 'love the new park', 'traffic is smooth today', 'great job on the festival', 'proud of my hometown', 'lol the mayor is so funny',
  'anyone going to the concert tonight?', 'just finished my morning run around the square', 'the food here never disappoints', 'congrats on the award', 'have a great weekend everyone',
  'thank you for the quick response', 'so happy the street lights are working again', 'nice work team'];
function englishChat(): SocialRow {
  const text = `${maybe(0.6, mentions)} ${pick(EN_CHAT)} ${maybe(0.4, epos)} ${maybe(0.3, tag)} ${maybe(0.2, url)}`;
  return { text: tidy(text), label: 'statement', division: null, lang: 'en' };
}

// ------------------------------------------------------------------ real information requests
const Q_SUBJ = ['jadwal CFD minggu ini', 'syarat bikin KTP', 'jam buka dukcapil', 'lokasi vaksin booster', 'jadwal samsat keliling', 'pendaftaran PPDB', 'lowongan PPPK',
  'rute bus kota ke terminal', 'jadwal pasar murah', 'lokasi bank sampah terdekat', 'cara daftar UMKM binaan', 'tiket masuk museum', 'jam operasional perpustakaan kota',
  'pendaftaran lomba kampung', 'nomor call center darurat', 'cara bayar PBB online', 'jadwal pengambilan sampah', 'syarat izin keramaian', 'pendaftaran beasiswa pemkot'];
function infoQuestion(): SocialRow {
  const s = pick(Q_SUBJ);
  const text = `${maybe(0.8, mentions)} ${pick(['min, mau tanya', 'punten, bade naros', 'pak, numpang tanya', 'permisi kak', 'min', 'halo', 'kak admin'])} ${pick(['{s} kapan ya?', '{s} di mana ya?', 'info {s} dong', '{s} gimana caranya?', 'ada info {s}?', '{s} masih buka ga?', 'kalau {s} bisa online?'])}`.replace('{s}', s);
  return { text: tidy(`${text} ${maybe(0.3, epos)}`), label: 'question', division: null, lang: 'sms' };
}

// everyday life chatter: wide, neutral vocabulary with no grievance (teaches that a complaint needs a problem)
const LIFE_SUBJ = ['aku', 'saya', 'gue', 'abdi', 'urang', 'kita', 'kami sekeluarga', 'anak saya', 'temen2 kantor', 'adik', 'si kecil', 'emak', 'bapak saya', 'pacar', 'kucingku', 'tim kami', 'anak kos'];
const LIFE_ACT = ['lagi ngopi', 'baru bangun', 'mau berangkat kuliah', 'lagi nonton film', 'otw kantor', 'lagi masak nasi goreng', 'lagi dengerin lagu', 'baru selesai ujian', 'lagi nyari seblak',
  'mau ke pantai', 'lagi nunggu hujan reda', 'baru pulang dari mall', 'lagi belajar buat UTS', 'lagi jogging di taman', 'lagi makan batagor', 'mau mudik', 'baru nikah', 'lagi liburan',
  'lagi ulin ka bandung', 'nuju tuang', 'bade angkat damel', 'lagi foto2 di alun-alun', 'lagi ngerjain skripsi', 'lagi main futsal', 'lagi nonton bola', 'mau ikut lomba lari',
  'lagi ngantri tiket konser', 'lagi bikin video', 'lagi baca buku', 'baru beli sepeda', 'lagi nungguin ojol', 'lagi piknik', 'lagi arisan', 'lagi ngabuburit', 'lagi sahur'];
const LIFE_TAIL = ['seru banget', 'asik', 'bahagia', 'capek tapi seneng', 'alhamdulillah', 'doain ya', 'mantap', 'hehe', 'wkwk', 'euy', 'atuh', 'lur', 'gan', 'bro', 'sis', 'guys', 'nih',
  'mah', 'wae', 'sok atuh', 'hayu', 'gimana menurut bapak?', 'ada yang mau ikut?', 'kangen', 'lucu pisan', 'geulis pisan', 'kasep', 'gokil', 'santuy', 'receh', 'ngakak'];
const LIFE_Q = ['pak udah makan belum?', 'pak kapan main ke sekolah kami?', 'pak boleh minta follback?', 'pak tim favoritnya apa?', 'bapak suka seblak ga?', 'pak lagi di mana sekarang?',
  'pak kapan-kapan ngobrol bareng mahasiswa yuk?', 'pak sibuk ga hari ini?', 'pak hobinya apa?', 'bapak pernah naik angkot ga?', 'pak mau jadi gubernur ga?', 'pak gimana caranya biar sukses?',
  'kapan atuh main ka kampus?', 'pak damang?', 'kumaha kabarna pak?', 'pak bade kamana?', 'pak ikut lari pagi besok?', 'pak kapan nonton bareng lagi?'];
function lifeChat(): SocialRow {
  const r = rnd();
  let text: string;
  if (r < 0.5) text = `${maybe(0.5, mentions)} ${pick(LIFE_SUBJ)} ${pick(LIFE_ACT)} ${maybe(0.5, () => pick(NOW))} ${pick(LIFE_TAIL)} ${maybe(0.5, epos)} ${maybe(0.2, tag)} ${maybe(0.2, url)}`;
  else if (r < 0.8) text = `${mentions()} ${pick(LIFE_Q)} ${maybe(0.4, epos)}`;
  else text = `${mentions()} ${pick(CHAT)} ${pick(LIFE_Q)} ${maybe(0.3, () => pick(LIFE_TAIL))}`;
  if (rnd() < 0.3) text = text.toLowerCase();
  return { text: tidy(text), label: 'statement', division: null, lang: 'sms' };
}

// opinions and discussion about city issues in general (no report of a specific place, no ask)
const ISSUE = ['macet', 'banjir', 'sampah', 'parkir', 'PKL', 'transportasi umum', 'ruang terbuka hijau', 'polusi', 'pembangunan kota', 'tata kota', 'pariwisata', 'pendidikan', 'UMKM'];
const OPINION = ['menurut saya solusi {i} itu', 'kalau soal {i}, kuncinya', 'masalah {i} itu tanggung jawab kita bersama, mulai dari', 'saya pikir urusan {i} bisa beres kalau ada',
  'soal {i} jangan cuma salahin pemerintah, warga juga harus', 'diskusi soal {i} semalam seru, intinya perlu', 'urusan {i} di kota besar memang kompleks, butuh', 'biar {i} berkurang, yuk'];
const OPINION_END = ['kesadaran warga', 'transportasi massal yang nyaman', 'disiplin bersama', 'buang sampah pada tempatnya', 'naik sepeda ke kantor', 'gotong royong', 'edukasi sejak dini',
  'kolaborasi semua pihak', 'pakai angkutan umum', 'kurangi plastik', 'tanam pohon di rumah', 'bikin biopori'];
function opinion(): SocialRow {
  const i = pick(ISSUE);
  const text = `${maybe(0.7, mentions)} ${pick(OPINION).replace('{i}', i)} ${pick(OPINION_END)} ${maybe(0.3, () => pick(['pak', 'setuju ga pak?', 'gimana menurut bapak?', '']))} ${maybe(0.3, epos)} ${maybe(0.2, tag)}`;
  return { text: tidy(text), label: 'statement', division: null, lang: 'id' };
}
// traffic and weather information (accounts that report conditions; no grievance)
function conditionInfo(): SocialRow {
  const r = rnd();
  let text: string;
  if (r < 0.55) text = `${pick(['Info lalin', 'Pantauan lalu lintas', 'Update lalin', 'Lalin', 'Info arus lalu lintas', 'Pantauan CCTV'])} ${pick(['pukul 07.15', 'pagi ini', 'sore ini', 'jam 17.30', 'saat ini', ''])}: ${pick(STREETS)} ${pick(['ramai lancar', 'padat merayap', 'terpantau lancar', 'padat di kedua arah', 'ramai tersendat', 'normal', 'lancar jaya', 'padat karena jam pulang kantor'])}${pick(['.', ', ' + pick(STREETS) + ' lancar.', ', hati-hati di jalan.', ''])} ${maybe(0.4, tag)}`;
  else if (r < 0.8) text = `${pick(['Prakiraan cuaca', 'Info cuaca', 'Cuaca hari ini', 'BMKG'])}: ${pick(['hujan ringan di sebagian wilayah', 'cerah berawan', 'hujan disertai petir sore hari', 'berawan sepanjang hari', 'suhu 22-30 derajat'])}. ${pick(['Sedia payung ya', 'Tetap jaga kesehatan', 'Hati-hati berkendara', ''])} ${maybe(0.4, tag)}`;
  else text = `${pick(['Pantauan', 'Info', 'Laporan BPBD'])}: ${pick(['genangan di', 'debit air sungai di', 'kondisi'])} ${place()} ${pick(['sudah surut', 'terpantau normal', 'mulai surut, petugas siaga', 'aman terkendali'])}. ${pick(['Tetap waspada', 'Terima kasih', ''])}`;
  return { text: tidy(text), label: 'statement', division: null, lang: 'id' };
}
// questions about plans and projects (information requests, not grievances)
function planQuestion(): SocialRow {
  const text = `${maybe(0.8, mentions)} ${pick(['pak,', 'min,', 'punten,', '', 'mau nanya pak,'])} ${pick(['kapan', 'jadi', 'rencananya kapan', 'kira-kira kapan'])} ${pick(['jalan layang', 'taman tematik baru', 'bus rapid transit', 'stadion baru', 'perpustakaan digital', 'jalur sepeda', 'alun-alun baru', 'pasar modern', 'skybridge', 'museum kota'])} ${pick(['mulai dibangun', 'diresmikan', 'dibuka untuk umum', 'beroperasi', 'jadi dibangun'])}? ${maybe(0.4, () => pick(['penasaran', 'udah ga sabar', 'ditunggu pak', 'semoga cepat']))} ${maybe(0.3, epos)}`;
  return { text: tidy(text), label: 'question', division: null, lang: 'sms' };
}

// ================================================================== second stream: Sundanese-mixed timeline
// The rows below draw from their own RNG stream (rnd2), so the rows above never move. They teach that
// Sundanese/Javanese particles, @mentions, links and RTs carry no label by themselves: the same particles
// appear in chat, thanks, questions, official announcements and complaints alike. What makes a complaint
// is a current problem plus grievance or request; a problem that is planned for, being handled, already
// fixed, or merely discussed is not one.
const rnd2 = seededRandom(77032);
const p2 = <T>(xs: readonly T[]): T => xs[Math.floor(rnd2() * xs.length)]!;
const m2 = (p: number, s: string | (() => string)): string => (rnd2() < p ? (typeof s === 'string' ? s : s()) : '');
const ACC2 = ['@walikota_kita', '@kangwali', '@pemkot_kota', '@humaskota', '@dinaspu_kota', '@upt_jalan', '@pdam_kota', '@dinas_taman', '@dishub_kota', '@satpolpp_kota',
  '@dlh_kota', '@dinkes_kota', '@capil_kota', '@bpbd_kota', '@infokota_id', '@kabarkota', '@radio_kota', '@lalin_kota', '@wakilwali', ...CITY_ACC, ...AGENCY_ACC];
const USER2 = ['@asep_g', '@nengrina', '@ujang_s', '@teh_lilis', '@dede_k', '@kang_ade', '@euis_n', '@yayan_r', '@cucu_s', '@ikhsan_m', '@dian_p', '@fajar_t', '@tari_w', '@rizky12', '@mbak_sri', ...USER_ACC];
const at2 = (): string => p2(ACC2);
const ats2 = (): string => Array.from({ length: rnd2() < 0.6 ? 1 : rnd2() < 0.7 ? 2 : 3 }, at2).join(' ');
const url2 = (): string => p2([...URLS, 'http://t.co/Pk4Rn0', 'https://t.co/z8Yh2M', 'pic.twitter.com/Qe7Lp0', 'http://path.com/p/4xZ', 'http://instagram.com/p/9Kx', 'https://www.swarmapp.com/c/3Ty']);
const place2 = (): string => {
  const r = rnd2();
  if (r < 0.4) return p2(STREETS);
  if (r < 0.65) return p2(PLACES);
  if (r < 0.85) return p2(AREAS);
  return `${p2(SPOTS)} ${p2(STREETS)}`;
};
const low2 = (t: string): string => (rnd2() < 0.3 ? t.toLowerCase() : t);
// particles and address forms shared by every kind below (Sundanese, Javanese, Jakarta slang)
const ADDR = ['kang', 'pak', 'bu', 'min', 'teh', 'akang', 'mas', 'mbak', 'om', 'bro', 'kak', 'lur', ''];
const PART = ['teh', 'mah', 'atuh', 'euy', 'wae', 'oge', 'deui', 'keneh', 'nya', 'da', 'sih', 'dong', 'lho', 'kok', 'toh', 'ya', 'nih', 'tea', 'pisan', 'weh', ''];
const part = (): string => p2(PART);
const addr = (): string => p2(ADDR);

// ---- A. Sundanese-mixed chat, greetings, jokes, support (statement)
const SCHAT = ['abdi nembe uih ti {x}', 'tadi enjing ngiring lumpat di {l}', 'ieu poto tadi sonten di {l}', 'urang mah bangga jadi warga kota ieu', 'nuju naon {a}?',
  'kapan-kapan ulin ka bumi {a}', 'hayu atuh ngopi bareng di {l}', 'saé pisan acara tadi wengi', 'abdi ngiring bingah', 'mugia sehat salawasna {a}', 'wilujeng wengi {a}',
  'tos tuang {a}?', 'hapunten nembe bales', 'ari {a} teh sok ngetwit sorangan?', 'lucu pisan video {a} nu kamari', 'karunya ka ucing abdi teu kabagean', 'aya deui acara kitu mah hayu',
  'teu kedah hariwang, sadayana lancar', 'dinten ieu hawana tiis pisan', 'nuju di jalan ka {x}, macet saeutik tapi santai', 'tos lami teu ka {l}, ayeuna tambah saé',
  'abdi oge ngiring ka {l} minggu payun', 'ieu teh leres {a}?', 'ngiring nyimak wae {a}', 'keren pisan ieu teh', 'tiasa teu foto bareng {a}?', 'kamari urang ningali {a} di {l}',
  'barudak sakola di dieu resep pisan ka {a}', 'hatur nuhun kana inspirasina', 'punten {a}, ngiring bagikeun', 'sok atuh dilanjut programna', 'moal hilap ka acara kamari',
  'alhamdulillah abdi lulus sidang dinten ieu', 'jalan-jalan sore di {l} bari ngabuburit', 'budak abdi hoyong janten wali kota saurna', 'ayeuna mah tos teu sieun deui ka {l} peuting-peuting',
  'wis mangan durung {a}?', 'sugeng dalu {a}', 'aku lagi nang {l}, rame tenan', 'matur nuwun sanget {a}', 'mugi-mugi lancar sedaya', 'wah kok apik tenan fotone',
  'gue lagi di {l}, rame banget malam minggu', 'kerenn {a} ditunggu acara berikutnya', 'hahaha {a} bisa aja', 'jangan lupa bahagia {a}', 'selamat berakhir pekan wargi',
  'kang ieu mah sanes keluhan, ngan hoyong nyarios nuhun', 'pami aya waktos mampir ka kampung kami {a}', 'tadi ningal {a} di tipi, mantap', 'teu sabar hoyong ningali taman anyar'];
const X_PLACE = ['Garut', 'Lembang', 'Jatinangor', 'Cimahi', 'Sumedang', 'Tasik', 'Jakarta', 'Solo', 'Semarang', 'Purwakarta', 'kantor', 'kampus', 'pasar', 'sakola'];
function sundaChat(): SocialRow {
  const fill2 = (t: string): string => t.replace('{a}', addr()).replace('{l}', place2()).replace('{x}', p2(X_PLACE));
  const r = rnd2();
  let text: string;
  if (r < 0.55) text = `${m2(0.85, ats2)} ${addr()} ${fill2(p2(SCHAT))} ${part()} ${m2(0.4, epos2)} ${m2(0.15, url2)}`;
  else if (r < 0.8) text = `${m2(0.7, ats2)} ${fill2(p2(SCHAT))}, ${fill2(p2(SCHAT))} ${part()} ${m2(0.3, epos2)}`;
  else text = `RT ${p2(USER2)}: ${m2(0.5, at2)} ${fill2(p2(SCHAT))} ${part()} ${m2(0.4, url2)}`;
  return { text: tidy(low2(text)), label: 'statement', division: null, lang: 'mix' };
}
function epos2(): string { return p2(EMO_POS); }

// ---- B. complaints in the same Sundanese-mixed register
interface Prob2 { div: string; p: string[] }
const SPROB: Prob2[] = [
  { div: 'komisi-c', p: ['jalanna ruksak pisan', 'jalan bolong deui', 'lubangna beuki jero', 'aspalna ancur', 'jalan teh siga balong', 'jalan ambles'] },
  { div: 'komisi-c', p: ['lampu jalan pareum', 'PJU pareum kabeh', 'poek pisan lampuna paraeh', 'lampu merah pareum'] },
  { div: 'komisi-c', p: ['solokan mampet', 'saluran pinuh ku runtah', 'cileuncang nepi ka tuur', 'caina asup ka imah', 'banjir deui', 'gorong-gorong buntu'] },
  { div: 'komisi-c', p: ['runtah numpuk', 'sampah teu dicandak-candak', 'TPS pinuh nepi ka jalan', 'bau runtah nyegak pisan', 'truk sampah teu sumping'] },
  { div: 'komisi-c', p: ['macet teu obah-obah', 'angkot ngetem sembarangan', 'parkir liar nutupan jalan', 'PKL jualan di trotoar', 'tukang parkir maksa mayar'] },
  { div: 'komisi-c', p: ['tangkal rek rubuh', 'dahan tangkal nyangsang kana kabel', 'kabel ngagantung handap pisan', 'galian teu ditutup deui'] },
  { div: 'komisi-b', p: ['cai PDAM teu ngocor', 'cai PDAM kiruh', 'tagihan cai naék teu wajar', 'pipa PDAM bocor', 'cai ngocor ngan peuting'] },
  { div: 'komisi-a', p: ['ngurus KTP dipersulit', 'e-KTP teu acan jadi', 'aya pungli di kantor desa', 'balap liar unggal peuting', 'barudak mabok di pos ronda', 'petugas jutek pisan'] },
  { div: 'komisi-d', p: ['puskesmas antri ti subuh', 'ubar di puskesmas kosong', 'sakola dipenta pungutan', 'bantuan teu tepat sasaran', 'warga kena DBD teu acan aya fogging'] },
];
const S_WHEN = ['ti kamari', 'tos saminggu', 'ti bulan kamari', 'tos sabulan', 'ti isuk', 'unggal hujan', 'unggal peuting', 'tos lami pisan', 'ti taun kamari', 'dugi ka ayeuna', 'wis seminggu', 'udah 3 hari'];
const S_ASK = ['iraha dibenerkeun?', 'kumaha ieu teh?', 'punten dibantos', 'tulung atuh', 'mohon ditindaklanjuti', 'tos lapor teu aya tanggapan', 'naha dibantarkeun wae?', 'saha nu tanggel waler?',
  'kedah ngantosan korban heula?', 'tolong atuh kang', 'kapan dibereskeun?', 'mohon perhatosanana', 'tolong segera', 'ari dinas teh kamana?', 'nyuwun tulung didandani'];
const S_EFFECT = ['tadi aya nu labuh motor', 'barudak sakola sieun ngaliwat', 'bau nepi ka imah', 'warga resah', 'teu tiasa sare', 'kedah meser cai galon', 'motor abdi ampir tijungjlung', 'usaha jadi sepi'];
function sundaComplaint(): SocialRow {
  const t = p2(SPROB);
  const pr = p2(t.p);
  const r = rnd2();
  let text: string;
  if (r < 0.3) text = `${ats2()} ${addr()} ${pr} di ${place2()} ${p2(S_WHEN)} ${part()}, ${p2(S_ASK)} ${m2(0.3, url2)}`;
  else if (r < 0.5) text = `${ats2()} ${pr} di ${place2()} ${p2(S_WHEN)}, ${p2(S_EFFECT)}. ${p2(S_ASK)}`;
  else if (r < 0.65) text = `${ats2()} ${p2(['iraha', 'kumaha', 'naha'])} ${pr} di ${place2()} ${p2(['teu dibenerkeun?', 'teu beres-beres?', 'dibiarkeun wae?', 'teu aya nu ngurus?'])} ${p2(S_WHEN)} ${part()}`;
  else if (r < 0.75) text = `${p2(['mantap pisan', 'hebat euy', 'keren pisan pelayananna', 'bangga pisan', 'nuhun pisan lho'])}, ${pr} di ${place2()} ${p2(S_WHEN)} ${part()}. ${ats2()} ${m2(0.5, () => p2(S_ASK))}`;
  else if (r < 0.85) text = `${ats2()} ${p2(['hatur nuhun tos dibenerkeun, tapi', 'kamari tos diomean, ngan', 'nuhun responna, tapi'])} ${pr} deui di ${place2()}. ${p2(S_ASK)}`;
  else text = `${pr} ${place2()} ${p2(S_WHEN)} ${ats2()} ${url2()}`;
  if (rnd2() < 0.08) text = `RT ${p2(USER2)}: ${text}`;
  return { text: tidy(low2(text)), label: 'complaint', division: t.div, lang: 'mix' };
}

// ---- C. the mayor's and agencies' announcements, plans and programmes that name a problem (statement)
const PLAN_PROB = ['banjir cileuncang', 'kemacetan', 'sampah', 'jalan rusak', 'PKL liar', 'parkir liar', 'PJU mati', 'genangan', 'krisis air bersih', 'kawasan kumuh', 'DBD', 'balap liar', 'pungli'];
const PLAN = ['Koordinasi lintas dinas soal {p} digelar di balai kota', 'Tahun ini kita fokus atasi {p}, mohon doa dan dukungannya', 'Setiap aduan soal {p} wajib dijawab OPD paling lambat sehari',
  'Rencana penanganan {p} akan dipaparkan di Musrenbang minggu depan', 'Anggaran penanganan {p} tahun depan naik 2x lipat', 'Program baru utk kurangi {p} diluncurkan hari ini',
  'Masalah {p} tdk bisa beres kalau warga tidak ikut. Ayo mulai dari rumah', 'Evaluasi penanganan {p} bersama OPD terkait pagi ini', 'Sosialisasi pencegahan {p} di kecamatan {x}',
  'Kita bentuk satgas khusus {p}. Laporan warga langsung ditangani', 'Aduan soal {p} bulan ini turun separuh dibanding bulan lalu', 'Peta rawan {p} sudah bisa dilihat online',
  'Mulai bulan depan denda utk pelanggar aturan {p}', 'Hari ini diskusi publik soal solusi {p} di balai kota', 'Uji coba sistem baru penanganan {p} di 5 kelurahan'];
function planAnnounce(): SocialRow {
  const body = p2(PLAN).replace('{p}', p2(PLAN_PROB)).replace('{x}', p2(AREAS));
  const r = rnd2();
  let text: string;
  if (r < 0.55) text = `RT ${at2()}: ${body} ${m2(0.6, url2)} ${m2(0.3, tag)}`;
  else if (r < 0.8) text = `${body} ${m2(0.7, url2)} ${m2(0.4, () => `via ${at2()}`)}`;
  else text = `${ats2()} ${p2(['setuju', 'mantap', 'semoga berhasil', 'didukung pisan', 'nah ieu', 'ditunggu hasilna'])} ${addr()}. RT ${at2()}: ${body}`;
  return { text: tidy(text), label: 'statement', division: null, lang: 'id' };
}

// ---- D. order-keeping operations and work progress, with counts (statement)
const OPS = ['penertiban PKL', 'razia miras', 'operasi parkir liar', 'pembongkaran bangunan liar', 'penertiban reklame ilegal', 'razia balap liar', 'penertiban gepeng', 'operasi yustisi',
  'penertiban spanduk liar', 'razia kendaraan overtonase', 'penertiban lapak di trotoar', 'relokasi pedagang', 'pemangkasan pohon rawan tumbang', 'pengerukan sungai', 'fogging DBD',
  'penambalan jalan', 'pengecoran jalan lingkungan', 'pemasangan PJU baru', 'pembersihan saluran', 'pengangkutan sampah liar', 'perbaikan tanggul', 'penggantian pipa'];
const OPS_RES = ['{n} lapak ditertibkan', '{n} kendaraan ditilang', '{n} barang bukti disita', '{n} bangunan dibongkar', '{n} reklame diturunkan', '{n} orang didata', 'berjalan kondusif',
  'sepanjang {n} meter', 'di {n} titik', '{n} ton sampah diangkut', 'pedagang dipindahkan ke lokasi relokasi', 'selesai dikerjakan', 'progres {n}%', 'dilanjutkan besok pagi'];
function opsReport(): SocialRow {
  const res = p2(OPS_RES).replace('{n}', String(2 + Math.floor(rnd2() * 180)));
  const r = rnd2();
  let text: string;
  if (r < 0.45) text = `${m2(0.5, () => `RT ${at2()}:`)} ${capital(p2(OPS))} di ${place2()}, ${res} ${m2(0.7, url2)}`;
  else if (r < 0.7) text = `${p2(['Hari ini', 'Pagi ini', 'Malam ini', 'Kamis', 'Sabtu', 'Tadi siang'])} ${p2(['Satpol PP', 'petugas gabungan', 'tim URC', 'petugas kecamatan', 'tim UPT', 'Dishub'])} ${p2(['melaksanakan', 'menggelar', 'melakukan'])} ${p2(OPS)} di ${place2()}. ${capital(res)}. ${m2(0.6, url2)}`;
  else if (r < 0.85) text = `${p2(['Dokumentasi', 'Foto', 'Update', 'Progres'])} ${p2(OPS)} ${place2()} ${m2(0.5, ats2)} ${url2()}`;
  else text = `${ats2()} ${p2(['tadi liat petugas', 'barusan lewat, ada', 'wah lagi ada'])} ${p2(OPS)} di ${place2()}, ${p2(['semangat pak', 'mantap', 'tertib euy', 'rapi pisan', 'salut'])} ${m2(0.4, url2)}`;
  return { text: tidy(text), label: 'statement', division: null, lang: 'id' };
}

// ---- E. agencies asking the reporter for details (question) and citizens' follow-up replies (statement)
const CLARIFY = ['titiknya persis di sebelah mana {a}?', 'boleh dibantu patokan lokasinya?', 'bisa kirim fotonya {a}?', 'di RT/RW berapa {a}?', 'ada patokan bangunan terdekat {a}?', 'nomor pelanggannya bisa di DM?',
  'maksudnya di sebelah mana {a}?', 'sejak kapan kejadiannya {a}?', 'sudah lapor ke kelurahan belum {a}?', 'apakah masih terjadi sampai sekarang?', 'lokasina palih mana {a}?', 'tiasa dikintunkeun potona?'];
function agencyClarify(): SocialRow {
  const text = `${p2(USER2)} ${p2(['punten', 'mohon maaf', 'halo', 'terima kasih laporannya', 'baik', 'hatur nuhun', ''])}, ${p2(CLARIFY).replace('{a}', p2(['kak', 'kang', 'pak', 'bu', 'teh', '']))} ${p2(['agar segera kami tindaklanjuti', 'biar tim bisa langsung ke lokasi', 'terima kasih', 'nuhun', ''])} ${m2(0.3, () => p2(REPLY_CLOSE))}`;
  return { text: tidy(text), label: 'question', division: null, lang: 'id' };
}
const FOLLOW = ['oke {a}, ditunggu', 'siap {a}, datanya udah saya kirim', 'iya {a}, tadi juga sudah lapor lewat aplikasi', 'ooh kitu, nuhun {a}', 'sip, makasih responnya {a}', 'baik {a}, saya tunggu kabarnya',
  'sudah saya kirim fotonya {a}', 'lokasinya di depan warung {a}, sebelah masjid', 'nuhun {a}, tos dikintunkeun', 'wah cepet banget balesnya {a}', 'sip, ditunggu kabar baiknya {a}', 'siap, nuhun pisan {a}'];
function citizenFollow(): SocialRow {
  const text = `${ats2()} ${p2(FOLLOW).replace('{a}', addr())} ${m2(0.3, epos2)}`;
  return { text: tidy(low2(text)), label: 'statement', division: null, lang: 'mix' };
}

// ---- F. a problem that was reported and is now fixed (statement)
const WAS = ['lampu jalan di {l} mati', 'jalan di {l} bolong', 'saluran di {l} mampet', 'sampah di {l} numpuk', 'cai di bumi teu ngocor', 'pohon di {l} rawan tumbang', 'lampu merah {l} rusak', 'trotoar {l} rusak'];
const NOWOK = ['siangnya petugas datang membereskan', 'besoknya udah beres', 'sorenya tos hurung', 'sekarang udah mulus', 'tadi pagi tos diangkut', 'dua jam kemudian petugas datang', 'sekarang normal lagi', 'ayeuna tos lancar'];
function fixedStory(): SocialRow {
  const w = p2(WAS).replace('{l}', place2());
  const text = `${m2(0.7, ats2)} ${p2(['minggu lalu abdi ngadu soal', 'dua hari lalu ngadu via aplikasi,', 'sempat mengadu soal', 'tadi subuh laporan', 'pekan kemarin kami laporkan'])} ${w}, ${p2(NOWOK)}. ${p2(['mantap', 'nuhun pisan', 'terima kasih', 'salut', 'gercep euy'])} ${addr()} ${m2(0.4, epos2)}`;
  return { text: tidy(low2(text)), label: 'statement', division: null, lang: 'mix' };
}

// ---- G. polite complaints that close with thanks, and quote-tweets that add a grievance (complaint)
const THANKS_CLOSE = ['terima kasih', 'terima kasih sebelumnya', 'makasih min', 'nuhun kang', 'hatur nuhun sateuacanna', 'matur nuwun', 'trims', 'thx min 🙏', 'terima kasih atas perhatiannya',
  'semoga cepat ditanggapi, terima kasih', 'nuhun pisan', 'makasih pak, semangat'];
const QUOTE_GRIEF = ['ini gimana pak?', 'masih belum beres juga', 'sama di tempat saya juga', 'udah sebulan gini', 'tolong ditindak', 'kapan dibenerin?', 'di kampung kami lebih parah', 'iya ini parah',
  'sampai sekarang belum ada perubahan', 'kok dibiarin?', 'ieu kumaha kang?', 'masih kitu keneh'];
function politeComplaint(): SocialRow {
  const r = rnd2();
  let prob: string, div: string;
  if (rnd2() < 0.6) { const t = p2(CTOPICS); prob = p2(t.s); div = t.div; } else { const t = p2(SPROB); prob = p2(t.p); div = t.div; }
  let text: string;
  if (r < 0.6) text = `${ats2()} ${p2(['selamat pagi', 'punten', 'assalamualaikum', 'permisi', 'mohon maaf mengganggu', 'sampurasun', ''])} ${addr()}, ${prob} di ${place2()} ${m2(0.6, () => p2(rnd2() < 0.5 ? S_WHEN : TIME_AGO))}. ${m2(0.6, () => p2([...C_ASK, ...S_ASK]))} ${p2(THANKS_CLOSE)} ${m2(0.3, url2)}`;
  else text = `${ats2()} ${p2(QUOTE_GRIEF)} RT ${p2(USER2)}: ${m2(0.5, at2)} ${prob} ${place2()} ${m2(0.5, url2)}`;
  return { text: tidy(low2(text)), label: 'complaint', division: div, lang: 'mix' };
}

// ---- H. the mayor's own posts (statement): explanations, plans, before/after photos, reflections — they name
// problems (banjir, macet, kumuh, rusak) but report, explain or promise; nobody is asked to fix anything
const MP_OPEN = ['Warga', 'Wargi', 'Sahabat', 'Insya Allah', 'Alhamdulillah', 'Update:', 'Progres:', 'Foto:', 'Sebelum-sesudah:', 'Before-after:', 'Info:', 'Mohon maaf,', 'Kabar baik:', 'Catatan:', ''];
const MP_BODY = ['{x} di {l} terjadi karena daya tampung drainase kurang, kajian teknisnya sedang disusun', 'dulu {l} kumuh, sekarang jadi taman bermain anak', '{x} di {l} sedang kami tangani, mohon sabar',
  'tahun depan {n} km jalan rusak akan diperbaiki bertahap', 'mulai minggu depan {x} di {l} ditertibkan, pedagang direlokasi', 'kami sudah rapat soal {x}, hasilnya akan diumumkan',
  'penyebab {x} di {l} adalah sampah yang dibuang ke sungai, mari jaga bersama', 'sebelum: {l} gelap dan rawan. sesudah: terang dengan lampu LED', '{x} tidak bisa selesai dalam semalam, tapi kita terus bekerja',
  'hari ini saya blusukan ke {l} melihat langsung {x}', 'laporan warga soal {x} sudah kami petakan, total {n} titik', 'kami minta maaf atas {x} di {l}, perbaikan dimulai besok',
  'terima kasih kritiknya soal {x}, jadi bahan evaluasi kami', 'kota ini bukan kota sempurna, tapi kita sedang menuju ke sana', 'jika ada {x}, silakan lapor lewat aplikasi, akan kami respon',
  'ini jawaban saya soal {x} yang ramai dibahas', 'kebijakan soal {x} ini sudah melalui kajian panjang', 'alhamdulillah {x} di {l} sudah berkurang drastis', '{n} ribu warga ikut gerakan bersih sungai hari ini'];
const MP_X = ['banjir', 'genangan', 'macet', 'sampah', 'jalan berlubang', 'PKL', 'parkir liar', 'kawasan kumuh', 'PJU mati', 'krisis air', 'pohon tumbang'];
function mayorPost(): SocialRow {
  const body = p2(MP_BODY).replace('{x}', p2(MP_X)).replace('{x}', p2(MP_X)).replace('{l}', place2()).replace('{n}', String(2 + Math.floor(rnd2() * 98)));
  const core = `${p2(MP_OPEN)} ${body}${p2(['.', '. Hatur nuhun.', '. Nuhun.', '. Hayu!', '', '. Mohon doanya.'])} ${m2(0.6, url2)} ${m2(0.4, tag)}`;
  const r = rnd2();
  const text = r < 0.5 ? `RT ${p2(['@walikota_kita', '@kangwali', '@pemkot_kota', '@humaskota', ...PERSON_ACC])}: ${core}` : r < 0.8 ? core : `${ats2()} ${p2(['nah', 'setuju', 'mantap', 'siap', 'nuhun infona', 'keren'])} ${addr()} RT ${at2()}: ${core}`;
  return { text: tidy(text), label: 'statement', division: null, lang: 'id' };
}

// ---- I. spam replies under city accounts' tweets (spam): sellers and promoters @-mention busy accounts
const SP_WHAT = ['jual followers aktif {n}rb', 'obat pelangsing herbal ampuh turun {n} kg', 'pulsa murah all operator', 'promo hotel diskon {n}%', 'jasa SEO & website murah', 'kaos distro original harga grosir',
  'peninggi badan alami', 'paket umroh murah cicilan ringan', 'agen pulsa & kuota termurah', 'cream pemutih wajah BPOM', 'jasa like & retweet murah', 'akun game rare murah', 'tiket konser harga promo',
  'voucher belanja gratis {n}rb', 'bisnis online modal kecil untung jutaan', 'investasi emas untung {n}% per bulan', 'pinjaman online cepat cair tanpa jaminan', 'sepatu import KW super'];
const SP_CALL = ['order via WA {p}', 'DM ya', 'cek bio', 'klik {u}', 'info lengkap di {u}', 'pin BB 7{n}A', 'minat? hub {p}', 'follow & DM sekarang', 'daftar sekarang {u}', 'stok terbatas!', 'buruan sebelum kehabisan'];
function spamTweet(): SocialRow {
  const n = String(5 + Math.floor(rnd2() * 95));
  const ph = `08${Math.floor(1e9 + rnd2() * 9e9)}`;
  const call = p2(SP_CALL).replace('{p}', ph).replace('{u}', url2()).replace('{n}', n);
  const what = p2(SP_WHAT).replace('{n}', n);
  const r = rnd2();
  const text = r < 0.5 ? `${ats2()} ${p2(['', 'maaf numpang promo', 'halo kak', 'punten nitip', 'yuk', 'mau'])} ${what}, ${call} ${m2(0.3, tag)}`
    : r < 0.8 ? `${capital(what)}! ${call} ${ats2()} ${m2(0.4, tag)}` : `${p2(['PROMO', 'DISKON', 'READY', 'OPEN ORDER', 'GRATIS'])} ${what} ${call} ${m2(0.5, ats2)}`;
  return { text: tidy(text), label: 'spam', division: null, lang: 'mix' };
}

// ---- J. retweeted citizen complaints with photo links (complaint): city accounts forward reports they receive
const RT_LEAD = ['', '', 'lapor', 'min', 'punten', 'tolong', 'info', 'cek', 'mohon dicek', 'kang', 'pak', 'ini', 'liat nih'];
const RT_TAIL = ['', '', 'tolong', 'mohon ditindaklanjuti', 'kapan dibenerin?', 'iraha dibenerkeun?', 'bahaya', 'parah', 'tiap hari gini', 'udah lama', 'sampai kapan?', 'ditunggu aksinya'];
function rtComplaint(): SocialRow {
  let prob: string, div: string;
  if (rnd2() < 0.55) { const t = p2(CTOPICS); prob = p2(t.s); div = t.div; } else { const t = p2(SPROB); prob = p2(t.p); div = t.div; }
  const when = (): string => p2(rnd2() < 0.5 ? S_WHEN : TIME_AGO);
  const body = rnd2() < 0.5
    ? `${ats2()} ${p2(RT_LEAD)} ${prob} di ${place2()} ${m2(0.5, when)} ${p2(RT_TAIL)}`
    : `${p2(RT_LEAD)} ${prob} ${place2()} ${m2(0.5, when)} ${ats2()} ${p2(RT_TAIL)}`;
  const text = `RT ${p2(USER2)}: ${body} ${m2(0.7, url2)} ${m2(0.2, tag)}`;
  return { text: tidy(low2(text)), label: 'complaint', division: div, lang: 'mix' };
}

// ---- K. citizens asking for information (question): where/when/how/how much, in the same register
const QI_THING = ['kartu pencari kerja', 'surat keterangan domisili', 'izin usaha mikro', 'kartu identitas anak', 'pajak kendaraan', 'pemeriksaan kesehatan gratis', 'kelas menulis di perpustakaan',
  'pendaftaran kader posyandu', 'lomba mural', 'sewa gedung olahraga', 'kunjungan ke balai kota', 'pelatihan menjahit', 'tes IVA gratis', 'angkutan ke bandara', 'tempat uji emisi', 'paguyuban UMKM',
  'jadwal operasi pasar', 'pameran buku', 'museum kota', 'kolam renang umum', 'kebun binatang', 'taman lalu lintas', 'nonton film di taman', 'pengajian walikota', 'lari 10K', 'konser amal'];
const QI_FORM = ['{t} ngurusnya di mana {a}?', 'kalau mau {t} syaratnya apa {a}?', '{t} buka jam berapa?', '{t} bayar berapa {a}?', 'ada {t} minggu ini {a}?', '{t} tanggal berapa ya?',
  '{t} bisa diwakilkan teu?', '{t} daftarnya online atau datang langsung?', 'dari terminal ke {t} naik apa ya?', '{t} buat umum atau khusus warga?', '{t} masih ada kuota {a}?', 'mun bade {t} kedah kamana {a}?',
  '{t} teh iraha dimimitian?', 'saha nu tiasa ngiringan {t}?', 'info {t} dong {a}', 'gimana cara ikut {t}?', 'lokasi {t} tepatnya di mana?', '{t} libur hari Minggu ga?'];
const QI_ROAD = ['arus di {l} sekarang gimana?', 'lewat {l} jam segini aman?', '{l} masih ditutup?', 'jalur alternatif kalau {l} padat lewat mana?', 'ada acara apa di {l} kok rame?'];
function infoQuestion2(): SocialRow {
  const r = rnd2();
  const form = r < 0.8 ? p2(QI_FORM).replace('{t}', p2(QI_THING)) : p2(QI_ROAD).replace('{l}', place2());
  const text = `${m2(0.85, ats2)} ${p2(['punten', 'min', 'kang', 'permisi', 'mau nanya', 'bade naros', 'halo kak', 'numpang tanya', ''])} ${form.replace('{a}', addr())} ${m2(0.3, () => p2(['nuhun', 'makasih', 'thx', '🙏']))}`;
  return { text: tidy(low2(text)), label: 'question', division: null, lang: 'mix' };
}

// ---- L. work reports that name the defect they dealt with (statement): "… saluran yang tersumbat sampah",
// "… lubang yang membahayakan" — problem words inside a report of work done or under way
const WR_WORK = ['pembersihan', 'perbaikan', 'penambalan', 'pengangkatan', 'penggantian', 'pengerukan', 'pemangkasan', 'penanganan', 'pemasangan ulang', 'pembongkaran'];
const WR_DEFECT = ['saluran yang tersumbat lumpur', 'gorong-gorong yang mampet', 'lubang yang membahayakan pengendara', 'penutup got yang dicuri', 'lampu PJU yang padam', 'pohon yang rawan tumbang',
  'jalan yang amblas', 'trotoar yang rusak', 'pipa yang bocor', 'tumpukan sampah liar', 'tembok saluran yang jebol', 'genangan akibat drainase buntu', 'kabel yang menjuntai', 'reklame yang miring',
  'aspal yang mengelupas', 'sedimen yang menumpuk', 'bangunan liar yang menutup saluran'];
function defectReport(): SocialRow {
  const core = `${p2(['URC', 'Tim URC', 'UPT', 'Satgas', 'Petugas', 'Tim pemeliharaan'])} ${p2(['wil.', 'wilayah', ''])} ${p2(AREAS)}, ${p2(WR_WORK)} ${p2(WR_DEFECT)} di ${place2()} ${p2(['', '', 'hari ini', 'pagi ini', 'sudah selesai', 'sedang dikerjakan', 'menindaklanjuti laporan warga'])} ${m2(0.75, url2)}`;
  const text = rnd2() < 0.6 ? `RT ${at2()}: ${core}` : core;
  return { text: tidy(text), label: 'statement', division: null, lang: 'id' };
}

/** Rows of the second (Sundanese-mixed timeline) stream. */
function socialRows2(): SocialRow[] {
  const out: SocialRow[] = [];
  const plan: Array<[() => SocialRow, number]> = [
    [sundaComplaint, 450], [politeComplaint, 300], [rtComplaint, 300],
    [sundaChat, 320], [planAnnounce, 180], [opsReport, 180], [agencyClarify, 90], [citizenFollow, 90], [fixedStory, 120], [mayorPost, 250], [spamTweet, 150], [infoQuestion2, 200], [defectReport, 200],
  ];
  for (const [f, n] of plan) for (let i = 0; i < n; i++) out.push(f());
  return out;
}

/** The social-media rows, deterministic. */
export function socialRows(): SocialRow[] {
  const out: SocialRow[] = [];
  const plan: Array<[() => SocialRow, number]> = [
    [complaintTweet, 1100],
    [workReport, 420], [govReply, 200], [newsRt, 180], [banter, 420], [thanksPraise, 260], [eventNotice, 140], [englishChat, 40], [infoQuestion, 120], [lifeChat, 300], [opinion, 160], [conditionInfo, 160], [planQuestion, 80],
  ];
  for (const [f, n] of plan) for (let i = 0; i < n; i++) out.push(f());
  return [...out, ...socialRows2()];
}
