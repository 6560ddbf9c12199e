import { isUtf8 as isValidUtf8 } from 'node:buffer';
import { Transform, type TransformCallback } from 'node:stream';
import { createDecodeStream, decode as decodeCharset } from 'libmime/lib/charset.js';

/**
 * Character sets mailparser does not read, read here (see `prepareRaw` and `BodyDecoder`):
 *
 * - UTF-7 (`=?UTF-7?Q?…?=` in a Subject or a name, `charset=utf-7` on a body; old Outlook and webmail):
 *   libmime refuses it (in a browser, UTF-7 can smuggle "<script>" past a filter looking for "<") and
 *   leaves the encoded text as it is ("Jalan rusak +IBM- caf+AOk-"). Aduan never hands a citizen's text to
 *   a browser unescaped, so it is decoded like any other charset.
 * - a charset nobody knows (`charset="x-unknown"`) and bytes that are not UTF-8 under a UTF-8 or missing
 *   label: mailparser reads them as UTF-8 and replaces every other byte with "�". Here they are read as
 *   UTF-8 when they are valid UTF-8, else byte for byte as Latin-1 (windows-1252, which is what "latin1"
 *   and "iso-8859-1" mean to browsers and mail clients), and the message records it (`notes`).
 * - bytes in a header field that are not UTF-8 (raw 8-bit headers from old mailers): read in the
 *   message's charset when it names one that is known, else as Latin-1; noted likewise.
 *
 * Every other charset is read by libmime, as mailparser reads it.
 */

/** Text parts' charset labels are rewritten to `x-aduan-<label>`, so mailparser hands every one to `BodyDecoder`. */
const MARK = 'x-aduan-';
const LATIN1 = 'windows-1252';
/** windows-1252's characters for bytes 0x80–0x9f; the five it leaves undefined stay the C1 code point (as in WHATWG). */
const CP1252_HIGH = '\u20ac\u0081\u201a\u0192\u201e\u2026\u2020\u2021\u02c6\u2030\u0160\u2039\u0152\u008d\u017d\u008f\u0090\u2018\u2019\u201c\u201d\u2022\u2013\u2014\u02dc\u2122\u0161\u203a\u0153\u009d\u017e\u0178';

/**
 * Bytes as windows-1252, one character each: never fails. (Node 20's TextDecoder('windows-1252') reads
 * ISO-8859-1, so 0x93 would be a control character instead of the quote “.)
 */
export function decodeLatin1(bytes: Buffer): string {
  return bytes.toString('latin1').replace(/[\x80-\x9f]/g, (c) => CP1252_HIGH[c.charCodeAt(0) - 0x80]!);
}
/** Notes kept per message (each is one line in meta.charsetFallback). */
const NOTES_MAX = 10;

function squash(label: string): string {
  return label.toLowerCase().replace(/[^a-z0-9]/g, '');
}

function isUtf7(label: string): boolean {
  return /^(?:(?:cs)?unicode11)?utf7$/.test(squash(label));
}

function isUtf8(label: string): boolean {
  return ['', 'utf8', 'ascii', 'usascii', 'ansix341968'].includes(squash(label));
}

const knownLabels = new Map<string, boolean>();

/** Whether libmime reads the label (it refuses UTF-7, base64 and hex, and does not know made-up names). */
function isKnown(label: string): boolean {
  const key = label.toLowerCase();
  let known = knownLabels.get(key);
  if (known === undefined) {
    try {
      known = createDecodeStream(label).supported;
    } catch {
      known = false;
    }
    // (labels are few; made-up ones could be many)
    if (knownLabels.size < 1000) knownLabels.set(key, known);
  }
  return known;
}

function note(notes: string[], text: string): void {
  if (notes.length < NOTES_MAX && !notes.includes(text)) notes.push(text);
}

const B64 = /[A-Za-z0-9+/]/;

