// The connector process of a benchmark: exactly what `aduan connector <id>` runs for one channel,
// without the workers; prints its RSS right after start() and stops cleanly on SIGTERM.
import { readFileSync } from 'node:fs';
import { pino } from 'pino';
import { CHANNEL_SCHEMAS } from '../../connectors/registry.ts';
import { loadConfigText } from '../../core/config/load.ts';
import type { ConnectorDefinition } from '../../core/connector.ts';
import { openDb } from '../../core/db/client.ts';
import { createLogger } from '../../core/logger.ts';
import { createConnectorContext } from '../../core/runtime.ts';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- any connector definition
export async function runBenchChild(configFile: string, channelId: string, definition: ConnectorDefinition<any>): Promise<void> {
  const { config } = loadConfigText(readFileSync(configFile, 'utf8'), configFile, { channelSchemas: CHANNEL_SCHEMAS });
  const channel = config.channels.find((c) => c.id === channelId)!;
  const db = openDb(config.database.path);
  const logger = createLogger({ process: 'bench', connector: channel.id }, pino.destination({ dest: 2, sync: false }));
  const runtime = createConnectorContext({ config, channel, db, logger });
  const instance = definition.create(definition.configSchema.parse(channel), runtime.ctx);
  await instance.start();
  process.stdout.write(`RSS_AFTER_START ${process.memoryUsage().rss}\n`);
  process.on('SIGTERM', () => {
    void instance.stop().then(() => runtime.close()).then(() => process.exit(0));
  });
}
