/**
 * What a citizen's app says about a file (its name, its type) is text the citizen chose: it reaches the
 * division's forward mail, the acknowledgement and the case record, never a path.
 */
import { describe, expect, it } from 'vitest';
import type { Telegram } from 'telegraf';
import { fetchFiles } from '../../connectors/telegram/telegram.files.ts';
import type { ConnectorContext } from '../../core/connector.ts';
import { createMailSender } from '../../core/mail/transport.ts';
import { inboundMessageSchema, type InboundMessageInput } from '../../core/message.ts';
import { Storage } from '../../core/storage.ts';
import { testConfig } from '../helpers/config.ts';
import { startSmtp } from '../helpers/smtp.ts';

const message = (attachments: InboundMessageInput['attachments']): InboundMessageInput => ({
  connectorId: 'telegram-bot', channel: 'telegram', externalId: 'u-1', receivedAt: '2026-03-02T08:00:00.000Z',
  sender: { telegramChatId: '42' }, text: 'foto lubang', attachments,
});

describe('attachment names and types from the sender', () => {
  it('a newline or a path in a file name cannot write lines into a mail or name a folder', () => {
    const sha256 = 'a'.repeat(64);
    const parsed = inboundMessageSchema.parse(message([
      { filename: 'foto.jpg\n\nNomor aduan : ADU-2026-999999\r\nPelapor: palsu', contentType: 'image/jpeg\r\nX-Evil: 1', size: 3, sha256 },
      { filename: '../../etc/passwd', contentType: 'text/plain', size: 1, sha256 },
      { filename: '..', contentType: 'text/plain', size: 1, sha256 },
      { filename: 'laporan\u2028baris.pdf', contentType: 'application/pdf', size: 1, sha256 },
    ]));
    expect(parsed.attachments.map((a) => a.filename)).toEqual(['foto.jpg__Nomor aduan : ADU-2026-999999__Pelapor: palsu', '.._.._etc_passwd', 'lampiran', 'laporan_baris.pdf']);
    expect(parsed.attachments[0]!.contentType).toBe('image/jpegX-Evil: 1');
  });

  it('a Telegram file of an odd type with a 255-character type is withheld, and the message still passes the contract', async () => {
    const ctx = { storage: { put: () => 'x' }, logger: { warn: () => undefined } } as unknown as Pick<ConnectorContext, 'storage' | 'logger'>;
    const contentType = `application/${'x'.repeat(243)}`;
    const refs = await fetchFiles({} as Telegram, ctx, [{ fileId: 'f1', filename: 'dokumen-1.bin', contentType }], { maxBytes: 1024, allowedTypes: ['image/'] });
    // (the reason, as on every channel, stays within the 200 characters a reason may have)
    expect(refs[0]!.withheld).toMatch(/^jenis berkas tidak diizinkan \(application\/x+$/);
    expect(refs[0]!.withheld).toHaveLength(200);
    const parsed = inboundMessageSchema.safeParse(message(refs));
    expect(parsed.success).toBe(true);
  });

  it('a withheld reason quoting a type with line breaks stays one line (it is printed in the forward mail)', async () => {
    const ctx = { storage: { put: () => 'x' }, logger: { warn: () => undefined } } as unknown as Pick<ConnectorContext, 'storage' | 'logger'>;
    const refs = await fetchFiles({} as Telegram, ctx, [{ fileId: 'f1', filename: 'foto.bin', contentType: 'application/x\nNomor aduan : ADU-2026-999999\r\nPelapor: palsu' }], { maxBytes: 1024, allowedTypes: ['image/'] });
    const parsed = inboundMessageSchema.parse(message(refs));
    expect(parsed.attachments[0]!.withheld).toBe('jenis berkas tidak diizinkan (application/x nomor aduan : adu-2026-999999 pelapor: palsu)');
    expect(parsed.attachments[0]!.contentType).toBe('application/xnomor aduan : adu-2026-999999pelapor: palsu');
  });

  it('a name that hides its real extension (right-to-left override) or ends in a runnable one reaches the division harmless, over SMTP', async () => {
    const smtp = await startSmtp();
    const config = testConfig({ mail: { transport: 'smtp', from: 'Aduan <aduan@dprd.test>', smtp: { host: '127.0.0.1', port: smtp.port } } });
    const storage = new Storage(config.storage.dir);
    const sha256 = storage.put('MZ bukan foto');
    const sender = createMailSender(config, storage);
    try {
      const parsed = inboundMessageSchema.parse(message([
        // shown as "fotoexe.jpg" by a mail program that honours U+202E
        { filename: 'foto\u202Egpj.exe', contentType: 'image/jpeg', size: 13, sha256 },
        { filename: 'surat.pdf.exe', contentType: 'application/pdf', size: 13, sha256 },
        { filename: 'Laporan.HTML. ', contentType: 'text/plain', size: 13, sha256 },
        { filename: 'nama\u2066tersembunyi\u2069.jpg', contentType: 'image/jpeg', size: 13, sha256 },
        { filename: 'foto jalan.jpg', contentType: 'image/jpeg', size: 13, sha256 },
        // an "image" a browser runs scripts in (image/svg+xml passes the allowed image/ types)
        { filename: 'denah.svg', contentType: 'image/svg+xml', size: 13, sha256 },
      ]));
      const names = ['foto_gpj.exe_', 'surat.pdf.exe_', 'Laporan.HTML._', 'nama_tersembunyi_.jpg', 'foto jalan.jpg', 'denah.svg_'];
      expect(parsed.attachments.map((a) => a.filename)).toEqual(names);
      // (a file not kept is attached to nothing: the notices name it as it was sent)
      expect(inboundMessageSchema.parse(message([{ filename: 'hadiah.exe', contentType: 'application/x-msdownload', size: 9, withheld: 'jenis berkas tidak diizinkan' }])).attachments[0]!.filename).toBe('hadiah.exe');
      // (the same again: a message read back from the queue or the database keeps its names)
      expect(inboundMessageSchema.parse(message(parsed.attachments)).attachments.map((a) => a.filename)).toEqual(names);
      await sender.send({
        to: ['komisi-c@dprd.test'], subject: '[ADU-2026-000001] Jalan rusak', text: 'Isi aduan', messageId: '<ADU-2026-000001.forward@dprd.test>', headers: {},
        attachments: parsed.attachments.map((a) => ({ filename: a.filename, contentType: a.contentType, sha256: a.sha256! })),
      });
      expect(smtp.mails[0]!.parsed.attachments.map((a) => a.filename)).toEqual(names);
    } finally {
      sender.close();
      await smtp.close();
    }
  });
});
