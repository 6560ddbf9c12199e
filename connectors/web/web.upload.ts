import { createHash, type Hash } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { AduanError } from '../../core/errors.ts';
import { allowedType, withheldType } from '../../core/file-types.ts';
import type { AttachmentRef } from '../../core/message.ts';
import type { Storage, StorageWriter } from '../../core/storage.ts';
import { MultipartError, MultipartParser, type PartInfo } from './web.multipart.ts';

/** The public form's photos: how many, how large, which types (from storage.*). */
export interface UploadLimits {
  /** Photos in one submission; one more refuses the submission. */
  maxFiles: number;
  /** Bytes of one photo (storage.maxAttachmentBytes); a larger one refuses the submission. */
  maxFileBytes: number;
  /** Bytes of all photos together. */
  maxTotalBytes: number;
  /** Bytes of all text fields together (as for a form without photos). */
  fieldBytes: number;
  /** Bytes of a refused body still read (and dropped) so the browser gets the answer page; then the connection is closed. */
  drainMaxBytes: number;
  /** storage.allowedTypes (prefix match), checked against the type the photo's first bytes show. */
  allowedTypes: readonly string[];
}

/** Why a form with photos was not taken: nothing is stored, the form comes back saying so. */
export type UploadRefusal =
  | { kind: 'too-many-files' }
  | { kind: 'file-too-large'; filename: string }
  | { kind: 'files-too-large' }
  | { kind: 'text-too-long' }
  | { kind: 'malformed'; detail: string }
  | { kind: 'encoding' }
  /** `beforeFiles` threw (the rate limit): its error. */
  | { kind: 'refused'; error: unknown };

/** A photo as sent. A withheld one (not an image by its bytes, a type not allowed) was never written. */
export interface ReceivedPhoto {
  filename: string;
  /** The type its first bytes show (image/jpeg …), else the type the browser claimed. */
  contentType: string;
  size: number;
  /** sha256 of the bytes as sent, also of a withheld file: a resend of the same form is the same submission. */
  digest: string;
  withheld?: string;
  /** The kept photo's bytes, in storage's incoming folder until committed. */
  writer?: StorageWriter;
}

export interface UploadResult {
  /** Text fields, as sent (the last of a name twice). */
  fields: Record<string, string>;
  /** The field being read when the text fields went over `fieldBytes` (its value kept up to there). */
  cutField?: string;
  photos: ReceivedPhoto[];
  refusal?: UploadRefusal;
  /** False when reading stopped before the body's end (answer with Connection: close). */
  drained: boolean;
}

/** The image formats phones take photos in, by their first bytes. */
export function sniffImage(head: Buffer): string | undefined {
  if (head.length >= 3 && head[0] === 0xff && head[1] === 0xd8 && head[2] === 0xff) return 'image/jpeg';
  if (head.length >= 8 && head.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]))) return 'image/png';
  if (head.length >= 12 && head.toString('latin1', 0, 4) === 'RIFF' && head.toString('latin1', 8, 12) === 'WEBP') return 'image/webp';
  if (head.length >= 12 && head.toString('latin1', 4, 8) === 'ftyp') {
    const brand = head.toString('latin1', 8, 12);
    if (/^he(ic|ix|vc|vx|im|is|vm|vs)$/.test(brand)) return 'image/heic';
    if (brand === 'mif1' || brand === 'msf1') return 'image/heif';
  }
  return undefined;
}

/** Why a photo was withheld, as the division's mail and the citizen's e-mail say it (the receipt page words them for the citizen). */
export const WITHHELD_EMPTY = 'berkas kosong';
export const WITHHELD_NOT_IMAGE = 'bukan foto: isinya bukan gambar JPEG, PNG, WebP atau HEIC, tidak disimpan';

/** Bytes needed to tell the formats apart. */
const SNIFF_BYTES = 12;

/**
 * Whether a photo is kept, by its first bytes (whatever its name or the type the sender claimed): the
 * type they show, or why it is withheld (empty, no image, a type storage.allowedTypes leaves out). The
 * one check for the form's photos and the API's.
 */
export function photoVerdict(head: Buffer, allowedTypes: readonly string[]): { type?: string; withheld?: string } {
  const type = sniffImage(head);
  if (head.length === 0) return { withheld: WITHHELD_EMPTY };
  if (type === undefined) return { withheld: WITHHELD_NOT_IMAGE };
  if (!allowedType(type, allowedTypes)) return { type, withheld: withheldType(type) };
  return { type };
}

/**
 * The count and size limits of one submission's photos, as they arrive: the refusal of the photo that
 * goes over one, else undefined. The one count for the form's photos and the API's.
 */
