// `npm run bench -- understanding`: classify + dedupe + route for 100,000 messages against a
// history of 10,000 and of 1,000,000 stored cases in a temp SQLite file. Prints classifications/s,
// full pipeline msgs/s, dedupe lookup p50/p99, throughput ratio 1M/10k and peak RSS. The history is
// opened as the intake worker opens it (database.intakeCacheMb, repeat index loaded into memory); the
// histories take turns in rounds, so a slow spell of the machine does not fall on one of them only;
// each is then measured a second time with another connection writing after every message, which empties
// SQLite's page cache each time (what the forward worker's writes do to the intake worker under load).
// Targets (issue 6): ≥ 20,000 classifications/s; dedupe p99 ≤ 2 ms at 1,000,000 cases;
// throughput at 1M ≥ 0.8× that at 10k; RSS ≤ 500 MB.
// BENCH_MESSAGES / BENCH_HISTORY (comma list) override the sizes for a quick run; BENCH_KEEP_DIR keeps
// the seeded history databases there and reuses them on the next run (seeding 10^6 cases takes minutes).
import { fork } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os, { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { closeDb, openDb, type Db } from '../../core/db/client.ts';
import { bandKeys, encodeHashes, findRepeat, minhash, rememberCase, repeatQueryOf, shingleHashes, shingles, textHash, loadRepeatIndexNow } from '../../core/understanding/dedupe.ts';
import { placeKey, problemSignature } from '../../core/understanding/problem.ts';
import { Classifier, createAnalyzer } from '../../core/understanding/index.ts';
import { tokenize } from '../../core/understanding/normalize.ts';
import { loadDivisions } from '../eval.ts';
import { ROOT } from '../train.ts';
import { classifierSchema, databaseSchema, dedupeSchema } from '../../core/config/schema.ts';

/** The default repeat settings: what intake looks up with. */
const DEDUPE = dedupeSchema.parse({});
import Database from 'better-sqlite3';
import { seededRandom } from '../corpus/rng.ts';

const MESSAGES = Number(process.env['BENCH_MESSAGES'] ?? 100_000);
const HISTORIES = (process.env['BENCH_HISTORY'] ?? '10000,1000000').split(',').map(Number);
const CONTACTS = 20_000;

// The stored history and the measured messages come from two separate random streams: with one
// shared stream (as before) the child seeding 10^6 cases walked through the same numbers as the
// parent, so about 13 % of the "new" messages were copies of stored cases at 10^6 and none at 10^4.
const HISTORY_SEED = 0x5eed;
const MESSAGE_SEED = 12345;
let rnd = seededRandom(MESSAGE_SEED);
const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)]!;

const SYL = ['ka', 'ri', 'mu', 'to', 'sa', 'ng', 'lo', 'we', 'ju', 'pe', 'da', 'ra', 'bi', 'go', 'ye', 'ta', 'ni', 'su'];
const word = (): string => pick(SYL) + pick(SYL) + pick(SYL);

/**
 * Message texts built from the project's corpus complaints: about a third of the words replaced by
 * random pseudo-words and a random place added, so texts are as varied as real ones (two real
 * complaints rarely share most of their word pairs).
 */
function textSource(): () => string {
  const base = readFileSync(path.join(ROOT, 'config', 'corpus', 'complaints.jsonl'), 'utf8').trim().split('\n').map((l) => (JSON.parse(l) as { text: string }).text.split(' '));
  return () => `${pick(base).map((w) => (rnd() < 0.35 ? word() : w)).join(' ')} Lokasi kampung ${word()} gang ${word()}.`;
}

/** A citizen sending the same complaint again: one word changed, punctuation added. */
function nearCopy(text: string): string {
  const words = text.split(' ');
  words[Math.floor(rnd() * words.length)] = word();
  return `${words.join(' ')}!!`;
}

