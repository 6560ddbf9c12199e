/**
 * Photos with the public form, in real headless Chromium without JavaScript, on a 320 px wide screen: a
 * citizen reporting a pothole adds a photo, and the division's forward mail (real SMTP) carries it. A
 * photo too large, more photos than allowed: the form comes back in Indonesian, nothing queued or kept.
 * A file that is no image by its bytes (named .jpg): the report goes, the file withheld with the reason.
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { messages } from '../../core/db/schema.ts';
import { listCases } from '../../core/repo/cases.repo.ts';
import { Storage } from '../../core/storage.ts';
import { startHarness, type Harness } from '../helpers/harness.ts';
import { freePort, waitFor } from '../helpers/ports.ts';

const MAX_BYTES = 200 * 1024;
let h: Harness;
let browser: Browser;
let noScript: BrowserContext;
let base: string;
let limitedBase: string;
let storageDir: string;
let storage: Storage;
/** A real JPEG, drawn by Chromium's own encoder (a canvas) in the test. */
let jpeg: Buffer;
let jpeg2: Buffer;

const sha = (b: Buffer): string => createHash('sha256').update(b).digest('hex');

beforeAll(async () => {
  const [port, limitedPort] = [await freePort(), await freePort()];
  storageDir = mkdtempSync(path.join(tmpdir(), 'aduan-photos-'));
  h = await startHarness({
    storage: { dir: storageDir, maxAttachmentBytes: MAX_BYTES },
    channels: [
      { id: 'web', type: 'web', listen: { host: '127.0.0.1', port }, rateLimit: { perMinute: 0 } },
      { id: 'web-limited', type: 'web', listen: { host: '127.0.0.1', port: limitedPort }, rateLimit: { perMinute: 1 } },
    ],
  });
  storage = new Storage(storageDir);
  await h.startConnector('web');
  await h.startConnector('web-limited');
  h.startIntake();
  h.startForward();
  base = `http://127.0.0.1:${port}`;
  limitedBase = `http://127.0.0.1:${limitedPort}`;
  browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  const drawing = await browser.newPage();
  // (a script run in the page, as text: the test is compiled without the DOM's types)
  const draw = (color: string): Promise<string> => drawing.evaluate(`(() => {
    const canvas = document.createElement('canvas');
    canvas.width = 64;
    canvas.height = 48;
    const g = canvas.getContext('2d');
    g.fillStyle = '#777';
    g.fillRect(0, 0, 64, 48);
    g.fillStyle = '${color}';
    g.beginPath();
    g.ellipse(32, 28, 18, 9, 0, 0, Math.PI * 2);
    g.fill();
    return canvas.toDataURL('image/jpeg', 0.9);
  })()`);
  jpeg = Buffer.from((await draw('#222')).split(',')[1]!, 'base64');
  jpeg2 = Buffer.from((await draw('#a33')).split(',')[1]!, 'base64');
  await drawing.close();
  // the form works without JavaScript: the citizen's browser here runs none, on a 320 px phone screen
  noScript = await browser.newContext({ javaScriptEnabled: false, viewport: { width: 320, height: 640 }, isMobile: true });
}, 60_000);
afterAll(async () => {
  await browser?.close();
  await h?.stop();
  rmSync(storageDir, { recursive: true, force: true });
});

async function fillForm(page: Page, phone: string, text: string): Promise<void> {
  await page.goto(`${base}/`);
  await page.getByLabel('Nomor HP').fill(phone);
  await page.getByLabel('E-mail', { exact: true }).fill(`warga${phone.slice(-4)}@example.org`);
  await page.getByLabel('Isi aduan').fill(text);
}

async function forwardOf(caseNumber: string) {
  // (the division's mail: its subject begins with the case number; the citizen's acknowledgement does not)
  const isForward = (m: (typeof h.smtp.mails)[number]): boolean => m.parsed.subject?.startsWith(`[${caseNumber}]`) === true;
  await waitFor(() => h.smtp.mails.some(isForward));
  return h.smtp.mails.find(isForward)!;
}

/** No message with this text was queued: a report sent after it is recorded, it is not (intake takes the queue in order). */
async function neverQueued(text: string, phone: string): Promise<void> {
  const marker = await fetch(`${base}/v1/messages`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ phone, text: `Penanda ${text}` }) });
  const { id } = (await marker.json()) as { id: string };
  await waitFor(() => h.db.select().from(messages).all().some((m) => m.ingestId === id));
  expect(h.db.select().from(messages).all().some((m) => m.text === text)).toBe(false);
  expect(existsSync(path.join(storageDir, 'incoming')) ? readdirSync(path.join(storageDir, 'incoming')) : []).toEqual([]);
}

