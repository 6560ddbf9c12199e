import { allowedType, extensionOfType, isGenericType, mediaType, withheldSize, withheldType } from '../../core/file-types.ts';
import type { AttachmentRef } from '../../core/message.ts';
import type { Storage } from '../../core/storage.ts';

export interface MediaLimits {
  /** Largest single item in bytes. */
  maxBytes: number;
  /** Largest sum over all items (Twilio caps a message at 5 MB). */
  maxTotalBytes: number;
  /** storage.allowedTypes (core/file-types.ts allowedType: a prefix, any case). */
  allowedTypes: readonly string[];
  timeoutMs: number;
}

/** Read a response body up to `max` bytes; null when it is larger. */
async function readCapped(res: globalThis.Response, max: number): Promise<Buffer | null> {
  const declared = Number(res.headers.get('content-length') ?? 'NaN');
  if (Number.isFinite(declared) && declared > max) {
    await res.body?.cancel().catch(() => undefined);
    return null;
  }
  if (!res.body) return Buffer.alloc(0);
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of res.body as AsyncIterable<Uint8Array>) {
    size += chunk.byteLength;
    if (size > max) return null;
    chunks.push(Buffer.from(chunk));
  }
  return Buffer.concat(chunks);
}

/**
 * Download Twilio media with basic auth (Account SID + auth token) into storage, within limits.
 * Items that are too big, of a refused type (as the webhook's MediaContentType or the media's response gives it)
 * or fail to download are recorded as withheld.
 */
export async function downloadTwilioMedia(
  items: readonly { url: string; contentType: string; index: number }[],
  auth: { username: string; password: string },
  limits: MediaLimits,
  storage: Storage,
): Promise<{ attachments: AttachmentRef[]; failed: string[] }> {
  const attachments: AttachmentRef[] = [];
  const failed: string[] = [];
  let total = 0;
  const basic = `Basic ${Buffer.from(`${auth.username}:${auth.password}`).toString('base64')}`;
  for (const item of items) {
    // (Twilio's word for the type, in any case, maybe with parameters: checked and named as on every channel)
    const declared = mediaType(item.contentType).slice(0, 255);
    const ext = extensionOfType(declared);
    const filename = `media-${item.index}${ext === '' ? '' : `.${ext}`}`;
    const base = { filename, contentType: declared, size: 0 };
    if (!allowedType(declared, limits.allowedTypes)) {
      attachments.push({ ...base, withheld: withheldType(declared) });
      continue;
    }
    try {
      // redirects go to Twilio's CDN; fetch drops the Authorization header on cross-origin redirects
      const res = await fetch(item.url, { headers: { authorization: basic }, redirect: 'follow', signal: AbortSignal.timeout(limits.timeoutMs) });
      if (!res.ok) {
        await res.body?.cancel().catch(() => undefined);
        failed.push(item.url);
        attachments.push({ ...base, withheld: `gagal diunduh (HTTP ${res.status})` });
        continue;
      }
      // The type recorded is the one the media's response gives, which may differ from the webhook's
      // MediaContentType: checked as well, before the body is read (withheld under the type it would be kept as).
      // (a server's generic application/octet-stream says less than Twilio's own word for the item: that one stays)
      const served = res.headers.get('content-type');
      const type = mediaType(served === null || served === '' || isGenericType(served) ? declared : served).slice(0, 255);
      if (!allowedType(type, limits.allowedTypes)) {
        await res.body?.cancel().catch(() => undefined);
        attachments.push({ ...base, contentType: type, withheld: withheldType(type) });
        continue;
      }
      const cap = Math.min(limits.maxBytes, limits.maxTotalBytes - total);
      const buf = await readCapped(res, Math.max(cap, 0));
      if (buf === null) {
        attachments.push({ ...base, withheld: cap < limits.maxBytes ? `${withheldSize(limits.maxTotalBytes)} untuk semua lampiran satu pesan` : withheldSize(limits.maxBytes) });
        continue;
      }
      total += buf.length;
      attachments.push({ filename, contentType: type, size: buf.length, sha256: storage.put(buf) });
    } catch (err) {
      failed.push(item.url);
      // (the item's URL is kept in the message's meta, mediaFailed)
      attachments.push({ ...base, withheld: (err as Error).name === 'TimeoutError' ? 'gagal diunduh (waktu habis)' : 'gagal diunduh' });
    }
  }
  return { attachments, failed };
}
