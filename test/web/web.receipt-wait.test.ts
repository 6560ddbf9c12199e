/**
 * The receipt page of the web form (/laporan/<id>) while the intake worker is down: the message is safe
 * in Redis, but the page refreshed every 2 s for as long as the worker stayed down — hours, for a citizen
 * who left the tab open. Now each refresh carries when the citizen first saw it (?sejak=, the page works
 * without JavaScript); after two minutes it stops and tells them, in Indonesian, that the message is
 * safely received and queued, how the case number will come, and that they can reload later.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LIMITS } from '../../core/limits.ts';
import { messages } from '../../core/db/schema.ts';
import { startHarness, type Harness } from '../helpers/harness.ts';
import { freePort, waitFor } from '../helpers/ports.ts';

let h: Harness;
let web: string;

beforeAll(async () => {
  const port = await freePort();
  h = await startHarness({ channels: [{ id: 'web', type: 'web', listen: { host: '127.0.0.1', port } }] });
  await h.startConnector('web');
  // (no intake worker yet: what was sent waits in the queue)
  web = `http://127.0.0.1:${port}`;
});
afterAll(async () => { await h?.stop(); });

const kirim = async (fields: Record<string, string>): Promise<string> => {
  const res = await fetch(`${web}/kirim`, { method: 'POST', redirect: 'manual', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams(fields) });
  expect(res.status).toBe(303);
  return res.headers.get('location')!;
};
const get = async (path: string): Promise<string> => {
  const res = await fetch(`${web}${path}`);
  expect(res.status).toBe(200);
  return res.text();
};
const refreshOf = (html: string): string | undefined => /<meta http-equiv="refresh" content="2;url=([^"]+)">/.exec(html)?.[1];

describe('the web receipt page while the intake worker is down', () => {
  it('refreshes carrying when it was first shown, stops after two minutes with a page that says the message is safe; shows the number once recorded', async () => {
    const receipt = await kirim({ email: 'warga@example.org', text: 'Jalan berlubang di depan SD Negeri 3, sudah dua minggu.' });
    const id = receipt.split('/').pop()!;
    const before = Math.floor(Date.now() / 1000);
    const first = await get(receipt);
    const after = Math.floor(Date.now() / 1000);
    expect(first).toContain('Aduan Anda sedang dicatat');
    const next = refreshOf(first)!;
    const m = new RegExp(`^/laporan/${id}\\?sejak=(\\d+)$`).exec(next);
    expect(m, next).not.toBeNull();
    const since = Number(m![1]);
    expect(since).toBeGreaterThanOrEqual(before);
    expect(since).toBeLessThanOrEqual(after);
    // the refresh keeps the time it was first shown
    expect(refreshOf(await get(next))).toBe(next);

    // two minutes of refreshing later (the same page, shown first two minutes ago)
    const old = since - LIMITS.webReceiptRefreshSeconds;
    const last = await get(`/laporan/${id}?sejak=${old}`);
    expect(last).not.toContain('http-equiv="refresh"');
    expect(last).toContain('Aduan Anda sudah kami terima');
    expect(last).toContain('tersimpan dengan aman dan sedang mengantre untuk dicatat');
    expect(last).toContain('tidak perlu mengirim ulang');
    expect(last).toContain('Nomor aduan akan kami kirim ke alamat e-mail yang Anda isi');
    expect(last).toContain('memuat ulang halaman ini nanti');
    expect(last).toContain(`<a href="/laporan/${id}?sejak=${old}" id="reload">Muat ulang halaman ini</a>`);
    expect(last).toContain(id);
    // reloaded later, still queued: still the last page, not two more minutes of refreshing
    expect(await get(`/laporan/${id}?sejak=${old}`)).not.toContain('http-equiv="refresh"');

    // a citizen who gave only a phone number is not promised a number by SMS (the web channel sends none)
    const phoneOnly = (await kirim({ phone: '081234567890', text: 'Lampu PJU di Jl. Parangtritis mati.' })).split('/').pop()!;
    const noMail = await get(`/laporan/${phoneOnly}?sejak=${old}`);
    expect(noMail).toContain('Karena Anda tidak mengisi alamat e-mail, nomor aduan tidak dikirimkan kepada Anda');
    expect(noMail).toContain('lewat nomor HP yang Anda isi');
    expect(noMail).not.toContain('http-equiv="refresh"');
    // a nonsense or future ?sejak= starts the count now
    expect(refreshOf(await get(`/laporan/${phoneOnly}?sejak=${since + 3600}`))).toMatch(new RegExp(`^/laporan/${phoneOnly}\\?sejak=\\d+$`));
    expect(refreshOf(await get(`/laporan/${phoneOnly}?sejak=abc`))).toMatch(new RegExp(`^/laporan/${phoneOnly}\\?sejak=\\d+$`));

    // the worker is back: the same link shows the case number
    h.startIntake();
    await waitFor(() => h.db.select().from(messages).all().some((r) => r.ingestId === id), 15_000);
    const done = await get(`/laporan/${id}?sejak=${old}`);
    expect(done).toMatch(/Nomor aduan Anda: <span class="num" id="case-number">[A-Z]+-\d{4}-\d{6}<\/span>/);
  });
});
