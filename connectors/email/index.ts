import type { ConnectorContext, ConnectorDefinition, ConnectorHealth, ConnectorInstance } from '../../core/connector.ts';
import type { AduanConfig } from '../../core/config/schema.ts';
import { addressOf, caseNumberFromMessageId } from '../../core/mail/compose.ts';
import { emailChannelSchema, type EmailChannelConfig } from './email.config.ts';
import type { NormalizeOptions } from './email.normalize.ts';
import { ImapPoller } from './imap.poller.ts';

/** Normaliser settings derived from the channel and the instance config. */
export function normalizeOptionsFor(config: EmailChannelConfig, instance: Readonly<AduanConfig>): Omit<NormalizeOptions, 'receivedAt' | 'store'> {
  const own = [config.address, addressOf(instance.mail.from), ...(instance.mail.replyTo ? [addressOf(instance.mail.replyTo)] : [])];
  return {
    connectorId: config.id,
    maxAttachmentBytes: instance.storage.maxAttachmentBytes,
    allowedTypes: instance.storage.allowedTypes,
    ownAddresses: new Set(own.map((a) => a.trim().toLowerCase())),
    isOwnMessageId: (id) => caseNumberFromMessageId(instance, id) !== undefined,
  };
}

/**
 * The e-mail channel (issue 3): IMAP intake only. Acknowledgements and forwards are sent by the
 * forward worker over SMTP, so this connector consumes no outbound queue.
 */
export const emailConnector: ConnectorDefinition<EmailChannelConfig> = {
  type: 'email',
  configSchema: emailChannelSchema,
  sendsReplies: false,
  create(config, ctx) {
    return new EmailConnector(config, ctx);
  },
};

export default emailConnector;

class EmailConnector implements ConnectorInstance {
  private readonly poller: ImapPoller;
  private started = false;

  constructor(config: EmailChannelConfig, ctx: ConnectorContext) {
    this.poller = new ImapPoller(config, ctx, normalizeOptionsFor(config, ctx.config));
  }

  start(): Promise<void> {
    if (!this.started) {
      this.started = true;
      this.poller.start();
    }
    return Promise.resolve();
  }

  async stop(): Promise<void> {
    try {
      await this.poller.stop();
    } catch {
      // stop() never throws
    }
  }

  health(): Promise<ConnectorHealth> {
    return Promise.resolve(this.poller.health());
  }
}
