/**
 * Twilio media against storage.allowedTypes: the same rule, and the same Indonesian reason, as the e-mail channel.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { downloadTwilioMedia } from '../../connectors/twilio/twilio.media.ts';
import type { Storage } from '../../core/storage.ts';
import { FakeProvider } from './fake-provider.ts';

describe('twilio media types', () => {
  let fake: FakeProvider;
  beforeAll(async () => {
    fake = await new FakeProvider().start();
  });
  afterAll(async () => {
    await fake.stop();
  });

  it('keeps media whose type Twilio gives in capitals or with parameters; withholds a refused type with the e-mail channel\'s Indonesian reason', async () => {
    const jpeg = Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0]), Buffer.alloc(100, 7)]);
    for (const n of [1, 2, 3, 4]) fake.media.set(`/Media/ME${n}`, { type: 'image/jpeg', body: jpeg });
    const storage = { put: () => 'a'.repeat(64) } as unknown as Storage;
    const items = [
      { url: `${fake.url}/Media/ME1`, contentType: 'IMAGE/JPEG', index: 0 },
      { url: `${fake.url}/Media/ME2`, contentType: 'image/jpeg; charset=binary', index: 1 },
      { url: `${fake.url}/Media/ME3`, contentType: 'Application/PDF', index: 2 },
      { url: `${fake.url}/Media/ME4`, contentType: 'Application/X-MSDownload; x=1', index: 3 },
    ];
    const { attachments, failed } = await downloadTwilioMedia(items, { username: 'AC1', password: 'tok' },
      { maxBytes: 1024 * 1024, maxTotalBytes: 5 * 1024 * 1024, allowedTypes: ['image/', 'application/pdf'], timeoutMs: 10_000 }, storage);
    expect(failed).toEqual([]);
    expect(attachments.map((a) => a.withheld)).toEqual([undefined, undefined, undefined, 'jenis berkas tidak diizinkan (application/x-msdownload)']);
    expect(attachments.map((a) => a.sha256 !== undefined)).toEqual([true, true, true, false]);
    // (the file name's extension is the type's, whatever its case)
    expect(attachments.map((a) => a.filename)).toEqual(['media-0.jpg', 'media-1.jpg', 'media-2.pdf', 'media-3.exe']);
    expect(attachments[3]!.contentType).toBe('application/x-msdownload');
    // the refused file is never fetched
    expect(fake.calls.map((c) => c.path)).not.toContain('/Media/ME4');
  });

  it('says in Indonesian, as the e-mail channel does, why an item is too big or was not fetched', async () => {
    const MB = 1024 * 1024;
    fake.media.set('/Media/big', { type: 'image/jpeg', body: Buffer.alloc(1.5 * MB, 1) });
    fake.media.set('/Media/a', { type: 'image/jpeg', body: Buffer.alloc(1.2 * MB, 2) });
    fake.media.set('/Media/b', { type: 'image/jpeg', body: Buffer.alloc(1.2 * MB, 3) });
    const storage = { put: () => 'a'.repeat(64) } as unknown as Storage;
    const items = ['big', 'a', 'b', 'gone'].map((p, index) => ({ url: `${fake.url}/Media/${p}`, contentType: 'image/jpeg', index }));
    const { attachments, failed } = await downloadTwilioMedia(items, { username: 'AC1', password: 'tok' },
      { maxBytes: 1.4 * MB, maxTotalBytes: 2 * MB, allowedTypes: ['image/'], timeoutMs: 10_000 }, storage);
    expect(attachments.map((a) => a.withheld)).toEqual([
      'melebihi batas ukuran 1.4 MB',
      undefined,
      'melebihi batas ukuran 2 MB untuk semua lampiran satu pesan',
      'gagal diunduh (HTTP 404)',
    ]);
    expect(failed).toEqual([`${fake.url}/Media/gone`]);
  });

  it('withholds an item whose type the media\'s response gives differently and storage.allowedTypes leaves out, without reading it', async () => {
    const exe = Buffer.concat([Buffer.from('MZ'), Buffer.alloc(100, 9)]);
    fake.media.set('/Media/disguised', { type: 'Application/X-MSDownload; x=1', body: exe });
    fake.media.set('/Media/png', { type: 'image/png', body: Buffer.alloc(100, 1) });
    const put: Buffer[] = [];
    const storage = { put: (b: Buffer) => (put.push(b), 'b'.repeat(64)) } as unknown as Storage;
    const items = [
      { url: `${fake.url}/Media/disguised`, contentType: 'image/jpeg', index: 0 },
      { url: `${fake.url}/Media/png`, contentType: 'image/jpeg', index: 1 },
    ];
    const { attachments, failed } = await downloadTwilioMedia(items, { username: 'AC1', password: 'tok' },
      { maxBytes: 1024 * 1024, maxTotalBytes: 5 * 1024 * 1024, allowedTypes: ['image/'], timeoutMs: 10_000 }, storage);
    expect(failed).toEqual([]);
    expect(attachments[0]).toEqual({ filename: 'media-0.jpg', contentType: 'application/x-msdownload', size: 0, withheld: 'jenis berkas tidak diizinkan (application/x-msdownload)' });
    // (a different type storage.allowedTypes accepts is kept, under the type the response gives)
    expect(attachments[1]).toMatchObject({ contentType: 'image/png', size: 100, sha256: 'b'.repeat(64) });
    expect(put).toHaveLength(1);
  });

  it('a response typed only application/octet-stream keeps the type Twilio gave the item (and its name)', async () => {
    fake.media.set('/Media/generic', { type: 'application/octet-stream', body: Buffer.alloc(100, 2) });
    const put: Buffer[] = [];
    const storage = { put: (b: Buffer) => (put.push(b), 'c'.repeat(64)) } as unknown as Storage;
    const { attachments } = await downloadTwilioMedia([{ url: `${fake.url}/Media/generic`, contentType: 'image/jpeg', index: 2 }], { username: 'AC1', password: 'tok' },
      { maxBytes: 1024 * 1024, maxTotalBytes: 5 * 1024 * 1024, allowedTypes: ['image/'], timeoutMs: 10_000 }, storage);
    expect(attachments).toEqual([{ filename: 'media-2.jpg', contentType: 'image/jpeg', size: 100, sha256: 'c'.repeat(64) }]);
    expect(put).toHaveLength(1);
  });
});
