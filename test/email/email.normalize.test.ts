import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import nodemailer from 'nodemailer';
import { afterAll, describe, expect, it } from 'vitest';
import { EmailParseError, normalizeEmail, type NormalizeOptions } from '../../connectors/email/email.normalize.ts';
import { trimReply } from '../../connectors/email/email.text.ts';
import { LIMITS } from '../../core/limits.ts';
import { caseNumberFromMessageId } from '../../core/mail/compose.ts';
import { inboundMessageSchema } from '../../core/message.ts';
import { Storage } from '../../core/storage.ts';
import { startSmtp } from '../helpers/smtp.ts';

const FIXTURES = path.join(import.meta.dirname, 'fixtures');
const storageDir = mkdtempSync(path.join(tmpdir(), 'aduan-email-norm-'));
afterAll(() => rmSync(storageDir, { recursive: true, force: true }));
const storage = new Storage(storageDir);
const mailConfig = { mail: { from: 'Aduan DPRD <aduan@dprd.example.go.id>' } } as Parameters<typeof caseNumberFromMessageId>[0];

const options: NormalizeOptions = {
  connectorId: 'email-aduan',
  maxAttachmentBytes: 10 * 1024 * 1024,
  allowedTypes: ['image/', 'application/pdf', 'text/plain'],
  ownAddresses: new Set(['aduan@dprd.example.go.id']),
  isOwnMessageId: (id) => caseNumberFromMessageId(mailConfig, id) !== undefined,
  store: (c) => storage.put(c),
};

async function load(name: string, extra: Partial<NormalizeOptions> = {}) {
  const raw = readFileSync(path.join(FIXTURES, name));
  const result = await normalizeEmail(raw, { ...options, ...extra });
  // every result must satisfy the contract the intake worker relies on
  const parsed = inboundMessageSchema.safeParse(result.message);
  expect(parsed.success, parsed.success ? '' : JSON.stringify(parsed.error.issues)).toBe(true);
  return { ...result, raw };
}

describe('e-mail normaliser: bodies and encodings', () => {
  it('takes the text/plain part of multipart/alternative, with sender, subject and Message-ID', async () => {
    const { message, loop, raw } = await load('multipart-alternative.eml');
    expect(loop).toBeUndefined();
    expect(message.sender).toEqual({ email: 'budi.santoso@example.net', name: 'Budi Santoso' });
    expect(message.subject).toBe('Jalan berlubang di Jl. Kaliurang km 5');
    expect(message.externalId).toBe('<CAF1234.alt@mail.example.net>');
    expect(message.meta?.['messageId']).toBe('<CAF1234.alt@mail.example.net>');
    expect(message.text).toContain('berlubang besar sejak\ndua minggu');
    expect(message.text).not.toContain('<b>');
    expect(message.receivedAt).toBe('2026-11-02T01:15:00.000Z');
    expect(message.rawRef).toMatch(/^[0-9a-f]{64}$/);
    expect(storage.get(message.rawRef!).equals(raw)).toBe(true);
  });

  it('converts an HTML-only mail to readable text (no tags, scripts or styles; entities decoded)', async () => {
    const { message } = await load('html-only.eml');
    expect(message.text).toContain('Sampah di Pasar Beringharjo');
    expect(message.text).toContain('menumpuk tiga hari & baunya');
    expect(message.text).toContain('Lokasi: pintu timur');
    expect(message.text).not.toMatch(/<|alert|color: red/);
    expect(message.meta?.['htmlOnly']).toBe(true);
  });

  it('decodes quoted-printable soft breaks and multi-byte sequences split over lines', async () => {
    const { message } = await load('quoted-printable.eml');
    expect(message.text).toContain('satu bulan penuh');
    expect(message.text).toContain('malam hari — mohon');
    expect(message.text).toContain('Harga = nyawa.');
  });

  it('decodes a base64 body', async () => {
    const { message } = await load('base64.eml');
    expect(message.text).toBe('Air PDAM di Kampung Tegalrejo tidak mengalir sejak kemarin sore. Warga sudah melapor ke PDAM tapi belum ada tanggapan.');
  });

  it('decodes ISO-8859-1 bodies and encoded-word sender names', async () => {
    const { message } = await load('charset-iso-8859-1.eml');
    expect(message.text).toContain('Café di sebelah');
    expect(message.text).toContain('Señor');
    expect(message.sender.name).toBe('José García');
    expect(message.subject).toBe('Pengaduan café berisik');
  });

  it('decodes windows-1252 (dashes, curly quotes, euro) in body and subject', async () => {
    const { message } = await load('charset-windows-1252.eml');
    expect(message.subject).toBe('Trotoar rusak – “bahaya”');
    expect(message.text).toContain('rusak – sangat “bahaya”');
    expect(message.text).toContain('Biaya €');
  });

  it('joins a folded subject of B and Q encoded words', async () => {
    const { message } = await load('encoded-word-subject.eml');
    expect(message.subject).toBe('Keluhan pelayanan puskesmas – antre 4 jam');
    expect(message.sender.name).toBe('Ratna Kusumawardhani');
  });

  it('gives a mail delivered again (other transport headers, LF line endings) the same content digest; another mail under its Message-ID another', async () => {
    const { message, raw } = await load('multipart-alternative.eml');
    const digest = message.meta?.['contentDigest'];
    expect(digest).toMatch(/^[0-9a-f]{64}$/);
    const text = raw.toString('utf8').replace(/\r?\n/g, '\r\n');
    const again = `Received: from relay-2.example.org by mx.dprd.example.go.id; Tue, 03 Nov 2026 09:01:12 +0700\r\nDelivered-To: aduan@dprd.example.go.id\r\n${text}`;
    for (const redelivered of [again, again.replace(/\r\n/g, '\n')]) {
      expect((await normalizeEmail(Buffer.from(redelivered), options)).message.meta?.['contentDigest']).toBe(digest);
    }
    // what the sender wrote differs: the body, or only the Date of a form sent twice with one text
    for (const other of [text.replace('berlubang besar', 'berlubang kecil'), text.replace('08:15:00', '08:16:00')]) {
      const o = (await normalizeEmail(Buffer.from(other), options)).message;
      expect(o.externalId).toBe(message.externalId);
      expect(o.meta?.['contentDigest']).toMatch(/^[0-9a-f]{64}$/);
      expect(o.meta?.['contentDigest']).not.toBe(digest);
    }
  });

  it('falls back to sha256 of the raw message when there is no Message-ID', async () => {
    const { message, raw } = await load('no-message-id.eml');
    const { createHash } = await import('node:crypto');
    expect(message.externalId).toBe(`sha256:${createHash('sha256').update(raw).digest('hex')}`);
    expect(message.meta?.['messageId']).toBeUndefined();
  });
});