export class PhotoBudget {
  private files = 0;
  private bytes = 0;
  constructor(private readonly limits: Pick<UploadLimits, 'maxFiles' | 'maxFileBytes' | 'maxTotalBytes'>) {}
  /** One more photo begins. */
  file(): UploadRefusal | undefined {
    return ++this.files > this.limits.maxFiles ? { kind: 'too-many-files' } : undefined;
  }
  /** `n` more bytes of `photo` (its size counted already). */
  add(photo: Pick<ReceivedPhoto, 'filename' | 'size'>, n: number): UploadRefusal | undefined {
    this.bytes += n;
    if (photo.size > this.limits.maxFileBytes) return { kind: 'file-too-large', filename: photo.filename };
    if (this.bytes > this.limits.maxTotalBytes) return { kind: 'files-too-large' };
    return undefined;
  }
  get count(): number {
    return this.files;
  }
}

/**
 * The type a sender claimed for a file (a form part's Content-Type, the API's `contentType`), as a MIME
 * type `type/subtype` in lower case without parameters; anything else (a 300-character string, spaces,
 * quotes) is application/octet-stream. It stays the file's type only when its bytes show none (a withheld
 * file): it is answered to the website, kept with the message (at most 255 characters: a longer one failed
 * the message's check after the kept photos were stored — the report refused 400 MESSAGE.INVALID, its photos
 * left in storage with no message naming them) and printed in the division's mail.
 */
