/**
 * The public form's photos are read as they arrive (connectors/web/web.multipart.ts): a streaming parser,
 * checked here against bodies cut into chunks at every size, so a boundary split between two network
 * packets is still found; and the image formats told by their first bytes (web.upload.ts).
 */
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { MultipartError, MultipartParser, multipartBoundary, type PartInfo } from '../../connectors/web/web.multipart.ts';
import { sniffImage } from '../../connectors/web/web.upload.ts';
import { Storage } from '../../core/storage.ts';

const B = '----WebKitFormBoundaryAbC123xyz';

function body(parts: { headers: string; content: Buffer | string }[], epilogue = ''): Buffer {
  const out: Buffer[] = [Buffer.from('preamble to ignore\r\n')];
  for (const p of parts) out.push(Buffer.from(`--${B}\r\n${p.headers}\r\n\r\n`), Buffer.from(p.content), Buffer.from('\r\n'));
  out.push(Buffer.from(`--${B}--\r\n${epilogue}`));
  return Buffer.concat(out);
}

function parse(raw: Buffer, chunk: number): { info: PartInfo; content: Buffer }[] {
  const got: { info: PartInfo; content: Buffer[] }[] = [];
  const parser = new MultipartParser(B, {
    part: (info) => got.push({ info, content: [] }),
    data: (c) => got.at(-1)!.content.push(Buffer.from(c)),
    partEnd: () => undefined,
  });
  for (let i = 0; i < raw.length; i += chunk) parser.write(raw.subarray(i, i + chunk));
  parser.end();
  return got.map((g) => ({ info: g.info, content: Buffer.concat(g.content) }));
}

describe('multipart/form-data, read as it arrives', () => {
  // content that looks almost like the boundary, CRs and LFs where a delimiter would be
  const photo = Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0]), Buffer.from(`\r\n--${B.slice(0, -1)}\r\n--\r\n`), Buffer.alloc(300, 0x0d), Buffer.from('\r\n-')]);
  const raw = body([
    { headers: 'Content-Disposition: form-data; name="token"', content: 'tok-123456' },
    { headers: 'Content-Disposition: form-data; name="text"', content: 'Jalan berlubang di Jl. Kusumanegara\r\n\r\nsudah sebulan ꦱꦸꦫꦠ' },
    { headers: 'Content-Disposition: form-data; name="foto"; filename="jalan \\"rusak\\" %22a%22.jpg"\r\nContent-Type: image/jpeg', content: photo },
    { headers: 'Content-Disposition: form-data; name="foto"; filename=""\r\nContent-Type: application/octet-stream', content: '' },
    { headers: 'content-disposition: form-data; name="foto"; filename="x.jpg"; filename*=UTF-8\'\'foto%20%C3%A9.jpg', content: 'abc' },
  ], 'epilogue ignored');

  it('gives the same fields and files whatever the chunks the body arrives in', () => {
    const whole = parse(raw, raw.length);
    expect(whole.map((p) => p.info)).toEqual([
      { name: 'token', contentType: '' },
      { name: 'text', contentType: '' },
      { name: 'foto', filename: 'jalan "rusak" "a".jpg', contentType: 'image/jpeg' },
      { name: 'foto', filename: '', contentType: 'application/octet-stream' },
      { name: 'foto', filename: 'foto é.jpg', contentType: '' },
    ]);
    expect(whole[1]!.content.toString('utf8')).toBe('Jalan berlubang di Jl. Kusumanegara\r\n\r\nsudah sebulan ꦱꦸꦫꦠ');
    expect(whole[2]!.content.equals(photo)).toBe(true);
    expect(whole[3]!.content.length).toBe(0);
    for (const size of [1, 2, 3, 7, 13, 40, 41, 64, 1000]) {
      const chunked = parse(raw, size);
      expect(chunked.map((p) => p.info)).toEqual(whole.map((p) => p.info));
      chunked.forEach((p, i) => expect(p.content.equals(whole[i]!.content), `chunk size ${size}, part ${i}`).toBe(true));
    }
  });

  it('refuses a body cut off before its closing boundary, and one without form-data parts', () => {
    const cut = raw.subarray(0, raw.length - 40);
    expect(() => parse(cut, 16)).toThrow(MultipartError);
    expect(() => parse(body([{ headers: 'Content-Type: text/plain', content: 'x' }]), 16)).toThrow(MultipartError);
  });

  it('takes the boundary from the content type', () => {
    expect(multipartBoundary(`multipart/form-data; boundary=${B}`)).toBe(B);
    expect(multipartBoundary('multipart/form-data; boundary="a b"')).toBe('a b');
    expect(multipartBoundary('multipart/form-data')).toBeUndefined();
    expect(multipartBoundary('application/x-www-form-urlencoded')).toBeUndefined();
  });
});

describe('photos told by their first bytes', () => {
  it('JPEG, PNG, WebP and HEIC are photos; a text file named .jpg is not', () => {
    expect(sniffImage(Buffer.from([0xff, 0xd8, 0xff, 0xe1, 0, 0]))).toBe('image/jpeg');
    expect(sniffImage(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13]))).toBe('image/png');
    expect(sniffImage(Buffer.from('RIFF\x10\x00\x00\x00WEBPVP8 ', 'latin1'))).toBe('image/webp');
    expect(sniffImage(Buffer.from('\x00\x00\x00\x18ftypheic\x00\x00\x00\x00', 'latin1'))).toBe('image/heic');
    expect(sniffImage(Buffer.from('\x00\x00\x00\x18ftypmif1\x00\x00\x00\x00', 'latin1'))).toBe('image/heif');
    expect(sniffImage(Buffer.from('<html><script>alert(1)</script>'))).toBeUndefined();
    expect(sniffImage(Buffer.from('\x00\x00\x00\x18ftypisom\x00\x00\x00\x00', 'latin1'))).toBeUndefined();
    expect(sniffImage(Buffer.alloc(0))).toBeUndefined();
  });
});

describe('storage written piece by piece', () => {
  it('stores under the sha256 as put() does; a discarded file leaves nothing', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'aduan-storage-'));
    try {
      const storage = new Storage(dir);
      const w = storage.begin();
      w.write(Buffer.from('abc'));
      w.write(Buffer.from('def'));
      expect(w.size).toBe(6);
      const sha = w.commit();
      expect(sha).toBe(createHash('sha256').update('abcdef').digest('hex'));
      expect(storage.get(sha).toString()).toBe('abcdef');
      // the same bytes again: one file
      const again = storage.begin();
      again.write(Buffer.from('abcdef'));
      expect(again.commit()).toBe(sha);
      const dropped = storage.begin();
      dropped.write(Buffer.from('never kept'));
      dropped.discard();
      dropped.discard();
      expect(storage.has(createHash('sha256').update('never kept').digest('hex'))).toBe(false);
      expect(readdirSync(path.join(dir, 'incoming'))).toEqual([]);
      expect(existsSync(storage.pathOf(sha))).toBe(true);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