describe('e-mail normaliser: attachments and forwarded mail', () => {
  it('stores allowed attachments content-addressed and withholds disallowed types with the reason', async () => {
    const { message } = await load('attachment.eml');
    expect(message.attachments).toHaveLength(3);
    const [png, exe, pdf] = message.attachments!;
    expect(png).toMatchObject({ filename: 'saluran.png', contentType: 'image/png', size: 70 });
    expect(storage.get(png!.sha256!).subarray(1, 4).toString()).toBe('PNG');
    expect(exe).toMatchObject({ filename: 'hadiah.exe', contentType: 'application/x-msdownload' });
    expect(exe!.sha256).toBeUndefined();
    expect(exe!.withheld).toContain('jenis berkas tidak diizinkan');
    expect(pdf).toMatchObject({ filename: 'surat pengantar RT.pdf', contentType: 'application/pdf' });
    expect(pdf!.sha256).toMatch(/^[0-9a-f]{64}$/);
  });

  it('withholds attachments over storage.maxAttachmentBytes, recording name and size', async () => {
    const { message } = await load('attachment.eml', { maxAttachmentBytes: 75 });
    const pdf = message.attachments!.find((a) => a.contentType === 'application/pdf')!;
    expect(pdf.withheld).toContain('melebihi batas ukuran');
    expect(pdf.size).toBe(82);
    expect(pdf.sha256).toBeUndefined();
    expect(message.attachments!.find((a) => a.filename === 'saluran.png')!.sha256).toBeDefined();
  });

  it('includes a forwarded message/rfc822 part: its sender, subject and text in the case text, its attachments listed', async () => {
    const { message } = await load('forwarded-rfc822.eml');
    expect(message.text).toContain('Saya teruskan keluhan tetangga saya');
    expect(message.text).toContain('Pesan yang diteruskan');
    expect(message.text).toContain('Dari: Pak Joko <joko@example.net>');
    expect(message.text).toContain('Perihal: Keluhan parkir liar');
    expect(message.text).toContain('Parkir liar di depan Taman Pintar');
    expect(message.attachments!.map((a) => a.filename)).toEqual(['parkir.png']);
    expect(message.sender.email).toBe('rina@example.org');
  });
});

