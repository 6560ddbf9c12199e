import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Telegram } from 'telegraf';
import { afterAll, afterEach, describe, expect, it, vi } from 'vitest';
import { fetchFiles, fileDeadlineMs } from '../../connectors/telegram/telegram.files.ts';
import type { TelegramFileRef } from '../../connectors/telegram/telegram.normalize.ts';

const MB = 1024 * 1024;

describe('telegram file deadline', () => {
  it('is 30 s plus 1 s per 128 KiB of the file Telegram announced, of the size limit when it gave no size', () => {
    // a stalled 200 KB photo no longer holds the poll round as long as a 20 MB file would
    expect(fileDeadlineMs(20 * MB, 200 * 1024)).toBe(32_000);
    expect(fileDeadlineMs(20 * MB, 5 * MB)).toBe(70_000);
    expect(fileDeadlineMs(20 * MB)).toBe(190_000);
    expect(fileDeadlineMs(20 * MB, 0)).toBe(190_000);
    // (a size over the limit never makes the deadline longer than the limit's)
    expect(fileDeadlineMs(10 * MB, 20 * MB)).toBe(110_000);
  });

  describe('fetchFiles', () => {
    const dir = mkdtempSync(join(tmpdir(), 'aduan-tgfiles-'));
    afterEach(() => {
      vi.restoreAllMocks();
    });
    afterAll(() => rmSync(dir, { recursive: true, force: true }));

    it('gives each file the deadline of its own size (a local Bot API file, no network)', async () => {
      const path = join(dir, 'photo.jpg');
      writeFileSync(path, Buffer.alloc(200 * 1024, 1));
      const api = {
        callApi: (_method: string, payload: { file_id: string }) => Promise.resolve({ file_id: payload.file_id, file_unique_id: 'u', file_path: path, file_size: 200 * 1024 }),
        getFileLink: () => Promise.resolve(pathToFileURL(path)),
      } as unknown as Telegram;
      const ctx = { storage: { put: () => 'a'.repeat(64) }, logger: { warn: () => undefined } } as never;
      const deadlines: number[] = [];
      const timeout = AbortSignal.timeout.bind(AbortSignal);
      vi.spyOn(AbortSignal, 'timeout').mockImplementation((ms: number) => {
        deadlines.push(ms);
        return timeout(ms);
      });
      const files: TelegramFileRef[] = [
        { fileId: 'photo', filename: 'photo.jpg', contentType: 'image/jpeg', size: 200 * 1024 },
        { fileId: 'unsized', filename: 'doc.jpg', contentType: 'image/jpeg' },
      ];
      const out = await fetchFiles(api, ctx, files, { maxBytes: 20 * MB, allowedTypes: ['image/'] });
      expect(out.map((a) => a.withheld)).toEqual([undefined, undefined]);
      expect(deadlines).toEqual([32_000, 190_000]);
      // (downloadTimeoutSeconds, when set, is the deadline of every file)
      deadlines.length = 0;
      await fetchFiles(api, ctx, files, { maxBytes: 20 * MB, allowedTypes: ['image/'], deadlineMs: 5_000 });
      expect(deadlines).toEqual([5_000, 5_000]);
    });

    it('keeps a file whose type the app wrote in capitals or with parameters; withholds a refused type with the e-mail channel\'s Indonesian reason', async () => {
      const path = join(dir, 'dokumen.bin');
      writeFileSync(path, Buffer.alloc(1024, 2));
      const api = {
        callApi: (_method: string, payload: { file_id: string }) => Promise.resolve({ file_id: payload.file_id, file_unique_id: 'u', file_path: path, file_size: 1024 }),
        getFileLink: () => Promise.resolve(pathToFileURL(path)),
      } as unknown as Telegram;
      const ctx = { storage: { put: () => 'a'.repeat(64) }, logger: { warn: () => undefined } } as never;
      const files: TelegramFileRef[] = [
        { fileId: 'upper', filename: 'FOTO.JPG', contentType: 'IMAGE/JPEG', size: 1024 },
        { fileId: 'param', filename: 'foto.jpg', contentType: 'image/jpeg; charset=binary', size: 1024 },
        { fileId: 'pdf', filename: 'surat.pdf', contentType: 'Application/PDF', size: 1024 },
        { fileId: 'exe', filename: 'hadiah.exe', contentType: 'Application/X-MSDownload; x=1', size: 1024 },
      ];
      const out = await fetchFiles(api, ctx, files, { maxBytes: 20 * MB, allowedTypes: ['image/', 'application/pdf'] });
      expect(out.map((a) => a.withheld)).toEqual([undefined, undefined, undefined, 'jenis berkas tidak diizinkan (application/x-msdownload)']);
      expect(out.map((a) => a.sha256 !== undefined)).toEqual([true, true, true, false]);
      // (the division's mail names the type as the other channels do: lower case, no parameters)
      expect(out.map((a) => a.contentType)).toEqual(['image/jpeg', 'image/jpeg', 'application/pdf', 'application/x-msdownload']);
    });
  });
});