function seedHistory(db: Db, n: number, next: () => string): void {
  const sqlite = db.$client;
  const now = Date.now();
  const insContact = sqlite.prepare('INSERT INTO contacts (phone, created_at) VALUES (?, ?)');
  const insCase = sqlite.prepare(`INSERT INTO cases (number, status, kind, division_id, contact_id, channel, connector_id, summary, shingles, token, created_at, updated_at)
    VALUES (?, 'received', 'complaint', 'komisi-c', ?, 'sms', 'bench', ?, ?, 'tok', ?, ?)`);
  const insMsg = sqlite.prepare(`INSERT INTO messages (ingest_id, connector_id, external_id, channel, contact_id, case_id, relation, received_at, recorded_at, text, text_hash)
    VALUES (?, 'bench', ?, 'sms', ?, ?, 'new', ?, ?, '', ?)`);
  const insBucket = sqlite.prepare('INSERT OR IGNORE INTO dedupe_buckets (band_key, case_id) VALUES (?, ?)');
  const insPlace = sqlite.prepare('INSERT OR IGNORE INTO problem_places (place_key, case_id, words) VALUES (?, ?, ?)');
  sqlite.transaction(() => {
    for (let c = 1; c <= CONTACTS; c++) insContact.run(`+6281${String(c).padStart(9, '0')}`, new Date(now).toISOString());
  })();
  const BATCH = 20_000;
  for (let start = 0; start < n; start += BATCH) {
    sqlite.transaction(() => {
      for (let i = start; i < Math.min(n, start + BATCH); i++) {
        const text = next();
        const contactId = 1 + Math.floor(rnd() * CONTACTS);
        const at = new Date(now - rnd() * 60 * 86_400_000).toISOString();
        // what the intake worker stores for a new complaint (core/understanding/dedupe.ts rememberCase)
        const tokens = tokenize(text);
        const hashes = shingleHashes(shingles(tokens));
        const caseId = Number(insCase.run(`B-${i}`, contactId, text, encodeHashes(hashes), at, at).lastInsertRowid);
        insMsg.run(`b${i}`, `b${i}`, contactId, caseId, at, at, textHash(tokens.join(' ')));
        for (const k of bandKeys(minhash(hashes))) insBucket.run(k, caseId);
        const problem = problemSignature(text, tokens);
        if (problem.wordHashes.length >= 2) for (const p of problem.places) insPlace.run(placeKey(p), caseId, encodeHashes(problem.wordHashes));
      }
    })();
  }
}

function percentile(sorted: Float64Array, p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))]!;
}

const mb = (kb: number): string => `${Math.round(kb / 1024)} MB`;

export function seedInChild(file: string, history: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = fork(fileURLToPath(import.meta.url), ['seed', file, String(history)], { execArgv: ['--import', 'tsx'], stdio: 'inherit' });
    child.once('error', reject);
    child.once('exit', (code) => (code === 0 ? resolve() : reject(new Error(`seeding ${file} failed (exit ${code})`))));
  });
}

/** Rounds the histories take turns in: a slow spell of the machine (this VM's host) hits every history alike. */
const ROUNDS = 10;

interface Measured { wall: number; foreign: number; cpu: number; lat: number[]; relations: Record<string, number>; rssMax: number }
const measured = (): Measured => ({ wall: 0, foreign: 0, cpu: 0, lat: [], relations: {}, rssMax: 0 });

/** Median of three timed runs, in msgs/s. */
function medianRate(run: () => void): number {
  const rates = [0, 1, 2].map(() => { const t = performance.now(); run(); return MESSAGES / ((performance.now() - t) / 1000); });
  return rates.sort((a, b) => a - b)[1]!;
}

