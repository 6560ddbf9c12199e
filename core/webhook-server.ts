/**
 * A minimal HTTP server for provider webhooks: one POST path, the raw body (needed for signature
 * checks) with a size limit, nothing else. Plain node:http — a webhook needs no router, body
 * parsers or ETags, and at 50 concurrent provider connections on two cores express's per-request
 * work was a measurable part of the p99 (issue 4).
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { AduanError } from './errors.ts';

export interface WebhookRequest {
  method: string;
  /** Path and query as received (what express calls originalUrl). */
  url: string;
  headers: IncomingMessage['headers'];
  body: Buffer;
  /** Remote address; X-Forwarded-For's last hop when the peer is a loopback proxy. */
  ip: string;
}

export interface WebhookAnswer {
  status: number;
  type: string;
  body: string;
  headers?: Record<string, string>;
}

/** One request header as a string (the first, if repeated). */
export function header(req: WebhookRequest, name: string): string | undefined {
  const v = req.headers[name];
  return Array.isArray(v) ? v[0] : v;
}

/** A JSON answer. */
export function jsonAnswer(status: number, body: unknown, headers?: Record<string, string>): WebhookAnswer {
  return { status, type: 'application/json', body: JSON.stringify(body), ...(headers ? { headers } : {}) };
}

export interface WebhookServerOptions {
  host: string;
  port: number;
  path: string;
  maxBodyBytes: number;
  handle(req: WebhookRequest): Promise<WebhookAnswer>;
  /**
   * A body over maxBodyBytes. `authentic` looks at the headers only (a secret header), before any of the
   * body is read: false (or no `oversized`) → 413 as for anyone. True → a body up to `authenticMaxBodyBytes`
   * (default maxBodyBytes) goes to `handle` as any other; over it, `keep` gets the request with the body's
   * first maxBodyBytes (and the declared length, if any) and answers it; the rest is read and dropped.
   */
  oversized?: {
    authentic(headers: IncomingMessage['headers']): boolean;
    /** Body limit for a sender `authentic` accepts (a provider's genuine requests may be larger than anyone's). */
    authenticMaxBodyBytes?: number;
    keep(req: WebhookRequest, declaredBytes: number | undefined): Promise<WebhookAnswer>;
  };
  /** Requests refused before the handler (wrong path/method, too large, aborted). */
  onReject?(status: number, reason: string, ip: string): void;
  keepAliveTimeoutMs?: number;
  /** The channel id: `GET /healthz` then answers `{"ok": true, "channel": id}` (how `aduan doctor` knows the port is ours). */
  channel?: string;
}

const LOOPBACK = /^(127\.|::1$|::ffff:127\.)/;

function clientIp(req: IncomingMessage): string {
  const peer = req.socket.remoteAddress ?? '';
  const fwd = req.headers['x-forwarded-for'];
  if (!LOOPBACK.test(peer) || typeof fwd !== 'string' || fwd === '') return peer;
  const hops = fwd.split(',');
  return hops[hops.length - 1]!.trim() || peer;
}

function answer(res: ServerResponse, a: WebhookAnswer): void {
  if (res.headersSent) return;
  const body = Buffer.from(a.body, 'utf8');
  res.writeHead(a.status, { ...a.headers, 'content-type': `${a.type}; charset=utf-8`, 'content-length': body.length });
  res.end(body);
}

