import { createHash } from 'node:crypto';
import type { Server } from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';
import { Telegram } from 'telegraf';
import type { ConnectorContext, ConnectorDefinition, ConnectorHealth, ConnectorInstance } from '../../core/connector.ts';
import type { RedisLock } from '../../core/lock.ts';
import { stopWebhookServer } from '../../core/webhook-server.ts';
import { classify, operatorAdvice, untilDone, withRetry, type ApiFailure } from './telegram.api.ts';
import { telegramConfigSchema, type TelegramConfig } from './telegram.config.ts';
import { TelegramIntake } from './telegram.intake.ts';
import type { BotIdentity } from './telegram.normalize.ts';
import { outboundHandler } from './telegram.outbound.ts';
import { ALLOWED_UPDATES, removeWebhook, TelegramPoller } from './telegram.poller.ts';

/** Wait before a failed setWebhook is tried again (a 429: its retry_after, if longer). */
const SET_WEBHOOK_RETRY_MS = 10_000;

/** Lifetime of the one-poller-per-bot lock. */
const LOCK_TTL_MS = 10_000;

/** The Telegram channel: a bot polled with getUpdates (default) or fed by a webhook. */
export const telegramConnector: ConnectorDefinition<TelegramConfig> = {
  type: 'telegram',
  configSchema: telegramConfigSchema,
  sendsReplies: true,
  create(config, ctx) {
    return new TelegramConnector(config, ctx);
  },
};

export default telegramConnector;

class TelegramConnector implements ConnectorInstance {
  private readonly api: Telegram;
  private readonly abort = new AbortController();
  private readonly lock: RedisLock;
  private bot: BotIdentity | undefined;
  private intake: TelegramIntake | undefined;
  private poller: TelegramPoller | undefined;
  private loop: Promise<void> | undefined;
  private server: Server | undefined;
  private webhookSet = false;
  private started = false;
  private stopping: Promise<void> | undefined;

  constructor(
    private readonly config: TelegramConfig,
    private readonly ctx: ConnectorContext,
  ) {
    this.api = new Telegram(config.token, { ...(config.apiRoot !== undefined ? { apiRoot: config.apiRoot } : {}), webhookReply: false });
    // One poller per bot: a second copy of this channel (PM2) waits; the lock name never contains the token itself.
    // A short TTL: a SIGKILLed poller blocks its successor only this long (renewed every third of it).
    this.lock = ctx.lock(`telegram-bot:${createHash('sha256').update(config.token).digest('hex')}`, LOCK_TTL_MS);
  }

  async start(): Promise<void> {
    if (this.started) return;
    this.started = true;
    this.ctx.onOutbound(outboundHandler(this.api, this.ctx));
    if (this.config.mode === 'webhook') {
      await this.startWebhook();
      return;
    }
    this.loop = this.runPolling().catch((err: unknown) => this.ctx.logger.error({ err }, 'telegram polling loop ended'));
  }

  private async identity(): Promise<BotIdentity> {
    for (;;) {
      try {
        const me = await withRetry(() => this.api.getMe(), { attempts: 3, signal: this.abort.signal });
        return { id: me.id, username: me.username };
      } catch (err) {
        if (this.abort.signal.aborted) throw err;
        const advice = operatorAdvice(classify(err), this.config.id);
        if (advice !== undefined) this.ctx.logger.error({ err }, `telegram getMe failed: ${advice}; trying again every 5 s`);
        else this.ctx.logger.warn({ err }, 'telegram getMe failed; retrying');
        await sleep(5_000, undefined, { signal: this.abort.signal });
      }
    }
  }

  private async runPolling(): Promise<void> {
    const signal = this.abort.signal;
    this.bot = await this.identity();
    this.intake = new TelegramIntake({ api: this.api, ctx: this.ctx, config: this.config, bot: this.bot });
    this.poller = new TelegramPoller({ api: this.api, ctx: this.ctx, config: this.config, intake: this.intake, lock: this.lock });
    if (!(await this.lock.acquire(signal))) return;
    // A webhook left from webhook mode makes getUpdates answer 409. Pending updates are kept (never dropped).
    await removeWebhook(this.api, this.ctx, signal, 'polling starts after it');
    this.ctx.logger.info({ bot: this.bot.username, offset: this.poller.cursor }, 'telegram polling started');
    await this.poller.run(signal);
  }

