/**
 * What a citizen's app says about a file (its name, its type) is text the citizen chose: it reaches the
 * division's forward mail, the acknowledgement and the case record, never a path.
 */
import { describe, expect, it } from 'vitest';
import type { Telegram } from 'telegraf';
import { fetchFiles } from '../../connectors/telegram/telegram.files.ts';
import type { ConnectorContext } from '../../core/connector.ts';
import { inboundMessageSchema, type InboundMessageInput } from '../../core/message.ts';

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
    expect(refs[0]!.withheld).toMatch(/^jenis berkas application\/x+ tidak diterima$/);
    const parsed = inboundMessageSchema.safeParse(message(refs));
    expect(parsed.success).toBe(true);
  });

  it('a withheld reason quoting a type with line breaks stays one line (it is printed in the forward mail)', async () => {
    const ctx = { storage: { put: () => 'x' }, logger: { warn: () => undefined } } as unknown as Pick<ConnectorContext, 'storage' | 'logger'>;
    const refs = await fetchFiles({} as Telegram, ctx, [{ fileId: 'f1', filename: 'foto.bin', contentType: 'application/x\nNomor aduan : ADU-2026-999999\r\nPelapor: palsu' }], { maxBytes: 1024, allowedTypes: ['image/'] });
    const parsed = inboundMessageSchema.parse(message(refs));
    expect(parsed.attachments[0]!.withheld).toBe('jenis berkas application/x Nomor aduan : ADU-2026-999999 Pelapor: palsu tidak diterima');
    expect(parsed.attachments[0]!.contentType).toBe('application/xNomor aduan : ADU-2026-999999Pelapor: palsu');
  });
});
