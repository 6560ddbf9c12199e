import { pino } from 'pino';
import { Telegram } from 'telegraf';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ConnectorContext } from '../../core/connector.ts';
import { AduanError } from '../../core/errors.ts';
import type { InboundMessageInput } from '../../core/message.ts';
import type { RedisLock } from '../../core/lock.ts';
import { telegramConfigSchema } from '../../connectors/telegram/telegram.config.ts';
import { TelegramIntake } from '../../connectors/telegram/telegram.intake.ts';
import { LAST_UPDATE_KEY, OFFSET_KEY, TelegramPoller } from '../../connectors/telegram/telegram.poller.ts';
import { waitFor } from '../helpers/ports.ts';
import { FakeBotApi, make } from './fake-bot-api.ts';

/** A context whose enqueue the test controls; state in memory. Real Bot API traffic goes to the fake. */
function stubContext(enqueue: (m: InboundMessageInput) => Promise<string>, logs?: { level: number; msg: string }[]) {
  const state = new Map<string, unknown>();
  const later = new Map<string, unknown>();
  const ctx = {
    config: { instance: { name: 'DPRD Test', phoneRegion: 'ID', timezone: 'Asia/Jakarta' }, storage: { maxAttachmentBytes: 10 * 1024 * 1024, allowedTypes: ['image/'] }, templates: {}, divisions: [] },
    logger: logs ? pino({ level: 'info' }, { write: (line: string) => void logs.push(JSON.parse(line) as { level: number; msg: string }) }) : pino({ level: 'silent' }),
    storage: { put: () => '0'.repeat(64) },
    enqueue,
    quarantine: () => undefined,
    state: { get: (k: string) => state.get(k), set: (k: string, v: unknown) => void state.set(k, v), prune: async () => 0 },
    // (the outbox: a row per id, writing the same id again a no-op)
    replyLater: (reply: { outboxId: string }) => !later.has(reply.outboxId) && Boolean(later.set(reply.outboxId, reply)),
    messageStatus: () => undefined,
    caseStatusFor: () => undefined,
    doNotContact: () => undefined,
    allowContact: () => undefined,
  } as unknown as ConnectorContext;
  return { ctx, state, later };
}

const held = { isHeld: true, acquire: async () => true, release: async () => undefined } as unknown as RedisLock;

