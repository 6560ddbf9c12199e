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

/** SQLite's plan of a statement (its parameters bound to null): one line per step, "SEARCH cases USING INDEX …". */
export const planOf = (db: Db, source: string): string[] =>
  (db.$client.prepare(`EXPLAIN QUERY PLAN ${source}`).all(...Array.from(source.match(/\?/g) ?? [], () => null)) as { detail: string }[]).map((p) => p.detail);
