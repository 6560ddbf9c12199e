import { describe, expect, it } from 'vitest';
import { groupParts, takeReady, type InboxPart } from '../../connectors/gammu/gammu.assemble.ts';
import { decodeHexUcs2, decodeInboxContent, decodeUtf16be } from '../../connectors/gammu/gammu.decode.ts';
import { parseInboxName } from '../../connectors/gammu/gammu.filename.ts';
import { outboxFileContent, outboxFileName, splitSms } from '../../connectors/gammu/gammu.outbox.ts';
import { concatUdh, parseConcatUdh } from '../../connectors/gammu/gammu.udh.ts';
import { gsm7Length } from '../../core/templates.ts';
import { parseSmsBackup } from '../../connectors/gammu/gammu.smsbackup.ts';
import { smsBackup, utf16be } from './gammu.fixtures.ts';

const TZ = 'Asia/Jakarta';

describe('gammu inbox file names', () => {
  it('parses the documented example', () => {
    const n = parseInboxName('IN20021130_021531_00_+45409000931640979_00.txt', TZ);
    expect(n).toMatchObject({ sender: '+45409000931640979', serial: 0, part: 0, ext: 'txt', base: 'IN20021130_021531_00_+45409000931640979' });
    expect(n?.timestampIso).toBe('2002-11-30T02:15:31+07:00');
  });

  it('keeps underscores and spaces inside the sender (anchored from both ends)', () => {
    expect(parseInboxName('IN20240102_040000_00_Vodafone CZ_00.txt', TZ)?.sender).toBe('Vodafone CZ');
    const n = parseInboxName('IN20240102_040000_07_a_b_c__12_03.txt', TZ);
    expect(n).toMatchObject({ sender: 'a_b_c__12', serial: 7, part: 3 });
  });

  it('recognises 8-bit parts by the .bin extension', () => {
    expect(parseInboxName('IN20240102_050000_00_+420777123456_00.bin', TZ)?.ext).toBe('bin');
  });

  it.each([
    'IN2024010_030405_00_+62812_00.txt',
    'IN20240102_030405_00_+62812_00.doc',
    'IN20240102_030405_00__00.txt',
    'OUT+62812.txt',
    'IN20241302_030405_00_+62812_00.txt',
    'IN20240230_030405_00_+62812_00.txt',
    'IN20240102_250405_00_+62812_00.txt',
  ])('rejects malformed name %s', (name) => {
    expect(parseInboxName(name, TZ)).toBeNull();
  });
});

describe('gammu inbox decoding', () => {
  it('decodes InboxFormat=unicode (FE FF + UTF-16BE), including astral characters', () => {
    const d = decodeInboxContent(utf16be('Jalan rusak di Kotagede 🚧 ž'), 'txt');
    expect(d).toEqual({ kind: 'text', text: 'Jalan rusak di Kotagede 🚧 ž', encoding: 'utf-16be' });
  });

  it('decodes InboxFormat=standard as UTF-8, falling back to Latin-1', () => {
    expect(decodeInboxContent(Buffer.from('Díra v silnici', 'utf8'), 'txt')).toMatchObject({ text: 'Díra v silnici', encoding: 'utf-8' });
    expect(decodeInboxContent(Buffer.from([0x43, 0x61, 0x66, 0xe9]), 'txt')).toMatchObject({ text: 'Café', encoding: 'latin1' });
  });

  it('reports invalid UTF-16 (odd length) instead of guessing', () => {
    expect(decodeInboxContent(Buffer.from([0xfe, 0xff, 0x00, 0x41, 0x00]), 'txt').kind).toBe('invalid');
  });

  it('keeps half an emoji at a part edge (its other half is in the next part), in either byte order', () => {
    expect(decodeInboxContent(Buffer.from([0xfe, 0xff, 0x00, 0x41, 0xd8, 0x3d]), 'txt')).toEqual({ kind: 'text', text: 'A\uD83D', encoding: 'utf-16be' });
    expect(decodeInboxContent(Buffer.from([0xff, 0xfe, 0xa7, 0xde, 0x41, 0x00]), 'txt')).toEqual({ kind: 'text', text: '\uDEA7A', encoding: 'utf-16le' });
  });

  it('treats .bin as binary', () => {
    expect(decodeInboxContent(Buffer.from([0x06, 0x05, 0x04]), 'bin')).toEqual({ kind: 'binary', hex: '060504' });
  });

  it('decodes the SQL Text column (UCS-2BE hex)', () => {
    expect(decodeHexUcs2('00480061006C006F')).toBe('Halo');
    expect(() => decodeHexUcs2('0048006')).toThrow();
    expect(decodeUtf16be(Buffer.from([0x00, 0x41]))).toBe('A');
  });
});

