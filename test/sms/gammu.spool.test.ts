/**
 * The Gammu files connector with SMSD's inbox/outbox folders missing (a mistyped path, SMSD not yet set up).
 * Before: a raw 'inbox scan failed … ENOENT scandir' every scan (5 s) for ever, and a missing outbox was
 * created — replies written where SMSD never reads. Now: one error per folder naming the key and SMSD's
 * setting (as `aduan doctor` says it), quiet retries, one line when it is usable; the outbox is never made,
 * a reply waits in the outbound queue until it exists.
 */
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import { Queue } from 'bullmq';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { outboundQueueName } from '../../core/queue.ts';
import { spoolFolderProblem } from '../../connectors/gammu/gammu.spool.ts';
import { startHarness, type Harness } from '../helpers/harness.ts';
import { waitFor } from '../helpers/ports.ts';
import { utf16be } from './gammu.fixtures.ts';
import { allJobs, intakeQueue, pushReply } from './sms.helpers.ts';

const ID = 'sms-gammu';

describe('gammu files backend: SMSD\'s inbox and outbox folders missing', () => {
  let h: Harness;
  const lines: string[] = [];
  const stream = new Writable({ write(chunk: Buffer, _enc, cb) { lines.push(chunk.toString()); cb(); } });
  const root = mkdtempSync(path.join(tmpdir(), 'aduan-gammu-spool-'));
  const inbox = path.join(root, 'spool', 'inbox');
  const outbox = path.join(root, 'spool', 'outbox');
  const processed = path.join(root, 'aduan-done');
  const logged = () => lines.map((l) => JSON.parse(l) as { msg: string; level: number; connector?: string }).filter((l) => l.connector === ID);

  beforeAll(async () => {
    h = await startHarness({
      channels: [{ id: ID, type: 'gammu', backend: 'files', inboxPath: inbox, processedPath: processed, outboxPath: outbox, scanIntervalMs: 100, settleMs: 50 }],
    }, { logs: stream });
  });
  afterAll(async () => {
    await h?.stop();
    rmSync(root, { recursive: true, force: true });
  });

  it('says each once at error level with the key and SMSD\'s setting, never makes the outbox, and the waiting reply is written once it exists', async () => {
    await h.startConnector(ID);
    const inboxSaid = spoolFolderProblem(ID, 'inboxPath', inbox, 'missing')!;
    const outboxSaid = spoolFolderProblem(ID, 'outboxPath', outbox, 'missing')!;
    expect(inboxSaid).toContain(`channels[${ID}].inboxPath ${inbox} does not exist`);
    expect(inboxSaid).toContain('InboxPath (gammu-smsdrc, [smsd] section)');
    expect(outboxSaid).toContain('OutboxPath (gammu-smsdrc, [smsd] section)');
    await waitFor(() => logged().some((l) => l.msg === inboxSaid) && logged().some((l) => l.msg === outboxSaid));
    // a reply meanwhile: tried (and failed) a few times, waiting in the queue
    await pushReply(h, ID, { outboxId: 'ob-spool-1', caseNumber: 'ADU-2026-000201', to: { phone: '+6281234567850' }, text: 'Aduan Anda diterima.' }, { attempts: 1000, backoff: { type: 'fixed', delay: 100 } });
    const q = new Queue(outboundQueueName(ID), { connection: { host: '127.0.0.1', port: Number(new URL(h.redis.url).port) }, prefix: h.config.redis.prefix });
    try {
      await waitFor(async () => ((await q.getJob('ob-spool-1'))?.attemptsMade ?? 0) >= 5);
    } finally {
      await q.close();
    }
    // (the scans go on every 100 ms meanwhile)
    await new Promise((r) => setTimeout(r, 600));
    expect(existsSync(outbox)).toBe(false);
    expect(existsSync(processed)).toBe(true); // the gateway's own folder is made
    const errors = logged().filter((l) => l.level >= 50);
    expect(errors.map((l) => l.msg)).toEqual([inboxSaid, outboxSaid]);
    expect(logged().some((l) => /inbox scan failed|scandir/.test(l.msg))).toBe(false);

    // SMSD's folders made: the waiting reply is written, SMS are read, each said once
    mkdirSync(outbox, { recursive: true });
    mkdirSync(inbox, { recursive: true });
    await waitFor(() => readdirSync(outbox).some((f) => f.startsWith('OUT') && f.includes('ob-spool-1')));
    writeFileSync(path.join(inbox, 'IN20260304_101500_00_+6281234567851_00.txt'), utf16be('Lampu jalan mati di Jl. Kaliurang'));
    const iq = intakeQueue(h);
    try {
      await waitFor(async () => (await allJobs(iq)).some((j) => String(j.data.externalId).startsWith('IN20260304_101500_00_+6281234567851')));
    } finally {
      await iq.close();
    }
    await waitFor(() => logged().filter((l) => /is usable now/.test(l.msg)).length === 2);
    expect(logged().filter((l) => l.level >= 50).map((l) => l.msg)).toEqual([inboxSaid, outboxSaid]);
  });
});