describe('e-mail normaliser: loop safety', () => {
  it('flags an out-of-office auto-reply, keeping the thread so it is linked to the case', async () => {
    const { message, loop } = await load('auto-reply.eml');
    expect(loop?.reason).toBe('auto-reply');
    expect(message.meta?.['autoSubmitted']).toBe('auto-reply');
    expect(message.thread?.inReplyTo).toBe('<ADU-2026-000042.ack@dprd.example.go.id>');
  });

  /** A mail with this subject and no Auto-Submitted / X-Autoreply header, in the thread of our acknowledgement. */
  const subjectOnly = (subject: string) => normalizeEmail(Buffer.from([
    'From: Bambang <bambang@example.com>', 'To: aduan@dprd.example.go.id', `Subject: ${subject}`, 'Date: Mon, 09 Nov 2026 12:00:00 +0700',
    `Message-ID: <oof-${Buffer.from(subject).toString('hex').slice(0, 24)}@example.com>`, 'In-Reply-To: <ADU-2026-000042.ack@dprd.example.go.id>',
    'MIME-Version: 1.0', 'Content-Type: text/plain; charset=utf-8', '', 'Saya sedang cuti sampai 20 November 2026. Untuk keperluan mendesak hubungi kantor.', '',
  ].join('\r\n')), options);

  it.each(['Saya sedang cuti', 'Saya sedang cuti sampai 20 November 2026', 'Sedang di luar kantor', 'Out of Office', 'Out of office reply', 'Automatic reply: Aduan Anda diterima', 'Balasan otomatis: Aduan Anda diterima', 'Out of Office: Aduan Anda diterima'])(
    'flags an out-of-office reply without the headers by its subject alone: "%s"', async (subject) => {
      const { message, loop } = await subjectOnly(subject);
      expect(loop?.reason).toBe('auto-reply');
      expect(message.meta?.['autoSubmitted']).toBe('auto-reply');
    });

  it.each(['Saya sedang cuti tapi jalan depan rumah rusak', 'Cuti bersama: sampah tidak diangkut', 'Re: Out of office', 'Kantor kelurahan selalu out of office'])('a subject that only mentions leave is a person\'s mail: "%s"', async (subject) => {
    const { loop } = await subjectOnly(subject);
    expect(loop).toBeUndefined();
  });

  it('flags a DSN bounce, extracts the failed recipient and links it to our original mail', async () => {
    const { message, loop, bounce } = await load('bounce.eml');
    expect(loop?.reason).toBe('bounce');
    expect(message.meta?.['autoSubmitted']).toBe('bounce');
    expect(bounce).toEqual({ recipients: ['salah.alamat@example.net'], status: '5.1.1', hard: true, originalMessageId: '<ADU-2026-000042.ack@dprd.example.go.id>' });
    expect(message.thread?.references).toContain('<ADU-2026-000042.ack@dprd.example.go.id>');
    expect(message.attachments).toEqual([]);
  });

  it('flags a read receipt (MDN) and links it to the mail it is about', async () => {
    const { message, loop } = await load('read-receipt.eml');
    expect(loop?.reason).toBe('read-receipt');
    expect(message.meta?.['autoSubmitted']).toBe('read-receipt');
    expect(message.thread?.inReplyTo).toBe('<ADU-2026-000042.ack@dprd.example.go.id>');
  });

  it('flags list mail (Precedence: bulk, List-Id)', async () => {
    const { message } = await load('list-mail.eml');
    expect(message.meta?.['autoSubmitted']).toBe('list');
  });

  it('flags our own mail coming back (From is the gateway address)', async () => {
    const { message } = await load('own-mail.eml');
    expect(message.meta?.['autoSubmitted']).toBe('own-mail');
  });

  it('does not flag a person writing a normal complaint', async () => {
    for (const f of ['multipart-alternative.eml', 'html-only.eml', 'reply-in-thread.eml', 'attachment.eml', 'outlook-reply.eml']) {
      const { message } = await load(f);
      expect(message.meta?.['autoSubmitted'], f).toBeUndefined();
    }
  });
});