describe('photos with the public form (Chromium, no JavaScript, 320 px)', () => {
  it('the form has the optional photo field, in Indonesian, and fits a 320 px screen', async () => {
    const page = await noScript.newPage();
    const res = await page.goto(`${base}/`);
    expect(res!.headers()['content-security-policy']).toContain("default-src 'none'");
    expect(await page.locator('form[action="/kirim"]').getAttribute('enctype')).toBe('multipart/form-data');
    expect(await page.locator('#foto-field legend').textContent()).toBe('Foto (tidak wajib, paling banyak 3, masing-masing maks. 200 KB)');
    const camera = page.locator('#foto');
    expect(await camera.getAttribute('type')).toBe('file');
    expect(await camera.getAttribute('accept')).toBe('image/*');
    expect(await camera.getAttribute('capture')).toBe('environment');
    expect(await camera.getAttribute('multiple')).not.toBeNull();
    expect(await page.locator('#foto-galeri').getAttribute('name')).toBe('foto');
    // nothing wider than the screen: no sideways scrolling
    expect(await page.evaluate('document.documentElement.scrollWidth')).toBeLessThanOrEqual(320);
    const box = await page.locator('#foto-galeri').boundingBox();
    expect(box!.x + box!.width).toBeLessThanOrEqual(320);
    await page.close();
  });

  it('a citizen adds a photo of the pothole: the division\'s forward mail carries it', async () => {
    const page = await noScript.newPage();
    const text = 'Jalan berlubang besar di Jl. Kusumanegara depan SD, sudah dua minggu, berbahaya bagi pengendara motor.';
    await fillForm(page, '0813 7777 0001', text);
    await page.locator('#foto').setInputFiles({ name: 'lubang-jalan.jpg', mimeType: 'image/jpeg', buffer: jpeg });
    await page.getByRole('button', { name: 'Kirim aduan' }).click();
    await page.locator('#case-number').waitFor({ timeout: 15_000 });
    const number = (await page.locator('#case-number').textContent())!;
    // the photo was kept: the receipt page says nothing of photos not kept
    expect(await page.locator('#foto-tidak-disimpan').count()).toBe(0);
    expect(await page.content()).not.toContain('tidak disimpan');
    const forward = await forwardOf(number);
    expect(forward.parsed.attachments.map((a) => [a.filename, a.contentType])).toEqual([['lubang-jalan.jpg', 'image/jpeg']]);
    expect(Buffer.from(forward.parsed.attachments[0]!.content).equals(jpeg)).toBe(true);
    expect(forward.parsed.text).not.toContain('Lampiran tidak disertakan');
    // kept content-addressed, like other channels' attachments
    expect(storage.get(sha(jpeg)).equals(jpeg)).toBe(true);
    expect(listCases(h.db).find((c) => c.number === number)?.contact).toMatchObject({ phone: '+6281377770001' });
    await page.close();
  });

  it('a photo over the limit: the form comes back in Indonesian with what was typed, nothing queued or kept', async () => {
    const page = await noScript.newPage();
    const text = 'Lampu jalan mati di Gang Sawo, Umbulharjo, sejak Senin malam.';
    await fillForm(page, '0813 7777 0002', text);
    // a real JPEG with more data after it (as a large photo is): over the 200 KB a photo may have
    const big = Buffer.concat([jpeg, Buffer.alloc(MAX_BYTES + 50_000, 0x20)]);
    await page.locator('#foto-galeri').setInputFiles([{ name: 'lampu.jpg', mimeType: 'image/jpeg', buffer: jpeg2 }, { name: 'lampu-besar.jpg', mimeType: 'image/jpeg', buffer: big }]);
    const [response] = await Promise.all([page.waitForResponse((r) => r.url().endsWith('/kirim')), page.getByRole('button', { name: 'Kirim aduan' }).click()]);
    expect(response.status()).toBe(413);
    const error = (await page.locator('#form-error').textContent())!;
    expect(error).toContain('Foto "lampu-besar.jpg" terlalu besar (paling besar 200 KB per foto)');
    expect(error).toContain('BELUM tersimpan');
    expect(error).toContain('pilih ulang fotonya');
    expect(await page.getByLabel('Isi aduan').inputValue()).toBe(text);
    expect(await page.getByLabel('Nomor HP').inputValue()).toBe('0813 7777 0002');
    await neverQueued(text, '081377770002');
    expect(storage.has(sha(big))).toBe(false);
    expect(storage.has(sha(jpeg2))).toBe(false);
    await page.close();
  });

  it('four photos (three at most): refused in Indonesian, nothing queued', async () => {
    const page = await noScript.newPage();
    const text = 'Saluran air tersumbat di Kampung Gowongan, air meluap ke jalan.';
    await fillForm(page, '0813 7777 0003', text);
    await page.locator('#foto').setInputFiles([{ name: 'a.jpg', mimeType: 'image/jpeg', buffer: jpeg2 }, { name: 'b.jpg', mimeType: 'image/jpeg', buffer: jpeg }]);
    await page.locator('#foto-galeri').setInputFiles([{ name: 'c.jpg', mimeType: 'image/jpeg', buffer: jpeg }, { name: 'd.jpg', mimeType: 'image/jpeg', buffer: jpeg2 }]);
    const [response] = await Promise.all([page.waitForResponse((r) => r.url().endsWith('/kirim')), page.getByRole('button', { name: 'Kirim aduan' }).click()]);
    expect(response.status()).toBe(400);
    expect(await page.locator('#form-error').textContent()).toContain('Paling banyak 3 foto untuk satu aduan. Aduan Anda BELUM tersimpan');
    expect(await page.getByLabel('Isi aduan').inputValue()).toBe(text);
    await neverQueued(text, '081377770003');
    await page.close();
  });

  it('a file named .jpg that is no image: the report goes, the file withheld with its reason, never stored', async () => {
    const page = await noScript.newPage();
    const text = 'Sampah menumpuk di TPS Jl. Veteran, bau sampai ke rumah warga.';
    await fillForm(page, '0813 7777 0004', text);
    const fake = Buffer.from('MZ\x90\x00 this is a program, not a photo', 'latin1');
    // (its name as a browser may send it: the page shows it as text, never as markup)
    await page.locator('#foto-galeri').setInputFiles([{ name: 'foto-sampah.jpg', mimeType: 'image/jpeg', buffer: fake }, { name: 'tps.jpg', mimeType: 'image/jpeg', buffer: jpeg2 }, { name: '<b>x.jpg', mimeType: 'image/jpeg', buffer: Buffer.from('<html>not a photo</html>') }]);
    await page.getByRole('button', { name: 'Kirim aduan' }).click();
    await page.locator('#case-number').waitFor({ timeout: 15_000 });
    const number = (await page.locator('#case-number').textContent())!;
    // the receipt page names each photo not kept, with the reason (a citizen without e-mail learns it only here)
    const note = page.locator('#foto-tidak-disimpan');
    const lines = (await note.innerText()).split('\n');
    expect(lines.slice(0, 2)).toEqual([
      'Foto «foto-sampah.jpg» tidak disimpan: isinya bukan gambar JPEG, PNG, WebP atau HEIC.',
      'Foto «<b>x.jpg» tidak disimpan: isinya bukan gambar JPEG, PNG, WebP atau HEIC.',
    ]);
    expect(lines[2]).toBe(`Bila foto itu penting, kirim ulang foto yang benar lewat formulir aduan dengan nomor HP dan alamat e-mail persis seperti yang Anda isi tadi, dan tuliskan nomor aduan ${number} di isi aduan.`);
    expect(await note.locator('b').count()).toBe(0);
    expect(await page.content()).not.toContain('tps.jpg');
    const forward = await forwardOf(number);
    expect(forward.parsed.attachments.map((a) => a.filename)).toEqual(['tps.jpg']);
    expect(forward.parsed.text).toContain('Lampiran tidak disertakan:');
    expect(forward.parsed.text).toContain(`- foto-sampah.jpg (${fake.length} byte): bukan foto: isinya bukan gambar JPEG, PNG, WebP atau HEIC, tidak disimpan`);
    expect(storage.has(sha(fake))).toBe(false);
    // the citizen is told too (the acknowledgement by e-mail)
    await waitFor(() => h.smtp.mails.some((m) => m.envelope.to.includes('warga0004@example.org')));
    expect(h.smtp.mails.find((m) => m.envelope.to.includes('warga0004@example.org'))!.parsed.text).toContain('Lampiran tidak dapat kami simpan: foto-sampah.jpg');
    await page.close();
  });

  it('the same form sent twice with its photo is one message; with another photo it is a new one', async () => {
    const page = await noScript.newPage();
    await page.goto(`${base}/`);
    const token = (await page.locator('input[name="token"]').getAttribute('value'))!;
    await page.close();
    const send = (photo: Buffer): Promise<Response> => {
      const form = new FormData();
      form.set('token', token);
      form.set('phone', '081377770005');
      form.set('text', 'Pohon tumbang menutup jalan di Jl. Gayam, mohon segera dipotong.');
      form.append('foto', new Blob([photo], { type: 'image/jpeg' }), 'pohon.jpg');
      form.append('foto', new Blob([]), '');
      return fetch(`${base}/kirim`, { method: 'POST', body: form, redirect: 'manual' });
    };
    const [first, second] = await Promise.all([send(jpeg), send(jpeg)]);
    expect(first.status).toBe(303);
    expect(second.headers.get('location')).toBe(first.headers.get('location'));
    const other = await send(jpeg2);
    expect(other.status).toBe(303);
    expect(other.headers.get('location')).not.toBe(first.headers.get('location'));
    const id = first.headers.get('location')!.split('/').pop()!;
    const otherId = other.headers.get('location')!.split('/').pop()!;
    await waitFor(() => h.db.select().from(messages).all().some((m) => m.ingestId === otherId));
    await waitFor(() => h.db.select().from(messages).all().some((m) => m.ingestId === id));
    expect(h.db.select().from(messages).all().filter((m) => m.text.startsWith('Pohon tumbang')).length).toBe(2);
  });
});

