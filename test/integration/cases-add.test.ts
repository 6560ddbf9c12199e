/**
 * `aduan cases add` at the service desk: the walk-in citizen waits at the counter for their case number.
 * Before, the officer was told only "accepted <id>; the case number appears in: aduan cases list" and had
 * to look for it; a mistyped --attach path printed an ENOENT stack trace.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { closeDb, openDb } from '../../core/db/client.ts';
import { cases } from '../../core/db/schema.ts';
import { startRedis, type TestRedis } from '../helpers/redis.ts';

const BIN = path.resolve(import.meta.dirname, '..', '..', 'scripts', 'aduan.mjs');
let redis: TestRedis;
let dir: string;
let configFile: string;
let intake: ChildProcess | undefined;

const run = (...args: string[]) => {
  const r = spawnSync(process.execPath, [BIN, ...args, '--config', configFile], { cwd: dir, encoding: 'utf8', env: { ...process.env, ADUAN_CONFIG: '' } });
  return { status: r.status, stdout: r.stdout.trim(), stderr: r.stderr.trim() };
};

beforeAll(async () => {
  redis = await startRedis();
  dir = mkdtempSync(path.join(tmpdir(), 'aduan-cases-add-'));
  configFile = path.join(dir, 'aduan.yaml');
  writeFileSync(configFile, [
    'redis:', `  url: ${redis.url}`, '  prefix: add',
    'database:', '  path: ./aduan.db', 'storage:', '  dir: ./storage',
    'mail:', '  transport: file', '  from: Aduan <aduan@dprd.test>', '  file:', '    dir: ./mail',
    'divisions:', '  - id: humas', '    name: Humas', '    inbox: humas@dprd.test', '    default: true',
  ].join('\n'));
  expect(run('migrate').status).toBe(0);
}, 60_000);
afterAll(async () => {
  if (intake && intake.exitCode === null) {
    const exited = new Promise((r) => intake!.once('exit', r));
    intake.kill('SIGTERM');
    await exited;
  }
  await redis?.dispose();
  rmSync(dir, { recursive: true, force: true });
});

describe('aduan cases add', () => {
  it('a mistyped --attach path is named, and nothing is queued', () => {
    const r = run('cases', 'add', '--text', 'Surat warga: lampu jalan di Jl. Kenari mati', '--attach', 'scan-surat.pdf', '--wait', '0');
    expect(r.status).toBe(1);
    expect(r.stderr).toBe(`aduan: Invalid field --attach: "scan-surat.pdf" is no file that can be read (from ${dir}); nothing was recorded [INPUT.INVALID]`);
    expect(r.stderr).not.toContain('ENOENT');
  }, 60_000);

  it('without an intake worker it says the report is queued and where the number will be', () => {
    const r = run('cases', 'add', '--text', 'Surat warga: saluran di Kampung Sidikan mampet sejak seminggu', '--name', 'Pak Harjo', '--wait', '0');
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/^accepted [0-9a-f]+, not recorded yet \(is the intake worker running\? aduan status\); the case number appears in: aduan cases list$/);
  }, 60_000);

  it('prints the case number once the intake worker has recorded the report', () => {
    intake = spawn(process.execPath, [BIN, 'worker', 'intake', '--config', configFile], { cwd: dir, stdio: 'ignore', env: { ...process.env, ADUAN_CONFIG: '', ADUAN_LOG_LEVEL: 'warn' } });
    // (the one queued above, without a worker, is recorded first: ADU-…-000001)
    const r = run('cases', 'add', '--text', 'Surat warga: jalan di Jl. Kenari gang 3 berlubang besar sejak dua bulan', '--name', 'Bu Rini', '--wait', '120');
    expect(r.status).toBe(0);
    const db = openDb(path.join(dir, 'aduan.db'));
    const numbers = db.select({ number: cases.number }).from(cases).all().map((c) => c.number);
    closeDb(db);
    expect(numbers).toHaveLength(2);
    expect(r.stdout.startsWith(`recorded as ${numbers.at(-1)!}; `)).toBe(true);
    expect(r.stdout).toMatch(/^recorded as [A-Z]+-\d{4}-000002; status (received|forwarded) — give this number to the citizen$/);
  }, 180_000);
});
