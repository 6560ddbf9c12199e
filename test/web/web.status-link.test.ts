/**
 * The status link (/status/<number>/<token>): before, a citizen who wanted to see how their report was
 * going had to type its number and the last four digits of their phone into the status page, and had
 * nothing to click. Now, with the web channel's publicUrl, the e-mail acknowledgement and the form's
 * receipt page carry a link that shows the timeline at once; a wrong or unknown token is a wrong proof
 * (the same locks), and the page is neither cached nor leaks its address as a Referer.
 */
import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { cases } from '../../core/db/schema.ts';
import { PROOF_FAILURES_BEFORE_LOCK } from '../../connectors/web/web.rate-limit.ts';
import { startHarness, type Harness } from '../helpers/harness.ts';
import { freePort, waitFor } from '../helpers/ports.ts';

const PUBLIC = 'https://aduan.example.test';
let h: Harness;
let plain: Harness;
let base: string;
let plainBase: string;
const logLines: string[] = [];

beforeAll(async () => {
  const [port, plainPort] = [await freePort(), await freePort()];
  h = await startHarness({ channels: [{ id: 'web', type: 'web', listen: { host: '127.0.0.1', port }, trustProxy: 1, rateLimit: { perMinute: 0 }, publicUrl: `${PUBLIC}/` }] },
    { logs: new Writable({ write(chunk: Buffer, _enc, cb) { logLines.push(chunk.toString()); cb(); } }) });
  // the same gateway without publicUrl (its own database and SMTP server, the same Redis server)
  plain = await startHarness({ channels: [{ id: 'web', type: 'web', listen: { host: '127.0.0.1', port: plainPort }, rateLimit: { perMinute: 0 } }] }, { redis: h.redis });
  for (const x of [h, plain]) {
    await x.startConnector('web');
    x.startIntake();
    x.startForward();
  }
  base = `http://127.0.0.1:${port}`;
  plainBase = `http://127.0.0.1:${plainPort}`;
});
afterAll(async () => {
  await plain?.stop();
  await h?.stop();
});

/** Sends the form; returns the receipt page's path. */
const kirim = async (at: string, fields: Record<string, string>): Promise<string> => {
  const res = await fetch(`${at}/kirim`, { method: 'POST', redirect: 'manual', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams(fields) });
  expect(res.status).toBe(303);
  return res.headers.get('location')!;
};
/** The receipt page once it shows the case number. */
const receipt = async (at: string, path: string): Promise<{ res: Response; html: string; number: string }> => {
  let out: { res: Response; html: string; number: string } | undefined;
  await waitFor(async () => {
    const res = await fetch(`${at}${path}`);
    const html = await res.text();
    const number = /id="case-number">([^<]+)</.exec(html)?.[1];
    if (number) out = { res, html, number };
    return number !== undefined;
  });
  return out!;
};
const mailTo = async (x: Harness, address: string) => {
  await waitFor(() => x.smtp.mails.some((m) => m.envelope.to.includes(address)));
  return x.smtp.mails.find((m) => m.envelope.to.includes(address))!;
};
const open = (path: string, from = '198.51.100.20') => fetch(`${base}${path}`, { headers: { 'x-forwarded-for': from } });
const check = (from: string, nomor: string, bukti: string) => fetch(`${base}/status`, {
  method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-forwarded-for': from }, body: new URLSearchParams({ nomor, bukti }),
});

let number = '';
let link = '';

