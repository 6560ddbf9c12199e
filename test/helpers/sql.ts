import { readFileSync } from 'node:fs';
import type { Db } from '../../core/db/client.ts';

/** The SQL of every statement `fn` prepares on `db`. */
export function prepared(db: Db, fn: () => void): string[] {
  const client = db.$client;
  const seen = new Set<string>();
  const original = client.prepare;
  client.prepare = ((source: string) => {
    seen.add(source);
    return original.call(client, source);
  }) as typeof client.prepare;
  try {
    fn();
  } finally {
    client.prepare = original;
  }
  return [...seen];
}

/** Every statement run on `db` from now on, by its SQL, once per run (get/all/run/iterate), until `restore()`. */
export function recordRuns(db: Db): { runs: string[]; restore: () => void } {
  const runs: string[] = [];
  const client = db.$client;
  const original = client.prepare;
  client.prepare = ((source: string) => {
    const st = original.call(client, source);
    for (const m of ['get', 'all', 'run', 'iterate'] as const) {
      const f = st[m] as (...a: unknown[]) => unknown;
      (st as unknown as Record<string, unknown>)[m] = (...a: unknown[]) => { runs.push(source); return f.apply(st, a); };
    }
    return st;
  }) as typeof client.prepare;
  return { runs, restore: () => { client.prepare = original; } };
}

/** SQLite's plan of a statement (its parameters bound to null): one line per step, "SEARCH cases USING INDEX …". */
export const planOf = (db: Db, source: string): string[] =>
  (db.$client.prepare(`EXPLAIN QUERY PLAN ${source}`).all(...Array.from(source.match(/\?/g) ?? [], () => null)) as { detail: string }[]).map((p) => p.detail);

/**
 * The database as a process saw it before migration `tag` (e.g. '0009_') was recorded: `undo` takes back
 * what migrations from `tag` on did that cannot be applied over itself (a column added: ADD COLUMN fails
 * the second time), then their records are removed so runMigrations applies them again. Migration 0012's
 * column (contacts.claimed) is always taken back here: every caller's `tag` is older.
 */
export function forgetMigrationsFrom(db: Db, tag: string, undo = ''): void {
  const journal = JSON.parse(readFileSync(new URL('../../core/db/migrations/meta/_journal.json', import.meta.url), 'utf8')) as { entries: { tag: string; when: number }[] };
  const since = journal.entries.find((e) => e.tag.startsWith(tag))!.when;
  db.$client.exec(`${undo}${undo === '' || undo.trimEnd().endsWith(';') ? '' : ';'}
    DROP INDEX contacts_claimed_uq; DROP INDEX contacts_phone_idx; DROP INDEX contacts_email_idx; DROP INDEX contacts_phone_uq; DROP INDEX contacts_email_uq;
    ALTER TABLE contacts DROP COLUMN claimed; CREATE UNIQUE INDEX contacts_phone_uq ON contacts (phone); CREATE UNIQUE INDEX contacts_email_uq ON contacts (email);
    DELETE FROM __drizzle_migrations WHERE created_at >= ${since}`);
}
