import { loadAduanConfig } from './load-config.ts';
import { CONNECTORS } from '../connectors/registry.ts';
import { AduanError } from '../core/errors.ts';
import { closeDb, openDb } from '../core/db/client.ts';
import { createLogger } from '../core/logger.ts';
import { createMailSender } from '../core/mail/transport.ts';
import { createConnectorContext } from '../core/runtime.ts';
import { onShutdown, signalReady } from '../core/shutdown.ts';
import { Storage } from '../core/storage.ts';
import { createUnderstanderFor } from './understander.ts';
import { startForwardWorker } from '../workers/forward.worker.ts';
import { startIntakeWorker } from '../workers/intake.worker.ts';
import { startSchedulerWorker } from '../workers/scheduler.worker.ts';
import { adminApiEnabled, startAdminApi } from '../workers/admin.api.ts';
import type { AduanConfig } from '../core/config/schema.ts';

/** Channel ids whose connectors send replies themselves. */
export function outboundChannels(config: Readonly<AduanConfig>): Set<string> {
  return new Set(config.channels.filter((c) => c.enabled && CONNECTORS[c.type]?.sendsReplies === true).map((c) => c.id));
}

/** `aduan connector <id>`: one channel in this process, until SIGINT/SIGTERM. */
export async function runConnector(id: string, configPath?: string): Promise<void> {
  const { config } = loadAduanConfig(configPath);
  const channel = config.channels.find((c) => c.id === id && c.enabled);
  if (!channel) throw new AduanError('CONNECTOR.NOT_FOUND', { id });
  const entry = CONNECTORS[channel.type];
  if (!entry) throw new AduanError('CONNECTOR.UNKNOWN_TYPE', { id, type: channel.type });
  const def = await entry.load();
  const logger = createLogger({ process: 'connector', connector: id });
  const db = openDb(config.database.path);
  const runtime = createConnectorContext({ config, channel, db, logger });
  const instance = def.create(channel, runtime.ctx);
  onShutdown(logger, async () => {
    await instance.stop();
    await runtime.close();
    closeDb(db);
  });
  await instance.start();
  signalReady();
}

/** `aduan worker <intake|forward|scheduler>`. */
export async function runWorker(name: string, configPath?: string): Promise<void> {
  if (!['intake', 'forward', 'scheduler'].includes(name)) throw new AduanError('INPUT.INVALID', { field: 'worker', detail: `"${name}": expected intake, forward or scheduler` });
  const { config, warnings } = loadAduanConfig(configPath);
  const logger = createLogger({ process: `worker-${name}` });
  // (what loads but will not do what it says: aduan doctor shows the same)
  for (const w of warnings) logger.warn(w);
  const db = openDb(config.database.path, name === 'intake' ? { cacheMb: config.database.intakeCacheMb } : {});
  let worker: { close(): Promise<void> };
  if (name === 'intake') {
    worker = startIntakeWorker({ config, db, logger, understander: await createUnderstanderFor(config), outboundChannels: outboundChannels(config) });
  } else if (name === 'forward') {
    worker = startForwardWorker({ config, db, logger, sender: createMailSender(config, new Storage(config.storage.dir)) });
  } else if (name === 'scheduler') {
    const scheduler = startSchedulerWorker({ config, db, logger, outboundChannels: outboundChannels(config) });
    // The officers' admin API lives in the scheduler process: it writes cases, so not in a connector.
    const admin = adminApiEnabled(config) ? await startAdminApi({ config, db, logger, outboundChannels: outboundChannels(config) }) : undefined;
    worker = { close: async () => { await admin?.close(); await scheduler.close(); } };
  } else {
    throw new Error(`unknown worker "${name}"; expected intake, forward or scheduler`);
  }
  onShutdown(logger, async () => {
    await worker.close();
    closeDb(db);
  });
  logger.info(`worker ${name} started`);
  signalReady();
}
