// A consistent copy of the complaint database and the attachments, taken while the gateway runs:
// `aduan backup` and the scheduler's daily run (backup.dir). One snapshot (VACUUM INTO) in a thread of
// its own, so writers go on; the copy is checked before it counts; one run at a time per folder.
import { promises as fsp, chmodSync, closeSync, existsSync, mkdirSync, openSync, readFileSync, readdirSync, realpathSync, renameSync, statSync, unlinkSync, writeSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { Worker } from 'node:worker_threads';
import { AduanError } from './errors.ts';

/** Backup files: `aduan-<UTC date>-<UTC time>Z.db`, sortable by name. */
const BACKUP_NAME = /^aduan-\d{8}-\d{6}Z\.db$/;
/**
 * The copy, in a thread of its own: `VACUUM INTO` reads one snapshot of the database (in WAL mode
 * writers go on meanwhile) and writes it compacted. SQLite's stepwise backup API starts again whenever
 * another process writes between steps, which on a busy gateway could be for ever; done in one step on
 * the main thread it would stop the scheduler's process answering Redis for as long as a large copy takes.
 */
const SNAPSHOT_THREAD = `
const { parentPort, workerData } = require('node:worker_threads');
const fs = require('node:fs');
const Database = require(workerData.driver);
try {
  const db = new Database(workerData.source, { fileMustExist: true });
  try {
    db.pragma('busy_timeout = 10000');
    db.prepare('VACUUM INTO ?').run(workerData.target);
  } finally {
    db.close();
  }
  // the copy is read back before it counts: a backup nobody can open is found now, not on the day it is needed
  const copy = new Database(workerData.target, { fileMustExist: true });
  let counts;
  try {
    // one self-contained file (the live database is in WAL mode, and the copy with it)
    copy.pragma('journal_mode = DELETE');
    const check = copy.pragma('quick_check', { simple: true });
    if (check !== 'ok') throw new Error('the copy fails SQLite\\'s check: ' + String(check));
    const count = (table) => copy.prepare('SELECT count(*) AS n FROM ' + table).get().n;
    counts = { cases: count('cases'), messages: count('messages') };
  } finally {
    copy.close();
  }
  // on disk before it is named a backup (VACUUM INTO does not sync its output)
  const fd = fs.openSync(workerData.target, 'r');
  try { fs.fsyncSync(fd); } finally { fs.closeSync(fd); }
  parentPort.postMessage({ counts });
} catch (err) {
  // (an error crossing threads keeps only plain fields: SQLite's code and message go as text)
  parentPort.postMessage({ error: (err && err.code ? err.code + ': ' : '') + (err && err.message ? err.message : String(err)) });
}
`;

function snapshot(source: string, target: string): Promise<{ cases: number; messages: number }> {
  return new Promise((resolve, reject) => {
    const thread = new Worker(SNAPSHOT_THREAD, { eval: true, workerData: { driver: createRequire(import.meta.url).resolve('better-sqlite3'), source, target } });
    let answer: { counts?: { cases: number; messages: number }; error?: string } | undefined;
    thread.once('message', (m: typeof answer) => { answer = m; });
    thread.once('error', reject);
    thread.once('exit', (code) => {
      if (answer?.counts) resolve(answer.counts);
      else reject(new Error(answer?.error ?? `the copying thread stopped (exit code ${code})`));
    });
  });
}

export interface BackupOptions {
  /** The live database file. */
  database: string;
  /** The attachments folder (content-addressed: files are written once, never changed). */
  storageDir: string;
  /** Where the backups go (another disk is best). */
  toDir: string;
  /** Database backups kept, newest first; older ones are removed (the attachments copy is never pruned). */
  keep: number;
  now?: Date;
}

export interface BackupResult {
  file: string;
  bytes: number;
  cases: number;
  messages: number;
  /**
   * Attachments copied this time / already in the backup folder; `staleRemoved`: half-copied files
   * (`<attachment>.tmp`) an earlier run cut short left in the storage mirror, removed by this one.
   */
  storage: { copied: number; present: number; bytes: number; staleRemoved: number };
  removed: string[];
  ms: number;
}

export function backupFileName(now: Date): string {
  const iso = now.toISOString(); // 2026-11-29T02:00:00.000Z
  return `aduan-${iso.slice(0, 10).replaceAll('-', '')}-${iso.slice(11, 19).replaceAll(':', '')}Z.db`;
}

/** The backups in a folder, oldest first. */
export function listBackups(dir: string): { file: string; at: Date }[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir).filter((n) => BACKUP_NAME.test(n)).sort().map((n) => ({
    file: path.join(dir, n),
    at: new Date(`${n.slice(6, 10)}-${n.slice(10, 12)}-${n.slice(12, 14)}T${n.slice(15, 17)}:${n.slice(17, 19)}:${n.slice(19, 21)}Z`),
  }));
}