export async function run(): Promise<void> {
  const divisions = loadDivisions();
  const classifier = new Classifier();
  const analyzer = createAnalyzer({ divisions, classifier: classifierSchema.parse({}) }, { classifier });
  const next = textSource();

  // classification alone
  const warm = Array.from({ length: 20_000 }, next);
  const classifyOnly = medianRate(() => { for (let i = 0; i < MESSAGES; i++) classifier.classify(warm[i % warm.length]!); });
  const classifyRate = medianRate(() => { for (let i = 0; i < MESSAGES; i++) analyzer.analyze(warm[i % warm.length]!); });
  console.log(`classifications (normalise + classify): ${MESSAGES} msgs, ${Math.round(classifyOnly)} msgs/s, median of 3 runs  (target >= 20,000)`);
  console.log(`classify + route (no database): ${MESSAGES} msgs, ${Math.round(classifyRate)} msgs/s, median of 3 runs`);

  const keepDir = process.env['BENCH_KEEP_DIR'];
  const dir = keepDir ?? mkdtempSync(path.join(tmpdir(), 'aduan-bench-'));
  if (keepDir) mkdirSync(keepDir, { recursive: true });
  const opened: Array<{ history: number; db: Db; other: Database.Database; otherWrite: Database.Statement; msgs: Array<{ text: string; contactId: number }>; alone: Measured; shared: Measured }> = [];
  const closeAll = (): void => { for (const h of opened.splice(0)) { h.other.close(); closeDb(h.db); } };
  try {
    for (const history of HISTORIES) {
      const file = path.join(dir, `history-${history}.db`);
      const t0 = performance.now();
      if (keepDir !== undefined && existsSync(file)) {
        console.log(`history ${history.toLocaleString('en')} cases: reusing ${file}`);
      } else {
        // seeded by a child process: the measured process is the pipeline alone, as an intake worker is
        await seedInChild(file, history);
        console.log(`history ${history.toLocaleString('en')} cases seeded in ${((performance.now() - t0) / 1000).toFixed(1)} s (child process)`);
      }
      // opened as the intake worker opens it (database.intakeCacheMb), and its repeat index read into
      // memory as the intake worker does when it starts (between jobs)
      const db = openDb(file, { cacheMb: databaseSchema.parse({}).intakeCacheMb });
      const w0 = performance.now();
      const loaded = loadRepeatIndexNow(db, dedupeSchema.parse({}).memoryIndexMb);
      console.log(`history ${history.toLocaleString('en')}: repeat index loaded into memory at start as the intake worker does: ${loaded.entries.toLocaleString('en')} entries, ${mb((loaded.bytes ?? 0) / 1024)}, in ${Math.round(performance.now() - w0)} ms${loaded.dropped ? ` — NOT kept: ${loaded.dropped}` : ''}`);
      // another connection that writes after every message, as the forward worker does under load:
      // SQLite then empties the measuring connection's page cache before its next read
      const other = new Database(file);
      other.pragma('busy_timeout = 10000');
      other.exec('CREATE TABLE IF NOT EXISTS bench_other_writer (k INTEGER PRIMARY KEY, v INTEGER)');
      const otherWrite = other.prepare('INSERT OR REPLACE INTO bench_other_writer (k, v) VALUES (1, ?)');
      // texts that citizens will send again: 2 % of the stored cases, at most 5,000
      const ids = Array.from({ length: Math.min(5_000, Math.ceil(history * 0.02)) }, () => 1 + Math.floor(rnd() * history));
      const summary = db.$client.prepare('SELECT summary FROM cases WHERE id = ?');
      const kept = ids.map((id) => (summary.get(id) as { summary: string } | undefined)?.summary).filter((x): x is string => x !== undefined);
      // 100,000 messages: 20 % near repeats of stored cases, 80 % new
      const msgs: Array<{ text: string; contactId: number }> = [];
      for (let i = 0; i < MESSAGES; i++) {
        const repeat = kept.length > 0 && rnd() < 0.2;
        const text = repeat ? nearCopy(pick(kept)) : next();
        msgs.push({ text, contactId: 1 + Math.floor(rnd() * CONTACTS) });
      }
      opened.push({ history, db, other, otherWrite, msgs, alone: measured(), shared: measured() });
    }

    const now = new Date();
    const chunk = Math.ceil(MESSAGES / ROUNDS);
    const measure = (h: (typeof opened)[number], into: Measured, from: number, to: number, foreignWrites: boolean): void => {
      const cpu0 = process.cpuUsage();
      const start = performance.now();
      for (let i = from; i < to; i++) {
        const m = h.msgs[i]!;
        const { tokens, divisionId } = analyzer.analyze(m.text);
        const s = performance.now();
        const r = findRepeat(h.db, repeatQueryOf(DEDUPE, { contactId: m.contactId, text: m.text, tokens, hash: textHash(tokens.join(' ')), now, divisionId }));
        into.lat.push(performance.now() - s);
        into.relations[r.relation] = (into.relations[r.relation] ?? 0) + 1;
        if (i % 1000 === 0) into.rssMax = Math.max(into.rssMax, process.memoryUsage.rss());
        if (foreignWrites) { const w = performance.now(); h.otherWrite.run(i); into.foreign += performance.now() - w; }
      }
      into.wall += performance.now() - start;
      const cpu = process.cpuUsage(cpu0);
      into.cpu += (cpu.user + cpu.system) / 1000;
    };
    // the histories take turns, ROUNDS chunks each: first alone, then with the other writer
    for (const foreignWrites of [false, true]) {
      for (let r = 0; r < ROUNDS; r++) {
        for (const h of opened) measure(h, foreignWrites ? h.shared : h.alone, r * chunk, Math.min(MESSAGES, (r + 1) * chunk), foreignWrites);
      }
    }
    const rate = (m: Measured): number => MESSAGES / ((m.wall - m.foreign) / 1000);
    for (const h of opened) {
      const lat = Float64Array.from(h.alone.lat).sort();
      const shared = Float64Array.from(h.shared.lat).sort();
      console.log(`history ${h.history.toLocaleString('en')}: classify+dedupe+route ${Math.round(rate(h.alone))} msgs/s (${Math.round(MESSAGES / (h.alone.cpu / 1000))} per CPU-second); dedupe lookup p50 ${percentile(lat, 0.5).toFixed(3)} ms, p99 ${percentile(lat, 0.99).toFixed(3)} ms, max ${lat[lat.length - 1]!.toFixed(1)} ms; relations ${JSON.stringify(h.alone.relations)}; RSS during the run ${mb(h.alone.rssMax / 1024)}`);
      console.log(`  same messages, another connection writing after each one, as another process would (page cache emptied every time): ${Math.round(rate(h.shared))} msgs/s (its writes not counted); dedupe lookup p50 ${percentile(shared, 0.5).toFixed(3)} ms, p99 ${percentile(shared, 0.99).toFixed(3)} ms`);
    }
    const small = opened[0];
    const big = opened[opened.length - 1];
    if (small && big && big !== small) {
      console.log(`throughput ratio ${big.history.toLocaleString('en')}/${small.history.toLocaleString('en')}: ${(rate(big.alone) / rate(small.alone)).toFixed(2)} (target >= 0.8; the histories took turns in ${ROUNDS} rounds)`);
      // per CPU-second: what the process itself spent, so other load on the machine skews it less
      console.log(`  per CPU-second: ratio ${(small.alone.cpu / big.alone.cpu).toFixed(2)}; with another connection writing after each message: ratio ${(rate(big.shared) / rate(small.shared)).toFixed(2)}; load average at the end ${os.loadavg()[0]!.toFixed(2)}`);
    }
    console.log(`process peak RSS ${mb(process.resourceUsage().maxRSS)} (the pipeline process with all histories open at once; histories are seeded by a child) (target <= 500 MB)`);
    const histories = opened.map((h) => ({ history: h.history, msgs: h.msgs.slice(0, STORE_MESSAGES) }));
    closeAll();
    // what the intake worker also does: store each message (and a new case when it is one) in its own
    // transaction; on a copy, so a kept history stays as seeded
    for (const h of histories) storePass(path.join(dir, `history-${h.history}.db`), h.history, h.msgs, analyzer);
  } finally {
    closeAll();
    if (!keepDir) rmSync(dir, { recursive: true, force: true });
  }
}

