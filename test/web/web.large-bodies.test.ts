/**
 * POST /v1/messages with photos is held whole in memory while it is read (the signature covers the raw
 * body) and a few times over while parsed: with three 10 MB photos about 200 MB of the process each, and
 * a burst of them could take the web connector past its memory. At most `largeBodiesInFlight` bodies over
 * 128 KiB are read at once; one more is answered 503 WEB.BUSY with Retry-After before its body is read (the
 * website retries), and nothing is lost: the one being read completes, the retry is taken.
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { request, type ClientRequest, type IncomingMessage } from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { attachments, messages } from '../../core/db/schema.ts';
import { LIMITS } from '../../core/limits.ts';
import { startHarness, type Harness } from '../helpers/harness.ts';
import { freePort, waitFor } from '../helpers/ports.ts';

const MAX_BYTES = 200 * 1024;
let h: Harness;
let port: number;
let storageDir: string;
const logLines: string[] = [];
/** Requests opened by a test: ended after it, so that a failing one leaves none open for the server's close to wait on. */
const opened: ClientRequest[] = [];

const sha = (b: Buffer): string => createHash('sha256').update(b).digest('hex');
/** A JPEG as its first bytes show it, `n` bytes, distinct by `seed`. */
const jpeg = (seed: string, n: number): Buffer => Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0]), Buffer.alloc(n - 4, seed)]);
/** A report with one photo: its base64 alone is over 128 KiB, a large body. */
const report = (text: string, photo: Buffer): Buffer =>
  Buffer.from(JSON.stringify({ phone: '081377770001', text, attachments: [{ filename: 'foto.jpg', contentType: 'image/jpeg', contentBase64: photo.toString('base64') }] }));

interface Answer { status: number; headers: IncomingMessage['headers']; body: string; continued: boolean }

/** A POST /v1/messages as the website's server sends it; `expectContinue`: the body goes only after "100 Continue". */
function open(body: Buffer, expectContinue: boolean, to = '/v1/messages', type = 'application/json'): { req: ClientRequest; continued: Promise<void>; answer: Promise<Answer> } {
  let continued = false;
  const req = request({ host: '127.0.0.1', port, method: 'POST', path: to, agent: false,
    headers: { 'content-type': type, 'content-length': String(body.length), ...(expectContinue ? { expect: '100-continue' } : {}) } });
  opened.push(req);
  const cont = new Promise<void>((resolve) => req.once('continue', () => {
    continued = true;
    resolve();
  }));
  const answer = new Promise<Answer>((resolve, reject) => {
    req.once('response', (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString(), continued }));
    });
    req.on('error', reject);
  });
  // (a request a failing test leaves open is destroyed after it: its answer is then nobody's)
  answer.catch(() => undefined);
  return { req, continued: cont, answer };
}
const send = (body: Buffer): Promise<Answer> => {
  const r = open(body, false);
  r.req.end(body);
  return r.answer;
};

async function recorded(id: string): Promise<{ text: string; photos: (string | null)[] }> {
  await waitFor(() => h.db.select().from(messages).all().some((m) => m.ingestId === id));
  const row = h.db.select().from(messages).all().find((m) => m.ingestId === id)!;
  return { text: row.text, photos: h.db.select().from(attachments).all().filter((a) => a.messageId === row.id).map((a) => a.sha256) };
}

beforeAll(async () => {
  port = await freePort();
  storageDir = mkdtempSync(path.join(tmpdir(), 'aduan-large-bodies-'));
  h = await startHarness({
    storage: { dir: storageDir, maxAttachmentBytes: MAX_BYTES },
    channels: [{ id: 'web', type: 'web', listen: { host: '127.0.0.1', port }, rateLimit: { perMinute: 0 }, largeBodiesInFlight: 1 }],
  }, { logs: new Writable({ write(chunk: Buffer, _enc, cb) { logLines.push(chunk.toString()); cb(); } }) });
  await h.startConnector('web');
  h.startIntake();
});
afterAll(async () => {
  for (const req of opened) req.destroy();
  await h?.stop();
  rmSync(storageDir, { recursive: true, force: true });
});

