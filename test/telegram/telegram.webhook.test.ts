import { Queue } from 'bullmq';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { and, eq } from 'drizzle-orm';
import { messages, quarantine } from '../../core/db/schema.ts';
import { queueSettings, QUEUES } from '../../core/queue.ts';
import { startHarness, type Harness } from '../helpers/harness.ts';
import { freePort, waitFor } from '../helpers/ports.ts';
import { FakeBotApi, make } from './fake-bot-api.ts';
import { logOnlyContext } from './log-only-context.ts';
import type { ConnectorInstance } from '../../core/connector.ts';
import type { ConnectorRuntime } from '../../core/runtime.ts';
import { Telegram } from 'telegraf';
import { TelegramIntake } from '../../connectors/telegram/telegram.intake.ts';
import { webhookHandler } from '../../connectors/telegram/telegram.webhook.ts';
import type { TelegramConfig } from '../../connectors/telegram/telegram.config.ts';

const CONNECTOR = 'telegram-hook';
const SECRET = 'hook_Secret-0123456789';

describe('telegram connector, webhook mode', () => {
  let fake: FakeBotApi;
  let h: Harness;
  let queue: Queue;
  let instance: ConnectorInstance;
  let runtime: ConnectorRuntime;
  let url: string;

  beforeAll(async () => {
    fake = await new FakeBotApi().start();
    const port = await freePort();
    url = `http://127.0.0.1:${port}/tg/hook`;
    h = await startHarness({
      channels: [{
        id: CONNECTOR, type: 'telegram', token: fake.token, apiRoot: fake.url, mode: 'webhook', albumWaitMs: 300,
        webhook: { listen: { host: '127.0.0.1', port }, path: '/tg/hook', publicUrl: 'https://aduan.example.test/tg/hook', secretToken: SECRET },
      }],
    });
    queue = new Queue(QUEUES.intake, queueSettings(h.config, 'worker'));
    queue.on('error', () => undefined);
    ({ instance, runtime } = await h.startConnector(CONNECTOR));
  });
  afterAll(async () => {
    await queue?.close();
    await h?.stop();
    await fake?.stop();
  });

  const post = (body: unknown, secret?: string) =>
    fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', ...(secret !== undefined ? { 'x-telegram-bot-api-secret-token': secret } : {}) }, body: JSON.stringify(body) });
  // (a message's job id covers its content digest too, jobIdOf: found by the message it carries)
  const job = async (externalId: string) => (await queue.getJobs(['waiting', 'active', 'completed', 'failed', 'delayed'])).find((j) => (j?.data as { externalId?: string } | undefined)?.externalId === externalId);

  it('registers the webhook with the secret and never drops pending updates', async () => {
    await waitFor(() => fake.callsOf('setWebhook').length === 1);
    const call = fake.callsOf('setWebhook')[0]!.payload;
    expect(call['url']).toBe('https://aduan.example.test/tg/hook');
    expect(call['secret_token']).toBe(SECRET);
    expect(call['drop_pending_updates']).toBeUndefined();
    expect(fake.callsOf('deleteWebhook')).toHaveLength(0);
    await waitFor(async () => (await instance.health()).ok);
  });

  it('answers 403 to a missing or wrong secret and queues nothing', async () => {
    const u = { update_id: 1, ...make.text('Jalan rusak di Jl. Magelang', { chatId: 8880001, messageId: 1 }) };
    expect((await post(u)).status).toBe(403);
    expect((await post(u, 'wrong_secret')).status).toBe(403);
    expect((await post(u, `${SECRET}x`)).status).toBe(403);
    expect(await job('8880001:1')).toBeUndefined();
  });

  it('answers 200 only once the update is in the queue', async () => {
    const res = await post({ update_id: 2, ...make.text('Jalan rusak di Jl. Magelang km 5', { chatId: 8880001, messageId: 2 }) }, SECRET);
    expect(res.status).toBe(200);
    const j = await job('8880001:2');
    expect(j?.data).toMatchObject({ channel: 'telegram', externalId: '8880001:2', sender: { telegramChatId: '8880001' } });
  });

  it('answers 5xx when the enqueue fails (Redis down), so Telegram retries; 200 on the retry', async () => {
    await h.redis.stop();
    try {
      const res = await post({ update_id: 3, ...make.text('Pipa PDAM bocor di Jl. Godean', { chatId: 8880002, messageId: 3 }) }, SECRET);
      expect(res.status).toBeGreaterThanOrEqual(500);
    } finally {
      await h.redis.restart();
    }
    await waitFor(async () => (await post({ update_id: 3, ...make.text('Pipa PDAM bocor di Jl. Godean', { chatId: 8880002, messageId: 3 }) }, SECRET)).status === 200, 20_000, 500);
    expect((await job('8880002:3'))?.data.externalId).toBe('8880002:3');
  });

  it('merges album parts posted separately and answers each only after the merged message is queued', async () => {
    fake.addFile({ fileId: 'W-a', content: Buffer.from('aaa') });
    fake.addFile({ fileId: 'W-b', content: Buffer.from('bbbb') });
    const base = { date: 1780000000, media_group_id: 'WG', chat: make.chat(8880003), from: make.from(8880003) };
    const [r1, r2] = await Promise.all([
      post({ update_id: 10, message: { ...base, message_id: 31, photo: [{ file_id: 'W-a', file_unique_id: 'wa', file_size: 3, width: 1, height: 1 }], caption: 'Genangan di underpass Lempuyangan' } }, SECRET),
      post({ update_id: 11, message: { ...base, message_id: 32, photo: [{ file_id: 'W-b', file_unique_id: 'wb', file_size: 4, width: 1, height: 1 }] } }, SECRET),
    ]);
    expect([r1.status, r2.status]).toEqual([200, 200]);
    const j = await job('8880003:31');
    expect(j?.data.attachments.map((a: { size: number }) => a.size)).toEqual([3, 4]);
    expect(await job('8880003:32')).toBeUndefined();
  });

  it('answers a text sent after an album only once the album is queued (two connections at once)', async () => {
    // Telegram delivers over several connections (max_connections): the album's request is held
    // for its parts while the next update of the chat comes in. The handler is driven directly so
    // that the album is surely taken first, as Telegram sent it.
    const config = h.config.channels.find((c) => c.id === CONNECTOR) as TelegramConfig;
    const intake = new TelegramIntake({ api: new Telegram(fake.token, { apiRoot: fake.url }), ctx: runtime.ctx, config, bot: { id: fake.bot.id, username: fake.bot.username } });
    const handle = webhookHandler({ ctx: runtime.ctx, intake, secretToken: SECRET });
    const req = (body: unknown) => ({ method: 'POST', url: '/tg/hook', ip: '127.0.0.1', headers: { 'x-telegram-bot-api-secret-token': SECRET }, body: Buffer.from(JSON.stringify(body)) });
    fake.addFile({ fileId: 'O-a', content: Buffer.from('ooo') });
    const base = { date: 1780000000, chat: make.chat(8880005), from: make.from(8880005) };
    const albumAnswer = handle(req({ update_id: 15, message: { ...base, message_id: 51, media_group_id: 'OG', photo: [{ file_id: 'O-a', file_unique_id: 'oa', file_size: 3, width: 1, height: 1 }], caption: 'Jembatan kayu di Kali Winongo retak' } }));
    const textAnswer = handle(req({ update_id: 16, message: { ...base, date: base.date + 4, message_id: 52, text: 'Papannya sudah ada yang patah, anak sekolah lewat situ tiap pagi.' } }));
    expect((await textAnswer).status).toBe(200);
    expect(await job('8880005:51')).toBeDefined();
    expect((await albumAnswer).status).toBe(200);
    expect(await job('8880005:52')).toBeDefined();
  });

  it('attaches an album photo delivered after the merge to the same case', async () => {
    h.startIntake();
    fake.addFile({ fileId: 'S-a', content: Buffer.from('first') });
    fake.addFile({ fileId: 'S-b', content: Buffer.from('second') });
    const base = { date: 1780000000, media_group_id: 'SERIAL', chat: make.chat(8880004), from: make.from(8880004) };
    // Telegram waits for our answer before the next part: the merge happens with part one alone.
    expect((await post({ update_id: 20, message: { ...base, message_id: 41, photo: [{ file_id: 'S-a', file_unique_id: 'sa', file_size: 5, width: 1, height: 1 }], caption: 'Jalan amblas di Jl. Wonosari dekat pasar' } }, SECRET)).status).toBe(200);
    const row = (externalId: string) => h.db.select().from(messages).where(and(eq(messages.connectorId, CONNECTOR), eq(messages.externalId, externalId))).get();
    await waitFor(() => row('8880004:41') !== undefined);
    expect((await post({ update_id: 21, message: { ...base, message_id: 42, photo: [{ file_id: 'S-b', file_unique_id: 'sb', file_size: 6, width: 1, height: 1 }] } }, SECRET)).status).toBe(200);
    await waitFor(() => row('8880004:42') !== undefined);
    expect(row('8880004:42')!.relation).toBe('reply');
    expect(row('8880004:42')!.caseId).toBe(row('8880004:41')!.caseId);
  });

  it('quarantines a body that is not an update, with the raw body and the reason, instead of dropping it', async () => {
    const stored = () => h.db.select().from(quarantine).where(eq(quarantine.connectorId, CONNECTOR)).all();
    const res = await fetch(url, { method: 'POST', headers: { 'x-telegram-bot-api-secret-token': SECRET, 'content-type': 'application/json' }, body: '{not json' });
    // (2xx: it is kept; Telegram need not send it again)
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ ok: false, quarantined: true });
    expect((await post({ hello: 'world' }, SECRET)).status).toBe(200);
    const rows = stored();
    expect(rows.map((r) => [r.code, r.payload])).toEqual([['TELEGRAM.UNPARSEABLE', '{not json'], ['TELEGRAM.UNPARSEABLE', '{"hello":"world"}']]);
    expect(rows[0]!.reason).toMatch(/not JSON/);
    expect(rows[1]!.reason).toMatch(/update_id/);
    // without the secret nothing is kept: anyone can send that
    expect((await fetch(url, { method: 'POST', body: '{not json' })).status).toBe(403);
    expect(stored()).toHaveLength(2);
  });

  it('takes a genuine update over 64 KB (emoji written as \\uXXXX, a reply to a long message, entities) that has the right secret; without it 413 and nothing queued', async () => {
    // as Telegram writes it: every character outside ASCII as \uXXXX (an emoji: 12 bytes)
    const asTelegram = (v: unknown) => JSON.stringify(v).replace(/[\u007f-\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
    // (the longest text Telegram takes, 4096 UTF-16 units, no emoji cut in half)
    const emojiText = (lead: string) => `${lead} ${'🙏😭🚧💧'.repeat(500)}`.slice(0, lead.length % 2 === 0 ? 4095 : 4096);
    const entities = (text: string) => Array.from({ length: 750 }, (_, i) => ({ offset: text.length - 1 - i * 2, length: 1, type: i % 2 === 0 ? 'bold' : 'italic' }));
    const original = emojiText('Jalan di depan SD Negeri Jetis berlubang besar');
    const text = emojiText('Sudah seminggu belum diperbaiki, tadi pagi ada motor jatuh lagi');
    const base = make.text(text, { chatId: 8880008, messageId: 81 }).message;
    const update = {
      update_id: 80,
      message: {
        ...base, entities: entities(text),
        reply_to_message: { message_id: 80, date: base.date - 600, chat: base.chat, from: base.from, text: original, entities: entities(original) },
      },
    };
    const body = asTelegram(update);
    expect(body).toContain('\\ud83d\\ude4f');
    expect(Buffer.byteLength(body)).toBeGreaterThan(100 * 1024);
    const send = (headers: Record<string, string>) => fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body });
    // without the secret, or with a wrong one: refused as before, nothing queued
    expect((await send({})).status).toBe(413);
    expect((await send({ 'x-telegram-bot-api-secret-token': 'wrong_secret' })).status).toBe(413);
    expect(await job('8880008:81')).toBeUndefined();
    // with it: taken as any other update (before: quarantined as TELEGRAM.TOO_LARGE, the citizen unanswered)
    const res = await send({ 'x-telegram-bot-api-secret-token': SECRET });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ ok: true });
    expect((await job('8880008:81'))?.data).toMatchObject({ channel: 'telegram', externalId: '8880008:81', text: expect.stringContaining('motor jatuh lagi') });
    expect(h.db.select().from(quarantine).where(eq(quarantine.connectorId, CONNECTOR)).all().filter((r) => r.code === 'TELEGRAM.TOO_LARGE')).toHaveLength(0);
  });

  it('quarantines the first 64 KB of an update over the 1 MB limit of an update that has the right secret, and answers 200; without the secret 413 and nothing kept', async () => {
    const stored = () => h.db.select().from(quarantine).where(and(eq(quarantine.connectorId, CONNECTOR), eq(quarantine.code, 'TELEGRAM.TOO_LARGE'))).all();
    const big = JSON.stringify({ update_id: 90, ...make.text(`Banjir di Jl. Solo. ${'Air masuk rumah warga. '.repeat(48_000)}`, { chatId: 8880009, messageId: 90 }) });
    expect(Buffer.byteLength(big)).toBeGreaterThan(1024 * 1024);
    // without the secret, or with a wrong one: refused before the body is read, nothing kept
    expect((await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: big })).status).toBe(413);
    expect((await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', 'x-telegram-bot-api-secret-token': 'wrong_secret' }, body: big })).status).toBe(413);
    expect(stored()).toHaveLength(0);
    // with it: kept (its first 64 KB and the reason) and answered 2xx, so Telegram does not send it again
    const res = await post(JSON.parse(big), SECRET);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ ok: false, quarantined: true });
    // (sent without a length, in chunks, too)
    const chunks = [big.slice(0, 600_000), big.slice(600_000)].map((c) => c.replace('"update_id":90', '"update_id":91'));
    const stream = new ReadableStream({
      start(c) {
        for (const chunk of chunks) c.enqueue(new TextEncoder().encode(chunk));
        c.close();
      },
    });
    const streamed = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', 'x-telegram-bot-api-secret-token': SECRET }, body: stream, duplex: 'half' } as RequestInit);
    expect(streamed.status).toBe(200);
    const rows = stored();
    expect(rows.map((r) => r.externalId)).toEqual(['update:90', 'update:91']);
    expect(Buffer.byteLength(rows[0]!.payload!)).toBe(64 * 1024);
    expect(big.startsWith(rows[0]!.payload!)).toBe(true);
    expect(rows[0]!.reason).toMatch(/update 90 of \d+ bytes is over the 1024 KB limit of an update/);
    expect(await job('8880009:90')).toBeUndefined();
  });

  it('stops twice without throwing', async () => {
    await instance.stop();
    await instance.stop();
    await expect(fetch(url, { method: 'POST' })).rejects.toThrow();
  });
});

