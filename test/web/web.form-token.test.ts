import type { Queue } from 'bullmq';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHarness, type Harness } from '../helpers/harness.ts';
import { freePort, waitFor } from '../helpers/ports.ts';
import { allJobs, intakeQueue } from '../sms/sms.helpers.ts';

const tokenOf = (html: string): string => /<input type="hidden" name="token" value="([^"]+)">/.exec(html)?.[1] ?? '';

describe('web form: one submission is one message (hidden form token)', () => {
  let h: Harness;
  let q: Queue;
  let base = '';
  const send = (fields: Record<string, string>) => fetch(`${base}/kirim`, { method: 'POST', redirect: 'manual', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams(fields).toString() });
  const jobsOf = async (phone: string) => (await allJobs(q)).filter((j) => j.data.connectorId === 'web' && j.data.sender?.phone === phone);

  beforeAll(async () => {
    const port = await freePort();
    base = `http://127.0.0.1:${port}`;
    h = await startHarness({ channels: [{ id: 'web', type: 'web', listen: { host: '127.0.0.1', port }, rateLimit: { perMinute: 0 } }] });
    q = intakeQueue(h);
    await h.startConnector('web');
  });
  afterAll(async () => {
    await q?.close();
    await h?.stop();
  });

  it('renders a fresh random token per form', async () => {
    const [a, b] = await Promise.all([fetch(`${base}/`), fetch(`${base}/`)]);
    expect(a.headers.get('cache-control')).toBe('no-store');
    const [ta, tb] = [tokenOf(await a.text()), tokenOf(await b.text())];
    expect(ta).toMatch(/^[0-9a-f-]{36}$/);
    expect(tb).not.toBe(ta);
  });

  it('a double tap on Kirim gives one message and both answers lead to it', async () => {
    const token = tokenOf(await (await fetch(`${base}/`)).text());
    const fields = { name: 'Bu Sri', phone: '081234567001', email: '', subject: '', text: 'Selokan mampet di Jl. Gejayan, air meluap ke rumah warga', website: '', token };
    const [a, b] = await Promise.all([send(fields), send(fields)]);
    expect([a.status, b.status]).toEqual([303, 303]);
    expect(a.headers.get('location')).toBe(b.headers.get('location'));
    expect(await jobsOf('+6281234567001')).toHaveLength(1);
  });

  it('the 503 page keeps the token, so sending again after Redis is back is still one message', async () => {
    const token = tokenOf(await (await fetch(`${base}/`)).text());
    const fields = { phone: '081234567002', text: 'Pohon tumbang menutup Jl. Affandi', website: '', token };
    await h.redis.stop();
    let again = '';
    try {
      const busy = await send(fields);
      expect(busy.status).toBe(503);
      const html = await busy.text();
      expect(html).toContain('BELUM tersimpan');
      again = tokenOf(html);
    } finally {
      await h.redis.restart();
    }
    expect(again).toBe(token);
    await waitFor(async () => (await send({ ...fields, token: again })).status === 303, 20_000, 250);
    expect((await send({ ...fields, token: again })).status).toBe(303); // and once more, impatiently
    expect(await jobsOf('+6281234567002')).toHaveLength(1);
  });

  it('a form sent again with changed text (back button) is a new message', async () => {
    const token = tokenOf(await (await fetch(`${base}/`)).text());
    expect((await send({ phone: '081234567003', text: 'Lampu jalan mati di Jl. Kaliurang', token })).status).toBe(303);
    expect((await send({ phone: '081234567003', text: 'Lampu jalan mati di Jl. Kaliurang km 7, dekat masjid', token })).status).toBe(303);
    expect(await jobsOf('+6281234567003')).toHaveLength(2);
  });
});
