/**
 * A small streaming multipart/form-data parser (RFC 7578) for the public form's photos: bytes are handed
 * on as they arrive, never the whole body held. (busboy, the usual one, is not among the dependencies.)
 * Fed synchronously with `write(chunk)`; `end()` once the body is complete.
 */

/** The form's body is not multipart/form-data as its header says (cut off, no boundary, too many parts). */
export class MultipartError extends Error {}

export interface PartInfo {
  /** The form field's name. */
  name: string;
  /** Present for a file part (possibly '' — a file input left empty). */
  filename?: string;
  /** The part's Content-Type, lower case, without parameters ('' when none was sent). */
  contentType: string;
}

export interface PartHandlers {
  part(info: PartInfo): void;
  /** A piece of the current part's content (a view into the chunk written: copy it to keep it past the call). */
  data(chunk: Buffer): void;
  partEnd(): void;
}

/** Bytes of one part's header block, of the preamble, and parts in one body: beyond them the body is refused. */
const HEADER_MAX_BYTES = 16 * 1024;
const PREAMBLE_MAX_BYTES = 16 * 1024;
const PARTS_MAX = 50;

/** The boundary of a `multipart/form-data; boundary=…` content type; undefined when it names none (or another type). */
export function multipartBoundary(contentType: string | undefined): string | undefined {
  const value = contentType ?? '';
  if (value.split(';')[0]!.trim().toLowerCase() !== 'multipart/form-data') return undefined;
  const m = /;\s*boundary\s*=\s*(?:"([^"]{1,70})"|([^\s;"]{1,70}))/i.exec(value);
  return m ? (m[1] ?? m[2]) : undefined;
}

export function isMultipart(contentType: string | undefined): boolean {
  return (contentType ?? '').split(';')[0]!.trim().toLowerCase() === 'multipart/form-data';
}

const CRLF = Buffer.from('\r\n');
const CRLFCRLF = Buffer.from('\r\n\r\n');

export class MultipartParser {
  private readonly delimiter: Buffer;
  // (the body read as if preceded by CRLF: the first boundary is then found like every other one)
  private pending: Buffer = Buffer.from('\r\n');
  private state: 'preamble' | 'after-delimiter' | 'headers' | 'body' | 'done' = 'preamble';
  private parts = 0;

  constructor(boundary: string, private readonly handlers: PartHandlers) {
    this.delimiter = Buffer.from(`\r\n--${boundary}`, 'latin1');
  }

  get finished(): boolean {
    return this.state === 'done';
  }

  write(chunk: Buffer): void {
    if (this.state === 'done') return; // (the epilogue: ignored)
    this.pending = this.pending.length === 0 ? chunk : Buffer.concat([this.pending, chunk]);
    for (;;) {
      const buf = this.pending;
      if (this.state === 'preamble') {
        const at = buf.indexOf(this.delimiter);
        if (at < 0) {
          if (buf.length > PREAMBLE_MAX_BYTES) throw new MultipartError('no boundary where the body should begin');
          return;
        }
        this.pending = buf.subarray(at + this.delimiter.length);
        this.state = 'after-delimiter';
      } else if (this.state === 'after-delimiter') {
        if (buf.length < 2) return;
        if (buf[0] === 0x2d && buf[1] === 0x2d) {
          // the closing delimiter "--boundary--": what follows is the epilogue
          this.state = 'done';
          this.pending = Buffer.alloc(0);
          return;
        }
        const eol = buf.indexOf(CRLF);
        if (eol < 0) {
          if (buf.length > 256) throw new MultipartError('a boundary line that does not end');
          return;
        }
        // (transport padding: blanks between the boundary and its line end)
        if (!/^[ \t]*$/.test(buf.toString('latin1', 0, eol))) throw new MultipartError('text after a boundary');
        if (++this.parts > PARTS_MAX) throw new MultipartError(`more than ${PARTS_MAX} parts`);
        this.pending = buf.subarray(eol + 2);
        this.state = 'headers';
      } else if (this.state === 'headers') {
        let headerText: string;
        if (buf.length >= 2 && buf[0] === 0x0d && buf[1] === 0x0a) {
          headerText = '';
          this.pending = buf.subarray(2);
        } else {
          const end = buf.indexOf(CRLFCRLF);
          if (end < 0) {
            if (buf.length > HEADER_MAX_BYTES) throw new MultipartError('a part\'s header is too long');
            return;
          }
          if (end > HEADER_MAX_BYTES) throw new MultipartError('a part\'s header is too long');
          headerText = buf.toString('utf8', 0, end);
          this.pending = buf.subarray(end + 4);
        }
        this.handlers.part(partInfo(headerText));
        this.state = 'body';
      } else if (this.state === 'body') {
        const at = buf.indexOf(this.delimiter);
        if (at < 0) {
          // all but what could be the start of the delimiter is content
          const safe = buf.length - (this.delimiter.length - 1);
          if (safe > 0) {
            this.handlers.data(buf.subarray(0, safe));
            this.pending = buf.subarray(safe);
          }
          return;
        }
        if (at > 0) this.handlers.data(buf.subarray(0, at));
        this.handlers.partEnd();
        this.pending = buf.subarray(at + this.delimiter.length);
        this.state = 'after-delimiter';
      } else {
        return;
      }
    }
  }

  /** The body ended: throws when it was cut off before its closing boundary. */
  end(): void {
    if (this.state !== 'done') throw new MultipartError('the body ends before its closing boundary');
  }
}

/** Content-Disposition's name and filename (filename* too: RFC 5987 UTF-8), Content-Type. */
function partInfo(headerText: string): PartInfo {
  let disposition: string | undefined;
  let contentType = '';
  for (const line of headerText.split('\r\n')) {
    const colon = line.indexOf(':');
    if (colon < 0) continue;
    const key = line.slice(0, colon).trim().toLowerCase();
    const value = line.slice(colon + 1).trim();
    if (key === 'content-disposition') disposition = value;
    else if (key === 'content-type') contentType = value.split(';')[0]!.trim().toLowerCase();
  }
  if (disposition === undefined || !/^form-data\s*(;|$)/i.test(disposition)) throw new MultipartError('a part without Content-Disposition: form-data');
  const params = new Map<string, string>();
  const re = /;\s*([^\s=;]+)\s*=\s*(?:"((?:[^"\\]|\\.)*)"|([^;]*))/g;
  for (let m = re.exec(disposition); m !== null; m = re.exec(disposition)) {
    const key = m[1]!.toLowerCase();
    if (!params.has(key)) params.set(key, m[2] !== undefined ? m[2].replace(/\\(.)/g, '$1') : m[3]!.trim());
  }
  const name = params.get('name');
  if (name === undefined) throw new MultipartError('a part without a field name');
  const info: PartInfo = { name, contentType };
  const extended = params.get('filename*');
  const star = extended === undefined ? undefined : /^utf-8'[^']*'(.*)$/i.exec(extended);
  let filename = params.get('filename');
  if (star) {
    try {
      filename = decodeURIComponent(star[1]!);
    } catch {
      // (a malformed escape: the plain filename, if any, stands)
    }
  }
  // (browsers escape a quote and line ends in a file name as %22, %0D, %0A)
  if (filename !== undefined) info.filename = filename.replace(/%22/g, '"').replace(/%0D/gi, '\r').replace(/%0A/gi, '\n');
  return info;
}
