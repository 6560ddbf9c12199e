import { Queue } from 'bullmq';
import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cases, connectorState, messages, outbox } from '../../core/db/schema.ts';
import { officerCommand, VERDICT_QUESTION } from '../../core/lifecycle/service.ts';
import { outboundQueueName, queueSettings } from '../../core/queue.ts';
import { ANSWER_ARRIVED_PREFIX, splitMessage, TELEGRAM_TEXT_MAX } from '../../connectors/telegram/telegram.outbound.ts';
import { ANSWER_LATE_GRACE_MS } from '../../connectors/telegram/telegram.intake.ts';
import { startHarness, type Harness } from '../helpers/harness.ts';
import { waitFor } from '../helpers/ports.ts';
import { FakeBotApi, make } from './fake-bot-api.ts';

const CONNECTOR = 'telegram-out';
/** A second bot whose direct command answers wait 1 s for Telegram (answerTimeoutSeconds). */
const SLOW = 'telegram-slow';
const flat = (s: string) => s.replace(/\s+/g, ' ').trim();

describe('telegram long texts', () => {
  it('splits at paragraph, line or word breaks, keeping every word and the end', () => {
    const paragraph = 'Berdasarkan hasil rapat kerja Komisi C bersama DPUPKP tanggal 3 Juni, disampaikan bahwa perbaikan dijadwalkan. '.repeat(18);
    const text = `Hasil tindak lanjut aduan ADU-2026-000001:\n\n${[paragraph, paragraph, paragraph, paragraph, paragraph].join('\n\n')}\n${VERDICT_QUESTION}`;
    expect(text.length).toBeGreaterThan(2 * TELEGRAM_TEXT_MAX);
    const parts = splitMessage(text);
    expect(parts.length).toBeGreaterThanOrEqual(3);
    for (const p of parts) expect(p.length).toBeLessThanOrEqual(TELEGRAM_TEXT_MAX);
    expect(flat(parts.join(' '))).toBe(flat(text));
    // cut between paragraphs, not inside one
    for (const p of parts.slice(0, -1)) expect(p.endsWith('dijadwalkan.')).toBe(true);
    expect(parts.at(-1)!.endsWith(VERDICT_QUESTION)).toBe(true);
    // one word after another when there is no line break at all
    const words = 'jalan '.repeat(1500).trim();
    const wordParts = splitMessage(words);
    expect(wordParts.every((p) => p.length <= TELEGRAM_TEXT_MAX && /^jalan( jalan)*$/.test(p))).toBe(true);
    expect(wordParts.join(' ')).toBe(words);
    expect(splitMessage('Aduan diterima.')).toEqual(['Aduan diterima.']);
  });

  it('never cuts inside a surrogate pair', () => {
    const text = `a${'😀'.repeat(3000)}`;
    const parts = splitMessage(text);
    expect(parts.length).toBe(2);
    expect(parts.join('')).toBe(text);
    for (const p of parts) {
      expect(p.length).toBeLessThanOrEqual(TELEGRAM_TEXT_MAX);
      // no lone surrogate at either end (an emoji cut in half)
      expect(/^[\uDC00-\uDFFF]|[\uD800-\uDBFF]$/.test(p)).toBe(false);
    }
  });
});

