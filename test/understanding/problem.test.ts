/**
 * The same problem in other words (core/understanding/problem.ts): the stemmer that lets colloquial
 * and formal verb forms meet, the places a text names, and the match that needs both a shared place
 * and shared problem words. Through intake: a paraphrased report of the same problem is linked as
 * recurring, forwarded in its own mail that says why; near misses stay new.
 */
import { describe, expect, it, vi } from 'vitest';
import { like } from 'drizzle-orm';
import { outbox, problemPlaces } from '../../core/db/schema.ts';
import { checkProblemIndex, rebuildBuckets } from '../../core/understanding/dedupe.ts';
import type { MailPayload } from '../../core/mail/compose.ts';
import { getCaseByNumber } from '../../core/repo/cases.repo.ts';
import { officerCommand } from '../../core/lifecycle/service.ts';
import { gazetteerOf, onlyWhoAndWhere, placeKey, placesDiffer, problemSignature, sameProblem, saysOnlyWhoAndWhere, stem } from '../../core/understanding/problem.ts';
import { chainSetup } from '../helpers/chain.ts';
import { createLogger } from '../../core/logger.ts';
import { recordInbound } from '../../core/intake.ts';
import { ingestId, inboundMessageSchema } from '../../core/message.ts';
import { createUnderstander } from '../../core/understanding/index.ts';

const DUMP = 'Sampah di TPS Jl. Kusumanegara numpuk sudah seminggu belum diangkut, baunya sampai rumah warga.';
const DUMP_AGAIN = 'Tolong, tumpukan sampah TPS Jalan Kusumanegara tidak diangkut-angkut, bau menyengat ke rumah-rumah.';

