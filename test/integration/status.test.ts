/**
 * `aduan status`: one screen of what the gateway is doing — each channel's last input, the queues, the
 * outbox, the cases waiting (and since when), quarantine and backup — with Redis up or down.
 */
import { spawn, spawnSync } from 'node:child_process';
import net from 'node:net';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { QUEUES, outboundQueueName } from '../../core/queue.ts';
import { cases } from '../../core/db/schema.ts';
import { formatStatus, gatherStatus } from '../../scripts/status.ts';
import { watchQuietChannels } from '../../core/lifecycle/quiet.ts';
import { formatTime } from '../../core/mail/compose.ts';
import { addEvent, bumpReportCount, insertCase, setCaseStatus } from '../../core/repo/cases.repo.ts';
import { planOf, prepared } from '../helpers/sql.ts';
import { freePort, waitFor } from '../helpers/ports.ts';
import { slowProxy } from '../helpers/slow-proxy.ts';
import { startHarness, type Harness } from '../helpers/harness.ts';

const ROOT = path.resolve(import.meta.dirname, '..', '..');
let h: Harness;
let base: string;

beforeAll(async () => {
  const [port, port2] = [await freePort(), await freePort()];
  h = await startHarness({
    channels: [
      { id: 'web', type: 'web', listen: { host: '127.0.0.1', port }, quietAlertHours: 24 },
      { id: 'web-cadangan', type: 'web', listen: { host: '127.0.0.1', port: port2 } },
      { id: 'web-lama', type: 'web', enabled: false, listen: { host: '127.0.0.1', port: port2 } },
    ],
  });
  await h.startConnector('web');
  h.startIntake();
  base = `http://127.0.0.1:${port}`;
});
afterAll(async () => {
  await h?.stop();
});

