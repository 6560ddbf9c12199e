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
  });
});
