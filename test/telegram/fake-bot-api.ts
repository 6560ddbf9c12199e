import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** One recorded Bot API call. */
export interface RecordedCall {
  method: string;
  payload: Record<string, unknown>;
  at: number;
}

export interface FakeFile {
  fileId: string;
  fileUniqueId?: string;
  /** Served bytes; omit for a file that is only described (too big to fetch). */
  content?: Buffer;
  /** Reported size (defaults to content length). */
  size?: number;
}

/** A scripted answer; `pass` lets the call through (for a failure after some calls succeed). */
type Scripted = { status: number; body: Record<string, unknown> } | { pass: true };

/**
 * A local stand-in for api.telegram.org on 127.0.0.1: getMe, getUpdates (long poll, offset
 * confirms), sendMessage, getFile and file downloads, setWebhook/deleteWebhook. It records every
 * call and can be told to fail the next calls of a method (429, 403, 5xx…).
 */
export class FakeBotApi {
  readonly calls: RecordedCall[] = [];
  readonly bot = { id: 7000000001, is_bot: true, first_name: 'Aduan DPRD', username: 'aduan_test_bot' };
  private server: Server | undefined;
  private updates: Array<Record<string, unknown>> = [];
  private nextUpdateId = 1000;
  private nextMessageId = 50_000;
  private readonly files = new Map<string, FakeFile>();
  private readonly failures = new Map<string, Scripted[]>();
  /** Calls per method left that get no answer at all (a stalled connection). */
  private readonly hangs = new Map<string, number>();
  /** Calls per method left that are held unanswered until releaseHeld() (Telegram answering late). */
  private readonly holds = new Map<string, number>();
  private held: Array<() => void> = [];
  private waiters: Array<() => void> = [];
  /** Highest offset a getUpdates call confirmed with. */
  confirmedOffset = 0;
  webhookUrl: string | undefined;
  /** When set, getUpdates answers 409 like Telegram does while a webhook is set. */
  conflictWhileWebhook = true;

  constructor(readonly token = '123456:TEST-token_for-the-fake') {}

  get url(): string {
    const a = this.server?.address() as AddressInfo | undefined;
    if (!a) throw new Error('fake not started');
    return `http://127.0.0.1:${a.port}`;
  }

  async start(): Promise<this> {
    this.server = createServer((req, res) => void this.route(req, res));
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    return this;
  }

  async stop(): Promise<void> {
    this.releaseHeld();
    for (const w of this.waiters) w();
    this.waiters = [];
    const s = this.server;
    this.server = undefined;
    if (!s) return;
    s.closeAllConnections();
    await new Promise<void>((resolve) => s.close(() => resolve()));
  }

  /** Queue an update (update_id assigned when absent); returns it. */
  push(update: Record<string, unknown>): Record<string, unknown> {
    const u = { ...update };
    if (typeof u['update_id'] !== 'number') u['update_id'] = this.nextUpdateId++;
    else this.nextUpdateId = Math.max(this.nextUpdateId, (u['update_id'] as number) + 1);
    this.updates.push(u);
    for (const w of this.waiters.splice(0)) w();
    return u;
  }

  /** Updates still held (not confirmed by an offset above them). */
  get pending(): Array<Record<string, unknown>> {
    return this.updates.filter((u) => (u['update_id'] as number) >= this.confirmedOffset);
  }

  addFile(f: FakeFile): void {
    this.files.set(f.fileId, f);
  }

  /**
   * The next `times` calls of `method` answer with this error (after `opts.after` calls that succeed);
   * with `opts.chatId`, only the calls for that chat (others answered as usual).
   */
  failNext(method: string, error: { status: number; description?: string; parameters?: Record<string, unknown> }, times = 1, opts: { after?: number; chatId?: number } = {}): void {
    const key = opts.chatId !== undefined ? `${method}@${opts.chatId}` : method;
    const list = this.failures.get(key) ?? [];
    for (let i = 0; i < (opts.after ?? 0); i += 1) list.push({ pass: true });
    for (let i = 0; i < times; i += 1) {
      list.push({ status: error.status, body: { ok: false, error_code: error.status, description: error.description ?? `Error ${error.status}`, ...(error.parameters ? { parameters: error.parameters } : {}) } });
    }
    this.failures.set(key, list);
  }

