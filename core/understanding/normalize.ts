/**
 * Text normalisation for classification, dedupe and routing (DESIGN §6).
 *
 * Lowercase, Unicode NFC, URL/e-mail/phone/number masking, squeezed letter repeats, and a
 * slang/abbreviation map for Indonesian SMS writing. Negations and request words (`tidak`, `belum`,
 * `mohon`, `tolong`, `harus`) are never removed: there is deliberately no stopword list here.
 */

/** Placeholder tokens left by masking; they are ordinary words for the models. */
export const MASK = { url: 'xurl', email: 'xemail', phone: 'xphone', number: 'xnum', money: 'xmoney', mention: 'xmention' } as const;

/**
 * Abbreviations and slang → standard form. Written for this project from common Indonesian SMS and
 * chat spelling; keys are whole tokens after lowercasing and repeat squeezing.
 */
export const SLANG: Readonly<Record<string, string>> = {
  // negation (kept, only unified)
  tdk: 'tidak', tak: 'tidak', gak: 'tidak', ga: 'tidak', gk: 'tidak', nggak: 'tidak', ngga: 'tidak', engga: 'tidak',
  enggak: 'tidak', nda: 'tidak', ndak: 'tidak', kagak: 'tidak', kaga: 'tidak', g: 'tidak', tdak: 'tidak', tidk: 'tidak',
  blm: 'belum', blom: 'belum', belom: 'belum', bkn: 'bukan', bukn: 'bukan',
  // request words (kept, only unified)
  tlg: 'tolong', tlong: 'tolong', tulung: 'tolong', mhn: 'mohon', moho: 'mohon', hrs: 'harus', hrus: 'harus',
  // function words
  yg: 'yang', dgn: 'dengan', dg: 'dengan', krn: 'karena', karna: 'karena', krna: 'karena', sdh: 'sudah', udah: 'sudah',
  udh: 'sudah', dah: 'sudah', sudh: 'sudah', sy: 'saya', sya: 'saya', aq: 'aku', ak: 'aku', gw: 'saya', gue: 'saya',
  dr: 'dari', dri: 'dari', utk: 'untuk', untk: 'untuk', tuk: 'untuk', u: 'untuk', pd: 'pada', kpd: 'kepada', spy: 'supaya',
  sm: 'sama', sma: 'sama', jg: 'juga', jga: 'juga', lg: 'lagi', lgi: 'lagi', bgt: 'banget', bngt: 'banget', bener: 'benar',
  bnr: 'benar', trs: 'terus', trus: 'terus', tp: 'tapi', tpi: 'tapi', tetep: 'tetap', ttp: 'tetap', dpn: 'depan',
  blkg: 'belakang', bs: 'bisa', bsa: 'bisa', gmn: 'bagaimana', gimana: 'bagaimana', gmna: 'bagaimana', bgmn: 'bagaimana',
  knp: 'kenapa', napa: 'kenapa', knapa: 'kenapa', kpn: 'kapan', kapn: 'kapan', dmn: 'dimana', dmana: 'dimana',
  mana2: 'mana', brp: 'berapa', brapa: 'berapa', apkh: 'apakah', apa2: 'apa', klo: 'kalau', kalo: 'kalau', kl: 'kalau',
  klu: 'kalau', skrg: 'sekarang', skr: 'sekarang', skrang: 'sekarang', sekrg: 'sekarang', hr: 'hari', hri: 'hari',
  mgg: 'minggu', bln: 'bulan', thn: 'tahun', th: 'tahun', jam2: 'jam', org: 'orang', orng: 'orang', bpk: 'bapak',
  pak: 'bapak', bu: 'ibu', sdr: 'saudara', mas: 'mas', ank: 'anak', anak2: 'anak', kmrn: 'kemarin', kmarin: 'kemarin',
  bsk: 'besok', bsok: 'besok', sblm: 'sebelum', stlh: 'setelah', slm: 'selama', sampe: 'sampai', smp: 'sampai',
  ampe: 'sampai', sampek: 'sampai', dlm: 'dalam', dl: 'dulu', dlu: 'dulu', aja: 'saja', aj: 'saja', sj: 'saja',
  msh: 'masih', masi: 'masih', mash: 'masih', bnyk: 'banyak', byk: 'banyak', sdikit: 'sedikit', sdkt: 'sedikit',
  bbrp: 'beberapa', sgt: 'sangat', sngat: 'sangat', bkin: 'bikin', bikin: 'buat', kyk: 'seperti', kayak: 'seperti',
  kaya: 'seperti', spt: 'seperti', sprti: 'seperti', gitu: 'begitu', gt: 'begitu', gini: 'begini', tau: 'tahu', tw: 'tahu',
  emg: 'memang', emang: 'memang', mmg: 'memang', ato: 'atau', atw: 'atau', atau2: 'atau', dg2: 'dengan', ni: 'ini', nih: 'ini',
  tu: 'itu', tuh: 'itu', td: 'tadi', tdi: 'tadi', mo: 'mau', mw: 'mau', pengen: 'ingin', pgn: 'ingin', pingin: 'ingin',
  ok: 'oke', okey: 'oke', okay: 'oke', sip: 'oke', thx: 'terima kasih', thanks: 'terima kasih', tq: 'terima kasih',
  trims: 'terima kasih', makasih: 'terima kasih', makasi: 'terima kasih', mksh: 'terima kasih', tks: 'terima kasih',
  trmksh: 'terima kasih', trimakasih: 'terima kasih', terimakasih: 'terima kasih', mks: 'terima kasih',
  // Sundanese function words common in West Java social media (negation and time kept, only unified)
  teu: 'tidak', henteu: 'tidak', acan: 'belum', tacan: 'belum', atos: 'sudah', parantos: 'sudah', iraha: 'kapan',
  kumaha: 'bagaimana', pisan: 'sangat', nuhun: 'terima kasih',
  // public-service vocabulary
  jln: 'jalan', jl: 'jalan', jalan2: 'jalan', gg: 'gang', kel: 'kelurahan', kec: 'kecamatan', kab: 'kabupaten',
  pemkot: 'pemerintah kota', pemda: 'pemerintah daerah', dprd: 'dprd', rt: 'rt', rw: 'rw', kk: 'kk', ktp: 'ktp',
  sklh: 'sekolah', sekolh: 'sekolah', skolah: 'sekolah', rs: 'rumah sakit', rsud: 'rumah sakit', pkm: 'puskesmas',
  lampu2: 'lampu', sampah2: 'sampah', lubang2: 'lubang', brlubang: 'berlubang', rusak2: 'rusak', mati2: 'mati',
  bocor2: 'bocor', bnjr: 'banjir', bnjir: 'banjir', drainse: 'drainase', got: 'selokan', slokan: 'selokan',
  pdam: 'pdam', lstrk: 'listrik', listrk: 'listrik', pju: 'pju', apj: 'pju', dishub: 'dishub', satpol: 'satpol',
  plisi: 'polisi', parkr: 'parkir', prkir: 'parkir', jukir: 'juru parkir', pkl: 'pkl', bansos: 'bansos',
  blt: 'blt', sembako: 'sembako', pjlnan: 'perjalanan', ngurus: 'mengurus', urus: 'mengurus', diurus: 'diurus',
  ditindak: 'ditindak', ditindaklanjuti: 'ditindaklanjuti', tindaklanjut: 'tindak lanjut', tndk: 'tindak',
  prbaiki: 'perbaiki', prbaikan: 'perbaikan', diperbaikin: 'diperbaiki', dibenerin: 'diperbaiki', benerin: 'perbaiki',
  bnrin: 'perbaiki', gmana: 'bagaimana', respon: 'respons', respn: 'respons', ditanggepin: 'ditanggapi',
  // prize / promo / scam spellings
  hadiah2: 'hadiah', pls: 'pulsa', plsa: 'pulsa', tf: 'transfer', trf: 'transfer', trnsfr: 'transfer', rek: 'rekening',
  rekn: 'rekening', nmr: 'nomor', nomer: 'nomor', hp: 'hp', wa: 'whatsapp', sms: 'sms', info: 'informasi',
  inf: 'informasi', slmt: 'selamat', slamat: 'selamat', gratiss: 'gratis', grts: 'gratis', bonus2: 'bonus', dpt: 'dapat',
  dapet: 'dapat', dptkan: 'dapatkan', dapetin: 'dapatkan', hub: 'hubungi', hubg: 'hubungi', kirim2: 'kirim', krm: 'kirim',
  cpt: 'cepat', cepet: 'cepat', cpet: 'cepat', bsr: 'besar', gacor: 'gacor', wd: 'withdraw', depo: 'deposit',
  // English shortcuts
  pls2: 'please', plz: 'please', pleasee: 'please', u2: 'you', ur: 'your', dont: 'do not', "don't": 'do not',
  "doesn't": 'does not', doesnt: 'does not', "isn't": 'is not', isnt: 'is not', "can't": 'can not', cant: 'can not',
  cannot: 'can not', "won't": 'will not', wont: 'will not', "haven't": 'have not', havent: 'have not',
};

