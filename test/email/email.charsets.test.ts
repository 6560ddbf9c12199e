import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { decodeUtf7 } from '../../connectors/email/email.charset.ts';
import { normalizeEmail, type NormalizeOptions } from '../../connectors/email/email.normalize.ts';
import { inboundMessageSchema } from '../../core/message.ts';

// Raw messages as old Outlook / webmail setups, phones and broken mailers send them, through
// normalizeEmail: what the IMAP connector does with every mail's source.
const options: NormalizeOptions = {
  connectorId: 'email-aduan',
  maxAttachmentBytes: 10 * 1024 * 1024,
  allowedTypes: ['image/', 'application/pdf', 'text/plain', 'message/rfc822'],
  ownAddresses: new Set(['aduan@dprd.example.go.id']),
  isOwnMessageId: () => false,
};

/** A raw message from lines (CRLF); a string's characters U+0000–U+00FF are its bytes. */
function eml(...lines: (string | Buffer)[]): Buffer {
  return Buffer.concat(lines.flatMap((l) => [typeof l === 'string' ? Buffer.from(l, 'latin1') : l, Buffer.from('\r\n')]));
}

async function normalize(raw: Buffer) {
  const result = await normalizeEmail(raw, options);
  const parsed = inboundMessageSchema.safeParse(result.message);
  expect(parsed.success, parsed.success ? '' : JSON.stringify(parsed.error.issues)).toBe(true);
  return result.message;
}

const b64 = (s: string) => Buffer.from(s, 'latin1').toString('base64');

describe('e-mail charsets: UTF-7 (old Outlook and webmail)', () => {
  it('decodes UTF-7 encoded words in Subject and From and a text/plain; charset=utf-7 body', async () => {
    const message = await normalize(eml(
      'From: =?utf-7?Q?Sri_R+AOk-jeki?= <sri@example.net>',
      'To: aduan@dprd.example.go.id',
      'Subject: =?UTF-7?Q?Trotoar_+IBM-_+IBw-bahaya+IB0-?=',
      'Message-ID: <utf7-q@example.net>',
      'MIME-Version: 1.0',
      'Content-Type: text/plain; charset=utf-7',
      'Content-Transfer-Encoding: 7bit',
      '',
      'Trotoar di depan caf+AOk- Jl. Kaliurang ambles +IBM- bahaya+ACE- +2D3cTQ-',
      'Hubungi saya di +-62 812 3456 7890.',
    ));
    expect(message.subject).toBe('Trotoar – “bahaya”');
    expect(message.sender).toEqual({ email: 'sri@example.net', name: 'Sri Réjeki' });
    expect(message.text).toBe('Trotoar di depan café Jl. Kaliurang ambles – bahaya! 👍\nHubungi saya di +62 812 3456 7890.');
    // nothing was guessed
    expect(message.meta?.['charsetFallback']).toBeUndefined();
  });

  it('joins UTF-7 B words split inside a shifted run, and reads an HTML-only UTF-7 body as text', async () => {
    // "Lampu mati – Jl. Malioboro" with the run "+IBM-" split between two encoded words
    const message = await normalize(eml(
      `From: =?utf-7?B?${b64('Budi Santoso')}?= <budi@example.net>`,
      `Subject: =?utf-7?B?${b64('Lampu mati +IB')}?=`,
      ` =?utf-7?B?${b64('M- Jl. Malioboro')}?=`,
      'Message-ID: <utf7-b@example.net>',
      'Content-Type: text/html;',
      ' charset="UTF-7"',
      '',
      '+ADw-p+AD4-Lampu jalan mati +IBM- caf+AOk- gelap+ADw-/p+AD4-+ADw-script+AD4-alert(1)+ADw-/script+AD4-',
    ));
    expect(message.subject).toBe('Lampu mati – Jl. Malioboro');
    expect(message.sender.name).toBe('Budi Santoso');
    expect(message.text).toBe('Lampu jalan mati – café gelap');
    expect(message.meta?.['htmlOnly']).toBe(true);
  });

  it('decodes UTF-7 in both parts of multipart/alternative and in a forwarded message/rfc822', async () => {
    const message = await normalize(eml(
      'From: Staf <staf@example.net>',
      'Subject: Fwd: keluhan',
      'Message-ID: <utf7-fwd@example.net>',
      'Content-Type: multipart/mixed; boundary="m1"',
      '',
      '--m1',
      'Content-Type: multipart/alternative; boundary=a1',
      '',
      '--a1',
      'Content-Type: text/html; charset=utf-7',
      '',
      '+ADw-p+AD4-Diteruskan +IBM- mohon ditindaklanjuti.+ADw-/p+AD4-',
      '--a1',
      'Content-Type: text/plain; charset=utf-7',
      '',
      'Diteruskan +IBM- mohon ditindaklanjuti.',
      '--a1--',
      '--m1',
      'Content-Type: message/rfc822',
      '',
      'From: =?utf-7?Q?Sri_R+AOk-jeki?= <sri@example.net>',
      'Subject: =?UTF-7?Q?Got_mampet_+IBM-_Jl._Parangtritis?=',
      'Content-Type: text/plain; charset=utf-7',
      '',
      'Got di depan rumah mampet +IBM- bau+ACE-',
      '--m1--',
    ));
    expect(message.text).toBe([
      'Diteruskan – mohon ditindaklanjuti.',
      '',
      '---------- Pesan yang diteruskan ----------',
      'Dari: Sri Réjeki <sri@example.net>',
      'Perihal: Got mampet – Jl. Parangtritis',
      '',
      'Got di depan rumah mampet – bau!',
    ].join('\n'));
  });

  it('decodeUtf7: "+-" is a plus, a run ends at "-" (dropped) or any other character (kept)', () => {
    expect(decodeUtf7('1 +- 1 = 2')).toBe('1 + 1 = 2');
    expect(decodeUtf7('caf+AOk.')).toBe('café.');
    expect(decodeUtf7('+ZeVnLIqe-')).toBe('日本語');
    expect(decodeUtf7('+2D3cTQ-')).toBe('👍');
    expect(decodeUtf7('plain text')).toBe('plain text');
  });
});

