import express, { type Request, type Response } from 'express';
import type { Server } from 'node:http';
import { UnrecoverableError } from 'bullmq';
import { androidSmsGatewayConfigSchema, type AndroidSmsGatewayConfig } from './android.config.ts';
import type { ConnectorContext, ConnectorDefinition, ConnectorInstance } from '../../core/connector.ts';
import { isAduanError } from '../../core/errors.ts';
import { LIMITS } from '../../core/limits.ts';
import { buildSmsMessage } from '../gammu/gammu.message.ts';
import { RecentIds, RepeatGuard, shortHash } from '../gammu/sms.common.ts';
import { sendCapcomSms } from './capcom.client.ts';
import { capcomReceivedAt, capcomSmsReceivedSchema, parseCapcomEnvelope } from './capcom.payload.ts';
import { verifyCapcomSignature } from './capcom.signature.ts';

export { androidSmsGatewayConfigSchema, type AndroidSmsGatewayConfig } from './android.config.ts';

/** capcom6 "SMS Gateway for Android" phone: signed `sms:received` webhooks in, its HTTP API out. */
class AndroidSmsGatewayConnector implements ConnectorInstance {
  private server: Server | undefined;
  private readonly recent = new RecentIds();
  private readonly guard: RepeatGuard;
  private lastEnqueueError: string | undefined;

  constructor(
    private readonly config: AndroidSmsGatewayConfig,
    private readonly ctx: ConnectorContext,
  ) {
    this.guard = new RepeatGuard(config.repeatWindowSeconds * 1000);
    ctx.onOutbound(async (reply) => {
      if (!reply.to.phone) throw new UnrecoverableError('reply has no phone number');
      await sendCapcomSms(this.config, reply.outboxId, reply.to.phone, reply.text);
      ctx.logger.info({ outboxId: reply.outboxId }, 'SMS reply handed to the Android gateway');
    });
  }

  app(): express.Express {
    const app = express();
    app.disable('x-powered-by');
    app.set('etag', false); // webhook answers are never cached: hashing every body is pure cost
    app.post(this.config.path, express.raw({ type: () => true, limit: LIMITS.httpBodyMaxBytes }), (req, res) => {
      void this.handle(req, res);
    });
    app.use((err: Error & { status?: number; type?: string }, _req: Request, res: Response, _next: express.NextFunction) => {
      const status = err.type === 'entity.too.large' ? 413 : (err.status ?? 400);
      this.ctx.logger.warn({ err, status }, 'webhook request rejected');
      res.status(status).json({ ok: false, error: err.type ?? 'bad request' });
    });
    return app;
  }

  private async handle(req: Request, res: Response): Promise<void> {
    try {
      await this.handleInner(req, res);
    } catch (err) {
      this.ctx.logger.error({ err }, 'webhook handler failed');
      if (!res.headersSent) res.status(500).json({ ok: false });
    }
  }

