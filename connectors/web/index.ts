import { createServer, type Server } from 'node:http';
import { listenOn } from '../../core/webhook-server.ts';
import type { ConnectorDefinition, ConnectorInstance } from '../../core/connector.ts';
import { createWebApp } from './web.app.ts';
import { webConfigSchema, type WebConfig } from './web.config.ts';

/** `type: web`: public form + JSON intake API. Replies go by e-mail (forward worker) and the status page. */
export const webConnector: ConnectorDefinition<WebConfig> = {
  type: 'web',
  configSchema: webConfigSchema,
  sendsReplies: false,
  create(config, ctx): ConnectorInstance & { address(): { host: string; port: number } | undefined } {
    const { app } = createWebApp(config, ctx);
    let server: Server | undefined;
    let stopping: Promise<void> | undefined;
    return {
      async start() {
        const s = createServer(app);
        s.keepAliveTimeout = 5_000;
        s.requestTimeout = 30_000;
        await listenOn(s, config.listen.port, config.listen.host);
        server = s;
        ctx.logger.info({ host: config.listen.host, port: config.listen.port }, `web channel listening on http://${config.listen.host}:${config.listen.port}`);
      },
      stop() {
        stopping ??= new Promise<void>((resolve) => {
          if (!server) return resolve();
          // close() waits for in-flight requests (their enqueue) to finish; idle keep-alives are cut
          server.close(() => resolve());
          server.closeIdleConnections();
        });
        return stopping;
      },
      async health() {
        return { ok: server?.listening === true };
      },
      address() {
        const a = server?.address();
        return a && typeof a === 'object' ? { host: a.address, port: a.port } : undefined;
      },
    };
  },
};
