/**
 * Which files the gateway keeps: storage.allowedTypes, applied the same way to every way a file comes in.
 */
import path from 'node:path';
// (the table alone: all of libmime would load its charset tables into every process that checks a type)
import { extensions, list } from 'libmime/lib/mimetypes.js';

/**
 * The content type a file's name says, by its extension, from the table nodemailer and mail clients
 * use (libmime: `.docx`, `.heic`, `.tif`, `.webp`, `.pdf` …); application/octet-stream for a name
 * without an extension or with one nobody knows.
 */
export function typeOfFileName(filename: string): string {
  const ext = path.extname(filename).slice(1).toLowerCase();
  const types = ext !== '' && Object.hasOwn(extensions, ext) ? extensions[ext]! : 'application/octet-stream';
  // (several types for one extension: the one named like it, else the first, as libmime.detectMimeType chooses)
  return typeof types === 'string' ? types : (types.find((t) => t.split('/')[1] === ext) ?? types[0] ?? 'application/octet-stream');
}

/**
 * A content type as a sender's app or provider wrote it (`IMAGE/JPEG`, `image/jpeg; charset=binary`), as the
 * gateway records and names it: lower case, without parameters; application/octet-stream when nothing is left.
 */
export function mediaType(contentType: string): string {
  return contentType.split(';')[0]!.trim().toLowerCase() || 'application/octet-stream';
}

/** The extensions phones' files are known by, where the table's first choice is an odd one (audio/mpeg: "mpga"). */
const USUAL_EXTENSION: Readonly<Record<string, string>> = {
  'image/jpeg': 'jpg', 'audio/mpeg': 'mp3', 'video/mpeg': 'mpg', 'audio/ogg': 'ogg', 'audio/mp4': 'm4a', 'video/quicktime': 'mov',
  'video/3gpp': '3gp', 'audio/amr': 'amr', 'text/plain': 'txt', 'text/vcard': 'vcf', 'text/x-vcard': 'vcf',
};

/**
 * The extension (without the dot) a nameless file of this content type is named with (`IMAGE/JPEG` → jpg,
 * `video/mpeg` → mpg, `video/quicktime` → mov), from the same table as typeOfFileName; '' for a type nobody knows.
 */
export function extensionOfType(contentType: string): string {
  const type = mediaType(contentType);
  if (Object.hasOwn(USUAL_EXTENSION, type)) return USUAL_EXTENSION[type]!;
  const known = Object.hasOwn(list, type) ? list[type]! : undefined;
  if (known === undefined) return '';
  if (typeof known === 'string') return known;
  const sub = type.split('/')[1];
  return known.find((e) => e === sub) ?? known[0] ?? '';
}

/** A type that says nothing about the file (a server's default): the sender's own word for it is better. */
export const isGenericType = (contentType: string): boolean => ['application/octet-stream', 'binary/octet-stream', 'application/binary'].includes(mediaType(contentType));

/** Whether storage.allowedTypes accepts a content type: a prefix match in any case (`image/` accepts every image). */
export function allowedType(contentType: string, allowedTypes: readonly string[]): boolean {
  const type = contentType.toLowerCase();
  return allowedTypes.some((t) => type.startsWith(t.toLowerCase()));
}

/** Why a file of a type storage.allowedTypes leaves out is not kept, as the division's mail and the citizen read it. */
export const withheldType = (type: string): string => `jenis berkas tidak diizinkan (${type})`.slice(0, 200);

/** Why a file over storage.maxAttachmentBytes (`maxBytes`) is not kept, as the division's mail and the citizen read it. */
export const withheldSize = (maxBytes: number): string => `melebihi batas ukuran ${Math.round((maxBytes / (1024 * 1024)) * 10) / 10} MB`;