describe('POST /v1/messages with photos, largeBodiesInFlight: 1', () => {
  it('a second one while the first is being read is refused with 503 and Retry-After; the first completes, the retry is taken', async () => {
    const firstPhoto = jpeg('a', 150 * 1024);
    const secondPhoto = jpeg('b', 150 * 1024);
    const firstText = 'Jalan berlubang besar di Jl. Kenari depan kantor kelurahan, foto terlampir.';
    const secondText = 'Tumpukan sampah di TPS Jl. Veteran sudah tiga hari tidak diangkut, foto terlampir.';
    const firstBody = report(firstText, firstPhoto);
    const secondBody = report(secondText, secondPhoto);
    expect(firstBody.length).toBeGreaterThan(128 * 1024);

    // the first is being read: its "100 Continue" came (the slot is taken), half its body sent
    const first = open(firstBody, true);
    await first.continued;
    first.req.write(firstBody.subarray(0, firstBody.length >> 1));

    const refused = await send(secondBody);
    expect(refused.status).toBe(503);
    expect(refused.headers['retry-after']).toBe('10');
    expect(JSON.parse(refused.body)).toEqual({ error: { code: 'WEB.BUSY', message: 'Busy: 1 requests with photos are being read already (largeBodiesInFlight of channel web); nothing was taken, retry in 10 seconds' } });
    // one that asks before sending its body (curl, PHP) is refused before it sends it
    const asking = open(secondBody, true);
    const asked = await asking.answer;
    expect(asked.status).toBe(503);
    expect(asked.continued).toBe(false);
    asking.req.destroy();
    // a report without photos is not held back
    const plain = await send(Buffer.from(JSON.stringify({ phone: '081377770002', text: 'Lampu PJU mati di Gang Sawo sejak kemarin malam.' })));
    expect(plain.status).toBe(202);

    // the first completes, with its photo
    first.req.end(firstBody.subarray(firstBody.length >> 1));
    const done = await first.answer;
    expect(done.status).toBe(202);
    expect(await recorded((JSON.parse(done.body) as { id: string }).id)).toEqual({ text: firstText, photos: [sha(firstPhoto)] });

    // the website's retry of the second is taken, with its photo
    const retried = await send(secondBody);
    expect(retried.status).toBe(202);
    expect(await recorded((JSON.parse(retried.body) as { id: string }).id)).toEqual({ text: secondText, photos: [sha(secondPhoto)] });

    // nothing of the refused ones was kept; the sysadmin reads what to raise
    expect(h.db.select().from(messages).all().filter((m) => m.text === secondText)).toHaveLength(1);
    expect(existsSync(path.join(storageDir, 'incoming')) ? readdirSync(path.join(storageDir, 'incoming')) : []).toEqual([]);
    const busy = logLines.filter((l) => l.includes('WEB.BUSY'));
    expect(busy).toHaveLength(1);
    expect(busy[0]).toContain('raise largeBodiesInFlight on channel web');
  });

  it('a client waiting for "100 Continue" is told to send at once when its body will be read: the form, a report without photos', async () => {
    const form = Buffer.from('phone=081377770003&token=tok-expect-0001&text=Saluran+air+mampet+di+Jl.+Gowongan+Lor+depan+masjid.');
    const viaForm = open(form, true, '/kirim', 'application/x-www-form-urlencoded');
    await viaForm.continued;
    viaForm.req.end(form);
    expect(await viaForm.answer).toMatchObject({ status: 303, continued: true });
    const plain = Buffer.from(JSON.stringify({ phone: '081377770004', text: 'Pohon tumbang menutup Jl. Kusumanegara dekat taman makam.' }));
    const viaApi = open(plain, true);
    await viaApi.continued;
    viaApi.req.end(plain);
    expect(await viaApi.answer).toMatchObject({ status: 202, continued: true });
  });

  it('a body that stops coming is cut off with 408 and frees the slot; one that keeps coming is taken, also when it pauses', async () => {
    // (a body must keep coming: here within 1 s, not 30 s, of taking the slot, then 64 KiB a second)
    const limits = LIMITS as unknown as { webLargeBodyGraceMs: number; webLargeBodyMinBytesPerSecond: number };
    const saved = { ...limits };
    limits.webLargeBodyGraceMs = 1000;
    try {
      // a large body started and left hanging (a trickler holding the slot)
      const stuckBody = report('Trotoar rusak di Jl. Malioboro utara, foto terlampir.', jpeg('c', 150 * 1024));
      const stuck = open(stuckBody, false);
      stuck.req.write(stuckBody.subarray(0, 8 * 1024));
      const cut = await stuck.answer;
      expect(cut.status).toBe(408);
      expect(JSON.parse(cut.body)).toMatchObject({ error: { code: 'WEB.BODY_TIMEOUT' } });
      expect((JSON.parse(cut.body) as { error: { message: string } }).error.message).toContain('send it again');

      // the slot is free at once: a report with photos sent whole is taken
      const photo = jpeg('d', 150 * 1024);
      const text = 'Genangan air setinggi lutut di underpass Kentungan setiap hujan, foto terlampir.';
      const taken = await send(report(text, photo));
      expect(taken.status).toBe(202);
      expect(await recorded((JSON.parse(taken.body) as { id: string }).id)).toEqual({ text, photos: [sha(photo)] });

      // what came buys time (here a second per KiB): a body half sent, paused past the first second, is taken
      limits.webLargeBodyMinBytesPerSecond = 1024;
      const pausedPhoto = jpeg('e', 150 * 1024);
      const pausedText = 'Papan nama jalan roboh di simpang Jl. Magelang, foto terlampir.';
      const pausedBody = report(pausedText, pausedPhoto);
      const paused = open(pausedBody, true);
      await paused.continued;
      paused.req.write(pausedBody.subarray(0, pausedBody.length >> 1));
      await new Promise((resolve) => setTimeout(resolve, 2 * limits.webLargeBodyGraceMs));
      paused.req.end(pausedBody.subarray(pausedBody.length >> 1));
      const done = await paused.answer;
      expect(done.status).toBe(202);
      expect(await recorded((JSON.parse(done.body) as { id: string }).id)).toEqual({ text: pausedText, photos: [sha(pausedPhoto)] });

      expect(logLines.filter((l) => l.includes('WEB.BODY_TIMEOUT'))).toHaveLength(1);
      expect(existsSync(path.join(storageDir, 'incoming')) ? readdirSync(path.join(storageDir, 'incoming')) : []).toEqual([]);
    } finally {
      Object.assign(limits, saved);
    }
  });
});