describe('e-mail normaliser: threading and reply trimming', () => {
  it('takes In-Reply-To/References and trims the signature and the Indonesian Gmail quote from the case text', async () => {
    const { message } = await load('reply-in-thread.eml');
    expect(message.thread?.inReplyTo).toBe('<ADU-2026-000042.ack@dprd.example.go.id>');
    expect(message.thread?.references).toEqual(['<CAF1234.alt@mail.example.net>', '<ADU-2026-000042.ack@dprd.example.go.id>']);
    expect(message.text).toBe('Lubangnya sekarang makin besar, tadi pagi ada mobil terperosok.');
    expect(message.meta?.['fullText']).toContain('> Terima kasih, aduan Anda telah kami terima');
    expect(message.meta?.['fullText']).toContain('Warga RT 05 Sinduadi');
  });

  it('drops the gmail_quote block of an HTML reply', async () => {
    const { message } = await load('reply-html-gmail.eml');
    expect(message.text).toBe('Sampahnya belum diangkut sampai hari ini.');
    expect(String(message.meta?.['fullText'])).toContain('wrote:');
  });

  it('cuts an Outlook reply header and a mobile signature; takes the case number from our plus-address', async () => {
    const { message } = await load('outlook-reply.eml');
    expect(message.text).toBe('Sudah kami jadwalkan peninjauan hari Kamis.');
    expect(message.thread?.caseNumber).toBe('ADU-2026-000042');
    expect(message.meta?.['replyToken']).toBe('tok123');
  });

  it('keeps inline-interleaved answers but drops the > lines', () => {
    const r = trimReply('> Apakah sudah diperbaiki?\nBelum, masih rusak.\n> Lokasinya di mana?\nDi depan SD 3.');
    expect(r.text).toBe('Belum, masih rusak.\nDi depan SD 3.');
  });

  it('keeps a mail that is all quote whole rather than empty', () => {
    expect(trimReply('> hanya kutipan').text).toBe('> hanya kutipan');
  });

  it('stores a long full text via storage and keeps only its sha in meta', async () => {
    const long = `${'Keluhan panjang sekali. '.repeat(20)}\n\n-- \n${'Tanda tangan panjang. '.repeat(600)}`;
    const raw = Buffer.from(`From: a@example.net\r\nSubject: panjang\r\nMessage-ID: <long@example.net>\r\n\r\n${long}\r\n`);
    const { message } = await normalizeEmail(raw, options);
    expect(message.meta?.['fullText']).toBeUndefined();
    const ref = message.meta?.['fullTextRef'] as string;
    expect(storage.get(ref).toString()).toContain('Tanda tangan panjang.');
    expect(JSON.stringify(message.meta).length).toBeLessThan(LIMITS.metaMaxBytes);
  });
});