describe('InboxFormat=detail (smsbackup files)', () => {
  it('parses the name and joins the parts in UDH order', () => {
    expect(parseInboxName('IN20260304_101500_00_+6281234567801_00.smsbackup', TZ)?.ext).toBe('smsbackup');
    const file = smsBackup('+6281234567801', [{ text: 'dua 🚧', udh: concatUdh(9, 2, 2) }, { text: 'Satu, ', udh: concatUdh(9, 2, 1) }]);
    expect(parseSmsBackup(file).map((p) => p.number)).toEqual(['+6281234567801', '+6281234567801']);
    expect(decodeInboxContent(Buffer.from(file, 'latin1'), 'smsbackup')).toEqual({ kind: 'text', text: 'Satu, dua 🚧', encoding: 'smsbackup' });
  });
  it('reports delivery reports, 8-bit parts, bad hex and empty files', () => {
    expect(decodeInboxContent(Buffer.from(smsBackup('+62811', [{ text: 'Delivered', pdu: 'Status_Report' }])), 'smsbackup').kind).toBe('invalid');
    expect(decodeInboxContent(Buffer.from(smsBackup('+62811', [{ text: 'bin', coding: '8bit' }])), 'smsbackup').kind).toBe('binary');
    expect(decodeInboxContent(Buffer.from('[SMSBackup000]\nText00 = 00Z1\nCoding = Default\n'), 'smsbackup').kind).toBe('invalid');
    expect(decodeInboxContent(Buffer.from('; nothing here\n'), 'smsbackup').kind).toBe('invalid');
  });
});

describe('UDH concatenation', () => {
  it('reads 8-bit and 16-bit reference elements', () => {
    expect(parseConcatUdh('050003A70302')).toEqual({ ref: 0xa7, total: 3, seq: 2 });
    expect(parseConcatUdh('0608041234020 1'.replace(' ', ''))).toEqual({ ref: 0x1234, total: 2, seq: 1 });
    expect(parseConcatUdh(concatUdh(9, 4, 4))).toEqual({ ref: 9, total: 4, seq: 4 });
  });
  it('ignores headers without concatenation or malformed ones', () => {
    expect(parseConcatUdh('')).toBeNull();
    expect(parseConcatUdh('06050423F00000')).toBeNull();
    expect(parseConcatUdh('050003A70304')).toBeNull();
    expect(parseConcatUdh('zz')).toBeNull();
  });
});

function part(name: string, text: string, firstSeenMs = 0): InboxPart {
  const n = parseInboxName(name, TZ);
  if (!n) throw new Error(name);
  return { name: n, text, firstSeenMs };
}

