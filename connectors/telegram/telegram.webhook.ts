import { createHash, timingSafeEqual } from 'node:crypto';
import type { Server } from 'node:http';
import type { ConnectorContext } from '../../core/connector.ts';
import { LIMITS } from '../../core/limits.ts';
import { header, jsonAnswer, startWebhookServer, type WebhookAnswer, type WebhookRequest, type WebhookServerOptions } from '../../core/webhook-server.ts';
import type { TelegramIntake } from './telegram.intake.ts';

/** Constant-time comparison of the secret header (hashing first evens out the lengths). */
export function secretMatches(expected: string, given: string | undefined): boolean {
  if (given === undefined) return false;
  const a = createHash('sha256').update(expected).digest();
  const b = createHash('sha256').update(given).digest();
  return timingSafeEqual(a, b) && expected.length === given.length;
}

/**
 * The webhook endpoint, on the shared raw-body server. Unlike telegraf's webhookCallback (200 even
 * when the handler threw), the answer follows the queue: 200 once the update is enqueued, 503 when
 * it is not, so Telegram redelivers it. The secret header is checked before the body is parsed; a body
 * that is not an Update is quarantined (200), as is one over the body limit (oversizedHandler).
 */
export function webhookHandler(deps: { ctx: ConnectorContext; intake: TelegramIntake; secretToken: string }): (req: WebhookRequest) => Promise<WebhookAnswer> {
  const { ctx, intake } = deps;
  return async (req) => {
    if (!secretMatches(deps.secretToken, header(req, 'x-telegram-bot-api-secret-token'))) {
      ctx.logger.warn({ ip: req.ip }, 'telegram webhook: missing or wrong secret token');
      return jsonAnswer(403, { error: 'AUTH.SIGNATURE_INVALID' });
    }
    // What came with the right secret and cannot be read is kept with the reason (aduan quarantine), and
    // answered 2xx: a 4xx made Telegram give up on it after a few tries, and it was gone without a trace.
    const raw = req.body.toString('utf8');
    const quarantined = (reason: string): WebhookAnswer => {
      ctx.quarantine({ externalId: `webhook:${createHash('sha256').update(req.body).digest('hex').slice(0, 32)}`, code: 'TELEGRAM.UNPARSEABLE', reason, payload: raw });
      return jsonAnswer(200, { ok: false, quarantined: true });
    };
    let body: unknown;
    try {
      body = JSON.parse(raw);
    } catch (err) {
      return quarantined(`webhook body is not JSON: ${(err as Error).message.slice(0, 200)}`);
    }
    if (typeof body !== 'object' || body === null || Array.isArray(body) || typeof (body as { update_id?: unknown }).update_id !== 'number') {
      return quarantined('webhook body is not a Telegram Update (no numeric update_id)');
    }
    try {
      // (an update of a chat whose album is still held for its parts waits for the album to be
      // queued: Telegram may deliver it on another connection meanwhile, and it must not go first)
      await intake.accept(body).done;
      return jsonAnswer(200, { ok: true });
    } catch (err) {
      ctx.logger.warn({ err, updateId: (body as { update_id: number }).update_id }, 'telegram webhook update not queued; Telegram will retry');
      return jsonAnswer(503, { error: 'QUEUE.UNAVAILABLE' });
    }
  };
}

/**
 * An update over LIMITS.telegramUpdateMaxBytes that came with the right secret (checked on the header before the
 * body is read; one between 64 KB and that is taken as any other, one without the secret gets 413): its first bytes are quarantined with the reason (`TELEGRAM.TOO_LARGE`, aduan quarantine) and it is
 * answered 200, so Telegram stops sending it. Before, it got 413 and was gone without a trace.
 */
export function oversizedHandler(deps: { ctx: ConnectorContext; secretToken: string }): NonNullable<WebhookServerOptions['oversized']> {
  const { ctx } = deps;
  return {
    authentic: (headers) => {
      const given = headers['x-telegram-bot-api-secret-token'];
      return secretMatches(deps.secretToken, Array.isArray(given) ? given[0] : given);
    },
    // (Telegram's own updates, with the secret, may be far larger than 64 KB: LIMITS.telegramUpdateMaxBytes)
    authenticMaxBodyBytes: LIMITS.telegramUpdateMaxBytes,
    keep: async (req, declaredBytes) => {
      const updateId = /"update_id"\s*:\s*(\d+)/.exec(req.body.toString('latin1', 0, 256))?.[1];
      const size = declaredBytes !== undefined ? `${declaredBytes} bytes` : `over ${req.body.length} bytes`;
      const reason = `webhook update${updateId !== undefined ? ` ${updateId}` : ''} of ${size} is over the ${Math.round(LIMITS.telegramUpdateMaxBytes / 1024)} KB limit of an update; its first ${req.body.length} bytes are kept here`;
      ctx.quarantine({
        externalId: updateId !== undefined ? `update:${updateId}` : `webhook:${createHash('sha256').update(req.body).digest('hex').slice(0, 32)}`,
        code: 'TELEGRAM.TOO_LARGE', reason, payload: req.body.toString('utf8'),
      });
      ctx.logger.error({ updateId, ip: req.ip }, `telegram webhook: ${reason} (aduan quarantine); it is answered 200 so Telegram stops sending it: read the citizen's message there and enter it by hand`);
      return jsonAnswer(200, { ok: false, quarantined: true });
    },
  };
}

/** Listen for Telegram's webhook requests on host:port, path. */
export function listenWebhook(deps: { ctx: ConnectorContext; intake: TelegramIntake; path: string; secretToken: string; host: string; port: number; channel: string }): Promise<Server> {
  return startWebhookServer({
    host: deps.host, port: deps.port, path: deps.path, maxBodyBytes: LIMITS.httpBodyMaxBytes, channel: deps.channel,
    handle: webhookHandler(deps),
    oversized: oversizedHandler(deps),
    onReject: (status, reason, ip) => deps.ctx.logger.warn({ status, ip }, `telegram webhook request rejected: ${reason}`),
  });
}