describe('problem signature', () => {
  it('brings colloquial, formal and passive forms of a word to one stem', () => {
    for (const forms of [['menumpuk', 'numpuk', 'ditumpuk', 'tumpukan', 'penumpukan'], ['mengangkut', 'ngangkut', 'diangkut', 'pengangkutan'],
      ['diperbaiki', 'perbaikan', 'memperbaiki'], ['menunggu', 'nunggu', 'ditunggu'], ['berlubang', 'lubang', 'bolong'],
      // a root that starts like a prefix keeps meeting its own forms; -kan after a consonant
      ['bersih', 'bersihkan', 'dibersihkan', 'membersihkan', 'kebersihan'], ['periksa', 'diperiksa', 'memeriksa', 'pemeriksaan'],
      // one word for spellings the stemmer does not bring together, whatever their suffix
      ['selokan', 'saluran', 'drainase', 'drainasenya', 'salurannya'], ['sulit', 'susah', 'kesulitan'],
      // Javanese: ngoko and krama forms (dipun-, -aken) meet the Indonesian word
      ['diperbaiki', 'didandani', 'dipundandosi', 'perbaikan'], ['bersih', 'resik', 'dipunresiki'], ['mati', 'padam'],
      // a street light is a lamp, however written
      ['lampu', 'pju', 'lampunya']]) {
      expect(new Set(forms.map(stem)), forms.join('/')).toHaveLength(1);
    }
    expect(stem('sampah')).not.toBe(stem('lampu'));
  });

  it('names places after a place word, written apart or together, and numbered schools', () => {
    expect(problemSignature('Kali Gajah Wong meluap').places).toEqual(['gajah', 'gajahwong']);
    expect(problemSignature('lampu gg. mawar mati').places).toEqual(['mawar']);
    // what follows a name with -nya is what is wrong with it, not the name's second word
    const lamp = 'Lampu PJU di Jalan Kaliurang depan gang Mawar mati sudah 2 minggu, gelap sekali. Mohon segera diperbaiki.';
    const lampAgain = 'Jalan Kaliurang dekat gang Mawar lampunya mati, udah dua minggu gelap gulita';
    expect(problemSignature(lampAgain).places).toEqual(['kaliurang', 'mawar']);
    expect(sameProblem(problemSignature(lampAgain), lampAgain, problemSignature(lamp), 0.7)).toMatchObject({ words: ['gelap', 'lampunya', 'mati'] });
    expect(problemSignature('Jalan Raya Janti macet').places).toEqual(['janti']);
    expect(problemSignature('ditolak di SMP Negeri 8, padahal dekat').places).toEqual(['smp:8']);
    // a place word followed by what is wrong is no place
    expect(problemSignature('jalan rusak dan berlubang').places).toEqual([]);
  });

  it("reads the city's places without a place word, in any case, written apart or together; dedupe.placeNames adds names", () => {
    expect(problemSignature('sampah numpuk di terban, bau').places).toEqual(['terban']);
    expect(problemSignature('Banjir lagi di Kota Gede').places).toEqual(problemSignature('banjir di kotagede').places);
    expect(problemSignature('lampu di gedongkuning mati').places).toEqual(['gedongkuning']);
    // staff read a shared place as a name
    const lamp = 'Lampu PJU di Gedong Kuning mati, gelap.', lampAgain = 'PJU gedongkuning mati semua, gelap gulita';
    expect(sameProblem(problemSignature(lampAgain), lampAgain, problemSignature(lamp), 0.5)).toMatchObject({ places: ['Gedong Kuning'] });
    expect(sameProblem(problemSignature(lamp), lamp, problemSignature(lampAgain), 0.5)).toMatchObject({ places: ['Gedong Kuning'] });
    // Javanese politeness and time words are no problem words
    expect(problemSignature('Nyuwun sewu, lampu PJU ing Gedong Kuning mati sampun kalih minggu, peteng sanget, mugi enggal dipundandosi').words)
      .toEqual(['baik', 'gelap', 'lampu', 'pati']);
    // the kelurahan's name is no problem word
    expect(problemSignature('sampah numpuk di terban').words).not.toContain('terban');
    // everyday words that are also kelurahan names are read only after a place word
    expect(problemSignature('bener, tahunan iuran naik').places).toEqual([]);
    expect(problemSignature('banjir di Sidikan').places).toEqual([]);
    expect(problemSignature('banjir di Sidikan', undefined, gazetteerOf(['Sidikan'])).places).toEqual(['sidikan']);
    expect(gazetteerOf(['Sidikan']).signature).not.toBe(gazetteerOf().signature);
    // two reports naming one kelurahan, no place word in either, are the same problem; near-identical texts about two are not
    const a = 'sampah numpuk di terban sudah seminggu ga diangkut', b = 'Terban: tumpukan sampah belum diangkut seminggu, bau';
    expect(sameProblem(problemSignature(b), b, problemSignature(a), 0.7)).toMatchObject({ places: ['Terban'] });
    expect(placesDiffer(problemSignature(a), problemSignature(a.replace('terban', 'baciro')))).toBe(true);
  });

  it('is the same problem only with a shared place and shared problem words', () => {
    const same = sameProblem(problemSignature(DUMP_AGAIN), DUMP_AGAIN, problemSignature(DUMP), 0.7);
    expect(same).toMatchObject({ places: ['Kusumanegara'] });
    expect(same!.words).toEqual(expect.arrayContaining(['sampah', 'tumpukan', 'diangkut']));
    // the place named without a place word in one of them
    const later = 'Trotoar Malioboro dipakai parkir liar, pejalan kaki turun ke aspal.';
    expect(sameProblem(problemSignature(later), later, problemSignature('Parkir liar di Jalan Malioboro memakan trotoar, pejalan kaki terpaksa turun.'), 0.5)).toBeDefined();
    // a short SMS against a long e-mail: all the SMS says, the e-mail says too (Dice alone: 0.6)
    const mail = 'Lampu PJU di Jalan Kenari depan Balai Kota mati sejak Senin, gelap, rawan begal, pengendara hampir jatuh.', sms = 'pju jl kenari mati, gelap';
    expect(sameProblem(problemSignature(sms), sms, problemSignature(mail), 0.7)).toMatchObject({ places: ['Kenari'], words: ['gelap', 'pju', 'mati'] });
    // phrases for one thing, and where on the road
    const lights = 'Lampu lalu lintas di perempatan Wirobrajan mati sejak pagi', lightsAgain = 'traffic light perempatan wirobrajan mati, semrawut';
    expect(sameProblem(problemSignature(lightsAgain), lightsAgain, problemSignature(lights), 0.7)).toMatchObject({ words: ['traffic light', 'mati'] });
    expect(problemSignature('Sampah di Depo Mandala Krida meluber ke badan jalan').words).toEqual(problemSignature('sampah meluber').words);
    // the same street with another problem; the same problem in another street
    const lamp = 'Lampu PJU di Jl. Kusumanegara mati, gelap sekali.';
    expect(sameProblem(problemSignature(lamp), lamp, problemSignature(DUMP), 0.5)).toBeUndefined();
    const elsewhere = DUMP.replace('Kusumanegara', 'Gejayan');
    expect(sameProblem(problemSignature(elsewhere), elsewhere, problemSignature(DUMP), 0.5)).toBeUndefined();
  });

  it('tells the first message of a report that says only who and where from one that says what is wrong', () => {
    for (const t of ['Pak, di jl. Kenari gang 3', 'Selamat pagi pak, saya warga Tegalrejo RT 05', 'Assalamualaikum, saya Budi dari Kotagede',
      'nama saya Sri, alamat Kricak Kidul RT 3 RW 1', 'Mohon bantuannya pak', 'Pak, di jl. Kenari gang 3, depan warung bu Sri', 'sudah 2 bulan pak',
      'Lokasi: -7.80, 110.36', 'Sugeng enjing pak, kula warga Pakualaman']) expect(onlyWhoAndWhere(t), t).toBe(true);
    // no word of the problem lexicon, and yet the problem: the person after "saya" is a name, "anak" and the rest are not
    for (const t of ['anak saya tidak diterima di SMP padahal rumah dekat', 'Tolong tiang telepon depan rumah dipindah, menghalangi pintu garasi',
      'warung depan gang 3 jualan sampai jam 2 pagi, musiknya kencang', 'jalan rusak',
      // what happened to them, after "saya" too (a verb, not a name)
      'pak saya ditipu', 'Pak, saya kecopetan di Malioboro', 'anak saya dikeluarkan dari sekolah', 'Pak, ayah saya meninggal belum dapat santunan'])
      expect(onlyWhoAndWhere(t), t).toBe(false);
    // "di" written onto a place word, a place cue that looks like a verb, a name after "saya"
    for (const t of ['rumah saya didepan masjid', 'di depan terminal Giwangan', 'Pak, saya Dimas warga Umbulharjo']) expect(onlyWhoAndWhere(t), t).toBe(true);
    // a division's keyword naming the subject says what it is about; one naming a place does not
    expect(onlyWhoAndWhere('KTP saya belum jadi')).toBe(true);
    expect(saysOnlyWhoAndWhere('KTP saya belum jadi', ['route:kw:ktp'])).toBe(false);
    expect(saysOnlyWhoAndWhere('Pak, di terminal Giwangan', ['route:kw:terminal'])).toBe(true);
  });
});

