import { readdirSync } from 'node:fs';
import path from 'node:path';
import { Queue } from 'bullmq';
import twilio from 'twilio';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseFormBody, signedUrl, splitTwilioBody, twilioBodies, verifyTwilioSignature } from '../../connectors/twilio/twilio.params.ts';
import { OUTBOUND_JOB_OPTIONS, outboundQueueName } from '../../core/queue.ts';
import { gsm7Length } from '../../core/templates.ts';
import { Storage } from '../../core/storage.ts';
import { startHarness, type Harness } from '../helpers/harness.ts';
import { freePort, waitFor } from '../helpers/ports.ts';
import { FakeProvider } from './fake-provider.ts';
import { allJobs, expectRetryAfterHonoured, intakeQueue, promoteDelayed, pushReply, quarantined } from './sms.helpers.ts';

const ID = 'sms-twilio';
const ACCOUNT = `AC${'1'.repeat(32)}`;
const TOKEN = 'test-auth-token-0123456789';
const PUBLIC = 'https://aduan.dprd.example.id/webhooks/twilio';
const sid = (n: number, prefix = 'SM') => `${prefix}${String(n).padStart(32, '0')}`;

describe('twilio signature helpers', () => {
  it('validates the canonical Twilio example and rejects a tampered body', () => {
    const params = { CallSid: 'CA1234567890ABCDE', Caller: '+14158675309', Digits: '1234', From: '+14158675309', To: '+18005551212' };
    const url = 'https://mycompany.com/myapp.php?foo=1&bar=2';
    expect(verifyTwilioSignature({ authTokens: ['12345'], signature: 'RSOYDt4T1cUTdK1PDd93/VVr8B8=', url, params })).toBe(true);
    expect(verifyTwilioSignature({ authTokens: ['old', '12345'], signature: 'RSOYDt4T1cUTdK1PDd93/VVr8B8=', url, params })).toBe(true);
    expect(verifyTwilioSignature({ authTokens: ['12345'], signature: 'RSOYDt4T1cUTdK1PDd93/VVr8B8=', url, params: { ...params, Digits: '1235' } })).toBe(false);
    expect(verifyTwilioSignature({ authTokens: ['12345'], signature: undefined, url, params })).toBe(false);
  });
  it('keeps blank values and repeated keys; appends the request query to the public URL', () => {
    expect(parseFormBody('ToState=&A=1&A=2&Body=Ol%C3%A1+x')).toEqual({ ToState: '', A: ['1', '2'], Body: 'Olá x' });
    expect(signedUrl('https://x.test/h', '/local/h?a=1')).toBe('https://x.test/h?a=1');
    expect(signedUrl('https://x.test/h?b=2', '/local/h?a=1')).toBe('https://x.test/h?b=2');
    expect(signedUrl('https://x.test/h#rc=3', '/local/h?a=1')).toBe('https://x.test/h?a=1#rc=3');
  });
  it('accepts a signature over the public URL with or without a connection-override fragment', () => {
    const params = { Body: 'x', MessageSid: 'SM1' };
    const withFrag = 'https://x.test/h#ct=3000&rc=3';
    const sigNoFrag = twilio.getExpectedTwilioSignature('tok', 'https://x.test/h', params);
    const sigFrag = twilio.getExpectedTwilioSignature('tok', withFrag, params);
    expect(verifyTwilioSignature({ authTokens: ['tok'], signature: sigNoFrag, url: withFrag, params })).toBe(true);
    expect(verifyTwilioSignature({ authTokens: ['tok'], signature: sigFrag, url: withFrag, params })).toBe(true);
  });
});

