/**
 * A photo sent later with the case number ("susulan foto untuk ADU-…"), as the receipt page asks a
 * citizen whose photo was withheld to do: through the form or the API, it joins that case only from the
 * case's own contact — on the web, the same phone and e-mail as typed for it (what is typed is never
 * verified: a stranger who knows only the phone is not that citizen). From anyone else it never lands on
 * a stranger's case, and its sender is still answered with a number of their own.
 */
import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { attachments, caseEvents, cases, messages } from '../../core/db/schema.ts';
import { startHarness, type Harness } from '../helpers/harness.ts';
import { freePort, waitFor } from '../helpers/ports.ts';

const PUBLIC = 'https://aduan.example.test';
let h: Harness;
let base: string;
let storageDir: string;

const sha = (b: Buffer): string => createHash('sha256').update(b).digest('hex');
const jpeg = (seed: string): Buffer => Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0]), Buffer.alloc(1_500, seed)]);

beforeAll(async () => {
  const port = await freePort();
  storageDir = mkdtempSync(path.join(tmpdir(), 'aduan-followup-'));
  // (continuationMinutes 0: the division hears of an addition at once, not bundled with what follows)
  h = await startHarness({ storage: { dir: storageDir }, dedupe: { continuationMinutes: 0 }, channels: [{ id: 'web', type: 'web', listen: { host: '127.0.0.1', port }, rateLimit: { perMinute: 0 }, publicUrl: PUBLIC }] });
  await h.startConnector('web');
  h.startIntake();
  h.startForward();
  base = `http://127.0.0.1:${port}`;
});
afterAll(async () => {
  await h?.stop();
  rmSync(storageDir, { recursive: true, force: true });
});

/** The form with photos, as a browser sends it; the receipt page's id. */
async function kirim(fields: Record<string, string>, photos: { name: string; bytes: Buffer }[]): Promise<string> {
  const form = new FormData();
  form.set('token', `tok-${Math.random().toString(36).slice(2, 12)}`);
  for (const [k, v] of Object.entries(fields)) form.set(k, v);
  for (const p of photos) form.append('foto', new Blob([p.bytes], { type: 'image/jpeg' }), p.name);
  const res = await fetch(`${base}/kirim`, { method: 'POST', body: form, redirect: 'manual' });
  expect(res.status).toBe(303);
  return res.headers.get('location')!.split('/').pop()!;
}
/** The receipt page once it shows a case number. */
async function receipt(id: string): Promise<{ html: string; number: string }> {
  let out = { html: '', number: '' };
  await waitFor(async () => {
    const html = await (await fetch(`${base}/laporan/${id}`)).text();
    out = { html, number: /id="case-number">([^<]+)</.exec(html)?.[1] ?? '' };
    return out.number !== '';
  });
  return out;
}
const messageOf = (id: string) => h.db.select().from(messages).all().find((m) => m.ingestId === id)!;
const caseOf = (number: string) => h.db.select().from(cases).all().find((c) => c.number === number)!;
const photosOf = (caseNumber: string) => {
  const kase = caseOf(caseNumber);
  const ids = new Set(h.db.select().from(messages).all().filter((m) => m.caseId === kase.id).map((m) => m.id));
  return h.db.select().from(attachments).all().filter((a) => ids.has(a.messageId)).map((a) => a.sha256);
};

