// A WhatsApp reply Twilio reports failed (63016: more than 24 hours after the citizen last wrote) still
// reaches the citizen: the approved template, then the full text once they write again; or SMS. End to
// end: signed webhooks and status callbacks, real Redis and intake, the fake Twilio REST server.
import twilio from 'twilio';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getOutbox } from '../../core/repo/outbox.repo.ts';
import { startHarness, type Harness } from '../helpers/harness.ts';
import { freePort, waitFor } from '../helpers/ports.ts';
import { FakeProvider } from './fake-provider.ts';

const ACCOUNT = `AC${'2'.repeat(32)}`;
const TOKEN = 'test-auth-token-fallback';
const TEMPLATE = `HX${'a'.repeat(32)}`;
const SMS_FROM = '+6281100000099';
const WA = { id: 'wa-twilio', publicUrl: 'https://aduan.dprd.example.id/webhooks/wa', from: 'whatsapp:+6281100000001' };
const PLAIN = { id: 'wa-plain', publicUrl: 'https://aduan.dprd.example.id/webhooks/wa-plain', from: 'whatsapp:+6281100000002' };
const sid = (n: number) => `SM${String(n).padStart(32, '0')}`;

let h: Harness;
let fake: FakeProvider;
const local: Record<string, string> = {};
let n = 0;

beforeAll(async () => {
  fake = await new FakeProvider().start();
  const channels = [];
  for (const c of [WA, PLAIN]) {
    const port = await freePort();
    local[c.id] = `http://127.0.0.1:${port}/sms/twilio`;
    channels.push({
      id: c.id, type: 'twilio', listen: { host: '127.0.0.1', port }, path: '/sms/twilio', publicUrl: c.publicUrl, accountSid: ACCOUNT, authToken: TOKEN, from: c.from, apiBaseUrl: fake.url,
      ...(c === WA ? { smsFallbackFrom: SMS_FROM, whatsapp: { resultTemplateSid: TEMPLATE } } : {}),
    });
  }
  h = await startHarness({ channels });
  await h.startConnector(WA.id);
  await h.startConnector(PLAIN.id);
  h.startIntake();
});
afterAll(async () => {
  await h?.stop();
  await fake?.stop();
});

/** POST signed by Twilio's rule over `signedAs` (the public URL it was given). */
const post = (channel: typeof WA, params: Record<string, string>, query = '') =>
  fetch(`${local[channel.id]}${query}`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-twilio-signature': twilio.getExpectedTwilioSignature(TOKEN, `${channel.publicUrl}${query}`, params) },
    body: new URLSearchParams(params).toString(),
  });
/** Twilio's status callback on the reply `outboxId`: failed or undelivered with `code`. */
const callback = (channel: typeof WA, outboxId: string, phone: string, code: string, status = 'undelivered') =>
  post(channel, { MessageSid: sid(++n), MessageStatus: status, SmsStatus: status, ErrorCode: code, AccountSid: ACCOUNT, To: `whatsapp:${phone}`, From: channel.from, ChannelPrefix: 'whatsapp', ApiVersion: '2010-04-01' }, `?outboxId=${encodeURIComponent(outboxId)}`);
/** What the fake Twilio was asked to send to `to` (whatsapp:+62… or +62…). */
const sentTo = (to: string) => fake.calls.filter((c) => c.path.endsWith('/Messages.json')).map((c) => Object.fromEntries(new URLSearchParams(c.body))).filter((p) => p['To'] === to);

describe('a failure reported while a long reply is still going out', () => {
  it('stands: the sender finishing the later parts does not mark the reply sent over it', async () => {
    const { insertOutbox } = await import('../../core/repo/outbox.repo.ts');
    const { outboundQueueName } = await import('../../core/queue.ts');
    const phone = '+6281377770074';
    const text = [1, 2].map((i) => `Bagian ${i}: ${'Dinas Pekerjaan Umum telah meninjau lokasi dan menjadwalkan perbaikan jembatan. '.repeat(15).trim()}`).join('\n\n');
    const outboxId = 'ADU-2026-000199.result-3';
    let release!: () => void;
    fake.holdSends = [undefined, new Promise<void>((r) => { release = r; })];
    insertOutbox(h.db, { id: outboxId, caseId: null, kind: 'channel', queue: outboundQueueName(PLAIN.id), payload: { outboxId, caseNumber: 'ADU-2026-000199', to: { phone }, text, inReplyTo: { externalId: sid(999), meta: { twilioChannel: 'whatsapp' } } }, now: new Date().toISOString() });
    // the first part went, the second is on its way when Twilio reports the first undelivered
    await waitFor(() => sentTo(`whatsapp:${phone}`).length === 2, 15_000);
    expect((await callback(PLAIN, outboxId, phone, '63016')).status).toBe(200);
    expect(getOutbox(h.db, outboxId)?.status).toBe('dead');
    release();
    const { Queue } = await import('bullmq');
    const url = new URL(h.redis.url);
    const q = new Queue(outboundQueueName(PLAIN.id), { connection: { host: url.hostname, port: Number(url.port) }, prefix: h.config.redis.prefix });
    try {
      await waitFor(async () => (await q.getJob(outboxId))?.finishedOn !== undefined, 15_000);
    } finally {
      await q.close();
    }
    expect(getOutbox(h.db, outboxId)).toMatchObject({ status: 'dead', lastError: expect.stringContaining('63016') });
  }, 60_000);
});
