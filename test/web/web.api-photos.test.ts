/**
 * Photos through the JSON API (POST /v1/messages), as the DPRD website's own backend sends them:
 * `attachments: [{ filename, contentType, contentBase64 }]`, signed with the rest of the raw body. The
 * form's limits and checks: at most 3, each storage.maxAttachmentBytes, told by their first bytes (a
 * non-image is withheld, named with its reason in the answer and the division's mail); the same request
 * twice is one message.
 */
import { createHash, createHmac } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { attachments, messages } from '../../core/db/schema.ts';
import { Storage } from '../../core/storage.ts';
import { startHarness, type Harness } from '../helpers/harness.ts';
import { freePort, waitFor } from '../helpers/ports.ts';

const MAX_BYTES = 200 * 1024;
const SECRET = 'a-test-secret-of-32-characters!!';
let h: Harness;
let base: string;
let signedBase: string;
let storageDir: string;
let storage: Storage;

const sha = (b: Buffer): string => createHash('sha256').update(b).digest('hex');
/** A JPEG as its first bytes show it (the gateway checks no more), `n` bytes, distinct by `seed`. */
const jpeg = (seed: string, n = 2_000): Buffer => Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0]), Buffer.alloc(n - 4, seed)]);
const png = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), Buffer.alloc(600, 'p')]);
const b64 = (b: Buffer): string => b.toString('base64');

beforeAll(async () => {
  const [port, signedPort] = [await freePort(), await freePort()];
  storageDir = mkdtempSync(path.join(tmpdir(), 'aduan-api-photos-'));
  h = await startHarness({
    storage: { dir: storageDir, maxAttachmentBytes: MAX_BYTES },
    channels: [
      { id: 'web', type: 'web', listen: { host: '127.0.0.1', port }, rateLimit: { perMinute: 0 } },
      { id: 'web-signed', type: 'web', listen: { host: '127.0.0.1', port: signedPort }, hmacSecret: SECRET, rateLimit: { perMinute: 0, signedPerMinute: 0 } },
    ],
  });
  storage = new Storage(storageDir);
  await h.startConnector('web');
  await h.startConnector('web-signed');
  h.startIntake();
  h.startForward();
  base = `http://127.0.0.1:${port}`;
  signedBase = `http://127.0.0.1:${signedPort}`;
});
afterAll(async () => {
  await h?.stop();
  rmSync(storageDir, { recursive: true, force: true });
});

const post = (body: unknown, headers: Record<string, string> = {}, url = base): Promise<Response> =>
  fetch(`${url}/v1/messages`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: typeof body === 'string' ? body : JSON.stringify(body) });
/** The X-Signature the website's server sends with `body`, signed at `t` (unix seconds). */
const signatureFor = (body: string, t = Math.floor(Date.now() / 1000)): Record<string, string> =>
  ({ 'x-signature': `t=${t},sha256=${createHmac('sha256', SECRET).update(`${t}.${body}`).digest('hex')}` });

async function caseNumberOf(id: string, url = base): Promise<string> {
  let number = '';
  await waitFor(async () => {
    number = ((await (await fetch(`${url}/v1/messages/${id}`)).json()) as { caseNumber: string | null }).caseNumber ?? '';
    return number !== '';
  });
  return number;
}

async function forwardOf(caseNumber: string) {
  const isForward = (m: (typeof h.smtp.mails)[number]): boolean => m.parsed.subject?.startsWith(`[${caseNumber}]`) === true;
  await waitFor(() => h.smtp.mails.some(isForward));
  return h.smtp.mails.find(isForward)!;
}

/** No message with this text was queued (a report sent after it is recorded, it is not), and nothing waits in storage's incoming folder. */
async function neverQueued(text: string): Promise<void> {
  const { id } = (await (await post({ phone: '081366660099', text: `Penanda ${text}` })).json()) as { id: string };
  await waitFor(() => h.db.select().from(messages).all().some((m) => m.ingestId === id));
  expect(h.db.select().from(messages).all().some((m) => m.text === text)).toBe(false);
  expect(existsSync(path.join(storageDir, 'incoming')) ? readdirSync(path.join(storageDir, 'incoming')) : []).toEqual([]);
}

const attachmentsOfMessage = (id: string) => {
  const row = h.db.select().from(messages).all().find((m) => m.ingestId === id)!;
  return h.db.select().from(attachments).all().filter((a) => a.messageId === row.id);
};

