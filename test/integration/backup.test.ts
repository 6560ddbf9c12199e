/**
 * Backups (`aduan backup`, the scheduler's daily run with backup.dir): a consistent copy of the
 * complaint database taken while the gateway writes, checked before it counts, the attachments copied
 * once, old backups pruned; failures say what to fix.
 */
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { Queue } from 'bullmq';
import { pino } from 'pino';
import { afterAll, describe, expect, it } from 'vitest';
import { backupDatabase, listBackups } from '../../core/backup.ts';
import { closeDb, openDb } from '../../core/db/client.ts';
import { createLogger } from '../../core/logger.ts';
import { QUEUES, queueSettings } from '../../core/queue.ts';
import { insertCase } from '../../core/repo/cases.repo.ts';
import { Storage } from '../../core/storage.ts';
import { startSchedulerWorker } from '../../workers/scheduler.worker.ts';
import { backupLine } from '../../scripts/doctor-notes.ts';
import { testConfig } from '../helpers/config.ts';
import { waitFor } from '../helpers/ports.ts';
import { startRedis } from '../helpers/redis.ts';

const ROOT = path.resolve(import.meta.dirname, '..', '..');
const dirs: string[] = [];
afterAll(() => { for (const d of dirs) rmSync(d, { recursive: true, force: true }); });

function seeded(n: number) {
  const config = testConfig();
  dirs.push(config.dataDir);
  const db = openDb(config.database.path);
  let i = 0;
  const add = (count: number) => db.transaction((tx) => {
    for (let k = 0; k < count; k++, i++) {
      insertCase(tx, { number: `ADU-2026-${String(i + 1).padStart(6, '0')}`, status: 'forwarded', kind: 'complaint', divisionId: 'humas', contactId: null,
        channel: 'web', connectorId: 'web', subject: null, summary: `Lampu jalan mati di gang ${i}. ${'x'.repeat(1500)}`, relatedToCaseId: null, now: new Date().toISOString() });
    }
  });
  add(n);
  return { config, db, add, count: () => i };
}

/** `aduan <args>` on this test's database and attachments (a config file of its own; Redis not needed). */
function cli(config: { dataDir: string; database: { path: string }; storage: { dir: string } }) {
  const yaml = path.join(config.dataDir, 'aduan.yaml');
  writeFileSync(yaml, ['redis:', '  url: redis://127.0.0.1:9', 'database:', `  path: ${config.database.path}`, 'storage:', `  dir: ${config.storage.dir}`,
    'divisions:', '  - id: humas', '    name: Humas', '    inbox: humas@dprd.test', '    default: true'].join('\n'));
  return (...args: string[]) => spawnSync(process.execPath, [path.join(ROOT, 'scripts', 'aduan.mjs'), ...args, '--config', yaml], { cwd: config.dataDir, encoding: 'utf8', env: { ...process.env, ADUAN_CONFIG: '' } });
}

const casesIn = (file: string): { n: number; mode: string } => {
  const copy = new Database(file, { readonly: true, fileMustExist: true });
  try {
    return { n: (copy.prepare('SELECT count(*) AS n FROM cases').get() as { n: number }).n, mode: String(copy.pragma('journal_mode', { simple: true })) };
  } finally {
    copy.close();
  }
};

