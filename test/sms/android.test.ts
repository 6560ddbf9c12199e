import { createHash } from 'node:crypto';
import type { Queue } from 'bullmq';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { capcomSignature, verifyCapcomSignature } from '../../connectors/android-sms-gateway/capcom.signature.ts';
import { startHarness, type Harness } from '../helpers/harness.ts';
import { freePort, waitFor } from '../helpers/ports.ts';
import { FakeProvider } from './fake-provider.ts';
import { OUTBOUND_JOB_OPTIONS } from '../../core/queue.ts';
import { allJobs, expectRetryAfterHonoured, intakeQueue, pushReply, quarantined } from './sms.helpers.ts';

const ID = 'sms-android';
const KEY = 'Zx8kQ2pL';

function envelope(id: string, payload: Record<string, unknown>, event = 'sms:received'): string {
  // Gson order and escaping as the app sends it
  return JSON.stringify({ id, webhookId: 'wh1', event, deviceId: 'dev1', payload }).replace(/</g, '\\u003c').replace(/=/g, '\\u003d');
}

describe('capcom6 signature', () => {
  const body = Buffer.from('{"a":1}');
  const now = 1_719_046_000;
  it('accepts a fresh, correct signature and rejects wrong, missing, malformed and stale ones', () => {
    const sig = capcomSignature(KEY, body, String(now));
    expect(verifyCapcomSignature(KEY, body, String(now), sig, now + 10, 300)).toEqual({ ok: true });
    expect(verifyCapcomSignature(KEY, body, String(now), sig.toUpperCase(), now, 300)).toEqual({ ok: true });
    expect(verifyCapcomSignature('other', body, String(now), sig, now, 300)).toEqual({ ok: false, reason: 'mismatch' });
    expect(verifyCapcomSignature(KEY, Buffer.from('{"a":2}'), String(now), sig, now, 300)).toEqual({ ok: false, reason: 'mismatch' });
    expect(verifyCapcomSignature(KEY, body, undefined, sig, now, 300)).toEqual({ ok: false, reason: 'missing' });
    expect(verifyCapcomSignature(KEY, body, String(now), 'abc', now, 300)).toEqual({ ok: false, reason: 'malformed' });
    expect(verifyCapcomSignature(KEY, body, String(now), sig, now + 301, 300)).toEqual({ ok: false, reason: 'stale' });
  });
});

describe('Retry-After', () => {
  it('is read as seconds or an HTTP date (a date passed: at once); anything else is no answer', async () => {
    const { retryAfterMs } = await import('../../core/queue.ts');
    const now = Date.parse('2026-03-04T10:00:00Z');
    expect(retryAfterMs('120', now)).toBe(120_000);
    expect(retryAfterMs(' 0 ', now)).toBe(0);
    expect(retryAfterMs('Wed, 04 Mar 2026 10:02:30 GMT', now)).toBe(150_000);
    expect(retryAfterMs('Wed, 04 Mar 2026 09:00:00 GMT', now)).toBe(0);
    for (const v of [undefined, null, '', 'soon', '1.5', '-5']) expect(retryAfterMs(v, now)).toBeUndefined();
  });
});