  private async startWebhook(): Promise<void> {
    const wh = this.config.webhook;
    const secretToken = wh.secretToken;
    const publicUrl = wh.publicUrl;
    if (secretToken === undefined || publicUrl === undefined) throw new Error('telegram webhook mode needs webhook.secretToken and webhook.publicUrl');
    this.bot = await this.identity();
    this.intake = new TelegramIntake({ api: this.api, ctx: this.ctx, config: this.config, bot: this.bot });
    const { listenWebhook } = await import('./telegram.webhook.ts');
    this.server = await listenWebhook({ ctx: this.ctx, intake: this.intake, path: wh.path, secretToken, host: wh.listen.host, port: wh.listen.port, channel: this.config.id });
    const register = async (): Promise<void> => {
      // 401/404 (token revoked or wrong, apiRoot wrong) and 400 (publicUrl refused) do not heal by waiting: say what to change
      const adviceFor = (f: ApiFailure): string | undefined => operatorAdvice(f, this.config.id)
        ?? (f.kind === 'permanent' ? `Telegram refuses the webhook of channel "${this.config.id}" (${f.description}): check webhook.publicUrl `
          + '(an https:// URL Telegram can reach, on port 443, 80, 88 or 8443, with a valid certificate) and restart this connector' : undefined);
      // Never drop_pending_updates: what Telegram holds are complaints not yet taken. A 429 whose retry_after is longer than
      // withRetry waits in-process (30 s) is tried again no sooner than Telegram asked (before: after 10 s, which only met the
      // limit again and made it longer).
      const done = await untilDone(() => this.api.setWebhook(publicUrl, { secret_token: secretToken, allowed_updates: [...ALLOWED_UPDATES], max_connections: wh.maxConnections }), {
        signal: this.abort.signal,
        retryMs: (f) => (adviceFor(f) !== undefined ? 60_000 : SET_WEBHOOK_RETRY_MS),
        onFailure: (err, f, waitMs) => {
          const advice = adviceFor(f);
          if (advice !== undefined) this.ctx.logger.error({ err }, `telegram setWebhook failed: ${advice}; until then nothing is received; trying again every minute`);
          else if (f.kind === 'rate-limited') this.ctx.logger.warn({ err, retryInMs: waitMs }, `telegram setWebhook rate-limited by Telegram: trying again in ${Math.ceil((waitMs ?? 0) / 1000)} s, as it asked (retry_after); until then nothing is received`);
          else this.ctx.logger.warn({ err }, 'telegram setWebhook failed; retrying');
        },
      }).catch(() => false);
      if (done) {
        this.webhookSet = true;
        this.ctx.logger.info({ bot: this.bot?.username, path: wh.path }, 'telegram webhook registered');
      }
    };
    this.loop = register();
    await Promise.race([this.loop, sleep(2_000)]);
  }

  /** Port the webhook server listens on (0 in the config picks a free one). */
  get webhookPort(): number | undefined {
    const a = this.server?.address();
    return typeof a === 'object' && a !== null ? a.port : undefined;
  }

  async health(): Promise<ConnectorHealth> {
    if (!this.started || this.stopping) return { ok: false, detail: 'not running' };
    if (this.config.mode === 'webhook') {
      return this.server?.listening && this.webhookSet ? { ok: true, detail: `webhook on port ${this.webhookPort}` } : { ok: false, detail: this.webhookSet ? 'webhook server not listening' : 'setWebhook not done yet' };
    }
    if (!this.poller) return { ok: false, detail: 'getMe not answered yet' };
    if (!this.lock.isHeld) return { ok: true, detail: 'standby: another process polls this bot' };
    const age = Date.now() - this.poller.lastPollAt;
    const limit = (this.config.polling.timeoutSeconds + 30) * 1000;
    if (age > limit) return { ok: false, detail: `no getUpdates answer for ${Math.round(age / 1000)} s${this.poller.lastError ? `: ${this.poller.lastError}` : ''}` };
    return { ok: true, detail: `polling, offset ${this.poller.cursor}` };
  }

  stop(): Promise<void> {
    this.stopping ??= (async () => {
      this.abort.abort();
      try {
        await this.loop;
      } catch {
        // the loop logs its own end
      }
      if (this.server) {
        // Webhook: answer the requests held for an album before closing.
        await this.intake?.flushAlbums().catch(() => undefined);
        await stopWebhookServer(this.server);
      } else {
        this.intake?.dropAlbums(new Error('connector stopping'));
      }
      try {
        await this.lock.release();
      } catch {
        // released by its TTL
      }
    })();
    return this.stopping;
  }
}