describe('telegram long result, end to end', () => {
  let fake: FakeBotApi;
  let slowFake: FakeBotApi;
  let h: Harness;

  beforeAll(async () => {
    fake = await new FakeBotApi().start();
    slowFake = await new FakeBotApi('654321:SLOW-token_for-the-fake').start();
    h = await startHarness({ channels: [
      { id: CONNECTOR, type: 'telegram', token: fake.token, apiRoot: fake.url, polling: { timeoutSeconds: 1 } },
      { id: SLOW, type: 'telegram', token: slowFake.token, apiRoot: slowFake.url, polling: { timeoutSeconds: 1 }, answerTimeoutSeconds: 1 },
    ] });
    h.startIntake();
    await h.startConnector(CONNECTOR);
    await h.startConnector(SLOW);
  });
  afterAll(async () => {
    await h?.stop();
    await fake?.stop();
    await slowFake?.stop();
  });

  it('sends a #selesai result over 4096 characters whole, in order, with the PUAS question; after a 429 the job waits retry_after as a delayed job and does not resend parts', async () => {
    const chat = 6680001;
    fake.push(make.text('Jalan berlubang di Jl. Parangtritis km 3, sudah dua motor jatuh. Mohon diperbaiki.', { chatId: chat, messageId: 1 }));
    const toChat = () => fake.callsOf('sendMessage').filter((c) => Number(c.payload['chat_id']) === chat);
    await waitFor(() => toChat().length === 1);
    const kase = h.db.select().from(cases).where(eq(cases.connectorId, CONNECTOR)).get()!;
    const result = Array.from({ length: 5 }, (_, i) => `Bagian ${i + 1}: ${'Berdasarkan hasil rapat kerja Komisi C bersama DPUPKP, disampaikan bahwa perbaikan dijadwalkan. '.repeat(20).trim()}`).join('\n\n');
    // the second part fails with a wait longer than the connector keeps in-process: the job is retried later
    fake.failNext('sendMessage', { status: 429, description: 'Too Many Requests: retry after 60', parameters: { retry_after: 60 } }, 1, { after: 1 });
    officerCommand({ config: h.config, db: h.db, outboundChannels: new Set([CONNECTOR]) }, kase.number, { kind: 'selesai', result }, 'tester');
    // the next attempt waits as a delayed job at least the 60 s Telegram asked for (before: the queue's own 5 s,
    // and the limit was hit again); it is promoted here so the test need not wait
    const resultRow = () => h.db.select().from(outbox).where(eq(outbox.caseId, kase.id)).all().find((o) => o.id.includes('.result'));
    await waitFor(() => toChat().length === 3);
    const queue = new Queue(outboundQueueName(CONNECTOR), queueSettings(h.config, 'worker'));
    try {
      await waitFor(async () => (await queue.getJob(resultRow()!.id))?.getState().then((s) => s === 'delayed') ?? false, 10_000);
      const job = (await queue.getJob(resultRow()!.id))!;
      // (BullMQ keeps the backoff it chose in the job's delay)
      expect(job.delay).toBeGreaterThanOrEqual(60_000);
      await job.promote();
    } finally {
      await queue.close();
    }
    await waitFor(() => h.db.select().from(outbox).where(eq(outbox.caseId, kase.id)).all().some((o) => o.id.includes('.result') && o.status === 'sent'), 20_000);
    const calls = toChat().slice(1).map((c) => String(c.payload['text']));
    // parts: 1 (sent), 2 (429), then on the retry 2 and the rest — part 1 not again
    expect(calls[1]).toBe(calls[2]);
    const delivered = [calls[0]!, ...calls.slice(2)];
    expect(delivered.length).toBeGreaterThanOrEqual(3);
    expect(new Set(delivered).size).toBe(delivered.length);
    for (const t of delivered) expect(t.length).toBeLessThanOrEqual(TELEGRAM_TEXT_MAX);
    expect(flat(delivered.join(' '))).toContain(flat(result));
    expect(delivered.at(-1)!).toContain('PUAS');
    // the first part answers the citizen's message; the rest follow it
    expect(toChat()[1]!.payload['reply_parameters']).toMatchObject({ message_id: 1 });
    expect(toChat().at(-1)!.payload['reply_parameters']).toBeUndefined();
  });

  it('a reply Telegram rate-limits for 10 s is not slept on in the worker: the job waits as a delayed job no sooner than retry_after, another chat\'s reply goes meanwhile, and it is sent once', async () => {
    const [limited, other] = [6680151, 6680152];
    const toChat = (id: number) => fake.callsOf('sendMessage').filter((c) => Number(c.payload['chat_id']) === id);
    const ackRow = (id: number) => {
      const msg = h.db.select().from(messages).where(and(eq(messages.connectorId, CONNECTOR), eq(messages.externalId, `${id}:1`))).get();
      return msg?.caseId == null ? undefined : h.db.select().from(outbox).where(eq(outbox.caseId, msg.caseId)).all().find((o) => o.kind === 'channel');
    };
    fake.failNext('sendMessage', { status: 429, description: 'Too Many Requests: retry after 10', parameters: { retry_after: 10 } }, 1, { chatId: limited });
    fake.push(make.text('Sampah menumpuk di depo Jl. Ngasem, baunya sampai ke rumah warga.', { chatId: limited, messageId: 1 }));
    await waitFor(() => ackRow(limited) !== undefined && toChat(limited).length === 1, 20_000);
    const row = ackRow(limited)!;
    const queue = new Queue(outboundQueueName(CONNECTOR), queueSettings(h.config, 'worker'));
    try {
      // (before: the worker slept the 10 s out in its slot and sent it then — the job never delayed)
      const state = async () => (await queue.getJob(row.id))?.getState();
      await waitFor(async () => (await state()) === 'delayed' || ackRow(limited)!.status === 'sent', 20_000);
      expect(await state()).toBe('delayed');
      const job = (await queue.getJob(row.id))!;
      expect(job.delay).toBeGreaterThanOrEqual(10_000);
      // meanwhile another chat's reply goes, and the limited one is not sent again before its time
      fake.push(make.text('Lampu lalu lintas perempatan Tugu mati sejak kemarin sore.', { chatId: other, messageId: 1 }));
      await waitFor(() => ackRow(other)?.status === 'sent', 20_000);
      expect(toChat(other)).toHaveLength(1);
      expect(toChat(limited)).toHaveLength(1);
      expect(ackRow(limited)!.status).toBe('queued');
      expect(await state()).toBe('delayed');
      // Telegram's 10 s pass (promoted here so the test need not wait): sent, once
      await job.promote();
    } finally {
      await queue.close();
    }
    await waitFor(() => ackRow(limited)!.status === 'sent', 20_000);
    const sent = toChat(limited);
    expect(sent).toHaveLength(2);
    expect(sent[1]!.payload['text']).toBe(sent[0]!.payload['text']);
    expect(sent[1]!.payload['reply_parameters']).toMatchObject({ message_id: 1 });
  });

  it('a command answer Telegram rate-limits for 30 s is not dropped: it goes through the outbound queue once allowed (another 429 there: a delayed job), while other chats go on', async () => {
    const chat = 6680101;
    const other = 6680102;
    const toChat = (id: number) => fake.callsOf('sendMessage').filter((c) => Number(c.payload['chat_id']) === id);
    // the answer to /start is refused with a wait longer than the update loop may spend on it
    fake.failNext('sendMessage', { status: 429, description: 'Too Many Requests: retry after 30', parameters: { retry_after: 30 } });
    fake.push(make.text('/start', { chatId: chat, messageId: 7 }));
    const answerRow = () => h.db.select().from(outbox).all().find((o) => o.id.startsWith(`${CONNECTOR}.answer.${chat}.7.`));
    // (before: the answer was logged "not sent" and lost)
    await waitFor(() => answerRow() !== undefined);
    const row = answerRow()!;
    expect(row.caseId).toBeNull();
    expect(row.queue).toBe(outboundQueueName(CONNECTOR));
    // held in the outbox until Telegram's wait is over, not sent before
    expect(row.status).toBe('pending');
    expect(toChat(chat)).toHaveLength(1);
    // (no sooner than 30 s after Telegram refused it)
    expect(Date.parse(row.notBefore!) - toChat(chat)[0]!.at).toBeGreaterThanOrEqual(30_000);
    // the update loop went on: the next chat's complaint is taken and acknowledged meanwhile
    fake.push(make.text('Saluran air di Jl. Kaliurang km 5 tersumbat, banjir tiap hujan.', { chatId: other, messageId: 1 }));
    await waitFor(() => toChat(other).length === 1);
    expect(answerRow()!.status).toBe('pending');
    // Telegram's 30 s pass (the row's time is moved, as the clock would), and the send is refused once more,
    // for 60 s: the job waits as a delayed job at least that long (promoted here so the test need not wait)
    fake.failNext('sendMessage', { status: 429, description: 'Too Many Requests: retry after 60', parameters: { retry_after: 60 } });
    h.db.update(outbox).set({ notBefore: new Date().toISOString() }).where(eq(outbox.id, row.id)).run();
    const queue = new Queue(outboundQueueName(CONNECTOR), queueSettings(h.config, 'worker'));
    try {
      await waitFor(async () => (await queue.getJob(row.id))?.getState().then((s) => s === 'delayed') ?? false, 10_000);
      const job = (await queue.getJob(row.id))!;
      expect(job.delay).toBeGreaterThanOrEqual(60_000);
      expect(toChat(chat)).toHaveLength(2);
      await job.promote();
    } finally {
      await queue.close();
    }
    await waitFor(() => answerRow()!.status === 'sent', 20_000);
    const sent = toChat(chat);
    expect(sent).toHaveLength(3);
    expect(sent[2]!.payload['text']).toBe(sent[0]!.payload['text']);
    expect(String(sent[2]!.payload['text'])).toMatch(/Selamat datang/);
    // still the answer to the citizen's command
    expect(sent[2]!.payload['reply_parameters']).toEqual({ message_id: 7, allow_sending_without_reply: true });
    // no complaint recorded for the command
    expect(h.db.select().from(messages).where(and(eq(messages.connectorId, CONNECTOR), eq(messages.externalId, `${chat}:7`))).get()).toBeUndefined();
  });

  it('a command answer Telegram rate-limits (429, retry_after 8) does not hold the poll round: other chats are answered and the next getUpdates goes out first; the answer arrives later, once', async () => {
    const [slow, complaint, help, later] = [6680111, 6680112, 6680113, 6680114];
    const toChat = (id: number) => fake.callsOf('sendMessage').filter((c) => Number(c.payload['chat_id']) === id);
    fake.failNext('sendMessage', { status: 429, description: 'Too Many Requests: retry after 8', parameters: { retry_after: 8 } }, 1, { chatId: slow });
    // one round: a /status (refused 429), a complaint and a /bantuan from three chats
    fake.push(make.text('/status', { chatId: slow, messageId: 3 }));
    fake.push(make.text('Lampu PJU di Jl. Parangtritis mati sejak seminggu.', { chatId: complaint, messageId: 1 }));
    fake.push(make.text('/bantuan', { chatId: help, messageId: 2 }));
    const answerRow = () => h.db.select().from(outbox).all().find((o) => o.id.startsWith(`${CONNECTOR}.answer.${slow}.3.`));
    // (before: the round waited the 8 s out and sent the answer again itself — no outbox row)
    await waitFor(() => answerRow() !== undefined || toChat(slow).length > 1, 20_000);
    expect(toChat(slow)).toHaveLength(1);
    const row = answerRow()!;
    expect(row.status).toBe('pending');
    // not before Telegram's retry_after
    expect(Date.parse(row.notBefore!) - toChat(slow)[0]!.at).toBeGreaterThanOrEqual(8_000);
    // the other chats of that round: the /bantuan answered, the complaint taken and acknowledged
    await waitFor(() => toChat(help).length === 1 && toChat(complaint).length === 1);
    // a command of the next round is answered at once, still before the held answer goes
    fake.push(make.text('/start', { chatId: later, messageId: 5 }));
    await waitFor(() => toChat(later).length === 1);
    expect(String(toChat(later)[0]!.payload['text'])).toMatch(/Selamat datang/);
    expect(toChat(slow)).toHaveLength(1);
    expect(answerRow()!.status).toBe('pending');
    // Telegram's 8 s pass (the row's time moved, as the clock would): the answer goes, once
    h.db.update(outbox).set({ notBefore: new Date().toISOString() }).where(eq(outbox.id, row.id)).run();
    await waitFor(() => answerRow()!.status === 'sent', 20_000);
    const sent = toChat(slow);
    expect(sent).toHaveLength(2);
    expect(sent[1]!.payload['text']).toBe(sent[0]!.payload['text']);
    expect(String(sent[1]!.payload['text'])).toContain('/status');
    expect(sent[1]!.payload['reply_parameters']).toEqual({ message_id: 3, allow_sending_without_reply: true });
    // the poll loop asked for the next updates after the refusal, before the answer went (not after waiting it out)
    const refusedAt = fake.calls.indexOf(sent[0]!);
    const nextPoll = fake.calls.findIndex((c, i) => i > refusedAt && c.method === 'getUpdates');
    expect(nextPoll).toBeGreaterThan(refusedAt);
    expect(nextPoll).toBeLessThan(fake.calls.indexOf(sent[1]!));
    expect(h.db.select().from(outbox).all().filter((o) => o.id.startsWith(`${CONNECTOR}.answer.${slow}.`))).toHaveLength(1);
  });

  it('a command answer Telegram does not take (5xx on every inline attempt) goes through the outbound queue at once', async () => {
    const chat = 6680103;
    const toChat = () => fake.callsOf('sendMessage').filter((c) => Number(c.payload['chat_id']) === chat);
    fake.failNext('sendMessage', { status: 502, description: 'Bad Gateway' }, 3);
    fake.push(make.text('/bantuan', { chatId: chat, messageId: 4 }));
    const answerRow = () => h.db.select().from(outbox).all().find((o) => o.id.startsWith(`${CONNECTOR}.answer.${chat}.4.`));
    await waitFor(() => answerRow()?.status === 'sent', 20_000);
    expect(answerRow()!.notBefore).toBeNull();
    const sent = toChat();
    // three inline attempts refused, then the queue's one
    expect(sent).toHaveLength(4);
    expect(String(sent[3]!.payload['text'])).toContain('/status');
    expect(sent[3]!.payload['reply_parameters']).toEqual({ message_id: 4, allow_sending_without_reply: true });
  });

  it('a command answer whose send Telegram never answers (a stalled connection) does not hold the poll round: the next updates of other chats go on, and the answer arrives through the outbox, once', async () => {
    const [stalled, complaint, help] = [6680121, 6680122, 6680123];
    const toChat = (id: number) => slowFake.callsOf('sendMessage').filter((c) => Number(c.payload['chat_id']) === id);
    const answerRow = () => h.db.select().from(outbox).all().find((o) => o.id.startsWith(`${SLOW}.answer.${stalled}.3.`));
    // the answer to this /status is read by "Telegram" and never answered
    slowFake.hangNext('sendMessage');
    slowFake.push(make.text('/status', { chatId: stalled, messageId: 3 }));
    await waitFor(() => toChat(stalled).length === 1);
    // updates of other chats that come meanwhile: a complaint and a /bantuan
    slowFake.push(make.text('Trotoar di Jl. Malioboro rusak, berbahaya bagi pejalan kaki.', { chatId: complaint, messageId: 1 }));
    slowFake.push(make.text('/bantuan', { chatId: help, messageId: 2 }));
    // (before: the round waited for the HTTP client's 500 s; neither was taken meanwhile)
    await waitFor(() => toChat(help).length === 1 && toChat(complaint).length === 1, 20_000);
    expect(String(toChat(help)[0]!.payload['text'])).toContain('/status');
    // the stalled answer is in the outbox, held until its first send can no longer end
    const row = answerRow()!;
    expect(row).toBeDefined();
    expect(row.status).toBe('pending');
    expect(Date.parse(row.notBefore!) - toChat(stalled)[0]!.at).toBeGreaterThanOrEqual(ANSWER_LATE_GRACE_MS);
    expect(toChat(stalled)).toHaveLength(1);
    // that time passes (the row's time moved, as the clock would): the answer goes through the outbound queue, once
    h.db.update(outbox).set({ notBefore: new Date().toISOString() }).where(eq(outbox.id, row.id)).run();
    await waitFor(() => answerRow()!.status === 'sent', 20_000);
    const sent = toChat(stalled);
    expect(sent).toHaveLength(2);
    expect(sent[1]!.payload['text']).toBe(sent[0]!.payload['text']);
    expect(sent[1]!.payload['reply_parameters']).toEqual({ message_id: 3, allow_sending_without_reply: true });
    expect(h.db.select().from(outbox).all().filter((o) => o.id.startsWith(`${SLOW}.answer.${stalled}.`))).toHaveLength(1);
  });

  it('a command answer Telegram answers only after the round gave up on it reached the citizen: its outbox copy is not sent (no second answer)', async () => {
    const [late, other] = [6680131, 6680132];
    const toChat = (id: number) => slowFake.callsOf('sendMessage').filter((c) => Number(c.payload['chat_id']) === id);
    const answerRow = () => h.db.select().from(outbox).all().find((o) => o.id.startsWith(`${SLOW}.answer.${late}.4.`));
    slowFake.holdNext('sendMessage');
    slowFake.push(make.text('/bantuan', { chatId: late, messageId: 4 }));
    await waitFor(() => toChat(late).length === 1);
    // the round gives up waiting: the answer is written for the outbound queue, and the next update is answered
    await waitFor(() => answerRow() !== undefined, 20_000);
    slowFake.push(make.text('/start', { chatId: other, messageId: 5 }));
    await waitFor(() => toChat(other).length === 1);
    expect(slowFake.heldCount).toBe(1);
    // now Telegram answers the held send: the citizen has the answer
    slowFake.releaseHeld();
    const note = () => h.db.select().from(connectorState).all().find((r) => r.connectorId === SLOW && r.key === `${ANSWER_ARRIVED_PREFIX}${answerRow()!.id}`);
    await waitFor(() => note() !== undefined);
    // the outbox copy's time comes: not sent again (before: no outbox row at all — the round waited; with a
    // deadline alone, a second answer)
    h.db.update(outbox).set({ notBefore: new Date().toISOString() }).where(eq(outbox.id, answerRow()!.id)).run();
    await waitFor(() => answerRow()!.status === 'sent', 20_000);
    expect(toChat(late)).toHaveLength(1);
    expect(note()).toBeUndefined();
  });

  it('a command answer held up past the hour its content holds (a long rate limit, an outage) is not sent late: skipped, with the reason', async () => {
    const chat = 6680104;
    const toChat = () => fake.callsOf('sendMessage').filter((c) => Number(c.payload['chat_id']) === chat);
    fake.failNext('sendMessage', { status: 429, description: 'Too Many Requests: retry after 30', parameters: { retry_after: 30 } });
    fake.push(make.text('/start', { chatId: chat, messageId: 9 }));
    const answerRow = () => h.db.select().from(outbox).all().find((o) => o.id.startsWith(`${CONNECTOR}.answer.${chat}.9.`));
    await waitFor(() => answerRow() !== undefined);
    const row = answerRow()!;
    const payload = row.payload as { staleAfter?: string };
    // an hour after Telegram's wait is over
    expect(Date.parse(payload.staleAfter!) - Date.parse(row.notBefore!)).toBeGreaterThanOrEqual(3_600_000 - 1_000);
    // (as if Telegram's wait had lasted past that hour)
    const past = new Date(Date.now() - 1000).toISOString();
    h.db.update(outbox).set({ notBefore: past, payload: { ...(row.payload as object), staleAfter: past } }).where(eq(outbox.id, row.id)).run();
    await waitFor(() => answerRow()!.status === 'skipped', 20_000);
    expect(answerRow()!.lastError).toContain('sudah usang');
    // only the refused inline attempt reached Telegram
    expect(toChat()).toHaveLength(1);
  });
});
