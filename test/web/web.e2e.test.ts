import { createHmac } from 'node:crypto';
import { createServer } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort, waitFor } from '../helpers/ports.ts';
import { startHarness, type Harness } from '../helpers/harness.ts';
import { checkEndpoint, endpointsOf } from '../../scripts/doctor-listen.ts';
import { listCases } from '../../core/repo/cases.repo.ts';
import { messages, outbox, quarantine } from '../../core/db/schema.ts';

let h: Harness;
let base: string;
const SECRET = 'a-test-secret-of-32-characters!!';
let signedBase: string;
let busyPort: number;
// another program on a port: it hangs up on whoever connects
const holder = createServer((socket) => socket.destroy());

beforeAll(async () => {
  const [port, signedPort] = [await freePort(), await freePort()];
  busyPort = await freePort();
  await new Promise<void>((resolve) => holder.listen(busyPort, '127.0.0.1', resolve));
  h = await startHarness({
    channels: [
      { id: 'web', type: 'web', listen: { host: '127.0.0.1', port }, rateLimit: { perMinute: 0 } },
      { id: 'web-signed', type: 'web', listen: { host: '127.0.0.1', port: signedPort }, hmacSecret: SECRET, rateLimit: { perMinute: 3 }, embedFrom: ['https://dprd.jogjakota.go.id'] },
      { id: 'web-busy', type: 'web', listen: { host: '127.0.0.1', port: busyPort } },
    ],
  });
  await h.startConnector('web');
  await h.startConnector('web-signed');
  h.startIntake();
  h.startForward();
  base = `http://127.0.0.1:${port}`;
  signedBase = `http://127.0.0.1:${signedPort}`;
});
afterAll(async () => {
  await h?.stop();
  await new Promise((resolve) => holder.close(resolve));
});

const post = (body: unknown, headers: Record<string, string> = {}, url = `${base}/v1/messages`) =>
  fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: typeof body === 'string' ? body : JSON.stringify(body) });

async function caseNumberOf(id: string): Promise<string> {
  let number = '';
  await waitFor(async () => {
    const r = await fetch(`${base}/v1/messages/${id}`);
    const j = (await r.json()) as { caseNumber: string | null };
    number = j.caseNumber ?? '';
    return number !== '';
  });
  return number;
}

