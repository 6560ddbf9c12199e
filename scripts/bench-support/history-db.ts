// A gateway database as it stands after years of service, for timing the operator's commands (aduan status,
// cases list/show/find, report, export, quarantine, backup), the admin API's lists and the scheduler's sweeps on
// it: `node --import tsx scripts/bench-support/history-db.ts <dir> [cases]` writes <dir>/aduan.db (migrated by
// the project's own openDb) and <dir>/aduan.yaml pointing at it (divisions of config/divisions.yaml, a Redis
// nobody answers on, mail to files), then `npx aduan --config <dir>/aduan.yaml …`.
//
// Default 300,000 cases over the 3 years before now (more of them lately), with ~1,000,000 messages, ~1,500,000
// case events and an outbox row per acknowledgement, forward and result. Statuses follow age: nearly all older
// cases archived, a backlog of old cases nobody answered (escalated long ago), the last weeks' cases open at every
// stage, some waiting in triage. Kinds, channels, divisions and contacts (a few citizens who report often) in
// plausible shares; 15% of complaints are recurring reports of an earlier case (a viral problem among them with
// thousands of reports), some joined their problem's open report (digest items). Deterministic (seeded).
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { parse as parseYaml } from 'yaml';
import { ROOT } from '../load-config.ts';
import { closeDb, openDb } from '../../core/db/client.ts';

/** Mulberry32: the same database for the same arguments. */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const FIRST = ['Budi', 'Siti', 'Agus', 'Sri', 'Dewi', 'Joko', 'Rina', 'Bambang', 'Wahyu', 'Nur', 'Eko', 'Tri', 'Endang', 'Yuli', 'Hendra', 'Ratna', 'Slamet', 'Sugeng', 'Ani', 'Dian', 'Fajar', 'Indah', 'Rudi', 'Lestari', 'Heru', 'Puji', 'Wulan', 'Teguh', 'Kartika', 'Yanto'];
const LAST = ['Santoso', 'Rahayu', 'Wibowo', 'Lestari', 'Susanto', 'Hidayat', 'Purnomo', 'Setiawan', 'Kurniawan', 'Handayani', 'Saputra', 'Wijaya', 'Prasetyo', 'Nugroho', 'Utami', 'Suryani', 'Haryanto', 'Pratama', 'Maharani', 'Sulistyo'];
const PLACES = ['Jl. Malioboro', 'Kotagede', 'Gondokusuman', 'Umbulharjo', 'Jetis', 'Tegalrejo', 'Mergangsan', 'Wirobrajan', 'Kraton', 'Gedongtengen', 'Danurejan', 'Pakualaman', 'Mantrijeron', 'Ngampilan', 'Gondomanan'];
const PROBLEMS = [
  ['komisi-c', 'Lampu penerangan jalan di {p} mati sudah seminggu, mohon segera diperbaiki karena rawan kecelakaan.'],
  ['komisi-c', 'Jalan berlubang besar di {p} dekat masjid, sudah ada pengendara motor yang jatuh.'],
  ['komisi-c', 'Saluran air di {p} tersumbat sampah, setiap hujan banjir masuk rumah warga.'],
  ['komisi-d', 'Anak saya belum mendapat kuota sekolah negeri di {p} padahal rumah dekat, mohon penjelasan zonasi.'],
  ['komisi-d', 'Puskesmas di {p} sering tutup sebelum jam layanan, warga lansia kesulitan berobat.'],
  ['komisi-b', 'Pedagang di pasar {p} mengeluhkan retribusi naik tanpa pemberitahuan.'],
  ['komisi-b', 'Parkir liar di {p} menarik tarif jauh di atas ketentuan, mohon ditertibkan.'],
  ['komisi-a', 'Pengurusan KTP di kelurahan {p} sudah tiga bulan belum selesai.'],
  ['komisi-a', 'Petugas kelurahan {p} meminta uang tambahan untuk surat pengantar.'],
  ['humas', 'Mohon informasi jadwal reses anggota dewan dapil {p}.'],
] as const;
const STATEMENTS = ['Terima kasih atas pelayanan DPRD, jalan di {p} sudah bagus sekarang.', 'Saran: adakan forum warga di {p} setiap bulan.', 'Semangat bapak ibu dewan, sukses selalu.'];
const SPAM = ['Selamat! Anda memenangkan hadiah 100 juta, klik tautan berikut.', 'Pinjaman dana cepat tanpa jaminan, hubungi kami.', 'Promo pulsa murah hari ini saja.'];