describe('a photo sent later with the case number', () => {
  let number = '';
  beforeAll(async () => {
    const id = await kirim({ phone: '081355550001', email: 'warga0001@example.org', text: 'Jalan berlubang besar di Jl. Kenari depan SD, berbahaya untuk motor.' }, []);
    number = (await receipt(id)).number;
    await waitFor(() => caseOf(number).status === 'forwarded');
  });

  it('with the case\'s own phone and e-mail (the form): joins the case, the division gets the photo, the receipt shows that case and its link', async () => {
    const photo = jpeg('o');
    const id = await kirim({ phone: '0813-5555-0001', email: 'warga0001@example.org', text: `Susulan foto untuk ${number}` }, [{ name: 'lubang.jpg', bytes: photo }]);
    const { html, number: shown } = await receipt(id);
    expect(shown).toBe(number);
    expect(html).toContain(`${PUBLIC}/status/${number}/`);
    expect(html).not.toContain('id="nomor-lain"');
    expect(messageOf(id)).toMatchObject({ caseId: caseOf(number).id, relation: 'reply' });
    expect(photosOf(number)).toEqual([sha(photo)]);
    // the division hears of the addition, with the photo
    await waitFor(() => h.smtp.mails.some((m) => m.parsed.subject?.includes(number) && m.parsed.attachments.some((a) => Buffer.from(a.content).equals(photo))));
  });

  it('with the case\'s own phone and e-mail, written otherwise (the API): joins the case', async () => {
    const photo = jpeg('e');
    const res = await fetch(`${base}/v1/messages`, { method: 'POST', headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ phone: '+62 813 5555 0001', email: 'Warga0001@Example.org', text: `susulan foto untuk ${number.toLowerCase()}`, attachments: [{ filename: 'lubang2.jpg', contentBase64: photo.toString('base64') }] }) });
    expect(res.status).toBe(202);
    const { id } = (await res.json()) as { id: string };
    await waitFor(() => messageOf(id) !== undefined);
    expect(messageOf(id)).toMatchObject({ caseId: caseOf(number).id, relation: 'reply' });
    expect(photosOf(number)).toContain(sha(photo));
  });

  it('with only the case\'s phone (its e-mail left out): not that case\'s citizen — a number of its own, no link to that case', async () => {
    const before = photosOf(number);
    const id = await kirim({ phone: '081355550001', text: `Susulan foto untuk ${number}` }, [{ name: 'foto.jpg', bytes: jpeg('p') }]);
    const { html, number: shown } = await receipt(id);
    expect(shown).not.toBe(number);
    expect(html).not.toContain(`${PUBLIC}/status/${number}/`);
    expect(html).toContain('id="nomor-lain"');
    expect(photosOf(number)).toEqual(before);
  });

  it('from another phone and e-mail: never joins the stranger\'s case; its sender gets a number of their own, no link to the other case', async () => {
    const before = photosOf(number);
    const eventsBefore = h.db.select().from(caseEvents).all().filter((e) => e.caseId === caseOf(number).id).length;
    const photo = jpeg('s');
    const id = await kirim({ phone: '081355550002', email: 'lain0002@example.org', text: `Susulan foto untuk ${number}` }, [{ name: 'foto.jpg', bytes: photo }]);
    const { html, number: shown } = await receipt(id);
    expect(shown).not.toBe(number);
    expect(html).not.toContain(`${PUBLIC}/status/${number}/`);
    // told why it is not on the number they named, and how it would be (nothing said of that case)
    const note = /<p id="nomor-lain">([^<]+)<\/p>/.exec(html)?.[1];
    expect(note).toBe(`Pesan Anda menyebut nomor aduan ${number}, tetapi dicatat sebagai aduan tersendiri dengan nomor di atas. Lewat formulir ini, tambahan keterangan atau foto hanya kami satukan dengan aduan yang dilaporkan lewat formulir dengan nomor HP dan alamat e-mail persis sama; aduan yang dilaporkan lewat SMS, WhatsApp, Telegram atau e-mail dilengkapi lewat saluran itu. Petugas tetap membaca pesan Anda beserta nomor yang Anda sebut. Bila Anda pelapor aduan ${number}, kirim lagi dengan nomor HP dan alamat e-mail yang sama seperti saat melapor, atau lewat saluran tempat Anda melapor.`);
    expect(messageOf(id).caseId).toBe(caseOf(shown).id);
    expect(caseOf(shown).contactId).not.toBe(caseOf(number).contactId);
    // nothing of it on the other citizen's case: no photo, no event, no mail to its citizen
    expect(photosOf(number)).toEqual(before);
    expect(h.db.select().from(caseEvents).all().filter((e) => e.caseId === caseOf(number).id).length).toBe(eventsBefore);
    await waitFor(() => h.smtp.mails.some((m) => m.envelope.to.includes('lain0002@example.org')));
    const ack = h.smtp.mails.find((m) => m.envelope.to.includes('lain0002@example.org'))!;
    expect(ack.parsed.text).toContain(shown);
  });
});
