import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { ConnectorInstance } from '../../core/connector.ts';
import { waitFor } from '../helpers/ports.ts';
import { FakeBotApi } from './fake-bot-api.ts';
import { logOnlyContext, type LogLine } from './log-only-context.ts';

/**
 * The connector's waits of 10 s and more (setWebhook's retry loop) are recorded and end at once, so the test
 * sees how long the connector chose to wait without waiting it; shorter ones (withRetry's backoff) are real.
 */
const waits = vi.hoisted(() => [] as number[]);
vi.mock('node:timers/promises', async (importOriginal) => {
  const real = await importOriginal<typeof import('node:timers/promises')>();
  return {
    ...real,
    setTimeout: <T>(ms: number, value?: T, opts?: { signal?: AbortSignal }): Promise<T | undefined> => {
      if (ms < 10_000) return real.setTimeout(ms, value, opts);
      waits.push(ms);
      return Promise.resolve(value);
    },
  };
});

const SECRET = 'hook_Secret-0123456789';

describe('telegram setWebhook rate-limited', () => {
  let fake: FakeBotApi;
  let instance: ConnectorInstance | undefined;
  const logs: LogLine[] = [];

  beforeAll(async () => {
    fake = await new FakeBotApi().start();
  });
  afterAll(async () => {
    await instance?.stop();
    await fake?.stop();
  });

  it('tries setWebhook again no sooner than a retry_after over 30 s (before: after 10 s), then registers it', async () => {
    const { telegramConnector } = await import('../../connectors/telegram/index.ts');
    const { telegramConfigSchema } = await import('../../connectors/telegram/telegram.config.ts');
    const config = telegramConfigSchema.parse({
      id: 'tg-hook-429', type: 'telegram', token: fake.token, apiRoot: fake.url, mode: 'webhook',
      webhook: { listen: { host: '127.0.0.1', port: 0 }, publicUrl: 'https://aduan.example.test/tg/hook', secretToken: SECRET },
    });
    const ctx = logOnlyContext(logs);
    fake.failNext('setWebhook', { status: 429, description: 'Too Many Requests: retry after 40', parameters: { retry_after: 40 } });
    instance = telegramConnector.create(config, ctx);
    await instance.start();
    await waitFor(async () => (await instance!.health()).ok, 10_000);
    // refused once, asked again after the loop's one wait: that of Telegram's retry_after
    expect(fake.callsOf('setWebhook')).toHaveLength(2);
    expect(waits).toEqual([40_000]);
    const line = logs.find((l) => /setWebhook rate-limited/.test(l.msg))!;
    expect(line.msg).toContain('40 s');
    expect(line.msg).not.toContain(fake.token);
    expect(logs.some((l) => l.level >= 50)).toBe(false);
  });
});

describe('telegram deleteWebhook rate-limited when polling starts', () => {
  let fake: FakeBotApi;
  let instance: ConnectorInstance | undefined;
  const logs: LogLine[] = [];

  beforeAll(async () => {
    fake = await new FakeBotApi().start();
  });
  afterAll(async () => {
    await instance?.stop();
    await fake?.stop();
  });

  it('tries deleteWebhook again after a retry_after over 30 s (before: only logged, getUpdates then met the webhook\'s 409), then polls', async () => {
    const { telegramConnector } = await import('../../connectors/telegram/index.ts');
    const { telegramConfigSchema } = await import('../../connectors/telegram/telegram.config.ts');
    const config = telegramConfigSchema.parse({ id: 'tg-poll-429', type: 'telegram', token: fake.token, apiRoot: fake.url, polling: { timeoutSeconds: 0 } });
    const state = new Map<string, unknown>();
    const ctx = logOnlyContext(logs, state);
    // a webhook left from webhook mode: getUpdates answers 409 until it is removed
    fake.webhookUrl = 'https://aduan.example.test/tg/hook';
    fake.failNext('deleteWebhook', { status: 429, description: 'Too Many Requests: retry after 40', parameters: { retry_after: 40 } });
    waits.length = 0;
    instance = telegramConnector.create(config, ctx);
    await instance.start();
    await waitFor(async () => (await instance!.health()).ok && fake.callsOf('getUpdates').length > 0, 10_000);
    // refused once, asked again after Telegram's retry_after, and only then polled: no getUpdates met the webhook
    expect(fake.callsOf('deleteWebhook').map((c) => c.payload['drop_pending_updates'])).toEqual([false, false]);
    expect(waits).toEqual([40_000]);
    expect(fake.webhookUrl).toBeUndefined();
    const methods = fake.calls.map((c) => c.method).filter((m) => m === 'deleteWebhook' || m === 'getUpdates');
    expect(methods.slice(0, 3)).toEqual(['deleteWebhook', 'deleteWebhook', 'getUpdates']);
    expect(logs.some((l) => /409/.test(l.msg))).toBe(false);
    const line = logs.find((l) => /deleteWebhook rate-limited/.test(l.msg))!;
    expect(line.msg).toContain('40 s');
    expect(line.retryInMs).toBe(40_000);
    expect(line.msg).not.toContain(fake.token);
  });
});
