/**
 * The provider webhooks' raw node:http server never decodes the path: a malformed percent-encoding
 * (a scanner's "/%", a query cut short) is a 404 for a path that is not the webhook's, and reaches the
 * handler as sent when only the query is malformed — never a 500. (Checked alongside the web channel
 * and the admin API, whose express routers did answer 500 to such paths.)
 */
import type { Server } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { jsonAnswer, startWebhookServer, stopWebhookServer, type WebhookRequest } from '../../core/webhook-server.ts';
import { rawRequest } from '../helpers/http.ts';
import { freePort } from '../helpers/ports.ts';

let server: Server;
let port: number;
const handled: WebhookRequest[] = [];
const rejected: number[] = [];

beforeAll(async () => {
  port = await freePort();
  server = await startWebhookServer({
    host: '127.0.0.1', port, path: '/hook', maxBodyBytes: 1024, channel: 'sms-test',
    handle: (req) => { handled.push(req); return Promise.resolve(jsonAnswer(200, { ok: true })); },
    onReject: (status) => { rejected.push(status); },
  });
});
afterAll(async () => { await stopWebhookServer(server); });

describe('webhook server: malformed percent-encodings', () => {
  it.each([
    ['GET', '/%'],
    ['POST', '/%E0%A4%A'],
    ['POST', '/hook%'],
    ['POST', '/hook/%ZZ'],
  ])('%s %s: 404, the handler not called', async (method, path) => {
    const before = handled.length;
    const res = await rawRequest(port, method, path, {}, method === 'POST' ? 'a=1' : '');
    expect(res.status).toBe(404);
    expect(handled.length).toBe(before);
    expect(rejected.at(-1)).toBe(404);
  });

  it('a malformed query on the webhook path reaches the handler as sent', async () => {
    const res = await rawRequest(port, 'POST', '/hook?x=%E0%A4%A', {}, 'a=1');
    expect(res.status).toBe(200);
    expect(handled.at(-1)?.url).toBe('/hook?x=%E0%A4%A');
  });
});