describe('photos through POST /v1/messages', () => {
  it('a photo goes with the report to the division; a file that is no image is withheld, its reason in the answer and the mail', async () => {
    const photo = jpeg('a');
    const fake = Buffer.from('MZ\x90\x00 a program, not a photo', 'latin1');
    const res = await post({
      phone: '081366660001', email: 'warga0001@example.org', text: 'Jalan berlubang di Jl. Kenari depan kantor kelurahan, sudah dua minggu.',
      attachments: [
        { filename: 'lubang.jpg', contentType: 'image/jpeg', contentBase64: b64(photo) },
        { filename: 'bukan-foto.jpg', contentType: 'image/jpeg', contentBase64: b64(fake) },
        // (a data: URL, as a browser's FileReader gives it)
        { filename: 'peta.png', contentBase64: `data:image/png;base64,${b64(png)}` },
      ],
    });
    expect(res.status).toBe(202);
    const body = (await res.json()) as { id: string; status: string; attachments: unknown[] };
    expect(body.attachments).toEqual([
      { filename: 'lubang.jpg', contentType: 'image/jpeg', size: photo.length, kept: true },
      { filename: 'bukan-foto.jpg', contentType: 'image/jpeg', size: fake.length, kept: false, reason: 'bukan foto: isinya bukan gambar JPEG, PNG, WebP atau HEIC, tidak disimpan' },
      { filename: 'peta.png', contentType: 'image/png', size: png.length, kept: true },
    ]);
    const number = await caseNumberOf(body.id);
    const forward = await forwardOf(number);
    expect(forward.parsed.attachments.map((a) => [a.filename, a.contentType])).toEqual([['lubang.jpg', 'image/jpeg'], ['peta.png', 'image/png']]);
    expect(Buffer.from(forward.parsed.attachments[0]!.content).equals(photo)).toBe(true);
    expect(forward.parsed.text).toContain(`- bukan-foto.jpg (${fake.length} byte): bukan foto`);
    expect(storage.get(sha(photo)).equals(photo)).toBe(true);
    expect(storage.has(sha(fake))).toBe(false);
    expect(readdirSync(path.join(storageDir, 'incoming'))).toEqual([]);
  });

  it('a withheld file whose claimed type is no MIME type (300 characters): the report is taken with its photo, the type read as application/octet-stream', async () => {
    const photo = jpeg('m');
    const fake = Buffer.from('bukan gambar sama sekali', 'utf8');
    const res = await post({
      phone: '081366660010', text: 'Lampu jalan mati di Jl. Gejayan, foto terlampir.',
      attachments: [
        { filename: 'lampu.jpg', contentType: 'image/jpeg', contentBase64: b64(photo) },
        { filename: 'catatan.txt', contentType: `image/${'x'.repeat(300)}`, contentBase64: b64(fake) },
      ],
    });
    // (before: 400 MESSAGE.INVALID, the photo left in storage with no message naming it)
    expect(res.status).toBe(202);
    const body = (await res.json()) as { id: string; attachments: { contentType: string }[] };
    expect(body.attachments.map((a) => a.contentType)).toEqual(['image/jpeg', 'application/octet-stream']);
    await caseNumberOf(body.id);
    expect(attachmentsOfMessage(body.id).map((a) => [a.sha256, a.contentType])).toEqual([[sha(photo), 'image/jpeg'], [null, 'application/octet-stream']]);
  });

  it('three photos of the largest size fit the body (the text-only 128 KiB would not hold them)', async () => {
    const photos = ['x', 'y', 'z'].map((s) => jpeg(s, MAX_BYTES));
    const res = await post({ phone: '081366660002', text: 'Tiga foto tumpukan sampah di Jl. Veteran.', attachments: photos.map((p, i) => ({ filename: `sampah-${i}.jpg`, contentType: 'image/jpeg', contentBase64: b64(p) })) });
    expect(res.status).toBe(202);
    const { id } = (await res.json()) as { id: string };
    await caseNumberOf(id);
    expect(attachmentsOfMessage(id).map((a) => a.sha256)).toEqual(photos.map(sha));
  });

  it('a fourth photo refuses the request (400, nothing queued or kept)', async () => {
    const text = 'Empat foto saluran mampet di Gowongan.';
    const res = await post({ phone: '081366660003', text, attachments: ['1', '2', '3', '4'].map((s) => ({ filename: `${s}.jpg`, contentBase64: b64(jpeg(s)) })) });
    expect(res.status).toBe(400);
    expect(await res.json()).toEqual({ error: { code: 'INPUT.INVALID', field: 'attachments', message: 'Invalid field attachments: at most 3 photos with one report (4 sent)' } });
    await neverQueued(text);
    expect(storage.has(sha(jpeg('1')))).toBe(false);
  });

  it('a photo over storage.maxAttachmentBytes refuses the request (413 naming it, nothing queued or kept)', async () => {
    const text = 'Foto besar lampu jalan mati di Gang Sawo.';
    const small = jpeg('s');
    const res = await post({ phone: '081366660004', text, attachments: [{ filename: 'kecil.jpg', contentBase64: b64(small) }, { filename: 'besar.jpg', contentBase64: b64(jpeg('b', MAX_BYTES + 1)) }] });
    expect(res.status).toBe(413);
    const { error } = (await res.json()) as { error: { code: string; field: string; message: string } };
    expect(error).toMatchObject({ code: 'INPUT.ATTACHMENT_TOO_LARGE', field: 'attachments[1]' });
    expect(error.message).toContain(`"besar.jpg" is ${MAX_BYTES + 1} bytes, over ${MAX_BYTES} bytes a photo (storage.maxAttachmentBytes)`);
    await neverQueued(text);
    expect(storage.has(sha(small))).toBe(false);
  });

  it('a body larger than three photos and the text fields can be: 413 INPUT.TOO_LARGE with the limit', async () => {
    const res = await post({ phone: '081366660005', text: 'Terlalu besar.', attachments: [{ filename: 'a.jpg', contentBase64: 'A'.repeat(1_400_000) }] });
    expect(res.status).toBe(413);
    const { error } = (await res.json()) as { error: { code: string; message: string } };
    expect(error.code).toBe('INPUT.TOO_LARGE');
    expect(Number(/larger than (\d+) bytes/.exec(error.message)![1])).toBeGreaterThan(3 * MAX_BYTES * 4 / 3);
    // the room is for photos: the other fields keep the 128 KiB of a body without photos
    const long = await post({ phone: '081366660005', text: 'x'.repeat(200_000), attachments: [{ filename: 'a.jpg', contentBase64: b64(jpeg('q')) }] });
    expect(long.status).toBe(413);
    expect(((await long.json()) as { error: { message: string } }).error.message).toBe('Request body larger than 131072 bytes');
  });

  it.each([
    ['not base64', [{ filename: 'a.jpg', contentBase64: 'bukan base64!' }], 'attachments[0].contentBase64'],
    ['no content', [{ filename: 'a.jpg' }], 'attachments[0].contentBase64'],
    ['not a list', { filename: 'a.jpg', contentBase64: b64(jpeg('l')) }, 'attachments'],
    ['a name that is no string', [{ filename: 7, contentBase64: b64(jpeg('n')) }], 'attachments[0].filename'],
  ])('%s: 400 naming the field', async (_label, list, field) => {
    const res = await post({ phone: '081366660006', text: 'Foto rusak.', attachments: list });
    expect(res.status).toBe(400);
    expect(((await res.json()) as { error: { field: string } }).error.field).toBe(field);
  });

  it('a signed request with photos: the signature covers them; sent twice it is one message with its photos once', async () => {
    const photo = jpeg('g');
    const body = JSON.stringify({ phone: '081366660007', text: 'Pohon tumbang di Jl. Gayam menutup jalan.', attachments: [{ filename: 'pohon.jpg', contentType: 'image/jpeg', contentBase64: b64(photo) }] });
    // (the same request sent again, as a website's retry sends it: the same bytes and the same X-Signature —
    // signing each anew would make two requests whenever they fall in two different seconds)
    const signature = signatureFor(body);
    const first = await post(body, signature, signedBase);
    expect(first.status).toBe(202);
    const again = await post(body, signature, signedBase);
    expect(again.status).toBe(202);
    const [a, b] = [(await first.json()) as { id: string }, (await again.json()) as { id: string }];
    expect(b.id).toBe(a.id);
    await caseNumberOf(a.id, signedBase);
    expect(h.db.select().from(messages).all().filter((m) => m.text.startsWith('Pohon tumbang di Jl. Gayam')).length).toBe(1);
    expect(attachmentsOfMessage(a.id).map((x) => x.sha256)).toEqual([sha(photo)]);
    // a photo changed on the way: the signature no longer matches
    const forged = body.replace(b64(photo).slice(0, 8), b64(jpeg('h')).slice(0, 8));
    const refused = await post(forged, signatureFor(body), signedBase);
    expect(refused.status).toBe(403);
  });

  it('the same Idempotency-Key with the same photos is one message; with another photo it is another report', async () => {
    const payload = (photo: Buffer) => ({ phone: '081366660008', text: 'Trotoar ambles di Jl. Malioboro.', attachments: [{ filename: 'trotoar.jpg', contentBase64: b64(photo) }] });
    const ids: string[] = [];
    for (const photo of [jpeg('t'), jpeg('t'), jpeg('u')]) {
      const res = await post(payload(photo), { 'idempotency-key': 'kunjungan-5521' });
      expect(res.status).toBe(202);
      ids.push(((await res.json()) as { id: string }).id);
    }
    expect(ids[1]).toBe(ids[0]);
    expect(ids[2]).not.toBe(ids[0]);
    await caseNumberOf(ids[0]!);
    await caseNumberOf(ids[2]!);
    expect(h.db.select().from(messages).all().filter((m) => m.text === 'Trotoar ambles di Jl. Malioboro.').length).toBe(2);
  });
});
