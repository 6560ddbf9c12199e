/**
 * Small hand-written lexicons (normalised forms, see normalize.ts). They feed the classifier as
 * count features so that cues generalise beyond the words of the training corpus, and they are
 * readable reasons in the stored top features (`lex:problem`, `lex:request` …).
 */
const words = (s: string): Set<string> => new Set(s.split(/\s+/).filter(Boolean));

/** Words that describe something broken, missing, unfair or late. */
export const PROBLEM = words(`
  rusak berlubang lubang bolong ambles amblas ambrol longsor retak mati padam gelap bocor mampet buntu tersumbat meluap luber banjir kebanjiran genangan
  tergenang becek macet semrawut kotor bau busuk numpuk menumpuk tumpukan berserakan kumuh sampah limbah tercemar pencemaran polusi asap bising berisik
  liar pungli pungutan calo suap sogok mahal melonjak naik mundhak mindhak telat terlambat lambat lama lelet ribet berbelit dipersulit persulit ditolak
  ditahan dicoret nonaktif hilang ilang dicuri maling pencurian kecelakaan jatuh bahaya membahayakan rawan tumbang roboh ambruk keruh
  kosong habis entek telas langka antre antri kasar jutek judes sewenang semena resah meresahkan takut ajrih
  kecewa parah ancur hancur rusaknya jebol putus kering asat ngawur salah curang kecurangan diskriminasi digusur gusur phk dipecat menunggak nunggak
  klitih begal tawuran mabuk miras judi narkoba kekerasan kdrt bully perundungan gizi dbd demam sesak sakit broken damaged pothole flood flooded
  garbage rubbish leaking blocked dark stolen unfair refused rejected nobody ignored dirty smell expensive late jam illegal abusive bribe
  lack problem masalah bermasalah keluhan mengeluh mengeluhkan keluh aduan mengadu laporan melaporkan lapor komplain complaint
  jorok licin sempit berdebu debu rembes miring lapuk karatan keropos menjuntai terbengkalai mangkrak terlantar dibiarkan dibiarin diabaikan
  mogok molor lemot ngaret sulit kesal kesel sebel jengkel dongkol ngetem copet pencopet jambret penjambret preman ugal ngebut kebut vandal
  ruksak pareum poek runtah caah kiruh hese sesah awon butut gandeng ribut keuheul ambek sieun bobrok buruk payah
`);

/** Negations (kept by the normaliser on purpose): a cue of its own, common in ordinary chat too. */
export const NEGATION = words(`tidak belum bukan tanpa ora mboten dereng durung urung no not never nothing`);

/** Asking for action (kept by the normaliser on purpose). */
export const REQUEST = words(`
  mohon tolong harap berharap minta meminta segera cepat harus tindak tindaklanjuti ditindaklanjuti ditindak ditangani tangani perbaiki diperbaiki
  perbaikan dibersihkan bersihkan diangkut angkut ditertibkan tertibkan diusut usut dicek cek periksa diperiksa dipangkas dinyalakan dibenahi benahi
  diurus urus mengurus perhatian perhatikan diperhatikan nyuwun tulung didandani dandosi dibenakke kapan sampai please fix action help urgent asap
  dibenerkeun benerkeun dibereskeun bereskeun dibantos bantosan tulungan diberesin beresin dibenahin ditambal diaspal dikeruk dibetulkan
`);

/** Thanks, satisfaction, greetings and closing words. */
export const THANKS = words(`
  terima kasih matur nuwun suwun sanget panuwun puas apresiasi alhamdulillah mantap keren bagus baik oke siap salam selamat pagi siang sore malam
  halo hai assalamualaikum waalaikumsalam sugeng enjing nggih thank thanks good morning great hatur nuhun semangat sukses amanah
`);

/**
 * A message made of these words only acknowledges what it was sent ("ok pak terima kasih", "siap",
 * "nggih, matur nuwun"): on the citizen's own case it is recorded without an answer (no ping-pong of
 * thanks, no new case number) and without a mail to the division. Written after normalize.ts (makasih,
 * tq → terima kasih; ok, sip → oke; pak → bapak).
 */
export const ACKNOWLEDGEMENT = words(`
  terima kasih makasih thanks thank you matur nuwun suwun sanget hatur nuhun banyak sekali sama
  oke siap baik iya ya yaa yap noted mantap mantab good nggih inggih injih enggih
  bapak ibu pak bu mas mbak kak min admin
  alhamdulillah amin aamiin
`);

/**
 * A message made of these words only says nothing yet: a greeting, a form of address, "P" or "tes" to
 * see whether anyone answers, or "mau lapor" before the report itself. Citizens on SMS and chat often
 * open that way and send the complaint next (see classifier.ts: an opener is a statement, answered
 * with a request to write the complaint).
 */
export const OPENER = words(`
  p pp ping tes test testing cek halo hallo helo hello hai hi hei hey oi woi spada permisi misi punten kulonuwun kulo nuwun sewu
  assalamualaikum assalamu alaikum assalamu'alaikum assalamualaikom samlekom waalaikumsalam wassalam wr wb warahmatullahi wabarakatuh salam sejahtera shalom om swastyastu
  selamat met slmt pagi siang sore malam sugeng enjing siyang sonten ndalu good morning afternoon evening
  bapak ibu pak bu mas mbak kak dek bang om min admin mimin sir madam dprd dewan komisi kota yogyakarta jogja yogya sekretariat
  izin ijin numpang mau ingin akan saya aku kami sy lapor melapor laporan ngadu mengadu aduan pengaduan tanya bertanya nanya
  tolong mohon bantu bantuan please help
`);

/**
 * Promotions, scams, gambling and loan offers. Only words that rarely occur outside spam: everyday
 * words that spam also uses (pulsa, transfer, rekening, paket, gratis, menang, selamat, mama) and
 * public-service words (kuota, tarif, cair, jaminan, verifikasi, diblokir, kredit, cicilan) are left
 * to the word features, since personal SMS and complaints use them all the time.
 */
export const SPAM = words(`
  hadiah undian pemenang terpilih klaim klik kunjungi gacor slot maxwin togel judi bandar scatter freebet
  deposit withdraw jackpot rtp cashback promo diskon aktifkan ketik reg unreg pinjaman pinjol agunan
  investasi dijamin followers cod pelangsing herbal otp apk pesugihan gaib
  won winner claim prize offer loan casino bet verify suspended tukarkan
`);

/** Asking for information. */
export const QUESTION = words(`
  apa apakah bagaimana gimana kapan dimana mana berapa siapa kenapa mengapa syarat cara caranya prosedur jadwal info informasi tanya bertanya
  piye pinten pundi kados pirsa how what when where which who can could is are
`);

/**
 * Function words that carry no label on their own (pronouns, prepositions, particles, forms of
 * address). They are left out of the word features only — never negations or request words — so
 * the model cannot learn the writing habits of its own corpus ("yang", "di", "pak") as cues.
 */
export const FUNCTION = words(`
  di ke dari yang dan atau ini itu ada adalah dengan untuk pada dalam oleh sama juga lagi saja sudah akan sedang masih karena kalau jadi
  saya aku kami kita kamu anda dia mereka beliau bapak ibu mas mbak kak dek bang kang om tante min admin ya yah sih dong deh kok kan lah nih
  tuh pun the a an to of in on at for and or is are was it this that i we you he she they my our your sekali banget sangat
  ing nang neng lan karo sing iku iki kula panjenengan sampeyan kowe aku wonten menika punika
`);
