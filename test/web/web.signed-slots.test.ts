/**
 * A signed channel's largeBodiesInFlight slots are the website's: a request whose X-Signature is no
 * signature at all (none, malformed, the old form not allowed) is refused before it takes a slot or is
 * told to send its body — else anyone could hold every slot by trickling a large body in, the signature
 * being checked only once the body is read, and the website's photos were answered WEB.BUSY meanwhile.
 * A body declared over the limit is refused without "100 Continue" too.
 */
import { createHmac } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { request, type ClientRequest, type IncomingMessage } from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Writable } from 'node:stream';
import { LIMITS } from '../../core/limits.ts';
import { startHarness, type Harness } from '../helpers/harness.ts';
import { freePort, waitFor } from '../helpers/ports.ts';

const SECRET = 'website-secret-of-32-characters!';
const MAX_BYTES = 200 * 1024;
let h: Harness;
let port: number;
let storageDir: string;
const logLines: string[] = [];
const opened: ClientRequest[] = [];

const jpeg = (seed: string, n: number): Buffer => Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0]), Buffer.alloc(n - 4, seed)]);
const report = (text: string, photo: Buffer): Buffer =>
  Buffer.from(JSON.stringify({ phone: '081377771001', text, attachments: [{ filename: 'foto.jpg', contentType: 'image/jpeg', contentBase64: photo.toString('base64') }] }));
const signed = (body: Buffer): string => {
  const t = Math.floor(Date.now() / 1000);
  return `t=${t},sha256=${createHmac('sha256', SECRET).update(`${t}.`).update(body).digest('hex')}`;
};

interface Answer { status: number; headers: IncomingMessage['headers']; body: string }

function open(length: number, headers: Record<string, string>): { req: ClientRequest; continued: Promise<'continued'>; answer: Promise<Answer> } {
  const req = request({ host: '127.0.0.1', port, method: 'POST', path: '/v1/messages', agent: false,
    headers: { 'content-type': 'application/json', 'content-length': String(length), ...headers } });
  opened.push(req);
  const continued = new Promise<'continued'>((resolve) => req.once('continue', () => resolve('continued')));
  const answer = new Promise<Answer>((resolve, reject) => {
    req.once('response', (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString() }));
    });
    req.on('error', reject);
  });
  answer.catch(() => undefined);
  return { req, continued, answer };
}
/** What a client sending `Expect: 100-continue` hears first: "100 Continue" (its body is wanted) or the answer. */
const firstHeard = (r: ReturnType<typeof open>): Promise<'continued' | Answer> => Promise.race([r.continued, r.answer]);
const codeOf = (a: 'continued' | Answer): string => (a === 'continued' ? a : `${a.status} ${(JSON.parse(a.body) as { error: { code: string } }).error.code}`);

beforeAll(async () => {
  port = await freePort();
  storageDir = mkdtempSync(path.join(tmpdir(), 'aduan-signed-slots-'));
  h = await startHarness({
    storage: { dir: storageDir, maxAttachmentBytes: MAX_BYTES },
    channels: [{ id: 'web', type: 'web', listen: { host: '127.0.0.1', port }, hmacSecret: SECRET, rateLimit: { perMinute: 0 }, largeBodiesInFlight: 1 }],
  }, { logs: new Writable({ write(chunk: Buffer, _enc, cb) { logLines.push(chunk.toString()); cb(); } }) });
  await h.startConnector('web');
  h.startIntake();
});
afterAll(async () => {
  for (const req of opened) req.destroy();
  await h?.stop();
  rmSync(storageDir, { recursive: true, force: true });
});

describe('POST /v1/messages on a signed channel, largeBodiesInFlight: 1', () => {
  it('a request without a well-formed X-Signature is refused before it is told to send its body', async () => {
    const length = 300 * 1024;
    expect(codeOf(await firstHeard(open(length, { expect: '100-continue' })))).toBe('403 AUTH.SIGNATURE_INVALID');
    expect(codeOf(await firstHeard(open(length, { expect: '100-continue', 'x-signature': 't=1700000000,sha256=zz' })))).toBe('403 AUTH.SIGNATURE_INVALID');
    expect(codeOf(await firstHeard(open(length, { expect: '100-continue', 'x-signature': `sha256=${'ab'.repeat(32)}` })))).toBe('403 AUTH.SIGNATURE_UNTIMESTAMPED');
    // a body declared over the limit: 413 at once, its sender not asked for it
    expect(codeOf(await firstHeard(open(200 * 1024 * 1024, { expect: '100-continue', 'x-signature': `t=${Math.floor(Date.now() / 1000)},sha256=${'ab'.repeat(32)}` })))).toBe('413 INPUT.TOO_LARGE');
    // a well-formed one is asked for its body (its signature is checked once it is read)
    const wellFormed = open(length, { expect: '100-continue', 'x-signature': `t=${Math.floor(Date.now() / 1000)},sha256=${'ab'.repeat(32)}` });
    expect(await firstHeard(wellFormed)).toBe('continued');
    wellFormed.req.destroy();
  });

  it('an unsigned large body trickled in holds no slot: the website\'s signed photos are taken meanwhile', async () => {
    const photo = jpeg('s', 150 * 1024);
    const body = report('Jalan berlubang di Jl. Kenari depan kantor kelurahan, foto terlampir.', photo);
    // someone without the secret starts a large body and sends half of it
    const squatter = open(body.length, {});
    squatter.req.write(body.subarray(0, body.length >> 1));
    const site = open(body.length, { 'x-signature': signed(body) });
    site.req.end(body);
    const taken = await site.answer;
    expect(taken.status).toBe(202);
    expect((await squatter.answer).status).toBe(403);
    squatter.req.destroy();
  });

  it('a well-formed but forged X-Signature whose body stops coming is cut off with 408 and frees its slot: the website\'s photos are taken', async () => {
    // (a body must keep coming: here within 1 s, not 30 s, of taking the slot)
    const limits = LIMITS as unknown as { webLargeBodyGraceMs: number };
    const grace = limits.webLargeBodyGraceMs;
    limits.webLargeBodyGraceMs = 1000;
    try {
      const photo = jpeg('t', 150 * 1024);
      const body = report('Saluran air tersumbat di Jl. Gowongan Lor depan masjid, foto terlampir.', photo);
      // someone without the secret, with a header of the right form, starts a large body and stops
      const squatter = open(body.length, { 'x-signature': `t=${Math.floor(Date.now() / 1000)},sha256=${'ab'.repeat(32)}` });
      squatter.req.write(body.subarray(0, 16 * 1024));
      const cut = await squatter.answer;
      expect(cut.status).toBe(408);
      expect(cut.headers['connection']).toBe('close');
      expect((JSON.parse(cut.body) as { error: { code: string } }).error.code).toBe('WEB.BODY_TIMEOUT');
      // the rest of its body is not waited for: the connection is closed
      await waitFor(() => squatter.req.socket?.destroyed === true);
      // its slot is free: the website's signed photo report is taken, not answered 503 WEB.BUSY
      const site = open(body.length, { 'x-signature': signed(body) });
      site.req.end(body);
      expect((await site.answer).status).toBe(202);
      // the sysadmin reads it, once
      const lines = logLines.filter((l) => l.includes('WEB.BODY_TIMEOUT'));
      expect(lines).toHaveLength(1);
      expect(lines[0]).toContain('its largeBodiesInFlight slot freed');
      expect(logLines.filter((l) => l.includes('"level":50'))).toEqual([]);
    } finally {
      limits.webLargeBodyGraceMs = grace;
    }
  });
});