  private async handleInner(req: Request, res: Response): Promise<void> {
    const raw = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
    const check = verifyCapcomSignature(this.config.signingKey, raw, req.get('x-timestamp'), req.get('x-signature'), Math.floor(Date.now() / 1000), this.config.maxSkewSeconds);
    if (!check.ok) {
      this.ctx.logger.warn({ reason: check.reason, ip: req.ip }, `webhook signature rejected (${check.reason})`);
      this.ctx.quarantine({ code: 'SMS.SIGNATURE_INVALID', reason: `X-Signature check failed: ${check.reason}`, payload: raw.subarray(0, 8192).toString('utf8') });
      res.status(403).json({ ok: false, error: 'signature' });
      return;
    }
    const parsed = parseCapcomEnvelope(raw);
    if (!parsed.ok) {
      this.ctx.quarantine({ code: 'SMS.BAD_PAYLOAD', reason: parsed.reason, payload: raw.toString('utf8') });
      res.status(200).json({ ok: false, quarantined: true });
      return;
    }
    const env = parsed.envelope;
    if (env.event !== 'sms:received') {
      this.ctx.logger.debug({ event: env.event, eventId: env.id }, 'webhook event ignored');
      res.status(200).json({ ok: true, ignored: env.event });
      return;
    }
    if (this.recent.has(env.id)) {
      res.status(200).json({ ok: true, duplicate: true });
      return;
    }
    const p = capcomSmsReceivedSchema.safeParse(env.payload);
    const sender = p.success ? (p.data.sender ?? p.data.phoneNumber) : undefined;
    if (!p.success || sender === undefined) {
      this.ctx.quarantine({ externalId: env.id, code: 'SMS.BAD_PAYLOAD', reason: `sms:received payload lacks message/sender`, payload: raw.toString('utf8') });
      res.status(200).json({ ok: false, quarantined: true });
      return;
    }
    const sms = p.data;
    const receivedAt = capcomReceivedAt(sms.receivedAt) ?? new Date().toISOString();
    // the app re-emits old SMS with new envelope ids ("read received messages"): key on content too
    const externalId = `cap-${shortHash(sender, sms.receivedAt ?? '', sms.message)}`;
    const built = buildSmsMessage(this.ctx, this.config.id, this.guard, {
      externalId,
      sender,
      rawText: sms.message,
      receivedAt,
      meta: {
        gateway: 'capcom6', eventId: env.id,
        ...(env.deviceId !== undefined ? { deviceId: env.deviceId } : {}),
        ...(sms.simNumber !== undefined ? { simNumber: sms.simNumber } : {}),
        ...(sms.messageId !== undefined ? { gatewayMessageId: sms.messageId } : {}),
      },
    });
    if (!built.ok) {
      this.ctx.quarantine({ externalId, code: built.code, reason: built.reason, payload: raw.toString('utf8') });
      this.recent.add(env.id);
      res.status(200).json({ ok: false, quarantined: true });
      return;
    }
    try {
      const jobId = await this.ctx.enqueue(built.message);
      this.lastEnqueueError = undefined;
      this.recent.add(env.id);
      this.ctx.logger.info({ jobId, eventId: env.id }, 'SMS queued');
      res.status(200).json({ ok: true, id: jobId });
    } catch (err) {
      if (isAduanError(err, 'MESSAGE.INVALID')) {
        this.ctx.quarantine({ externalId, code: 'MESSAGE.INVALID', reason: err.message, payload: raw.toString('utf8') });
        this.recent.add(env.id);
        res.status(200).json({ ok: false, quarantined: true });
        return;
      }
      this.lastEnqueueError = (err as Error).message;
      this.ctx.logger.warn({ err, eventId: env.id }, 'intake queue unavailable; answering 503 so the app retries');
      res.status(503).set('retry-after', '10').json({ ok: false, error: 'queue unavailable' });
    }
  }

  async start(): Promise<void> {
    if (this.server) return;
    const server = this.app().listen(this.config.listen.port, this.config.listen.host);
    this.server = server;
    await new Promise<void>((resolve, reject) => {
      server.once('listening', resolve);
      server.once('error', reject);
    });
    this.ctx.logger.info({ host: this.config.listen.host, port: this.config.listen.port, path: this.config.path }, 'android SMS gateway webhook listening');
  }

  async stop(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    if (!server) return;
    await new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeIdleConnections();
    });
  }

  async health(): Promise<{ ok: boolean; detail?: string }> {
    if (!this.server) return { ok: false, detail: 'stopped' };
    if (this.lastEnqueueError !== undefined) return { ok: false, detail: `queue: ${this.lastEnqueueError}` };
    return { ok: true, detail: `listening on ${this.config.listen.host}:${this.config.listen.port}${this.config.path}` };
  }
}

export const androidSmsGatewayConnector: ConnectorDefinition<AndroidSmsGatewayConfig> = {
  type: 'android-sms-gateway',
  configSchema: androidSmsGatewayConfigSchema,
  sendsReplies: true,
  create: (config, ctx) => new AndroidSmsGatewayConnector(config, ctx),
};

export default androidSmsGatewayConnector;
