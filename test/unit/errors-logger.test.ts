import { Writable } from 'node:stream';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ERRORS, AduanError } from '../../core/errors.ts';
import { createLogger, maskPii } from '../../core/logger.ts';
import { gsm7Length, render } from '../../core/templates.ts';
import { toE164 } from '../../core/phone.ts';
import { normalizeText, ingestId } from '../../core/message.ts';

describe('error catalogue', () => {
  it('codes are namespaced, unique and documented in the README', () => {
    const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
    for (const code of Object.keys(ERRORS)) {
      expect(code).toMatch(/^[A-Z]+\.[A-Z_]+$/);
      expect(readme, `README documents ${code}`).toContain(code);
    }
    expect(new Set(Object.keys(ERRORS)).size).toBe(Object.keys(ERRORS).length);
  });
  it('fills details into the message and keeps status and retryability', () => {
    const e = new AduanError('INPUT.INVALID', { field: 'text', detail: 'is required' });
    expect(e.message).toBe('Invalid field text: is required');
    expect(e.status).toBe(400);
    expect(new AduanError('QUEUE.UNAVAILABLE').retryable).toBe(true);
  });
});

describe('logger', () => {
  function capture(): { lines: Record<string, unknown>[]; stream: Writable } {
    const lines: Record<string, unknown>[] = [];
    const stream = new Writable({ write(chunk: Buffer, _enc, cb) { lines.push(JSON.parse(chunk.toString())); cb(); } });
    return { lines, stream };
  }
  it('redacts secrets and masks phones and e-mails, keeping ids', () => {
    const { lines, stream } = capture();
    const log = createLogger({ process: 'test', connector: 'web' }, stream);
    log.info({ smtp: { auth: { user: 'u', pass: 'hunter2' } }, token: 'bot123:abc', phone: '+6281234567890', email: 'budi.santoso@example.org', messageId: 'abc123' }, 'from budi.santoso@example.org at 081234567890');
    const line = lines[0]!;
    const text = JSON.stringify(line);
    expect(text).not.toContain('hunter2');
    expect(text).not.toContain('bot123:abc');
    expect(text).not.toContain('81234567890');
    expect(text).not.toContain('budi.santoso');
    expect(line['msg']).toBe('from b***@example.org at ***890');
    expect(line['messageId']).toBe('abc123');
    expect(line).toMatchObject({ process: 'test', connector: 'web' });
  });
  it('maskPii masks an address written right after another one (a CC list joined by _ or +)', () => {
    expect(maskPii('CC: budi@gmail.com_siti@yahoo.com')).toBe('CC: b***@gmail.com_***@yahoo.com');
    expect(maskPii('dari a.b@x.co.id+siti.r@yahoo.com')).toBe('dari a***@x.co.id+***@yahoo.com');
  });

  it('maskPii leaves times and ids alone', () => {
    expect(maskPii('took 1234 ms, case ADU-2026-000123')).toBe('took 1234 ms, case ADU-2026-000123');
  });
});

describe('small core helpers', () => {
  it('phones become E.164 with region ID', () => {
    expect(toE164('0812-3456-7890', 'ID')).toBe('+6281234567890');
    expect(toE164('+62 274 512345', 'ID')).toBe('+62274512345');
    expect(toE164('12', 'ID')).toBeNull();
    expect(toE164('x'.repeat(100), 'ID')).toBeNull();
  });
  it('the SMS acknowledgements fit one GSM-7 SMS', () => {
    for (const name of ['ackShort', 'ackHeldShort', 'ackRecurringShort', 'ackDuplicateShort', 'ackStatementShort', 'ackOpenerShort'] as const) {
      const text = render(name, { caseNumber: 'ADU-2026-000123' });
      expect(gsm7Length(text), name).not.toBeNull();
      expect(gsm7Length(text)!, name).toBeLessThanOrEqual(160);
    }
  });
  it('normalizeText: NFC, control characters out, capped', () => {
    expect(normalizeText('  e\u0301\u0000 \r\n\r\n\r\nx  ')).toBe('é\n\nx');
    expect(normalizeText('a'.repeat(20), 5)).toBe('aaaaa');
  });
  it('normalizeText: half an emoji becomes U+FFFD, a whole one stays, the cap never cuts one', () => {
    expect(normalizeText('lubang \uD83D')).toBe('lubang \uFFFD');
    expect(normalizeText('\uDEA7 bahaya')).toBe('\uFFFD bahaya');
    // (a NUL between the halves, as an SMSD part can carry, is dropped first: the emoji is whole again)
    expect(normalizeText('awas \uD83D\u0000\uDEA7')).toBe('awas 🚧');
    expect(normalizeText('abcd🚧', 5)).toBe('abcd');
    expect(normalizeText('ab🚧', 4)).toBe('ab🚧');
  });
  it('ingestId is stable, colon-free and differs per connector', () => {
    expect(ingestId('web', 'k1')).toBe(ingestId('web', 'k1'));
    expect(ingestId('web', 'k1')).not.toBe(ingestId('web2', 'k1'));
    expect(ingestId('web', 'k1')).toMatch(/^[0-9a-f]{32}$/);
  });
});