/** RFC 2152 UTF-7 (bytes as a latin1 string): "+AOk-" is "é", "+-" is "+", other characters are themselves. */
export function decodeUtf7(input: string): string {
  let out = '';
  let i = 0;
  while (i < input.length) {
    const c = input[i]!;
    if (c !== '+') {
      out += c;
      i++;
      continue;
    }
    if (input[i + 1] === '-') {
      out += '+';
      i += 2;
      continue;
    }
    let j = i + 1;
    let bits = 0;
    let acc = 0;
    const units: number[] = [];
    while (j < input.length && B64.test(input[j]!)) {
      acc = ((acc << 6) | 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/'.indexOf(input[j]!)) & 0xffffff;
      bits += 6;
      if (bits >= 16) {
        bits -= 16;
        units.push((acc >> bits) & 0xffff);
      }
      j++;
    }
    // (UTF-16 code units: a surrogate pair arrives as two and joins again here)
    for (let k = 0; k < units.length; k += 4096) out += String.fromCharCode(...units.slice(k, k + 4096));
    // the '-' ending a shifted run is part of it; any other character ends it and stays
    i = input[j] === '-' ? j + 1 : j;
  }
  return out;
}

/**
 * Text of bytes in a charset, best effort: UTF-7 and libmime's charsets as written; UTF-8 (or no label)
 * and unknown labels as UTF-8 when the bytes are valid UTF-8, else as Latin-1 byte for byte, noted.
 */
export function decodeBytes(bytes: Buffer, label: string, notes: string[], where: string): string {
  if (isUtf7(label)) return decodeUtf7(bytes.toString('latin1'));
  const utf8 = isUtf8(label);
  if (!utf8 && isKnown(label)) return decodeCharset(bytes, label);
  if (isValidUtf8(bytes)) {
    if (!utf8) note(notes, `${where}: unknown charset "${label}", read as UTF-8`);
    return bytes.toString('utf8');
  }
  note(notes, `${where}: ${utf8 ? (label === '' ? 'no charset given and not UTF-8' : `labelled "${label}" but not UTF-8`) : `unknown charset "${label}"`}, read as Latin-1 (${LATIN1})`);
  return decodeLatin1(bytes);
}

/**
 * The `Iconv` option of mailparser: it is given every text part whose label `prepareRaw` marked (all
 * of them), and the bytes after the transfer encoding. A part is read whole, at its end.
 */
export function bodyDecoder(notes: string[]): new (from: string, to: string) => Transform {
  return class BodyDecoder extends Transform {
    private readonly chunks: Buffer[] = [];
    private readonly label: string;
    constructor(from: string) {
      super();
      this.label = from.toLowerCase().startsWith(MARK) ? from.slice(MARK.length) : from;
    }
    override _transform(chunk: Buffer, _encoding: BufferEncoding, done: TransformCallback): void {
      this.chunks.push(chunk);
      done();
    }
    override _flush(done: TransformCallback): void {
      const bytes = Buffer.concat(this.chunks);
      // (most mail: UTF-8 as labelled, passed on as it is)
      this.push(isUtf8(this.label) && isValidUtf8(bytes) ? bytes : Buffer.from(decodeBytes(bytes, this.label, notes, 'body'), 'utf8'));
      done();
    }
  };
}

/** One header field (with its folded lines) starting at a line's beginning. */
const FIELD = /(?:^|\n)([!-9;-~]+)[ \t]*:[^\n]*(?:\n[ \t][^\n]*)*/g;
const CONTENT_TYPE_VALUE = /^([^;\s]+)/;
const CHARSET_PARAM = /(;\s*charset\s*=\s*)("([^"]*)"|[^\s;]*)/i;
const BOUNDARY_PARAM = /;\s*boundary\s*=\s*(?:"([^"]+)"|([^\s;]+))/i;
const ENCODED_RUN = /=\?[^?\s]+\?[QqBb]\?[^?\s]*\?=(?:\s+=\?[^?\s]+\?[QqBb]\?[^?\s]*\?=)*/g;
const ENCODED_WORD = /=\?([^?\s]+)\?([QqBb])\?([^?\s]*)\?=/g;

interface Field {
  name: string;
  start: number;
  end: number;
}

function fieldsOf(block: string): Field[] {
  return [...block.matchAll(FIELD)].map((m) => {
    const start = m.index + (m[0].startsWith('\n') ? 1 : 0);
    return { name: m[1]!.toLowerCase(), start, end: m.index + m[0].length };
  });
}

