/**
 * Long complaints in scripts of three UTF-8 bytes a character (Aksara Jawa): a browser sends each as
 * %XX%XX%XX, nine bytes. The form allows 10,000 characters, so a full form is ~90 KB: it used to be
 * refused over 64 KiB with English JSON. Whatever really is too long gets the form back, in Indonesian,
 * with what could be kept; the JSON API answers JSON.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { messages } from '../../core/db/schema.ts';
import { LIMITS } from '../../core/limits.ts';
import { startHarness, type Harness } from '../helpers/harness.ts';
import { freePort, waitFor } from '../helpers/ports.ts';

let h: Harness;
let base: string;
const JAWA = 'ꦱꦸꦫꦠꦲꦢꦸꦮꦤ꧀'; // 10 characters of Aksara Jawa, 3 bytes each

beforeAll(async () => {
  const port = await freePort();
  h = await startHarness({ channels: [{ id: 'web', type: 'web', listen: { host: '127.0.0.1', port }, rateLimit: { perMinute: 0 } }] });
  await h.startConnector('web');
  h.startIntake();
  base = `http://127.0.0.1:${port}`;
});
afterAll(async () => { await h?.stop(); });

const form = (path: string, fields: Record<string, string>) =>
  fetch(`${base}${path}`, { method: 'POST', redirect: 'manual', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams(fields) });

describe('web channel: long texts in a three-byte script', () => {
  it('the form with 10,000 characters of Aksara Jawa (~90 KB percent-encoded) is taken whole', async () => {
    const text = JAWA.repeat(1_000);
    expect(text.length).toBe(LIMITS.textMaxChars);
    const body = new URLSearchParams({ token: 'tok-jawa-0001', name: 'Mbah Karto', phone: '081344445555', text }).toString();
    expect(body.length).toBeGreaterThan(64 * 1024);
    const res = await form('/kirim', { token: 'tok-jawa-0001', name: 'Mbah Karto', phone: '081344445555', text });
    expect(res.status).toBe(303);
    const id = res.headers.get('location')!.split('/').pop()!;
    await waitFor(() => h.db.select().from(messages).all().some((m) => m.ingestId === id));
    expect(h.db.select().from(messages).all().find((m) => m.ingestId === id)!.text).toBe(text);
    // the JSON API takes the same form encoding (a PHP site's http_build_query) the same way
    const api = await form('/v1/messages', { phone: '081344445556', text });
    expect(api.status).toBe(202);
  });

  it('a form body over the limit gets the form back in Indonesian, with the fields kept and the text\'s start, asking to shorten it', async () => {
    const text = `Awal aduan: ${JAWA.repeat(2_000)}`;
    const res = await form('/kirim', { token: 'tok-jawa-0002', name: 'Mbah Karto', phone: '081344445555', email: 'karto@example.org', subject: 'Jalan rusak', text });
    expect(res.status).toBe(413);
    expect(res.headers.get('content-type')).toContain('text/html');
    const html = await res.text();
    expect(html).toContain('lang="id"');
    expect(html).toContain('id="form-error"');
    expect(html).toContain('terlalu panjang');
    expect(html).toContain('BELUM tersimpan');
    expect(html).toContain('value="Mbah Karto"');
    expect(html).toContain('value="081344445555"');
    expect(html).toContain('value="karto@example.org"');
    expect(html).toContain('value="Jalan rusak"');
    expect(html).toContain('value="tok-jawa-0002"');
    const kept = /<textarea[^>]*>([^<]*)<\/textarea>/.exec(html)![1]!;
    expect(kept.startsWith('Awal aduan: ꦱꦸꦫꦠꦲ')).toBe(true);
    expect(kept.length).toBeLessThanOrEqual(LIMITS.textMaxChars);
    expect(kept).not.toContain('\uFFFD');
    expect(text.startsWith(kept)).toBe(true);
    await new Promise((r) => setTimeout(r, 200));
    expect(h.db.select().from(messages).all().some((m) => m.text.startsWith('Awal aduan'))).toBe(false);
  });

  it('the JSON API answers JSON 413 INPUT.TOO_LARGE with the limit', async () => {
    const res = await fetch(`${base}/v1/messages`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ phone: '081344445555', text: 'x'.repeat(200_000) }) });
    expect(res.status).toBe(413);
    const j = (await res.json()) as { error: { code: string; message: string } };
    expect(j.error.code).toBe('INPUT.TOO_LARGE');
    expect(j.error.message).toContain(String(LIMITS.webBodyMaxBytes));
  });
});