describe('telegram webhook registration refused', () => {
  let fake: FakeBotApi;
  beforeAll(async () => {
    fake = await new FakeBotApi().start();
  });
  afterAll(async () => {
    await fake?.stop();
  });

  /** The connector with a context that only logs (setWebhook fails before any update could come). */
  async function start(logs: { level: number; msg: string }[]): Promise<ConnectorInstance> {
    const { telegramConnector } = await import('../../connectors/telegram/index.ts');
    const { telegramConfigSchema } = await import('../../connectors/telegram/telegram.config.ts');
    const config = telegramConfigSchema.parse({
      id: 'tg-hook-refused', type: 'telegram', token: fake.token, apiRoot: fake.url, mode: 'webhook',
      webhook: { listen: { host: '127.0.0.1', port: 0 }, publicUrl: 'https://aduan.example.test/tg/hook', secretToken: SECRET },
    });
    const ctx = logOnlyContext(logs);
    const instance = telegramConnector.create(config, ctx);
    await instance.start();
    return instance;
  }

  it.each([
    [401, 'Unauthorized', [/401/, /@BotFather/, /token/]],
    [404, 'Not Found', [/404/, /apiRoot/, /token/]],
    [400, 'Bad Request: bad webhook: An HTTPS URL must be provided for webhook', [/HTTPS URL must be provided/, /webhook\.publicUrl/]],
  ] as const)('says what to change when setWebhook answers %i', async (status, description, expected) => {
    const logs: { level: number; msg: string }[] = [];
    fake.failNext('setWebhook', { status, description });
    const instance = await start(logs);
    try {
      await waitFor(() => logs.some((l) => l.level >= 50), 10_000);
    } finally {
      await instance.stop();
    }
    const line = logs.find((l) => l.level >= 50)!;
    expect(line.msg).toContain('"tg-hook-refused"');
    for (const re of expected) expect(line.msg).toMatch(re);
    expect(line.msg).not.toContain(fake.token);
  });
});
