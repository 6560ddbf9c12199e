import { createServer, type Server } from 'node:http';
import { listenOn } from '../../core/webhook-server.ts';
import type { ConnectorDefinition, ConnectorInstance } from '../../core/connector.ts';
import { awaitingContinue, createWebApp } from './web.app.ts';
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
        // Expect: 100-continue: the app says "100 Continue" itself, once it will read the body (web.app.ts)
        s.on('checkContinue', (req, res) => {
          awaitingContinue.add(req);
          app(req, res);
        });
        s.keepAliveTimeout = 5_000;
        // (a form with three 10 MB photos takes minutes over a slow mobile link: 30 s cut such uploads
        // off; headers must still come within headersTimeout's 60 s)
        s.requestTimeout = 300_000;
        await listenOn(s, config.listen.port, config.listen.host);
        server = s;
        ctx.logger.info({ host: config.listen.host, port: config.listen.port }, `web channel listening on http://${config.listen.host}:${config.listen.port}`);
        if (config.hmacSecret === undefined) {
          // (the public form's JSON twin: nothing more than the form's per-address limit protects it — and with
          // perMinute 0 nothing at all; a sysadmin who only serves the form may not know it is there)
          const open = 'POST /v1/messages accepts unsigned JSON from anyone (the public form\'s JSON equivalent, without its honeypot)';
          const sign = 'if only your website\'s server posts there, set hmacSecret on this channel and have it send X-Signature: t=<unix seconds>,sha256=<hex HMAC-SHA256 of "<t>.<raw body>">';
          if (config.rateLimit.perMinute === 0) ctx.logger.warn({ channel: config.id }, `${open} and rateLimit.perMinute is 0: no limit per address at all. Set rateLimit.perMinute (default 30), or ${sign}`);
          else ctx.logger.info({ channel: config.id }, `${open}, limited like the form to ${config.rateLimit.perMinute} a minute per client address; ${sign}`);
        }
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