describe('e-mail charsets: Latin-1, windows-1252, GB2312/GBK', () => {
  it('reads raw 8-bit windows-1252 header fields and body (a mailer that writes no encoded words)', async () => {
    const message = await normalize(eml(
      'From: Jos\xe9 Mar\xeda <jose@example.net>',
      'Subject: Trotoar \x96 \x93rusak\x94',
      'Message-ID: <w1252-8bit@example.net>',
      'Content-Type: text/plain; charset=windows-1252',
      'Content-Transfer-Encoding: 8bit',
      '',
      'Trotoar \x93rusak\x94 di depan caf\xe9 \x96 biaya \x80 0.',
    ));
    expect(message.subject).toBe('Trotoar – “rusak”');
    expect(message.sender.name).toBe('José María');
    expect(message.text).toBe('Trotoar “rusak” di depan café – biaya € 0.');
    expect(message.meta?.['charsetFallback']).toEqual([
      'header from: 8-bit bytes that are not UTF-8, read as Latin-1 (windows-1252)',
      'header subject: 8-bit bytes that are not UTF-8, read as Latin-1 (windows-1252)',
    ]);
  });

  it('reads raw 8-bit header fields in the message\'s own charset (GBK from a phone); UTF-8 ones stay as they are', async () => {
    const message = await normalize(eml(
      Buffer.concat([Buffer.from('From: '), Buffer.from('cdf5d0a1c3f7', 'hex'), Buffer.from(' <wang@example.cn>')]),
      Buffer.concat([Buffer.from('Subject: '), Buffer.from('b5c0c2b7cbf0bbb5', 'hex'), Buffer.from(' jalan rusak')]),
      'To: =?utf-8?Q?Aduan_DPRD?= <aduan@dprd.example.go.id>',
      Buffer.from('Comments: Jalan rusak – jalan rusak', 'utf8'),
      'Message-ID: <gbk-8bit@example.cn>',
      'Content-Type: text/plain; charset=gbk',
      'Content-Transfer-Encoding: 8bit',
      '',
      Buffer.from('c4e3bac3a3acc2b7bbb5c1cba1a3', 'hex'),
    ));
    expect(message.subject).toBe('道路损坏 jalan rusak');
    expect(message.sender.name).toBe('王小明');
    expect(message.text).toBe('你好，路坏了。');
    expect(message.meta?.['charsetFallback']).toEqual([
      'header from: 8-bit bytes that are not UTF-8, read as gbk',
      'header subject: 8-bit bytes that are not UTF-8, read as gbk',
    ]);
  });

  it('decodes GB2312/GBK encoded words and a base64 GB2312 body, ISO-8859-1 with windows-1252 quotes, as before', async () => {
    const gb = await normalize(eml(
      'From: =?GB2312?B?zfXQocP3?= <wang@example.cn>',
      'Subject: =?gbk?B?tcDCt8vwu7U=?= jalan rusak',
      'Message-ID: <gb2312@example.cn>',
      'Content-Type: text/plain; charset=gb2312',
      'Content-Transfer-Encoding: base64',
      '',
      'xOO6w6Oswre7tcHLoaM=',
    ));
    expect(gb.subject).toBe('道路损坏 jalan rusak');
    expect(gb.sender.name).toBe('王小明');
    expect(gb.text).toBe('你好，路坏了。');
    expect(gb.meta?.['charsetFallback']).toBeUndefined();
    const latin = await normalize(eml(
      'From: =?iso-8859-1?Q?Jos=E9?= <jose@example.net>',
      'Subject: =?iso-8859-1?Q?Trotoar_=96_=93rusak=94?=',
      'Message-ID: <latin1@example.net>',
      'Content-Type: text/plain; charset=ISO-8859-1',
      'Content-Transfer-Encoding: quoted-printable',
      '',
      'Trotoar =93rusak=94 =96 caf=E9',
    ));
    expect(latin.subject).toBe('Trotoar – “rusak”');
    expect(latin.sender.name).toBe('José');
    expect(latin.text).toBe('Trotoar “rusak” – café');
    expect(latin.meta?.['charsetFallback']).toBeUndefined();
  });
});

