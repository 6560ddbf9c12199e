import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { simpleParser } from 'mailparser';
import { createMailSender, isPermanentSmtpError } from '../../core/mail/transport.ts';
import { Storage } from '../../core/storage.ts';
import { testConfig } from '../helpers/config.ts';

const dir = mkdtempSync(path.join(tmpdir(), 'aduan-transport-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('mail transport', () => {
  it('a file missing from storage does not keep the forward from the division: it goes without it, saying so', async () => {
    const config = testConfig({ mail: { transport: 'file', from: 'Aduan <aduan@dprd.test>', file: { dir: path.join(dir, 'mail') } } });
    const storage = new Storage(path.join(dir, 'storage'));
    const kept = storage.put('foto jalan');
    const sender = createMailSender(config, storage);
    const sent = await sender.send({
      to: ['komisi-c@dprd.test'], subject: '[ADU-2026-000001] Jalan rusak', text: 'Isi aduan: jalan rusak', html: '<p>Isi aduan: jalan rusak</p>',
      messageId: '<ADU-2026-000001.forward@dprd.test>', headers: {},
      attachments: [{ filename: 'jalan.jpg', contentType: 'image/jpeg', sha256: kept }, { filename: 'surat.pdf', contentType: 'application/pdf', sha256: 'f'.repeat(64) }],
    });
    const mail = await simpleParser(readFileSync(sent.file!));
    expect(mail.attachments.map((a) => a.filename)).toEqual(['jalan.jpg']);
    expect(mail.text).toContain('Lampiran tidak ditemukan di penyimpanan Aduan dan tidak ikut terkirim: surat.pdf');
    expect(mail.html).toContain('tidak ikut terkirim: surat.pdf');
    sender.close();
  });

  it('an address that is not one plain mailbox (recorded before intake refused them) is refused for good, nothing sent; a named inbox still goes', async () => {
    const config = testConfig({ mail: { transport: 'file', from: 'Aduan <aduan@dprd.test>', file: { dir: path.join(dir, 'mail-odd') } } });
    mkdirSync(path.join(dir, 'mail-odd'), { recursive: true });
    const sender = createMailSender(config, new Storage(path.join(dir, 'storage')));
    const mail = (to: string[], replyTo?: string) => ({
      to, subject: '[ADU-2026-000002] Aduan Anda', text: 'Yth. Bapak/Ibu', messageId: `<ADU-2026-000002.ack-${to.length}${replyTo ? 'r' : ''}@dprd.test>`, headers: {}, attachments: [], ...(replyTo ? { replyTo } : {}),
    });
    // nodemailer reads these as other addresses: korban@lain.example, or a list
    for (const to of ['budi\\,korban@lain.example', '"budi,korban"@lain.example', 'a@b.example, korban@lain.example']) {
      const err = await sender.send(mail([to])).then(() => undefined, (e: unknown) => e);
      expect(err, to).toBeInstanceOf(Error);
      expect(isPermanentSmtpError(err)).toBe(true);
      expect((err as Error).message).toContain('not one plain address');
    }
    await expect(sender.send(mail(['warga@contoh.example'], 'x\\,korban@lain.example'))).rejects.toThrow('not one plain address');
    expect(readdirSync(path.join(dir, 'mail-odd'), { withFileTypes: true }).length).toBe(0);
    // a division's inbox written with its name in the YAML is one address
    const sent = await sender.send(mail(['Komisi C <komisi-c@dprd.test>', 'budi+aduan@contoh.example']));
    const parsed = await simpleParser(readFileSync(sent.file!));
    expect((Array.isArray(parsed.to) ? parsed.to : [parsed.to]).flatMap((a) => a!.value.map((v) => v.address))).toEqual(['komisi-c@dprd.test', 'budi+aduan@contoh.example']);
    sender.close();
  });
});
