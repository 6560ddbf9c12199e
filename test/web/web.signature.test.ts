/**
 * The website's signed API (POST /v1/messages with hmacSecret): a signature names the time it was made,
 * so a captured request cannot be sent again later, and the same signed request sent again while it is
 * valid is the same message — one message, one acknowledgement to the citizen, the same id.
 */
import { createHmac } from 'node:crypto';
import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { messages, outbox } from '../../core/db/schema.ts';
import { checkSignature } from '../../connectors/web/web.parse.ts';
import { startHarness, type Harness } from '../helpers/harness.ts';
import { freePort, waitFor } from '../helpers/ports.ts';

const SECRET = 'website-secret-of-32-characters!';
let h: Harness;
let api: string;
let legacy: string;
let openPort: number;
const logLines: string[] = [];

beforeAll(async () => {
  const [apiPort, legacyPort] = [await freePort(), await freePort()];
  openPort = await freePort();
  h = await startHarness({
    channels: [
      { id: 'web-site', type: 'web', listen: { host: '127.0.0.1', port: apiPort }, hmacSecret: SECRET, rateLimit: { perMinute: 0 } },
      { id: 'web-old-site', type: 'web', listen: { host: '127.0.0.1', port: legacyPort }, hmacSecret: SECRET, allowUntimestampedSignature: true, rateLimit: { perMinute: 0 } },
      { id: 'web-open', type: 'web', listen: { host: '127.0.0.1', port: openPort }, rateLimit: { perMinute: 0 } },
    ],
  }, { logs: new Writable({ write(chunk: Buffer, _enc, cb) { logLines.push(chunk.toString()); cb(); } }) });
  await h.startConnector('web-site');
  await h.startConnector('web-old-site');
  await h.startConnector('web-open');
  h.startIntake();
  h.startForward();
  api = `http://127.0.0.1:${apiPort}`;
  legacy = `http://127.0.0.1:${legacyPort}`;
});
afterAll(async () => { await h?.stop(); });

const now = (): number => Math.floor(Date.now() / 1000);
const signed = (body: string, t = now(), secret = SECRET): string => `t=${t},sha256=${createHmac('sha256', secret).update(`${t}.${body}`).digest('hex')}`;
const old = (body: string): string => `sha256=${createHmac('sha256', SECRET).update(body).digest('hex')}`;
const post = (base: string, body: string, headers: Record<string, string>) =>
  fetch(`${base}/v1/messages`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body });
const errorOf = async (res: Response) => ((await res.json()) as { error: { code: string; message: string } }).error;