describe('e-mail normaliser: hostile and broken input', () => {
  it('rejects empty input and non-mail as EmailParseError', async () => {
    await expect(normalizeEmail(Buffer.alloc(0), options)).rejects.toBeInstanceOf(EmailParseError);
    await expect(normalizeEmail(Buffer.from('\r\n\r\njust some bytes without any header\r\n'), options)).rejects.toBeInstanceOf(EmailParseError);
  });

  it('caps a huge body at the text limit and a huge subject at the subject limit', async () => {
    const raw = Buffer.from(`From: a@example.net\r\nSubject: ${'x'.repeat(5000)}\r\nMessage-ID: <big@example.net>\r\n\r\n${'kata '.repeat(100_000)}\r\n`);
    const { message } = await normalizeEmail(raw, options);
    expect(message.text.length).toBeLessThanOrEqual(LIMITS.textMaxChars);
    expect(message.subject!.length).toBeLessThanOrEqual(LIMITS.subjectMaxChars);
    expect(inboundMessageSchema.safeParse(message).success).toBe(true);
  });

  it('reads a 20 MB plain body from its start: the citizen\'s words first, within the cap, the cut marked; the .eml is kept whole', async () => {
    const start = 'Yth. DPRD Kota Yogyakarta,\nSaluran air di Jl. Magelang km 3 tersumbat sejak Senin.';
    const body = `${start}\n${'Air meluap ke jalan setiap hujan dan masuk ke rumah warga di RT 04.\n'.repeat(300_000)}`;
    expect(body.length).toBeGreaterThan(20_000_000);
    const raw = Buffer.from(`From: a@example.net\r\nSubject: saluran\r\nMessage-ID: <huge-plain@example.net>\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n${body.replace(/\n/g, '\r\n')}`);
    const { message } = await normalizeEmail(raw, options);
    expect(message.text.startsWith(start)).toBe(true);
    expect(message.text.length).toBeLessThanOrEqual(LIMITS.textMaxChars);
    const note = '\n\n... (terpotong: e-mail aslinya lebih panjang dan tersimpan utuh di arsip Aduan)';
    expect(message.text.endsWith(note)).toBe(true);
    expect(body.startsWith(message.text.slice(0, -note.length))).toBe(true);
    expect(inboundMessageSchema.safeParse(message).success).toBe(true);
    expect(storage.get(message.rawRef!).length).toBe(raw.length);
    // the full text kept beside it is read from the start too (and capped as before)
    const full = storage.get(message.meta?.['fullTextRef'] as string).toString();
    expect(full.startsWith(start)).toBe(true);
    expect(full.length).toBeLessThanOrEqual(200_000);
  });

  it('a long reply above a 20 MB quote is kept whole and not marked as cut', async () => {
    const quote = `> ${'Isi pesan lama yang dikutip kembali oleh program e-mail warga.\n> '.repeat(320_000)}`;
    const raw = Buffer.from(`From: a@example.net\r\nSubject: Re: saluran\r\nIn-Reply-To: <x@example.net>\r\nMessage-ID: <huge-quote@example.net>\r\n\r\nBelum ada perbaikan sampai hari ini.\r\n\r\nPada 1 Nov 2026, Aduan DPRD menulis:\r\n${quote.replace(/\n/g, '\r\n')}`);
    const { message } = await normalizeEmail(raw, options);
    expect(message.text).toBe('Belum ada perbaikan sampai hari ini.');
  });

  it('a case text cut exactly inside an emoji still ends with the cut mark', async () => {
    const words = 'Jalan rusak parah. '.repeat(600);
    const body = `${words.slice(0, LIMITS.textMaxChars)}\u{1F6A7} lanjutan teks yang tidak masuk ke kasus.`;
    expect(body.charCodeAt(LIMITS.textMaxChars)).toBeGreaterThanOrEqual(0xd800); // the emoji's first half is the character after the cap
    const raw = Buffer.from(`From: a@example.net\r\nSubject: jalan\r\nMessage-ID: <emoji-cut@example.net>\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n${body}`);
    const { message } = await normalizeEmail(raw, options);
    expect(message.text.length).toBeLessThanOrEqual(LIMITS.textMaxChars);
    expect(message.text.endsWith('\n\n... (terpotong: e-mail aslinya lebih panjang dan tersimpan utuh di arsip Aduan)')).toBe(true);
  });

  it('reads a 2 MB HTML body from its start and marks the cut', async () => {
    const html = `<html><body><p>Lampu jalan di Jl. Malioboro padam.</p>${`<p>${'Sudah <b>dua minggu</b> gelap, rawan kecelakaan. '.repeat(40)}</p>\n`.repeat(1_100)}</body></html>`;
    expect(html.length).toBeGreaterThan(2_000_000);
    const raw = Buffer.from(`From: a@example.net\r\nSubject: lampu\r\nMessage-ID: <huge-html@example.net>\r\nContent-Type: text/html; charset=utf-8\r\n\r\n${html}`);
    const { message } = await normalizeEmail(raw, options);
    expect(message.text.startsWith('Lampu jalan di Jl. Malioboro padam.\n\nSudah dua minggu gelap')).toBe(true);
    expect(message.text.length).toBeLessThanOrEqual(LIMITS.textMaxChars);
    expect(message.text.endsWith('\n\n... (terpotong: e-mail aslinya lebih panjang dan tersimpan utuh di arsip Aduan)')).toBe(true);
    // the full text beside it is read from the start, capped and marked too
    const full = storage.get(message.meta?.['fullTextRef'] as string).toString();
    expect(full.startsWith('Lampu jalan')).toBe(true);
    expect(full.length).toBeLessThanOrEqual(200_000);
    expect(full.endsWith('\n\n... (terpotong: e-mail aslinya lebih panjang dan tersimpan utuh di arsip Aduan)')).toBe(true);
  });

  it('lists at most the contract maximum of attachments and counts the rest', async () => {
    const parts = Array.from({ length: 30 }, (_, i) => `--b\r\nContent-Type: text/plain; name="f${i}.txt"\r\nContent-Disposition: attachment; filename="f${i}.txt"\r\n\r\nisi ${i}\r\n`).join('');
    const raw = Buffer.from(`From: a@example.net\r\nMessage-ID: <many@example.net>\r\nContent-Type: multipart/mixed; boundary="b"\r\n\r\n--b\r\nContent-Type: text/plain\r\n\r\nbanyak lampiran\r\n${parts}--b--\r\n`);
    const { message } = await normalizeEmail(raw, options);
    expect(message.attachments).toHaveLength(LIMITS.attachmentsMax);
    expect(message.meta?.['attachmentsOmitted']).toBe(30 - LIMITS.attachmentsMax);
  });

  it('survives deeply nested HTML and nested forwarded messages within bounded time', async () => {
    const html = `${'<div>'.repeat(5000)}dalam${'</div>'.repeat(5000)}`;
    let inner = `From: x@example.net\r\nSubject: lapis\r\nContent-Type: text/html\r\n\r\n${html}\r\n`;
    for (let i = 0; i < 8; i++) inner = `From: x${i}@example.net\r\nSubject: lapis ${i}\r\nContent-Type: multipart/mixed; boundary="n${i}"\r\n\r\n--n${i}\r\nContent-Type: text/plain\r\n\r\nlapis ${i}\r\n--n${i}\r\nContent-Type: message/rfc822\r\n\r\n${inner}\r\n--n${i}--\r\n`;
    const started = Date.now();
    const { message } = await normalizeEmail(Buffer.from(inner), options);
    expect(Date.now() - started).toBeLessThan(5_000);
    expect(inboundMessageSchema.safeParse(message).success).toBe(true);
    expect(message.text).toContain('lapis 7');
  });

  it('takes a mail with malformed headers and no From without crashing', async () => {
    const raw = Buffer.from('Subject: =?utf-8?B?broken\r\nFrom: <<<>>>\r\nDate: not a date\r\nContent-Type: text/plain; charset=x-unknown-charset\r\n\r\nteks\r\n');
    const { message } = await normalizeEmail(raw, { ...options, now: () => new Date('2026-11-01T00:00:00Z') });
    expect(message.text).toContain('teks');
    expect(message.receivedAt).toBe('2026-11-01T00:00:00.000Z');
    expect(inboundMessageSchema.safeParse(message).success).toBe(true);
  });
});