describe('the same problem in other words, through intake', () => {
  it('links a paraphrased report as recurring and forwards it in its own mail that names the shared place and words', async () => {
    const s = chainSetup();
    const a = s.sms('+6281200000001', DUMP);
    await s.deliverForward(a);
    const b = s.sms('+6281200000002', DUMP_AGAIN);
    expect(getCaseByNumber(s.db, b)).toMatchObject({ relatedToCaseId: getCaseByNumber(s.db, a)!.id, linkedByProblem: true });
    expect(getCaseByNumber(s.db, a)!.reportCount).toBe(2);
    // its citizen is not told that others reported it (the link is not sure until staff confirm it)
    const ackOf = (n: string) => s.db.select().from(outbox).where(like(outbox.id, `${n}.ack-%`)).all().map((o) => (o.payload as { text: string }).text);
    expect(ackOf(b)).toEqual([expect.stringContaining(`Nomor aduan: ${b}.`)]);
    expect(ackOf(b)[0]).not.toContain('Warga lain juga melaporkannya');
    // the texts differ: it does not join the open report unseen (dedupe.joinSimilarity), it has its own forward
    const forward = s.mail(`${b}.forward`)!;
    expect(forward.text).toMatch(new RegExp(`Kemiripan   : teks \\d+% sama dengan ${a}, tetapi tempat sama \\(Kusumanegara\\), masalah sama \\([^)]*sampah[^)]*\\)`));
    expect(forward.text).toContain('dikaitkan karena menyebut tempat dan masalah yang sama dengan kata-kata lain');
    // ... and so it is answered on its own: no answer to the other report reaches it, nor does its own reach the other
    expect(forward.text).toContain('laporan ini dijawab sendiri');
    expect(forward.text).toContain('Bila memang masalah yang sama, balas dengan #berulang');
    expect(forward.text).not.toContain('berlaku juga untuk laporan lain');
    await s.deliverForward(b);
    officerCommand(s.deps, b, { kind: 'kaji', note: '' }, 'petugas.budi');
    expect([a, b].map(s.status)).toEqual(['forwarded', 'in_review']);
    officerCommand(s.deps, a, { kind: 'selesai', result: 'Sampah sudah diangkut.' }, 'petugas.budi');
    expect([a, b].map(s.status)).toEqual(['awaiting_feedback', 'in_review']);
    expect(s.results(b)).toEqual([]);
    // a copy of its text from a third citizen is linked to it, and shares its answer (not the other report's)
    const copy = s.sms('+6281200000009', DUMP_AGAIN);
    expect(getCaseByNumber(s.db, copy)).toMatchObject({ relatedToCaseId: getCaseByNumber(s.db, b)!.id, linkedByProblem: false, status: 'in_review' });
    expect(ackOf(copy)[0]).toContain('Warga lain juga melaporkannya');
    officerCommand(s.deps, b, { kind: 'selesai', result: 'Tumpukan sudah dibersihkan.' }, 'petugas.budi');
    expect([a, b, copy].map(s.status)).toEqual(['awaiting_feedback', 'awaiting_feedback', 'awaiting_feedback']);
    expect(s.results(copy)[0]).toContain('Tumpukan sudah dibersihkan.');
    expect(s.results(a)).toHaveLength(1);
    // the copy is one of the reports that share its answer: named on it, #bukan-berulang takes the copy out
    officerCommand(s.deps, b, { kind: 'bukan-berulang', note: `${copy} beda TPS` }, 'petugas.budi');
    expect(getCaseByNumber(s.db, copy)!.relatedToCaseId).toBeNull();
    expect(s.db.select().from(outbox).where(like(outbox.id, `${a}.digest-%`)).all()).toEqual([]);
    // the same street with another problem, and the same problem in another street: new cases
    const c = s.sms('+6281200000003', 'Lampu PJU di Jalan Kusumanegara depan TPS mati semua, gelap dan rawan.');
    const d = s.sms('+6281200000004', DUMP.replace('Kusumanegara', 'Gejayan'));
    expect([c, d].map((x) => getCaseByNumber(s.db, x)!.relatedToCaseId)).toEqual([null, null]);
    // the same citizen telling it again in other words: a duplicate, no new case
    const e = s.sms('+6281200000001', 'Pak, sampah di TPS Kusumanegara masih numpuk belum diangkut juga, bau sekali.');
    expect(e).toBe(a);
    expect((s.mail(`${a}.forward`) as MailPayload).subject).toContain(a);
  });

  it('an e-mail report linked by problem is not told that others reported the problem; a copy of a text is', () => {
    const s = chainSetup();
    s.sms('+6281200000001', DUMP);
    const byMail = (from: string, id: string) => {
      const message = inboundMessageSchema.parse({ connectorId: 'email-test', channel: 'email', externalId: `<${id}@warga.test>`, receivedAt: s.at().toISOString(),
        sender: { email: from }, subject: 'Sampah TPS Kusumanegara', text: DUMP_AGAIN });
      const n = recordInbound({ db: s.db, config: s.config, understander: createUnderstander(s.config), outboundChannels: new Set(['sms-test']), now: s.at }, message, ingestId('email-test', message.externalId)).caseNumber!;
      return { n, ack: (s.mail(`${n}.ack`) as MailPayload).text };
    };
    const b = byMail('budi@warga.test', 'b1');
    expect(getCaseByNumber(s.db, b.n)!.linkedByProblem).toBe(true);
    expect(b.ack).toContain(b.n);
    expect(b.ack).not.toContain('juga telah dilaporkan warga lain');
    const copy = byMail('sri@warga.test', 'c1');
    expect(getCaseByNumber(s.db, copy.n)).toMatchObject({ relatedToCaseId: getCaseByNumber(s.db, b.n)!.id, linkedByProblem: false });
    expect(copy.ack).toContain('juga telah dilaporkan warga lain');
  });

  it('#berulang confirms a link by problem: from then on one answer reaches both, and the copies of its text', async () => {
    const s = chainSetup();
    const a = s.sms('+6281200000001', DUMP);
    const b = s.sms('+6281200000002', DUMP_AGAIN);
    const copy = s.sms('+6281200000003', DUMP_AGAIN);
    for (const x of [a, b, copy]) if (s.status(x) === 'received') await s.deliverForward(x);
    expect(getCaseByNumber(s.db, copy)!.relatedToCaseId).toBe(getCaseByNumber(s.db, b)!.id);
    // on a report linked by text, or the first report, there is nothing to confirm
    expect(() => officerCommand(s.deps, a, { kind: 'berulang', note: '' }, 'petugas.budi')).toThrow(/not a report linked by problem/);
    s.staffMail(b, 'komisi-c@localhost', '#berulang sama-sama TPS Kusumanegara');
    expect(getCaseByNumber(s.db, b)).toMatchObject({ linkedByProblem: false, reportCount: 1 });
    expect(getCaseByNumber(s.db, copy)!.relatedToCaseId).toBe(getCaseByNumber(s.db, a)!.id);
    expect(getCaseByNumber(s.db, a)!.reportCount).toBe(3);
    expect(s.eventsOf(b).map((e) => e.type)).toContain('recurring_confirmed');
    officerCommand(s.deps, a, { kind: 'selesai', result: 'Sampah sudah diangkut.' }, 'petugas.budi');
    expect([a, b, copy].map(s.status)).toEqual(['awaiting_feedback', 'awaiting_feedback', 'awaiting_feedback']);
  });

  it('links reports naming a place of dedupe.placeNames; changing the names re-indexes the stored cases once', () => {
    const flood = 'Tiap hujan deres, banjir di Sidikan sampai masuk rumah, selokan mampet.';
    const again = 'sidikan kebanjiran lagi, air masuk ke rumah karena selokan mampet';
    const plain = chainSetup();
    plain.sms('+6281200000001', flood);
    expect(getCaseByNumber(plain.db, plain.sms('+6281200000002', again))!.relatedToCaseId).toBeNull();

    const s = chainSetup({ placeNames: ['Sidikan'] });
    const a = s.sms('+6281200000001', flood);
    const b = s.sms('+6281200000002', again);
    expect(getCaseByNumber(s.db, b)).toMatchObject({ relatedToCaseId: getCaseByNumber(s.db, a)!.id, linkedByProblem: true });

    // a database written before the name was configured: its stored case is indexed again at the next start
    const gazetteer = gazetteerOf(['Sidikan']);
    // (the first check of a database with cases records the reader and re-indexes: an upgrade from before it was recorded)
    expect(checkProblemIndex(plain.db, gazetteerOf())).toBe(true);
    expect(rebuildBuckets(plain.db)).toBe(2);
    expect(checkProblemIndex(plain.db, gazetteerOf())).toBe(false);
    expect(plain.db.select().from(problemPlaces).all()).toEqual([]);
    expect(checkProblemIndex(plain.db, gazetteer)).toBe(true);
    expect(rebuildBuckets(plain.db, undefined, gazetteer)).toBe(2);
    expect(plain.db.select().from(problemPlaces).all().map((r) => r.placeKey)).toEqual([placeKey('sidikan'), placeKey('sidikan')]);
    expect(checkProblemIndex(plain.db, gazetteer)).toBe(false);
  });

  it('the intake worker re-indexes the stored cases at start when dedupe.placeNames changed, and a report then finds them', async () => {
    const s = chainSetup();
    const a = s.sms('+6281200000001', 'Tiap hujan deres, banjir di Sidikan sampai masuk rumah, selokan mampet.');
    const config = { ...s.config, dedupe: { ...s.config.dedupe, placeNames: ['Sidikan'] } };
    const lines: string[] = [];
    const logger = createLogger({ process: 'worker-intake' }, { write: (l: string) => { lines.push(l); } });
    const understander = createUnderstander(config);
    understander.prepare!(s.db, logger);
    await vi.waitFor(() => expect(lines.join('')).toContain('repeat index loaded into memory'));
    expect(lines.join('')).toContain('the stored cases are indexed again');
    expect(s.db.select().from(problemPlaces).all().map((r) => r.placeKey)).toEqual([placeKey('sidikan')]);
    const message = inboundMessageSchema.parse({ connectorId: 'sms-test', channel: 'sms', externalId: 'after-restart', receivedAt: s.at().toISOString(),
      sender: { phone: '+6281200000002' }, text: 'sidikan kebanjiran lagi, air masuk ke rumah karena selokan mampet' });
    const b = recordInbound({ db: s.db, config, understander, outboundChannels: new Set(['sms-test']), now: s.at }, message, ingestId('sms-test', message.externalId)).caseNumber!;
    expect(getCaseByNumber(s.db, b)!.relatedToCaseId).toBe(getCaseByNumber(s.db, a)!.id);
  });

  it('dedupe.problemSimilarity 0 compares texts only', () => {
    const s = chainSetup({ problemSimilarity: 0 });
    const a = s.sms('+6281200000001', DUMP);
    const b = s.sms('+6281200000002', DUMP_AGAIN);
    expect(getCaseByNumber(s.db, b)!.relatedToCaseId).toBeNull();
    expect(a).not.toBe(b);
  });
});
