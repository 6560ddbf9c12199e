import { createHash, timingSafeEqual } from 'node:crypto';
import type { Server } from 'node:http';
import type { ConnectorContext } from '../../core/connector.ts';
import { LIMITS } from '../../core/limits.ts';
import { header, jsonAnswer, startWebhookServer, type WebhookAnswer, type WebhookRequest } from '../../core/webhook-server.ts';
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
 * it is not, so Telegram redelivers it. The secret header is checked before the body is parsed.
 */
export function webhookHandler(deps: { ctx: ConnectorContext; intake: TelegramIntake; secretToken: string }): (req: WebhookRequest) => Promise<WebhookAnswer> {
  const { ctx, intake } = deps;
  return async (req) => {
    if (!secretMatches(deps.secretToken, header(req, 'x-telegram-bot-api-secret-token'))) {
      ctx.logger.warn({ ip: req.ip }, 'telegram webhook: missing or wrong secret token');
      return jsonAnswer(403, { error: 'AUTH.SIGNATURE_INVALID' });
    }
    let body: unknown;
    try {
      body = JSON.parse(req.body.toString('utf8'));
    } catch {
      return jsonAnswer(400, { error: 'INPUT.JSON' });
    }
    if (typeof body !== 'object' || body === null || typeof (body as { update_id?: unknown }).update_id !== 'number') {
      return jsonAnswer(400, { error: 'INPUT.INVALID' });
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

/** Listen for Telegram's webhook requests on host:port, path. */
export function listenWebhook(deps: { ctx: ConnectorContext; intake: TelegramIntake; path: string; secretToken: string; host: string; port: number; channel: string }): Promise<Server> {
  return startWebhookServer({
    host: deps.host, port: deps.port, path: deps.path, maxBodyBytes: LIMITS.httpBodyMaxBytes, channel: deps.channel,
    handle: webhookHandler(deps),
    onReject: (status, reason, ip) => deps.ctx.logger.warn({ status, ip }, `telegram webhook request rejected: ${reason}`),
  });
}
