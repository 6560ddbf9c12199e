/**
 * A report in two SMS whose first names no problem, through the whole gateway: Gammu spool → intake
 * (real understander) → outbox dispatcher (its held row) → forward worker → real SMTP server.
 */
import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cases, outbox } from '../../core/db/schema.ts';
import { createUnderstander } from '../../core/understanding/index.ts';
import { startHarness, type Harness } from '../helpers/harness.ts';
import { waitFor } from '../helpers/ports.ts';
import { utf16be } from './gammu.fixtures.ts';

describe('a report in two SMS, the first naming no problem (real Redis, Gammu spool, SMTP)', () => {
  let h: Harness;
  const root = mkdtempSync(path.join(tmpdir(), 'aduan-held-'));
  const inbox = path.join(root, 'inbox');
  const drop = (name: string, text: string): void => writeFileSync(path.join(inbox, name), utf16be(text));

  beforeAll(async () => {
    mkdirSync(inbox, { recursive: true });
    mkdirSync(path.join(root, 'out'), { recursive: true }); // SMSD's OutboxPath (the connector does not make it)
    h = await startHarness({
      channels: [{ id: 'sms-gammu', type: 'gammu', backend: 'files', inboxPath: inbox, processedPath: path.join(root, 'done'), outboxPath: path.join(root, 'out'), scanIntervalMs: 100, settleMs: 0 }],
    });
  });
  afterAll(async () => {
    await h?.stop();
    rmSync(root, { recursive: true, force: true });
  });

  it('the forward waits for the problem, then one mail with both reaches the division the problem belongs to', async () => {
    h.startIntake(createUnderstander(h.config));
    h.startForward();
    await h.startConnector('sms-gammu');
    drop('IN20260304_150000_00_+6281234567830_00.txt', 'Pak, saya warga Gondokusuman RT 05');
    await waitFor(() => h.db.select().from(cases).all().length === 1, 15_000);
    const kase = h.db.select().from(cases).get()!;
    const held = () => h.db.select().from(outbox).where(eq(outbox.id, `${kase.number}.forward`)).get()!;
    expect(held()).toMatchObject({ status: 'pending', notBefore: expect.any(String) });
    // the dispatcher sweeps every 2 s: the held forward stays put
    await new Promise((r) => setTimeout(r, 2_500));
    expect(held().status).toBe('pending');
    expect(h.smtp.mails.filter((m) => m.parsed.subject?.includes(kase.number) && m.envelope.to.some((t) => t.startsWith('komisi-c') || t.startsWith('humas')))).toEqual([]);

    drop('IN20260304_150100_00_+6281234567830_00.txt', 'jalan depan rumah saya rusak parah, banyak lubang');
    await waitFor(() => held().status === 'sent', 15_000);
    expect(h.db.select().from(cases).all()).toHaveLength(1);
    const forwards = h.smtp.mails.filter((m) => m.parsed.subject?.startsWith(`[${kase.number}]`) && m.envelope.to.includes('komisi-c@dprd.test'));
    expect(forwards).toHaveLength(1);
    expect(forwards[0]!.parsed.text).toMatch(/Isi aduan:\nPak, saya warga Gondokusuman RT 05\n\nTambahan keterangan dari pelapor:\n- .*: jalan depan rumah saya rusak parah, banyak lubang/);
    expect(h.smtp.mails.filter((m) => m.envelope.to.includes('humas@dprd.test'))).toEqual([]);
    expect(h.db.select().from(cases).get()).toMatchObject({ status: 'forwarded', divisionId: 'komisi-c' });
    expect(readdirSync(inbox).filter((f) => !f.startsWith('.'))).toEqual([]);
  });
});
