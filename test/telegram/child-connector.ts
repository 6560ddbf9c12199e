/**
 * Runs the Telegram connector alone in a child process, for the SIGKILL test.
 * argv[2]: config JSON file (a validated AduanConfig), argv[3]: channel id.
 * ADUAN_TG_HANG=before-enqueue | after-enqueue: prints the marker and never lets enqueue finish
 * (or return), so the parent can SIGKILL the process exactly there.
 */
import { readFileSync } from 'node:fs';
import { pino } from 'pino';
import { CHANNEL_SCHEMAS, CONNECTORS } from '../../connectors/registry.ts';
import { loadConfigText } from '../../core/config/load.ts';
import { openDb } from '../../core/db/client.ts';
import { createLogger } from '../../core/logger.ts';
import { createConnectorContext } from '../../core/runtime.ts';

const [file, channelId] = process.argv.slice(2);
const { config } = loadConfigText(readFileSync(file!, 'utf8'), file!, { channelSchemas: CHANNEL_SCHEMAS });
const channel = config.channels.find((c) => c.id === channelId)!;
const db = openDb(config.database.path);
const logger = createLogger({ process: 'child', connector: channel.id }, pino.destination({ dest: 2, sync: true }));
const runtime = createConnectorContext({ config, channel, db, logger });
const hang = process.env['ADUAN_TG_HANG'];
const ctx = {
  ...runtime.ctx,
  async enqueue(input: Parameters<typeof runtime.ctx.enqueue>[0]) {
    if (hang === 'before-enqueue') {
      process.stdout.write(`HANG before-enqueue ${input.externalId}\n`);
      return new Promise<string>(() => undefined);
    }
    const id = await runtime.ctx.enqueue(input);
    if (hang === 'after-enqueue') {
      process.stdout.write(`HANG after-enqueue ${input.externalId}\n`);
      return new Promise<string>(() => undefined);
    }
    process.stdout.write(`ENQUEUED ${input.externalId}\n`);
    return id;
  },
};
const instance = (await CONNECTORS[channel.type]!.load()).create(channel, ctx);
await instance.start();
process.stdout.write('STARTED\n');
const shutdown = async () => {
  await instance.stop();
  await runtime.close();
  process.exit(0);
};
process.on('SIGTERM', () => void shutdown());
process.on('SIGINT', () => void shutdown());