/** Answer `req` with the handler, or with 404/405/413/400 before it. */
function serve(opts: WebhookServerOptions, req: IncomingMessage, res: ServerResponse): void {
  const url = req.url ?? '/';
  const q = url.indexOf('?');
  const pathname = q < 0 ? url : url.slice(0, q);
  const ip = clientIp(req);
  const refuse = (status: number, reason: string): void => {
    opts.onReject?.(status, reason, ip);
    answer(res, { status, type: 'text/plain', body: reason });
  };
  if (opts.channel !== undefined && pathname === '/healthz' && req.method === 'GET') {
    req.resume();
    return answer(res, jsonAnswer(200, { ok: true, channel: opts.channel }));
  }
  if (pathname !== opts.path) {
    req.resume();
    return refuse(404, 'not found');
  }
  if (req.method !== 'POST') {
    req.resume();
    res.setHeader('allow', 'POST');
    return refuse(405, 'method not allowed');
  }
  const declared = Number(req.headers['content-length'] ?? 0);
  // (header-only, asked once and only of a body over maxBodyBytes: a larger body is taken, or kept when over
  // even that, only for a sender that proved itself, e.g. with a secret header)
  let authentic: boolean | undefined;
  const keepOversized = (): boolean => (authentic ??= opts.oversized?.authentic(req.headers) === true);
  const authenticMax = Math.max(opts.maxBodyBytes, opts.oversized?.authenticMaxBodyBytes ?? 0);
  const overLimit = (bytes: number): boolean => bytes > opts.maxBodyBytes && (!keepOversized() || bytes > authenticMax);
  if (declared > opts.maxBodyBytes && !keepOversized()) {
    req.resume();
    res.setHeader('connection', 'close');
    return refuse(413, 'entity.too.large');
  }
  const chunks: Buffer[] = [];
  let size = 0;
  let failed = false;
  req.on('data', (chunk: Buffer) => {
    if (failed) return;
    size += chunk.length;
    if (overLimit(size)) {
      failed = true;
      res.setHeader('connection', 'close');
      if (opts.oversized && keepOversized()) {
        const head = Buffer.concat([...chunks, chunk]).subarray(0, opts.maxBodyBytes);
        opts.oversized.keep({ method: 'POST', url, headers: req.headers, body: head, ip }, declared > 0 ? declared : undefined).then(
          (a) => answer(res, a),
          () => answer(res, { status: 500, type: 'text/plain', body: 'error' }),
        );
      } else {
        refuse(413, 'entity.too.large');
      }
      chunks.length = 0;
      req.resume();
      return;
    }
    chunks.push(chunk);
  });
  req.on('error', () => {
    failed = true;
  });
  req.on('end', () => {
    if (failed) return;
    const body = chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, size);
    opts.handle({ method: 'POST', url, headers: req.headers, body, ip }).then(
      (a) => answer(res, a),
      () => answer(res, { status: 500, type: 'text/plain', body: 'error' }),
    );
  });
}

export async function startWebhookServer(opts: WebhookServerOptions): Promise<Server> {
  const server = createServer((req, res) => serve(opts, req, res));
  server.keepAliveTimeout = opts.keepAliveTimeoutMs ?? 65_000;
  await listenOn(server, opts.port, opts.host);
  return server;
}

/** What to change when a listen fails, for the sysadmin (the process log, `aduan doctor`). */
export function listenFailure(err: NodeJS.ErrnoException): string {
  return err.code === 'EADDRINUSE' ? 'the port is already in use by another process (another Aduan process, or an old one still running); stop it or set another listen.port'
    : err.code === 'EACCES' ? 'permission denied (ports below 1024 need root); use a port above 1024 behind a reverse proxy'
      : err.code === 'EADDRNOTAVAIL' ? 'this machine has no such address; check listen.host'
        : err.message;
}

/**
 * Listen, or fail with an error that says what to change. Resolves only once the socket is bound:
 * express 5's app.listen calls its callback on an error too (EADDRINUSE), so a caller that resolves
 * there reports "listening" while another program owns the port.
 */
export function listenOn(server: Server, port: number, host: string): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    const fail = (err: NodeJS.ErrnoException): void => {
      server.off('listening', ok);
      reject(new AduanError('LISTEN.FAILED', { host, port, detail: listenFailure(err) }, { cause: err }));
    };
    const ok = (): void => {
      server.off('error', fail);
      resolve();
    };
    server.once('error', fail);
    server.once('listening', ok);
    server.listen(port, host);
  });
}

export function stopWebhookServer(server: Server): Promise<void> {
  return new Promise((resolve) => {
    server.close(() => resolve());
    server.closeIdleConnections();
  });
}
