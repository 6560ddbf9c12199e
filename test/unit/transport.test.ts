import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { simpleParser } from 'mailparser';
import { createMailSender } from '../../core/mail/transport.ts';
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
});