describe('aduan status', () => {
  it('shows each channel\'s last input, the queues, the outbox and the cases waiting', async () => {
    const post = (text: string) => fetch(`${base}/v1/messages`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email: `w${Date.now()}@example.org`, text }) });
    expect((await post('Lampu jalan di Jl. Kenari mati sejak seminggu, mohon diperbaiki.')).status).toBe(202);
    expect((await post('ok')).status).toBe(202);
    await waitFor(() => h.db.select().from(cases).all().length === 2);
    const names = [QUEUES.intake, QUEUES.mail, outboundQueueName('web')];
    const now = new Date(Date.now() + 5 * 60_000);
    const r = await gatherStatus(h.config, h.db, names, now);
    expect(r.channels.map((c) => [c.id, c.lastInputAt !== null, c.enabled, c.quiet])).toEqual([['web', true, true, false], ['web-cadangan', false, true, false], ['web-lama', false, false, false]]);
    expect(Array.isArray(r.queues) && r.queues.map((q) => q.name)).toEqual(names);
    // the forward worker is not running: the division's forward waits in the outbox
    expect((r.outbox['pending'] ?? 0) + (r.outbox['queued'] ?? 0)).toBeGreaterThan(0);
    const statuses = r.cases.map((c) => c.status);
    expect(statuses).toContain('received');
    expect(r.cases.find((c) => c.status === 'received')!.longestWaitingSince).not.toBeNull();
    const text = formatStatus(h.config, r);
    expect(text).toMatch(/web \(web\)\s+last input 5 min ago {2}\(watched: quietAlertHours 24\)/);
    expect(text).toMatch(/web-cadangan \(web\)\s+nothing taken in yet/);
    expect(text).toMatch(/web-lama \(web\)\s+disabled/);
    expect(text).toMatch(/intake\s+waiting 0, active 0, delayed 0, failed 0/);
    expect(text).toMatch(/received\s+2 {3}longest waiting since/);
    expect(text).toContain('! backup: no daily backup');

    // a day later with nothing more, the scheduler watching every 5 minutes: the watched channel is shown quiet
    // (as the scheduler judged it — only watched time counts)
    const start = Date.now();
    for (let t = start; t <= start + 25 * 3_600_000; t += 5 * 60_000) watchQuietChannels({ config: h.config, db: h.db }, new Date(t));
    const later = await gatherStatus(h.config, h.db, names, new Date(start + 25 * 3_600_000));
    expect(formatStatus(h.config, later)).toMatch(/web \(web\)\s+last input 25 h ago {2}! quiet longer than quietAlertHours 24/);
  });

  it('with Redis down it still shows what the database knows, and says Redis does not answer', () => {
    const yaml = path.join(h.config.dataDir, 'status.yaml');
    writeFileSync(yaml, ['redis:', '  url: redis://127.0.0.1:9', 'database:', `  path: ${h.config.database.path}`, 'storage:', `  dir: ${h.config.storage.dir}`,
      'divisions:', '  - id: humas', '    name: Humas', '    inbox: humas@dprd.test', '    default: true'].join('\n'));
    const r = spawnSync(process.execPath, [path.join(ROOT, 'scripts', 'aduan.mjs'), 'status', '--config', yaml], { encoding: 'utf8', env: { ...process.env, ADUAN_CONFIG: '' } });
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('! Redis redis://127.0.0.1:9 does not answer');
    expect(r.stdout).toMatch(/received\s+2/);
    const json = spawnSync(process.execPath, [path.join(ROOT, 'scripts', 'aduan.mjs'), 'status', '--json', '--config', yaml], { encoding: 'utf8', env: { ...process.env, ADUAN_CONFIG: '' } });
    expect((JSON.parse(json.stdout) as { queues: { error: string } }).queues.error).toContain('does not answer');
  });

  it('with a Redis that hangs up, status and doctor try it once (no reconnecting): status still shows what the database knows', async () => {
    // a TCP server on 127.0.0.1 that accepts and hangs up at once, counting the connections
    let connections = 0;
    const server = net.createServer((s) => { connections++; s.destroy(); });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as net.AddressInfo;
    try {
      const yaml = path.join(h.config.dataDir, 'status-hangup.yaml');
      writeFileSync(yaml, ['redis:', `  url: redis://aduan:rahasia@127.0.0.1:${port}`, 'database:', `  path: ${h.config.database.path}`, 'storage:', `  dir: ${h.config.storage.dir}`,
        'divisions:', '  - id: humas', '    name: Humas', '    inbox: humas@dprd.test', '    default: true'].join('\n'));
      const run = (args: string[]) => new Promise<{ status: number | null; stdout: string }>((resolve) => {
        // (asynchronously: the fake Redis in this process must go on accepting)
        const c = spawn(process.execPath, [path.join(ROOT, 'scripts', 'aduan.mjs'), ...args, '--config', yaml], { env: { ...process.env, ADUAN_CONFIG: '' } });
        let stdout = '';
        c.stdout.on('data', (d: Buffer) => { stdout += d.toString(); });
        c.on('close', (status) => resolve({ status, stdout }));
      });
      const r = await run(['status']);
      expect(r.status).toBe(0);
      expect(r.stdout).toMatch(new RegExp(`! Redis redis://aduan:\\*\\*\\*@127\\.0\\.0\\.1:${port}/? does not answer \\(`));
      expect(r.stdout).not.toContain('rahasia');
      expect(r.stdout).toMatch(/received\s+2/);
      expect(r.stdout).toMatch(/^outbox \(mails and replies\): /m);
      expect(r.stdout).toContain('! backup: no daily backup');
      expect(connections).toBe(1);
      const d = await run(['doctor']);
      expect(d.status).toBe(1);
      expect(d.stdout).toMatch(new RegExp(`✗ redis redis://aduan:\\*\\*\\*@127\\.0\\.0\\.1:${port}/?: `));
      expect(connections).toBe(2);
    } finally {
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  }, 60_000);

  it('a Redis that answers after more than a second (far away, TLS, Sentinel) is shown working when redis.cliTimeoutMs allows for it; past it, status says how long it waited and how to wait longer', async () => {
    const slow = await slowProxy(h.config.redis.url!, 1_500);
    try {
      const names = [QUEUES.intake];
      const patient = { ...h.config, redis: { ...h.config.redis, url: slow.url, cliTimeoutMs: 5_000 } };
      const r = await gatherStatus(patient, h.db, names);
      expect(formatStatus(patient, r)).toMatch(/intake\s+waiting \d+, active \d+, delayed \d+, failed \d+/);
      const hasty = { ...h.config, redis: { ...h.config.redis, url: slow.url, cliTimeoutMs: 300 } };
      const text = formatStatus(hasty, await gatherStatus(hasty, h.db, names));
      expect(text).toMatch(/! Redis redis:\/\/127\.0\.0\.1:\d+\/? does not answer \(no answer within 0\.3 s, as redis\.cliTimeoutMs 300 says; .*set redis\.cliTimeoutMs in the config, e\.g\. 5000\)/);
      expect(text).toMatch(/received\s+2/);
      // doctor says the same, and does not send the operator to look for a redis-server that is running
      const yaml = path.join(h.config.dataDir, 'doctor-slow.yaml');
      writeFileSync(yaml, ['redis:', `  url: ${slow.url}`, '  cliTimeoutMs: 300', 'database:', `  path: ${h.config.database.path}`, 'storage:', `  dir: ${h.config.storage.dir}`,
        'divisions:', '  - id: humas', '    name: Humas', '    inbox: humas@dprd.test', '    default: true'].join('\n'));
      const d = await new Promise<{ status: number | null; stdout: string }>((resolve) => {
        const c = spawn(process.execPath, [path.join(ROOT, 'scripts', 'aduan.mjs'), 'doctor', '--config', yaml], { env: { ...process.env, ADUAN_CONFIG: '' } });
        let stdout = '';
        c.stdout.on('data', (b: Buffer) => { stdout += b.toString(); });
        c.on('close', (status) => resolve({ status, stdout }));
      });
      expect(d.status).toBe(1);
      expect(d.stdout).toMatch(/✗ redis redis:\/\/127\.0\.0\.1:\d+\/?: no answer within 0\.3 s, as redis\.cliTimeoutMs 300 says; .*e\.g\. 5000/);
      expect(d.stdout).not.toContain('is redis-server running');
    } finally {
      await slow.stop();
    }
  }, 60_000);

  it('a case waits since it entered its status, not since its last update (a note, a linked report)', async () => {
    const day = 86_400_000;
    const now = new Date();
    const at = (days: number) => new Date(now.getTime() - days * day).toISOString();
    const fresh = (number: string, status: string, created: string) => insertCase(h.db, { number, status, kind: 'complaint', divisionId: 'humas', contactId: null,
      channel: 'web', connectorId: 'web', subject: null, summary: 'Jalan berlubang di Jl. Kenari, mohon diperbaiki.', relatedToCaseId: null, now: created });
    h.db.transaction((tx) => {
      // in review for three weeks (forwarded a month ago), a note and another report yesterday
      const k = setCaseStatus(tx, fresh('ADU-2026-900001', 'forwarded', at(30)), 'in_review', { at: at(21), actorType: 'division', actor: 'humas', type: 'review_started' });
      addEvent(tx, { caseId: k.id, at: at(1), actorType: 'division', actor: 'humas', type: 'note', text: 'Masih dikaji.' });
      bumpReportCount(tx, k.id, at(1));
      // in review since two days: it waits less, though last updated earlier
      setCaseStatus(tx, fresh('ADU-2026-900002', 'forwarded', at(3)), 'in_review', { at: at(2), actorType: 'division', actor: 'humas', type: 'review_started' });
      // in review, out of it and back: waits since it came back
      const back = setCaseStatus(tx, fresh('ADU-2026-900003', 'in_review', at(40)), 'action', { at: at(35), actorType: 'division', actor: 'humas', type: 'status_set' });
      setCaseStatus(tx, back, 'in_review', { at: at(10), actorType: 'division', actor: 'humas', type: 'status_set' });
      // no status-change event (an older version's row): since its creation
      const old = fresh('ADU-2026-900004', 'action', at(12));
      bumpReportCount(tx, old.id, at(1));
    });
    let gathering: Promise<Awaited<ReturnType<typeof gatherStatus>>> | undefined;
    const sql = prepared(h.db, () => { gathering = gatherStatus(h.config, h.db, [], now); });
    const r = await gathering!;
    expect(r.cases.find((c) => c.status === 'in_review')).toEqual({ status: 'in_review', count: 3, longestWaitingSince: at(21) });
    expect(r.cases.find((c) => c.status === 'action')).toEqual({ status: 'action', count: 1, longestWaitingSince: at(12) });
    const text = formatStatus(h.config, r);
    expect(text).toContain(`in_review                 3   longest waiting since ${formatTime(at(21), h.config.instance.timezone)}`);
    // (10^6 cases: the open cases of the status by cases_status_idx, each one's events by case_events_case_idx — never the history)
    const waiting = sql.filter((s) => /case_events/.test(s));
    expect(waiting).toHaveLength(1);
    const plan = planOf(h.db, waiting[0]!);
    expect(plan.join(' | ')).toMatch(/SEARCH c USING (COVERING )?INDEX cases_status_idx \(status=\?\)/);
    expect(plan.join(' | ')).toMatch(/SEARCH e USING INDEX case_events_case_idx \(case_id=\?\)/);
    expect(plan.filter((d) => /^SCAN/.test(d))).toEqual([]);
  });
});
