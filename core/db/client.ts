import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { drizzle, type BetterSQLite3Database } from 'drizzle-orm/better-sqlite3';
import { migrate } from 'drizzle-orm/better-sqlite3/migrator';
import * as schema from './schema.ts';

export type Db = BetterSQLite3Database<typeof schema> & { $client: Database.Database };

const MIGRATIONS = path.join(path.dirname(fileURLToPath(import.meta.url)), 'migrations');

/**
 * Open the complaint database. WAL + busy timeout because several processes (workers, the web
 * channel's status reads) share the file; migrations are applied on open so every process sees the
 * same schema.
 */
export function openDb(file: string, options: { migrate?: boolean; cacheMb?: number } = {}): Db {
  if (file !== ':memory:') mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
  const sqlite = new Database(file);
  sqlite.pragma('journal_mode = WAL');
  sqlite.pragma('busy_timeout = 10000');
  sqlite.pragma('synchronous = NORMAL');
  sqlite.pragma('foreign_keys = ON');
  // page cache per connection, allocated only as pages are read (SQLite's default is 2 MB). The
  // intake worker asks for more (database.intakeCacheMb): its repeat lookups read the bucket index.
  // SQLite empties a connection's cache when another process has written the file since its last
  // read, so the cache pays off most while the intake worker is the only writer.
  sqlite.pragma(`cache_size = -${Math.round((options.cacheMb ?? 64) * 1024)}`);
  const db = drizzle(sqlite, { schema }) as Db;
  if (options.migrate !== false) runMigrations(db);
  return db;
}

/**
 * The better-sqlite3 connection under a drizzle database or transaction, for prepared statements on
 * hot paths (drizzle builds each query's SQL anew, a cost that adds up over thousands of rows).
 */
export function rawClient(tx: unknown): Db['$client'] {
  const t = tx as { $client?: Db['$client']; session?: { client?: Db['$client'] } };
  const client = t.$client ?? t.session?.client;
  if (!client) throw new Error('not a better-sqlite3 drizzle database');
  return client;
}

export function runMigrations(db: Db): void {
  try {
    migrate(db, { migrationsFolder: MIGRATIONS });
  } catch {
    // PM2 starts every process at once and each migrates: drizzle reads which migrations are applied
    // before it takes the write lock, so a process that waited while another applied one tries it again
    // ("already exists", or the lock held past busy_timeout). Once more: it now sees it applied.
    migrate(db, { migrationsFolder: MIGRATIONS });
  }
}

/** SQLite errors that pass: another process holds the write lock (beyond busy_timeout), the disk is full, a passing I/O error. */
export function isTransientDbError(err: unknown): boolean {
  const code = (err as { code?: unknown } | null)?.code;
  return typeof code === 'string' && /^SQLITE_(BUSY|LOCKED|FULL|IOERR)/.test(code);
}

/**
 * Run a write that must not be lost once something irreversible happened (a mail or an SMS went out):
 * while the database is locked or full, try again — waiting between tries without blocking the event
 * loop — for up to `budgetMs`; other errors, and the last one, are thrown.
 */
export async function retryTransientWrite<T>(write: () => T, opts: { budgetMs: number; onRetry?: (err: unknown, attempt: number) => void }): Promise<T> {
  const deadline = Date.now() + opts.budgetMs;
  for (let attempt = 1; ; attempt++) {
    try {
      return write();
    } catch (err) {
      if (!isTransientDbError(err) || Date.now() >= deadline) throw err;
      opts.onRetry?.(err, attempt);
      await new Promise((r) => setTimeout(r, Math.min(250 * 2 ** (attempt - 1), 10_000, Math.max(0, deadline - Date.now()))));
    }
  }
}

export function closeDb(db: Db): void {
  try {
    db.$client.close();
  } catch {
    // already closed: closing twice must not throw
  }
}