describe('the status link', () => {
  it('the receipt page and the e-mail acknowledgement carry the same link, and it shows the timeline without the form', async () => {
    const path = await kirim(base, { name: 'Rini', phone: '081344445557', email: 'rini@example.org', text: 'Lampu PJU di Jl. Kaliurang mati sejak seminggu.' });
    const page = await receipt(base, path);
    number = page.number;
    link = /id="status-link">([^<]+)</.exec(page.html)?.[1] ?? '';
    expect(link).toMatch(new RegExp(`^${PUBLIC}/status/${number}/[A-Za-z0-9_-]{16}$`));
    expect(page.res.headers.get('cache-control')).toBe('no-store');
    expect(page.res.headers.get('referrer-policy')).toBe('no-referrer');

    const ack = await mailTo(h, 'rini@example.org');
    expect(ack.parsed.text).toContain(`Pantau perkembangan aduan (tautan khusus untuk Anda, jangan dibagikan): ${link}\n`);

    const res = await open(new URL(link).pathname);
    expect(res.status).toBe(200);
    expect(res.headers.get('cache-control')).toBe('no-store');
    expect(res.headers.get('referrer-policy')).toBe('no-referrer');
    const html = await res.text();
    expect(html).toContain(`Perkembangan aduan ${number}`);
    expect(html).toContain('<ol id="timeline">');
    expect(html).not.toContain('name="bukti"');
  });

  it('the link does not carry the token of the case\'s staff reply address (which makes a division\'s commands count)', async () => {
    const row = h.db.select().from(cases).where(eq(cases.number, number)).get()!;
    const token = link.split('/').pop()!;
    expect(token).toMatch(/^[A-Za-z0-9_-]{16}$/);
    expect(token).not.toBe(row.token);
    expect(token).not.toContain(row.token);
    const forward = await mailTo(h, 'humas@dprd.test');
    expect(String(forward.parsed.replyTo?.text)).toContain(`.${row.token}@`);
    expect(String(forward.parsed.replyTo?.text)).not.toContain(token);
  });

  it('a wrong token, or a number without a case, gets the form with one neutral message — and counts as a wrong proof toward the lock', async () => {
    const guesser = '203.0.113.77';
    const wrong = await open(`/status/${number}/AAAAAAAAAAAAAAAA`, guesser);
    expect(wrong.status).toBe(404);
    expect(wrong.headers.get('cache-control')).toBe('no-store');
    expect(wrong.headers.get('referrer-policy')).toBe('no-referrer');
    const wrongPage = await wrong.text();
    expect(wrongPage).toContain('Tautan pemantauan ini tidak berlaku');
    expect(wrongPage).toContain('action="/status"');
    expect(wrongPage).not.toContain('<ol id="timeline">');
    // the same answer for a number that has no case: nothing says which numbers exist
    const unknown = await open('/status/ADU-2099-999999/AAAAAAAAAAAAAAAA', guesser);
    expect(unknown.status).toBe(404);
    expect((await unknown.text()).replaceAll('ADU-2099-999999', 'N')).toBe(wrongPage.replaceAll(number, 'N'));

    // wrong links and wrong proofs are one count: the fifth for this number locks this client out of it
    for (let i = 1; i < PROOF_FAILURES_BEFORE_LOCK - 1; i++) expect((await open(`/status/${number}/${'B'.repeat(15)}${i}`, guesser)).status).toBe(404);
    expect((await check(guesser, number, '0000')).status).toBe(404);
    const locked = await check(guesser, number, '5557');
    expect(locked.status).toBe(429);
    expect(await locked.text()).toContain(`Terlalu banyak percobaan yang salah untuk nomor ${number} dari jaringan Anda`);
    const lockedLink = await open(`/status/${number}/CCCCCCCCCCCCCCCC`, guesser);
    expect(lockedLink.status).toBe(429);
    expect(lockedLink.headers.get('cache-control')).toBe('no-store');
    // the citizen, elsewhere, is not locked out; and the right link still opens the case
    expect((await check('198.51.100.21', number, '5557')).status).toBe(200);
    expect((await open(new URL(link).pathname, guesser)).status).toBe(200);
    // the lock is in the log, naming the case and the client; no token, right or wrong, is
    expect(logLines.some((l) => l.includes('"client":"203.0.113.77"') && l.includes('wrong proofs for one case number from one client'))).toBe(true);
    for (const t of [link.split('/').pop()!, 'AAAAAAAAAAAAAAAA', 'CCCCCCCCCCCCCCCC']) expect(logLines.filter((l) => l.includes(t))).toEqual([]);
  });

  it('a message sent through the API (its id may come from the website\'s own key) gets no link on its receipt page', async () => {
    const res = await fetch(`${base}/v1/messages`, { method: 'POST', headers: { 'content-type': 'application/json', 'idempotency-key': 'website-order-1' },
      body: JSON.stringify({ email: 'api@example.org', text: 'Selokan di Jl. Magelang tersumbat sampah.' }) });
    expect(res.status).toBe(202);
    const { id } = (await res.json()) as { id: string };
    const page = await receipt(base, `/laporan/${id}`);
    expect(page.html).not.toContain('status-link');
    expect(page.html).not.toContain('/status/');
    // its e-mail acknowledgement has the link: the mail goes to the citizen's own address
    expect((await mailTo(h, 'api@example.org')).parsed.text).toContain(`${PUBLIC}/status/${page.number}/`);
  });

  it('a form message naming someone else\'s case (sent "as" a division\'s public address) is no division\'s note and gets no link to that case; an API key that looks like a form message\'s id is refused', async () => {
    expect(number).not.toBe('');
    // (more than a question about it: a question alone opens no case, test/web/web.unmatched.test.ts)
    const path = await kirim(base, { email: 'humas@dprd.test', text: `Mohon info perkembangan ${number}, lampu di depan gang saya juga mati sejak kemarin` });
    const page = await receipt(base, path);
    // a typed address is no division's: the message is its sender's own (no note of "the division" on that case), and no link to that case
    expect(page.number).not.toBe(number);
    expect(page.html).not.toContain(`/status/${number}/`);
    expect(h.db.$client.prepare("SELECT count(*) AS n FROM case_events e JOIN cases c ON c.id = e.case_id WHERE c.number = ? AND e.actor_type = 'division'").get(number)).toEqual({ n: 0 });
    const res = await fetch(`${base}/v1/messages`, { method: 'POST', headers: { 'content-type': 'application/json', 'idempotency-key': 'form-1042' },
      body: JSON.stringify({ email: 'api2@example.org', text: 'Selokan di Jl. Magelang tersumbat sampah.' }) });
    expect(res.status).toBe(400);
    expect(await res.text()).toContain("may not begin with 'form-' or 'signed-'");
  });

  it('without publicUrl no link is printed: not in the e-mail acknowledgement, not on the receipt page', async () => {
    const path = await kirim(plainBase, { email: 'tanpa@example.org', text: 'Trotoar di Jl. Solo berlubang besar.' });
    const page = await receipt(plainBase, path);
    expect(page.html).not.toContain('status-link');
    const ack = await mailTo(plain, 'tanpa@example.org');
    expect(ack.parsed.text).toContain(page.number);
    expect(ack.parsed.text).not.toContain('Pantau perkembangan');
    expect(ack.parsed.text).not.toContain('/status/');
  });
});
