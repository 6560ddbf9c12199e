import { chromium, type Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '../helpers/ports.ts';
import { startHarness, type Harness } from '../helpers/harness.ts';
import { listCases } from '../../core/repo/cases.repo.ts';

let h: Harness;
let browser: Browser;
let base: string;

beforeAll(async () => {
  const port = await freePort();
  h = await startHarness({ channels: [{ id: 'web', type: 'web', listen: { host: '127.0.0.1', port } }] });
  await h.startConnector('web');
  h.startIntake();
  h.startForward();
  base = `http://127.0.0.1:${port}`;
  browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
}, 60_000);
afterAll(async () => {
  await browser?.close();
  await h?.stop();
});

describe('the public complaint form in real headless Chromium', () => {
  it('a citizen fills in the form, submits and sees the case number', async () => {
    const page = await browser.newPage();
    await page.goto(`${base}/`);
    expect(await page.locator('html').getAttribute('lang')).toBe('id');
    await page.getByLabel('Nama').fill('Rahmat');
    await page.getByLabel('Nomor HP').fill('0813 2222 3333');
    await page.getByLabel('Isi aduan').fill('Trotoar di Jl. Malioboro rusak dan membahayakan pejalan kaki, mohon segera diperbaiki.');
    await page.getByRole('button', { name: 'Kirim aduan' }).click();
    const number = page.locator('#case-number');
    await number.waitFor({ timeout: 15_000 });
    const text = (await number.textContent()) ?? '';
    expect(text).toMatch(/^ADU-\d{4}-\d{6}$/);
    const stored = listCases(h.db).find((c) => c.number === text);
    expect(stored?.contact).toMatchObject({ name: 'Rahmat', phone: '+6281322223333' });
    await page.close();
  });

  it('10,000 characters of Aksara Jawa (the form\'s limit; ~90 KB as the browser sends them) are taken whole (they used to get an English JSON 413)', async () => {
    const text = 'ꦱꦸꦫꦠꦲꦢꦸꦮꦤ꧀'.repeat(1_000);
    const page = await browser.newPage();
    await page.goto(`${base}/`);
    await page.getByLabel('Nomor HP').fill('0813 2222 4444');
    await page.getByLabel('Isi aduan').fill(text);
    await page.getByRole('button', { name: 'Kirim aduan' }).click();
    const number = page.locator('#case-number');
    await number.waitFor({ timeout: 15_000 });
    const shown = (await number.textContent()) ?? '';
    const stored = listCases(h.db).find((c) => c.number === shown);
    expect(stored?.contact).toMatchObject({ phone: '+6281322224444' });
    await page.close();
  });

  it('a text too long for the channel (a browser that ignores maxlength) gets the form back in Indonesian, with the start of the text, asking to shorten it', async () => {
    const page = await browser.newPage();
    await page.goto(`${base}/`);
    await page.locator('#text').evaluate((el) => el.removeAttribute('maxlength'));
    await page.getByLabel('Nama').fill('Mbah Karto');
    await page.getByLabel('Nomor HP').fill('0813 2222 5555');
    await page.getByLabel('Isi aduan').fill('ꦱꦸꦫꦠꦲꦢꦸꦮꦤ꧀'.repeat(2_000));
    const [response] = await Promise.all([page.waitForResponse((r) => r.url().endsWith('/kirim')), page.getByRole('button', { name: 'Kirim aduan' }).click()]);
    expect(response.status()).toBe(413);
    await page.locator('#form-error').waitFor();
    expect(await page.locator('#form-error').textContent()).toContain('terlalu panjang');
    expect(await page.getByLabel('Nama').inputValue()).toBe('Mbah Karto');
    expect(await page.getByLabel('Nomor HP').inputValue()).toBe('0813 2222 5555');
    const kept = await page.getByLabel('Isi aduan').inputValue();
    expect(kept.startsWith('ꦱꦸꦫꦠꦲꦢꦸꦮꦤ꧀'.repeat(100))).toBe(true);
    expect(kept.length).toBeLessThanOrEqual(10_000);
    await page.close();
  });

  it('a submission without contact shows an Indonesian error and keeps what was typed', async () => {
    const page = await browser.newPage();
    await page.goto(`${base}/`);
    await page.getByLabel('Isi aduan').fill('Parkir liar di depan sekolah.');
    await page.getByRole('button', { name: 'Kirim aduan' }).click();
    await page.locator('#form-error').waitFor();
    expect(await page.locator('#form-error').textContent()).toContain('nomor HP');
    expect(await page.getByLabel('Isi aduan').inputValue()).toBe('Parkir liar di depan sekolah.');
    await page.close();
  });
});