function fail(dir: string, detail: string, cause?: unknown): AduanError {
  return new AduanError('BACKUP.FAILED', { dir, detail }, { cause });
}

/** The real path of a folder, or of its nearest existing parent joined with the rest (a folder not made yet). */
function realish(p: string): string {
  const parts: string[] = [];
  let at = p;
  while (!existsSync(at) && path.dirname(at) !== at) {
    parts.unshift(path.basename(at));
    at = path.dirname(at);
  }
  return path.join(realpathSync(at), ...parts);
}

const inside = (child: string, parent: string): boolean => child === parent || child.startsWith(parent + path.sep);

/** One run at a time per backup folder: a lock file holding the pid (one left by a killed run is stale). */
function takeLock(toDir: string): () => void {
  const lock = path.join(toDir, '.aduan-backup.lock');
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const fd = openSync(lock, 'wx', 0o640);
      writeSync(fd, String(process.pid));
      closeSync(fd);
      return () => { try { unlinkSync(lock); } catch { /* already gone */ } };
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw fail(toDir, `cannot write in it: ${(err as Error).message}`, err);
      const pid = Number(readFileSync(lock, 'utf8').trim());
      if (Number.isInteger(pid) && pid > 0 && alive(pid)) throw fail(toDir, `another backup into it is running (pid ${pid}); try again when it is done`);
      unlinkSync(lock);
    }
  }
  throw fail(toDir, 'another backup into it keeps starting at the same moment');
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

export async function backupDatabase(opts: BackupOptions): Promise<BackupResult> {
  const started = Date.now();
  const toDir = path.resolve(opts.toDir);
  const database = path.resolve(opts.database);
  if (!existsSync(database)) throw fail(toDir, `the database ${database} does not exist (database.path)`);
  // the backup must not share a folder with what it copies: the database's folder, the attachments folder
  // (or one inside it), nor a folder whose storage/ is the attachments folder (nothing would be copied)
  const real = realish(toDir);
  const storageDir = path.resolve(opts.storageDir);
  const realStorage = realish(storageDir);
  if (real === realish(path.dirname(database)) || inside(real, realStorage) || inside(realStorage, path.join(real, 'storage'))) {
    throw fail(toDir, 'that is the database\'s or the attachments\' own folder: choose a folder of its own, best on another disk');
  }
  try {
    mkdirSync(toDir, { recursive: true, mode: 0o750 });
  } catch (err) {
    throw fail(toDir, `cannot create it: ${(err as Error).message}`, err);
  }
  const release = takeLock(toDir);
  try {
    const now = opts.now ?? new Date();
    const file = path.join(toDir, backupFileName(now));
    if (existsSync(file)) throw fail(toDir, `${path.basename(file)} exists already (two backups in one second)`);
    const tmp = `${file}.tmp`;
    // a run cut short (killed, disk full) leaves its temporary files: never a backup; with the lock held no
    // other run is writing one, so they go
    for (const n of readdirSync(toDir)) if (/^aduan-\d{8}-\d{6}Z\.db\.tmp(-journal)?$/.test(n)) unlinkSync(path.join(toDir, n));

    let counts: { cases: number; messages: number };
    try {
      // citizens' personal data: readable by the gateway's user and group only, as the attachments are —
      // from the first byte (VACUUM INTO writes into an existing empty file as it finds it)
      closeSync(openSync(tmp, 'wx', 0o640));
      counts = await snapshot(database, tmp);
      chmodSync(tmp, 0o640);
      renameSync(tmp, file);
    } catch (err) {
      for (const f of [tmp, `${tmp}-journal`]) if (existsSync(f)) unlinkSync(f);
      throw err instanceof AduanError ? err : fail(toDir, `copying ${database}: ${(err as Error).message}`, err);
    }

    const storage = await mirrorStorage(storageDir, path.join(toDir, 'storage'), toDir);

    const backups = listBackups(toDir);
    const removed: string[] = [];
    for (const b of backups.slice(0, Math.max(0, backups.length - Math.max(1, opts.keep)))) {
      if (b.file === file) continue;
      unlinkSync(b.file);
      removed.push(b.file);
    }
    return { file, bytes: statSync(file).size, ...counts, storage, removed, ms: Date.now() - started };
  } finally {
    release();
  }
}

