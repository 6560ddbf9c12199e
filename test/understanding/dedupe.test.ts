import { afterEach, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { closeDb, openDb, type Db } from '../../core/db/client.ts';
import { eq } from 'drizzle-orm';
import { cases, dedupeBuckets, outbox, problemPlaces } from '../../core/db/schema.ts';
import { placeKey } from '../../core/understanding/problem.ts';
import { recordInbound } from '../../core/intake.ts';
import { ingestId, inboundMessageSchema, type InboundMessageInput } from '../../core/message.ts';
import { getCaseByNumber, insertCase } from '../../core/repo/cases.repo.ts';
import { resolveContact } from '../../core/repo/contacts.repo.ts';
import { BANDS, bandKeys, decodeHashes, findRepeat, hashJaccard, jaccard, minhash, rebuildBuckets, rebuildBucketsStep, rememberCase, shingleHashes, shingles, textHash, loadRepeatIndex, loadRepeatIndexNow } from '../../core/understanding/dedupe.ts';
import { createUnderstander } from '../../core/understanding/index.ts';
import { tokenize } from '../../core/understanding/normalize.ts';
import { loadDivisions } from '../../scripts/eval.ts';
import { testConfig } from '../helpers/config.ts';
import { createLogger } from '../../core/logger.ts';
import { seededRandom } from '../../scripts/corpus/rng.ts';

const dbs: Db[] = [];

/** The relation of an intake result and the number of the case it is linked to. */
function linkOf(db: Db, r: { relation: string; caseNumber: string | null }): { relation: string; relatedTo: string | null } {
  const kase = r.caseNumber ? getCaseByNumber(db, r.caseNumber) : undefined;
  const root = kase?.relatedToCaseId ? db.select({ number: cases.number }).from(cases).where(eq(cases.id, kase.relatedToCaseId)).get() : undefined;
  return { relation: r.relation, relatedTo: root?.number ?? null };
}
afterEach(() => { while (dbs.length) closeDb(dbs.pop()!); });

function setup() {
  const db = openDb(':memory:');
  dbs.push(db);
  // (every recurring report forwarded in its own mail, whose text is checked here; digests: test/lifecycle/digest.test.ts)
  const config = testConfig({ divisions: loadDivisions(), dedupe: { windowDays: 14, recurringWindowDays: 90, threshold: 0.7, digestMinutes: 0 } });
  const understander = createUnderstander(config);
  let n = 0;
  const send = (phone: string, text: string, at: string) => {
    const m: InboundMessageInput = { connectorId: 'sms-test', channel: 'sms', externalId: `m${++n}`, receivedAt: at, sender: { phone }, text };
    const message = inboundMessageSchema.parse(m);
    return recordInbound({ db, config, understander, outboundChannels: new Set(), now: () => new Date(at) }, message, ingestId('sms-test', message.externalId));
  };
  return { db, send };
}

const LAMP = 'Lampu jalan di Jl. Kenari mati sudah seminggu, mohon diperbaiki segera karena gelap dan rawan.';
const DRAIN = 'Saluran air di Gang Mawar RT 03 tersumbat sampah plastik, air meluap ke rumah warga setiap hujan dan baunya menyengat sampai malam.';
const TREE = 'Pohon tumbang di Jalan Magelang dekat halte menutup separuh jalan sejak dua hari, belum ada petugas datang.';
const ROAD = 'Jalan Kaliurang km 5 depan warung bakso rusak parah dan berlubang besar, sudah ada dua motor jatuh. Mohon segera diperbaiki.';

describe('repeat detection through intake', () => {
  it('same contact, same text within the window: duplicate of the first case', () => {
    const { send } = setup();
    const first = send('+6281200000001', ROAD, '2026-03-01T08:00:00Z');
    const again = send('+6281200000001', ROAD, '2026-03-03T08:00:00Z');
    expect(first.relation).toBe('new');
    expect(again).toMatchObject({ relation: 'duplicate', caseNumber: first.caseNumber });
  });

  it('same contact, near-same text: duplicate', () => {
    const { send } = setup();
    const first = send('+6281200000001', ROAD, '2026-03-01T08:00:00Z');
    const near = send('+6281200000001', 'Jalan Kaliurang km 5 depan warung bakso rusak parah dan berlubang besar, sudah ada tiga motor jatuh!! Mohon segera diperbaiki', '2026-03-02T08:00:00Z');
    expect(near).toMatchObject({ relation: 'duplicate', caseNumber: first.caseNumber });
  });

  it('another contact with the same problem: recurring, linked to the first case with a report count', () => {
    const { db, send } = setup();
    const first = send('+6281200000001', ROAD, '2026-03-01T08:00:00Z');
    const other = send('+6281200000002', 'jalan kaliurang km 5 depan warung bakso rusak parah dan berlubang besar, sdh ada dua motor jatuh. mohon segera diperbaiki', '2026-03-10T08:00:00Z');
    expect(other.relation).toBe('recurring');
    expect(other.caseNumber).not.toBe(first.caseNumber);
    const root = getCaseByNumber(db, first.caseNumber!)!;
    const linked = getCaseByNumber(db, other.caseNumber!)!;
    expect(linked.relatedToCaseId).toBe(root.id);
    expect(root.reportCount).toBe(2);
  });

  it('the forward of a recurring report says how often it was reported and lists the earlier case numbers', () => {
    const { db, send } = setup();
    const numbers = ['+6281200000001', '+6281200000002', '+6281200000003'].map((phone, i) => send(phone, `${ROAD}${'!'.repeat(i)}`, `2026-03-0${i + 1}T08:00:00Z`).caseNumber!);
    const forwardText = (n: string): string => (db.select().from(outbox).where(eq(outbox.id, `${n}.forward`)).get()!.payload as { text: string }).text;
    expect(forwardText(numbers[0]!)).not.toContain('Berulang');
    expect(forwardText(numbers[1]!)).toContain(`Berulang    : dilaporkan 2 kali; laporan sebelumnya: ${numbers[0]}\n`);
    expect(forwardText(numbers[2]!)).toContain(`Berulang    : dilaporkan 3 kali; laporan sebelumnya: ${numbers[0]}, ${numbers[1]}\n`);
  });

  it('the same contact after the window is not a duplicate', () => {
    const { send } = setup();
    const first = send('+6281200000001', ROAD, '2026-01-01T08:00:00Z');
    const later = send('+6281200000001', ROAD, '2026-03-01T08:00:00Z');
    expect(later.relation).not.toBe('duplicate');
    expect(later.caseNumber).not.toBe(first.caseNumber);
  });

  it('near misses are new cases: same street with another problem, same problem elsewhere', () => {
    const { send } = setup();
    send('+6281200000001', ROAD, '2026-03-01T08:00:00Z');
    const otherProblem = send('+6281200000002', 'Lampu penerangan jalan di Jalan Kaliurang km 5 depan warung bakso mati semua sejak seminggu, gelap sekali. Mohon dinyalakan.', '2026-03-02T08:00:00Z');
    const otherPlace = send('+6281200000003', 'Jalan Parangtritis dekat pom bensin Prawirotaman rusak parah dan berlubang besar, banyak pengendara terjatuh. Mohon segera diperbaiki.', '2026-03-02T09:00:00Z');
    expect(otherProblem.relation).toBe('new');
    expect(otherPlace.relation).toBe('new');
  });

  it('the same words about another km, RT/RW or alley are another place: not a repeat (numbers are masked for the models)', () => {
    const { db, send } = setup();
    const first = send('+6281200000001', ROAD, '2026-03-01T08:00:00Z');
    // word for word the same but km 12: the same normalised text, another stretch of road
    const km12 = send('+6281200000002', ROAD.replace('km 5', 'km 12'), '2026-03-01T09:00:00Z');
    expect(linkOf(db, km12)).toEqual({ relation: 'new', relatedTo: null });
    // the same sender about another RT is not told "already recorded"
    const rt3 = send('+6281200000003', DRAIN, '2026-03-01T10:00:00Z');
    const rt7 = send('+6281200000003', DRAIN.replace('RT 03', 'RT 07'), '2026-03-01T11:00:00Z');
    expect(rt7.relation).toBe('new');
    expect(rt7.caseNumber).not.toBe(rt3.caseNumber);
    // the same place written another way (RT 3 for RT 03), or no number at all, is still the same problem
    expect(linkOf(db, send('+6281200000004', DRAIN.replace('RT 03', 'RT.3'), '2026-03-01T12:00:00Z'))).toEqual({ relation: 'recurring', relatedTo: rt3.caseNumber });
    expect(linkOf(db, send('+6281200000005', `${ROAD} Tolong.`, '2026-03-01T13:00:00Z'))).toEqual({ relation: 'recurring', relatedTo: first.caseNumber });
    // (a report naming no km fits either stretch: it joins one of them)
    const noKm = linkOf(db, send('+6281200000006', ROAD.replace('km 5 ', ''), '2026-03-01T14:00:00Z'));
    expect(noKm.relation).toBe('recurring');
    expect([first.caseNumber, km12.caseNumber]).toContain(noKm.relatedTo);
  });

  it('spam is never a repeat target and gets no case link', () => {
    const { send } = setup();
    const spam = 'Selamat! Nomor anda memenangkan undian 100 juta dari Telkomsel. Klaim di bit.ly/hadiah-undian sekarang juga';
    send('+6281200000009', spam, '2026-03-01T08:00:00Z');
    const again = send('+6281200000008', spam, '2026-03-01T09:00:00Z');
    expect(again.relation).toBe('new');
  });
});

describe('MinHash LSH', () => {
  it('similar texts share band keys, different ones mostly do not', () => {
    const a = shingles(tokenize(ROAD));
    const b = shingles(tokenize(ROAD.replace('dua', 'tiga')));
    const c = shingles(tokenize('Anak saya tidak diterima di SMP negeri terdekat padahal rumah kami hanya 300 meter dari sekolah.'));
    expect(jaccard(a, b)).toBeGreaterThan(0.7);
    const ka = bandKeys(minhash(a)), kb = bandKeys(minhash(b)), kc = bandKeys(minhash(c));
    expect(ka).toHaveLength(BANDS);
    expect(ka.filter((k, i) => k === kb[i]).length).toBeGreaterThan(0);
    expect(ka.filter((k, i) => k === kc[i]).length).toBe(0);
  });

  it('finds a stored case among 1,000 others through the bucket table', () => {
    const db = openDb(':memory:');
    dbs.push(db);
    const now = '2026-03-01T00:00:00.000Z';
    const contact = resolveContact(db, { phone: '+6281200000001' }, now, 'sms');
    const other = resolveContact(db, { phone: '+6281200000002' }, now, 'sms');
    let target = 0;
    db.transaction((tx) => {
      for (let i = 0; i < 1000; i++) {
        const text = i === 500 ? ROAD : `Laporan nomor ${i}: saluran air kampung blok ${i} tersumbat sampah plastik di gang ${i % 37} dekat rumah warga ${i % 91}`;
        const row = insertCase(tx, { number: `ADU-2026-${String(i).padStart(6, '0')}`, status: 'received', kind: 'complaint', divisionId: 'komisi-c', contactId: contact.id,
          channel: 'sms', connectorId: 'sms-test', subject: null, summary: text, relatedToCaseId: null, now });
        rememberCase(tx, row.id, tokenize(text), text);
        if (i === 500) target = row.id;
      }
    });
    expect(db.select().from(dedupeBuckets).all().length).toBe(1000 * BANDS);
    const tokens = tokenize(ROAD.replace('dua motor', 'beberapa motor'));
    const r = findRepeat(db, { contactId: other.id, tokens, hash: textHash(tokens.join(' ')), now: new Date('2026-03-05T00:00:00Z'), windowDays: 14, recurringWindowDays: 90, threshold: 0.7 });
    expect(r).toMatchObject({ relation: 'recurring', caseId: target });
  });

  it('the intake worker\'s in-memory copy of the index finds what SQLite finds, and catches up with cases stored after the load', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'aduan-repeat-'));
    const file = path.join(dir, 'aduan.db');
    const db = openDb(file);
    dbs.push(db);
    const config = testConfig({ divisions: loadDivisions(), dedupe: { windowDays: 14, recurringWindowDays: 90, threshold: 0.7 } });
    const understander = createUnderstander(config);
    let n = 0;
    const send = (phone: string, text: string, at: string) => {
      const message = inboundMessageSchema.parse({ connectorId: 'sms-test', channel: 'sms', externalId: `m${++n}`, receivedAt: at, sender: { phone }, text });
      return recordInbound({ db, config, understander, outboundChannels: new Set(), now: () => new Date(at) }, message, ingestId('sms-test', message.externalId));
    };
    const road = send('+6281200000001', ROAD, '2026-03-01T08:00:00Z');
    send('+6281200000004', LAMP, '2026-03-01T10:00:00Z');
    // loaded in steps (one slice of one band each), as the worker does between jobs
    const load = loadRepeatIndex(db, 64);
    let steps = 0;
    for (let r = load.step(); !r.finished; r = load.step()) steps++;
    expect(steps + 1).toBe(BANDS * 16 + 1 + 16); // one slice of one band a step, the sketches of up to 20,000 case ids a step, 16 ranges of message hashes
    // a one-word complaint has no word pairs: only the exact hash finds its repeat, also right after it was stored
    const flood = send('+6281200000009', 'Banjir!!', '2026-03-01T12:00:00Z');
    expect(send('+6281200000009', 'BANJIR!!', '2026-03-01T12:05:00Z')).toMatchObject({ relation: 'duplicate', caseNumber: flood.caseNumber });
    // a repeat of a loaded case
    expect(linkOf(db, send('+6281200000002', ROAD.replace('dua motor', 'tiga motor'), '2026-03-02T08:00:00Z'))).toEqual({ relation: 'recurring', relatedTo: road.caseNumber });
    // a case stored by this connection after the load, then its repeat
    const drain = send('+6281200000005', DRAIN, '2026-03-03T08:00:00Z');
    expect(linkOf(db, send('+6281200000006', DRAIN.replace('sampai malam', 'sampai pagi'), '2026-03-03T09:00:00Z'))).toEqual({ relation: 'recurring', relatedTo: drain.caseNumber });
    // a case stored by another connection (another process) after the load; this connection's last
    // lookup came after its own last case, so only PRAGMA data_version tells it about the new one
    const contact = resolveContact(db, { phone: '+6281200000008' }, '2026-03-04T09:00:00Z', 'sms');
    const ask = (text: string) => { const tokens = tokenize(text); return findRepeat(db, { contactId: contact.id, tokens, hash: textHash(tokens.join(' ')), now: new Date('2026-03-04T09:00:00Z'), windowDays: 14, recurringWindowDays: 90, threshold: 0.7 }); };
    expect(ask(TREE.replace('dua hari', 'tiga hari'))).toEqual({ relation: 'new' });
    const other = openDb(file);
    dbs.push(other);
    const pln = recordInbound({ db: other, config, understander, outboundChannels: new Set(), now: () => new Date('2026-03-04T08:00:00Z') },
      inboundMessageSchema.parse({ connectorId: 'sms-test', channel: 'sms', externalId: 'other-1', receivedAt: '2026-03-04T08:00:00Z', sender: { phone: '+6281200000007' }, text: TREE }), ingestId('sms-test', 'other-1'));
    const found = ask(TREE.replace('dua hari', 'tiga hari'));
    expect(found).toMatchObject({ relation: 'recurring', caseId: getCaseByNumber(db, pln.caseNumber!)!.id });
    // the memory copy and the SQLite buckets give the same answers: drop the copy and ask again
    expect(loadRepeatIndexNow(db, 0)).toMatchObject({ entries: 0, dropped: expect.stringContaining('memoryIndexMb') });
    expect(ask(TREE.replace('dua hari', 'tiga hari'))).toEqual(found);
    rmSync(dir, { recursive: true, force: true });
  });

  it('at start the intake worker rebuilds what a migration asks for, then loads the index, between jobs, and logs it', async () => {
    const { db, send } = setup();
    const first = send('+6281200000001', ROAD, '2026-03-01T08:00:00Z');
    send('+6281200000004', LAMP, '2026-03-01T10:00:00Z');
    const lines: Array<{ obj: Record<string, unknown>; msg: string }> = [];
    const logger = createLogger({ process: 'intake' }, { write: (s: string) => { const obj = JSON.parse(s) as Record<string, unknown>; lines.push({ obj, msg: String(obj['msg']) }); } });
    const config = testConfig({ divisions: loadDivisions(), dedupe: { windowDays: 14, recurringWindowDays: 90, threshold: 0.7 } });
    createUnderstander(config).prepare!(db, logger);
    // the first step ran synchronously; the rest come between event-loop turns
    expect(lines.some((l) => l.msg === 'repeat index loaded into memory')).toBe(false);
    for (let i = 0; i < 500 && !lines.some((l) => l.msg.startsWith('repeat index')); i++) await new Promise((r) => setImmediate(r));
    expect(lines.map((l) => l.msg)).toContain('rebuilding the repeat index from the stored cases');
    const loaded = lines.find((l) => l.msg === 'repeat index loaded into memory');
    expect(loaded?.obj['entries']).toBe(2 * BANDS);
    expect(linkOf(db, send('+6281200000002', ROAD.replace('dua motor', 'tiga motor'), '2026-03-02T08:00:00Z'))).toEqual({ relation: 'recurring', relatedTo: first.caseNumber });

    // at memoryIndexMb 0 the worker says that lookups read SQLite
    lines.length = 0;
    createUnderstander(testConfig({ divisions: loadDivisions(), dedupe: { memoryIndexMb: 0 } })).prepare!(db, logger);
    for (let i = 0; i < 500 && !lines.some((l) => l.msg.startsWith('repeat index')); i++) await new Promise((r) => setImmediate(r));
    expect(lines.find((l) => l.msg.startsWith('repeat index'))).toMatchObject({ msg: 'repeat index stays in SQLite (lookups read it from the database file)', obj: { reason: 'dedupe.memoryIndexMb is 0' } });
  });

  it('with the in-memory index and its sketches, lookups give exactly the answers of the SQLite buckets', () => {
    const db = openDb(':memory:');
    dbs.push(db);
    const rnd = seededRandom(2026);
    const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)]!;
    // template phrases shared by many texts, so buckets hold chance candidates as the bench's do
    const phrases = ['jalan rusak parah', 'mohon segera diperbaiki', 'lampu jalan mati', 'saluran air tersumbat', 'sampah menumpuk di pinggir jalan', 'sudah lama tidak ada tindakan', 'warga resah', 'tolong ditindaklanjuti'];
    const place = () => `gang ${Math.floor(rnd() * 400)} rt ${Math.floor(rnd() * 20)} kampung ${pick(['suryo', 'kadipaten', 'wirobrajan', 'gondomanan', 'danurejan'])}`;
    const text = () => [pick(phrases), place(), pick(phrases), pick(phrases), `sejak ${Math.floor(rnd() * 30)} hari`].join(' ');
    const now = '2026-03-01T00:00:00.000Z';
    const contacts = Array.from({ length: 50 }, (_, i) => resolveContact(db, { phone: `+62812000${String(i).padStart(5, '0')}` }, now, 'sms').id);
    const stored: string[] = [];
    db.transaction((tx) => {
      for (let i = 0; i < 3000; i++) {
        const t = text();
        stored.push(t);
        const row = insertCase(tx, { number: `ADU-2026-${String(i).padStart(6, '0')}`, status: 'received', kind: 'complaint', divisionId: 'komisi-c', contactId: pick(contacts),
          channel: 'sms', connectorId: 'sms-test', subject: null, summary: t, relatedToCaseId: null, now });
        rememberCase(tx, row.id, tokenize(t), t);
      }
    });
    const queries = Array.from({ length: 600 }, () => {
      const base = rnd() < 0.4 ? pick(stored).split(' ') : text().split(' ');
      if (rnd() < 0.7) base[Math.floor(rnd() * base.length)] = pick(['parah', 'banget', 'sekali', 'lagi']);
      const tokens = tokenize(base.join(' '));
      return { contactId: pick(contacts), tokens, hash: textHash(tokens.join(' ')), now: new Date('2026-03-05T00:00:00Z'), windowDays: 14, recurringWindowDays: 90, threshold: 0.7 };
    });
    const fromSqlite = queries.map((q) => findRepeat(db, q));
    expect(loadRepeatIndexNow(db, 64)).toMatchObject({ entries: 3000 * BANDS });
    const fromMemory = queries.map((q) => findRepeat(db, q));
    expect(fromMemory).toEqual(fromSqlite);
    expect(fromSqlite.filter((r) => r.relation !== 'new').length).toBeGreaterThan(150);
  });

  it('a report completed by a later SMS is found as a whole by the in-memory index too, as in SQLite', () => {
    const relations = (memoryIndexMb: number) => {
      const dir = mkdtempSync(path.join(tmpdir(), 'aduan-repeat-'));
      const db = openDb(path.join(dir, 'aduan.db'));
      dbs.push(db);
      const config = testConfig({ divisions: loadDivisions(), classifier: { auditShare: 0 } });
      const understander = createUnderstander(config);
      if (memoryIndexMb > 0) loadRepeatIndexNow(db, memoryIndexMb);
      let n = 0;
      const send = (phone: string, text: string, at: string) => {
        const message = inboundMessageSchema.parse({ connectorId: 'sms-test', channel: 'sms', externalId: `m${++n}`, receivedAt: at, sender: { phone }, text });
        return recordInbound({ db, config, understander, outboundChannels: new Set(), now: () => new Date(at) }, message, ingestId('sms-test', message.externalId)).relation;
      };
      const whole = 'jalan depan rumah saya rusak parah banyak lubang sudah dua bulan tidak pernah diperbaiki dinas';
      return [
        send('+6281234567830', 'Selamat pagi pak, saya warga RT 05', '2026-03-04T08:00:00.000Z'),
        send('+6281234567830', whole, '2026-03-04T08:01:00.000Z'),
        send('+6281299999999', `Selamat pagi pak, saya warga RT 05 ${whole}`, '2026-03-04T09:00:00.000Z'),
      ];
    };
    expect(relations(0)).toEqual(['new', 'reply', 'recurring']);
    expect(relations(64)).toEqual(['new', 'reply', 'recurring']);
  });

  it('a case whose intake transaction rolled back leaves nothing in the in-memory index', () => {
    const { db, send } = setup();
    expect(loadRepeatIndexNow(db, 64)).toMatchObject({ entries: 0 });
    const now = '2026-03-01T08:00:00Z';
    const contact = resolveContact(db, { phone: '+6281200000001' }, now, 'sms');
    expect(() => db.transaction((tx) => {
      const row = insertCase(tx, { number: 'ADU-2026-999999', status: 'received', kind: 'complaint', divisionId: 'komisi-c', contactId: contact.id,
        channel: 'sms', connectorId: 'sms-test', subject: null, summary: ROAD, relatedToCaseId: null, now });
      rememberCase(tx, row.id, tokenize(ROAD), ROAD);
      throw new Error('forward outbox insert failed');
    })).toThrow('forward outbox insert failed');
    // the next case takes the rolled-back case's id; a repeat of the rolled-back text is new
    const lamp = send('+6281200000004', LAMP, '2026-03-01T10:00:00Z');
    expect(send('+6281200000002', ROAD.replace('dua motor', 'tiga motor'), '2026-03-02T08:00:00Z').relation).toBe('new');
    expect(linkOf(db, send('+6281200000003', LAMP.replace('seminggu', 'sepekan'), '2026-03-02T09:00:00Z'))).toEqual({ relation: 'recurring', relatedTo: lamp.caseNumber });
  });

  it('an index larger than dedupe.memoryIndexMb stays in SQLite and lookups still find repeats', () => {
    const { db, send } = setup();
    const first = send('+6281200000001', ROAD, '2026-03-01T08:00:00Z');
    const tiny = 16 / (1024 * 1024); // 16 bytes: less than the smallest index
    expect(loadRepeatIndexNow(db, tiny)).toMatchObject({ dropped: expect.stringContaining('dedupe.memoryIndexMb') });
    expect(linkOf(db, send('+6281200000002', ROAD.replace('dua motor', 'tiga motor'), '2026-03-02T08:00:00Z'))).toEqual({ relation: 'recurring', relatedTo: first.caseNumber });
  });

  it('rebuilds the buckets after migration 0001 in resumable batches (marker in counters)', () => {
    const { db, send } = setup();
    const first = send('+6281200000001', ROAD, '2026-03-01T08:00:00Z');
    send('+6281200000003', 'Terima kasih atas pelayanannya yang cepat.', '2026-03-01T09:00:00Z');
    send('+6281200000004', 'Lampu jalan di Jl. Kenari mati sudah seminggu, mohon diperbaiki.', '2026-03-01T10:00:00Z');
    const stored = db.select().from(dedupeBuckets).all();
    expect(stored.length).toBe(2 * BANDS);
    expect(stored.every((b) => Number.isInteger(b.bandKey))).toBe(true);
    // a fresh database carries the migration's marker: the first rebuild is a harmless no-op re-index
    expect(rebuildBuckets(db)).toBe(2);
    expect(db.select().from(dedupeBuckets).all().length).toBe(2 * BANDS);
    expect(rebuildBuckets(db)).toBe(0); // marker gone
    const places = db.select().from(problemPlaces).all().map((r) => r.placeKey).sort();
    expect(places).toEqual([placeKey('kaliurang'), placeKey('kenari')].sort());
    // an upgraded database: buckets emptied by the migration (or never written: problem_places, 0006), marker set; a worker dies after one batch
    db.delete(dedupeBuckets).run();
    db.delete(problemPlaces).run();
    db.$client.prepare("INSERT INTO counters (name, value) VALUES ('dedupe_rebuild_after', 0)").run();
    expect(rebuildBucketsStep(db, 1)).toEqual({ indexed: 1, finished: false });
    expect(db.select().from(dedupeBuckets).all().length).toBe(BANDS);
    expect(rebuildBucketsStep(db, 1)).toEqual({ indexed: 1, finished: false });
    expect(rebuildBucketsStep(db, 1)).toEqual({ indexed: 0, finished: true });
    expect(db.select().from(dedupeBuckets).all().map((b) => b.bandKey).sort()).toEqual(stored.map((b) => b.bandKey).sort());
    expect(db.select().from(problemPlaces).all().map((r) => r.placeKey).sort()).toEqual(places);
    const other = send('+6281200000002', ROAD.replace('dua motor', 'tiga motor'), '2026-03-05T08:00:00Z');
    expect(other).toMatchObject({ relation: 'recurring' });
    expect(getCaseByNumber(db, first.caseNumber!)!.reportCount).toBe(2);
  });

  it('compares stored shingle hashes: the same Jaccard as the shingle sets, no summary needed', () => {
    const texts = [ROAD, ROAD.replace('dua motor', 'tiga motor'), `${ROAD} Terima kasih.`, 'Lampu jalan di Jl. Kenari mati sudah seminggu, mohon diperbaiki.'];
    for (const a of texts) for (const b of texts) {
      const sa = shingles(tokenize(a)), sb = shingles(tokenize(b));
      expect(hashJaccard(shingleHashes(sa), shingleHashes(sb))).toBeCloseTo(jaccard(sa, sb), 10);
    }
    expect(bandKeys(minhash(shingleHashes(shingles(tokenize(ROAD)))))).toEqual(bandKeys(minhash(shingles(tokenize(ROAD)))));

    const { db, send } = setup();
    const first = send('+6281200000001', ROAD, '2026-03-01T08:00:00Z');
    const row = getCaseByNumber(db, first.caseNumber!)!;
    const stored = db.select({ shingles: cases.shingles }).from(cases).where(eq(cases.id, row.id)).get()!.shingles!;
    expect([...decodeHashes(stored)]).toEqual([...shingleHashes(shingles(tokenize(ROAD)))]);
    // verification reads the hashes, not the summary: a summary edited later does not matter
    db.update(cases).set({ summary: 'ringkasan diubah petugas' }).where(eq(cases.id, row.id)).run();
    expect(send('+6281200000002', ROAD.replace('dua motor', 'tiga motor'), '2026-03-02T08:00:00Z')).toMatchObject({ relation: 'recurring' });
    expect(getCaseByNumber(db, first.caseNumber!)!.reportCount).toBe(2);
  });

  it('a case stored before migration 0002 (no hashes) is compared through its summary, and the rebuild stores its hashes', () => {
    const { db, send } = setup();
    const first = send('+6281200000001', ROAD, '2026-03-01T08:00:00Z');
    const id = getCaseByNumber(db, first.caseNumber!)!.id;
    db.update(cases).set({ shingles: null }).where(eq(cases.id, id)).run();
    expect(send('+6281200000002', ROAD.replace('dua motor', 'tiga motor'), '2026-03-02T08:00:00Z')).toMatchObject({ relation: 'recurring' });
    expect(getCaseByNumber(db, first.caseNumber!)!.reportCount).toBe(2);
    db.$client.prepare("INSERT INTO counters (name, value) VALUES ('dedupe_rebuild_after', 0) ON CONFLICT(name) DO UPDATE SET value = 0").run();
    rebuildBuckets(db);
    const stored = db.select({ shingles: cases.shingles }).from(cases).where(eq(cases.id, id)).get()!.shingles;
    expect(stored && [...decodeHashes(stored)]).toEqual([...shingleHashes(shingles(tokenize(ROAD)))]);
  });
});
