import { describe, expect, it } from 'vitest';
import { loadConfigText } from '../../core/config/load.ts';
import { AduanError } from '../../core/errors.ts';
import { CHANNEL_SCHEMAS } from '../../connectors/registry.ts';

const opts = { channelSchemas: CHANNEL_SCHEMAS, env: {} };
const divisions = ['divisions:', '  - id: humas', '    name: Humas', '    inbox: humas@x.test', '    default: true'];

function error(fn: () => unknown): AduanError {
  try {
    fn();
  } catch (err) {
    if (err instanceof AduanError) return err;
    throw err;
  }
  throw new Error('expected an AduanError');
}

describe('config values that used to load and fail (or do nothing) later', () => {
  it('a holiday that is no day of the calendar (2026-02-30, 2026-13-01) is an error naming the entry and what to write', () => {
    for (const [day, index] of [['2026-02-30', 1], ['2026-13-01', 1], ['2027-02-29', 1]] as const) {
      const text = [...divisions, 'sla:', '  holidays:', '    - 2026-08-17', `    - ${day}`].join('\n');
      const e = error(() => loadConfigText(text, '/etc/aduan/aduan.yaml', opts));
      expect(e.code).toBe('CONFIG.INVALID');
      expect(e.message).toContain(`key sla.holidays[${index}]`);
      expect(e.message).toContain('line 9');
      expect(e.message).toContain(`"${day}" is no day of the calendar`);
      expect(e.message).toContain('YYYY-MM-DD');
    }
    const ok = [...divisions, 'sla:', '  holidays: [2026-08-17, 2028-02-29, "2026-12-25"]'].join('\n');
    expect(loadConfigText(ok, '/etc/aduan/aduan.yaml', opts).config.sla.holidays).toEqual(['2026-08-17', '2028-02-29', '2026-12-25']);
  });
});