describe('the form\'s other limits still hold with photos', () => {
  const multipart = (url: string, fields: Record<string, string>, photos: { name: string; bytes: Buffer }[] = []): Promise<Response> => {
    const form = new FormData();
    for (const [k, v] of Object.entries(fields)) form.set(k, v);
    for (const p of photos) form.append('foto', new Blob([p.bytes], { type: 'image/jpeg' }), p.name);
    return fetch(`${url}/kirim`, { method: 'POST', body: form, redirect: 'manual' });
  };

  it('the network\'s rate limit: refused before any photo is written, the form back in Indonesian', async () => {
    const first = await multipart(limitedBase, { token: 'tok-limit-0001', phone: '081377770006', text: 'Trotoar rusak di Jl. Malioboro.' }, [{ name: 'a.jpg', bytes: jpeg }]);
    expect(first.status).toBe(303);
    const unique = Buffer.concat([jpeg, Buffer.from('limited')]);
    const second = await multipart(limitedBase, { token: 'tok-limit-0002', phone: '081377770006', text: 'Parkir liar di Jl. Malioboro.' }, [{ name: 'b.jpg', bytes: unique }]);
    expect(second.status).toBe(429);
    expect(Number(second.headers.get('retry-after'))).toBeGreaterThan(0);
    const html = await second.text();
    expect(html).toContain('Terlalu banyak pengiriman dari jaringan Anda');
    expect(html).toContain('pilih ulang fotonya');
    expect(html).toContain('Parkir liar di Jl. Malioboro.');
    expect(storage.has(sha(unique))).toBe(false);
    expect(readdirSync(path.join(storageDir, 'incoming'))).toEqual([]);
  });

  it('a text over 10,000 characters (which multipart no longer makes a body over 128 KiB): 413, the start of it kept', async () => {
    const res = await multipart(base, { token: 'tok-long-0001', phone: '081377770007', text: `Awal aduan ${'ꦱꦸꦫꦠꦲꦢꦸꦮꦤ꧀'.repeat(1_500)}` });
    expect(res.status).toBe(413);
    const html = await res.text();
    expect(html).toContain('terlalu panjang');
    const kept = /<textarea[^>]*>([^<]*)<\/textarea>/.exec(html)![1]!;
    expect(kept.startsWith('Awal aduan ꦱꦸꦫꦠ')).toBe(true);
    expect(kept.length).toBeLessThanOrEqual(10_000);
    // text fields over 128 KiB together (a browser ignoring maxlength): the same answer, read as it came
    const huge = await multipart(base, { token: 'tok-long-0002', phone: '081377770007', text: `Awal aduan ${'x'.repeat(140 * 1024)}` }, [{ name: 'c.jpg', bytes: jpeg2 }]);
    expect(huge.status).toBe(413);
    expect(await huge.text()).toContain('hanya bagian awal tulisan Anda');
  });

  it('a multipart body cut off before its end: 400 in Indonesian, nothing kept', async () => {
    const boundary = 'xYzBoundary0123';
    const photo = Buffer.concat([jpeg, Buffer.from('cut-off')]);
    const body = Buffer.concat([
      Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="phone"\r\n\r\n081377770008\r\n--${boundary}\r\nContent-Disposition: form-data; name="text"\r\n\r\nJalan rusak.\r\n`),
      Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="foto"; filename="a.jpg"\r\nContent-Type: image/jpeg\r\n\r\n`), photo,
    ]);
    const res = await fetch(`${base}/kirim`, { method: 'POST', headers: { 'content-type': `multipart/form-data; boundary=${boundary}` }, body, redirect: 'manual' });
    expect(res.status).toBe(400);
    expect(await res.text()).toContain('Data formulir tidak dapat dibaca');
    expect(storage.has(sha(photo))).toBe(false);
    expect(readdirSync(path.join(storageDir, 'incoming'))).toEqual([]);
  });
});