  /**
   * The next `times` calls of `method` are read and never answered (a half-open connection, a stalled proxy);
   * `download`: a file download that sends its headers and half the file, then stalls.
   */
  hangNext(method: string, times = 1): void {
    this.hangs.set(method, (this.hangs.get(method) ?? 0) + times);
  }

  /** The next `times` calls of `method` get no answer until releaseHeld(), then the usual one (a late answer). */
  holdNext(method: string, times = 1): void {
    this.holds.set(method, (this.holds.get(method) ?? 0) + times);
  }

  /** Answer the calls holdNext held (those whose client has not given up on them). */
  releaseHeld(): void {
    for (const release of this.held.splice(0)) release();
  }

  /** How many calls holdNext holds now. */
  get heldCount(): number {
    return this.held.length;
  }

  callsOf(method: string): RecordedCall[] {
    return this.calls.filter((c) => c.method === method);
  }

  private async route(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://x');
    const fileMatch = /^\/file\/bot([^/]+)\/(.+)$/.exec(url.pathname);
    if (fileMatch) return this.download(fileMatch[1]!, decodeURIComponent(fileMatch[2]!), res);
    const m = /^\/bot([^/]+)\/([A-Za-z]+)$/.exec(url.pathname);
    if (!m) return send(res, 404, { ok: false, error_code: 404, description: 'Not Found' });
    if (m[1] !== this.token) return send(res, 401, { ok: false, error_code: 401, description: 'Unauthorized' });
    const method = m[2]!;
    const payload = await readJson(req);
    for (const [k, v] of url.searchParams) payload[k] = v;
    this.calls.push({ method, payload, at: Date.now() });
    const hang = this.hangs.get(method) ?? 0;
    if (hang > 0) {
      this.hangs.set(method, hang - 1);
      return;
    }
    const hold = this.holds.get(method) ?? 0;
    if (hold > 0) {
      this.holds.set(method, hold - 1);
      await new Promise<void>((resolve) => this.held.push(resolve));
    }
    const forChat = payload['chat_id'] !== undefined ? this.failures.get(`${method}@${String(payload['chat_id'])}`) : undefined;
    const scripted = forChat?.length ? forChat.shift() : this.failures.get(method)?.shift();
    if (scripted && !('pass' in scripted)) return send(res, scripted.status, scripted.body);
    switch (method) {
      case 'getMe':
        return send(res, 200, { ok: true, result: this.bot });
      case 'getUpdates':
        return this.getUpdates(payload, res);
      case 'sendMessage': {
        const result = { message_id: this.nextMessageId++, date: Math.floor(Date.now() / 1000), chat: { id: Number(payload['chat_id']), type: 'private' }, from: this.bot, text: payload['text'] };
        return send(res, 200, { ok: true, result });
      }
      case 'getFile': {
        const f = this.files.get(String(payload['file_id']));
        if (!f) return send(res, 400, { ok: false, error_code: 400, description: 'Bad Request: invalid file_id' });
        const size = f.size ?? f.content?.length ?? 0;
        if (size > 20 * 1024 * 1024) return send(res, 400, { ok: false, error_code: 400, description: 'Bad Request: file is too big' });
        return send(res, 200, { ok: true, result: { file_id: f.fileId, file_unique_id: f.fileUniqueId ?? f.fileId.slice(-8), file_size: size, file_path: `documents/${encodeURIComponent(f.fileId)}.bin` } });
      }
      case 'setWebhook':
        this.webhookUrl = String(payload['url'] ?? '');
        return send(res, 200, { ok: true, result: true, description: 'Webhook was set' });
      case 'deleteWebhook':
        this.webhookUrl = undefined;
        return send(res, 200, { ok: true, result: true, description: 'Webhook was deleted' });
      default:
        return send(res, 404, { ok: false, error_code: 404, description: 'Not Found: method not found' });
    }
  }

