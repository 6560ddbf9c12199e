import { createHash, timingSafeEqual } from 'node:crypto';
import type { Server } from 'node:http';
import express, { type NextFunction, type Request, type Response } from 'express';
import type { ConnectorContext } from '../../core/connector.ts';
import { LIMITS } from '../../core/limits.ts';
import type { TelegramIntake } from './telegram.intake.ts';

/** Constant-time comparison of the secret header (hashing first evens out the lengths). */
export function secretMatches(expected: string, given: string | undefined): boolean {
  if (given === undefined) return false;
  const a = createHash('sha256').update(expected).digest();
  const b = createHash('sha256').update(given).digest();
  return timingSafeEqual(a, b) && expected.length === given.length;
}

/**
 * The webhook endpoint. Unlike telegraf's webhookCallback (200 even when the handler threw), the
 * answer follows the queue: 200 once the update is enqueued, 503 when it is not, so Telegram
 * redelivers it. The secret header is checked before the body is parsed.
 */
export function webhookApp(deps: { ctx: ConnectorContext; intake: TelegramIntake; path: string; secretToken: string }): express.Express {
  const { ctx, intake } = deps;
  const app = express();
  app.disable('x-powered-by');
  app.set('etag', false); // webhook answers are never cached: hashing every body is pure cost
  app.post(
    deps.path,
    (req: Request, res: Response, next: NextFunction) => {
      if (!secretMatches(deps.secretToken, req.get('x-telegram-bot-api-secret-token'))) {
        ctx.logger.warn({ ip: req.ip }, 'telegram webhook: missing or wrong secret token');
        res.status(403).json({ error: 'AUTH.SIGNATURE_INVALID' });
        return;
      }
      next();
    },
    express.json({ limit: LIMITS.httpBodyMaxBytes, type: () => true }),
    async (req: Request, res: Response) => {
      const body: unknown = req.body;
      if (typeof body !== 'object' || body === null || typeof (body as { update_id?: unknown }).update_id !== 'number') {
        res.status(400).json({ error: 'INPUT.INVALID' });
        return;
      }
      try {
        await intake.accept(body).done;
        res.status(200).json({ ok: true });
      } catch (err) {
        ctx.logger.warn({ err, updateId: (body as { update_id: number }).update_id }, 'telegram webhook update not queued; Telegram will retry');
        res.status(503).json({ error: 'QUEUE.UNAVAILABLE' });
      }
    },
  );
  app.use((err: unknown, _req: Request, res: Response, _next: NextFunction) => {
    const status = typeof (err as { status?: unknown }).status === 'number' ? (err as { status: number }).status : 500;
    res.status(status === 413 ? 413 : status < 500 ? 400 : 500).json({ error: status === 413 ? 'INPUT.TOO_LARGE' : 'INPUT.JSON' });
  });
  return app;
}

export function listen(app: express.Express, host: string, port: number): Promise<Server> {
  return new Promise((resolve, reject) => {
    const server = app.listen(port, host);
    server.once('listening', () => resolve(server));
    server.once('error', reject);
  });
}
