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

/** The scheduler watching every 5 minutes from `from` to `to` (inclusive): what it told, in order. */
function watchFor(from: Date, to: Date): { quiet: string[]; back: string[] } {
  const out = { quiet: [] as string[], back: [] as string[] };
  for (let t = from.getTime(); t <= to.getTime(); t += 5 * 60_000) {
    const r = watchQuietChannels({ config: h.config, db: h.db, logger }, new Date(t));
    out.quiet.push(...r.quiet);
    out.back.push(...r.back);
  }
  return out;
}

describe('channels gone quiet (quietAlertHours)', () => {
  it('tells escalation.address once when a watched channel takes in nothing for that long, and once when input is back', async () => {
    const t0 = new Date();
    // the first look starts the watch of a channel that never took anything in
    expect(watchFor(t0, hours(t0, 23))).toEqual({ quiet: [], back: [] });
    expect(watchFor(hours(t0, 23.1), hours(t0, 25))).toEqual({ quiet: ['web'], back: [] });
    // once: later sweeps (every minute) say nothing more
    expect(watchFor(hours(t0, 25.1), hours(t0, 26))).toEqual({ quiet: [], back: [] });
    await dispatcher.kick();
    await waitFor(() => mailsTo(/tidak menerima pesan/).length === 1);
    const quiet = mailsTo(/tidak menerima pesan/)[0]!.parsed;
    expect(quiet.subject).toBe('Saluran web (web) tidak menerima pesan selama 24 jam');
    expect(quiet.text).toContain('tidak menerima pesan apa pun sejak dipantau');
    expect(quiet.text).toContain('batas channels[].quietAlertHours: 24 jam');
    expect(quiet.text).toContain('pm2 logs aduan-connector-web');
    expect(quiet.headers.get('auto-submitted')).toBe('auto-generated');

    // a citizen's message comes in through the channel: the next sweep says it is back, once
    const res = await fetch(`${base}/v1/messages`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email: 'warga@example.org', text: 'Lampu jalan di Jl. Kenari mati sejak minggu lalu, mohon diperbaiki.' }) });
    expect(res.status).toBe(202);
    await waitFor(() => (h.db.$client.prepare("SELECT count(*) AS n FROM messages WHERE connector_id = 'web'").get() as { n: number }).n === 1);
    const back = new Date(Date.now() + 60_000);
    expect(watchFor(back, hours(back, 1))).toEqual({ quiet: [], back: ['web'] });
    await dispatcher.kick();
    await waitFor(() => mailsTo(/kembali menerima pesan/).length === 1);
    expect(mailsTo(/kembali menerima pesan/)[0]!.parsed.text).toContain('Periksa apakah ada aduan warga yang tidak sampai');

    // quiet again, counted from that message; input the channel had to quarantine (bad input) is input too
    expect(watchFor(hours(back, 1.1), hours(back, 20))).toEqual({ quiet: [], back: [] });
    h.db.transaction((tx) => insertQuarantine(tx, { connectorId: 'web', code: 'MESSAGE.INVALID', reason: 'test' }, hours(back, 20).toISOString()));
    expect(watchFor(hours(back, 20.1), hours(back, 43.9))).toEqual({ quiet: [], back: [] });
    expect(watchFor(hours(back, 44), hours(back, 44.5))).toEqual({ quiet: ['web'], back: [] });
    await dispatcher.kick();
    await waitFor(() => mailsTo(/tidak menerima pesan/).length === 2);
    expect(mailsTo(/tidak menerima pesan/)[1]!.parsed.text).toContain('tidak menerima pesan apa pun sejak');
    // the unwatched channel (no quietAlertHours) was never mailed about
    expect(h.smtp.mails.some((m) => (m.parsed.subject ?? '').includes('web-lama'))).toBe(false);
  });

  it('time nobody watched is no quiet spell: after the gateway was down two days the clock starts again, no false alarm', () => {
    const id = 'web-lama';
    const cfg = { ...h.config, channels: h.config.channels.map((c) => (c.id === id ? { ...c, quietAlertHours: 24 } : c)) } as typeof h.config;
    const t0 = new Date(Date.now() + 10 * 86_400_000);
    const watch = (from: Date, to: Date) => {
      const out: string[] = [];
      for (let t = from.getTime(); t <= to.getTime(); t += 5 * 60_000) out.push(...watchQuietChannels({ config: cfg, db: h.db, logger }, new Date(t)).quiet.filter((c) => c === id));
      return out;
    };
    h.db.transaction((tx) => insertQuarantine(tx, { connectorId: id, code: 'MESSAGE.INVALID', reason: 'test' }, t0.toISOString()));
    expect(watch(t0, hours(t0, 12))).toEqual([]);
    // the scheduler (the whole gateway) down for 48 h; back, it watches again from then
    expect(watch(hours(t0, 60), hours(t0, 83))).toEqual([]);
    // 24 h of watching with nothing coming in: now it is told
    expect(watch(hours(t0, 83.1), hours(t0, 84.5))).toEqual([id]);
  });
});
