// `npm run bench -- backup`: `aduan backup` / the scheduler's daily backup of a large history while
// another connection goes on writing cases (as the intake worker does): how long the copy takes, whether
// the writer is held up, and how long the backing-up process's event loop stalls (the scheduler's
// process must keep answering Redis). BENCH_BACKUP_CASES (default 200,000; 1000000 for a history of years).
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { backupDatabase } from '../../core/backup.ts';
import { closeDb, openDb } from '../../core/db/client.ts';

const N = Number(process.env['BENCH_BACKUP_CASES'] ?? 200_000);
const TEXT = 'Lampu penerangan jalan di depan SD Negeri Jetis mati sejak dua minggu, malam hari gelap dan rawan kecelakaan. Mohon segera diperbaiki, terima kasih.';

export async function run(): Promise<void> {
  const dir = mkdtempSync(path.join(tmpdir(), 'aduan-bench-backup-'));
  const file = path.join(dir, 'aduan.db');
  const db = openDb(file);
  try {
    const c = db.$client;
    const at = '2026-03-02T02:00:00.000Z';
    c.prepare(`INSERT INTO contacts (phone, created_at) VALUES ('+6281200000000', ?)`).run(at);
    const kase = c.prepare(`INSERT INTO cases (number, token, status, kind, division_id, contact_id, channel, connector_id, summary, created_at, updated_at)
      VALUES (?, 'tok', 'closed', 'complaint', 'komisi-c', 1, 'sms', 'sms', ?, ?, ?)`);
    const message = c.prepare(`INSERT INTO messages (ingest_id, connector_id, external_id, channel, contact_id, case_id, relation, received_at, recorded_at, text, text_hash)
      VALUES (?, 'sms', ?, 'sms', 1, ?, 'new', ?, ?, ?, ?)`);
    const event = c.prepare(`INSERT INTO case_events (case_id, at, actor_type, actor, type, to_status) VALUES (?, ?, 'system', 'bench', 'received', 'forwarded')`);
    let n = 0;
    const add = (count: number): void => c.transaction(() => {
      for (let k = 0; k < count; k++, n++) {
        const text = `${TEXT} (${n})`;
        const id = kase.run(`ADU-2026-${String(n + 1).padStart(7, '0')}`, text, at, at).lastInsertRowid;
        message.run(`m${n}`, `m${n}`, id, at, at, text, `h${n}`);
        event.run(id, at);
      }
    })();
    const t0 = performance.now();
    for (let done = 0; done < N; done += 10_000) add(Math.min(10_000, N - done));
    c.pragma('wal_checkpoint(TRUNCATE)');
    const mb = (b: number): string => `${(b / 1048576).toFixed(0)} MB`;
    console.log(`backup: ${N} cases (with a message and an event each) stored in ${Math.round(performance.now() - t0)} ms; database ${mb(statSync(file).size)}`);

    // the intake worker meanwhile: one case every 5 ms, each write timed
    const writes: number[] = [];
    const writer = setInterval(() => {
      const s = performance.now();
      add(1);
      writes.push(performance.now() - s);
    }, 5);
    let lag = 0, last = performance.now();
    const ticker = setInterval(() => { const now = performance.now(); lag = Math.max(lag, now - last - 20); last = now; }, 20);
    const before = n;
    const r = await backupDatabase({ database: file, storageDir: path.join(dir, 'storage'), toDir: path.join(dir, 'backup'), keep: 1 });
    clearInterval(writer);
    clearInterval(ticker);
    writes.sort((a, b) => a - b);
    console.log(`backup: copied and checked in ${r.ms} ms (${mb(statSync(file).size / (r.ms / 1000))}/s): ${mb(r.bytes)} file, ${r.cases} cases (${r.cases - before} of the ${n - before} written meanwhile are in it: a snapshot)`);
    console.log(`backup: meanwhile ${writes.length} writes by another connection, p99 ${writes[Math.floor(writes.length * 0.99)]?.toFixed(2) ?? '-'} ms, longest ${writes.at(-1)?.toFixed(2) ?? '-'} ms; longest event-loop stall of the backing-up process ${Math.round(lag)} ms; peak RSS ${Math.round(process.resourceUsage().maxRSS / 1024)} MB`);
  } finally {
    closeDb(db);
    rmSync(dir, { recursive: true, force: true });
  }
}
