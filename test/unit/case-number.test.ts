import { describe, expect, it } from 'vitest';
import { namedCaseNumber } from '../../core/case-number.ts';

describe('case numbers as citizens type them', () => {
  it('reads this instance\'s numbers in any case, with any or no separators, and pads the sequence', () => {
    expect(namedCaseNumber('ADU-2026-000123 gimana pak?', 'ADU')).toBe('ADU-2026-000123');
    expect(namedCaseNumber('adu 2026 123 sudah sampai mana', 'ADU')).toBe('ADU-2026-000123');
    expect(namedCaseNumber('nomor ADU2026000123', 'ADU')).toBe('ADU-2026-000123');
    expect(namedCaseNumber('nomor aduan: adu-2026-45.', 'ADU')).toBe('ADU-2026-000045');
    expect(namedCaseNumber('ADU/2026/7', 'ADU')).toBe('ADU-2026-000007');
  });

  it('reads another prefix only written in full, and no everyday words', () => {
    expect(namedCaseNumber('LAP-2025-000007 ok', 'ADU')).toBe('LAP-2025-000007');
    expect(namedCaseNumber('lap 2025 7', 'ADU')).toBeUndefined();
    expect(namedCaseNumber('saya mau mengadu 2026 kali', 'ADU')).toBeUndefined();
    expect(namedCaseNumber('mau adu 2026 tahun ini', 'ADU')).toBeUndefined();
    expect(namedCaseNumber('jalan rusak sejak 2026', 'ADU')).toBeUndefined();
  });
});
