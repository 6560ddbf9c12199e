import { readFile, stat } from 'node:fs/promises';
import { TelegramError, type Telegram } from 'telegraf';
import type { ConnectorContext } from '../../core/connector.ts';
import type { AttachmentRef } from '../../core/message.ts';
import { classify, withRetry } from './telegram.api.ts';
import { formatMb, type TelegramFileRef } from './telegram.normalize.ts';

export interface FetchOptions {
  maxBytes: number;
  allowedTypes: readonly string[];
  signal?: AbortSignal;
  /**
   * Failed fetch rounds per file_id, kept by the caller across retries of the update. After
   * `maxRounds` the file is withheld instead of holding up every later update of the bot.
   */
  failures?: Map<string, number>;
  maxRounds?: number;
}

/**
 * Fetch the message's files eagerly (a file_id link expires, and a photo over 20 MB can never be
 * fetched from the cloud Bot API) into content-addressed storage. A file that cannot be taken is
 * recorded as withheld with the reason, so the case still shows that the citizen sent it.
 */
export async function fetchFiles(api: Telegram, ctx: Pick<ConnectorContext, 'storage' | 'logger'>, files: readonly TelegramFileRef[], opts: FetchOptions): Promise<AttachmentRef[]> {
  const out: AttachmentRef[] = [];
  for (const f of files) {
    const base = { filename: f.filename, contentType: f.contentType, size: f.size ?? 0 };
    if (f.withheld) {
      out.push({ ...base, withheld: f.withheld });
      continue;
    }
    if (!opts.allowedTypes.some((t) => f.contentType.startsWith(t))) {
      // (the type is the sender's app's word, up to 255 characters: the reason must stay within 200)
      out.push({ ...base, withheld: `jenis berkas ${f.contentType.slice(0, 100)} tidak diterima` });
      continue;
    }
    try {
      const content = await withRetry(() => download(api, f, opts), { attempts: 3, ...(opts.signal ? { signal: opts.signal } : {}) });
      if (content === 'too-big') {
        out.push({ ...base, withheld: `terlalu besar (batas ${formatMb(opts.maxBytes)})` });
        continue;
      }
      opts.failures?.delete(f.fileId);
      out.push({ ...base, size: content.length, sha256: ctx.storage.put(content) });
    } catch (err) {
      const kind = classify(err).kind;
      // 4xx on getFile (file_id gone, file too big for the Bot API) will not heal; 5xx and network
      // errors are retried with the update, but only for a few rounds.
      const rounds = (opts.failures?.get(f.fileId) ?? 0) + 1;
      opts.failures?.set(f.fileId, rounds);
      if (kind === 'permanent' || kind === 'unauthorized' || rounds >= (opts.maxRounds ?? 5)) {
        opts.failures?.delete(f.fileId);
        ctx.logger.warn({ err, fileUniqueId: f.fileUniqueId }, 'telegram file could not be fetched');
        out.push({ ...base, withheld: /too big/i.test((err as Error).message) ? `terlalu besar (batas ${formatMb(opts.maxBytes)})` : 'gagal diunduh' });
        continue;
      }
      throw err;
    }
  }
  return out;
}

class DownloadError extends Error {
  override readonly name = 'DownloadError';
}

async function download(api: Telegram, f: TelegramFileRef, opts: FetchOptions): Promise<Buffer | 'too-big'> {
  const file = await api.getFile(f.fileId);
  if (file.file_size !== undefined && file.file_size > opts.maxBytes) return 'too-big';
  const url = await api.getFileLink(file);
  if (url.protocol === 'file:') {
    // Local Bot API server (--local): file_path is a path on this machine.
    if ((await stat(url)).size > opts.maxBytes) return 'too-big';
    return readFile(url);
  }
  const res = await fetch(url, opts.signal ? { signal: opts.signal } : {});
  if (!res.ok || !res.body) {
    // Surface 5xx as transient for withRetry, 4xx as a permanent failure.
    throw new TelegramError({ error_code: res.status, description: `file download: HTTP ${res.status}` });
  }
  const declared = Number(res.headers.get('content-length') ?? '0');
  if (declared > opts.maxBytes) {
    await res.body.cancel();
    return 'too-big';
  }
  const chunks: Buffer[] = [];
  let total = 0;
  for await (const chunk of res.body) {
    total += (chunk as Uint8Array).length;
    if (total > opts.maxBytes) return 'too-big';
    chunks.push(Buffer.from(chunk as Uint8Array));
  }
  if (total === 0 && (f.size ?? 0) > 0) throw new DownloadError('empty download');
  return Buffer.concat(chunks);
}