/** The map as a Map: a token such as "constructor" or "__proto__" must not find Object.prototype's members. */
const SLANG_MAP: ReadonlyMap<string, string> = new Map(Object.entries(SLANG));

// (the runs before '@', a domain dot or a money unit are bounded — a local part is at most 64 characters, a domain
// label 63 — so a long run of letters or digits that never reaches one is read in linear time, not quadratic)
const URL_RE = /\b(?:https?:\/\/|www\.)\S+|\b[a-z0-9-]{1,63}\.(?:com|id|co\.id|net|org|ly|me|xyz|site|online|info|top|link|club|vip|app)(?:\/\S*)?/gi;
const EMAIL_RE = /\b[\w.+-]{1,64}@[\w-]+(?:\.[\w-]+)+\b/g;
const MENTION_RE = /(^|\s)@\w+/g;
const PHONE_RE = /(?:\+?62|\b0)(?:[\s.-]?\d){8,13}\b|\[telepon\]/gi;
const MONEY_RE = /\b(?:rp\.?|idr)\s?\d[\d.,]{0,40}(?:\s?(?:rb|ribu|jt|juta|k))?\b|\b\d[\d.,]{0,40}\s?(?:rb|ribu|jt|juta|rbu)\b/gi;
const NUMBER_RE = /\b\d+(?:[.,]\d+)*\b/g;
const REPEAT_RE = /(\p{L})\1{2,}/gu;
const TOKEN_RE = /[\p{L}\p{N}_']+|[!?]/gu;

/**
 * The text with e-mail addresses, links, phone numbers, long numbers (NIK, KK, accounts) and @handles
 * replaced by the mask tokens the models read anyway (`xemail`, `xurl`, `xphone`, `xnum`, `xmention`),
 * case and everything else kept: for writing citizens' messages into a training file.
 */
export function maskPersonal(text: string): string {
  return text.normalize('NFC').replace(EMAIL_RE, MASK.email).replace(URL_RE, MASK.url)
    // a landline written with its area code in brackets: "(0274) 512345"
    .replace(LANDLINE_RE, MASK.phone).replace(PHONE_RE, MASK.phone)
    // NIK and KK (16 digits), account and card numbers: any run of 10 digits or more
    .replace(ID_NUMBER_RE, MASK.number)
    .replace(MENTION_RE, (_m, before: string) => `${before}${MASK.mention}`);
}
const LANDLINE_RE = /\(0\d{2,3}\)[\s.-]?\d{3,4}[\s.-]?\d{2,5}\b/g;
const ID_NUMBER_RE = /\b\d(?:[\s.-]?\d){9,}\b/g;

/** Lowercase, NFC, masked, repeats squeezed — still a string, before tokenising. */
export function cleanText(text: string): string {
  let t = text.normalize('NFC').toLowerCase();
  // "İ" (a phone keyboard's dotted capital I) lowercases to "i" and a combining dot, which split the word
  if (t.includes('\u0307')) t = t.replace(/i\u0307/g, 'i');
  // each pass only when its trigger character is present: most messages skip most of them
  if (t.startsWith('rt ')) t = t.replace(/^rt\s+@\w+:?/g, ' ');
  const at = t.includes('@');
  if (at) t = t.replace(EMAIL_RE, ` ${MASK.email} `);
  if (t.includes('.') || t.includes('://')) t = t.replace(URL_RE, ` ${MASK.url} `);
  if (at) t = t.replace(MENTION_RE, `$1${MASK.mention} `);
  if (/\d|\[telepon\]/.test(t)) {
    t = t.replace(PHONE_RE, ` ${MASK.phone} `);
    t = t.replace(MONEY_RE, ` ${MASK.money} `);
    // Indonesian reduplication written with a 2: "anak2" → "anak"
    t = t.replace(/(\p{L}{2,})2\b/gu, '$1');
    t = t.replace(NUMBER_RE, ` ${MASK.number} `);
  }
  // reduplication with a dash: "anak-anak" → "anak"
  if (t.includes('-')) t = t.replace(/\b(\p{L}{2,})-\1\b/gu, '$1');
  t = t.replace(REPEAT_RE, '$1$1');
  return t;
}

/**
 * Tokens for the models: masked, squeezed, slang-expanded. A token doubled only by repetition
 * ("parahh", "tolongg") is tried without the final repeat so it still matches the map.
 */
export function tokenize(text: string): string[] {
  const out: string[] = [];
  const raw = cleanText(text).match(TOKEN_RE) ?? [];
  for (let tok of raw) {
    if (tok.startsWith("'") || tok.endsWith("'")) tok = tok.replace(/^'+|'+$/g, '');
    if (tok === '') continue;
    let mapped = SLANG_MAP.get(tok);
    if (mapped === undefined && /(\p{L})\1$/u.test(tok)) {
      const short = tok.slice(0, -1);
      mapped = SLANG_MAP.get(short) ?? (short.length >= 3 ? short : undefined);
    }
    const value = mapped ?? tok;
    if (value.includes(' ')) out.push(...value.split(' '));
    else out.push(value);
  }
  return out;
}

/** The normalised text as one string (tokens joined by a space): the input of the exact-repeat hash. */
export function normalize(text: string): string {
  return tokenize(text).join(' ');
}
