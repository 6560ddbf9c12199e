import { spawn, spawnSync, execFileSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDb, closeDb, type Db } from '../../core/db/client.ts';
import { cases, digestItems, messages, outbox, quarantine } from '../../core/db/schema.ts';
import { IntakeProducer } from '../../core/queue.ts';
import { startRedis, type TestRedis } from '../helpers/redis.ts';
import { waitFor } from '../helpers/ports.ts';

const ROOT = path.resolve(import.meta.dirname, '..', '..');
const BIN = path.join(ROOT, 'scripts', 'aduan.mjs');
let redis: TestRedis;
let dir: string;
let configFile: string;
let db: Db;

beforeAll(async () => {
  redis = await startRedis();
  dir = mkdtempSync(path.join(tmpdir(), 'aduan-crash-'));
  configFile = path.join(dir, 'aduan.yaml');
  writeFileSync(configFile, [
    'redis:', `  url: ${redis.url}`, '  prefix: crash',
    'database:', `  path: ${dir}/aduan.db`,
    'storage:', `  dir: ${dir}/storage`,
    'mail:', '  transport: file', '  from: Aduan <aduan@dprd.test>', '  file:', `    dir: ${dir}/mail`,
    'divisions:', '  - id: humas', '    name: Humas', '    inbox: humas@dprd.test', '    default: true',
    'channels:', '  - id: web', '    type: web', '    listen:', '      port: 18080',
  ].join('\n'));
  execFileSync(process.execPath, [BIN, 'migrate', '--config', configFile]);
  db = openDb(path.join(dir, 'aduan.db'));
});
afterAll(async () => {
  closeDb(db);
  await redis?.dispose();
  rmSync(dir, { recursive: true, force: true });
});

function worker(name: string): ChildProcess {
  return spawn(process.execPath, [BIN, 'worker', name, '--config', configFile], {
    stdio: 'ignore', env: { ...process.env, ADUAN_WORKER_LOCK_MS: '1500', ADUAN_LOG_LEVEL: 'warn' },
  });
}
const count = (t: typeof cases | typeof messages): number => db.select().from(t).all().length;

describe('faults with real processes', () => {
  it('intake worker SIGKILLed mid-batch and restarted: every accepted message becomes exactly one case', async () => {
    const producer = new IntakeProducer({ redis: { url: redis.url, prefix: 'crash' } });
    const N = 200;
    for (let i = 0; i < N; i++) {
      await producer.enqueue({
        connectorId: 'web', channel: 'web', externalId: `crash-${i}`, receivedAt: new Date().toISOString(),
        sender: { email: `warga${i}@example.org` }, text: `Aduan nomor ${i}: lampu jalan mati.`, attachments: [], meta: {},
      });
    }
    await producer.close();
    const first = worker('intake');
    await waitFor(() => count(messages) >= 20, 30_000);
    first.kill('SIGKILL');
    await new Promise((r) => first.once('exit', r));
    const afterKill = count(messages);
    expect(afterKill).toBeLessThan(N);
    const second = worker('intake');
    try {
      await waitFor(() => count(messages) === N, 60_000, 100);
      await new Promise((r) => setTimeout(r, 2_000));
      expect(count(messages)).toBe(N);
      expect(count(cases)).toBe(N);
      const numbers = db.select({ n: cases.number }).from(cases).all().map((r) => r.n);
      expect(new Set(numbers).size).toBe(N);
      // every case has its acknowledgement in the outbox exactly once, and its forward — or, a later
      // report of the same problem, its place in the division's digest (dedupe.digestMinutes)
      const ids = db.select({ id: outbox.id }).from(outbox).all().map((r) => r.id);
      const forwards = ids.filter((id) => id.endsWith('.forward')).length;
      expect(ids.filter((id) => /\.ack/.test(id))).toHaveLength(N);
      expect(ids).toHaveLength(N + forwards);
      expect(forwards).toBeGreaterThan(0);
      expect(forwards + db.select().from(digestItems).all().length).toBe(N);
    } finally {
      second.kill('SIGTERM');
      await new Promise((r) => second.once('exit', r));
    }
  }, 120_000);

  it('forward worker delivers the outbox as .eml files; SIGTERM drains and exits 0', async () => {
    const fwd = worker('forward');
    try {
      await waitFor(() => db.select().from(outbox).all().every((o) => o.status === 'sent'), 60_000, 200);
    } finally {
      fwd.kill('SIGTERM');
    }
    const code = await new Promise((r) => fwd.once('exit', r));
    expect(code).toBe(0);
    expect(db.select().from(cases).all().every((c) => c.status === 'forwarded')).toBe(true);
  }, 90_000);

  it('aduan cases list --json gives the contract fields', () => {
    const out = execFileSync(process.execPath, [BIN, 'cases', 'list', '--json', '--limit', '5', '--config', configFile], { encoding: 'utf8' });
    const list = JSON.parse(out) as Record<string, unknown>[];
    expect(list).toHaveLength(5);
    for (const item of list) {
      expect(item).toMatchObject({ status: 'forwarded', channel: 'web', division: 'humas', kind: 'complaint', messageCount: 1 });
      expect(item).toHaveProperty('relatedTo');
      expect(typeof item['reportCount']).toBe('number');
      expect(item['number']).toMatch(/^ADU-\d{4}-\d{6}$/);
      expect(item['contact']).toHaveProperty('email');
      expect(typeof item['createdAt']).toBe('string');
      expect(String(item['text'])).toContain('lampu jalan mati');
    }
    const show = JSON.parse(execFileSync(process.execPath, [BIN, 'cases', 'show', String(list[0]!['number']), '--json', '--config', configFile], { encoding: 'utf8' })) as { events: { type: string }[] };
    expect(show.events.map((e) => e.type)).toEqual(['received', 'forwarded']);
  });

  it('aduan doctor reports a broken config with exit 1', () => {
    const bad = path.join(dir, 'bad.yaml');
    writeFileSync(bad, 'mail:\n  transport: pigeon\n');
    let status = 0;
    let stdout = '';
    try {
      execFileSync(process.execPath, [BIN, 'doctor', '--config', bad], { encoding: 'utf8' });
    } catch (err) {
      status = (err as { status: number }).status;
      stdout = String((err as { stdout: string }).stdout);
    }
    expect(status).toBe(1);
    expect(stdout).toContain('line 2, key mail.transport');
  });
});