/** Messages stored in the pass with writes. */
const STORE_MESSAGES = Number(process.env['BENCH_STORE_MESSAGES'] ?? 20_000);

function storePass(file: string, history: number, msgs: ReadonlyArray<{ text: string; contactId: number }>, analyzer: ReturnType<typeof createAnalyzer>): void {
  const copy = `${file}.store-copy`;
  copyFileSync(file, copy);
  const db = openDb(copy, { cacheMb: databaseSchema.parse({}).intakeCacheMb });
  try {
    loadRepeatIndexNow(db, dedupeSchema.parse({}).memoryIndexMb);
    const sqlite = db.$client;
    const insCase = sqlite.prepare(`INSERT INTO cases (number, status, kind, division_id, contact_id, channel, connector_id, summary, token, created_at, updated_at)
      VALUES (?, 'received', 'complaint', 'komisi-c', ?, 'sms', 'bench', ?, 'tok', ?, ?)`);
    const insMsg = sqlite.prepare(`INSERT INTO messages (ingest_id, connector_id, external_id, channel, contact_id, case_id, relation, received_at, recorded_at, text, text_hash)
      VALUES (?, 'bench', ?, 'sms', ?, ?, ?, ?, ?, '', ?)`);
    const now = new Date();
    const at = now.toISOString();
    const lat = new Float64Array(msgs.length);
    const relations: Record<string, number> = {};
    const start = performance.now();
    msgs.forEach((m, i) => {
      const s = performance.now();
      const { tokens, divisionId } = analyzer.analyze(m.text);
      const hash = textHash(tokens.join(' '));
      sqlite.transaction(() => {
        const r = findRepeat(db, repeatQueryOf(DEDUPE, { contactId: m.contactId, text: m.text, tokens, hash, now, divisionId }));
        relations[r.relation] = (relations[r.relation] ?? 0) + 1;
        const caseId = r.relation === 'duplicate' ? r.caseId : Number(insCase.run(`S-${i}`, m.contactId, m.text, at, at).lastInsertRowid);
        insMsg.run(`s${i}`, `s${i}`, m.contactId, caseId, r.relation, at, at, hash);
        if (r.relation === 'new') rememberCase(db, caseId, tokens, m.text);
      })();
      lat[i] = performance.now() - s;
    });
    const rate = msgs.length / ((performance.now() - start) / 1000);
    lat.sort();
    console.log(`history ${history.toLocaleString('en')}, with stores (each message in its own transaction: lookup, message row, case row and repeat index when new; on a copy): ${Math.round(rate)} msgs/s; p50 ${percentile(lat, 0.5).toFixed(3)} ms, p99 ${percentile(lat, 0.99).toFixed(3)} ms; relations ${JSON.stringify(relations)}`);
  } finally {
    closeDb(db);
    for (const suffix of ['', '-wal', '-shm']) rmSync(copy + suffix, { force: true });
  }
}

if (process.argv[2] === 'seed' && process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  rnd = seededRandom(HISTORY_SEED);
  const db = openDb(process.argv[3]!);
  seedHistory(db, Number(process.argv[4]), textSource());
  db.$client.prepare("DELETE FROM counters WHERE name = 'dedupe_rebuild_after'").run(); // indexed above
  db.$client.pragma('wal_checkpoint(TRUNCATE)');
  closeDb(db);
}
