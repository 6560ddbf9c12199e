import { rmSync } from 'node:fs';
import { createLogger } from '../../core/logger.ts';
import { closeDb, openDb, type Db } from '../../core/db/client.ts';
import { createMailSender } from '../../core/mail/transport.ts';
import { createConnectorContext, type ConnectorRuntime } from '../../core/runtime.ts';
import { Storage } from '../../core/storage.ts';
import { basicUnderstander } from '../../core/understand.ts';
import type { AduanConfig } from '../../core/config/schema.ts';
import type { Understander } from '../../core/understand.ts';
import { CONNECTORS } from '../../connectors/registry.ts';
import type { ConnectorInstance } from '../../core/connector.ts';
import { startForwardWorker } from '../../workers/forward.worker.ts';
import { startIntakeWorker, type RunningWorker } from '../../workers/intake.worker.ts';
import { testConfig } from './config.ts';
import { startRedis, type TestRedis } from './redis.ts';
import { startSmtp, type TestSmtp } from './smtp.ts';
import { pino, type DestinationStream } from 'pino';

export interface Harness {
  config: AduanConfig & { dataDir: string };
  db: Db;
  redis: TestRedis;
  smtp: TestSmtp;
  /** Start a channel from config.channels in-process. */
  startConnector(id: string): Promise<{ instance: ConnectorInstance; runtime: ConnectorRuntime }>;
  startIntake(understander?: Understander): RunningWorker;
  startForward(): RunningWorker;
  stop(): Promise<void>;
}

const quiet = process.env['ADUAN_TEST_LOGS'] === '1' ? undefined : pino.destination({ dest: '/dev/null', sync: true });

/**
 * Real Redis, real SMTP server, temp SQLite and storage; connectors and workers run in-process.
 * Every test file gets its own harness (its own Redis and prefix) and stops it in afterAll.
 */
export async function startHarness(overrides: Record<string, unknown> = {}, opts: { redis?: TestRedis; logs?: DestinationStream } = {}): Promise<Harness> {
  const redis = opts.redis ?? (await startRedis());
  const smtp = await startSmtp();
  const { mail: mailOverrides, ...rest } = overrides as { mail?: Record<string, unknown> };
  const config = testConfig({
    redisUrl: redis.url,
    ...rest,
    mail: { transport: 'smtp', from: 'Aduan Test <aduan@dprd.test>', retry: { attempts: 4, backoffMs: 200 }, ...mailOverrides, smtp: { host: '127.0.0.1', port: smtp.port, secure: false } },
  });
  const db = openDb(config.database.path);
  const stoppers: (() => Promise<void>)[] = [];
  const logger = (name: string, connector?: string) => createLogger(connector ? { process: name, connector } : { process: name }, opts.logs ?? quiet);
  return {
    config, db, redis, smtp,
    async startConnector(id) {
      const channel = config.channels.find((c) => c.id === id);
      if (!channel) throw new Error(`no channel ${id} in test config`);
      const runtime = createConnectorContext({ config, channel, db, logger: logger('connector', id) });
      const instance = (await CONNECTORS[channel.type]!.load()).create(channel, runtime.ctx);
      try {
        await instance.start();
      } catch (err) {
        await runtime.close();
        throw err;
      }
      stoppers.push(async () => {
        await instance.stop();
        await runtime.close();
      });
      return { instance, runtime };
    },
    startIntake(understander) {
      const outbound = new Set(config.channels.filter((c) => CONNECTORS[c.type]?.sendsReplies).map((c) => c.id));
      const w = startIntakeWorker({ config, db, logger: logger('intake'), understander: understander ?? basicUnderstander(config), outboundChannels: outbound });
      stoppers.push(() => w.close());
      return w;
    },
    startForward() {
      const w = startForwardWorker({ config, db, logger: logger('forward'), sender: createMailSender(config, new Storage(config.storage.dir)) });
      stoppers.push(() => w.close());
      return w;
    },
    async stop() {
      for (const s of stoppers.reverse()) await s().catch(() => undefined);
      await smtp.close();
      closeDb(db);
      if (!opts.redis) await redis.dispose();
      rmSync(config.dataDir, { recursive: true, force: true });
    },
  };
}