/** `Content-Type: text/…` with its charset marked (`x-aduan-<label>`, added when missing); other types as they are. */
function markCharset(field: string): string {
  const value = field.slice(field.indexOf(':') + 1).trim();
  if (!/^text\//i.test(value)) return field;
  const m = CHARSET_PARAM.exec(field);
  if (!m) {
    const end = /[\s;]*$/.exec(field)!;
    return `${field.slice(0, end.index)}; charset="${MARK}"${end[0].replace(/[^\r]/g, '')}`;
  }
  const label = m[3] ?? m[2]!;
  if (label.toLowerCase().startsWith(MARK)) return field;
  return `${field.slice(0, m.index)}${m[1]}"${MARK}${label.replace(/["\\]/g, '')}"${field.slice(m.index + m[0].length)}`;
}

function wordBytes(encoding: string, text: string): Buffer {
  if (encoding.toUpperCase() === 'B') return Buffer.from(text, 'base64');
  return Buffer.from(text.replace(/_/g, ' ').replace(/=([0-9A-Fa-f]{2})/g, (_, h: string) => String.fromCharCode(Number.parseInt(h, 16))), 'latin1');
}

/**
 * Encoded words in a charset libmime does not read (UTF-7, an unknown label) as UTF-8 words; adjacent
 * words in one charset are decoded together (a character may be split between them).
 */
function rewriteWords(value: string, notes: string[], where: string): string {
  return value.replace(ENCODED_RUN, (run) => {
    const words = [...run.matchAll(ENCODED_WORD)].map((m) => ({ charset: m[1]!.split('*')[0]!, encoding: m[2]!, text: m[3]!, raw: m[0] }));
    if (words.every((w) => isUtf8(w.charset) || (!isUtf7(w.charset) && isKnown(w.charset)))) return run;
    const out: string[] = [];
    for (let i = 0; i < words.length; ) {
      const w = words[i]!;
      let j = i + 1;
      while (j < words.length && squash(words[j]!.charset) === squash(w.charset)) j++;
      if (isUtf8(w.charset) || (!isUtf7(w.charset) && isKnown(w.charset))) {
        out.push(...words.slice(i, j).map((x) => x.raw));
      } else {
        const bytes = Buffer.concat(words.slice(i, j).map((x) => wordBytes(x.encoding, x.text)));
        const text = decodeBytes(bytes, w.charset, notes, where).replace(/[\r\n]+/g, ' ');
        out.push(`=?UTF-8?B?${Buffer.from(text, 'utf8').toString('base64')}?=`);
      }
      i = j;
    }
    // (whitespace between encoded words is not part of the text: RFC 2047 §6.2)
    return out.join(' ');
  });
}

/** Fields of the message's own header section, 8-bit bytes read (see `decodeBytes`) and encoded words rewritten. */
function rewriteTopHeader(block: string, notes: string[]): string {
  const fields = fieldsOf(block);
  const ct = fields.find((f) => f.name === 'content-type');
  const m = ct ? CHARSET_PARAM.exec(block.slice(ct.start, ct.end)) : null;
  const ctLabel = m ? (m[3] ?? m[2]!) : '';
  // raw 8-bit bytes in a header are, if anything, in the message's own charset
  const fallback = ctLabel !== '' && !isUtf7(ctLabel) && !isUtf8(ctLabel) && isKnown(ctLabel) ? ctLabel : LATIN1;
  let out = '';
  let at = 0;
  for (const f of fields) {
    out += block.slice(at, f.start);
    const bytes = Buffer.from(block.slice(f.start, f.end), 'latin1');
    let text = bytes.toString('latin1');
    if (/[\x80-\xff]/.test(text)) {
      if (isValidUtf8(bytes)) {
        text = bytes.toString('utf8');
      } else {
        text = fallback === LATIN1 ? decodeLatin1(bytes) : decodeCharset(bytes, fallback);
        note(notes, `header ${f.name}: 8-bit bytes that are not UTF-8, read as ${fallback === LATIN1 ? `Latin-1 (${LATIN1})` : fallback}`);
      }
    }
    text = rewriteWords(text, notes, `header ${f.name}`);
    if (f.name === 'content-type') text = markCharset(text);
    out += text;
    at = f.end;
  }
  return out + block.slice(at);
}

interface Edit {
  start: number;
  end: number;
  text: string;
}

interface Counter {
  parts: number;
  notes: string[];
}

/** Parts looked at per message, and multipart levels. */
const MAX_PARTS = 500;
const MAX_DEPTH = 20;

/** The largest header section mailparser (mailsplit) reads, bytes. */
const TOP_HEADER_MAX = 1024 * 1024;
/** Characters a part's header section is looked for in (a part's header is a few lines; the search stays bounded). */
const PART_HEADER_MAX = 64 * 1024;

/** Where a header section that starts at `start` ends (its empty line) before `end`, or -1 when it has none. */
function headerEnd(s: string, start: number, end: number): number {
  if (s.startsWith('\r\n', start) || s.startsWith('\n', start)) return start;
  const head = s.slice(start, end);
  const a = head.indexOf('\n\r\n');
  const b = head.indexOf('\n\n');
  const at = a < 0 ? b : b < 0 ? a : Math.min(a, b);
  return at < 0 ? -1 : start + at + 1;
}

/** The line a part without a Content-Type gets (text/plain is its default type), before its empty line. */
function addedContentType(s: string, he: number): string {
  return `Content-Type: text/plain; charset="${MARK}"${s[he] === '\r' ? '\r\n' : '\n'}`;
}

/** The parts of a multipart body (header section ending at `he`, part ending at `end`), marked (see `walk`). */
function walkChildren(s: string, field: string, he: number, end: number, depth: number, edits: Edit[], counter: Counter): void {
  const type = CONTENT_TYPE_VALUE.exec(field.slice(field.indexOf(':') + 1).trim())?.[1]?.toLowerCase() ?? '';
  if (!type.startsWith('multipart/') || he < 0 || depth >= MAX_DEPTH) return;
  const m = BOUNDARY_PARAM.exec(field.replace(/\r?\n[ \t]/g, ' '));
  const boundary = m?.[1] ?? m?.[2];
  if (!boundary) return;
  const delimiter = new RegExp(`\\n--${boundary.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}(--)?[ \\t]*(?:\\r?\\n|\\r?$)`, 'g');
  // (searched in this part's body only: a boundary that never comes costs one pass over it)
  const from = Math.max(0, he - 1);
  const body = s.slice(from, end);
  let partStart = -1;
  for (let d = delimiter.exec(body); d !== null; d = delimiter.exec(body)) {
    if (partStart >= 0) walk(s, partStart, from + d.index, depth + 1, type === 'multipart/digest', edits, counter);
    if (d[1] === '--') return;
    partStart = from + d.index + d[0].length;
  }
  // (no closing delimiter: the message was cut, the last part runs to its end)
  if (partStart >= 0) walk(s, partStart, end, depth + 1, type === 'multipart/digest', edits, counter);
}

/**
 * Marks the charset of the text parts in one body part [start, end) and below it, and rewrites encoded
 * words in UTF-7 or unknown charsets in its Content-Type and Content-Disposition (a file's name): edits
 * in `edits`, in order.
 */
function walk(s: string, start: number, end: number, depth: number, digest: boolean, edits: Edit[], counter: Counter): void {
  if (++counter.parts > MAX_PARTS) return;
  const he = headerEnd(s, start, Math.min(end, start + PART_HEADER_MAX));
  const block = s.slice(start, he < 0 ? Math.min(end, start + PART_HEADER_MAX) : he);
  const fields = fieldsOf(block);
  const ct = fields.find((f) => f.name === 'content-type');
  for (const f of fields) {
    if (f.name !== 'content-type' && f.name !== 'content-disposition') continue;
    const field = block.slice(f.start, f.end);
    let text = rewriteWords(field, counter.notes, `part ${f.name}`);
    if (f === ct) text = markCharset(text);
    if (text !== field) edits.push({ start: start + f.start, end: start + f.end, text });
  }
  if (!ct) {
    // (a part of a multipart/digest without one is a message/rfc822)
    if (he >= 0 && !digest) edits.push({ start: he, end: he, text: addedContentType(s, he) });
    return;
  }
  walkChildren(s, block.slice(ct.start, ct.end), he, end, depth, edits, counter);
}

export interface PreparedRaw {
  raw: Buffer;
  /** The message's own header section had no Content-Type: one was added (text/plain, its default). */
  addedContentType: boolean;
}

/**
 * The raw message as mailparser is to read it: the message's own header fields in UTF-8, encoded words
 * in UTF-7 or unknown charsets rewritten as UTF-8 words, and every text part's charset marked for
 * `bodyDecoder`. Nested messages (message/rfc822) are left alone: they are parsed on their own. Only
 * what mailparser reads changes; the stored .eml is the original.
 */
export function prepareRaw(raw: Buffer, notes: string[]): PreparedRaw {
  // (the body is read only for the parts of a multipart message)
  const head = raw.subarray(0, TOP_HEADER_MAX + 4).toString('latin1');
  const he = headerEnd(head, 0, head.length);
  const top = he < 0 ? head.length : he;
  // (a header section over mailparser's limit is refused by it anyway: it is left as it is)
  if (top > TOP_HEADER_MAX || (he < 0 && raw.length > head.length)) return { raw, addedContentType: false };
  const block = head.slice(0, top);
  let header = rewriteTopHeader(block, notes);
  const ct = fieldsOf(block).find((f) => f.name === 'content-type');
  const added = ct === undefined && he >= 0;
  if (added) header += addedContentType(head, he);
  const edits: Edit[] = [];
  const field = ct ? block.slice(ct.start, ct.end) : '';
  if (/:\s*multipart\//i.test(field)) {
    const s = raw.toString('latin1');
    walkChildren(s, field, he, s.length, 0, edits, { parts: 1, notes });
  }
  const parts: Buffer[] = [Buffer.from(header, 'utf8')];
  let at = top;
  for (const e of edits) {
    parts.push(raw.subarray(at, e.start), Buffer.from(e.text, 'latin1'));
    at = e.end;
  }
  parts.push(raw.subarray(at));
  return { raw: Buffer.concat(parts), addedContentType: added };
}