describe('backups of the complaint database and the attachments', () => {
  it('a backup taken while cases are being written is one consistent, checked file; attachments are copied once; old backups are pruned', async () => {
    const { config, db, add, count } = seeded(4000);
    const storage = new Storage(config.storage.dir);
    const scans = ['scan KTP', 'foto jalan', 'surat pengantar'].map((t) => storage.put(t));
    const toDir = path.join(config.dataDir, '..', `${path.basename(config.dataDir)}-backup`);
    dirs.push(toDir);
    // a run killed mid-copy left its temporary file: it is no backup and goes
    mkdirSync(toDir, { recursive: true });
    writeFileSync(path.join(toDir, 'aduan-20260101-000000Z.db.tmp'), 'half a copy');

    // the intake worker goes on writing (another connection) while the copy is taken
    let writes = 0;
    const writer = setInterval(() => { add(5); writes++; }, 2);
    const t0 = new Date(Date.UTC(2026, 10, 1, 19, 0, 0));
    let first;
    try {
      first = await backupDatabase({ database: config.database.path, storageDir: config.storage.dir, toDir, keep: 2, now: t0 });
    } finally {
      clearInterval(writer);
    }
    expect(writes).toBeGreaterThan(0);
    expect(path.basename(first.file)).toBe('aduan-20261101-190000Z.db');
    // the copy is a snapshot: what it says it holds is what it holds, at least the cases before it began
    const copied = casesIn(first.file);
    expect(copied.n).toBe(first.cases);
    expect(first.cases).toBeGreaterThanOrEqual(4000);
    expect(first.cases).toBeLessThanOrEqual(count());
    // one file on its own (no -wal beside it), readable by the gateway's user and group only
    expect(copied.mode).toBe('delete');
    expect(existsSync(`${first.file}-wal`)).toBe(false);
    expect(statSync(first.file).mode & 0o777).toBe(0o640);
    expect(readdirSync(toDir).some((n) => n.endsWith('.tmp'))).toBe(false);
    expect(first.storage).toMatchObject({ copied: 3, present: 0 });
    for (const sha of scans) expect(existsSync(path.join(toDir, 'storage', sha.slice(0, 2), sha.slice(2, 4), sha))).toBe(true);

    // the next days: only the new attachment is copied; two database backups are kept
    storage.put('foto banjir');
    const second = await backupDatabase({ database: config.database.path, storageDir: config.storage.dir, toDir, keep: 2, now: new Date(t0.getTime() + 86_400_000) });
    expect(second.storage).toMatchObject({ copied: 1, present: 3 });
    expect(second.cases).toBe(count());
    const third = await backupDatabase({ database: config.database.path, storageDir: config.storage.dir, toDir, keep: 2, now: new Date(t0.getTime() + 2 * 86_400_000) });
    expect(third.removed).toEqual([first.file]);
    expect(listBackups(toDir).map((b) => b.file)).toEqual([second.file, third.file]);
    expect(listBackups(toDir)[1]!.at.toISOString()).toBe('2026-11-03T19:00:00.000Z');
    // the attachments stay: an older backup of the database still names them
    expect(third.storage).toMatchObject({ copied: 0, present: 4 });
    closeDb(db);
  });

  it('a half-copied attachment an interrupted run left in the mirror is removed by the next run, and counted; nothing else is touched', async () => {
    const { config, db } = seeded(2);
    closeDb(db);
    const storage = new Storage(config.storage.dir);
    const kept = storage.put('foto jalan berlubang');
    const toDir = path.join(config.dataDir, 'backup-stale');
    const mirror = path.join(toDir, 'storage');
    // a run killed mid-copy: the part file of an attachment (here one the storage no longer has, so no copy writes it again)
    const gone = 'ab'.repeat(32);
    const part = path.join(mirror, 'ab', 'abab', `${gone}.tmp`);
    const partOfKept = path.join(mirror, kept.slice(0, 2), kept.slice(2, 4), `${kept}.tmp`);
    for (const f of [part, partOfKept]) {
      mkdirSync(path.dirname(f), { recursive: true });
      writeFileSync(f, 'setengah tersalin');
    }
    // not the mirror's part files: a folder named .tmp, a file of another name, a .tmp outside the mirror, a .tmp.tmp
    mkdirSync(path.join(mirror, 'ab', 'folder.tmp'), { recursive: true });
    const others = [path.join(mirror, 'ab', 'abab', gone), path.join(mirror, 'catatan.txt'), path.join(toDir, 'operator.tmp'), path.join(mirror, 'ab', 'x.tmp.tmp')];
    for (const f of others) writeFileSync(f, 'milik orang lain');
    const r = await backupDatabase({ database: config.database.path, storageDir: config.storage.dir, toDir, keep: 2 });
    expect(r.storage).toEqual({ copied: 1, present: 0, bytes: statSync(storage.pathOf(kept)).size, staleRemoved: 2 });
    expect(existsSync(part)).toBe(false);
    expect(existsSync(partOfKept)).toBe(false);
    expect(existsSync(path.join(mirror, kept.slice(0, 2), kept.slice(2, 4), kept))).toBe(true);
    for (const f of others) expect(existsSync(f)).toBe(true);
    expect(statSync(path.join(mirror, 'ab', 'folder.tmp')).isDirectory()).toBe(true);
    // and the next run finds none
    const again = await backupDatabase({ database: config.database.path, storageDir: config.storage.dir, toDir, keep: 2, now: new Date(Date.now() + 1000) });
    expect(again.storage).toEqual({ copied: 0, present: 1, bytes: 0, staleRemoved: 0 });
  });

  it('refuses the database\'s own folder or the attachments folder, and a destination it cannot create, saying so', async () => {
    const { config, db } = seeded(1);
    closeDb(db);
    const opts = { database: config.database.path, storageDir: config.storage.dir, keep: 7 };
    for (const toDir of [config.dataDir, config.storage.dir, path.join(config.storage.dir, 'backup')]) {
      await expect(backupDatabase({ ...opts, toDir })).rejects.toMatchObject({ code: 'BACKUP.FAILED', message: expect.stringContaining("choose a folder of its own") });
    }
    // a folder whose storage/ would be the attachments folder itself: nothing would ever be copied
    await expect(backupDatabase({ ...opts, storageDir: path.join(config.dataDir, 'srv', 'storage'), toDir: path.join(config.dataDir, 'srv') })).rejects.toMatchObject({ code: 'BACKUP.FAILED', message: expect.stringContaining('choose a folder of its own') });
    const blocked = path.join(config.dataDir, 'not-a-folder');
    writeFileSync(blocked, '');
    await expect(backupDatabase({ ...opts, toDir: path.join(blocked, 'backup') })).rejects.toMatchObject({ code: 'BACKUP.FAILED', message: expect.stringContaining('cannot create it') });
    await expect(backupDatabase({ ...opts, database: path.join(config.dataDir, 'typo.db'), toDir: path.join(config.dataDir, 'b') })).rejects.toMatchObject({ code: 'BACKUP.FAILED', message: expect.stringContaining('does not exist') });
  });

  it('a copy that fails says why (SQLite\'s reason), and leaves nothing behind', async () => {
    const { config, db } = seeded(1);
    closeDb(db);
    const broken = path.join(config.dataDir, 'broken.db');
    writeFileSync(broken, 'this is no SQLite database, but a file of the right name '.repeat(200));
    const toDir = path.join(config.dataDir, 'b');
    await expect(backupDatabase({ database: broken, storageDir: config.storage.dir, toDir, keep: 7 }))
      .rejects.toMatchObject({ code: 'BACKUP.FAILED', message: expect.stringMatching(/copying .*broken\.db: SQLITE_NOTADB: file is not a database/) });
    expect(readdirSync(toDir)).toEqual([]);
  });

  it('two backups into one folder at once: the second is refused while the first runs, the first is whole', async () => {
    const { config, db } = seeded(3000);
    closeDb(db);
    const toDir = path.join(config.dataDir, 'nightly');
    const opts = { database: config.database.path, storageDir: config.storage.dir, toDir, keep: 7 };
    const t = new Date(Date.UTC(2026, 10, 29, 19, 0, 0));
    const [a, b] = await Promise.allSettled([backupDatabase({ ...opts, now: t }), backupDatabase({ ...opts, now: new Date(t.getTime() + 1000) })]);
    expect(a.status).toBe('fulfilled');
    expect(b).toMatchObject({ status: 'rejected', reason: { code: 'BACKUP.FAILED', message: expect.stringContaining(`another backup into it is running (pid ${process.pid})`) } });
    expect(casesIn((a as PromiseFulfilledResult<{ file: string }>).value.file).n).toBe(3000);
    // and once it is done, the next one runs; a lock left by a run that was killed does not block it
    writeFileSync(path.join(toDir, '.aduan-backup.lock'), '999999999');
    await expect(backupDatabase({ ...opts, now: new Date(t.getTime() + 2000) })).resolves.toMatchObject({ cases: 3000 });
    expect(listBackups(toDir)).toHaveLength(2);
    expect(readdirSync(toDir).filter((n) => n.startsWith('.'))).toEqual([]);
  });

  it('aduan backup writes one and prints what it holds; a failure exits 1 with the reason', () => {
    const { config, db } = seeded(3);
    closeDb(db);
    const aduan = cli(config);
    const run = (...args: string[]) => aduan('backup', ...args);
    const ok = run('--keep', '3');
    expect(ok.stderr).toContain('backup: copying');
    expect(ok.status).toBe(0);
    // default: <database folder>/backup
    expect(ok.stdout).toMatch(new RegExp(`^backup ${path.join(config.dataDir, 'backup')}/aduan-\\d{8}-\\d{6}Z\\.db: [\\d.]+ MB, 3 case\\(s\\), 0 message\\(s\\), checked; attachments: 0 copied`));
    const bad = run('--to', config.storage.dir);
    expect(bad.status).toBe(1);
    expect(bad.stderr).toContain('[BACKUP.FAILED]');
    expect(run('--keep', '0').stderr).toContain('Invalid field --keep');
  });

  it('restoring a backup as the README says gives the cases back, and skip-to keeps the numbers given since from being given twice', () => {
    const { config, db } = seeded(5);
    closeDb(db);
    const aduan = cli(config);
    const made = aduan('backup', '--to', path.join(config.dataDir, 'b'));
    expect(made.status).toBe(0);
    const file = /^backup (\S+\.db):/.exec(made.stdout)![1]!;
    // the README's restore copies <backup dir>/storage/ back (rsync -a …/storage/): it is there with no attachment
    // yet too (before, only once a first attachment was copied, and the restore's rsync failed on it)
    expect(statSync(path.join(config.dataDir, 'b', 'storage')).isDirectory()).toBe(true);
    // after the backup three more cases were given numbers (ADU-2026-000006 … 000008), then the disk was lost
    const live = openDb(config.database.path);
    live.transaction((tx) => { for (let i = 6; i <= 8; i++) insertCase(tx, { number: `ADU-2026-${String(i).padStart(6, '0')}`, status: 'forwarded', kind: 'complaint', divisionId: 'humas', contactId: null, channel: 'web', connectorId: 'web', subject: null, summary: 'x', relatedToCaseId: null, now: new Date().toISOString() }); });
    closeDb(live);
    for (const f of [config.database.path, `${config.database.path}-wal`, `${config.database.path}-shm`]) rmSync(f, { force: true });
    copyFileSync(file, config.database.path);
    expect(aduan('cases', 'list').stdout).toContain('5 case(s)');
    // the last number the citizens got: the next one follows it
    expect(aduan('cases', 'skip-to', 'adu-2026-000008').stdout.trim()).toBe('the next case number of 2026 is ADU-2026-000009');
    expect(aduan('cases', 'skip-to', 'ADU-2026-000007').stdout.trim()).toBe('nothing to do: the next case number of 2026 is already ADU-2026-000009');
    // another gateway's number, a typo of seven digits (no reply address would match it, for ever), a year far off
    for (const typo of ['XYZ-2026-1', 'ADU-2026-1000123', 'ADU-2062-000123']) {
      const wrong = aduan('cases', 'skip-to', typo);
      expect(wrong.status).toBe(1);
      expect(wrong.stderr).toContain('a case number of this gateway, ADU-<year>-<up to six digits>');
    }
    expect(aduan('cases', 'skip-to', 'ADU-2026-000008').stdout).toContain('already ADU-2026-000009');
  });

  it('with backup.dir the scheduler registers a daily backup at backup.time in the instance timezone, and its run writes one', async () => {
    const redis = await startRedis({ durable: false });
    const config = testConfig({ redisUrl: redis.url, backup: { time: '02:30', keep: 3 } });
    dirs.push(config.dataDir);
    const withDir = { ...config, backup: { ...config.backup, dir: path.join(config.dataDir, 'nightly') } };
    const db = openDb(config.database.path);
    const quiet = createLogger({ process: 'scheduler' }, pino.destination('/dev/null'));
    const queue = new Queue(QUEUES.scheduler, queueSettings(config, 'worker'));
    const scheduler = startSchedulerWorker({ config: withDir, db, logger: quiet, outboundChannels: new Set(), everyMs: 60_000 });
    try {
      let registered: Awaited<ReturnType<typeof queue.getJobScheduler>>;
      await waitFor(async () => (registered = await queue.getJobScheduler('daily-backup')) !== undefined);
      expect(registered!).toMatchObject({ pattern: '30 2 * * *', tz: 'Asia/Jakarta', name: 'backup' });
      // its run (as the schedule fires it)
      await queue.add('backup', {}, { removeOnComplete: true });
      await waitFor(() => listBackups(withDir.backup.dir).length === 1);
    } finally {
      await scheduler.close();
    }
    // without backup.dir: no daily backup (a schedule left from before is removed)
    const again = startSchedulerWorker({ config, db, logger: quiet, outboundChannels: new Set(), everyMs: 60_000 });
    try {
      await waitFor(async () => (await queue.getJobScheduler('daily-backup')) === undefined);
      expect(await queue.getJobScheduler('sla-sweep')).toBeDefined();
    } finally {
      await again.close();
      await queue.close();
      closeDb(db);
      await redis.dispose();
    }
  });

  it('aduan doctor says when the newest backup was made, and warns without backup.dir or after two days without one', async () => {
    const { config, db } = seeded(2);
    closeDb(db);
    expect(backupLine(config)).toMatchObject({ ok: false, text: expect.stringContaining('no daily backup (backup.dir unset)') });
    const dir = path.join(config.dataDir, 'nightly');
    const withDir = { ...config, backup: { ...config.backup, dir } };
    expect(backupLine(withDir)).toMatchObject({ ok: false, text: expect.stringContaining('none yet — the scheduler makes the first at 02:00') });
    const at = new Date(Date.UTC(2026, 10, 20, 19, 0, 0));
    await backupDatabase({ database: config.database.path, storageDir: config.storage.dir, toDir: dir, keep: 7, now: at });
    expect(backupLine(withDir, new Date(at.getTime() + 5 * 3_600_000))).toEqual({ ok: true, text: `backup ${dir} (daily at 02:00 Asia/Jakarta, keeping 7): newest aduan-20261120-190000Z.db, 5 h ago` });
    // a folder it cannot read (another user's, a share not mounted) is said, not a crash of the doctor
    const unreadable = { ...config, backup: { ...config.backup, dir: config.database.path } };
    expect(backupLine(unreadable)).toMatchObject({ ok: false, text: expect.stringContaining('cannot read it (ENOTDIR') });
    const late = backupLine(withDir, new Date(at.getTime() + 3 * 86_400_000));
    expect(late.ok).toBe(false);
    expect(late.text).toContain('3 days ago — is the scheduler running');
  });
});
