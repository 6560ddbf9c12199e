import { readFile, stat } from 'node:fs/promises';
import { TelegramError, type Telegram } from 'telegraf';
import type { ConnectorContext } from '../../core/connector.ts';
import { allowedType, mediaType, withheldSize, withheldType } from '../../core/file-types.ts';
import type { AttachmentRef } from '../../core/message.ts';
import { classify, withRetry } from './telegram.api.ts';
import type { TelegramFileRef } from './telegram.normalize.ts';

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
  /** Deadline of one file (getFile + download, retries included) in ms; default fileDeadlineMs(maxBytes, the file's size). */
  deadlineMs?: number;
}

/**
 * Default deadline of one file: 30 s plus 1 s per 128 KiB of its size as Telegram gives it in the update
 * (about 1 Mbit/s: 32 s for a 200 KB photo), or of the size limit when Telegram gives none (190 s at 20 MB).
 * Before, a stalled download waited for Node's own 300 s per attempt (telegraf's 500 s on getFile), three
 * attempts, and held up every later update of the bot meanwhile; and a stalled photo of 200 KB held the
 * round as long as a file of 20 MB.
 */
export const fileDeadlineMs = (maxBytes: number, size?: number): number =>
  30_000 + Math.ceil(Math.min(size !== undefined && size > 0 ? size : maxBytes, maxBytes) / (128 * 1024)) * 1_000;

type TelegrafSignal = NonNullable<NonNullable<Parameters<Telegram['callApi']>[2]>['signal']>;

class DeadlineError extends Error {
  override readonly name = 'DeadlineError';
}

/**
 * Fetch the message's files eagerly (a file_id link expires, and a photo over 20 MB can never be
 * fetched from the cloud Bot API) into content-addressed storage. A file that cannot be taken is
 * recorded as withheld with the reason, so the case still shows that the citizen sent it.
 */
export async function fetchFiles(api: Telegram, ctx: Pick<ConnectorContext, 'storage' | 'logger'>, files: readonly TelegramFileRef[], opts: FetchOptions): Promise<AttachmentRef[]> {
  const out: AttachmentRef[] = [];
  for (const f of files) {
    // (the type is the sender's app's word, in any case, maybe with parameters: checked and named as on every channel)
    const base = { filename: f.filename, contentType: mediaType(f.contentType), size: f.size ?? 0 };
    if (f.withheld) {
      out.push({ ...base, withheld: f.withheld });
      continue;
    }
    if (!allowedType(base.contentType, opts.allowedTypes)) {
      out.push({ ...base, withheld: withheldType(base.contentType) });
      continue;
    }
    const deadlineMs = opts.deadlineMs ?? fileDeadlineMs(opts.maxBytes, f.size);
    const deadline = AbortSignal.timeout(deadlineMs);
    const signal = opts.signal ? AbortSignal.any([opts.signal, deadline]) : deadline;
    try {
      let content: Buffer | 'too-big';
      try {
        content = await withRetry(() => download(api, f, signal, opts.maxBytes), { attempts: 3, signal });
      } catch (err) {
        // (a transient failure: retried with the update, withheld after maxRounds as for a 5xx)
        if (deadline.aborted && !opts.signal?.aborted) throw new DeadlineError(`telegram file not fetched within ${Math.round(deadlineMs / 1000)} s (getFile + download)`, { cause: err });
        throw err;
      }
      if (content === 'too-big') {
        out.push({ ...base, withheld: withheldSize(opts.maxBytes) });
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
        out.push({ ...base, withheld: /too big/i.test((err as Error).message) ? withheldSize(opts.maxBytes) : 'gagal diunduh' });
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

async function download(api: Telegram, f: TelegramFileRef, signal: AbortSignal, maxBytes: number): Promise<Buffer | 'too-big'> {
  // (telegraf types its signal as the abort-controller polyfill's; its node-fetch takes the native one)
  const file = await api.callApi('getFile', { file_id: f.fileId }, { signal: signal as unknown as TelegrafSignal });
  if (file.file_size !== undefined && file.file_size > maxBytes) return 'too-big';
  const url = await api.getFileLink(file);
  if (url.protocol === 'file:') {
    // Local Bot API server (--local): file_path is a path on this machine.
    if ((await stat(url)).size > maxBytes) return 'too-big';
    return readFile(url, { signal });
  }
  // (the signal also ends a body that stalls half-way)
  const res = await fetch(url, { signal });
  if (!res.ok || !res.body) {
    // Surface 5xx as transient for withRetry, 4xx as a permanent failure.
    throw new TelegramError({ error_code: res.status, description: `file download: HTTP ${res.status}` });
  }
  const declared = Number(res.headers.get('content-length') ?? '0');
  if (declared > maxBytes) {
    await res.body.cancel();
    return 'too-big';
  }
  const chunks: Buffer[] = [];
  let total = 0;
  for await (const chunk of res.body) {
    total += (chunk as Uint8Array).length;
    if (total > maxBytes) return 'too-big';
    chunks.push(Buffer.from(chunk as Uint8Array));
  }
  if (total === 0 && (f.size ?? 0) > 0) throw new DownloadError('empty download');
  return Buffer.concat(chunks);
}
