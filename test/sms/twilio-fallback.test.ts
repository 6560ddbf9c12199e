// A WhatsApp reply Twilio reports failed (63016: more than 24 hours after the citizen last wrote) still
// reaches the citizen: the approved template, then the full text once they write again; or SMS. End to
// end: signed webhooks and status callbacks, real Redis and intake, the fake Twilio REST server.
import { createHash } from 'node:crypto';
import { Writable } from 'node:stream';
import { and, eq, like } from 'drizzle-orm';
import twilio from 'twilio';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { caseEvents, cases, connectorState, messages, outbox } from '../../core/db/schema.ts';
import { officerCommand } from '../../core/lifecycle/service.ts';
import { runSweeps } from '../../core/lifecycle/sweeps.ts';
import { getOutbox } from '../../core/repo/outbox.repo.ts';
import { gsm7Length } from '../../core/templates.ts';
import { DAY, HOUR } from '../helpers/clock.ts';
import { startHarness, type Harness } from '../helpers/harness.ts';
import { freePort, waitFor } from '../helpers/ports.ts';
import { FakeProvider } from './fake-provider.ts';

const ACCOUNT = `AC${'2'.repeat(32)}`;
const TOKEN = 'test-auth-token-fallback';
const TEMPLATE = `HX${'a'.repeat(32)}`;
const SMS_FROM = '+6281100000099';
const WA = { id: 'wa-twilio', publicUrl: 'https://aduan.dprd.example.id/webhooks/wa', from: 'whatsapp:+6281100000001' };
const PLAIN = { id: 'wa-plain', publicUrl: 'https://aduan.dprd.example.id/webhooks/wa-plain', from: 'whatsapp:+6281100000002' };
/** An SMS number, no template. */
const SMSONLY = { id: 'wa-sms', publicUrl: 'https://aduan.dprd.example.id/webhooks/wa-sms', from: 'whatsapp:+6281100000003' };
/** A template, no SMS number. */
const TPLONLY = { id: 'wa-tpl', publicUrl: 'https://aduan.dprd.example.id/webhooks/wa-tpl', from: 'whatsapp:+6281100000004' };
const sid = (n: number) => `SM${String(n).padStart(32, '0')}`;

let h: Harness;
let fake: FakeProvider;
/** The WhatsApp channel with a template and an SMS number, as started (pruneWrote). */
let waInstance: { pruneWrote(): Promise<number> };
const logLines: string[] = [];
const local: Record<string, string> = {};
let n = 0;

