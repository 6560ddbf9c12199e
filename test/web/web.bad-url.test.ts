/**
 * A request line with a malformed percent-encoding (%E0%A4%A, a lone %) — a truncated link pasted from a
 * chat, a scanner — used to reach express's error handler as a URIError: 500 "Internal error" and an
 * error-level log line for every such request. It is the client's mistake: 400, in the channel's
 * Indonesian page style for a browser and as JSON INPUT.INVALID for the API, logged below error level.
 */
import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHarness, type Harness } from '../helpers/harness.ts';
import { rawRequest } from '../helpers/http.ts';
import { freePort } from '../helpers/ports.ts';

let h: Harness;
let port: number;
const logLines: string[] = [];

beforeAll(async () => {
  port = await freePort();
  h = await startHarness({ channels: [{ id: 'web', type: 'web', listen: { host: '127.0.0.1', port }, rateLimit: { perMinute: 0 } }] },
    { logs: new Writable({ write(chunk: Buffer, _enc, cb) { logLines.push(chunk.toString()); cb(); } }) });
  await h.startConnector('web');
});
afterAll(async () => { await h?.stop(); });

const errorLogs = (): string[] => logLines.filter((l) => (JSON.parse(l) as { level: number }).level >= 50);

describe('web channel: a malformed percent-encoding in the URL', () => {
  it('in the query only, it is read as given: the form is still taken (POST /kirim?x=%), nothing logged as an error', async () => {
    const before = errorLogs().length;
    const res = await rawRequest(port, 'POST', '/kirim?x=%', { accept: 'text/html', 'content-type': 'application/x-www-form-urlencoded' }, 'token=tok-bad-query-01&text=jalan+rusak&phone=081234567890');
    expect(res.status).toBe(303);
    const receipt = await rawRequest(port, 'GET', '/laporan/0123456789abcdef0123456789abcdef?sejak=%E0%A4%A', { accept: 'text/html' });
    expect(receipt.status).toBe(404);
    expect(receipt.text).toContain('lang="id"');
    expect(errorLogs().length).toBe(before);
  });

  const browser = { accept: 'text/html,application/xhtml+xml' };

  it.each([
    ['GET', '/laporan/%E0%A4%A'],
    ['GET', '/%'],
    ['POST', '/kirim/%'],
    ['GET', '/status/%ZZ'],
  ])('%s %s from a browser: 400, an Indonesian page, no error logged', async (method, path) => {
    const before = errorLogs().length;
    const res = await rawRequest(port, method, path, method === 'POST' ? { ...browser, 'content-type': 'application/x-www-form-urlencoded' } : browser, method === 'POST' ? 'text=jalan+rusak&phone=081234567890' : '');
    expect(res.status).toBe(400);
    expect(res.type).toContain('text/html');
    expect(res.text).toContain('lang="id"');
    expect(res.text).toContain('Alamat tidak valid');
    expect(res.text).not.toMatch(/URIError|Failed to decode|Internal error/);
    expect(errorLogs().length).toBe(before);
  });

  it.each([
    ['GET', '/v1/messages/%E0%A4%A'],
    ['POST', '/v1/messages/%'],
    ['GET', '/laporan/%'],
  ])('%s %s from a program: 400 JSON INPUT.INVALID, no error logged', async (method, path) => {
    const before = errorLogs().length;
    const res = await rawRequest(port, method, path, { accept: 'application/json', 'content-type': 'application/json' }, method === 'POST' ? '{"text":"jalan rusak","phone":"081234567890"}' : '');
    expect(res.status).toBe(400);
    expect(res.type).toContain('application/json');
    const body = JSON.parse(res.text) as { error: { code: string; field?: string } };
    expect(body.error.code).toBe('INPUT.INVALID');
    expect(body.error.field).toBe('url');
    expect(errorLogs().length).toBe(before);
  });
});