describe('web channel end to end (real Redis, real SMTP)', () => {
  it('records a complaint, forwards it to the division inbox and acknowledges the citizen by e-mail', async () => {
    const t0 = Date.now();
    const res = await post({ name: 'Siti', phone: '0812-2345-6789', email: 'Siti@Example.org', subject: 'Lampu jalan mati', text: 'Lampu jalan di Jl. Kaliurang mati sejak seminggu. <b>Mohon</b> diperbaiki.' });
    expect(res.status).toBe(202);
    const body = (await res.json()) as { id: string; status: string };
    expect(body.status).toBe('accepted');
    const number = await caseNumberOf(body.id);
    expect(number).toMatch(/^ADU-\d{4}-\d{6}$/);
    await waitFor(() => h.smtp.mails.some((m) => m.parsed.subject?.includes(number) && m.envelope.to.includes('humas@dprd.test')));
    const elapsed = Date.now() - t0;
    expect(elapsed).toBeLessThan(5_000);
    const forward = h.smtp.mails.find((m) => m.envelope.to.includes('humas@dprd.test') && m.parsed.subject?.includes(number))!;
    expect(forward.parsed.subject).toBe(`[${number}] Lampu jalan mati`);
    expect(forward.parsed.text).toContain('+6281223456789');
    expect(forward.parsed.html).toContain('&lt;b&gt;Mohon&lt;/b&gt;');
    expect(forward.parsed.messageId).toBe(`<${number}.forward@dprd.test>`);
    expect(forward.parsed.headers.get('auto-submitted')).toBe('auto-generated');
    expect(String(forward.parsed.replyTo?.text)).toMatch(new RegExp(`aduan\\+${number}\\.[A-Za-z0-9_-]+@dprd\\.test`));
    await waitFor(() => h.smtp.mails.some((m) => m.envelope.to.includes('siti@example.org')));
    const ack = h.smtp.mails.find((m) => m.envelope.to.includes('siti@example.org'))!;
    expect(ack.parsed.text).toContain(number);
    expect(ack.parsed.headers.get('auto-submitted')).toBe('auto-replied');
    await waitFor(() => listCases(h.db).find((c) => c.number === number)?.status === 'forwarded');
    const listed = listCases(h.db).find((c) => c.number === number)!;
    expect(listed).toMatchObject({ channel: 'web', division: 'humas', contact: { name: 'Siti', phone: '+6281223456789', email: 'siti@example.org' } });
  });

  it('accepts the form encoding and answers the status endpoint', async () => {
    const res = await fetch(`${base}/v1/messages`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams({ email: 'warga@example.org', text: 'Sampah menumpuk di depan pasar.' }) });
    expect(res.status).toBe(202);
    const { id } = (await res.json()) as { id: string };
    await caseNumberOf(id);
    const status = (await (await fetch(`${base}/v1/messages/${id}`)).json()) as Record<string, unknown>;
    expect(status).toMatchObject({ id, status: 'recorded', relation: 'new' });
    expect((await fetch(`${base}/v1/messages/${'0'.repeat(32)}`)).status).toBe(404);
  });

  it('its pages run no script, post only to the channel, and may be framed only by the channel itself or the sites in embedFrom', async () => {
    for (const path of ['/', '/status', '/laporan/0123456789abcdef0123456789abcdef']) {
      const res = await fetch(`${base}${path}`, { headers: { accept: 'text/html' } });
      const csp = res.headers.get('content-security-policy') ?? '';
      expect(csp, path).toContain("default-src 'none'");
      expect(csp, path).toContain("form-action 'self'");
      expect(csp, path).toMatch(/frame-ancestors 'self'$/);
      expect(res.headers.get('x-content-type-options'), path).toBe('nosniff');
    }
    const embedded = await fetch(`${signedBase}/`, { headers: { accept: 'text/html' } });
    expect(embedded.headers.get('content-security-policy')).toMatch(/frame-ancestors 'self' https:\/\/dprd\.jogjakota\.go\.id$/);
  });

  it('the same Idempotency-Key twice gives one message and one case', async () => {
    const before = listCases(h.db).length;
    const payload = { phone: '081299990000', text: 'Drainase mampet di Gondokusuman.' };
    const a = await post(payload, { 'idempotency-key': 'client-key-0001' });
    const b = await post(payload, { 'idempotency-key': 'client-key-0001' });
    expect(a.status).toBe(202);
    expect(b.status).toBe(202);
    const [ja, jb] = [(await a.json()) as { id: string }, (await b.json()) as { id: string }];
    expect(ja.id).toBe(jb.id);
    await caseNumberOf(ja.id);
    await new Promise((r) => setTimeout(r, 300));
    expect(listCases(h.db).length).toBe(before + 1);
  });

  it('an Idempotency-Key the website gives to another report by mistake does not lose that report: it is recorded too, under its own id', async () => {
    const before = listCases(h.db).length;
    const first = { phone: '081299990011', text: 'Lampu PJU di Jl. Veteran mati sejak Senin.' };
    const other = { phone: '081299990022', text: 'Sampah di TPS Kotabaru belum diangkut seminggu.' };
    const a = (await (await post(first, { 'idempotency-key': 'session-7731' })).json()) as { id: string };
    const b = (await (await post(other, { 'idempotency-key': 'session-7731' })).json()) as { id: string };
    const again = (await (await post(other, { 'idempotency-key': 'session-7731' })).json()) as { id: string };
    expect(b.id).not.toBe(a.id);
    expect(again.id).toBe(b.id);
    const [na, nb] = [await caseNumberOf(a.id), await caseNumberOf(b.id)];
    expect(nb).not.toBe(na);
    await new Promise((r) => setTimeout(r, 300));
    expect(listCases(h.db).length).toBe(before + 2);
    expect(listCases(h.db).find((c) => c.number === nb)?.text).toBe(other.text);
  });

  it.each([
    ['missing text', { phone: '08123456789' }, 400, 'text'],
    ['no contact', { text: 'halo' }, 400, 'phone'],
    ['bad phone', { phone: '12', text: 'x' }, 400, 'phone'],
    ['bad e-mail', { email: 'not-an-address', text: 'x' }, 400, 'email'],
    ['text too long', { phone: '08123456789', text: 'a'.repeat(10_001) }, 400, 'text'],
    ['text not a string', { phone: '08123456789', text: 42 }, 400, 'text'],
  ])('rejects %s with %s and stores nothing', async (_name, body, status, field) => {
    const before = h.db.select().from(messages).all().length;
    const res = await post(body);
    expect(res.status).toBe(status);
    const j = (await res.json()) as { error: { code: string; field?: string } };
    expect(j.error.field).toBe(field);
    await new Promise((r) => setTimeout(r, 100));
    expect(h.db.select().from(messages).all().length).toBe(before);
  });

  it('rejects invalid JSON, invalid UTF-8, other content types and oversized bodies', async () => {
    expect((await post('{"text": ')).status).toBe(400);
    const bad = Buffer.concat([Buffer.from('{"phone":"08123456789","text":"'), Buffer.from([0xff, 0xfe, 0xc3]), Buffer.from('"}')]);
    const r1 = await fetch(`${base}/v1/messages`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: bad });
    expect(r1.status).toBe(400);
    expect(((await r1.json()) as { error: { code: string } }).error.code).toBe('INPUT.ENCODING');
    const r2 = await fetch(`${base}/v1/messages`, { method: 'POST', headers: { 'content-type': 'text/plain' }, body: 'hello' });
    expect(r2.status).toBe(415);
    const r3 = await post({ phone: '08123456789', text: 'x'.repeat(140_000) });
    expect(r3.status).toBe(413);
  });

  it('with hmacSecret: requires a valid X-Signature (403 otherwise); unsigned requests are rate-limited per IP, the signed website is not held to that limit', async () => {
    const signedBody = (text: string) => {
      const body = JSON.stringify({ phone: '081311112222', text });
      const t = Math.floor(Date.now() / 1000);
      return { body, sig: `t=${t},sha256=${createHmac('sha256', SECRET).update(`${t}.${body}`).digest('hex')}` };
    };
    const { body, sig } = signedBody('Jalan berlubang di Umbulharjo.');
    expect((await post(body, {}, `${signedBase}/v1/messages`)).status).toBe(403);
    expect((await post(body, { 'x-signature': 'sha256=' + '0'.repeat(64) }, `${signedBase}/v1/messages`)).status).toBe(403);
    expect((await post(body, { 'x-signature': sig }, `${signedBase}/v1/messages`)).status).toBe(202);
    // the website's server sends all its visitors' reports from one address: more than the public
    // form's 3 a minute (this channel's rateLimit.perMinute) are taken when signed
    for (let i = 1; i <= 4; i++) {
      const r = signedBody(`Lampu PJU mati di gang ${i} Umbulharjo sejak seminggu.`);
      expect((await post(r.body, { 'x-signature': r.sig }, `${signedBase}/v1/messages`)).status).toBe(202);
    }
    // unsigned or forged requests from that address are still held to the public limit
    let limited: Response | undefined;
    for (let i = 0; i < 3 && limited?.status !== 429; i++) limited = await post(body, {}, `${signedBase}/v1/messages`);
    expect(limited!.status).toBe(429);
    expect(limited!.headers.get('retry-after')).toMatch(/^\d+$/);
  });

  it('refuses to start on a port another program holds, saying which and what to change (it used to log "listening")', async () => {
    await expect(h.startConnector('web-busy')).rejects.toThrow(`Cannot listen on 127.0.0.1:${busyPort}: the port is already in use`);
    // the holder still owns the port: nothing of ours answers there
    await expect(fetch(`http://127.0.0.1:${busyPort}/healthz`)).rejects.toThrow();
  });

  it('aduan doctor tells a port this gateway holds from one another program holds, and a free one', async () => {
    const checks = await Promise.all(endpointsOf(h.config).map((e) => checkEndpoint(e)));
    const byWhat = Object.fromEntries(checks.map((c) => [c.where.split(' on ')[0], c]));
    expect(byWhat['channel web (web)']).toMatchObject({ ok: true, detail: 'in use by this gateway (it is running)' });
    expect(byWhat['channel web-busy (web)']).toMatchObject({ ok: false, detail: expect.stringContaining('already in use by another process') });
    const free = await freePort();
    expect(await checkEndpoint({ ...endpointsOf(h.config)[0]!, port: free })).toMatchObject({ ok: true, detail: 'port free' });
  });

  it('a filled honeypot is recorded as spam and never forwarded or answered', async () => {
    const res = await fetch(`${base}/kirim`, { method: 'POST', redirect: 'manual', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams({ email: 'bot@spam.example', text: 'Cheap pills', website: 'http://spam.example' }) });
    expect(res.status).toBe(303);
    const id = res.headers.get('location')!.split('/').pop()!;
    await waitFor(() => h.db.select().from(messages).all().some((m) => m.ingestId === id));
    const row = h.db.select().from(messages).all().find((m) => m.ingestId === id)!;
    expect(row.relation).toBe('ignored');
    expect(row.caseId).toBeNull();
    await new Promise((r) => setTimeout(r, 300));
    expect(h.smtp.mails.some((m) => m.envelope.to.includes('bot@spam.example'))).toBe(false);
  });

  it('an invalid job that reached the queue is quarantined, not dropped', async () => {
    const { IntakeProducer } = await import('../../core/queue.ts');
    const p = new IntakeProducer(h.config);
    await p.queue.add('inbound', { connectorId: 'web', externalId: 'garbage-1', text: 5 }, { jobId: 'garbage0000000000000000000000001' });
    await waitFor(() => h.db.select().from(quarantine).all().some((q) => q.externalId === 'garbage-1'));
    await p.close();
  });

  it('per-recipient cap: at most 10 automatic mails per address per hour, the rest wait for the next hour; a hard-bounced address is not mailed', async () => {
    const addr = 'loop@example.org';
    for (let i = 0; i < 13; i++) expect((await post({ email: addr, text: `Keluhan berbeda nomor ${i} tentang hal ${i * 7}.` })).status).toBe(202);
    const acks = () => h.db.select().from(outbox).all().filter((o) => o.id.endsWith('.ack') && (o.payload as { to: string[] }).to.includes(addr));
    await waitFor(() => acks().filter((o) => o.status === 'sent' || o.lastError?.startsWith('held back until')).length === 13, 20_000);
    const rows = acks();
    expect(rows.filter((o) => o.status === 'sent')).toHaveLength(10);
    // held back, not dropped: each waits, still queued, as a delayed job until the hour's first mail leaves the window
    const held = rows.filter((o) => o.status !== 'sent');
    expect(held.map((o) => o.status)).toEqual(['queued', 'queued', 'queued']);
    expect(held[0]!.lastError).toContain('per-recipient cap');
    const firstSent = Math.min(...rows.filter((o) => o.status === 'sent').map((o) => Date.parse(o.sentAt!)));
    const { Queue } = await import('bullmq');
    const { QUEUES, queueSettings } = await import('../../core/queue.ts');
    const q = new Queue(QUEUES.mail, queueSettings(h.config, 'worker'));
    const { Redis } = await import('ioredis');
    const redis = new Redis(h.config.redis.url!);
    for (const o of held) {
      const job = (await q.getJob(o.id))!;
      expect(await job.getState()).toBe('delayed');
      // (when it is due, as BullMQ keeps it: the delayed set's score is the due time × 0x1000 + a counter;
      // job.timestamp + job.delay is not it once the job was moved to delayed after it was added)
      const due = Math.floor(Number(await redis.zscore(q.keys['delayed']!, o.id)) / 0x1000);
      expect(due).toBeGreaterThan(firstSent + 3_600_000);
      expect(due).toBeLessThan(firstSent + 3_600_000 + 60_000);
    }
    redis.disconnect();
    await q.close();
    expect(h.smtp.mails.filter((m) => m.envelope.to.includes(addr))).toHaveLength(10);
    // the forwards to the division are never capped
    expect(h.db.select().from(outbox).all().filter((o) => o.id.endsWith('.forward') && o.status !== 'sent').length).toBeLessThanOrEqual(13);

    const { contacts } = await import('../../core/db/schema.ts');
    const { eq } = await import('drizzle-orm');
    const res = await post({ email: 'bounced@example.org', text: 'Pertama.' });
    const first = await caseNumberOf(((await res.json()) as { id: string }).id);
    await waitFor(() => h.db.select().from(outbox).all().find((o) => o.id === `${first}.ack`)?.status === 'sent');
    h.db.update(contacts).set({ doNotContactUntil: new Date(Date.now() + 86_400_000).toISOString() }).where(eq(contacts.email, 'bounced@example.org')).run();
    const second = await caseNumberOf(((await (await post({ email: 'bounced@example.org', text: 'Kedua, hal lain.' })).json()) as { id: string }).id);
    await waitFor(() => h.db.select().from(outbox).all().find((o) => o.id === `${second}.ack`)?.status === 'skipped');
  });

  it('SMTP refusing (451) is retried, then delivered when it comes back', async () => {
    h.smtp.refuse = true;
    const res = await post({ email: 'retry@example.org', text: 'PDAM mati tiga hari di Kotagede.' });
    const { id } = (await res.json()) as { id: string };
    const number = await caseNumberOf(id);
    await waitFor(() => h.db.select().from(outbox).all().some((o) => o.id === `${number}.forward` && o.attempts >= 1 && o.lastError !== null));
    expect(h.smtp.mails.some((m) => m.parsed.subject?.includes(number))).toBe(false);
    h.smtp.refuse = false;
    await waitFor(() => h.smtp.mails.some((m) => m.parsed.subject?.includes(number) && m.envelope.to.includes('humas@dprd.test')), 15_000);
    await waitFor(() => h.db.select().from(outbox).all().find((o) => o.id === `${number}.forward`)?.status === 'sent');
  });

  it('Redis down: 503 and never 2xx; accepted again once Redis is back', async () => {
    await h.redis.stop();
    try {
      const res = await post({ phone: '081377778888', text: 'Banjir di Jl. Magelang.' });
      expect(res.status).toBe(503);
      expect(((await res.json()) as { error: { code: string } }).error.code).toBe('QUEUE.UNAVAILABLE');
      const form = await fetch(`${base}/kirim`, { method: 'POST', redirect: 'manual', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams({ phone: '081377778888', text: 'Banjir' }) });
      expect(form.status).toBe(503);
      expect(await form.text()).toContain('BELUM tersimpan');
    } finally {
      await h.redis.restart();
    }
    await waitFor(async () => (await post({ phone: '081377778888', text: 'Banjir di Jl. Magelang.' }, { 'idempotency-key': 'after-redis' })).status === 202, 20_000, 250);
  });
});