  private async getUpdates(payload: Record<string, unknown>, res: ServerResponse): Promise<void> {
    if (this.webhookUrl && this.conflictWhileWebhook) {
      return send(res, 409, { ok: false, error_code: 409, description: "Conflict: can't use getUpdates method while webhook is active; use deleteWebhook to delete the webhook first" });
    }
    const offset = Number(payload['offset'] ?? 0);
    const limit = Math.min(100, Math.max(1, Number(payload['limit'] ?? 100)));
    const timeout = Math.min(5, Number(payload['timeout'] ?? 0));
    if (offset > 0) {
      // Telegram semantics: an offset confirms (forgets) everything below it.
      this.confirmedOffset = Math.max(this.confirmedOffset, offset);
      this.updates = this.updates.filter((u) => (u['update_id'] as number) >= this.confirmedOffset);
    }
    const pick = () => this.updates.filter((u) => (u['update_id'] as number) >= offset).slice(0, limit);
    let result = pick();
    if (result.length === 0 && timeout > 0) {
      await new Promise<void>((resolve) => {
        const timer = setTimeout(() => {
          this.waiters = this.waiters.filter((w) => w !== done);
          resolve();
        }, timeout * 1000);
        const done = () => {
          clearTimeout(timer);
          resolve();
        };
        this.waiters.push(done);
        res.once('close', done);
      });
      result = pick();
    }
    if (!res.destroyed) send(res, 200, { ok: true, result });
  }

  private download(token: string, filePath: string, res: ServerResponse): void {
    this.calls.push({ method: 'download', payload: { filePath }, at: Date.now() });
    if (token !== this.token) return send(res, 401, { ok: false, error_code: 401, description: 'Unauthorized' });
    const id = decodeURIComponent(filePath.replace(/^documents\//, '').replace(/\.bin$/, ''));
    const f = this.files.get(id);
    if (!f?.content) return send(res, 404, { ok: false, error_code: 404, description: 'Not Found' });
    res.writeHead(200, { 'content-type': 'application/octet-stream', 'content-length': String(f.content.length) });
    const hang = this.hangs.get('download') ?? 0;
    if (hang > 0) {
      // hangNext('download'): the headers and half the file, then nothing (a download that stalls half-way)
      this.hangs.set('download', hang - 1);
      res.write(f.content.subarray(0, Math.floor(f.content.length / 2)));
      return;
    }
    res.end(f.content);
  }
}

function send(res: ServerResponse, status: number, body: unknown): void {
  if (res.headersSent || res.destroyed) return;
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
  res.end(text);
}

async function readJson(req: IncomingMessage): Promise<Record<string, unknown>> {
  const chunks: Buffer[] = [];
  for await (const c of req) chunks.push(c as Buffer);
  if (chunks.length === 0) return {};
  try {
    const v: unknown = JSON.parse(Buffer.concat(chunks).toString('utf8'));
    return typeof v === 'object' && v !== null ? (v as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}

/** Builders for the updates tests push (private chat by default). */
export const make = {
  chat: (id = 5550001001) => ({ id, type: 'private', first_name: 'Sri', last_name: 'Wahyuni', username: 'sriw' }),
  from: (id = 5550001001) => ({ id, is_bot: false, first_name: 'Sri', last_name: 'Wahyuni', username: 'sriw', language_code: 'id' }),
  text(text: string, o: { chatId?: number; messageId?: number; updateId?: number } = {}) {
    const chatId = o.chatId ?? 5550001001;
    const isCommand = text.startsWith('/');
    const cmdLen = isCommand ? text.split(/\s/)[0]!.length : 0;
    return {
      ...(o.updateId !== undefined ? { update_id: o.updateId } : {}),
      message: {
        message_id: o.messageId ?? 1, date: 1780000000, chat: make.chat(chatId), from: make.from(chatId), text,
        ...(isCommand ? { entities: [{ offset: 0, length: cmdLen, type: 'bot_command' }] } : {}),
      },
    };
  },
};