/**
 * Copy the attachments the backup folder does not have yet. They are content-addressed (named by their
 * sha256, written once), so a file already there with the same size is the same file: a daily run
 * copies only the day's new ones. Nothing is removed: an old database backup still refers to them.
 * (Asynchronous: a first copy of gigabytes must not stop the scheduler's process from answering Redis.)
 */
async function mirrorStorage(from: string, to: string, toDir: string): Promise<BackupResult['storage']> {
  const out = { copied: 0, present: 0, bytes: 0, staleRemoved: 0 };
  out.staleRemoved = await removeStaleParts(to, toDir);
  // (also with no attachment yet: the restore the README gives copies <backup.dir>/storage/ back, and
  // rsync or cp of a folder that is not there fails in the middle of a restore)
  try {
    await fsp.mkdir(to, { recursive: true, mode: 0o750 });
  } catch (err) {
    throw fail(toDir, `creating the attachments' folder ${to}: ${(err as Error).message}`, err);
  }
  if (!existsSync(from)) return out;
  const walk = async (dir: string, rel: string): Promise<void> => {
    for (const entry of await fsp.readdir(dir, { withFileTypes: true })) {
      const src = path.join(dir, entry.name);
      const relName = path.join(rel, entry.name);
      if (entry.isDirectory()) {
        await walk(src, relName);
        continue;
      }
      // (a temporary file of a write in progress is no attachment yet)
      if (!entry.isFile() || entry.name.endsWith('.tmp')) continue;
      const dst = path.join(to, relName);
      const size = (await fsp.stat(src)).size;
      if ((await fsp.stat(dst).catch(() => undefined))?.size === size) {
        out.present++;
        continue;
      }
      try {
        await fsp.mkdir(path.dirname(dst), { recursive: true, mode: 0o750 });
        const part = partOf(dst);
        await fsp.copyFile(src, part);
        await fsp.chmod(part, 0o640);
        const fh = await fsp.open(part, 'r');
        try {
          await fh.sync();
        } finally {
          await fh.close();
        }
        await fsp.rename(part, dst);
      } catch (err) {
        throw fail(toDir, `copying the attachment ${relName}: ${(err as Error).message}`, err);
      }
      out.copied++;
      out.bytes += size;
    }
  };
  await walk(from, '');
  return out;
}

/** The file an attachment is copied into before it is renamed to its name in the mirror. */
const partOf = (dst: string): string => `${dst}${PART}`;
const PART = '.tmp';

/**
 * A copy cut short (the process killed, the disk full) leaves its part file (`<attachment>.tmp`, partOf)
 * in the mirror: never an attachment (the mirror copies no `.tmp` file of the storage), and with the
 * backup lock held no other run is writing one. Removed: regular files named `<name>.tmp`, in `mirror`
 * and its folders only (not followed out of it by a symbolic link). Returns how many.
 */
async function removeStaleParts(mirror: string, toDir: string): Promise<number> {
  let removed = 0;
  const walk = async (dir: string): Promise<void> => {
    const entries = await fsp.readdir(dir, { withFileTypes: true }).catch((err: NodeJS.ErrnoException) => {
      if (err.code === 'ENOENT') return [];
      throw fail(toDir, `reading the attachments copy ${dir}: ${err.message}`, err);
    });
    for (const entry of entries) {
      const at = path.join(dir, entry.name);
      if (entry.isDirectory()) await walk(at);
      else if (entry.isFile() && entry.name.endsWith(PART) && entry.name.length > PART.length && !entry.name.slice(0, -PART.length).endsWith(PART)) {
        await fsp.unlink(at).catch((err: NodeJS.ErrnoException) => {
          if (err.code !== 'ENOENT') throw fail(toDir, `removing the half-copied ${at}: ${err.message}`, err);
        });
        removed++;
      }
    }
  };
  await walk(mirror);
  return removed;
}
