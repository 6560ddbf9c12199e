import type { Server } from 'node:http';
import { UnrecoverableError } from 'bullmq';
import { androidSmsGatewayConfigSchema, type AndroidSmsGatewayConfig } from './android.config.ts';
import type { ConnectorContext, ConnectorDefinition, ConnectorInstance } from '../../core/connector.ts';
import { isAduanError } from '../../core/errors.ts';
import { smsText } from '../../core/templates.ts';
import { LIMITS } from '../../core/limits.ts';
import { header, jsonAnswer, startWebhookServer, stopWebhookServer, type WebhookAnswer, type WebhookRequest } from '../../core/webhook-server.ts';
import { buildSmsMessage } from '../sms/sms.message.ts';
import { RecentIds, RepeatGuard, SignatureRejects, rejectedPayload, shortHash } from '../sms/sms.common.ts';
import { resolveCapcomMessageId, sendCapcomSms } from './capcom.client.ts';
import { capcomReceivedAt, capcomSmsFailedSchema, capcomSmsReceivedSchema, parseCapcomEnvelope } from './capcom.payload.ts';
import { verifyCapcomSignature } from './capcom.signature.ts';

export { androidSmsGatewayConfigSchema, type AndroidSmsGatewayConfig } from './android.config.ts';

const QUARANTINED = jsonAnswer(200, { ok: false, quarantined: true });

/** capcom6 "SMS Gateway for Android" phone: signed `sms:received` webhooks in, its HTTP API out. */
class AndroidSmsGatewayConnector implements ConnectorInstance {
  private server: Server | undefined;
  private readonly recent = new RecentIds();
  private readonly guard: RepeatGuard;
  private readonly rejects = new SignatureRejects();
  private lastEnqueueError: string | undefined;

  constructor(
    private readonly config: AndroidSmsGatewayConfig,
    private readonly ctx: ConnectorContext,
  ) {
    this.guard = new RepeatGuard(config.repeatWindowSeconds * 1000);
    ctx.onOutbound(async (reply) => {
      if (!reply.to.phone) throw new UnrecoverableError('reply has no phone number');
      await sendCapcomSms(this.config, reply.outboxId, reply.to.phone, smsText(reply.text));
      ctx.logger.info({ outboxId: reply.outboxId }, 'SMS reply handed to the Android gateway');
    });
  }

  /** One webhook request → 200 once queued (or quarantined), 403 on a bad signature, 503 while the queue is down. */
  async handle(req: WebhookRequest): Promise<WebhookAnswer> {
    try {
      return await this.handleInner(req);
    } catch (err) {
      this.ctx.logger.error({ err }, 'webhook handler failed');
      return jsonAnswer(500, { ok: false });
    }
  }

  private async handleInner(req: WebhookRequest): Promise<WebhookAnswer> {
    const raw = req.body;
    const check = verifyCapcomSignature(this.config.signingKey, raw, header(req, 'x-timestamp'), header(req, 'x-signature'), Math.floor(Date.now() / 1000), this.config.maxSkewSeconds);
    if (!check.ok) {
      // anyone can send these: no body kept, and only a few recorded per address and minute
      const take = this.rejects.take(req.ip);
      if (take.record) {
        this.ctx.logger.warn({ reason: check.reason, ip: req.ip, ...(take.suppressedBefore > 0 ? { suppressedBefore: take.suppressedBefore } : {}) }, `webhook signature rejected (${check.reason})`);
        this.ctx.quarantine({ code: 'SMS.SIGNATURE_INVALID', reason: `X-Signature check failed: ${check.reason}`, payload: rejectedPayload(raw, req.ip) });
      } else if (take.first) {
        this.ctx.logger.warn({ ip: req.ip }, 'more webhook signature failures from this address: counted, not recorded, for the rest of the minute');
      }
      return jsonAnswer(403, { ok: false, error: 'signature' });
    }
    const parsed = parseCapcomEnvelope(raw);
    if (!parsed.ok) {
      this.ctx.quarantine({ code: 'SMS.BAD_PAYLOAD', reason: parsed.reason, payload: raw.toString('utf8') });
      return QUARANTINED;
    }
    const env = parsed.envelope;
    if (env.event === 'sms:failed') {
      // a reply the phone took (202) and could not send: not delivered after all — on the record, and the
      // delivery clock escalates it (else a #selesai result was "sent" and the case closed for no answer)
      const f = capcomSmsFailedSchema.safeParse(env.payload);
      const outboxId = f.success ? resolveCapcomMessageId(f.data.messageId, (prefix) => this.ctx.ownReplyIds(prefix)) : undefined;
      if (outboxId) this.ctx.replyFailed(outboxId, `Android SMS gateway: sms:failed${f.success && f.data.reason ? ` (${f.data.reason})` : ''}`);
      else this.ctx.logger.warn({ eventId: env.id }, 'sms:failed for a message this gateway did not send (or of an older version): nothing to mark');
      return jsonAnswer(200, { ok: true });
    }
    if (env.event !== 'sms:received') {
      this.ctx.logger.debug({ event: env.event, eventId: env.id }, 'webhook event ignored');
      return jsonAnswer(200, { ok: true, ignored: env.event });
    }
    if (this.recent.has(env.id)) {
      return jsonAnswer(200, { ok: true, duplicate: true });
    }
    const p = capcomSmsReceivedSchema.safeParse(env.payload);
    const sender = p.success ? (p.data.sender ?? p.data.phoneNumber) : undefined;
    if (!p.success || sender === undefined) {
      this.ctx.quarantine({ externalId: env.id, code: 'SMS.BAD_PAYLOAD', reason: `sms:received payload lacks message/sender`, payload: raw.toString('utf8') });
      return QUARANTINED;
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
      return QUARANTINED;
    }
    try {
      const jobId = await this.ctx.enqueue(built.message);
      this.lastEnqueueError = undefined;
      this.recent.add(env.id);
      this.ctx.logger.info({ jobId, eventId: env.id }, 'SMS queued');
      return jsonAnswer(200, { ok: true, id: jobId });
    } catch (err) {
      if (isAduanError(err, 'MESSAGE.INVALID')) {
        this.ctx.quarantine({ externalId, code: 'MESSAGE.INVALID', reason: err.message, payload: raw.toString('utf8') });
        this.recent.add(env.id);
        return QUARANTINED;
      }
      this.lastEnqueueError = (err as Error).message;
      this.ctx.logger.warn({ err, eventId: env.id }, 'intake queue unavailable; answering 503 so the app retries');
      return jsonAnswer(503, { ok: false, error: 'queue unavailable' }, { 'retry-after': '10' });
    }
  }

  async start(): Promise<void> {
    if (this.server) return;
    this.server = await startWebhookServer({
      host: this.config.listen.host, port: this.config.listen.port, path: this.config.path, maxBodyBytes: LIMITS.httpBodyMaxBytes, channel: this.config.id,
      handle: (req) => this.handle(req),
      onReject: (status, reason, ip) => this.ctx.logger.warn({ status, ip }, `webhook request rejected: ${reason}`),
    });
    this.ctx.logger.info({ host: this.config.listen.host, port: this.config.listen.port, path: this.config.path }, 'android SMS gateway webhook listening');
  }

  async stop(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    if (!server) return;
    await stopWebhookServer(server);
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