describe('e-mail normaliser: what a review found', () => {
  const mail = (headers: string, body: string) => normalizeEmail(Buffer.from(`${headers.trim().split('\n').join('\r\n')}\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n${body.split('\n').join('\r\n')}\r\n`), options);

  it('keeps a citizen\'s letter laid out "Dari: … / Kepada: …" whole; in a reply such a pair still starts the quote', async () => {
    const letter = 'Dengan hormat,\nDari: Budi Santoso, warga RT 05 Tegalrejo\nKepada: Ketua DPRD Kota Yogyakarta\nPerihal: Jalan rusak\n\nJalan di depan SD Negeri 5 Tegalrejo berlubang besar sejak dua bulan. Mohon segera diperbaiki.\n\nHormat saya,\nBudi';
    const fresh = await mail('From: Budi <budi@example.net>\nTo: aduan@dprd.example.go.id\nSubject: Surat pengaduan\nMessage-ID: <l1@example.net>', letter);
    expect(fresh.message.text).toContain('Jalan di depan SD Negeri 5 Tegalrejo berlubang besar');
    const reply = await mail('From: Budi <budi@example.net>\nTo: aduan@dprd.example.go.id\nSubject: Re: Aduan ADU-2026-000042\nIn-Reply-To: <ADU-2026-000042.ack@dprd.example.go.id>\nMessage-ID: <l2@example.net>',
      'Sudah saya kirim fotonya.\n\nDari: Aduan DPRD <aduan@dprd.example.go.id>\nKepada: budi@example.net\nAduan Anda diterima.');
    expect(reply.message.text).toBe('Sudah saya kirim fotonya.');
  });

  it('flags a newsletter carrying only List-Id / List-Unsubscribe (mailparser folds them into one header)', async () => {
    for (const h of ['List-Id: Promo <promo.shop.example>', 'List-Unsubscribe: <mailto:unsub@shop.example>', 'List-Post: <mailto:list@shop.example>']) {
      const { message } = await mail(`From: Toko <promo@news.shop.example>\nTo: aduan@dprd.example.go.id\nSubject: Diskon 50%\nMessage-ID: <p1@shop.example>\n${h}`, 'Jalan Malioboro macet, kunjungi toko kami.');
      expect(message.meta?.['autoSubmitted'], h).toBe('list');
    }
  });

  it('a website form relayed by mail (From: noreply@…, Reply-To: the citizen) is the citizen\'s; a person\'s own Reply-To changes nothing', async () => {
    const relayed = await mail('From: Website DPRD <noreply@dprd-jogja.example>\nReply-To: Siti Aminah <siti@example.net>\nTo: aduan@dprd.example.go.id\nSubject: Formulir pengaduan\nMessage-ID: <f1@dprd-jogja.example>', 'Lampu jalan di Jl. Kenari mati.');
    expect(relayed.message.sender).toEqual({ email: 'siti@example.net', name: 'Siti Aminah' });
    expect(relayed.message.meta?.['relayedBy']).toBe('noreply@dprd-jogja.example');
    const own = await mail('From: Budi <budi@example.net>\nReply-To: budi.kantor@example.org\nTo: aduan@dprd.example.go.id\nSubject: Lampu\nMessage-ID: <f2@example.net>', 'Lampu jalan di Jl. Kenari mati.');
    expect(own.message.sender).toEqual({ email: 'budi@example.net', name: 'Budi' });
    expect(own.message.meta?.['replyTo']).toBe('budi.kantor@example.org');
  });

  it('a From or Reply-To that the mailer would read as other addresses (<a\\,korban@…>) is no address to answer; plain ones reach exactly themselves over SMTP', async () => {
    const smtp = await startSmtp();
    const sender = nodemailer.createTransport({ host: '127.0.0.1', port: smtp.port, secure: false, ignoreTLS: true });
    try {
      // (mailparser keeps the escaped or quoted local part; nodemailer splits it at the comma: the answers went to korban@…)
      for (const [header, answered] of [
        ['From: <budi\\,korban@lain.example>', undefined],
        ['From: <"budi,korban@lain.example"@example.net>', undefined],
        ['From: <budi;korban@lain.example>', undefined],
        // (a form relayed by mail whose Reply-To is no plain address: not taken for the citizen's)
        ['From: noreply@dprd-jogja.example\nReply-To: <siti\\,korban@lain.example>', 'noreply@dprd-jogja.example'],
      ] as const) {
        const { message } = await mail(`${header}\nTo: aduan@dprd.example.go.id\nSubject: Lampu\nMessage-ID: <r-${Math.random()}@example.net>`, 'Lampu jalan di Jl. Kenari mati.');
        expect(message.sender.email, header).toBe(answered);
        expect(message.meta?.['replyTo'], header).toBeUndefined();
      }
      for (const plain of ['budi+aduan@example.net', "o'brien@example.net", 'siti.aminah@mail.example.co.id']) {
        const { message } = await mail(`From: Budi <${plain}>\nTo: aduan@dprd.example.go.id\nSubject: Lampu\nMessage-ID: <p-${Math.random()}@example.net>`, 'Lampu jalan di Jl. Kenari mati.');
        expect(message.sender.email).toBe(plain);
        await sender.sendMail({ from: 'aduan@dprd.example.go.id', to: [message.sender.email!], subject: 'Aduan Anda diterima', text: 'x' });
        expect(smtp.mails.at(-1)!.envelope.to).toEqual([plain]);
      }
    } finally {
      sender.close();
      await smtp.close();
    }
  });

  it('an Outlook winmail.dat is withheld saying the citizen should send plain text, not a smaller file', async () => {
    const raw = Buffer.from(['From: Budi <budi@example.net>', 'To: aduan@dprd.example.go.id', 'Subject: Jalan rusak', 'Message-ID: <tnef@example.net>', 'MIME-Version: 1.0',
      'Content-Type: multipart/mixed; boundary="b"', '', '--b', 'Content-Type: application/ms-tnef; name="winmail.dat"', 'Content-Disposition: attachment; filename="winmail.dat"',
      'Content-Transfer-Encoding: base64', '', Buffer.from('\x78\x9f\x3e\x22 tnef body').toString('base64'), '--b--', ''].join('\r\n'));
    const { message } = await normalizeEmail(raw, options);
    expect(message.attachments).toEqual([expect.objectContaining({ filename: 'winmail.dat', withheld: expect.stringContaining('format Outlook (winmail.dat) yang tidak dapat kami baca') })]);
  });

  it('answers a mail without From at its Return-Path, and reads a case token given in a second Delivered-To', async () => {
    const { message } = await mail('Return-Path: <warga@example.net>\nTo: aduan@dprd.example.go.id\nSubject: Lampu mati\nMessage-ID: <nf@example.net>', 'Lampu jalan di Jl. Kenari mati.');
    expect(message.sender.email).toBe('warga@example.net');
    const two = await mail('From: warga@example.net\nDelivered-To: aduan@dprd.example.go.id\nDelivered-To: aduan+ADU-2026-000042@dprd.example.go.id\nSubject: tambahan\nMessage-ID: <dt@example.net>', 'ini fotonya');
    expect(two.message.meta?.['deliveredTo']).toEqual(['aduan@dprd.example.go.id', 'aduan+ADU-2026-000042@dprd.example.go.id']);
  });
});

