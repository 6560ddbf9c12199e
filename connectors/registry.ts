import type { ConnectorDefinition } from '../core/connector.ts';
import type { ChannelSchemas } from '../core/config/load.ts';
import { webConnector } from './web/index.ts';
import { telegramConnector } from './telegram/index.ts';
import { emailConnector } from './email/index.ts';
import { gammuConnector } from './gammu/index.ts';
import { androidSmsGatewayConnector } from './android-sms-gateway/index.ts';
import { twilioConnector } from './twilio/index.ts';

/**
 * Every channel type, by YAML `type`. One line per connector.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- each definition has its own config type
export const CONNECTORS: Readonly<Record<string, ConnectorDefinition<any>>> = {
  web: webConnector,
  telegram: telegramConnector,
  email: emailConnector,
  gammu: gammuConnector,
  'android-sms-gateway': androidSmsGatewayConnector,
  twilio: twilioConnector,
};

export const CHANNEL_SCHEMAS: ChannelSchemas = Object.fromEntries(Object.entries(CONNECTORS).map(([type, def]) => [type, def.configSchema]));