beforeAll(async () => {
  fake = await new FakeProvider().start();
  const channels = [];
  for (const c of [WA, PLAIN, SMSONLY, TPLONLY]) {
    const port = await freePort();
    local[c.id] = `http://127.0.0.1:${port}/sms/twilio`;
    channels.push({
      id: c.id, type: 'twilio', listen: { host: '127.0.0.1', port }, path: '/sms/twilio', publicUrl: c.publicUrl, accountSid: ACCOUNT, authToken: TOKEN, from: c.from, apiBaseUrl: fake.url,
      ...(c === WA || c === SMSONLY ? { smsFallbackFrom: SMS_FROM } : {}),
      ...(c === WA || c === TPLONLY ? { whatsapp: { resultTemplateSid: TEMPLATE } } : {}),
    });
  }
  h = await startHarness({ channels }, { logs: new Writable({ write(chunk: Buffer, _enc, cb) { logLines.push(chunk.toString()); cb(); } }) });
  waInstance = (await h.startConnector(WA.id)).instance as unknown as typeof waInstance;
  await h.startConnector(PLAIN.id);
  await h.startConnector(SMSONLY.id);
  await h.startConnector(TPLONLY.id);
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
const whatsappIn = (channel: typeof WA, phone: string, body: string) => post(channel, {
  MessageSid: sid(++n), SmsMessageSid: sid(n), AccountSid: ACCOUNT, From: `whatsapp:${phone}`, To: channel.from, Body: body, NumMedia: '0', SmsStatus: 'received', ApiVersion: '2010-04-01', ProfileName: 'Warga',
});
/** Twilio's status callback on the reply `outboxId`: failed or undelivered with `code`. */
const callback = (channel: typeof WA, outboxId: string, phone: string, code: string, status = 'undelivered') =>
  post(channel, { MessageSid: sid(++n), MessageStatus: status, SmsStatus: status, ErrorCode: code, AccountSid: ACCOUNT, To: `whatsapp:${phone}`, From: channel.from, ChannelPrefix: 'whatsapp', ApiVersion: '2010-04-01' }, `?outboxId=${encodeURIComponent(outboxId)}`);
/** How the record names a 63016. */
const WINDOW_63016 = 'Twilio undelivered (63016: WhatsApp hanya boleh membalas dalam 24 jam sejak pesan terakhir pelapor)';
/** What the fake Twilio was asked to send to `to` (whatsapp:+62… or +62…). */
const sentTo = (to: string) => fake.calls.filter((c) => c.path.endsWith('/Messages.json')).map((c) => Object.fromEntries(new URLSearchParams(c.body))).filter((p) => p['To'] === to);

/** A WhatsApp complaint through intake, then the division's result: the case and the result's outbox id, once Twilio took it. */
async function caseWithResult(channel: typeof WA, phone: string, result: string) {
  expect((await whatsappIn(channel, phone, 'Jembatan kayu di Kali Code retak, bahaya untuk anak sekolah yang lewat setiap pagi')).status).toBe(200);
  await waitFor(() => h.db.select().from(cases).all().some((c) => c.connectorId === channel.id && c.number !== undefined && sentTo(`whatsapp:${phone}`).length > 0), 15_000);
  const kase = h.db.select().from(cases).where(eq(cases.connectorId, channel.id)).all().at(-1)!;
  const deps = { config: h.config, db: h.db, outboundChannels: new Set([WA.id, PLAIN.id, SMSONLY.id, TPLONLY.id]) };
  officerCommand(deps, kase.number, { kind: 'selesai', result }, kase.divisionId ?? 'humas');
  const row = h.db.select().from(outbox).where(and(eq(outbox.caseId, kase.id), like(outbox.id, `${kase.number}.result-%`))).get()!;
  await waitFor(() => getOutbox(h.db, row.id)?.status === 'sent', 15_000);
  return { kase, resultId: row.id };
}
const rowsOf = (caseId: number) => h.db.select().from(outbox).where(eq(outbox.caseId, caseId)).all();
const failures = (caseId: number) => h.db.select().from(caseEvents).where(and(eq(caseEvents.caseId, caseId), eq(caseEvents.type, 'reply_failed'))).all();

/** A two-part result on the plain WhatsApp channel, put in the outbox as the dispatcher finds it. */
async function insertLongReply(outboxId: string, phone: string, externalId: string): Promise<void> {
  const { insertOutbox } = await import('../../core/repo/outbox.repo.ts');
  const { outboundQueueName } = await import('../../core/queue.ts');
  const text = [1, 2].map((i) => `Bagian ${i}: ${'Dinas Pekerjaan Umum telah meninjau lokasi dan menjadwalkan perbaikan jembatan. '.repeat(15).trim()}`).join('\n\n');
  const caseNumber = outboxId.replace(/\..*$/, '');
  insertOutbox(h.db, { id: outboxId, caseId: null, kind: 'channel', queue: outboundQueueName(PLAIN.id), payload: { outboxId, caseNumber, to: { phone }, text, inReplyTo: { externalId, meta: { twilioChannel: 'whatsapp' } } }, now: new Date().toISOString() });
}
/** The plain channel's outbound queue, for `fn`, then closed. */
async function withOutboundQueue<T>(fn: (q: import('bullmq').Queue) => Promise<T>): Promise<T> {
  const { Queue } = await import('bullmq');
  const { outboundQueueName } = await import('../../core/queue.ts');
  const url = new URL(h.redis.url);
  const q = new Queue(outboundQueueName(PLAIN.id), { connection: { host: url.hostname, port: Number(url.port) }, prefix: h.config.redis.prefix });
  try {
    return await fn(q);
  } finally {
    await q.close();
  }
}

describe('a WhatsApp result outside the 24-hour window (Twilio 63016)', () => {
  it('goes as the approved template once, however often Twilio reports it; the full text follows when the citizen writes again', async () => {
    const phone = '+6281377770071';
    const { kase, resultId } = await caseWithResult(WA, phone, 'Jembatan sudah diperbaiki Dinas PUPKP dan dicat ulang.');
    const free = sentTo(`whatsapp:${phone}`).find((p) => p['Body']?.includes('Jembatan sudah diperbaiki'))!;
    expect(free['StatusCallback']).toBe(`${WA.publicUrl}?outboxId=${encodeURIComponent(resultId)}`);

    // Twilio reports it undelivered, and delivers that report twice at once
    const answers = await Promise.all([callback(WA, resultId, phone, '63016'), callback(WA, resultId, phone, '63016')]);
    expect(answers.map((r) => r.status)).toEqual([200, 200]);
    const templateId = `${resultId}.fallback-wa-template`;
    await waitFor(() => getOutbox(h.db, templateId)?.status === 'sent', 15_000);
    // and once more after the template went out
    expect((await callback(WA, resultId, phone, '63016')).status).toBe(200);

    const templates = sentTo(`whatsapp:${phone}`).filter((p) => p['ContentSid'] !== undefined);
    expect(templates).toHaveLength(1);
    expect(templates[0]).toMatchObject({ From: WA.from, To: `whatsapp:${phone}`, ContentSid: TEMPLATE, StatusCallback: `${WA.publicUrl}?outboxId=${encodeURIComponent(templateId)}` });
    expect(templates[0]!['Body']).toBeUndefined();
    expect(JSON.parse(templates[0]!['ContentVariables']!)).toEqual({ 1: kase.number, 2: 'Jembatan sudah diperbaiki Dinas PUPKP dan dicat ulang. Balas PUAS bila Anda puas, atau TIDAK PUAS bila belum.' });
    expect(getOutbox(h.db, resultId)).toMatchObject({ status: 'skipped', lastError: expect.stringContaining('63016') });
    expect(failures(kase.id)).toHaveLength(1);
    expect(failures(kase.id)[0]!.text).toContain('template WhatsApp');
    // the full text waits for the citizen, without escalating meanwhile
    const fullId = `${resultId}.fallback-wa-full`;
    expect(getOutbox(h.db, fullId)).toMatchObject({ status: 'pending', notBefore: '9999-12-31T00:00:00.000Z' });
    expect(rowsOf(kase.id).filter((r) => r.id.startsWith(`${resultId}.`)).map((r) => r.id).sort()).toEqual([fullId, templateId]);
    expect(h.db.select().from(outbox).where(like(outbox.id, `${kase.number}.undelivered-%`)).all()).toHaveLength(0);
    runSweeps({ config: h.config, db: h.db, outboundChannels: new Set([WA.id]) }, new Date(Date.now() + 3 * 86_400_000));
    expect(h.db.select().from(caseEvents).where(and(eq(caseEvents.caseId, kase.id), like(caseEvents.type, `sla_escalated:outbox:${resultId}%`))).all()).toHaveLength(0);

    // the citizen answers the template: the window is open, the full text goes on WhatsApp
    expect((await whatsappIn(WA, phone, 'iya pak, mohon dikirim hasilnya')).status).toBe(200);
    await waitFor(() => getOutbox(h.db, fullId)?.status === 'sent', 15_000);
    const full = sentTo(`whatsapp:${phone}`).filter((p) => p['Body']?.includes('Jembatan sudah diperbaiki'));
    expect(full).toHaveLength(2); // the refused free-form message, and now the full text
    expect(full[1]).toMatchObject({ From: WA.from, StatusCallback: `${WA.publicUrl}?outboxId=${encodeURIComponent(fullId)}` });
    expect(full[1]!['Body']).toContain('TIDAK PUAS');
    expect(sentTo(phone)).toHaveLength(0); // no SMS
  }, 60_000);

  it('reported only after the citizen wrote again (the window open anew): the full text goes on WhatsApp at once, once — no template, nothing held, no SMS', async () => {
    const phone = '+6281377770081';
    const { kase, resultId } = await caseWithResult(WA, phone, 'Lampu jalan di Jalan Kaliurang sudah diganti baru.');
    // the citizen writes (about something else) before Twilio's report on the result comes in
    expect((await whatsappIn(WA, phone, 'pak, kapan lampunya diganti?')).status).toBe(200);
    await waitFor(() => h.db.select().from(messages).all().some((m) => m.text.includes('kapan lampunya')), 15_000);
    // Twilio's late report, delivered twice
    await Promise.all([callback(WA, resultId, phone, '63016'), callback(WA, resultId, phone, '63016')]);
    const fullId = `${resultId}.fallback-wa-full`;
    await waitFor(() => getOutbox(h.db, fullId)?.status === 'sent', 15_000);
    expect(getOutbox(h.db, fullId)?.notBefore).toBeNull();
    const full = sentTo(`whatsapp:${phone}`).filter((p) => p['Body']?.includes('Lampu jalan di Jalan Kaliurang'));
    expect(full).toHaveLength(2); // the refused free-form message, and the full text now
    expect(full[1]).toMatchObject({ From: WA.from, StatusCallback: `${WA.publicUrl}?outboxId=${encodeURIComponent(fullId)}` });
    expect(full[1]!['Body']).toContain('TIDAK PUAS');
    expect(sentTo(`whatsapp:${phone}`).filter((p) => p['ContentSid'] !== undefined)).toHaveLength(0);
    expect(sentTo(phone)).toHaveLength(0);
    expect(rowsOf(kase.id).filter((r) => r.id.startsWith(`${resultId}.`)).map((r) => r.id)).toEqual([fullId]);
    expect(getOutbox(h.db, resultId)).toMatchObject({ status: 'skipped', lastError: expect.stringContaining(fullId) });
    expect(failures(kase.id)).toHaveLength(1);
    expect(failures(kase.id)[0]!.text).toContain('pesan lengkap dikirim ulang lewat WhatsApp');
    // once more from Twilio, and the citizen writes again: nothing is sent again
    expect((await callback(WA, resultId, phone, '63016')).status).toBe(200);
    expect((await whatsappIn(WA, phone, 'PUAS')).status).toBe(200);
    await waitFor(() => h.db.select().from(messages).all().filter((m) => m.caseId === kase.id).length >= 2, 15_000);
    expect(sentTo(`whatsapp:${phone}`).filter((p) => p['Body']?.includes('Lampu jalan di Jalan Kaliurang'))).toHaveLength(2);
    expect(failures(kase.id)).toHaveLength(1);
  }, 60_000);

  it('reported after the citizen wrote again, on a channel with neither a template nor an SMS number: the full text goes on WhatsApp instead of the reply being dead', async () => {
    const phone = '+6281377770082';
    const { kase, resultId } = await caseWithResult(PLAIN, phone, 'Saluran air di Jalan Magelang sudah dibersihkan.');
    expect((await whatsappIn(PLAIN, phone, 'terima kasih, saya tunggu kabarnya')).status).toBe(200);
    expect((await callback(PLAIN, resultId, phone, '63016')).status).toBe(200);
    const fullId = `${resultId}.fallback-wa-full`;
    await waitFor(() => getOutbox(h.db, fullId)?.status === 'sent', 15_000);
    expect(getOutbox(h.db, resultId)?.status).toBe('skipped');
    expect(sentTo(`whatsapp:${phone}`).filter((p) => p['Body']?.includes('Saluran air di Jalan Magelang'))).toHaveLength(2);
    // the division is not told that its result did not arrive: it did
    expect(h.db.select().from(outbox).where(like(outbox.id, `${kase.number}.undelivered-%`)).all()).toHaveLength(0);
    // and the record says what happened — sent again on WhatsApp — not that a fallback should be configured
    expect(failures(kase.id)).toHaveLength(1);
    expect(failures(kase.id)[0]!.text).toBe(`Pesan ke pelapor tidak terkirim: ${WINDOW_63016}. Pelapor sudah menulis lagi sejak pesan ini dikirim (jendela 24 jam WhatsApp terbuka): pesan lengkap dikirim ulang lewat WhatsApp.`);
    expect(getOutbox(h.db, resultId)!.lastError).toBe(`${WINDOW_63016}; dikirim ulang: ${fullId}`);
    expect(logLines.filter((l) => l.includes('not sent another way'))).toHaveLength(0);
  }, 60_000);

  it('a report that comes days late, the citizen having written since but more than 24 hours ago: the window is shut again, the template goes as usual', async () => {
    const phone = '+6281377770083';
    const { resultId } = await caseWithResult(WA, phone, 'Trotoar di Jalan Malioboro sudah diratakan.');
    expect((await whatsappIn(WA, phone, 'pak, trotoarnya kapan diperbaiki?')).status).toBe(200);
    // (as if the result went out three days ago and the citizen wrote two days ago)
    const day = 86_400_000;
    h.db.update(outbox).set({ sentAt: new Date(Date.now() - 3 * day).toISOString() }).where(eq(outbox.id, resultId)).run();
    const key = `wrote:wa:${createHash('sha256').update(phone).digest('hex').slice(0, 16)}`;
    expect(h.db.update(connectorState).set({ value: new Date(Date.now() - 2 * day).toISOString() }).where(and(eq(connectorState.connectorId, WA.id), eq(connectorState.key, key))).run().changes).toBe(1);
    expect((await callback(WA, resultId, phone, '63016')).status).toBe(200);
    await waitFor(() => getOutbox(h.db, `${resultId}.fallback-wa-template`)?.status === 'sent', 15_000);
    expect(getOutbox(h.db, `${resultId}.fallback-wa-full`)).toMatchObject({ status: 'pending', notBefore: '9999-12-31T00:00:00.000Z' });
  }, 60_000);

  it('when the template fails too, the full text goes by SMS, and not a second time on WhatsApp when the citizen writes', async () => {
    const phone = '+6281377770079';
    const { resultId } = await caseWithResult(WA, phone, 'Jembatan sudah diperkuat dengan pagar besi.');
    expect((await callback(WA, resultId, phone, '63016')).status).toBe(200);
    const templateId = `${resultId}.fallback-wa-template`;
    await waitFor(() => getOutbox(h.db, templateId)?.status === 'sent', 15_000);
    // the template is refused (say, paused by Meta): the whole text by SMS instead
    expect((await callback(WA, templateId, phone, '63049', 'failed')).status).toBe(200);
    const smsId = `${resultId}.fallback-sms`;
    await waitFor(() => getOutbox(h.db, smsId)?.status === 'sent', 15_000);
    expect(sentTo(phone)).toHaveLength(1);
    expect(sentTo(phone)[0]).toMatchObject({ From: SMS_FROM });
    const fullId = `${resultId}.fallback-wa-full`;
    expect(getOutbox(h.db, fullId)).toMatchObject({ status: 'skipped', lastError: expect.stringContaining(smsId) });
    // the citizen writes on WhatsApp: nothing held is sent again
    expect((await whatsappIn(WA, phone, 'terima kasih pak, sudah saya terima')).status).toBe(200);
    // (held replies are released as the message comes in, before intake records it)
    await waitFor(() => h.db.select().from(messages).all().some((m) => m.text.includes('sudah saya terima')), 15_000);
    expect(sentTo(`whatsapp:${phone}`).filter((p) => p['Body']?.includes('pagar besi'))).toHaveLength(1); // only the refused free-form message
    expect(getOutbox(h.db, fullId)?.status).toBe('skipped');
  }, 60_000);

  it('a failure report of the template that comes after the citizen wrote back and got the full text on WhatsApp is recorded on the case, and sends nothing more', async () => {
    const phone = '+6281377770077';
    const { kase, resultId } = await caseWithResult(WA, phone, 'Jembatan sudah ditambah papan peringatan.');
    expect((await callback(WA, resultId, phone, '63016')).status).toBe(200);
    const templateId = `${resultId}.fallback-wa-template`;
    await waitFor(() => getOutbox(h.db, templateId)?.status === 'sent', 15_000);
    // the citizen answers the template: the full text goes on WhatsApp and reaches them
    expect((await whatsappIn(WA, phone, 'baik pak, hasilnya bagaimana?')).status).toBe(200);
    const fullId = `${resultId}.fallback-wa-full`;
    await waitFor(() => getOutbox(h.db, fullId)?.status === 'sent', 15_000);
    // only then does Twilio's report on the template come in: failed
    expect((await callback(WA, templateId, phone, '63049', 'failed')).status).toBe(200);
    // no SMS with the same text
    expect(getOutbox(h.db, `${resultId}.fallback-sms`)).toBeUndefined();
    const recorded = failures(kase.id);
    expect(recorded).toHaveLength(2);
    expect(recorded[1]!.text).toContain('63049');
    expect(recorded[1]!.text).toContain('tidak dikirim ulang');
    expect(recorded[1]!.data).toMatchObject({ outboxId: templateId, reachedBy: fullId });
    expect(getOutbox(h.db, templateId)).toMatchObject({ status: 'skipped', lastError: expect.stringContaining(fullId) });
    // no notice to the division, nothing to escalate
    expect(getOutbox(h.db, fullId)?.status).toBe('sent');
    expect(h.db.select().from(outbox).where(like(outbox.id, `${kase.number}.undelivered-%`)).all()).toHaveLength(0);
    runSweeps({ config: h.config, db: h.db, outboundChannels: new Set([WA.id]) }, new Date(Date.now() + 3 * 86_400_000));
    expect(h.db.select().from(caseEvents).where(and(eq(caseEvents.caseId, kase.id), like(caseEvents.type, `sla_escalated:outbox:${resultId}%`))).all()).toHaveLength(0);
    expect(sentTo(phone)).toHaveLength(0);
    expect(sentTo(`whatsapp:${phone}`).filter((p) => p['Body']?.includes('papan peringatan'))).toHaveLength(2); // the refused free-form message, the full text
  }, 60_000);

  it('a WhatsApp result Twilio cannot deliver otherwise (63003: no WhatsApp on the number) goes whole by SMS from smsFallbackFrom; when that fails too, it is dead and the division is told', async () => {
    const phone = '+6281377770072';
    const { kase, resultId } = await caseWithResult(WA, phone, 'Jembatan sudah diperbaiki minggu ini.');
    expect((await callback(WA, resultId, phone, '63003', 'failed')).status).toBe(200);
    const smsId = `${resultId}.fallback-sms`;
    await waitFor(() => getOutbox(h.db, smsId)?.status === 'sent', 15_000);
    const sms = sentTo(phone);
    expect(sms).toHaveLength(1);
    expect(sms[0]).toMatchObject({ From: SMS_FROM, To: phone, StatusCallback: `${WA.publicUrl}?outboxId=${encodeURIComponent(smsId)}` });
    expect(sms[0]!['Body']).toContain('Jembatan sudah diperbaiki minggu ini.');
    expect(sentTo(`whatsapp:${phone}`).filter((p) => p['ContentSid'] !== undefined)).toHaveLength(0);
    // the SMS fails too: nothing else to try
    const smsFail = { MessageSid: sid(++n), MessageStatus: 'undelivered', ErrorCode: '30003', AccountSid: ACCOUNT, To: phone, From: SMS_FROM, ApiVersion: '2010-04-01' };
    expect((await post(WA, smsFail, `?outboxId=${encodeURIComponent(smsId)}`)).status).toBe(200);
    expect(getOutbox(h.db, smsId)).toMatchObject({ status: 'dead', lastError: 'Twilio undelivered (30003)' });
    const notices = h.db.select().from(outbox).where(like(outbox.id, `${kase.number}.undelivered-%`)).all();
    expect(notices).toHaveLength(1);
    expect((notices[0]!.payload as { text: string }).text).toContain('TIDAK sampai ke pelapor');
    expect(failures(kase.id)).toHaveLength(2);
  }, 60_000);

  it('a result with curly quotes, a dash and "…" keeps them on WhatsApp (Unicode anyway); its SMS fallback is written as GSM-7 (not UCS-2: 160 a segment, not 70)', async () => {
    const phone = '+6281377770078';
    const { resultId } = await caseWithResult(WA, phone, 'Jembatan sudah diperbaiki \u2013 \u201cselesai\u201d\u2026 kata Pak RT\u2019s.');
    const free = sentTo(`whatsapp:${phone}`).find((p) => p['Body']?.includes('Jembatan sudah diperbaiki'))!;
    expect(free['Body']).toContain('Jembatan sudah diperbaiki \u2013 \u201cselesai\u201d\u2026 kata Pak RT\u2019s.');
    expect((await callback(WA, resultId, phone, '63003', 'failed')).status).toBe(200);
    const smsId = `${resultId}.fallback-sms`;
    await waitFor(() => getOutbox(h.db, smsId)?.status === 'sent', 15_000);
    const sms = sentTo(phone);
    expect(sms).toHaveLength(1);
    expect(sms[0]!['Body']).toContain('Jembatan sudah diperbaiki - "selesai"... kata Pak RT\'s.');
    expect(sms[0]!['Body']).toContain('TIDAK PUAS');
    expect(gsm7Length(sms[0]!['Body']!)).not.toBeNull();
    // (the outbox keeps the text as written: the conversion is the SMS's own)
    expect((getOutbox(h.db, smsId)!.payload as { text: string }).text).toContain('\u201cselesai\u201d');
  }, 60_000);

  it('without a template or an SMS number: dead, escalated, and the division and the escalation say exactly what to configure — once, however often Twilio reports it', async () => {
    const phone = '+6281377770073';
    const { kase, resultId } = await caseWithResult(PLAIN, phone, 'Jembatan sudah diperbaiki.');
    await Promise.all([callback(PLAIN, resultId, phone, '63016'), callback(PLAIN, resultId, phone, '63016')]);
    const row = getOutbox(h.db, resultId)!;
    expect(row.status).toBe('dead');
    expect(row.lastError).toContain('whatsapp.resultTemplateSid');
    expect(row.lastError).toContain('smsFallbackFrom');
    expect(row.lastError).toContain(PLAIN.id);
    expect(failures(kase.id)).toHaveLength(1);
    expect(failures(kase.id)[0]!.text).toBe(`Pesan ke pelapor tidak terkirim: ${WINDOW_63016}. Tidak dikirim ulang. Agar pesan WhatsApp seperti ini tetap sampai, Sekretariat perlu mengatur pada kanal ${PLAIN.id}: `
      + 'whatsapp.resultTemplateSid (SID HX… template WhatsApp yang disetujui, untuk pesan di luar 24 jam) dan/atau smsFallbackFrom (nomor SMS akun Twilio yang sama)');
    expect(row.lastError).toBe(failures(kase.id)[0]!.text!.replace('Pesan ke pelapor tidak terkirim: ', ''));
    const notices = h.db.select().from(outbox).where(like(outbox.id, `${kase.number}.undelivered-%`)).all();
    expect(notices).toHaveLength(1);
    expect((notices[0]!.payload as { text: string }).text).toContain('whatsapp.resultTemplateSid');
    expect(rowsOf(kase.id).filter((r) => r.id.includes('.fallback-'))).toHaveLength(0);
    runSweeps({ config: h.config, db: h.db, outboundChannels: new Set([PLAIN.id]) }, new Date(Date.now() + 3 * 86_400_000));
    const escalated = h.db.select().from(caseEvents).where(and(eq(caseEvents.caseId, kase.id), eq(caseEvents.type, `sla_escalated:outbox:${resultId}`))).all();
    expect(escalated).toHaveLength(1);
    expect(escalated[0]!.text).toContain('smsFallbackFrom');
  }, 60_000);
});

/** A three-part WhatsApp result on the channel with an SMS number, put in the outbox; resolves once its parts went out, with their status callback queries. */
async function longWhatsAppReply(outboxId: string, phone: string, opts: { typographic?: boolean } = {}): Promise<{ text: string; queries: string[] }> {
  const { insertOutbox } = await import('../../core/repo/outbox.repo.ts');
  const { outboundQueueName } = await import('../../core/queue.ts');
  // (typographic: curly quotes and "…" as staff paste them from Outlook)
  const bridge = opts.typographic ? 'jembatan \u201cKali Code\u201d\u2026' : 'jembatan.';
  const text = [1, 2, 3].map((i) => `Bagian ${i}: ${`Dinas Pekerjaan Umum telah meninjau lokasi ${i} dan menjadwalkan perbaikan ${bridge} `.repeat(15).trim()}`).join('\n\n');
  const caseNumber = outboxId.replace(/\..*$/, '');
  insertOutbox(h.db, { id: outboxId, caseId: null, kind: 'channel', queue: outboundQueueName(WA.id), payload: { outboxId, caseNumber, to: { phone }, text, inReplyTo: { externalId: sid(++n), meta: { twilioChannel: 'whatsapp' } } }, now: new Date().toISOString() });
  await waitFor(() => getOutbox(h.db, outboxId)?.status === 'sent', 15_000);
  const sent = sentTo(`whatsapp:${phone}`);
  expect(sent).toHaveLength(3);
  return { text, queries: sent.map((p) => p['StatusCallback']!.slice(WA.publicUrl.length)) };
}
/** Twilio's status callback on one part of a long WhatsApp reply (`query`: its StatusCallback's). */
const partStatus = (phone: string, query: string, status: string, code?: string) => post(WA, {
  MessageSid: sid(++n), MessageStatus: status, SmsStatus: status, ...(code !== undefined ? { ErrorCode: code } : {}), AccountSid: ACCOUNT, To: `whatsapp:${phone}`, From: WA.from, ChannelPrefix: 'whatsapp', ApiVersion: '2010-04-01',
}, query);
const deliveredNoted = (outboxId: string) => h.db.select().from(connectorState).where(and(eq(connectorState.connectorId, WA.id), eq(connectorState.key, `delivered:${outboxId}`))).get();

describe('a long WhatsApp reply of which only some parts did not arrive', () => {
  it('names each part in its status callback; when part 3 of 3 fails after 1 and 2 were reported delivered, the SMS carries part 3 only', async () => {
    const phone = '+6281377770091';
    const outboxId = 'ADU-2026-000391.result-1';
    const { queries } = await longWhatsAppReply(outboxId, phone);
    expect(queries).toEqual([1, 2, 3].map((i) => `?outboxId=${encodeURIComponent(outboxId)}&part=${i}&parts=3`));
    for (const [q, status] of [[queries[0]!, 'sent'], [queries[0]!, 'delivered'], [queries[1]!, 'delivered'], [queries[1]!, 'read']] as const) {
      expect((await partStatus(phone, q, status)).status).toBe(200);
    }
    expect(deliveredNoted(outboxId)?.value).toEqual([1, 2]);
    // part 3 undelivered (reported twice)
    expect((await partStatus(phone, queries[2]!, 'undelivered', '30008')).status).toBe(200);
    expect((await partStatus(phone, queries[2]!, 'undelivered', '30008')).status).toBe(200);
    const smsId = `${outboxId}.fallback-sms`;
    await waitFor(() => getOutbox(h.db, smsId)?.status === 'sent', 15_000);
    const sms = sentTo(phone);
    expect(sms).toHaveLength(1);
    expect(sms[0]!['From']).toBe(SMS_FROM);
    expect(sms[0]!['Body']).toMatch(/^\(Bagian 3 dari 3 pesan tentang aduan ADU-2026-000391; bagian lainnya sudah sampai\.\)\n\nBagian 3: /);
    expect(sms[0]!['Body']).not.toContain('Bagian 1:');
    expect(sms[0]!['Body']).not.toContain('Bagian 2:');
    expect(getOutbox(h.db, outboxId)).toMatchObject({ status: 'skipped', lastError: expect.stringContaining(smsId) });
    expect(deliveredNoted(outboxId)).toBeUndefined();
  }, 60_000);

  it('with curly quotes and "…": the WhatsApp parts keep them and are numbered as sent; the SMS of part 3 is GSM-7', async () => {
    const phone = '+6281377770096';
    const outboxId = 'ADU-2026-000396.result-1';
    const { queries } = await longWhatsAppReply(outboxId, phone, { typographic: true });
    expect(queries).toEqual([1, 2, 3].map((i) => `?outboxId=${encodeURIComponent(outboxId)}&part=${i}&parts=3`));
    expect(sentTo(`whatsapp:${phone}`).every((p) => p['Body']!.includes('\u201cKali Code\u201d\u2026'))).toBe(true);
    for (const q of [queries[0]!, queries[1]!]) expect((await partStatus(phone, q, 'delivered')).status).toBe(200);
    expect((await partStatus(phone, queries[2]!, 'undelivered', '30008')).status).toBe(200);
    const smsId = `${outboxId}.fallback-sms`;
    await waitFor(() => getOutbox(h.db, smsId)?.status === 'sent', 15_000);
    const sms = sentTo(phone);
    expect(sms).toHaveLength(1);
    expect(sms[0]!['Body']).toMatch(/^\(Bagian 3 dari 3 pesan tentang aduan ADU-2026-000396; bagian lainnya sudah sampai\.\)\n\nBagian 3: /);
    expect(sms[0]!['Body']).not.toContain('Bagian 2:');
    expect(sms[0]!['Body']).toContain('jembatan "Kali Code"... ');
    expect(gsm7Length(sms[0]!['Body']!)).not.toBeNull();
  }, 60_000);

  it('a part not reported delivered goes again with the failed one (1 delivered, 3 failed, 2 unreported: parts 2 and 3); every part delivered leaves nothing noted', async () => {
    const phone = '+6281377770092';
    const outboxId = 'ADU-2026-000392.result-1';
    const { queries } = await longWhatsAppReply(outboxId, phone);
    expect((await partStatus(phone, queries[0]!, 'delivered')).status).toBe(200);
    expect((await partStatus(phone, queries[2]!, 'failed', '63018')).status).toBe(200);
    const smsId = `${outboxId}.fallback-sms`;
    await waitFor(() => getOutbox(h.db, smsId)?.status === 'sent', 15_000);
    const body = sentTo(phone).map((p) => p['Body']).join('\n');
    expect(body.startsWith('(Bagian 2 dan 3 dari 3 pesan')).toBe(true);
    expect(body).not.toContain('Bagian 1:');
    expect(body).toContain('Bagian 2:');
    expect(body).toContain('Bagian 3:');

    const other = 'ADU-2026-000393.result-1';
    const phone2 = '+6281377770093';
    const done = await longWhatsAppReply(other, phone2);
    for (const q of done.queries) expect((await partStatus(phone2, q, 'delivered')).status).toBe(200);
    expect(deliveredNoted(other)).toBeUndefined();
  }, 60_000);

  it('a failure report without a part (a callback URL from before parts were named), or with no other part reported delivered, sends the whole text as before', async () => {
    const phone = '+6281377770094';
    const outboxId = 'ADU-2026-000394.result-1';
    const { text, queries } = await longWhatsAppReply(outboxId, phone);
    expect((await partStatus(phone, queries[0]!, 'delivered')).status).toBe(200);
    expect((await partStatus(phone, `?outboxId=${encodeURIComponent(outboxId)}`, 'undelivered', '30008')).status).toBe(200);
    const smsId = `${outboxId}.fallback-sms`;
    await waitFor(() => getOutbox(h.db, smsId)?.status === 'sent', 15_000);
    expect((getOutbox(h.db, smsId)!.payload as { text: string }).text).toBe(text);

    const phone2 = '+6281377770095';
    const second = 'ADU-2026-000395.result-1';
    const long = await longWhatsAppReply(second, phone2);
    expect((await partStatus(phone2, long.queries[1]!, 'undelivered', '63016')).status).toBe(200);
    await waitFor(() => getOutbox(h.db, `${second}.fallback-wa-template`)?.status === 'sent', 15_000);
    expect((getOutbox(h.db, `${second}.fallback-wa-full`)!.payload as { text: string }).text).toBe(long.text);
  }, 60_000);
});

describe('a failure reported while a long reply is still going out', () => {
  it('stands: the sender finishing the later parts does not mark the reply sent over it', async () => {
    const phone = '+6281377770074';
    const outboxId = 'ADU-2026-000199.result-3';
    let release!: () => void;
    fake.holdSends = [undefined, new Promise<void>((r) => { release = r; })];
    await insertLongReply(outboxId, phone, sid(999));
    // the first part went, the second is on its way when Twilio reports the first undelivered
    await waitFor(() => sentTo(`whatsapp:${phone}`).length === 2, 15_000);
    expect((await callback(PLAIN, outboxId, phone, '63016')).status).toBe(200);
    expect(getOutbox(h.db, outboxId)?.status).toBe('dead');
    release();
    await withOutboundQueue((q) => waitFor(async () => (await q.getJob(outboxId))?.finishedOn !== undefined, 15_000));
    expect(getOutbox(h.db, outboxId)).toMatchObject({ status: 'dead', lastError: expect.stringContaining('63016') });
  }, 60_000);
  it('stands also when the rest of the reply needed a retry: the retry sends nothing more and does not mark it sent', async () => {
    const phone = '+6281377770075';
    const outboxId = 'ADU-2026-000299.result-3';
    let release!: () => void;
    fake.failNext = [0, 500]; // part 1 taken (held back), part 2: Twilio 500, retryable
    fake.holdSends = [new Promise<void>((r) => { release = r; })];
    await insertLongReply(outboxId, phone, sid(998));
    await waitFor(() => sentTo(`whatsapp:${phone}`).length === 1, 15_000);
    expect((await callback(PLAIN, outboxId, phone, '63016')).status).toBe(200);
    expect(getOutbox(h.db, outboxId)?.status).toBe('dead');
    release();
    await withOutboundQueue(async (q) => {
      // part 2 failed once (500); the retry finds the failure report and ends the job
      await waitFor(async () => (await q.getJob(outboxId))?.finishedOn !== undefined, 30_000);
      expect(await q.getJob(outboxId).then((j) => j?.returnvalue)).toBe('reported-failed');
    });
    expect(sentTo(`whatsapp:${phone}`)).toHaveLength(2); // part 1, and part 2's refused attempt: not sent again
    expect(getOutbox(h.db, outboxId)).toMatchObject({ status: 'dead', lastError: expect.stringContaining('63016') });
  }, 60_000);

  it('a dead reply is sent again when its job is a replay (aduan dlq replay marks it), and only then', async () => {
    const { insertOutbox, setOutboxStatus } = await import('../../core/repo/outbox.repo.ts');
    const { outboundQueueName } = await import('../../core/queue.ts');
    await withOutboundQueue(async (q) => {
      const phone = '+6281377770076';
      for (const [id, replay] of [['ADU-2026-000298.result-1', false], ['ADU-2026-000298.result-2', true]] as const) {
        const payload = { outboxId: id, caseNumber: 'ADU-2026-000298', to: { phone }, text: `Hasil ${id}`, inReplyTo: { externalId: sid(997), meta: { twilioChannel: 'whatsapp' } } };
        insertOutbox(h.db, { id, caseId: null, kind: 'channel', queue: outboundQueueName(PLAIN.id), payload, now: new Date().toISOString(), notBefore: '9999-12-31T00:00:00.000Z' });
        setOutboxStatus(h.db, id, 'dead', new Date().toISOString(), 'Twilio: failed (30008)');
        await q.add('reply', { ...payload, ...(replay ? { replay: true } : {}) }, { jobId: `${id}-again` });
        await waitFor(async () => (await q.getJob(`${id}-again`))?.finishedOn !== undefined, 15_000);
      }
    });
    expect(getOutbox(h.db, 'ADU-2026-000298.result-1')?.status).toBe('dead');
    expect(getOutbox(h.db, 'ADU-2026-000298.result-2')?.status).toBe('sent');
    expect(sentTo('whatsapp:+6281377770076').map((p) => p['Body'])).toEqual(['Hasil ADU-2026-000298.result-2']);
  }, 60_000);
});

/** The connector_state key of when `phone` last wrote on WhatsApp. */
const wroteKeyOf = (phone: string) => `wrote:wa:${createHash('sha256').update(phone).digest('hex').slice(0, 16)}`;
const stateKeys = (connectorId: string, prefix: string) => h.db.select().from(connectorState).where(and(eq(connectorState.connectorId, connectorId), like(connectorState.key, `${prefix}%`))).all().map((r) => r.key).sort();

describe('the notes of when citizens last wrote on WhatsApp (wrote:wa:<hash>)', () => {
  it('are pruned once no window can depend on them (set over 4 days ago), in batches, counted in the log; recent ones stay, and a late 63016 still finds the citizen wrote', async () => {
    const phone = '+6281377770101';
    const { kase, resultId } = await caseWithResult(WA, phone, 'Selokan di Jalan Parangtritis sudah dikeruk.');
    // the citizen writes again before Twilio's late report on the result
    expect((await whatsappIn(WA, phone, 'pak, selokannya sudah dikeruk belum?')).status).toBe(200);
    await waitFor(() => h.db.select().from(messages).all().some((m) => m.text.includes('selokannya sudah dikeruk')), 15_000);
    expect(stateKeys(WA.id, wroteKeyOf(phone))).toEqual([wroteKeyOf(phone)]);
    // (the citizens of the tests above wrote just now too)
    const noted = stateKeys(WA.id, 'wrote:');
    expect(noted).toContain(wroteKeyOf(phone));

    // 1,200 numbers that wrote a week ago (more than two batches), and some that wrote recently
    const now = Date.now();
    const key = (i: number) => `wrote:wa:${createHash('sha256').update(`+62813999${String(i).padStart(5, '0')}`).digest('hex').slice(0, 16)}`;
    const row = (connectorId: string, k: string, at: number) => ({ connectorId, key: k, value: new Date(at).toISOString(), updatedAt: new Date(at).toISOString() });
    const old = Array.from({ length: 1200 }, (_, i) => row(WA.id, key(i), now - 7 * DAY - i * 1000));
    const recent = [row(WA.id, key(5000), now - 2 * DAY), row(WA.id, key(5001), now - 3 * DAY - 12 * HOUR), row(WA.id, key(5002), now - HOUR)];
    for (let i = 0; i < old.length; i += 200) h.db.insert(connectorState).values(old.slice(i, i + 200)).run();
    h.db.insert(connectorState).values([
      ...recent,
      // other state of the channel, however old, and another channel's notes: not this prune's
      row(WA.id, 'held:wa:0123456789abcdef', now - 30 * DAY), row(WA.id, 'wrote', now - 30 * DAY),
      // delivered parts of long replies: kept a week (Twilio never reported the other parts of the old one)
      row(WA.id, 'delivered:ADU-2026-000001.result-1', now - 8 * DAY), row(WA.id, 'delivered:ADU-2026-000002.result-1', now - 2 * DAY),
      row(PLAIN.id, key(1), now - 30 * DAY),
    ]).run();

    const others = stateKeys(WA.id, '').filter((k) => !k.startsWith('wrote:') && k !== 'delivered:ADU-2026-000001.result-1');
    logLines.length = 0;
    expect(await waInstance.pruneWrote()).toBe(1201);
    expect(stateKeys(WA.id, 'wrote:')).toEqual([...noted, ...recent.map((r) => r.key)].sort());
    expect(stateKeys(WA.id, '').filter((k) => !k.startsWith('wrote:'))).toEqual(others);
    expect(others).toEqual(expect.arrayContaining(['held:wa:0123456789abcdef', 'delivered:ADU-2026-000002.result-1', 'wrote']));
    expect(stateKeys(PLAIN.id, 'wrote:')).toContain(key(1));
    const logged = logLines.filter((l) => l.includes('pruned'));
    expect(logged).toHaveLength(2);
    expect(JSON.parse(logged[0]!)).toMatchObject({ removed: 1200 });
    expect(JSON.parse(logged[1]!)).toMatchObject({ removed: 1 });
    expect(logged[0]).not.toMatch(/\+?62813/);
    // nothing more to prune: nothing removed, nothing logged
    expect(await waInstance.pruneWrote()).toBe(0);
    expect(logLines.filter((l) => l.includes('pruned'))).toHaveLength(2);

    // the window logic after the prune: Twilio's late report finds the citizen wrote since, the full text goes on WhatsApp at once
    expect((await callback(WA, resultId, phone, '63016')).status).toBe(200);
    const fullId = `${resultId}.fallback-wa-full`;
    await waitFor(() => getOutbox(h.db, fullId)?.status === 'sent', 15_000);
    expect(getOutbox(h.db, fullId)?.notBefore).toBeNull();
    expect(getOutbox(h.db, `${resultId}.fallback-wa-template`)).toBeUndefined();
    expect(failures(kase.id).at(-1)!.text).toContain('pesan lengkap dikirim ulang lewat WhatsApp');
  }, 60_000);

  it('a citizen whose note was pruned is taken as not having written: a late 63016 sends the template, the full text held', async () => {
    const phone = '+6281377770102';
    const { resultId } = await caseWithResult(WA, phone, 'Pohon tumbang di Jalan Godean sudah dipotong.');
    expect((await whatsappIn(WA, phone, 'pak, pohonnya kapan dipotong?')).status).toBe(200);
    await waitFor(() => h.db.select().from(messages).all().some((m) => m.text.includes('pohonnya kapan')), 15_000);
    // (as if the result went out six days ago and the citizen wrote five days ago)
    h.db.update(outbox).set({ sentAt: new Date(Date.now() - 6 * DAY).toISOString() }).where(eq(outbox.id, resultId)).run();
    const fiveDaysAgo = new Date(Date.now() - 5 * DAY).toISOString();
    expect(h.db.update(connectorState).set({ value: fiveDaysAgo, updatedAt: fiveDaysAgo }).where(and(eq(connectorState.connectorId, WA.id), eq(connectorState.key, wroteKeyOf(phone)))).run().changes).toBe(1);
    expect(await waInstance.pruneWrote()).toBe(1);
    expect(stateKeys(WA.id, wroteKeyOf(phone))).toEqual([]);
    expect((await callback(WA, resultId, phone, '63016')).status).toBe(200);
    await waitFor(() => getOutbox(h.db, `${resultId}.fallback-wa-template`)?.status === 'sent', 15_000);
    expect(getOutbox(h.db, `${resultId}.fallback-wa-full`)).toMatchObject({ status: 'pending', notBefore: '9999-12-31T00:00:00.000Z' });
    // and writing again notes it anew
    expect((await whatsappIn(WA, phone, 'baik pak')).status).toBe(200);
    await waitFor(() => stateKeys(WA.id, wroteKeyOf(phone)).length === 1, 15_000);
  }, 60_000);
});

describe('what the case\'s record says of a WhatsApp result Twilio reports failed, on each branch', () => {
  it('sent by the SMS fallback (a channel with an SMS number, no template): "sent again whole by SMS", nothing to configure', async () => {
    const phone = '+6281377770111';
    const { kase, resultId } = await caseWithResult(SMSONLY, phone, 'Lubang di Jalan Wates sudah ditambal.');
    expect((await callback(SMSONLY, resultId, phone, '63016')).status).toBe(200);
    const smsId = `${resultId}.fallback-sms`;
    await waitFor(() => getOutbox(h.db, smsId)?.status === 'sent', 15_000);
    expect(sentTo(phone)).toHaveLength(1);
    expect(failures(kase.id).map((e) => e.text)).toEqual([`Pesan ke pelapor tidak terkirim: ${WINDOW_63016}. Dikirim ulang lengkap lewat SMS.`]);
    expect(getOutbox(h.db, resultId)!.lastError).toBe(`${WINDOW_63016}; dikirim ulang: ${smsId}`);
    expect(h.db.select().from(outbox).where(like(outbox.id, `${kase.number}.undelivered-%`)).all()).toHaveLength(0);
  }, 60_000);

  it('sent again on WhatsApp after the citizen wrote again (a channel with an SMS number): neither SMS nor advice', async () => {
    const phone = '+6281377770112';
    const { kase, resultId } = await caseWithResult(SMSONLY, phone, 'Lampu taman di Alun-alun Kidul sudah menyala.');
    expect((await whatsappIn(SMSONLY, phone, 'pak, lampunya sudah menyala?')).status).toBe(200);
    await waitFor(() => h.db.select().from(messages).all().some((m) => m.text.includes('lampunya sudah menyala')), 15_000);
    expect((await callback(SMSONLY, resultId, phone, '63016')).status).toBe(200);
    await waitFor(() => getOutbox(h.db, `${resultId}.fallback-wa-full`)?.status === 'sent', 15_000);
    expect(sentTo(phone)).toHaveLength(0);
    expect(failures(kase.id).map((e) => e.text)).toEqual([`Pesan ke pelapor tidak terkirim: ${WINDOW_63016}. Pelapor sudah menulis lagi sejak pesan ini dikirim (jendela 24 jam WhatsApp terbuka): pesan lengkap dikirim ulang lewat WhatsApp.`]);
  }, 60_000);

  it('the template failing on a channel without an SMS number: dead, "not sent again", the full text still held, only smsFallbackFrom to set (a template is set)', async () => {
    const phone = '+6281377770113';
    const { kase, resultId } = await caseWithResult(TPLONLY, phone, 'Tiang listrik miring di Jalan Bantul sudah ditegakkan.');
    expect((await callback(TPLONLY, resultId, phone, '63016')).status).toBe(200);
    const templateId = `${resultId}.fallback-wa-template`;
    await waitFor(() => getOutbox(h.db, templateId)?.status === 'sent', 15_000);
    expect(failures(kase.id).map((e) => e.text)).toEqual([`Pesan ke pelapor tidak terkirim: ${WINDOW_63016}. Dikirim ulang dengan template WhatsApp yang disetujui (nomor aduan dan awal pesan); pesan lengkap dikirim begitu pelapor membalas.`]);
    logLines.length = 0;
    expect((await callback(TPLONLY, templateId, phone, '63049', 'failed')).status).toBe(200);
    const template = getOutbox(h.db, templateId)!;
    expect(template.status).toBe('dead');
    const said = `Twilio failed (63049). Tidak dikirim ulang. Pesan lengkap tetap ditahan dan dikirim lewat WhatsApp bila pelapor menulis lagi. Agar pesan WhatsApp seperti ini tetap sampai, Sekretariat perlu mengatur pada kanal ${TPLONLY.id}: smsFallbackFrom (nomor SMS akun Twilio yang sama)`;
    expect(template.lastError).toBe(said);
    expect(failures(kase.id).map((e) => e.text)[1]).toBe(`Pesan ke pelapor tidak terkirim: ${said}`);
    expect(getOutbox(h.db, `${resultId}.fallback-wa-full`)).toMatchObject({ status: 'pending', notBefore: '9999-12-31T00:00:00.000Z' });
    const warned = logLines.filter((l) => l.includes('not sent another way'));
    expect(warned).toHaveLength(1);
    expect(warned[0]).toContain(`channels[id=${TPLONLY.id}].smsFallbackFrom`);
    expect(warned[0]).not.toContain('resultTemplateSid');
    const notices = h.db.select().from(outbox).where(like(outbox.id, `${kase.number}.undelivered-%`)).all();
    expect(notices).toHaveLength(1);
    expect((notices[0]!.payload as { text: string }).text).toContain('Pesan lengkap tetap ditahan');
  }, 60_000);

  it('the template\'s failure reported only after the citizen wrote back and got the full text (no SMS number): recorded as such, not dead, the division not told', async () => {
    const phone = '+6281377770114';
    const { kase, resultId } = await caseWithResult(TPLONLY, phone, 'Genangan di Jalan Solo sudah dialirkan.');
    expect((await callback(TPLONLY, resultId, phone, '63016')).status).toBe(200);
    const templateId = `${resultId}.fallback-wa-template`;
    await waitFor(() => getOutbox(h.db, templateId)?.status === 'sent', 15_000);
    expect((await whatsappIn(TPLONLY, phone, 'baik pak, hasilnya bagaimana?')).status).toBe(200);
    const fullId = `${resultId}.fallback-wa-full`;
    await waitFor(() => getOutbox(h.db, fullId)?.status === 'sent', 15_000);
    expect((await callback(TPLONLY, templateId, phone, '63049', 'failed')).status).toBe(200);
    expect(getOutbox(h.db, templateId)).toMatchObject({ status: 'skipped', lastError: `Twilio failed (63049); isinya sudah dikirim lewat ${fullId}` });
    const recorded = failures(kase.id);
    expect(recorded).toHaveLength(2);
    expect(recorded[1]!.text).toBe('Pesan ke pelapor tidak terkirim: Twilio failed (63049). Pesan lengkap sudah dikirim lewat WhatsApp setelah pelapor membalas.');
    expect(recorded[1]!.data).toMatchObject({ outboxId: templateId, reachedBy: fullId });
    expect(h.db.select().from(outbox).where(like(outbox.id, `${kase.number}.undelivered-%`)).all()).toHaveLength(0);
  }, 60_000);
});

describe('a channel with a WhatsApp sender also takes SMS on its number', () => {
  it('an SMS to it (a plain From) is acknowledged by SMS, from the same number without whatsapp: — what the SMS-cost warning counts it for', async () => {
    const phone = '+6281377770120';
    expect((await post(PLAIN, {
      MessageSid: sid(++n), SmsMessageSid: sid(n), AccountSid: ACCOUNT, From: phone, To: PLAIN.from.replace(/^whatsapp:/, ''), Body: 'Sampah menumpuk di pinggir Jl. Magelang sejak seminggu', NumMedia: '0', SmsStatus: 'received', ApiVersion: '2010-04-01',
    })).status).toBe(200);
    await waitFor(() => sentTo(phone).length > 0, 15_000);
    const [ack, ...more] = sentTo(phone);
    expect(more).toEqual([]);
    expect(ack!['From']).toBe('+6281100000002');
    expect(ack!['Body']).toMatch(/ADU-\d{4}-\d{6}/);
    expect(sentTo(`whatsapp:${phone}`)).toEqual([]);
  }, 30_000);
});