describe('e-mail normaliser: bounces', () => {
  const dsn = (status: string) => Buffer.from([
    'From: Mail Delivery System <MAILER-DAEMON@mx.example.net>', 'To: aduan@dprd.example.go.id', 'Subject: Undelivered Mail Returned to Sender',
    'Message-ID: <dsn-' + status + '@mx.example.net>', 'MIME-Version: 1.0', 'Content-Type: multipart/report; report-type=delivery-status; boundary="b"', '',
    '--b', 'Content-Type: text/plain', '', 'Your message could not be delivered.', '',
    '--b', 'Content-Type: message/delivery-status', '', 'Reporting-MTA: dns; mx.example.net', '', 'Final-Recipient: rfc822; warga@example.net', 'Action: failed', `Status: ${status}`, '',
    '--b--', ''].join('\r\n'));

  it('a full mailbox (5.2.2) is no hard bounce; an unknown user (5.1.1) is', async () => {
    const full = await normalizeEmail(dsn('5.2.2'), options);
    expect(full.message.meta?.['bounce']).toMatchObject({ recipients: ['warga@example.net'], hard: false });
    const unknown = await normalizeEmail(dsn('5.1.1'), options);
    expect(unknown.message.meta?.['bounce']).toMatchObject({ recipients: ['warga@example.net'], hard: true });
  });
});