describe('the operator CLI on a wrong path or wrong input', () => {
  const run = (args: string[], cwd = dir, env: NodeJS.ProcessEnv = process.env): { status: number; stdout: string; stderr: string } => {
    const r = spawnSync(process.execPath, [BIN, ...args], { cwd, env, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
    return { status: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
  };

  it('a database path that does not exist is an error naming it, not an empty gateway (and no empty database is made)', () => {
    const typo = path.join(dir, 'typo.yaml');
    writeFileSync(typo, [
      'redis:', `  url: ${redis.url}`, '  prefix: crash',
      'database:', '  path: ./data-typo/aduan.db',
      'divisions:', '  - id: humas', '    name: Humas', '    inbox: humas@dprd.test', '    default: true',
    ].join('\n'));
    for (const args of [['cases', 'list'], ['cases', 'show', 'ADU-2026-000001'], ['cases', 'note', 'ADU-2026-000001', 'x']]) {
      const r = run([...args, '--config', typo]);
      expect(r.status, args.join(' ')).toBe(1);
      expect(r.stderr).toContain(`Database ${path.join(dir, 'data-typo', 'aduan.db')} does not exist`);
      expect(r.stderr).toContain('[DB.NOT_FOUND]');
    }
    expect(existsSync(path.join(dir, 'data-typo'))).toBe(false);
    const doctor = run(['doctor', '--config', typo]);
    expect(doctor.stdout).toContain(`! database ${path.join(dir, 'data-typo', 'aduan.db')} does not exist yet`);
    expect(existsSync(path.join(dir, 'data-typo'))).toBe(false);
  });

  it('cases add from another directory, or with input the intake worker would refuse, is refused where the officer sees it', () => {
    const elsewhere = mkdtempSync(path.join(tmpdir(), 'aduan-desk-'));
    const relative = path.join(elsewhere, 'relative.yaml');
    writeFileSync(relative, ['database:', '  path: ./data/aduan.db', 'storage:', '  dir: ./data/storage',
      'divisions:', '  - id: humas', '    name: Humas', '    inbox: humas@dprd.test', '    default: true'].join('\n'));
    writeFileSync(path.join(elsewhere, 'surat.pdf'), '%PDF-1.4 surat');
    const wrongDir = run(['cases', 'add', '--text', 'Jalan rusak di Jl. Kenari', '--attach', path.join(elsewhere, 'surat.pdf'), '--config', relative], elsewhere);
    expect(wrongDir.status).toBe(1);
    expect(wrongDir.stderr).toContain('[DB.NOT_FOUND]');
    expect(existsSync(path.join(elsewhere, 'data'))).toBe(false);
    const longName = run(['cases', 'add', '--text', 'Jalan rusak di Jl. Kenari', '--name', 'x'.repeat(250), '--config', configFile]);
    expect(longName.status).toBe(1);
    expect(longName.stderr).toMatch(/Invalid field sender\.name: .*200/);
    const badMail = run(['cases', 'add', '--text', 'Jalan rusak', '--email', 'budi-at-example', '--config', configFile]);
    expect(badMail.stderr).toContain('Invalid field email: "budi-at-example" is not an e-mail address');
    rmSync(elsewhere, { recursive: true, force: true });
  });

  it('aduan quarantine lists what could not be taken, and doctor counts it', () => {
    db.insert(quarantine).values({ connectorId: 'sms-gammu', externalId: 'IN20260301_080000_00_x', code: 'SMS.PARSE', reason: 'bad UDH header', createdAt: '2026-03-01T08:00:00.000Z' }).run();
    const list = run(['quarantine', '--config', configFile]);
    expect(list.stdout).toContain('sms-gammu');
    expect(list.stdout).toContain('SMS.PARSE');
    expect(list.stdout).toContain('bad UDH header');
    const json = JSON.parse(run(['quarantine', '--json', '--config', configFile]).stdout) as { code: string }[];
    expect(json.map((r) => r.code)).toContain('SMS.PARSE');
    expect(run(['doctor', '--config', configFile]).stdout).toMatch(/! \d+ message\(s\) in quarantine/);
  });

  it('classify with a config that does not load says so, instead of answering with the shipped divisions', () => {
    const broken = path.join(dir, 'broken-env.yaml');
    writeFileSync(broken, ['mail:', '  transport: smtp', '  smtp:', '    auth:', '      user: aduan', '      pass: ${ADUAN_TEST_UNSET_PASS}',
      'divisions:', '  - id: kebersihan', '    name: Kebersihan', '    inbox: k@dprd.test', '    keywords: [sampah]', '    default: true'].join('\n'));
    const r = run(['classify', '--json', 'sampah menumpuk', '--config', broken]);
    expect(r.status).toBe(1);
    expect(r.stderr).toContain('[CONFIG.ENV_MISSING]');
    expect(r.stdout).toBe('');
  });

  it('pm2-apps says on stderr when it falls back to the demo config; its stdout stays the JSON app list', () => {
    const nowhere = mkdtempSync(path.join(tmpdir(), 'aduan-pm2-'));
    const r = run(['pm2-apps'], nowhere);
    rmSync(nowhere, { recursive: true, force: true });
    expect(r.status).toBe(0);
    const apps = JSON.parse(r.stdout) as { name: string }[];
    expect(apps.map((a) => a.name)).toContain('aduan-worker-intake');
    // (this checkout may have a config/aduan.yaml of its own: then there is nothing to warn of)
    if (!existsSync(path.join(ROOT, 'config', 'aduan.yaml'))) expect(r.stderr).toContain('running the demo config');
  });

  it('the demo named by ADUAN_CONFIG (as `aduan start` hands it to PM2) reads ./data from the working directory, like the demo it started', () => {
    const qs = mkdtempSync(path.join(tmpdir(), 'aduan-qs-'));
    try {
      const demo = path.join(ROOT, 'config', 'aduan.example.yaml');
      const env = { ...process.env, ADUAN_CONFIG: demo };
      // what `aduan start` does first, with no config: the demo's database under ./data
      expect(run(['migrate'], qs, { ...process.env, ADUAN_CONFIG: '' }).status).toBe(0);
      expect(existsSync(path.join(qs, 'data', 'aduan.db'))).toBe(true);
      // then PM2 runs ecosystem.config.cjs → pm2-apps, and each process, with ADUAN_CONFIG=<the demo file>
      const apps = run(['pm2-apps'], qs, env);
      expect(apps.stderr).not.toContain('CONFIG.INVALID');
      expect(apps.status).toBe(0);
      expect((JSON.parse(apps.stdout) as { cwd: string }[]).every((a) => a.cwd === qs)).toBe(true);
      const list = run(['cases', 'list', '--json'], qs, env);
      expect(list.stderr).toBe('');
      expect(list.status).toBe(0);
      expect(existsSync(path.join(ROOT, 'config', 'data'))).toBe(false);
    } finally {
      rmSync(qs, { recursive: true, force: true });
    }
  });

  it('a wrong label, status or worker name says what is allowed, without a stack trace', () => {
    const label = run(['cases', 'classify', 'ADU-2026-000001', 'bogus', '--config', configFile]);
    expect(label.status).toBe(1);
    expect(label.stderr.trim()).toBe('aduan: Invalid field label: "bogus": complaint, statement, question or spam [INPUT.INVALID]');
    const status = run(['cases', 'list', '--status', 'bogus', '--config', configFile]);
    expect(status.status).toBe(1);
    expect(status.stderr).toContain('Invalid field --status: "bogus": one of received, triage');
    const worker = run(['worker', 'bogus', '--config', configFile]);
    expect(worker.status).toBe(1);
    expect(worker.stderr.trim()).toBe('aduan: Invalid field worker: "bogus": expected intake, forward or scheduler [INPUT.INVALID]');
  });
});
