import { describe, expect, it } from 'vitest';
import { gsm7Length, SMS_MAX_PARTS, smsText } from '../../core/templates.ts';
import { outboxFileContent, splitSms } from '../../connectors/gammu/gammu.outbox.ts';

describe('a reply as an SMS', () => {
  it('writes the typography staff paste from Outlook as GSM-7, so a 7-bit gateway shows no "?" and the text stays 160 a part', () => {
    const result = 'Hasil tindak lanjut aduan ADU-2026-000001: Lampu diganti \u2013 \u201cselesai\u201d\u2026 Terima kasih\u00a0pak.\nBalas PUAS bila Anda puas, atau TIDAK PUAS bila belum.';
    expect(gsm7Length(result)).toBeNull();
    const sms = smsText(result);
    expect(sms).toBe('Hasil tindak lanjut aduan ADU-2026-000001: Lampu diganti - "selesai"... Terima kasih pak.\nBalas PUAS bila Anda puas, atau TIDAK PUAS bila belum.');
    expect(gsm7Length(sms)).not.toBeNull();
    // an emoji still needs UCS-2: kept
    expect(smsText('Terima kasih \ud83d\ude4f')).toBe('Terima kasih \ud83d\ude4f');
  });

  it('a result longer than ten parts keeps its beginning and the PUAS / TIDAK PUAS question, and says it was cut', () => {
    const question = 'Balas PUAS bila Anda puas, atau TIDAK PUAS bila belum.';
    const long = `Hasil tindak lanjut aduan ADU-2026-000001: ${'Saluran drainase telah dibersihkan dan diperbaiki oleh DPUPKP. '.repeat(60)}\n${question}`;
    const sms = smsText(long);
    expect(sms.length).toBeLessThanOrEqual(SMS_MAX_PARTS * 153);
    expect(sms.startsWith('Hasil tindak lanjut aduan ADU-2026-000001: Saluran drainase')).toBe(true);
    expect(sms.endsWith(`(terpotong; selengkapnya di halaman status aduan)\n${question}`)).toBe(true);
    // in UCS-2 (an emoji in it), ten parts of 67
    expect(smsText(`\ud83d\ude4f ${long}`).length).toBeLessThanOrEqual(SMS_MAX_PARTS * 67);
    // plain ASCII now: the Gammu OUT file is written as is, which SMSD sends right in 7-bit mode too
    expect(outboxFileContent(sms).toString('latin1')).toBe(sms);
  });

  it('tabs, soft hyphens, thin and en spaces, other hyphens and backticks from Word or Outlook are GSM-7 too', () => {
    const pasted = 'Hasil:\tsaluran di\u00adbersihkan \u2010 `selesai\u00b4\u2002hari\u2009ini\u2011pagi\u2060.';
    expect(gsm7Length(pasted)).toBeNull();
    const sms = smsText(pasted);
    expect(sms).toBe("Hasil: saluran dibersihkan - 'selesai' hari ini-pagi.");
    expect(gsm7Length(sms)).not.toBeNull();
  });

  it('a long result with € [ ] { } ~ ^ \\ | (two septets each) still goes in at most ten parts, question kept', () => {
    const question = 'Balas PUAS bila Anda puas, atau TIDAK PUAS bila belum.';
    const long = `Hasil tindak lanjut aduan ADU-2026-000001: ${'Perbaikan [tahap 1] dan {tahap 2} biaya ~€500 | selesai. '.repeat(24)}\n${question}`;
    expect(long.length).toBeLessThanOrEqual(SMS_MAX_PARTS * 153);
    expect(gsm7Length(long)).toBeGreaterThan(SMS_MAX_PARTS * 153);
    const sms = smsText(long);
    expect(gsm7Length(sms)).toBeLessThanOrEqual(SMS_MAX_PARTS * 153);
    expect(splitSms(sms).parts.length).toBeLessThanOrEqual(SMS_MAX_PARTS);
    expect(sms.endsWith(`(terpotong; selengkapnya di halaman status aduan)\n${question}`)).toBe(true);
  });
});