describe('e-mail normaliser: staff replies from Outlook and phones', () => {
  it('an HTML-only Outlook reply keeps only what staff wrote: the quoted forward (the reporter\'s name and phone) never reaches the #selesai result', async () => {
    const n = 'ADU-2026-000001';
    const html = `<html><body><div style="font-family:Calibri">#selesai Jalan sudah ditambal.</div><div><br></div>
<div id="appendonsend"></div><hr style="display:inline-block;width:98%" tabindex="-1">
<div id="divRplyFwdMsg" dir="ltr"><font face="Calibri"><b>Dari:</b> Aduan DPRD &lt;aduan@dprd.example.go.id&gt;<br><b>Dikirim:</b> Senin, 02 Maret 2026 15.00<br><b>Subjek:</b> [${n}] Jalan</font><div>&nbsp;</div></div>
<div><p>Aduan masyarakat baru untuk Komisi C.</p><pre>Nama     : Siti\nTelepon  : +6281200000001</pre><div>Jalan Kenari berlubang.</div></div></body></html>`;
    const raw = Buffer.from(['From: Budi <komisi-c@dprd.example.go.id>', `To: aduan+${n}.tok@dprd.example.go.id`, `Subject: RE: [${n}] Jalan`, 'Message-ID: <r2@dprd.example.go.id>', `In-Reply-To: <${n}.forward@dprd.example.go.id>`, 'Content-Type: text/html; charset=utf-8', '', html, ''].join('\r\n'));
    const { message } = await normalizeEmail(raw, options);
    expect(message.text).toBe('#selesai Jalan sudah ditambal.');
  });

  it('a command written below the quote (Thunderbird) is read; the quoted help text is not', async () => {
    const { parseStaffReply } = await import('../../core/lifecycle/commands.ts');
    const t = trimReply('Pada 02/03/2026 15.00, Aduan DPRD menulis:\n> Aduan baru untuk Komisi C.\n> Balas dengan #selesai <hasil untuk warga>\n\n#selesai Jalan sudah ditambal.\n');
    expect(t.text).toBe('#selesai Jalan sudah ditambal.');
    expect(parseStaffReply(t.text)).toEqual({ command: { kind: 'selesai', result: 'Jalan sudah ditambal.' } });
  });

  it('"Dikirim dari iPad saya", "Dapatkan Outlook untuk Android" are signatures, not part of a result', () => {
    for (const sig of ['Dikirim dari iPad saya', 'Dapatkan Outlook untuk Android', 'Dikirim dari Email untuk Windows']) {
      expect(trimReply(`#selesai Lampu sudah diganti Dishub.\n\n${sig}`).text, sig).toBe('#selesai Lampu sudah diganti Dishub.');
    }
  });
});