describe('multipart assembly', () => {
  it('joins parts in part order whatever order they arrive in', () => {
    const parts = [part('IN20240102_031000_00_+628121_02.txt', 'C'), part('IN20240102_031000_00_+628121_00.txt', 'A'), part('IN20240102_031000_00_+628121_01.txt', 'B')];
    const { ready, waiting } = takeReady(groupParts(parts, 600_000), 0, 60_000);
    expect(waiting).toHaveLength(0);
    expect(ready).toHaveLength(1);
    expect(ready[0]).toMatchObject({ id: 'IN20240102_031000_00_+628121', text: 'ABC', incomplete: false, missing: [] });
  });

  it('attaches later parts stamped with a later SMSC time to their part 0', () => {
    const parts = [part('IN20240102_031000_00_+628121_00.txt', 'A'), part('IN20240102_031003_00_+628121_01.txt', 'B'), part('IN20240102_031000_01_+628121_00.txt', 'other')];
    const { ready } = takeReady(groupParts(parts, 600_000), 0, 60_000);
    expect(ready.map((r) => r.text).sort()).toEqual(['AB', 'other']);
  });

  it('waits for a missing part, then takes what arrived marked incomplete', () => {
    const parts = [part('IN20240102_031000_00_+628121_00.txt', 'A', 1000), part('IN20240102_031000_00_+628121_02.txt', 'C', 1000)];
    const groups = groupParts(parts, 600_000);
    expect(takeReady(groups, 30_000, 60_000).ready).toHaveLength(0);
    const later = takeReady(groups, 61_001, 60_000);
    expect(later.ready[0]).toMatchObject({ text: 'AC', incomplete: true, missing: [1] });
  });

  it('a part 0 arriving after its siblings were taken incomplete becomes its own message, not a duplicate', () => {
    const late = takeReady(groupParts([part('IN20240102_031000_00_+628121_01.txt', 'B', 0)], 600_000), 120_000, 60_000).ready[0];
    expect(late).toMatchObject({ id: 'IN20240102_031000_00_+628121_01', incomplete: true, missing: [0] });
    const zero = takeReady(groupParts([part('IN20240102_031000_00_+628121_00.txt', 'A', 200_000)], 600_000), 200_000, 60_000).ready[0];
    expect(zero?.id).toBe('IN20240102_031000_00_+628121');
  });

  it('keeps different senders apart', () => {
    const parts = [part('IN20240102_031000_00_+628121_00.txt', 'A'), part('IN20240102_031000_00_+628122_01.txt', 'B', 0)];
    const { ready, waiting } = takeReady(groupParts(parts, 600_000), 0, 60_000);
    expect(ready.map((r) => r.text)).toEqual(['A']);
    expect(waiting).toHaveLength(1);
  });
});

describe('outbox encoding', () => {
  it('keeps a GSM-7 text of 160 chars in one part and splits longer ones at 153', () => {
    expect(splitSms('a'.repeat(160)).parts).toHaveLength(1);
    const long = splitSms('a'.repeat(400));
    expect(long.coding).toBe('Default_No_Compression');
    expect(long.parts.map((p) => p.length)).toEqual([153, 153, 94]);
  });

  it('uses UCS-2 (70 / 67 units) for non-GSM text without splitting surrogate pairs', () => {
    const s = splitSms('ž'.repeat(70));
    expect(s).toEqual({ coding: 'Unicode_No_Compression', parts: ['ž'.repeat(70)] });
    const emoji = splitSms('🚧'.repeat(40));
    expect(emoji.parts.every((p) => p.length <= 67 && !/[\uD800-\uDBFF]$/.test(p))).toBe(true);
    expect(emoji.parts.join('')).toBe('🚧'.repeat(40));
  });

  it('writes ASCII as is and anything else as FE FF + UTF-16BE', () => {
    expect(outboxFileContent('Halo').toString('latin1')).toBe('Halo');
    const u = outboxFileContent('Terima kasih — ž');
    expect([u[0], u[1]]).toEqual([0xfe, 0xff]);
    expect(decodeUtf16be(u.subarray(2))).toBe('Terima kasih — ž');
  });

  it('names outbox files the way SMSD reads them', () => {
    const n = outboxFileName('+6281234567890', 'ob_123/x', new Date('2026-03-04T05:06:07Z'));
    expect(n).toBe('OUTA20260304_050607_00_+6281234567890_ob123x.txt');
  });
});

describe('acknowledgement SMS length', () => {
  it('rendered ackShort with a case number fits one GSM-7 SMS (160 septets)', async () => {
    const { render } = await import('../../core/templates.ts');
    const text = render('ackShort', { caseNumber: 'ADU-2026-000123' });
    expect(text).toContain('ADU-2026-000123');
    const len = gsm7Length(text);
    expect(len).not.toBeNull();
    expect(len as number).toBeLessThanOrEqual(160);
    expect(splitSms(text).parts).toHaveLength(1);
  });

  it.each(['ackDuplicateShort', 'ackStatementShort', 'ackOpenerShort'] as const)('%s with a case number also fits one GSM-7 SMS', async (name) => {
    const { render } = await import('../../core/templates.ts');
    const len = gsm7Length(render(name, { caseNumber: 'ADU-2026-000123' }));
    expect(len).not.toBeNull();
    expect(len as number).toBeLessThanOrEqual(160);
  });
});
