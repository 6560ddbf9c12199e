/**
 * A forward worker process SIGKILLed right after the SMTP server took a division's forward, before it
 * could record it as sent (a power cut, the OOM killer). On restart the mail goes out at most once more,
 * with the same Message-ID (the division's mail client shows one mail), and the outbox row ends `sent`.
 * The forward worker used to ignore ADUAN_WORKER_LOCK_MS: the killed worker's job waited for BullMQ's
 * 30-second lock and stalled-job check, so the copy came 30–60 s later.
 */
import { spawn, execFileSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Queue } from 'bullmq';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDb, closeDb, type Db } from '../../core/db/client.ts';
import { outbox } from '../../core/db/schema.ts';
import { recordInbound } from '../../core/intake.ts';
import type { MailPayload } from '../../core/mail/compose.ts';
import { ingestId, inboundMessageSchema } from '../../core/message.ts';
import { QUEUES } from '../../core/queue.ts';
import { basicUnderstander } from '../../core/understand.ts';
import { loadAduanConfig } from '../../scripts/load-config.ts';
import { startRedis, type TestRedis } from '../helpers/redis.ts';
import { startSmtp, type CapturedMail, type TestSmtp } from '../helpers/smtp.ts';
import { waitFor } from '../helpers/ports.ts';

const ROOT = path.resolve(import.meta.dirname, '..', '..');
const BIN = path.join(ROOT, 'scripts', 'aduan.mjs');
const PREFIX = 'fwdcrash';
let redis: TestRedis;
let smtp: TestSmtp;
let dir: string;
let configFile: string;
let db: Db;
const children: ChildProcess[] = [];

beforeAll(async () => {
  redis = await startRedis();
  smtp = await startSmtp();
  dir = mkdtempSync(path.join(tmpdir(), 'aduan-fwdcrash-'));
  configFile = path.join(dir, 'aduan.yaml');
  writeFileSync(configFile, [
    'redis:', `  url: ${redis.url}`, `  prefix: ${PREFIX}`,
    'database:', `  path: ${dir}/aduan.db`,
    'storage:', `  dir: ${dir}/storage`,
    'mail:', '  transport: smtp', '  from: Aduan <aduan@dprd.test>', '  smtp:', '    host: 127.0.0.1', `    port: ${smtp.port}`,
    'divisions:', '  - id: humas', '    name: Humas', '    inbox: humas@dprd.test', '    default: true',
  ].join('\n'));
  execFileSync(process.execPath, [BIN, 'migrate', '--config', configFile]);
  db = openDb(path.join(dir, 'aduan.db'));
});
afterAll(async () => {
  for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
  closeDb(db);
  await smtp?.close();
  await redis?.dispose();
  rmSync(dir, { recursive: true, force: true });
});

function forwardWorker(): ChildProcess {
  const child = spawn(process.execPath, [BIN, 'worker', 'forward', '--config', configFile], {
    stdio: 'ignore', env: { ...process.env, ADUAN_WORKER_LOCK_MS: '1500', ADUAN_LOG_LEVEL: 'warn' },
  });
  children.push(child);
  return child;
}
const exited = (c: ChildProcess): Promise<number | null> => (c.exitCode !== null || c.signalCode !== null ? Promise.resolve(c.exitCode) : new Promise((r) => c.once('exit', (code) => r(code))));
const forwards = (): CapturedMail[] => smtp.mails.filter((m) => m.envelope.to.includes('humas@dprd.test'));

describe('forward worker killed after the SMTP server took the mail', () => {
  it('on restart the division gets at most one more copy, with the same Message-ID, and the row ends sent', async () => {
    // a complaint recorded (as the intake worker does): its forward to the division waits in the outbox
    const { config } = loadAduanConfig(configFile);
    const message = inboundMessageSchema.parse({ connectorId: 'web', channel: 'web', externalId: 'fwd-crash-1', receivedAt: new Date().toISOString(),
      sender: { phone: '+6281234567890' }, text: 'Lampu jalan di Jl. Kaliurang km 5 mati sejak seminggu.' });
    recordInbound({ db, config, understander: basicUnderstander(config), outboundChannels: new Set() }, message, ingestId('web', message.externalId));
    const row = db.select().from(outbox).all().find((o) => o.id.endsWith('.forward'))!;
    expect(row).toBeDefined();
    const messageId = (row.payload as MailPayload).messageId;

    const first = forwardWorker();
    // the SMTP server has the whole mail; the worker dies before it hears 250
    smtp.onMail = (mail) => {
      if (mail.envelope.to.includes('humas@dprd.test')) first.kill('SIGKILL');
    };
    await waitFor(() => forwards().length === 1, 30_000, 50);
    await exited(first);
    smtp.onMail = undefined;
    expect(first.signalCode).toBe('SIGKILL');
    // (the mail is out, but nothing says so yet: the row is still being sent)
    expect(db.select().from(outbox).all().find((o) => o.id === row.id)!.status).toBe('sending');

    const second = forwardWorker();
    try {
      // its job is taken again once the dead worker's lock (1.5 s) is gone — not after BullMQ's 30–60 s
      await waitFor(() => db.select().from(outbox).all().find((o) => o.id === row.id)!.status === 'sent', 20_000, 100);
      const queue = new Queue(QUEUES.mail, { connection: { host: '127.0.0.1', port: redis.port }, prefix: PREFIX });
      try {
        await waitFor(async () => (await (await queue.getJob(row.id))?.getState()) === 'completed', 10_000, 100);
        // drained and stopped: nothing is left that could send it once more
        second.kill('SIGTERM');
        expect(await exited(second)).toBe(0);
        const left = await queue.getJobCounts('waiting', 'active', 'delayed', 'prioritized');
        expect(Object.values(left).reduce((a, b) => a + b, 0)).toBe(0);
      } finally {
        await queue.close();
      }
    } finally {
      if (second.exitCode === null && second.signalCode === null) second.kill('SIGKILL');
    }
    const copies = forwards();
    expect(copies.length).toBeGreaterThanOrEqual(1);
    expect(copies.length).toBeLessThanOrEqual(2);
    expect(new Set(copies.map((m) => m.parsed.messageId))).toEqual(new Set([messageId]));
    expect(db.select().from(outbox).all().find((o) => o.id === row.id)!.status).toBe('sent');
  }, 90_000);
});