describe('the website\'s signed API', () => {
  it('checkSignature: the timestamped form within the tolerance, either way; the old form only when allowed', () => {
    const body = Buffer.from('{"text":"x"}');
    const opts = { nowSeconds: 1_700_000_000, toleranceSeconds: 300, allowUntimestamped: false };
    const mac = (t: number) => createHmac('sha256', SECRET).update(`${t}.`).update(body).digest('hex');
    expect(checkSignature(body, `t=1700000000,sha256=${mac(1_700_000_000)}`, SECRET, opts)).toMatchObject({ ok: true, timestamped: true, t: 1_700_000_000 });
    expect(checkSignature(body, `sha256=${mac(1_699_999_700)}, t=1699999700`, SECRET, opts)).toMatchObject({ ok: true, timestamped: true });
    expect(checkSignature(body, `t=1700000300,sha256=${mac(1_700_000_300)}`, SECRET, opts)).toMatchObject({ ok: true });
    expect(checkSignature(body, `t=1699999699,sha256=${mac(1_699_999_699)}`, SECRET, opts)).toEqual({ ok: false, reason: 'expired', t: 1_699_999_699, skew: 301 });
    expect(checkSignature(body, `t=1700000301,sha256=${mac(1_700_000_301)}`, SECRET, opts)).toMatchObject({ ok: false, reason: 'expired', skew: -301 });
    // milliseconds by mistake: far off, and said so
    expect(checkSignature(body, `t=1700000000000,sha256=${mac(1_700_000_000_000)}`, SECRET, opts)).toMatchObject({ ok: false, reason: 'expired' });
    // an old, wrong or foreign signature says nothing about its time
    expect(checkSignature(body, `t=1699000000,sha256=${'0'.repeat(64)}`, SECRET, opts)).toEqual({ ok: false, reason: 'invalid' });
    expect(checkSignature(body, `t=1700000000,sha256=${mac(1_700_000_001)}`, SECRET, opts)).toEqual({ ok: false, reason: 'invalid' });
    expect(checkSignature(body, `t=1700000000`, SECRET, opts)).toEqual({ ok: false, reason: 'invalid' });
    expect(checkSignature(body, `t=1700000000,t=1700000000,sha256=${mac(1_700_000_000)}`, SECRET, opts)).toEqual({ ok: false, reason: 'invalid' });
    expect(checkSignature(body, undefined, SECRET, opts)).toEqual({ ok: false, reason: 'invalid' });
    const bodyOnly = `sha256=${createHmac('sha256', SECRET).update(body).digest('hex')}`;
    expect(checkSignature(body, bodyOnly, SECRET, opts)).toEqual({ ok: false, reason: 'untimestamped' });
    expect(checkSignature(body, bodyOnly, SECRET, { ...opts, allowUntimestamped: true })).toMatchObject({ ok: true, timestamped: false });
    expect(checkSignature(body, `sha256=${'0'.repeat(64)}`, SECRET, { ...opts, allowUntimestamped: true })).toEqual({ ok: false, reason: 'invalid' });
  });

  it('the same signed request sent again (a retry, or a captured copy, even with another Idempotency-Key) is the same message: one acknowledgement, the same id', async () => {
    const body = JSON.stringify({ email: 'replay@example.org', text: 'Lampu penerangan jalan di Jl. Parangtritis mati sejak Senin.' });
    const sig = signed(body);
    const first = await post(api, body, { 'x-signature': sig });
    expect(first.status).toBe(202);
    expect(first.headers.get('idempotent-replayed')).toBeNull();
    const { id } = (await first.json()) as { id: string };
    const again = await post(api, body, { 'x-signature': sig });
    expect(again.status).toBe(202);
    expect(again.headers.get('idempotent-replayed')).toBe('true');
    expect(((await again.json()) as { id: string }).id).toBe(id);
    const otherKey = await post(api, body, { 'x-signature': sig, 'idempotency-key': 'attacker-chosen-key' });
    expect(otherKey.status).toBe(202);
    expect(((await otherKey.json()) as { id: string }).id).toBe(id);
    await waitFor(() => h.db.select().from(outbox).all().some((o) => o.id.endsWith('.ack') && (o.payload as { to: string[] }).to.includes('replay@example.org') && o.status === 'sent'));
    await new Promise((r) => setTimeout(r, 300));
    expect(h.db.select().from(messages).all().filter((m) => m.text.includes('Jl. Parangtritis'))).toHaveLength(1);
    expect(h.smtp.mails.filter((m) => m.envelope.to.includes('replay@example.org'))).toHaveLength(1);
    // the same text signed again a second later is a new request of the website's (a new message)
    const later = await post(api, body, { 'x-signature': signed(body, now() + 1) });
    expect(later.status).toBe(202);
    expect(((await later.json()) as { id: string }).id).not.toBe(id);
  });

  it('the website\'s own Idempotency-Key is kept as the message\'s key', async () => {
    const body = JSON.stringify({ phone: '081355556666', text: 'Pohon tumbang menutup jalan di Wirobrajan.' });
    const a = await post(api, body, { 'x-signature': signed(body), 'idempotency-key': 'site-form-42' });
    const b = await post(api, body, { 'x-signature': signed(body, now() - 5), 'idempotency-key': 'site-form-42' });
    expect([a.status, b.status]).toEqual([202, 202]);
    expect(((await a.json()) as { id: string }).id).toBe(((await b.json()) as { id: string }).id);
  });

  it('a request signed too long ago (or ahead) is refused, saying how far off its clock is', async () => {
    const body = JSON.stringify({ phone: '081311112224', text: 'Jalan berlubang di Umbulharjo.' });
    const res = await post(api, body, { 'x-signature': signed(body, now() - 3600) });
    expect(res.status).toBe(403);
    const e = await errorOf(res);
    expect(e.code).toBe('AUTH.SIGNATURE_EXPIRED');
    expect(e.message).toMatch(/t=\d+ is 3[56]\d\d seconds away from this server's clock \(at most 300 allowed\)/);
    expect((await post(api, body, { 'x-signature': signed(body, now() + 900) })).status).toBe(403);
    expect((await errorOf(await post(api, body, { 'x-signature': signed(body, now(), 'not-the-secret-of-this-site!') }))).code).toBe('AUTH.SIGNATURE_INVALID');
    expect((await errorOf(await post(api, body, {}))).code).toBe('AUTH.SIGNATURE_INVALID');
  });

  it('the old body-only signature is refused by default, saying what to send; the sysadmin is told in the log', async () => {
    const body = JSON.stringify({ phone: '081311112225', text: 'Sampah di Sungai Code.' });
    const res = await post(api, body, { 'x-signature': old(body) });
    expect(res.status).toBe(403);
    const e = await errorOf(res);
    expect(e.code).toBe('AUTH.SIGNATURE_UNTIMESTAMPED');
    expect(e.message).toContain('t=<unix seconds>,sha256=<hex HMAC-SHA256 of "<t>.<raw body>">');
    expect(logLines.some((l) => l.includes('allowUntimestampedSignature: true'))).toBe(true);
    expect(logLines.join('')).not.toContain(SECRET);
  });

  it('with allowUntimestampedSignature: the old form is accepted, the new one too', async () => {
    const body = JSON.stringify({ phone: '081311112226', text: 'Selokan mampet di Mantrijeron.' });
    expect((await post(legacy, body, { 'x-signature': old(body) })).status).toBe(202);
    expect((await post(legacy, body, { 'x-signature': signed(body) })).status).toBe(202);
    expect((await post(legacy, body, { 'x-signature': `sha256=${'1'.repeat(64)}` })).status).toBe(403);
  });

  it('a channel without hmacSecret says at start that its JSON API is open and how to sign it — a warning when nothing limits it', () => {
    const open = logLines.filter((l) => l.includes('accepts unsigned JSON from anyone'));
    expect(open).toHaveLength(1);
    expect(open[0]).toContain('"connector":"web-open"');
    expect(open[0]).toContain('"level":40');
    expect(open[0]).toContain('rateLimit.perMinute is 0');
    expect(open[0]).toContain('set hmacSecret on this channel');
  });

  it('Redis down: a signed request is answered 503 (never 202), and taken once Redis is back', async () => {
    const body = JSON.stringify({ phone: '081311112227', text: 'Banjir di Jl. Godean.' });
    const sig = signed(body);
    await h.redis.stop();
    try {
      const res = await post(api, body, { 'x-signature': sig });
      expect(res.status).toBe(503);
      expect((await errorOf(res)).code).toBe('QUEUE.UNAVAILABLE');
    } finally {
      await h.redis.restart();
    }
    // the website's retry of the same request, once Redis answers again
    await waitFor(async () => (await post(api, body, { 'x-signature': sig })).status === 202, 20_000, 250);
    await waitFor(() => h.db.select().from(messages).all().some((m) => m.text === 'Banjir di Jl. Godean.'), 20_000);
  });
});