describe('long Twilio replies', () => {
  it('splits at spaces, or hard-cuts one over-long word without breaking an emoji; short texts stay whole', () => {
    expect(splitTwilioBody('Terima kasih.')).toEqual(['Terima kasih.']);
    const words = Array.from({ length: 500 }, (_, i) => `kata${i}`).join(' ');
    const parts = splitTwilioBody(words);
    expect(parts.every((p) => p.length <= 1600)).toBe(true);
    expect(parts.join(' ')).toBe(words);
    const blob = `${'a'.repeat(1599)}😀${'b'.repeat(2000)}`;
    const cut = splitTwilioBody(blob);
    expect(cut.every((p) => p.length <= 1600)).toBe(true);
    expect(cut.join('')).toBe(blob);
    expect(cut[1]?.startsWith('😀')).toBe(true);
  });
  it('by SMS the text is GSM-7 before it is split (the parts as sent); on WhatsApp it goes as written', () => {
    const text = `${'Sudah \u201cselesai\u201d\u2026 '.repeat(100).trim()}\n\nBalas PUAS bila Anda puas.`;
    const sms = twilioBodies(text, false);
    expect(sms.join(' ')).not.toMatch(/[\u201c\u201d\u2026]/);
    expect(sms.every((p) => p.length <= 1600)).toBe(true);
    expect(sms.join(' ').replace(/\s+/g, ' ')).toBe(text.replaceAll('\u2026', '...').replace(/[\u201c\u201d]/g, '"').replace(/\s+/g, ' '));
    expect(twilioBodies(text, true)).toEqual(splitTwilioBody(text));
  });
});

