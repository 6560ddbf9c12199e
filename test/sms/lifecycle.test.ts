import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Queue } from 'bullmq';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHarness, type Harness } from '../helpers/harness.ts';
import { freePort, waitFor } from '../helpers/ports.ts';
import { utf16be } from './gammu.fixtures.ts';
import { allJobs, intakeQueue } from './sms.helpers.ts';

describe('SMS connectors lifecycle', () => {
  let h: Harness;
  let q: Queue;
  const root = mkdtempSync(path.join(tmpdir(), 'aduan-sms-life-'));
  const inbox = path.join(root, 'inbox');

  beforeAll(async () => {
    mkdirSync(inbox, { recursive: true });
    mkdirSync(path.join(root, 'out'), { recursive: true }); // SMSD's OutboxPath (the connector does not make it)
    const [p1, p2] = [await freePort(), await freePort()];
    h = await startHarness({
      channels: [
        { id: 'gammu-a', type: 'gammu', inboxPath: inbox, processedPath: path.join(root, 'done'), outboxPath: path.join(root, 'out'), scanIntervalMs: 100, settleMs: 0 },
        { id: 'and-a', type: 'android-sms-gateway', listen: { port: p1 }, signingKey: 'k3y-for-test', apiUrl: 'http://127.0.0.1:9', username: 'u', password: 'p' },
        { id: 'tw-a', type: 'twilio', listen: { port: p2 }, publicUrl: 'https://x.example/t', accountSid: `AC${'0'.repeat(32)}`, authToken: 'test-token-0123456789', from: 'whatsapp:+6281100000000' },
      ],
    });
    q = intakeQueue(h);
  });
  afterAll(async () => {
    await q?.close();
    await h?.stop();
    rmSync(root, { recursive: true, force: true });
  });

  it('two copies of one Gammu channel on the same spool: one polls (Redis lock), each SMS is queued once', async () => {
    for (let i = 0; i < 20; i++) writeFileSync(path.join(inbox, `IN20260304_10${String(i).padStart(2, '0')}00_00_+628123450${String(i).padStart(3, '0')}_00.txt`), utf16be(`Laporan ${i} jalan rusak`));
    const a = await h.startConnector('gammu-a');
    const b = await h.startConnector('gammu-a');
    await waitFor(() => readdirSync(inbox).length === 0);
    const jobs = (await allJobs(q)).filter((j) => j.data.connectorId === 'gammu-a');
    expect(jobs).toHaveLength(20);
    const details = [(await a.instance.health()).detail, (await b.instance.health()).detail].sort();
    expect(details[0]).toMatch(/^polling /);
    expect(details[1]).toBe('waiting for the spool lock');
  });

  it.each(['gammu-a', 'and-a', 'tw-a'])('%s: start, health, stop twice without throwing', async (id) => {
    const { instance } = await h.startConnector(id);
    if (id !== 'gammu-a') expect((await instance.health()).ok).toBe(true);
    await instance.stop();
    await instance.stop();
    expect((await instance.health()).ok).toBe(false);
  });
});
