// `npm run bench -- sweeps`: the scheduler's sweep (SLA clocks, archive, delivery clocks) over many
// open cases, in a SQLite file. It runs inside a write transaction every minute (more, of at most
// LIMITS.sweepWritesPerTransaction case writes each, when much is due), so every other writer (the intake
// worker) waits for it: its longest transaction is intake's worst stall. Half the cases are one
// viral problem's report chain (dedupe.shareResults, digests: thousands of open reports of one problem
// at one division), half unrelated ones, all forwarded long enough ago to be past their first-response
// target. Sweep 1 escalates each due case (one event and one mail each); the following sweeps find
// nothing new to do, the steady state of every minute. Plus a quarter as many copies of one text waiting in
// triage (one reminder, for the oldest). And the dead outbox rows of years (a re-forward of each forwarded
// case that failed for good, escalated long ago, never replayed): the delivery clocks must not read them
// every minute ("outbox rows read"). BENCH_SWEEP_CASES (default 4,000).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { loadConfigText } from '../../core/config/load.ts';
import { closeDb, openDb } from '../../core/db/client.ts';
import { runSweeps } from '../../core/lifecycle/sweeps.ts';
import { loadDivisions } from '../eval.ts';

const N = Number(process.env['BENCH_SWEEP_CASES'] ?? 4000);

export async function run(): Promise<void> {
  const dir = mkdtempSync(path.join(tmpdir(), 'aduan-sweeps-'));
  const { config } = loadConfigText(JSON.stringify({ divisions: loadDivisions(), database: { path: path.join(dir, 'aduan.db') }, escalation: { address: 'sekwan@dprd.test' } }), '(bench)');
  const db = openDb(config.database.path);
  try {
    const c = db.$client;
    const forwardedAt = '2026-03-02T02:00:00.000Z'; // a Monday; swept two weeks later
    c.prepare(`INSERT INTO contacts (phone, created_at) VALUES ('+6281200000000', ?)`).run(forwardedAt);
    const insert = c.prepare(`INSERT INTO cases (number, token, status, kind, division_id, contact_id, channel, connector_id, summary, related_to_case_id, created_at, updated_at)
      VALUES (?, 'tok', 'forwarded', 'complaint', 'komisi-c', 1, 'sms', 'sms', 'Lampu PJU mati', ?, ?, ?)`);
    const event = c.prepare(`INSERT INTO case_events (case_id, at, actor_type, actor, type, from_status, to_status) VALUES (?, ?, 'system', 'bench', 'forwarded', 'received', 'forwarded')`);
    const t0 = performance.now();
    c.transaction(() => {
      let root: number | bigint | null = null;
      for (let i = 0; i < N; i++) {
        const inChain = i < N / 2;
        const id: number | bigint = insert.run(`ADU-2026-${String(i + 1).padStart(6, '0')}`, inChain ? root : null, forwardedAt, forwardedAt).lastInsertRowid;
        if (inChain && root === null) root = id;
        event.run(id, forwardedAt);
      }
    })();
    // and a viral text nobody has sorted yet: N/4 senders' copies waiting in triage, one report chain
    const triage = c.prepare(`INSERT INTO cases (number, token, status, kind, division_id, contact_id, channel, connector_id, summary, related_to_case_id, created_at, updated_at)
      VALUES (?, 'tok', 'triage', 'statement', 'humas', 1, 'sms', 'sms', 'Info penting', ?, ?, ?)`);
    const message = c.prepare(`INSERT INTO messages (ingest_id, connector_id, external_id, channel, contact_id, case_id, relation, received_at, recorded_at, text, text_hash)
      VALUES (?, 'sms', ?, 'sms', 1, ?, ?, ?, ?, 'Info penting', 'viral')`);
    const received = c.prepare(`INSERT INTO case_events (case_id, at, actor_type, actor, type, to_status) VALUES (?, ?, 'citizen', 'bench', 'received', 'triage')`);
    c.transaction(() => {
      let root: number | bigint | null = null;
      for (let i = 0; i < N / 4; i++) {
        const id: number | bigint = triage.run(`ADU-2026-${String(N + i + 1).padStart(6, '0')}`, root, forwardedAt, forwardedAt).lastInsertRowid;
        message.run(`t${i}`, `t${i}`, id, root === null ? 'new' : 'recurring', forwardedAt, forwardedAt);
        received.run(id, forwardedAt);
        if (root === null) root = id;
      }
    })();
    // (as the sweep of the day they died left them: escalated, marked done with)
    const deadAt = '2025-06-02T02:00:00.000Z';
    const dead = c.prepare(`INSERT INTO outbox (id, case_id, kind, queue, payload, status, attempts, last_error, created_at, updated_at, clock_done_at)
      VALUES (?, ?, 'mail', 'mail', '{}', 'dead', 5, '550 5.1.1 mailbox unavailable', ?, ?, ?)`);
    const escalated = c.prepare(`INSERT INTO case_events (case_id, at, actor_type, actor, type) VALUES (?, ?, 'system', 'scheduler', ?)`);
    c.transaction(() => {
      for (let i = 0; i < N; i++) {
        const id = `ADU-2026-${String(i + 1).padStart(6, '0')}.forward-1`;
        dead.run(id, i + 1, deadAt, deadAt, deadAt);
        escalated.run(i + 1, deadAt, `sla_escalated:outbox:${id}`);
      }
    })();
    console.log(`sweeps: ${N} forwarded cases (${N / 2} in one report chain, ${N / 2} unrelated), ${N / 4} copies of one text in triage and ${N} dead outbox rows escalated long ago stored in ${Math.round(performance.now() - t0)} ms`);
    const now = new Date('2026-03-16T02:00:00.000Z');
    // each of a sweep's transactions timed: the longest is intake's longest wait
    const held: number[] = [];
    const original = db.transaction.bind(db);
    db.transaction = ((fn: Parameters<typeof db.transaction>[0], cfg?: Parameters<typeof db.transaction>[1]) => {
      const started = performance.now();
      try {
        return original(fn, cfg);
      } finally {
        held.push(performance.now() - started);
      }
    }) as typeof db.transaction;
    for (let i = 1; i <= 4; i++) {
      held.length = 0;
      const started = performance.now();
      const r = runSweeps({ config, db, outboundChannels: new Set() }, new Date(now.getTime() + i * 60_000));
      console.log(`sweep ${i}: ${Math.round(performance.now() - started)} ms in ${held.length} transaction(s), the longest ${Math.round(Math.max(...held))} ms [${held.map(Math.round).join(", ")}] (write lock held)  escalations ${r.escalations}, reminders ${r.reminders}, outbox rows read ${r.deliveryRowsRead}`);
    }
  } finally {
    closeDb(db);
    rmSync(dir, { recursive: true, force: true });
  }
}