describe('e-mail charsets: unknown labels and bytes that are not what they say', () => {
  it('reads a body and encoded words in an unknown charset ("x-unknown") as Latin-1 when they are not UTF-8, and notes it', async () => {
    const message = await normalize(eml(
      'From: =?x-unknown?Q?Budi_Sant=F6so?= <budi@example.net>',
      'Subject: =?x-unknown?Q?Jalan_di_depan_caf=E9?=',
      'Message-ID: <x-unknown@example.net>',
      'Content-Type: text/plain; charset="x-unknown"',
      'Content-Transfer-Encoding: 8bit',
      '',
      'Jalan di depan caf\xe9 rusak \x93parah\x94.',
    ));
    expect(message.subject).toBe('Jalan di depan café');
    expect(message.sender.name).toBe('Budi Santöso');
    expect(message.text).toBe('Jalan di depan café rusak “parah”.');
    expect(message.meta?.['charsetFallback']).toEqual([
      'header from: unknown charset "x-unknown", read as Latin-1 (windows-1252)',
      'header subject: unknown charset "x-unknown", read as Latin-1 (windows-1252)',
      'body: unknown charset "x-unknown", read as Latin-1 (windows-1252)',
    ]);
  });

  it('reads valid UTF-8 under an unknown label as UTF-8 (quoted-printable), noting the label', async () => {
    const message = await normalize(eml(
      'From: budi@example.net',
      'Subject: =?x-user-defined?B?' + Buffer.from('Jalan – rusak', 'utf8').toString('base64') + '?=',
      'Message-ID: <x-utf8@example.net>',
      'Content-Type: text/plain; charset=x-user-defined',
      'Content-Transfer-Encoding: quoted-printable',
      '',
      'Jalan =E2=80=93 rusak, caf=C3=A9.',
    ));
    expect(message.subject).toBe('Jalan – rusak');
    expect(message.text).toBe('Jalan – rusak, café.');
    expect(message.meta?.['charsetFallback']).toEqual([
      'header subject: unknown charset "x-user-defined", read as UTF-8',
      'body: unknown charset "x-user-defined", read as UTF-8',
    ]);
  });

  it('reads Latin-1 bytes labelled UTF-8, or with no charset or no Content-Type at all, without replacement characters', async () => {
    const labelled = await normalize(eml(
      'From: a@example.net', 'Subject: salah label', 'Message-ID: <bad-utf8@example.net>',
      'Content-Type: text/plain; charset=utf-8', 'Content-Transfer-Encoding: 8bit', '',
      'Caf\xe9 di Jl. Solo berisik \x96 tiap malam.',
    ));
    expect(labelled.text).toBe('Café di Jl. Solo berisik – tiap malam.');
    expect(labelled.meta?.['charsetFallback']).toEqual(['body: labelled "utf-8" but not UTF-8, read as Latin-1 (windows-1252)']);
    const unlabelled = await normalize(eml(
      'From: a@example.net', 'Subject: tanpa charset', 'Message-ID: <no-charset@example.net>',
      'Content-Type: text/plain', '',
      'Caf\xe9 berisik.',
    ));
    expect(unlabelled.text).toBe('Café berisik.');
    expect(unlabelled.meta?.['charsetFallback']).toEqual(['body: no charset given and not UTF-8, read as Latin-1 (windows-1252)']);
    const bare = await normalize(eml('From: a@example.net', 'Subject: tanpa MIME', 'Message-ID: <no-mime@example.net>', '', 'Caf\xe9 berisik.'));
    expect(bare.text).toBe('Café berisik.');
    const utf8 = await normalize(eml('From: a@example.net', 'Subject: biasa', 'Message-ID: <plain-utf8@example.net>', '', Buffer.from('Café – berisik.', 'utf8')));
    expect(utf8.text).toBe('Café – berisik.');
    expect(utf8.meta?.['charsetFallback']).toBeUndefined();
  });

  it('decodes a file name written as a UTF-7 or unknown-charset encoded word', async () => {
    const message = await normalize(eml(
      'From: a@example.net', 'Subject: foto', 'Message-ID: <attach-name@example.net>',
      'Content-Type: multipart/mixed; boundary="x"', '',
      '--x', 'Content-Type: text/plain; charset=utf-8', '', 'Foto terlampir.',
      '--x', 'Content-Type: image/jpeg; name="=?utf-7?Q?Jalan_rusak_+IBM-_Kota_Gede.jpg?="',
      'Content-Disposition: attachment;', ' filename="=?utf-7?Q?Jalan_rusak_+IBM-_Kota_Gede.jpg?="', 'Content-Transfer-Encoding: base64', '', Buffer.from('jpeg').toString('base64'),
      '--x', 'Content-Type: application/pdf', 'Content-Disposition: attachment; filename="=?x-unknown?Q?Surat_caf=E9.pdf?="', 'Content-Transfer-Encoding: base64', '', Buffer.from('%PDF').toString('base64'),
      '--x--',
    ));
    expect((message.attachments ?? []).map((a) => a.filename)).toEqual(['Jalan rusak – Kota Gede.jpg', 'Surat café.pdf']);
    expect(message.meta?.['charsetFallback']).toEqual(['part content-disposition: unknown charset "x-unknown", read as Latin-1 (windows-1252)']);
  });

  it('leaves attachments as sent: a UTF-7 text file keeps its bytes', async () => {
    const txt = 'Laporan +IBM- lampiran\r\n';
    const message = await normalize(eml(
      'From: a@example.net', 'Subject: lampiran', 'Message-ID: <attach-utf7@example.net>',
      'Content-Type: multipart/mixed; boundary="x"', '',
      '--x', 'Content-Type: text/plain; charset=utf-7', '', 'Lihat lampiran +IBM- terima kasih.',
      '--x', 'Content-Type: text/plain; charset=utf-7', 'Content-Disposition: attachment; filename="laporan.txt"', 'Content-Transfer-Encoding: base64', '', Buffer.from(txt).toString('base64'),
      '--x--',
    ));
    expect(message.text).toBe('Lihat lampiran – terima kasih.');
    expect(message.attachments).toEqual([{ filename: 'laporan.txt', contentType: 'text/plain', size: txt.length, sha256: createHash('sha256').update(txt).digest('hex') }]);
  });
});