describe('twilio connector (signed webhooks, real Redis, fake Twilio REST + media)', () => {
  let h: Harness;
  let q: Queue;
  let fake: FakeProvider;
  let local = '';

  const form = (p: Record<string, string>) => new URLSearchParams(p).toString();
  const post = async (params: Record<string, string>, opts: { sign?: 'public' | 'local' | 'none' } = {}) => {
    const body = form(params);
    const headers: Record<string, string> = { 'content-type': 'application/x-www-form-urlencoded' };
    const mode = opts.sign ?? 'public';
    if (mode !== 'none') headers['x-twilio-signature'] = twilio.getExpectedTwilioSignature(TOKEN, mode === 'public' ? PUBLIC : local, params);
    return fetch(local, { method: 'POST', headers, body });
  };
  const sms = (n: number, from: string, body: string, extra: Record<string, string> = {}) => ({
    ToCountry: 'ID', ToState: '', SmsMessageSid: sid(n), NumMedia: '0', ToCity: '', FromZip: '', SmsSid: sid(n), FromState: '', SmsStatus: 'received',
    FromCity: '', Body: body, FromCountry: 'ID', To: '+6281100000000', ToZip: '', NumSegments: '1', ReferralNumMedia: '0', MessageSid: sid(n), AccountSid: ACCOUNT, From: from, ApiVersion: '2010-04-01', ...extra,
  });
  const logLines: { level: number; msg: string }[] = [];
  const jobsOf = async (phone: string) => (await allJobs(q)).filter((j) => j.data.connectorId === ID && j.data.sender?.phone === phone);
  const spoolDir = () => path.join(h.config.storage.dir, 'spool', ID);
  const spooled = () => readdirSync(spoolDir()).filter((f) => f.endsWith('.json') && !f.startsWith('.'));

  beforeAll(async () => {
    fake = await new FakeProvider().start();
    const port = await freePort();
    local = `http://127.0.0.1:${port}/sms/twilio`;
    h = await startHarness({
      channels: [{ id: ID, type: 'twilio', listen: { host: '127.0.0.1', port }, path: '/sms/twilio', publicUrl: PUBLIC, accountSid: ACCOUNT, authToken: TOKEN, from: '+6281100000000', apiBaseUrl: fake.url, spoolRetryMs: 200 }],
    }, { logs: { write: (line: string) => void logLines.push(JSON.parse(line) as { level: number; msg: string }) } });
    q = intakeQueue(h);
    await h.startConnector(ID);
  });
  afterAll(async () => {
    await q?.close();
    await h?.stop();
    await fake?.stop();
  });

  it('queues a signed SMS (validated against publicUrl) and answers an empty TwiML', async () => {
    const res = await post(sms(1, '+6281377770001', 'Jalan berlubang di Jl. Kaliurang km 5'));
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/xml/);
    expect(await res.text()).toBe('<?xml version="1.0" encoding="UTF-8"?><Response/>');
    const jobs = await jobsOf('+6281377770001');
    expect(jobs).toHaveLength(1);
    expect(jobs[0]?.data).toMatchObject({ channel: 'sms', externalId: sid(1), text: 'Jalan berlubang di Jl. Kaliurang km 5', meta: { messageSid: sid(1) } });
  });

  it('maps whatsapp: senders to channel whatsapp with the profile name', async () => {
    expect((await post(sms(2, 'whatsapp:+6281377770002', 'Halo, saluran air mampet', { ProfileName: 'Sri', WaId: '6281377770002', To: 'whatsapp:+6281100000000' }))).status).toBe(200);
    expect((await jobsOf('+6281377770002'))[0]?.data).toMatchObject({ channel: 'whatsapp', sender: { phone: '+6281377770002', name: 'Sri' } });
  });

  it('is idempotent on MessageSid', async () => {
    const p = sms(3, '+6281377770003', 'Pohon tumbang');
    await post(p);
    await post(p);
    expect(await jobsOf('+6281377770003')).toHaveLength(1);
  });

  it('folds panic repeats (new MessageSids, same text, seconds apart) into one message', async () => {
    for (const n of [40, 41, 42]) await post(sms(n, '+6281377770004', 'TOLONG banjir di Jl. Wonosari'));
    const jobs = await jobsOf('+6281377770004');
    expect(jobs).toHaveLength(1);
    expect(jobs[0]?.data.externalId).toBe(sid(40));
  });

  it('fails closed: unsigned or signed-for-the-local-URL requests get 403 and are quarantined', async () => {
    const before = quarantined(h, ID).length;
    expect((await post(sms(5, '+6281377770005', 'x'), { sign: 'none' })).status).toBe(403);
    expect((await post(sms(6, '+6281377770005', 'x'), { sign: 'local' })).status).toBe(403);
    expect(await jobsOf('+6281377770005')).toHaveLength(0);
    expect(quarantined(h, ID).slice(before).map((r) => r.code)).toEqual(['SMS.SIGNATURE_INVALID', 'SMS.SIGNATURE_INVALID']);
  });

  it('ignores status callbacks and quarantines unusable messages without failing the webhook', async () => {
    const before = quarantined(h, ID).length;
    expect((await post({ MessageSid: sid(7), MessageStatus: 'delivered', SmsStatus: 'delivered', AccountSid: ACCOUNT, From: '+6281100000000', To: '+6281377770007' })).status).toBe(200);
    expect((await post(sms(8, 'PROMO', 'Diskon!'))).status).toBe(200);
    expect((await post(sms(9, '+6281377770009', '   '))).status).toBe(200);
    expect((await post({ ...sms(10, '+6281377770009', 'no sid'), MessageSid: 'garbage', SmsSid: 'x', SmsMessageSid: 'y' })).status).toBe(200);
    expect((await post(sms(13, '+6281377770009', 'y'.repeat(100_000)))).status).toBe(413);
    // only POST on the configured path reaches the handler; a chunked body without a length is still capped
    expect((await fetch(local)).status).toBe(405);
    expect((await fetch(local.replace('/sms/twilio', '/sms/other'), { method: 'POST', body: 'x' })).status).toBe(404);
    const chunked = new ReadableStream({ start(c) { for (let i = 0; i < 30; i++) c.enqueue(new TextEncoder().encode('Body='.padEnd(4096, 'y'))); c.close(); } });
    expect((await fetch(local, { method: 'POST', body: chunked, duplex: 'half' } as RequestInit)).status).toBe(413);
    expect(quarantined(h, ID).slice(before).map((r) => r.code)).toEqual(['SMS.SENDER_NOT_PHONE', 'SMS.EMPTY', 'SMS.BAD_PAYLOAD']);
    expect(await jobsOf('+6281377770007')).toHaveLength(0);
  });

  it('downloads media with basic auth (following the CDN redirect) into storage, withholding refused types', async () => {
    const jpeg = Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0]), Buffer.alloc(2000, 7)]);
    const base = `/2010-04-01/Accounts/${ACCOUNT}/Messages/${sid(11, 'MM')}/Media`;
    fake.media.set(`${base}/ME1`, { type: 'image/jpeg', body: jpeg, redirect: `${fake.url}/cdn${base}/ME1` });
    fake.media.set(`${base}/ME2`, { type: 'application/x-msdownload', body: Buffer.from('MZ') });
    const params = { ...sms(11, '+6281377770011', ''), MessageSid: sid(11, 'MM'), NumMedia: '2', MediaContentType1: 'application/x-msdownload', MediaUrl1: `${fake.url}${base}/ME2`, MediaUrl0: `${fake.url}${base}/ME1`, MediaContentType0: 'image/jpeg' };
    const res = await post(params);
    expect(res.status).toBe(200);
    await waitFor(async () => (await jobsOf('+6281377770011')).length === 1, 10_000);
    const job = (await jobsOf('+6281377770011'))[0]!;
    expect(job.data.text).toBe('');
    const [img, exe] = job.data.attachments as { sha256?: string; withheld?: string; size: number; contentType: string }[];
    expect(img).toMatchObject({ contentType: 'image/jpeg', size: jpeg.length, filename: 'media-0.jpg' });
    expect(new Storage(h.config.storage.dir).get(img!.sha256!)).toEqual(jpeg);
    expect(exe).toMatchObject({ withheld: 'jenis berkas tidak diizinkan (application/x-msdownload)' });
    const mediaCall = fake.calls.find((c) => c.path === `${base}/ME1`)!;
    expect(mediaCall.auth).toBe(`Basic ${Buffer.from(`${ACCOUNT}:${TOKEN}`).toString('base64')}`);
    await waitFor(() => spooled().length === 0);
  });

  it('two different photos with the same caption from one citizen are two messages; the same photo re-sent is a repeat', async () => {
    const photo = (n: number, body: Buffer) => {
      const base = `/2010-04-01/Accounts/${ACCOUNT}/Messages/${sid(n, 'MM')}/Media`;
      fake.media.set(`${base}/ME1`, { type: 'image/jpeg', body });
      return { ...sms(n, '+6281377770014', 'ini fotonya pak'), MessageSid: sid(n, 'MM'), NumMedia: '1', MediaContentType0: 'image/jpeg', MediaUrl0: `${fake.url}${base}/ME1` };
    };
    const a = Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0]), Buffer.alloc(500, 1)]);
    const b = Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0]), Buffer.alloc(500, 2)]);
    expect((await post(photo(61, a))).status).toBe(200);
    await waitFor(async () => (await jobsOf('+6281377770014')).length === 1, 10_000);
    expect((await post(photo(62, b))).status).toBe(200);
    await waitFor(async () => (await jobsOf('+6281377770014')).length === 2, 10_000);
    expect((await post(photo(63, a))).status).toBe(200); // panic: the first photo again
    await waitFor(() => spooled().length === 0);
    const jobs = await jobsOf('+6281377770014');
    expect(jobs.map((j) => j.data.externalId).sort()).toEqual([sid(61, 'MM'), sid(62, 'MM')]);
  });

  it('a photo spooled while another is still downloading is queued as soon as the first is done', async () => {
    const mediaOf = (n: number) => `/2010-04-01/Accounts/${ACCOUNT}/Messages/${sid(n, 'MM')}/Media/ME1`;
    const jpeg = Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0]), Buffer.alloc(300, 3)]);
    let release!: () => void;
    fake.media.set(mediaOf(71), { type: 'image/jpeg', body: jpeg, hold: new Promise<void>((r) => { release = r; }) });
    fake.media.set(mediaOf(72), { type: 'image/jpeg', body: Buffer.concat([jpeg, Buffer.from([4])]) });
    const mms = (n: number, from: string, body: string) => ({ ...sms(n, from, body), MessageSid: sid(n, 'MM'), NumMedia: '1', MediaContentType0: 'image/jpeg', MediaUrl0: `${fake.url}${mediaOf(n)}` });
    expect((await post(mms(71, '+6281377770071', 'Foto jalan rusak'))).status).toBe(200);
    await waitFor(() => fake.calls.some((c) => c.path === mediaOf(71))); // the drain is busy downloading photo A
    expect((await post(mms(72, '+6281377770072', 'Foto sampah di Kali Code'))).status).toBe(200);
    release();
    await waitFor(async () => (await jobsOf('+6281377770071')).length === 1 && (await jobsOf('+6281377770072')).length === 1, 10_000);
    await waitFor(() => spooled().length === 0);
  });

  it('Redis down during the webhook: answers TwiML, spools the request, queues it once Redis is back', async () => {
    await h.redis.stop();
    let res: Response;
    try {
      res = await post(sms(12, '+6281377770012', 'Lampu merah mati di perempatan Tugu'));
      expect(res.status).toBe(200);
      expect(await res.text()).toContain('<Response/>');
      expect(spooled()).toHaveLength(1);
    } finally {
      await h.redis.restart();
    }
    await waitFor(async () => (await jobsOf('+6281377770012')).length === 1, 15_000);
    await waitFor(() => spooled().length === 0);
    expect((await jobsOf('+6281377770012'))[0]?.data.externalId).toBe(sid(12));
  });

  it('sends replies through the Twilio REST client (fake API), permanent 4xx not retried', async () => {
    await pushReply(h, ID, { outboxId: 'ob-tw-1', caseNumber: 'ADU-2026-000123', to: { phone: '+6281377770001' }, text: 'Aduan Anda diterima. Nomor: ADU-2026-000123.' });
    await waitFor(() => fake.calls.some((c) => c.path.endsWith('/Messages.json')), 10_000);
    const call = fake.calls.find((c) => c.path.endsWith('/Messages.json'))!;
    expect(call.path).toBe(`/2010-04-01/Accounts/${ACCOUNT}/Messages.json`);
    expect(call.auth).toBe(`Basic ${Buffer.from(`${ACCOUNT}:${TOKEN}`).toString('base64')}`);
    expect(Object.fromEntries(new URLSearchParams(call.body))).toMatchObject({ To: '+6281377770001', From: '+6281100000000', Body: 'Aduan Anda diterima. Nomor: ADU-2026-000123.' });

    fake.failNext = [400];
    const before = fake.calls.filter((c) => c.path.endsWith('/Messages.json')).length;
    await pushReply(h, ID, { outboxId: 'ob-tw-2', caseNumber: null, to: { phone: '+6281377770003' }, text: 'Terima kasih.' });
    await waitFor(() => fake.calls.filter((c) => c.path.endsWith('/Messages.json')).length === before + 1);
    await new Promise((r) => setTimeout(r, 500));
    expect(fake.calls.filter((c) => c.path.endsWith('/Messages.json')).length).toBe(before + 1);
  });

  it('a 429 or 503 with Retry-After (seconds or an HTTP date): the next attempt waits as long as Twilio asks, not the queue\'s 5 s', async () => {
    const sends = () => fake.calls.filter((c) => c.path.endsWith('/Messages.json') && c.body.includes('6281377770031')).length;
    await expectRetryAfterHonoured(h, ID, fake, { idPrefix: 'ob-tw-wait', caseNumber: 'ADU-2026-000131', phone: '+6281377770031' }, sends, OUTBOUND_JOB_OPTIONS);
    // a 503 without Retry-After: the queue's own backoff, as before
    fake.failNext = [503];
    await pushReply(h, ID, { outboxId: 'ob-tw-wait-3', caseNumber: 'ADU-2026-000131', to: { phone: '+6281377770031' }, text: 'Pesan ketiga.' }, OUTBOUND_JOB_OPTIONS);
    expect(await promoteDelayed(h, ID, 'ob-tw-wait-3')).toBe(5_000);
    await waitFor(() => sends() === 6);
  });

  it('a reply Twilio took and then could not deliver (WhatsApp after 24 hours: 63016) is marked dead with the reason, not left "sent"', async () => {
    const { insertOutbox, getOutbox, setOutboxStatus } = await import('../../core/repo/outbox.repo.ts');
    const { outboundQueueName } = await import('../../core/queue.ts');
    const outboxId = 'ADU-2026-000130.result-2';
    const now = new Date().toISOString();
    insertOutbox(h.db, { id: outboxId, caseId: null, kind: 'channel', queue: outboundQueueName(ID), payload: {}, now });
    await pushReply(h, ID, { outboxId, caseNumber: 'ADU-2026-000130', to: { phone: '+6281377770030' }, text: 'Hasil tindak lanjut aduan ADU-2026-000130: jalan sudah ditambal.' });
    await waitFor(() => fake.calls.some((c) => c.path.endsWith('/Messages.json') && c.body.includes('6281377770030')), 10_000);
    const sent = Object.fromEntries(new URLSearchParams(fake.calls.find((c) => c.body.includes('6281377770030'))!.body));
    expect(sent['StatusCallback']).toBe(`${PUBLIC}?outboxId=${encodeURIComponent(outboxId)}`);
    await waitFor(() => getOutbox(h.db, outboxId)?.status === 'sent');
    // Twilio reports, later, to the callback it was given (signed over that URL, as always)
    const params = { MessageSid: sid(130), MessageStatus: 'undelivered', ErrorCode: '63016', AccountSid: ACCOUNT, To: 'whatsapp:+6281377770030', From: 'whatsapp:+6281100000000', ApiVersion: '2010-04-01' };
    const callback = await fetch(`${local}?outboxId=${encodeURIComponent(outboxId)}`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-twilio-signature': twilio.getExpectedTwilioSignature(TOKEN, sent['StatusCallback']!, params) }, body: form(params) });
    expect(callback.status).toBe(200);
    expect(getOutbox(h.db, outboxId)).toMatchObject({ status: 'dead', lastError: expect.stringContaining('Twilio undelivered (63016') });
    // a delivered one changes nothing
    setOutboxStatus(h.db, outboxId, 'sent', now);
    const ok = { ...params, MessageStatus: 'delivered', ErrorCode: '' };
    await fetch(`${local}?outboxId=${encodeURIComponent(outboxId)}`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-twilio-signature': twilio.getExpectedTwilioSignature(TOKEN, sent['StatusCallback']!, ok) }, body: form(ok) });
    expect(getOutbox(h.db, outboxId)!.status).toBe('sent');
  });

  it('a reply over 1600 characters goes as several messages, in order, split between paragraphs; a retry sends only the parts not yet sent', async () => {
    const para = (n: number) => `Paragraf ${n}: ${'Dinas Pekerjaan Umum telah meninjau lokasi dan menjadwalkan perbaikan jalan. '.repeat(8).trim()}`;
    const text = [1, 2, 3, 4, 5, 6].map(para).join('\n\n');
    expect(text.length).toBeGreaterThan(3200);
    const sends = () => fake.calls.filter((c) => c.path.endsWith('/Messages.json') && c.body.includes('6281377770015'));
    fake.failNext = [0, 503]; // the second part fails once: the job is retried
    await pushReply(h, ID, { outboxId: 'ob-tw-long', caseNumber: 'ADU-2026-000124', to: { phone: '+6281377770015' }, text });
    const url = new URL(h.redis.url);
    const out = new Queue(outboundQueueName(ID), { connection: { host: url.hostname, port: Number(url.port) }, prefix: h.config.redis.prefix });
    try {
      await waitFor(async () => (await out.getJob('ob-tw-long'))?.finishedOn !== undefined, 10_000);
      expect(await (await out.getJob('ob-tw-long'))?.getState()).toBe('completed');
    } finally {
      await out.close();
    }
    const bodies = sends().map((c) => new URLSearchParams(c.body).get('Body') ?? '');
    // 3 parts, the second tried twice; nothing sent twice that went through
    expect(bodies).toHaveLength(4);
    expect(bodies[1]).toBe(bodies[2]);
    const delivered = [bodies[0], bodies[2], bodies[3]] as string[];
    for (const b of delivered) expect(b.length).toBeLessThanOrEqual(1600);
    expect(delivered.join('\n\n')).toBe(text);
  });

  it('an SMS reply is written as GSM-7 (curly quotes, dashes, "…" staff paste from Outlook: 160 a segment, not UCS-2\'s 70), before it is split into messages', async () => {
    const bodiesTo = (phone: string) => fake.calls.filter((c) => c.path.endsWith('/Messages.json') && new URLSearchParams(c.body).get('To') === phone).map((c) => Object.fromEntries(new URLSearchParams(c.body)));
    const result = 'Hasil tindak lanjut aduan ADU-2026-000125: Lampu diganti \u2013 \u201cselesai\u201d\u2026 Terima kasih\u00a0pak, \u2018sudah\u2019 dicek.\nBalas PUAS bila Anda puas, atau TIDAK PUAS bila belum.';
    expect(gsm7Length(result)).toBeNull();
    await pushReply(h, ID, { outboxId: 'ADU-2026-000125.result-1', caseNumber: 'ADU-2026-000125', to: { phone: '+6281377770016' }, text: result });
    await waitFor(() => bodiesTo('+6281377770016').length === 1, 10_000);
    const sms = bodiesTo('+6281377770016')[0]!;
    expect(sms['Body']).toBe("Hasil tindak lanjut aduan ADU-2026-000125: Lampu diganti - \"selesai\"... Terima kasih pak, 'sudah' dicek.\nBalas PUAS bila Anda puas, atau TIDAK PUAS bila belum.");
    expect(gsm7Length(sms['Body']!)).not.toBeNull();

    // 1536 characters as written, 1648 as GSM-7 ("…" is "..."): two messages, numbered as sent, each within Twilio's 1600
    const para = (n: number) => `Paragraf ${n}: ${'Saluran sudah dibersihkan\u2026 '.repeat(28).trim()}`;
    const long = [1, 2].map(para).join('\n\n');
    expect(long.length).toBeLessThanOrEqual(1600);
    const outboxId = 'ADU-2026-000126.result-1';
    await pushReply(h, ID, { outboxId, caseNumber: 'ADU-2026-000126', to: { phone: '+6281377770017' }, text: long });
    await waitFor(() => bodiesTo('+6281377770017').length === 2, 10_000);
    const parts = bodiesTo('+6281377770017');
    expect(parts.map((p) => p['StatusCallback'])).toEqual([1, 2].map((i) => `${PUBLIC}?outboxId=${encodeURIComponent(outboxId)}&part=${i}&parts=2`));
    for (const p of parts) {
      expect(p['Body']!.length).toBeLessThanOrEqual(1600);
      expect(gsm7Length(p['Body']!)).not.toBeNull();
    }
    expect(parts.map((p) => p['Body']).join('\n\n')).toBe(long.replaceAll('\u2026', '...'));
  });

  it('end to end: a WhatsApp complaint becomes a case and the acknowledgement goes back on WhatsApp', async () => {
    h.startIntake();
    expect((await post(sms(60, 'whatsapp:+6281377770060', 'Jembatan kayu di Kali Code retak, bahaya untuk anak sekolah', { To: 'whatsapp:+6281100000000' }))).status).toBe(200);
    await waitFor(() => fake.calls.some((c) => c.path.endsWith('/Messages.json') && new URLSearchParams(c.body).get('To') === 'whatsapp:+6281377770060'), 15_000);
    const ack = new URLSearchParams(fake.calls.find((c) => new URLSearchParams(c.body).get('To') === 'whatsapp:+6281377770060')!.body);
    expect(ack.get('From')).toBe('whatsapp:+6281100000000');
    expect(ack.get('Body')).toMatch(/ADU-\d{4}-\d{6}/);
  });

  const sendsTo = (phone: string) => fake.calls.filter((c) => c.path.endsWith('/Messages.json') && new URLSearchParams(c.body).get('To') === phone).map((c) => new URLSearchParams(c.body));

  it('an SMS to another number of the account (its webhook pointing at this channel) is answered from that number, the one the citizen wrote to, not from `from`; the log says so once', async () => {
    // (the intake worker runs since the end-to-end test above)
    const other = '+6281100000099';
    expect((await post(sms(62, '+6281377770062', 'Lampu PJU di Jl. Magelang km 4 mati sejak minggu lalu.', { To: other }))).status).toBe(200);
    expect((await post(sms(63, '+6281377770063', 'Got di depan SD Negeri Jetis meluap tiap hujan.', { To: other }))).status).toBe(200);
    await waitFor(() => sendsTo('+6281377770062').length === 1 && sendsTo('+6281377770063').length === 1, 15_000);
    // (before: both from +6281100000000, a number these citizens never wrote to)
    expect(sendsTo('+6281377770062')[0]!.get('From')).toBe(other);
    expect(sendsTo('+6281377770063')[0]!.get('From')).toBe(other);
    expect(sendsTo('+6281377770062')[0]!.get('Body')).toMatch(/ADU-\d{4}-\d{6}/);
    // a citizen who wrote to `from` is answered from it, as before
    expect((await post(sms(64, '+6281377770064', 'Pohon tumbang menutup Jl. Kusumanegara.'))).status).toBe(200);
    await waitFor(() => sendsTo('+6281377770064').length === 1, 15_000);
    expect(sendsTo('+6281377770064')[0]!.get('From')).toBe('+6281100000000');
    // said once for that number, and masked
    const said = logLines.filter((l) => /another number of this account/.test(l.msg));
    expect(said).toHaveLength(1);
    expect(said[0]!.msg).toContain('***099');
    expect(said[0]!.msg).not.toContain(other);
  });

  it('when Twilio refuses the number the citizen wrote to as a sender (21606), the answer goes from `from` instead of dying, and later answers to that number too', async () => {
    const other = '+6281100000098';
    fake.failNext = [{ status: 400, code: 21606 }];
    expect((await post(sms(65, '+6281377770065', 'Sampah menumpuk di pinggir Jl. Gejayan.', { To: other }))).status).toBe(200);
    await waitFor(() => sendsTo('+6281377770065').length === 2, 15_000);
    expect(sendsTo('+6281377770065').map((p) => p.get('From'))).toEqual([other, '+6281100000000']);
    expect(sendsTo('+6281377770065')[1]!.get('Body')).toBe(sendsTo('+6281377770065')[0]!.get('Body'));
    const warned = logLines.filter((l) => l.level === 40 && /refuses \*\*\*098 as the sender/.test(l.msg));
    expect(warned).toHaveLength(1);
    // the next citizen who writes to it: from `from` at once, no second refusal
    expect((await post(sms(66, '+6281377770066', 'Trotoar Jl. Solo amblas.', { To: other }))).status).toBe(200);
    await waitFor(() => sendsTo('+6281377770066').length === 1, 15_000);
    expect(sendsTo('+6281377770066')[0]!.get('From')).toBe('+6281100000000');
  });

  it('a WhatsApp message to another WhatsApp sender of the account is still answered from `from` (WhatsApp unchanged), with a warning once that says what to change', async () => {
    const post2 = (n: number, phone: string) => post(sms(n, `whatsapp:${phone}`, `Jalan rusak di dusun ${n}, mohon ditinjau.`, { To: 'whatsapp:+6281100000097' }));
    expect((await post2(67, '+6281377770067')).status).toBe(200);
    expect((await post2(68, '+6281377770068')).status).toBe(200);
    await waitFor(() => sendsTo('whatsapp:+6281377770067').length === 1 && sendsTo('whatsapp:+6281377770068').length === 1, 15_000);
    expect(sendsTo('whatsapp:+6281377770067')[0]!.get('From')).toBe('whatsapp:+6281100000000');
    const warned = logLines.filter((l) => l.level === 40 && /WhatsApp messages to \*\*\*097/.test(l.msg));
    expect(warned).toHaveLength(1);
    expect(warned[0]!.msg).toMatch(/channel of its own/);
  });
});
