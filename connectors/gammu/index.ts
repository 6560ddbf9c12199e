import type { ConnectorDefinition } from '../../core/connector.ts';
import { gammuConfigSchema, type GammuConfig } from './gammu.config.ts';
import { GammuFilesConnector } from './gammu.files.ts';
import { GammuSqlConnector } from './gammu.sql.ts';

/** `type: gammu` — a GSM modem driven by Gammu SMSD (files or SQL backend), receiving and replying. */
export const gammuConnector: ConnectorDefinition<GammuConfig> = {
  type: 'gammu',
  configSchema: gammuConfigSchema,
  sendsReplies: true,
  create(config, ctx) {
    return config.backend === 'sql' ? new GammuSqlConnector(config, ctx) : new GammuFilesConnector(config, ctx);
  },
};

export default gammuConnector;
