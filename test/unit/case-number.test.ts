import { describe, expect, it } from 'vitest';
import { namedCaseNumber, typedCaseNumber } from '../../core/case-number.ts';

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

describe('case numbers as officers type them (CLI arguments, the admin API\'s path)', () => {
  it('reads every form a citizen\'s message is read in, with any prefix, the whole text being the number', () => {
    for (const typed of ['ADU-2026-000001', 'adu 2026 1', 'adu-2026-1', 'Adu.2026.1', 'ADU/2026/01', 'adu2026000001', 'adu_2026_0001', ' ADU 2026 000001 ', '[ADU-2026-000001]', '"adu 2026 1".', '#ADU-2026-000001']) {
      expect(typedCaseNumber(typed), typed).toBe('ADU-2026-000001');
    }
    expect(typedCaseNumber('lap 2025 7')).toBe('LAP-2025-000007');
    expect(typedCaseNumber('dprd-2026-123456')).toBe('DPRD-2026-123456');
  });

  it('is undefined for text that is no case number', () => {
    for (const typed of ['', '123', '2026-000001', 'adu 2026', 'adu 2026 1 dan 2', 'aduan ADU-2026-000001', 'ADU-26-1', 'A-2026-1']) {
      expect(typedCaseNumber(typed), typed).toBeUndefined();
    }
  });
});
