import type { z } from 'zod';
import type { ConnectorDefinition } from '../core/connector.ts';
import type { ChannelSchemas } from '../core/config/load.ts';
import { webConfigSchema } from './web/web.config.ts';
import { telegramConfigSchema } from './telegram/telegram.config.ts';
import { emailChannelSchema } from './email/email.config.ts';
import { gammuConfigSchema } from './gammu/gammu.config.ts';
import { androidSmsGatewayConfigSchema } from './android-sms-gateway/android.config.ts';
import { twilioConfigSchema } from './twilio/twilio.config.ts';

/** One channel type: its YAML schema (light, for validating config) and the connector, loaded on demand. */
export interface ConnectorEntry {
  readonly configSchema: z.ZodType;
  /** Whether the connector sends replies itself (consumes outbound-<id>). */
  readonly sendsReplies: boolean;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- each definition has its own config type
  load(): Promise<ConnectorDefinition<any>>;
}

/**
 * Every channel type, by YAML `type`. Connectors are imported only by the process that runs them:
 * the CLI, the workers and config validation never pay for telegraf, twilio or imapflow.
 */
export const CONNECTORS: Readonly<Record<string, ConnectorEntry>> = {
  web: { configSchema: webConfigSchema, sendsReplies: false, load: async () => (await import('./web/index.ts')).webConnector },
  telegram: { configSchema: telegramConfigSchema, sendsReplies: true, load: async () => (await import('./telegram/index.ts')).telegramConnector },
  email: { configSchema: emailChannelSchema, sendsReplies: false, load: async () => (await import('./email/index.ts')).emailConnector },
  gammu: { configSchema: gammuConfigSchema, sendsReplies: true, load: async () => (await import('./gammu/index.ts')).gammuConnector },
  'android-sms-gateway': { configSchema: androidSmsGatewayConfigSchema, sendsReplies: true, load: async () => (await import('./android-sms-gateway/index.ts')).androidSmsGatewayConnector },
  twilio: { configSchema: twilioConfigSchema, sendsReplies: true, load: async () => (await import('./twilio/index.ts')).twilioConnector },
};

export const CHANNEL_SCHEMAS: ChannelSchemas = Object.fromEntries(Object.entries(CONNECTORS).map(([type, def]) => [type, def.configSchema]));