/** Channels: share of cases, connector id. */
const CHANNELS: [string, string, number][] = [['whatsapp', 'twilio-wa', 0.34], ['sms', 'gammu', 0.22], ['email', 'email', 0.18], ['telegram', 'telegram', 0.12], ['web', 'web', 0.12], ['manual', 'manual', 0.02]];
const KINDS: [string, number][] = [['complaint', 0.62], ['question', 0.14], ['statement', 0.14], ['spam', 0.10]];

export interface HistoryOptions { cases?: number; years?: number; now?: Date; seed?: number; log?: (line: string) => void }

const DAY = 86_400_000;

export function fillHistory(file: string, opts: HistoryOptions = {}): { cases: number; messages: number; events: number; outbox: number; contacts: number; ms: number } {
  const N = opts.cases ?? 300_000;
  const years = opts.years ?? 3;
  const now = (opts.now ?? new Date()).getTime();
  const start = now - years * 365 * DAY;
  const r = rng(opts.seed ?? 20240601);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(r() * xs.length)]!;
  const weighted = <T extends [string, ...unknown[]]>(xs: readonly T[], w: (x: T) => number): T => {
    let u = r();
    for (const x of xs) if ((u -= w(x)) < 0) return x;
    return xs[xs.length - 1]!;
  };
  const log = opts.log ?? ((l: string) => console.error(l));
  const t0 = performance.now();

  const db = openDb(file);
  const c = db.$client;
  c.pragma('synchronous = OFF');
  c.pragma('cache_size = -262144');
  const insContact = c.prepare('INSERT INTO contacts (name, phone, email, telegram_chat_id, web_contact, created_at) VALUES (?, ?, ?, ?, ?, ?)');
  const insCase = c.prepare(`INSERT INTO cases (number, status, kind, division_id, contact_id, channel, connector_id, subject, summary, related_to_case_id, linked_by_problem, report_count, reopen_count, token, created_at, updated_at, closed_at)
    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 0, 1, ?, ?, ?, ?, ?)`);
  const bumpCount = c.prepare('UPDATE cases SET report_count = report_count + 1 WHERE id = ?');
  const insMsg = c.prepare(`INSERT INTO messages (ingest_id, connector_id, external_id, channel, contact_id, case_id, relation, received_at, recorded_at, subject, text, meta, label, confidence, features, text_hash)
    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`);
  const insEvent = c.prepare('INSERT INTO case_events (case_id, at, actor_type, actor, type, from_status, to_status, text, data) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)');
  const insOutbox = c.prepare(`INSERT INTO outbox (id, case_id, kind, queue, payload, status, attempts, last_error, created_at, updated_at, sent_at, clock_done_at)
    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`);
  const insAction = c.prepare('INSERT INTO corrective_actions (case_id, cause, plan, owner, due, created_at, actor) VALUES (?, ?, ?, ?, ?, ?, ?)');
  const insDigest = c.prepare('INSERT INTO digest_items (case_id, holder_case_id, division_id, joined_at, outbox_id) VALUES (?, ?, ?, ?, ?)');
  const insQuarantine = c.prepare('INSERT INTO quarantine (connector_id, external_id, code, reason, raw_ref, payload, created_at, resolved_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)');
  const setCounter = c.prepare('INSERT INTO counters (name, value) VALUES (?, ?) ON CONFLICT(name) DO UPDATE SET value = excluded.value');
  const iso = (t: number): string => new Date(t).toISOString();

  // contacts: ~0.45 per case; a tenth of them report again and again
  const nContacts = Math.round(N * 0.45);
  const contactChannel: string[] = [];
  c.transaction(() => {
    for (let i = 1; i <= nContacts; i++) {
      const ch = weighted(CHANNELS, (x) => x[2])[0];
      contactChannel.push(ch);
      const name = r() < 0.85 ? `${pick(FIRST)} ${pick(LAST)}` : null;
      const phone = ch === 'email' || ch === 'telegram' ? (r() < 0.3 ? `+62812${String(10_000_000 + i).padStart(8, '0')}` : null) : `+62812${String(10_000_000 + i).padStart(8, '0')}`;
      const email = ch === 'email' || (ch === 'web' && r() < 0.5) ? `warga${i}@mail.test` : null;
      const tg = ch === 'telegram' ? String(500_000_000 + i) : null;
      insContact.run(name, phone, email, tg, ch === 'web' ? `warga${i}` : null, iso(start));
    }
  })();
  const contactFor = (): number => (r() < 0.3 ? 1 + Math.floor(r() * (nContacts / 10)) : 1 + Math.floor(r() * nContacts));

  let messages = 0;
  let events = 0;
  let outboxRows = 0;
  const perYear = new Map<number, number>();
  // open first reports of recent problems (for recurring links), and one viral problem
  const roots: { id: number; division: string; text: string; at: number }[] = [];
  let viral: { id: number; division: string; text: string } | undefined;
  // creation times skewed towards now (more cases lately), in id order as the gateway numbers them
  const times = new Float64Array(N);
  for (let k = 0; k < N; k++) times[k] = start + (now - start) * Math.pow(r(), 0.8);
  times.sort();
  const BATCH = 20_000;
  let i = 0;
  while (i < N) {
    c.transaction(() => {
      for (const end = Math.min(N, i + BATCH); i < end; i++) {
        const created = times[i]!;
        const age = (now - created) / DAY;
        const year = new Date(created).getUTCFullYear();
        const seq = (perYear.get(year) ?? 0) + 1;
        perYear.set(year, seq);
        const number = `ADU-${year}-${String(seq).padStart(6, '0')}`;
        const [channel, connector] = weighted(CHANNELS, (x) => x[2]);
        const kind = weighted(KINDS, (x) => x[1])[0];
        const contactId = contactFor();
        const place = pick(PLACES);
        let division: string;
        let text: string;
        let related: number | null = null;
        if (kind === 'complaint' || kind === 'question') {
          const [d, t] = pick(PROBLEMS);
          division = kind === 'question' && r() < 0.5 ? 'humas' : d;
          text = t.replace('{p}', place);
          if (kind === 'complaint' && r() < 0.15) {
            // a recurring report: of the viral problem (a third of them), else of a recent earlier report
            if (viral && r() < 0.33) {
              related = viral.id;
              division = viral.division;
              text = `${viral.text} Sudah dilaporkan warga lain.`;
            } else if (roots.length > 0) {
              const root = roots[roots.length - 1 - Math.floor(r() * Math.min(roots.length, 200))]!;
              related = root.id;
              division = root.division;
              text = `${root.text} Masih belum ada perbaikan.`;
            }
          }
        } else {
          division = 'humas';
          text = (kind === 'statement' ? pick(STATEMENTS) : pick(SPAM)).replace('{p}', place);
        }
        // status by age
        let status: string;
        const u = r();
        if (kind === 'statement' || kind === 'spam') status = age > 30 ? 'archived' : kind;
        else if (age > 45) status = u < 0.955 ? 'archived' : u < 0.97 ? 'closed' : u < 0.98 ? 'forwarded' : u < 0.99 ? 'in_review' : 'action';
        else if (age > 14) status = u < 0.35 ? 'closed' : u < 0.6 ? 'archived' : u < 0.7 ? 'awaiting_feedback' : u < 0.8 ? 'action' : u < 0.93 ? 'in_review' : u < 0.97 ? 'forwarded' : 'reopened';
        else status = u < 0.05 ? 'triage' : u < 0.08 ? 'received' : u < 0.38 ? 'forwarded' : u < 0.6 ? 'in_review' : u < 0.7 ? 'action' : u < 0.85 ? 'awaiting_feedback' : 'closed';
        // (a triage case has its guessed division and kind; a case waiting in triage counts as a statement)
        const at = (h: number): number => Math.min(now - 60_000, created + h * 3_600_000);
        const tForward = at(0.1 + r() * 0.5);
        const tReview = at(24 + r() * 72);
        const tAction = at(96 + r() * 120);
        const tResult = at(200 + r() * 300);
        const tClose = at(400 + r() * 200);
        const tArchive = at(400 + 30 * 24 + r() * 48);
        const lastAt = status === 'archived' ? tArchive : status === 'closed' ? tClose : status === 'awaiting_feedback' ? tResult : status === 'action' ? tAction : status === 'in_review' || status === 'reopened' ? tReview : status === 'forwarded' ? tForward : created;
        const closedAt = status === 'closed' || (status === 'archived' && (kind === 'complaint' || kind === 'question')) ? iso(tClose) : null;
        const subject = channel === 'email' ? text.slice(0, 40) : null;
        const id = Number(insCase.run(number, status, kind, division, contactId, channel, connector, subject, text, related, 0, `t${i.toString(36)}`, iso(created), iso(lastAt), closedAt).lastInsertRowid);
        if (related !== null) bumpCount.run(related);
        else if ((kind === 'complaint') && age < 120) {
          roots.push({ id, division, text, at: created });
          if (roots.length > 400) roots.shift();
        }
        if (!viral && kind === 'complaint' && related === null && age < 200) viral = { id, division, text };

        // messages: the opening one, and the citizen's later ones (replies, additions, verdicts)
        const ext = `${connector}-${i}`;
        const hash = `h${(Math.abs(hashString(text)) % 5_000_000).toString(36)}`;
        insMsg.run(`in${i}`, connector, ext, channel, contactId, id, related === null ? 'new' : 'recurring', iso(created), iso(created + 2000), subject, text,
          JSON.stringify({ via: connector }), kind, 0.6 + r() * 0.4, JSON.stringify(['w:lampu', 'w:jalan', 'w:mati']), hash);
        messages++;
        const replies = kind === 'spam' ? 0 : Math.floor(r() * 5);
        for (let m = 0; m < replies; m++) {
          const t = created + (m + 1) * (3_600_000 + r() * 86_400_000);
          if (t >= now) break;
          insMsg.run(`in${i}r${m}`, connector, `${ext}-r${m}`, channel, contactId, id, m === replies - 1 && status === 'closed' ? 'reply' : 'reply', iso(t), iso(t + 1500), null,
            m === replies - 1 && (status === 'closed' || status === 'archived') ? 'PUAS' : 'Mohon kabar tindak lanjutnya, terima kasih.', null, null, null, null, null);
          messages++;
        }
        // events along the case's path
        const ev = (t: number, actorType: string, actor: string, type: string, from: string | null, to: string | null, txt: string | null, data: unknown = null): void => {
          insEvent.run(id, iso(t), actorType, actor, type, from, to, txt, data === null ? null : JSON.stringify(data));
          events++;
        };
        const triaged = status === 'triage' || (kind !== 'complaint' && r() < 0.2);
        ev(created, 'system', 'intake', 'received', null, triaged ? 'triage' : 'received', null, { label: kind, confidence: 0.8, ...(triaged ? { triage: 'unsure' } : {}), features: ['w:lampu'] });
        if (status === 'triage' || status === 'received') {
          // nothing more yet
        } else if (kind === 'statement' || kind === 'spam') {
          ev(created + 1000, triaged ? 'officer' : 'system', triaged ? 'petugas@cli' : 'intake', triaged ? 'classified' : 'settled', triaged ? 'triage' : 'received', kind, null, triaged ? { label: kind } : null);
          if (status === 'archived') ev(tArchive, 'system', 'scheduler', 'archived', kind, 'archived', null);
        } else {
          ev(tForward, 'system', 'forward-worker', 'forwarded', 'received', 'forwarded', `Diteruskan ke ${division}@dprd.test`);
          const stage = ['forwarded', 'in_review', 'reopened', 'action', 'awaiting_feedback', 'closed', 'archived'].indexOf(status);
          if (stage >= 1) ev(tReview, 'division', `${division}@dprd.test`, 'review_started', 'forwarded', 'in_review', 'Dikaji dalam rapat komisi.');
          if (stage >= 3 && r() < 0.5) {
            ev(tAction, 'division', `${division}@dprd.test`, 'corrective_action', 'in_review', 'action', 'Penyebab: …');
            insAction.run(id, 'Perawatan tertunda', 'Perbaikan oleh dinas terkait', 'Dinas PU', iso(tAction + 14 * DAY).slice(0, 10), iso(tAction), `division:${division}@dprd.test`);
          }
          if (stage >= 4) ev(tResult, 'division', `${division}@dprd.test`, 'result_sent', 'in_review', 'awaiting_feedback', 'Sudah diperbaiki oleh dinas terkait.');
          if (stage >= 5) ev(tClose, r() < 0.6 ? 'citizen' : 'system', r() < 0.6 ? '+6281210000000' : 'scheduler', r() < 0.6 ? 'closed_satisfied' : 'closed_no_answer', 'awaiting_feedback', 'closed', null);
          if (stage >= 6) ev(tArchive, 'system', 'scheduler', 'archived', 'closed', 'archived', null);
          // the old backlog nobody answered: escalated long ago, once per stage
          if (age > 45 && stage >= 0 && stage <= 3) {
            const stageAt = stage === 0 ? tForward : stage === 3 ? tAction : tReview;
            const type = stage === 0 ? 'forwarded' : stage === 3 ? 'corrective_action' : 'review_started';
            ev(stageAt + 3 * DAY, 'system', 'scheduler', `sla_reminder:${type}@${iso(stageAt)}`, null, null, 'Pengingat');
            ev(stageAt + 5 * DAY, 'system', 'scheduler', `sla_escalated:${type}@${iso(stageAt)}`, null, null, 'Eskalasi');
          }
          if (r() < 0.1) ev(created + DAY, 'officer', 'petugas@cli', 'note', null, null, 'Sudah ditelepon pelapor.');
        }
        // outbox: the acknowledgement, the forward and the result, sent (a few died for good long ago)
        const mail = (suffix: string, t: number, queue: string, kindOf: string, payload: unknown): void => {
          const dead = r() < 0.003;
          insOutbox.run(`${number}.${suffix}`, id, kindOf, queue, JSON.stringify(payload), dead ? 'dead' : 'sent', dead ? 5 : 1, dead ? '550 5.1.1 mailbox unavailable' : null,
            iso(t), iso(t + 5000), dead ? null : iso(t + 5000), dead ? iso(t + 3_600_000) : null);
          outboxRows++;
        };
        if (kind !== 'spam') mail('ack', created + 1000, channel === 'email' ? 'mail' : `outbound:${connector}`, channel === 'email' ? 'mail' : 'channel', { to: [`warga${contactId}@mail.test`], text: `Aduan Anda tercatat dengan nomor ${number}.` });
        if (status !== 'triage' && status !== 'received' && (kind === 'complaint' || kind === 'question')) {
          mail('forward', tForward, 'mail', 'mail', { to: [`${division}@dprd.test`], subject: `[${number}] ${text.slice(0, 60)}`, text, headers: { 'Auto-Submitted': 'auto-generated' } });
          if (['awaiting_feedback', 'closed', 'archived'].includes(status)) mail('result-1', tResult, channel === 'email' ? 'mail' : `outbound:${connector}`, channel === 'email' ? 'mail' : 'channel', { to: [`warga${contactId}@mail.test`], text: 'Hasil tindak lanjut aduan Anda …' });
        }
        // a recurring report of the viral problem lately: joined its open report, listed in a digest
        if (related !== null && viral && related === viral.id && age < 20) insDigest.run(id, viral.id, division, iso(created), age < 0.04 ? null : `${number}.digest-1`);
      }
    })();
    log(`history: ${i} / ${N} cases, ${messages} messages, ${events} events, ${outboxRows} outbox rows (${Math.round((performance.now() - t0) / 1000)} s)`);
  }
  c.transaction(() => {
    for (const [year, n] of perYear) setCounter.run(`case:ADU:${year}`, n);
    // quarantine: bad input over the years, most of it resolved
    for (let q = 0; q < 3000; q++) {
      const t = start + (now - start) * r();
      insQuarantine.run(pick(['gammu', 'email', 'twilio-wa', 'telegram', 'web']), `q${q}`, pick(['INPUT.INVALID', 'INPUT.TOO_LARGE', 'MAIL.UNPARSEABLE']), 'Pesan tidak dapat dibaca', null, 'x'.repeat(200), iso(t), r() < 0.9 ? iso(t + DAY) : null);
    }
  })();
  c.pragma('synchronous = NORMAL');
  c.exec('ANALYZE');
  closeDb(db);
  return { cases: N, messages, events, outbox: outboxRows, contacts: nContacts, ms: performance.now() - t0 };
}