export function claimedType(type: string | undefined): string {
  const t = (type ?? '').split(';')[0]!.trim().toLowerCase();
  return /^[a-z0-9][a-z0-9!#$&^_.+-]{0,63}\/[a-z0-9][a-z0-9!#$&^_.+-]{0,63}$/.test(t) ? t : 'application/octet-stream';
}

/** The message's attachments: a kept photo stored (content-addressed) only now, a withheld one with why. */
export function attachmentsOf(photos: readonly ReceivedPhoto[]): AttachmentRef[] {
  return photos.map((p) => ({ filename: p.filename, contentType: p.contentType, size: p.size, ...(p.writer !== undefined ? { sha256: p.writer.commit() } : { withheld: p.withheld ?? 'tidak disimpan' }) }));
}
/** Part headers, boundaries and the like, beyond the fields and photos. */
const OVERHEAD_BYTES = 64 * 1024;

type Current =
  | { kind: 'field'; name: string; chunks: Buffer[] }
  | { kind: 'file'; info: PartInfo; photo?: ReceivedPhoto; head: Buffer[]; headBytes: number; hash: Hash }
  | { kind: 'none' };

/**
 * Read the form's multipart body as it arrives: text fields kept (at most `fieldBytes`), each photo
 * checked by its first bytes and written to storage's incoming folder (never held whole in memory),
 * a non-image hashed and dropped (withheld, with the reason). Over a limit, the submission is refused:
 * what was written is discarded and the rest of the body read and dropped, up to `drainMaxBytes`.
 * `beforeFiles` runs before the first photo is written (the rate limit: a refused client writes nothing).
 * Rejects (type 'request.aborted') when the client goes away; nothing is left in storage then.
 */
export function readUpload(req: IncomingMessage, boundary: string, limits: UploadLimits, storage: Storage, beforeFiles: () => void): Promise<UploadResult> {
  return new Promise((resolve, reject) => {
    const fields: Record<string, string> = {};
    const photos: ReceivedPhoto[] = [];
    let cutField: string | undefined;
    let refusal: UploadRefusal | undefined;
    let fieldBytes = 0;
    const budget = new PhotoBudget(limits);
    let seen = 0;
    let current: Current = { kind: 'none' };
    let settled = false;
    const hardMax = limits.fieldBytes + limits.maxTotalBytes + OVERHEAD_BYTES;

    const discardAll = (): void => {
      for (const p of photos) p.writer?.discard();
      if (current.kind === 'file') current.photo?.writer?.discard();
    };
    const refuse = (r: UploadRefusal): void => {
      if (refusal !== undefined) return;
      refusal = r;
      discardAll();
    };
    const decode = (chunks: Buffer[]): string | undefined => {
      try {
        return new TextDecoder('utf-8', { fatal: true }).decode(Buffer.concat(chunks));
      } catch {
        return undefined;
      }
    };

    /** The photo of the current file part: counted (and the limit checked) once it is known to be one. */
    const open = (c: Extract<Current, { kind: 'file' }>): ReceivedPhoto | undefined => {
      if (c.photo !== undefined) return c.photo;
      const over = budget.file();
      if (over !== undefined) {
        refuse(over);
        return undefined;
      }
      if (budget.count === 1) {
        try {
          beforeFiles();
        } catch (error) {
          refuse({ kind: 'refused', error });
          return undefined;
        }
      }
      c.photo = { filename: fileName(c.info.filename), contentType: claimedType(c.info.contentType), size: 0, digest: '' };
      return c.photo;
    };
    /** Enough of the photo's start is there (or it ended): keep it, or withhold it with the reason. */
    const decide = (c: Extract<Current, { kind: 'file' }>, photo: ReceivedPhoto): void => {
      const head = Buffer.concat(c.head);
      c.head = [];
      const { type, withheld } = photoVerdict(head, limits.allowedTypes);
      if (withheld !== undefined) photo.withheld = withheld;
      if (type !== undefined) photo.contentType = type;
      if (photo.withheld === undefined) {
        photo.writer = storage.begin();
        photo.writer.write(head);
      }
    };

    const parser = new MultipartParser(boundary, {
      part(info) {
        current = info.filename !== undefined
          ? { kind: 'file', info, head: [], headBytes: 0, hash: createHash('sha256') }
          : { kind: 'field', name: info.name, chunks: [] };
      },
      data(chunk) {
        if (refusal !== undefined) return;
        const c = current;
        if (c.kind === 'field') {
          const room = limits.fieldBytes - fieldBytes;
          if (chunk.length > room) {
            c.chunks.push(Buffer.from(chunk.subarray(0, Math.max(0, room))));
            fieldBytes = limits.fieldBytes;
            cutField = c.name;
            // (the start of what was typed goes back into the form, asking to shorten it)
            fields[c.name] = (decode(c.chunks) ?? Buffer.concat(c.chunks).toString('utf8')).replace(/\uFFFD+$/, '');
            refuse({ kind: 'text-too-long' });
            return;
          }
          fieldBytes += chunk.length;
          c.chunks.push(Buffer.from(chunk));
          return;
        }
        if (c.kind !== 'file') return;
        const photo = open(c);
        if (photo === undefined) return;
        photo.size += chunk.length;
        const over = budget.add(photo, chunk.length);
        if (over !== undefined) return refuse(over);
        c.hash.update(chunk);
        if (photo.writer === undefined && photo.withheld === undefined) {
          c.head.push(Buffer.from(chunk));
          c.headBytes += chunk.length;
          if (c.headBytes >= SNIFF_BYTES) decide(c, photo);
          return;
        }
        photo.writer?.write(chunk);
      },
      partEnd() {
        const c = current;
        current = { kind: 'none' };
        if (refusal !== undefined) return;
        if (c.kind === 'field') {
          const text = decode(c.chunks);
          if (text === undefined) return refuse({ kind: 'encoding' });
          fields[c.name] = text;
          return;
        }
        if (c.kind !== 'file') return;
        // (a file input left empty: an empty part without a name)
        if (c.photo === undefined && (c.info.filename ?? '') === '') return;
        const photo = open(c);
        if (photo === undefined) return;
        if (photo.writer === undefined && photo.withheld === undefined) decide(c, photo);
        photo.digest = c.hash.digest('hex');
        photos.push(photo);
      },
    });

    const finish = (drained: boolean): void => {
      if (settled) return;
      settled = true;
      detach();
      if (refusal !== undefined) discardAll();
      resolve({ fields, photos: refusal === undefined ? photos : [], drained, ...(cutField !== undefined ? { cutField } : {}), ...(refusal !== undefined ? { refusal } : {}) });
    };
    const fail = (err: Error): void => {
      if (settled) return;
      settled = true;
      detach();
      discardAll();
      reject(Object.assign(err, { type: 'request.aborted' }));
    };
    const onData = (chunk: Buffer): void => {
      if (settled) return;
      seen += chunk.length;
      if (refusal === undefined && seen > hardMax) refuse({ kind: 'files-too-large' });
      if (refusal !== undefined) {
        // refused: the rest is only read (so the browser, still sending, gets the page), then cut off
        if (seen > limits.drainMaxBytes) {
          req.pause();
          finish(false);
        }
        return;
      }
      try {
        parser.write(chunk);
      } catch (err) {
        if (err instanceof MultipartError) refuse({ kind: 'malformed', detail: err.message });
        else refuse({ kind: 'refused', error: err }); // (storage could not write: disk full)
      }
    };
    const onEnd = (): void => {
      if (refusal === undefined) {
        try {
          parser.end();
        } catch (err) {
          refuse({ kind: 'malformed', detail: (err as Error).message });
        }
      }
      finish(true);
    };
    const onError = (err: Error): void => fail(err);
    const onAborted = (): void => fail(new Error('request aborted'));
    const detach = (): void => {
      req.off('data', onData);
      req.off('end', onEnd);
      req.off('error', onError);
      req.off('aborted', onAborted);
    };
    req.on('data', onData);
    req.on('end', onEnd);
    req.on('error', onError);
    req.on('aborted', onAborted);
  });
}

/** How a photo of POST /v1/messages is sent: `{ filename?, contentType?, contentBase64 }` in the JSON's `attachments`. */
export interface ApiPhoto {
  filename?: string;
  contentType?: string;
  contentBase64: string;
}

/** Bytes of a JSON body holding `bytes` of photos as base64 (four characters for three bytes; "\/" for each "/", as PHP's json_encode writes it). */
export const base64JsonBytes = (bytes: number): number => Math.ceil(bytes / 3) * 4 * 65 / 64;

/**
 * The photos of a POST /v1/messages (`attachments` of its JSON), through the form's checks: at most
 * `maxFiles`, each at most `maxFileBytes` and `maxTotalBytes` together (else the request is refused,
 * nothing kept: INPUT.INVALID, INPUT.ATTACHMENT_TOO_LARGE), each told by its first bytes (photoVerdict)
 * and a kept one written to storage's incoming folder (Storage.begin(), committed with the message:
 * attachmentsOf), a withheld one never written. Throws AduanError for what a website must fix.
 */
export function readApiPhotos(value: unknown, limits: UploadLimits, storage: Storage): ReceivedPhoto[] {
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value)) throw new AduanError('INPUT.INVALID', { field: 'attachments', detail: 'must be a JSON array of { filename, contentType, contentBase64 }' });
  const budget = new PhotoBudget(limits);
  const read: { photo: ReceivedPhoto; bytes: Buffer }[] = [];
  value.forEach((item: unknown, i) => {
    const field = `attachments[${i}]`;
    if (item === null || typeof item !== 'object' || Array.isArray(item)) throw new AduanError('INPUT.INVALID', { field, detail: 'must be an object { filename, contentType, contentBase64 }' });
    const { filename, contentType, contentBase64 } = item as Record<string, unknown>;
    if (filename !== undefined && filename !== null && typeof filename !== 'string') throw new AduanError('INPUT.INVALID', { field: `${field}.filename`, detail: 'must be a string' });
    if (contentType !== undefined && contentType !== null && typeof contentType !== 'string') throw new AduanError('INPUT.INVALID', { field: `${field}.contentType`, detail: 'must be a string' });
    const bytes = typeof contentBase64 === 'string' ? base64Bytes(contentBase64) : undefined;
    if (bytes === undefined) throw new AduanError('INPUT.INVALID', { field: `${field}.contentBase64`, detail: 'must be the file\'s bytes as base64 (a data: URL\'s base64 too)' });
    if (budget.file() !== undefined) throw new AduanError('INPUT.INVALID', { field: 'attachments', detail: `at most ${limits.maxFiles} photos with one report (${value.length} sent)` });
    const photo: ReceivedPhoto = { filename: fileName(filename ?? undefined), contentType: claimedType(contentType ?? undefined), size: bytes.length, digest: createHash('sha256').update(bytes).digest('hex') };
    const over = budget.add(photo, bytes.length);
    if (over?.kind === 'file-too-large') throw new AduanError('INPUT.ATTACHMENT_TOO_LARGE', { field, detail: `"${photo.filename}" is ${bytes.length} bytes, over ${limits.maxFileBytes} bytes a photo (storage.maxAttachmentBytes)` });
    if (over !== undefined) throw new AduanError('INPUT.ATTACHMENT_TOO_LARGE', { field: 'attachments', detail: `the photos are over ${limits.maxTotalBytes} bytes together` });
    read.push({ photo, bytes });
  });
  const photos: ReceivedPhoto[] = [];
  try {
    for (const { photo, bytes } of read) {
      const { type, withheld } = photoVerdict(bytes.subarray(0, SNIFF_BYTES), limits.allowedTypes);
      if (type !== undefined) photo.contentType = type;
      if (withheld !== undefined) photo.withheld = withheld;
      photos.push(photo);
      if (withheld === undefined) {
        photo.writer = storage.begin();
        photo.writer.write(bytes);
      }
    }
  } catch (err) {
    // (storage could not write: disk full) nothing is left behind
    for (const p of photos) p.writer?.discard();
    throw err;
  }
  return photos;
}

/** The bytes of base64 (standard or URL-safe, line breaks allowed, a `data:…;base64,` prefix too); undefined when it is none. */
function base64Bytes(text: string): Buffer | undefined {
  const data = /^data:[^,]{0,200};base64,/i.exec(text);
  const b64 = (data ? text.slice(data[0].length) : text).replace(/[\r\n\t ]/g, '');
  if (!/^[A-Za-z0-9+/_-]*={0,2}$/.test(b64) || b64.replace(/=+$/, '').length % 4 === 1) return undefined;
  return Buffer.from(b64, 'base64');
}

/** The photo's name as the browser sent it, at most 255 characters (the message contract's limit); 'foto' when none. */
export function fileName(name: string | undefined): string {
  const n = (name ?? '').trim();
  if (n === '') return 'foto';
  return Array.from(n).slice(0, 200).join('').slice(0, 255).replace(/[\uD800-\uDBFF]$/, '');
}
