import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHarness, type Harness } from '../helpers/harness.ts';
import { waitFor } from '../helpers/ports.ts';
import { cases } from '../../core/db/schema.ts';
import { officerCommand } from '../../core/lifecycle/service.ts';
import { runSweeps } from '../../core/lifecycle/sweeps.ts';
import { gsm7Length } from '../../core/templates.ts';

const root = mkdtempSync(path.join(tmpdir(), 'aduan-smsloop-'));
const inbox = path.join(root, 'inbox');
const outbox = path.join(root, 'outbox');
let h: Harness;
let seq = 0;

beforeAll(async () => {
  mkdirSync(inbox, { recursive: true });
  mkdirSync(outbox, { recursive: true });
  h = await startHarness({
    channels: [{ id: 'sms-modem', type: 'gammu', backend: 'files', inboxPath: inbox, processedPath: path.join(root, 'processed'), outboxPath: outbox, scanIntervalMs: 200, settleMs: 50, multipartWaitSeconds: 1, repeatWindowSeconds: 0 }],
  });
  await h.startConnector('sms-modem');
  h.startIntake();
  h.startForward();
});
afterAll(async () => {
  await h?.stop();
  rmSync(root, { recursive: true, force: true });
});

/** An SMS as Gammu SMSD writes it (unicode inbox format). */
function sms(from: string, text: string): void {
  seq++;
  const name = `IN20261128_0900${String(seq).padStart(2, '0')}_00_${from}_00.txt`;
  writeFileSync(path.join(inbox, name), Buffer.concat([Buffer.from([0xfe, 0xff]), Buffer.from(text, 'utf16le').swap16()]));
}

/** Texts Aduan wrote to Gammu's outbox for a number (decoded). */
function sent(to: string): string[] {
  return readdirSync(outbox).filter((f) => f.includes(to)).sort().map((f) => {
    const b = readFileSync(path.join(outbox, f));
    return b[0] === 0xfe && b[1] === 0xff ? Buffer.from(b.subarray(2)).swap16().toString('utf16le') : b.toString('utf8');
  });
}

describe('the whole loop for an SMS citizen through Gammu (spool folders)', () => {
  it('SMS complaint → ack SMS → forward → review → result SMS → TIDAK PUAS → reopened → result → PUAS → closed → archived', async () => {
    const phone = '+6281398765432';
    sms('081398765432', 'Tolong jalan di Jl. Imogiri Timur berlubang besar, sudah ada pemotor jatuh.');
    await waitFor(() => h.db.select().from(cases).all().length === 1, 15_000);
    const c = h.db.select().from(cases).all()[0]!;
    expect(c.channel).toBe('sms');
    await waitFor(() => sent(phone).some((t) => t.includes(c.number)), 15_000);
    const ack = sent(phone).find((t) => t.includes(c.number))!;
    expect(gsm7Length(ack)).not.toBeNull();
    expect(gsm7Length(ack)!).toBeLessThanOrEqual(160);
    await waitFor(() => h.smtp.mails.some((m) => m.parsed.subject?.startsWith(`[${c.number}]`) && m.parsed.text?.includes(phone)));

    const deps = { config: h.config, db: h.db, outboundChannels: new Set(['sms-modem']) };
    const status = () => h.db.select().from(cases).where(eq(cases.id, c.id)).get()!;
    officerCommand(deps, c.number, { kind: 'kaji', note: '' }, 'komisi-c');
    officerCommand(deps, c.number, { kind: 'selesai', result: 'Lubang sudah ditambal DPUPKP.' }, 'komisi-c');
    await waitFor(() => sent(phone).some((t) => t.includes('sudah ditambal')), 15_000);
    expect(sent(phone).find((t) => t.includes('sudah ditambal'))).toContain('TIDAK PUAS');

    sms('+6281398765432', 'tidak puas, masih ada lubang di sebelahnya');
    await waitFor(() => status().status === 'in_review' && status().reopenCount === 1, 15_000);
    await waitFor(() => h.smtp.mails.some((m) => m.parsed.text?.includes('masih ada lubang di sebelahnya')));
    officerCommand(deps, c.number, { kind: 'selesai', result: 'Lubang kedua juga sudah ditambal.' }, 'komisi-c');
    await waitFor(() => sent(phone).some((t) => t.includes('Lubang kedua')), 15_000);
    sms('+6281398765432', 'PUAS');
    await waitFor(() => status().status === 'closed', 15_000);
    runSweeps(deps, new Date(Date.now() + 31 * 86_400_000));
    expect(status().status).toBe('archived');
    expect(h.db.select().from(cases).all()).toHaveLength(1);
  }, 90_000);
});