function hashString(s: string): number {
  let h = 0;
  for (let k = 0; k < s.length; k++) h = (Math.imul(h, 31) + s.charCodeAt(k)) | 0;
  return h;
}

/** <dir>/aduan.yaml for the database (divisions as shipped, a Redis nobody answers on, mail to files). */
export function writeHistoryConfig(dir: string): string {
  const file = path.join(dir, 'aduan.yaml');
  writeFileSync(file, ['redis:', '  url: redis://127.0.0.1:9', 'database:', '  path: ./aduan.db', 'storage:', '  dir: ./storage',
    'mail:', '  transport: file', '  file:', '    dir: ./mail', `divisions: ${JSON.stringify(divisionsYaml())}`,
    'escalation:', '  address: sekwan@dprd.test'].join('\n'));
  return file;
}

/** The shipped divisions (config/divisions.yaml), as the demo config has them. */
function divisionsYaml(): unknown[] {
  return (parseYaml(readFileSync(path.join(ROOT, 'config', 'divisions.yaml'), 'utf8')) as { divisions: unknown[] }).divisions;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const dir = path.resolve(process.argv[2] ?? 'tmp-scratch/history');
  const n = Number(process.argv[3] ?? 300_000);
  mkdirSync(dir, { recursive: true });
  rmSync(path.join(dir, 'aduan.db'), { force: true });
  rmSync(path.join(dir, 'aduan.db-wal'), { force: true });
  rmSync(path.join(dir, 'aduan.db-shm'), { force: true });
  const s = fillHistory(path.join(dir, 'aduan.db'), { cases: n });
  const cfg = writeHistoryConfig(dir);
  console.log(`${s.cases} cases, ${s.messages} messages, ${s.events} events, ${s.outbox} outbox rows, ${s.contacts} contacts in ${(s.ms / 1000).toFixed(0)} s; npx aduan --config ${cfg} …`);
}
