/**
 * A citizen checking their case too often from one network (many share a carrier's address) got the
 * API's English JSON in the browser ({"error":{"code":"RATE.LIMITED","message":"Too many requests; …"}}).
 * A browser now gets an Indonesian page saying how long to wait, with the way back; a program still
 * gets the JSON.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHarness, type Harness } from '../helpers/harness.ts';
import { rawRequest } from '../helpers/http.ts';
import { freePort } from '../helpers/ports.ts';

let h: Harness;
let port: number;

beforeAll(async () => {
  port = await freePort();
  h = await startHarness({ channels: [{ id: 'web', type: 'web', listen: { host: '127.0.0.1', port }, rateLimit: { perMinute: 1 } }] });
  await h.startConnector('web');
});
afterAll(async () => { await h?.stop(); });

const browser = { accept: 'text/html,application/xhtml+xml', 'content-type': 'application/x-www-form-urlencoded' };

describe('web channel: an error a browser meets', () => {
  it('the status page checked too often: 429, an Indonesian page saying how long to wait; a program gets JSON', async () => {
    const first = await rawRequest(port, 'POST', '/status', browser, 'nomor=ADU-2026-000001&bukti=1234');
    expect(first.status).toBe(404);
    for (const [method, path, body] of [['POST', '/status', 'nomor=ADU-2026-000001&bukti=1234'], ['GET', '/status/ADU-2026-000001/abcdefghijklmnop', '']] as const) {
      const res = await rawRequest(port, method, path, browser, body);
      expect(res.status, path).toBe(429);
      expect(res.type).toContain('text/html');
      expect(res.text).toContain('lang="id"');
      expect(res.text).toMatch(/<title>Terlalu banyak permintaan<\/title>/);
      expect(res.text).toMatch(/Silakan coba lagi dalam \d+ detik\./);
      expect(res.text).toContain('href="/status"');
      expect(res.text).not.toMatch(/Too many requests|RATE\.LIMITED/);
    }
    const api = await rawRequest(port, 'POST', '/status', { accept: 'application/json', 'content-type': 'application/x-www-form-urlencoded' }, 'nomor=ADU-2026-000001&bukti=1234');
    expect(api.status).toBe(429);
    expect(JSON.parse(api.text)).toMatchObject({ error: { code: 'RATE.LIMITED' } });
  });
});
