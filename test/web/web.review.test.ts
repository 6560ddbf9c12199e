/**
 * The web channel, as a review found it: the website's signed API is not the public form (its honeypot
 * dropped the website's submissions), the form keeps what a citizen typed when the network's rate limit
 * is reached, and the receipt page never refreshes forever nor answers in English JSON.
 */
import { createHmac } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { messages } from '../../core/db/schema.ts';
import { startHarness, type Harness } from '../helpers/harness.ts';
import { freePort, waitFor } from '../helpers/ports.ts';

const SECRET = 'another-test-secret-of-32-chars!';
const sign = (body: string): string => {
  const t = Math.floor(Date.now() / 1000);
  return `t=${t},sha256=${createHmac('sha256', SECRET).update(`${t}.${body}`).digest('hex')}`;
};
let h: Harness;
let form: string;
let api: string;

beforeAll(async () => {
  const [formPort, apiPort] = [await freePort(), await freePort()];
  h = await startHarness({
    channels: [
      { id: 'web', type: 'web', listen: { host: '127.0.0.1', port: formPort }, rateLimit: { perMinute: 2 } },
      { id: 'web-site', type: 'web', listen: { host: '127.0.0.1', port: apiPort }, hmacSecret: SECRET, rateLimit: { perMinute: 0 } },
    ],
  });
  await h.startConnector('web');
  await h.startConnector('web-site');
  h.startIntake();
  form = `http://127.0.0.1:${formPort}`;
  api = `http://127.0.0.1:${apiPort}`;
});
afterAll(async () => { await h?.stop(); });

const kirim = (fields: Record<string, string>) => fetch(`${form}/kirim`, { method: 'POST', redirect: 'manual', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams(fields) });

describe('web channel, from a review', () => {
  it('the website\'s signed submission with a "website" field is a complaint like any other, not the form\'s honeypot', async () => {
    const body = JSON.stringify({ phone: '081311112223', text: 'Saluran air di Kricak mampet, air meluap ke jalan.', website: 'https://rt05-kricak.example' });
    const res = await fetch(`${api}/v1/messages`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-signature': sign(body) }, body });
    expect(res.status).toBe(202);
    const { id } = (await res.json()) as { id: string };
    await waitFor(() => h.db.select().from(messages).all().some((m) => m.ingestId === id));
    expect(h.db.select().from(messages).all().find((m) => m.ingestId === id)).toMatchObject({ relation: 'new' });
    // its status is the website's to ask, not another channel's (ids are hashes of what a sender chose)
    expect((await fetch(`${api}/v1/messages/${id}`)).status).toBe(200);
    expect((await fetch(`${form}/v1/messages/${id}`)).status).toBe(404);
    expect((await fetch(`${form}/laporan/${id}`)).status).toBe(404);
  });

  it('a bot caught by the form\'s honeypot gets a last page, not one that refreshes forever', async () => {
    const res = await kirim({ email: 'bot@spam.example', text: 'Cheap pills', website: 'http://spam.example' });
    const id = res.headers.get('location')!.split('/').pop()!;
    await waitFor(() => h.db.select().from(messages).all().some((m) => m.ingestId === id));
    const page = await (await fetch(`${form}/laporan/${id}`)).text();
    expect(page).toContain('Pesan Anda tercatat');
    expect(page).not.toContain('http-equiv="refresh"');
  });

  it('over the network\'s rate limit, the form comes back with what the citizen typed', async () => {
    const fields = { name: 'Bu Sri', phone: '081322223333', text: 'Lampu jalan di gang Kenari mati sudah dua minggu, anak-anak takut lewat malam.', token: 'tok-12345678' };
    let last: Response | undefined;
    for (let i = 0; i < 4 && last?.status !== 429; i++) last = await kirim({ ...fields, text: `${fields.text} ${i}` });
    expect(last!.status).toBe(429);
    expect(last!.headers.get('retry-after')).toMatch(/^\d+$/);
    const html = await last!.text();
    expect(html).toContain('Lampu jalan di gang Kenari mati sudah dua minggu');
    expect(html).toContain('Bu Sri');
    expect(html).toContain('value="tok-12345678"');
  });

  it('a browser that asks for /kirim again (tab restored, address bar, shared link) gets the form, and a wrong address an Indonesian page — not English JSON', async () => {
    const html = { accept: 'text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8' };
    const again = await fetch(`${form}/kirim`, { headers: html, redirect: 'manual' });
    expect(again.status).toBe(303);
    expect(again.headers.get('location')).toBe('/');
    const missing = await fetch(`${form}/lapor`, { headers: html });
    expect(missing.status).toBe(404);
    expect(missing.headers.get('content-type')).toContain('text/html');
    const page = await missing.text();
    expect(page).toContain('lang="id"');
    expect(page).toContain('Halaman tidak ditemukan');
    expect(page).toContain('href="/"');
    // programs keep JSON: the API's paths, and whoever does not ask for HTML
    const api404 = await fetch(`${form}/v1/nothing`, { headers: html });
    expect(api404.status).toBe(404);
    expect(((await api404.json()) as { error: { code: string } }).error.code).toBe('HTTP.NOT_FOUND');
    expect(((await (await fetch(`${form}/lapor`)).json()) as { error: { code: string } }).error.code).toBe('HTTP.NOT_FOUND');
  });

  it('with Redis down, the receipt page of an accepted message says it is being recorded (Indonesian, no JSON)', async () => {
    const res = await fetch(`${api}/v1/messages`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' }).catch(() => undefined);
    expect(res?.status).toBe(403);
    // a message id no row has yet: its state comes from the queue, which cannot be asked
    await h.redis.stop();
    try {
      const page = await fetch(`${form}/laporan/${'a'.repeat(32)}`);
      expect(page.status).toBe(200);
      expect(page.headers.get('content-type')).toContain('text/html');
      expect(await page.text()).toContain('Aduan Anda sedang dicatat');
    } finally {
      await h.redis.restart();
    }
    // the channel and the intake worker take messages again before the harness stops
    const body = JSON.stringify({ phone: '081377778889', text: 'Banjir di Jl. Magelang.' });
    const signed = { 'content-type': 'application/json', 'x-signature': sign(body), 'idempotency-key': 'after-redis' };
    await waitFor(async () => (await fetch(`${api}/v1/messages`, { method: 'POST', headers: signed, body })).status === 202, 20_000, 250);
    await waitFor(() => h.db.select().from(messages).all().some((m) => m.text === 'Banjir di Jl. Magelang.'), 20_000);
  });
});