describe('android-sms-gateway connector (capcom6 webhook, real Redis, fake gateway API)', () => {
  let h: Harness;
  let q: Queue;
  let fake: FakeProvider;
  let url = '';

  const post = async (body: string, opts: { key?: string; ts?: number; sig?: string | null } = {}) => {
    const ts = String(opts.ts ?? Math.floor(Date.now() / 1000));
    const headers: Record<string, string> = { 'content-type': 'application/json', 'x-timestamp': ts };
    if (opts.sig !== null) headers['x-signature'] = opts.sig ?? capcomSignature(opts.key ?? KEY, Buffer.from(body), ts);
    return fetch(url, { method: 'POST', headers, body });
  };
  const jobsOf = async (phone: string) => (await allJobs(q)).filter((j) => j.data.connectorId === ID && j.data.sender?.phone === phone);

  beforeAll(async () => {
    fake = await new FakeProvider().start();
    const port = await freePort();
    url = `http://127.0.0.1:${port}/sms/android`;
    h = await startHarness({ instance: { name: 'DPRD Test', casePrefix: 'DPRDKOTA' }, channels: [{ id: ID, type: 'android-sms-gateway', listen: { host: '127.0.0.1', port }, signingKey: KEY, apiUrl: fake.url, username: 'sms', password: 'rahasia' }] });
    q = intakeQueue(h);
    await h.startConnector(ID);
  });
  afterAll(async () => {
    await q?.close();
    await h?.stop();
    await fake?.stop();
  });

  it('GET /healthz names the channel (how aduan doctor knows the port is ours); other paths and methods stay closed', async () => {
    const base = url.replace('/sms/android', '');
    const health = await fetch(`${base}/healthz`);
    expect([health.status, await health.json()]).toEqual([200, { ok: true, channel: ID }]);
    expect((await fetch(`${base}/healthz`, { method: 'POST' })).status).toBe(404);
    expect((await fetch(url)).status).toBe(405);
  });

  it('queues a signed sms:received with the sender in E.164, answering 200 only after enqueue', async () => {
    const res = await post(envelope('ev-1', { message: 'Jalan <rusak> di Jl. Wates km 3 = bahaya', receivedAt: '2026-03-04T10:15:00.000+07:00', messageId: '1a2b', sender: '081298760001', simNumber: 1, phoneNumber: '081298760001' }));
    expect(res.status).toBe(200);
    const jobs = await jobsOf('+6281298760001');
    expect(jobs).toHaveLength(1);
    expect(jobs[0]?.data).toMatchObject({ channel: 'sms', text: 'Jalan <rusak> di Jl. Wates km 3 = bahaya', receivedAt: '2026-03-04T03:15:00.000Z', meta: { eventId: 'ev-1', gateway: 'capcom6' } });
  });

  it('is idempotent on the event id and on re-emitted copies of the same SMS', async () => {
    const payload = { message: 'Sampah belum diangkut di Jl. Magelang', receivedAt: '2026-03-04T11:00:00.000+07:00', sender: '+6281298760002' };
    expect((await post(envelope('ev-2', payload))).status).toBe(200);
    expect((await post(envelope('ev-2', payload))).status).toBe(200);
    expect((await post(envelope('ev-2-reemitted', payload))).status).toBe(200);
    expect(await jobsOf('+6281298760002')).toHaveLength(1);
  });

  it('folds panic repeats with new receivedAt into one message', async () => {
    for (const [i, at] of ['12:00:00', '12:00:03', '12:00:07'].entries()) {
      expect((await post(envelope(`ev-3-${i}`, { message: 'TOLONG ada kebakaran di Jl. Kaliurang', receivedAt: `2026-03-04T${at}.000+07:00`, sender: '+6281298760003' }))).status).toBe(200);
    }
    expect(await jobsOf('+6281298760003')).toHaveLength(1);
  });

  it('rejects unsigned, wrongly signed and stale requests with 403 and quarantines them', async () => {
    const body = envelope('ev-4', { message: 'x', sender: '+6281298760004' });
    const before = quarantined(h, ID).length;
    expect((await post(body, { sig: null })).status).toBe(403);
    expect((await post(body, { key: 'wrong' })).status).toBe(403);
    expect((await post(body, { ts: Math.floor(Date.now() / 1000) - 3600 })).status).toBe(403);
    expect(await jobsOf('+6281298760004')).toHaveLength(0);
    expect(quarantined(h, ID).slice(before).map((r) => r.code)).toEqual(['SMS.SIGNATURE_INVALID', 'SMS.SIGNATURE_INVALID', 'SMS.SIGNATURE_INVALID']);
  });

  it('unsigned junk from anyone: 403 always, but no body stored and only a few rows per address and minute', async () => {
    const before = quarantined(h, ID).length;
    const junk = `{"citizen":"+6281298769999","message":"${'x'.repeat(60_000)}"}`;
    for (let round = 0; round < 5; round++) {
      const answers = await Promise.all(Array.from({ length: 20 }, () => post(junk, { sig: null })));
      expect(answers.map((r) => r.status)).toEqual(Array(20).fill(403));
    }
    const rows = quarantined(h, ID).slice(before);
    // a minute boundary may fall inside the burst: at most two minutes' worth from this address, of 100
    expect(rows.length).toBeGreaterThan(0);
    expect(rows.length).toBeLessThanOrEqual(10); // 2 × SIGNATURE_REJECTS_PER_IP_MINUTE
    for (const r of rows) {
      expect(r.code).toBe('SMS.SIGNATURE_INVALID');
      expect(JSON.parse(r.payload ?? '')).toEqual({ sha256: createHash('sha256').update(junk).digest('hex'), size: Buffer.byteLength(junk), ip: expect.any(String) });
    }
  });

  it('quarantines signed garbage and empty texts, ignores other events, never crashes', async () => {
    const before = quarantined(h, ID).length;
    expect((await post('{not json')).status).toBe(200);
    expect((await post(envelope('ev-5', { message: '   ', sender: '+6281298760005' }))).status).toBe(200);
    expect((await post(envelope('ev-6', { text: 'no message field' }))).status).toBe(200);
    expect((await post(envelope('ev-7', { message: 'x'.repeat(20_000), sender: '+6281298760005' }))).status).toBe(200);
    expect((await post(envelope('ev-8', { message: 'sent' }, 'sms:sent'))).status).toBe(200);
    expect((await post(envelope('ev-10', { message: 'x'.repeat(100_000), sender: '+6281298760005' }))).status).toBe(413);
    expect(quarantined(h, ID).slice(before).map((r) => r.code)).toEqual(['SMS.BAD_PAYLOAD', 'SMS.EMPTY', 'SMS.BAD_PAYLOAD', 'SMS.TOO_LONG']);
    expect(await jobsOf('+6281298760005')).toHaveLength(0);
  });

  it('answers 503 while Redis is down (the app retries), then 200 once it is back', async () => {
    const body = envelope('ev-9', { message: 'Lampu jalan mati di Jl. Solo', receivedAt: '2026-03-04T13:00:00.000+07:00', sender: '+6281298760009' });
    await h.redis.stop();
    try {
      expect((await post(body)).status).toBe(503);
    } finally {
      await h.redis.restart();
    }
    await waitFor(async () => (await post(body)).status === 200, 15_000, 300);
    expect(await jobsOf('+6281298760009')).toHaveLength(1);
  });

  it('sends replies through the gateway API with basic auth, retrying 5xx', async () => {
    fake.failNext = [503];
    await pushReply(h, ID, { outboxId: 'ob-and-1', caseNumber: 'ADU-2026-000123', to: { phone: '+6281298760001' }, text: 'Aduan Anda diterima. Nomor: ADU-2026-000123.' });
    await waitFor(() => fake.calls.filter((c) => c.path === '/message').length === 2, 10_000);
    const last = fake.calls.filter((c) => c.path === '/message').at(-1)!;
    expect(last.auth).toBe(`Basic ${Buffer.from('sms:rahasia').toString('base64')}`);
    expect(JSON.parse(last.body)).toEqual({ id: 'ob-and-1', textMessage: { text: 'Aduan Anda diterima. Nomor: ADU-2026-000123.' }, phoneNumbers: ['+6281298760001'] });
  });

  it('a 429 or 503 with Retry-After (seconds or an HTTP date): the next attempt waits as long as the gateway asks, not the queue\'s 5 s', async () => {
    const sends = () => fake.calls.filter((c) => c.path === '/message' && c.body.includes('6281298760027')).length;
    await expectRetryAfterHonoured(h, ID, fake, { idPrefix: 'ob-and-wait', caseNumber: 'ADU-2026-000127', phone: '+6281298760027' }, sends, OUTBOUND_JOB_OPTIONS);
  });

  it('a reply the phone took and then failed to send (sms:failed) is marked dead with the reason, not left "sent"', async () => {
    const { outbox } = await import('../../core/db/schema.ts');
    const { insertOutbox, getOutbox, setOutboxStatus } = await import('../../core/repo/outbox.repo.ts');
    const { outboundQueueName } = await import('../../core/queue.ts');
    const { capcomMessageId } = await import('../../connectors/android-sms-gateway/capcom.client.ts');
    const now = new Date().toISOString();
    for (const [id, queue] of [['ADU-2026-000124.result-2', outboundQueueName(ID)], ['ADU-2026-000125.result-2', outboundQueueName('sms-other')]] as const) {
      insertOutbox(h.db, { id, caseId: null, kind: 'channel', queue, payload: {}, now });
      setOutboxStatus(h.db, id, 'sent', now);
    }
    const failed = (outboxId: string, n: number) => post(envelope(`ev-failed-${n}`, { messageId: capcomMessageId(outboxId), phoneNumber: '+6281298760002', reason: 'RESULT_ERROR_NO_SERVICE' }, 'sms:failed'));
    expect(capcomMessageId('ADU-2026-000124.result-2')).toBe('ADU-2026-000124_result-2');
    expect((await failed('ADU-2026-000124.result-2', 1)).status).toBe(200);
    expect(getOutbox(h.db, 'ADU-2026-000124.result-2')).toMatchObject({ status: 'dead', lastError: 'Android SMS gateway: sms:failed (RESULT_ERROR_NO_SERVICE)' });
    // another channel's reply is not this gateway's to mark
    expect((await failed('ADU-2026-000125.result-2', 2)).status).toBe(200);
    expect(getOutbox(h.db, 'ADU-2026-000125.result-2')!.status).toBe('sent');
    h.db.delete(outbox).run();
  });

  it('with an 8-letter casePrefix, a reply whose id is over 36 characters goes with an id the phone keeps whole, and its sms:failed marks it', async () => {
    const { outbox } = await import('../../core/db/schema.ts');
    const { insertOutbox, getOutbox } = await import('../../core/repo/outbox.repo.ts');
    const { outboundQueueName } = await import('../../core/queue.ts');
    const { capcomMessageId } = await import('../../connectors/android-sms-gateway/capcom.client.ts');
    expect(h.config.instance.casePrefix).toBe('DPRDKOTA');
    const now = new Date().toISOString();
    // `<number>.noted-<ms>` is 40 characters, an acknowledgement 37; two notes of one case differ only at the end
    const ids = ['DPRDKOTA-2026-000126.noted-1719046000000', 'DPRDKOTA-2026-000126.noted-1719046000001', 'DPRDKOTA-2026-000126.ack-0123456789ab'];
    const sentIds: string[] = [];
    for (const [i, id] of ids.entries()) {
      insertOutbox(h.db, { id, caseId: null, kind: 'channel', queue: outboundQueueName(ID), payload: {}, now });
      const before = fake.calls.filter((c) => c.path === '/message').length;
      await pushReply(h, ID, { outboxId: id, caseNumber: 'DPRDKOTA-2026-000126', to: { phone: '+6281298760026' }, text: `Pesan ${i + 1}` });
      await waitFor(() => fake.calls.filter((c) => c.path === '/message').length === before + 1 && getOutbox(h.db, id)?.status === 'sent', 10_000);
      const sentId = String(JSON.parse(fake.calls.filter((c) => c.path === '/message').at(-1)!.body).id);
      expect(sentId.length).toBeLessThanOrEqual(36);
      expect(sentId).toMatch(/^[A-Za-z0-9_-]+$/);
      // (the same reply always gets the same id: a retried request is known to the app)
      expect(capcomMessageId(id)).toBe(sentId);
      sentIds.push(sentId);
    }
    expect(new Set(sentIds).size).toBe(ids.length);
    // the phone could not send the second note: that one, and only that one, is marked
    expect((await post(envelope('ev-failed-long-1', { messageId: sentIds[1], phoneNumber: '+6281298760026', reason: 'RESULT_ERROR_NO_SERVICE' }, 'sms:failed'))).status).toBe(200);
    expect(ids.map((id) => getOutbox(h.db, id)!.status)).toEqual(['sent', 'dead', 'sent']);
    expect(getOutbox(h.db, ids[1]!)!.lastError).toBe('Android SMS gateway: sms:failed (RESULT_ERROR_NO_SERVICE)');
    // a reply an older version sent cut at 36 characters is found too, when it is the only one so begun
    expect((await post(envelope('ev-failed-long-2', { messageId: 'DPRDKOTA-2026-000126_ack-0123456789a', phoneNumber: '+6281298760026' }, 'sms:failed'))).status).toBe(200);
    expect(getOutbox(h.db, ids[2]!)!.status).toBe('dead');
    h.db.delete(outbox).run();
  });
});
