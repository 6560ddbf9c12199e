/**
 * A channel that has taken in nothing for `quietAlertHours` (a hung GSM modem, a changed IMAP password,
 * a revoked bot token) is told to escalation.address once, and once more when input comes back; a
 * channel without quietAlertHours is not watched. The mails go through the outbox like every other.
 */
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { watchQuietChannels } from '../../core/lifecycle/quiet.ts';
import { createLogger } from '../../core/logger.ts';
import { OutboxDispatcher } from '../../core/outbox.ts';
import { insertQuarantine } from '../../core/repo/state.repo.ts';
import { freePort, waitFor } from '../helpers/ports.ts';
import { startHarness, type Harness } from '../helpers/harness.ts';

let h: Harness;
let base: string;
let dispatcher: OutboxDispatcher;
const logger = createLogger({ process: 'scheduler' }, pino.destination('/dev/null'));

beforeAll(async () => {
  const [port, port2] = [await freePort(), await freePort()];
  h = await startHarness({
    escalation: { address: 'sekwan@dprd.test' },
    channels: [
      { id: 'web', type: 'web', listen: { host: '127.0.0.1', port }, quietAlertHours: 24 },
      { id: 'web-lama', type: 'web', listen: { host: '127.0.0.1', port: port2 } },
    ],
  });
  await h.startConnector('web');
  h.startIntake();
  h.startForward();
  dispatcher = new OutboxDispatcher(h.config, h.db, logger);
  base = `http://127.0.0.1:${port}`;
});
afterAll(async () => {
  await dispatcher?.stop();
  await h?.stop();
});

const hours = (from: Date, n: number): Date => new Date(from.getTime() + n * 3_600_000);
const mailsTo = (subject: RegExp) => h.smtp.mails.filter((m) => m.envelope.to.includes('sekwan@dprd.test') && subject.test(m.parsed.subject ?? ''));

describe('channels gone quiet (quietAlertHours)', () => {
  it('tells escalation.address once when a watched channel takes in nothing for that long, and once when input is back', async () => {
    const t0 = new Date();
    // the first look starts the watch of a channel that never took anything in
    expect(watchQuietChannels({ config: h.config, db: h.db, logger }, t0)).toEqual({ quiet: [], back: [] });
    expect(watchQuietChannels({ config: h.config, db: h.db, logger }, hours(t0, 23))).toEqual({ quiet: [], back: [] });
    expect(watchQuietChannels({ config: h.config, db: h.db, logger }, hours(t0, 25))).toEqual({ quiet: ['web'], back: [] });
    // once: later sweeps (every minute) and a restarted scheduler say nothing more
    expect(watchQuietChannels({ config: h.config, db: h.db, logger }, hours(t0, 26))).toEqual({ quiet: [], back: [] });
    await dispatcher.kick();
    await waitFor(() => mailsTo(/tidak menerima pesan/).length === 1);
    const quiet = mailsTo(/tidak menerima pesan/)[0]!.parsed;
    expect(quiet.subject).toBe('Saluran web (web) tidak menerima pesan selama 25 jam');
    expect(quiet.text).toContain('belum pernah menerima pesan sejak dipantau');
    expect(quiet.text).toContain('batas channels[].quietAlertHours: 24 jam');
    expect(quiet.text).toContain('pm2 logs aduan-connector-web');
    expect(quiet.headers.get('auto-submitted')).toBe('auto-generated');

    // a citizen's message comes in through the channel: the next sweep says it is back, once
    const res = await fetch(`${base}/v1/messages`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email: 'warga@example.org', text: 'Lampu jalan di Jl. Kenari mati sejak minggu lalu, mohon diperbaiki.' }) });
    expect(res.status).toBe(202);
    await waitFor(() => (h.db.$client.prepare("SELECT count(*) AS n FROM messages WHERE connector_id = 'web'").get() as { n: number }).n === 1);
    const back = new Date(Date.now() + 60_000);
    expect(watchQuietChannels({ config: h.config, db: h.db, logger }, back)).toEqual({ quiet: [], back: ['web'] });
    expect(watchQuietChannels({ config: h.config, db: h.db, logger }, hours(back, 1))).toEqual({ quiet: [], back: [] });
    await dispatcher.kick();
    await waitFor(() => mailsTo(/kembali menerima pesan/).length === 1);
    expect(mailsTo(/kembali menerima pesan/)[0]!.parsed.text).toContain('Periksa apakah ada aduan warga yang tidak sampai');

    // quiet again, counted from that message; input the channel had to quarantine (bad input) is input too
    expect(watchQuietChannels({ config: h.config, db: h.db, logger }, hours(back, 23))).toEqual({ quiet: [], back: [] });
    h.db.transaction((tx) => insertQuarantine(tx, { connectorId: 'web', code: 'MESSAGE.INVALID', reason: 'test' }, hours(back, 20).toISOString()));
    expect(watchQuietChannels({ config: h.config, db: h.db, logger }, hours(back, 30))).toEqual({ quiet: [], back: [] });
    expect(watchQuietChannels({ config: h.config, db: h.db, logger }, hours(back, 45))).toEqual({ quiet: ['web'], back: [] });
    await dispatcher.kick();
    await waitFor(() => mailsTo(/tidak menerima pesan/).length === 2);
    expect(mailsTo(/tidak menerima pesan/)[1]!.parsed.text).toContain('tidak menerima pesan apa pun sejak');
    // the unwatched channel (no quietAlertHours) was never mailed about
    expect(h.smtp.mails.some((m) => (m.parsed.subject ?? '').includes('web-lama'))).toBe(false);
  });
});
