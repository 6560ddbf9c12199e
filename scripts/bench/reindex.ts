// `npm run bench -- reindex`: what an update of the problem reader (core/understanding/problem.ts) or a
// change of dedupe.placeNames costs at the intake worker's next start: every stored case is indexed
// again (checkProblemIndex, then rebuildBucketsStep in batches between jobs). Prints cases/s, the whole
// time and the longest batch (the longest a message waits for the worker meanwhile).
// The history: $BENCH_KEEP_DIR/history-<n>.db when the understanding bench kept one, else seeded;
// n = BENCH_REINDEX_CASES (default 1,000,000). Runs on a copy; the kept file is not changed.
import { copyFileSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { closeDb, openDb } from '../../core/db/client.ts';
import { databaseSchema } from '../../core/config/schema.ts';
import { checkProblemIndex, rebuildBucketsStep } from '../../core/understanding/dedupe.ts';
import { gazetteerOf } from '../../core/understanding/problem.ts';
import { seedInChild } from './understanding.ts';

export async function run(): Promise<void> {
  const cases = Number(process.env['BENCH_REINDEX_CASES'] ?? 1_000_000);
  const dir = mkdtempSync(path.join(tmpdir(), 'aduan-reindex-'));
  const copy = path.join(dir, 'history.db');
  try {
    const kept = process.env['BENCH_KEEP_DIR'] ? path.join(process.env['BENCH_KEEP_DIR'], `history-${cases}.db`) : undefined;
    if (kept && existsSync(kept)) {
      copyFileSync(kept, copy);
      console.log(`history: a copy of ${kept}`);
    } else {
      const t0 = performance.now();
      await seedInChild(copy, cases);
      console.log(`history: ${cases.toLocaleString('en')} cases seeded in ${((performance.now() - t0) / 1000).toFixed(1)} s (child process)`);
    }
    const db = openDb(copy, { cacheMb: databaseSchema.parse({}).intakeCacheMb });
    try {
      // as after an update: the stored reader is another one than this release's
      db.$client.prepare("DELETE FROM counters WHERE name = 'problem_places_reader'").run();
      const gazetteer = gazetteerOf([]);
      const t0 = performance.now();
      if (!checkProblemIndex(db, gazetteer)) throw new Error('no re-index was asked for: is the history empty?');
      let done = 0, longest = 0, batches = 0;
      for (;;) {
        const s = performance.now();
        const r = rebuildBucketsStep(db, undefined, gazetteer);
        longest = Math.max(longest, performance.now() - s);
        done += r.indexed;
        batches++;
        if (r.indexed > 0 && done % 200_000 < r.indexed) console.log(`  ${done.toLocaleString('en')} cases, ${((performance.now() - t0) / 1000).toFixed(1)} s`);
        if (r.finished) break;
      }
      const secs = (performance.now() - t0) / 1000;
      const places = db.$client.prepare('SELECT count(*) FROM problem_places').pluck().get() as number;
      console.log(`re-index after a reader change: ${done.toLocaleString('en')} cases in ${secs.toFixed(1)} s (${Math.round(done / secs).toLocaleString('en')} cases/s), ${batches} batches, longest batch ${Math.round(longest)} ms; problem_places rows ${places.toLocaleString('en')}`);
    } finally {
      closeDb(db);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
