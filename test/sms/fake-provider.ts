import express from 'express';
import type { Server } from 'node:http';

export interface Recorded {
  method: string;
  path: string;
  auth: string | undefined;
  contentType: string | undefined;
  body: string;
}

/**
 * A local stand-in for a provider HTTP API (capcom6 /message, Twilio Messages.json and media).
 * Routes answer from `responders`; every request is recorded.
 */
export class FakeProvider {
  readonly calls: Recorded[] = [];
  private server: Server | undefined;
  port = 0;
  /** Next status codes to answer on send endpoints (shifted per call; 0 = answer normally), default 2xx; with headers (Retry-After) as an object. */
  failNext: (number | { status: number; headers?: Record<string, string>; code?: number })[] = [];
  /** Twilio sends to hold back until the promise settles (shifted per Messages.json call; undefined = answer at once). */
  holdSends: (Promise<void> | undefined)[] = [];
  /** Media by path; `hold` keeps the answer back until it settles (a slow CDN, without timing). */
  media = new Map<string, { type: string; body: Buffer; redirect?: string; hold?: Promise<void> }>();

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  async start(): Promise<this> {
    const app = express();
    app.use(express.raw({ type: () => true, limit: '50mb' }));
    app.use((req, res) => {
      const rec: Recorded = { method: req.method, path: req.path, auth: req.get('authorization'), contentType: req.get('content-type'), body: Buffer.isBuffer(req.body) ? req.body.toString('utf8') : '' };
      this.calls.push(rec);
      const m = this.media.get(req.path);
      if (req.method === 'GET' && m) {
        if (m.redirect) return void res.redirect(302, m.redirect);
        if (m.hold) return void m.hold.then(() => res.status(200).type(m.type).send(m.body));
        return void res.status(200).type(m.type).send(m.body);
      }
      if (req.method === 'GET' && req.path.startsWith('/cdn/')) {
        const item = this.media.get(req.path.replace('/cdn', ''));
        if (item) return void res.status(200).type(item.type).send(item.body);
      }
      const next = this.failNext.shift();
      const fail = typeof next === 'object' ? next.status : next;
      if (typeof next === 'object' && next.headers) res.set(next.headers);
      const code = typeof next === 'object' && next.code !== undefined ? next.code : fail === 400 ? 21610 : fail === 429 ? 20429 : 20500;
      if (fail !== undefined && fail !== 0) return void res.status(fail).json({ code, message: 'fake failure', status: fail });
      if (req.method === 'POST' && req.path === '/message') return void res.status(202).json({ id: 'x', state: 'Pending' });
      if (req.method === 'POST' && /\/2010-04-01\/Accounts\/AC[0-9a-f]{32}\/Messages\.json$/.test(req.path)) {
        const p = new URLSearchParams(rec.body);
        const hold = this.holdSends.shift();
        if (hold) return void hold.then(() => res.status(201).json({ sid: `SM${'0'.repeat(30)}${String(this.calls.length).padStart(2, '0')}`, status: 'queued', to: p.get('To'), from: p.get('From'), body: p.get('Body') }));
        return void res.status(201).json({ sid: `SM${'0'.repeat(30)}${String(this.calls.length).padStart(2, '0')}`, status: 'queued', to: p.get('To'), from: p.get('From'), body: p.get('Body') });
      }
      res.status(404).json({ message: 'not found' });
    });
    await new Promise<void>((resolve) => {
      this.server = app.listen(0, '127.0.0.1', () => resolve());
    });
    const addr = this.server?.address();
    this.port = typeof addr === 'object' && addr ? addr.port : 0;
    return this;
  }

  async stop(): Promise<void> {
    const s = this.server;
    this.server = undefined;
    if (s) await new Promise<void>((r) => {
      s.close(() => r());
      s.closeAllConnections();
    });
  }
}