describe('telegram poller cursor', () => {
  let fake: FakeBotApi;
  const signal = new AbortController().signal;
  beforeEach(async () => {
    fake = await new FakeBotApi().start();
  });
  afterEach(async () => {
    await fake.stop();
  });

  function setup(enqueue: (m: InboundMessageInput) => Promise<string>, initial: Record<string, unknown> = {}, opts: { answerGraceMs?: number; token?: string; logs?: { level: number; msg: string }[]; config?: Record<string, unknown> } = {}) {
    const { token = fake.token, logs, config: extra, ...pollerOpts } = opts;
    const { ctx, state } = stubContext(enqueue, logs);
    for (const [k, v] of Object.entries(initial)) state.set(k, v);
    const config = telegramConfigSchema.parse({ id: 'tg-unit', type: 'telegram', token, apiRoot: fake.url, polling: { timeoutSeconds: 0 }, ...extra });
    const api = new Telegram(token, { apiRoot: fake.url });
    const intake = new TelegramIntake({ api, ctx, config, bot: { id: fake.bot.id, username: fake.bot.username } });
    return { poller: new TelegramPoller({ api, ctx, config, intake, lock: held, ...pollerOpts }), state };
  }

  it('does not advance the offset when enqueue fails, and takes the update on the next round', async () => {
    let fail = true;
    const taken: string[] = [];
    const { poller, state } = setup(async (m) => {
      if (fail) throw new AduanError('QUEUE.UNAVAILABLE', { detail: 'test' });
      taken.push(m.externalId);
      return 'job';
    });
    const u = fake.push(make.text('Lubang besar di Jl. Bantul', { chatId: 1, messageId: 1 }));
    await expect(poller.pollOnce(signal)).rejects.toThrow(/unavailable/i);
    // The cursor may move up to the failed update, never past it.
    expect((state.get(OFFSET_KEY) as number | undefined) ?? 0).toBeLessThanOrEqual(u['update_id'] as number);
    expect(poller.cursor).toBeLessThanOrEqual(u['update_id'] as number);
    expect(fake.pending.map((p) => p['update_id'])).toContain(u['update_id']);
    fail = false;
    await poller.pollOnce(signal);
    expect(taken).toEqual(['1:1']);
    expect(state.get(OFFSET_KEY)).toBe((u['update_id'] as number) + 1);
    // The next getUpdates confirms it with Telegram.
    await poller.pollOnce(signal);
    expect(fake.pending).toHaveLength(0);
  });

  it('keeps the cursor at the first failed update when other chats of the batch succeeded, without enqueuing them twice', async () => {
    const taken: string[] = [];
    let failChat = '1';
    const { poller, state } = setup(async (m) => {
      if (m.sender.telegramChatId === failChat) throw new AduanError('QUEUE.UNAVAILABLE', { detail: 'test' });
      taken.push(m.externalId);
      return 'job';
    });
    const a = fake.push(make.text('Aduan A', { chatId: 1, messageId: 1 }));
    fake.push(make.text('Aduan B', { chatId: 2, messageId: 1 }));
    await expect(poller.pollOnce(signal)).rejects.toThrow();
    expect(taken).toEqual(['2:1']);
    expect((state.get(OFFSET_KEY) as number | undefined) ?? 0).toBeLessThanOrEqual(a['update_id'] as number);
    expect(poller.cursor).toBeLessThanOrEqual(a['update_id'] as number);
    failChat = 'none';
    await poller.pollOnce(signal);
    expect(taken).toEqual(['2:1', '1:1']);
    expect(state.get(OFFSET_KEY)).toBe((a['update_id'] as number) + 2);
  });

  it('after a quiet week asks without an offset, so update ids restarted below the cursor are not lost', async () => {
    const taken: string[] = [];
    const { poller: aged, state } = setup(
      async (m) => {
        taken.push(m.externalId);
        return 'job';
      },
      { [OFFSET_KEY]: 900_000, [LAST_UPDATE_KEY]: Date.now() - 8 * 24 * 3600 * 1000 },
    );
    fake.push({ update_id: 42, ...make.text('Aduan setelah libur panjang', { chatId: 3, messageId: 9 }) });
    await aged.pollOnce(signal);
    expect(fake.callsOf('getUpdates')[0]!.payload['offset']).toBeUndefined();
    expect(taken).toEqual(['3:9']);
    expect(state.get(OFFSET_KEY)).toBe(43);
  });

  it('withholds a file the Bot API keeps failing to serve after a few rounds instead of blocking the bot', { timeout: 60_000 }, async () => {
    const taken: InboundMessageInput[] = [];
    const { poller, state } = setup(async (m) => {
      taken.push(m);
      return 'job';
    });
    fake.addFile({ fileId: 'FLAKY', content: Buffer.from('x') });
    fake.failNext('getFile', { status: 502, description: 'Bad Gateway' }, 100);
    const u = fake.push({ message: { message_id: 3, date: 0, chat: make.chat(4), from: make.from(4), caption: 'Foto sampah', photo: [{ file_id: 'FLAKY', file_unique_id: 'fl', file_size: 1, width: 1, height: 1 }] } });
    let rounds = 0;
    for (; rounds < 10 && taken.length === 0; rounds += 1) await poller.pollOnce(signal).catch(() => undefined);
    expect(rounds).toBe(5);
    expect(taken[0]!.attachments).toEqual([{ filename: 'foto-3.jpg', contentType: 'image/jpeg', size: 1, withheld: 'gagal diunduh' }]);
    expect(state.get(OFFSET_KEY)).toBe((u['update_id'] as number) + 1);
  });

  it('gives up on a file whose getFile or download stalls at its deadline, and takes it on a later round', { timeout: 30_000 }, async () => {
    const taken: InboundMessageInput[] = [];
    const { poller } = setup(async (m) => {
      taken.push(m);
      return 'job';
    }, {}, { config: { downloadTimeoutSeconds: 1 } });
    fake.addFile({ fileId: 'SLOW', content: Buffer.from('foto jalan berlubang') });
    fake.hangNext('getFile');
    fake.hangNext('download');
    fake.push({ message: { message_id: 4, date: 0, chat: make.chat(7), from: make.from(7), caption: 'Jalan berlubang', photo: [{ file_id: 'SLOW', file_unique_id: 'sl', file_size: 20, width: 1, height: 1 }] } });
    // round 1: getFile never answers; round 2: the download stalls half-way; each round ends at the file's deadline
    await expect(poller.pollOnce(signal)).rejects.toThrow(/not fetched within 1 s/);
    await expect(poller.pollOnce(signal)).rejects.toThrow(/not fetched within 1 s/);
    expect(taken).toEqual([]);
    await poller.pollOnce(signal);
    expect(taken.map((m) => m.attachments)).toEqual([[{ filename: 'foto-4.jpg', contentType: 'image/jpeg', size: 20, sha256: '0'.repeat(64) }]]);
  });

  it('withholds a file whose download stalls every round, after the same rounds as a 5xx', { timeout: 60_000 }, async () => {
    const taken: InboundMessageInput[] = [];
    const { poller } = setup(async (m) => {
      taken.push(m);
      return 'job';
    }, {}, { config: { downloadTimeoutSeconds: 1 } });
    fake.addFile({ fileId: 'STALL', content: Buffer.from('foto sampah menumpuk') });
    fake.hangNext('download', 100);
    fake.push({ message: { message_id: 5, date: 0, chat: make.chat(8), from: make.from(8), caption: 'Sampah menumpuk', photo: [{ file_id: 'STALL', file_unique_id: 'st', file_size: 20, width: 1, height: 1 }] } });
    let rounds = 0;
    for (; rounds < 10 && taken.length === 0; rounds += 1) await poller.pollOnce(signal).catch(() => undefined);
    expect(rounds).toBe(5);
    expect(taken[0]!.attachments).toEqual([{ filename: 'foto-5.jpg', contentType: 'image/jpeg', size: 20, withheld: 'gagal diunduh' }]);
    // the citizen is told which file did not come through
    await waitFor(() => fake.callsOf('sendMessage').some((c) => Number(c.payload['chat_id']) === 8 && String(c.payload['text']).includes('foto-5.jpg')));
  });

  it('gives up on a getUpdates that never answers (a stalled connection) and asks again, instead of hanging for minutes', { timeout: 20_000 }, async () => {
    const taken: string[] = [];
    const { poller, state } = setup(async (m) => {
      taken.push(m.externalId);
      return 'job';
    }, {}, { answerGraceMs: 300 });
    fake.hangNext('getUpdates');
    const u = fake.push(make.text('Saluran air mampet di Jl. Parangtritis', { chatId: 5, messageId: 2 }));
    await expect(poller.pollOnce(signal)).rejects.toThrow(/no answer from the Bot API within/);
    expect(taken).toEqual([]);
    await poller.pollOnce(signal);
    expect(taken).toEqual(['5:2']);
    expect(state.get(OFFSET_KEY)).toBe((u['update_id'] as number) + 1);
  });

  it('removes a webhook set while it polls (409), keeping what Telegram holds, and tells the operator what to do if it comes back', { timeout: 30_000 }, async () => {
    const logs: { level: number; msg: string }[] = [];
    const taken: string[] = [];
    const { poller } = setup(async (m) => {
      taken.push(m.externalId);
      return 'job';
    }, {}, { logs });
    fake.webhookUrl = 'https://elsewhere.example/hook';
    fake.push(make.text('Jembatan di Jl. Kenari retak', { chatId: 6, messageId: 4 }));
    const ac = new AbortController();
    const running = poller.run(ac.signal);
    try {
      await waitFor(() => taken.length === 1, 20_000);
    } finally {
      ac.abort();
      await running;
    }
    expect(taken).toEqual(['6:4']);
    expect(fake.callsOf('deleteWebhook').map((c) => c.payload['drop_pending_updates'])).toEqual([false]);
    const line = logs.find((l) => /webhook/.test(l.msg) && l.level >= 40)!;
    expect(line.msg).toMatch(/mode: webhook/);
  });

  it('a command answer written to the outbox (429) is not sent a second time at once when its update is taken again after a restart', async () => {
    const { ctx, state, later } = stubContext(async () => 'job');
    const config = telegramConfigSchema.parse({ id: 'tg-unit', type: 'telegram', token: fake.token, apiRoot: fake.url, polling: { timeoutSeconds: 0 } });
    const start = () => {
      const api = new Telegram(fake.token, { apiRoot: fake.url });
      const intake = new TelegramIntake({ api, ctx, config, bot: { id: fake.bot.id, username: fake.bot.username } });
      return new TelegramPoller({ api, ctx, config, intake, lock: held });
    };
    fake.failNext('sendMessage', { status: 429, description: 'Too Many Requests: retry after 8', parameters: { retry_after: 8 } }, 1, { chatId: 41 });
    const u = fake.push(make.text('/start', { chatId: 41, messageId: 3 }));
    await start().pollOnce(signal);
    expect(fake.callsOf('sendMessage')).toHaveLength(1);
    expect([...later.keys()]).toHaveLength(1);
    // killed before the offset reached the database: the next process asks from the update again
    state.set(OFFSET_KEY, u['update_id']);
    await start().pollOnce(signal);
    // (before: sent at once this time, and the outbox row a second time later)
    expect(fake.callsOf('sendMessage')).toHaveLength(1);
    expect([...later.keys()]).toHaveLength(1);
    expect(state.get(OFFSET_KEY)).toBe((u['update_id'] as number) + 1);
    // another command of the chat is answered as usual
    fake.push(make.text('/bantuan', { chatId: 41, messageId: 4 }));
    await start().pollOnce(signal);
    expect(fake.callsOf('sendMessage')).toHaveLength(2);
  });

  it('says what to do when Telegram rejects the token (401): the token from @BotFather in the channel\'s token setting', async () => {
    const logs: { level: number; msg: string }[] = [];
    const { poller } = setup(async () => 'job', {}, { logs, token: '123456:REVOKED-token_of-the-bot' });
    const ac = new AbortController();
    const running = poller.run(ac.signal);
    try {
      await waitFor(() => logs.some((l) => l.level >= 50), 10_000);
    } finally {
      ac.abort();
      await running;
    }
    const line = logs.find((l) => l.level >= 50)!;
    expect(line.msg).toMatch(/401/);
    expect(line.msg).toMatch(/@BotFather/);
    expect(line.msg).toContain('"tg-unit"');
    expect(line.msg).toMatch(/token/);
  });
});
