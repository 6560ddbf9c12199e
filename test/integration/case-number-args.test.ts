/**
 * The case number an officer types to the CLI: read as citizens' messages are (any case, spaces or dots
 * instead of the dashes, without the leading zeros). Before, `aduan cases show "adu 2026 1"` — and
 * review, action, resolve, note, classify … — said "No case adu 2026 1" for ADU-2026-000001, and a
 * number not found got only "List cases with: aduan cases list".
 */
import { afterAll, describe, expect, it } from 'vitest';
import { closeDb, openDb } from '../../core/db/client.ts';
import { insertCase } from '../../core/repo/cases.repo.ts';
import { cliFixture } from '../helpers/cli.ts';

const fx = cliFixture('aduan-case-number-args-');
afterAll(fx.dispose);
const db = openDb(fx.db);
db.transaction((tx) => {
  const at = '2026-03-02T01:00:00.000Z';
  insertCase(tx, { number: 'ADU-2026-000001', status: 'forwarded', kind: 'complaint', divisionId: 'humas', contactId: null,
    channel: 'web', connectorId: 'web', subject: null, summary: 'Jalan di Jl. Kenari gang 3 berlubang', relatedToCaseId: null, now: at });
});
closeDb(db);
const year = new Date().getFullYear();

describe('case numbers typed to the CLI', () => {
  it('cases show finds a case typed the short ways', () => {
    for (const typed of ['adu 2026 1', 'Adu.2026.000001', 'adu2026000001']) {
      const r = fx.run('cases', 'show', typed);
      expect(r.stderr, typed).toBe('');
      expect(r.status, typed).toBe(0);
      expect(r.stdout.split('\n')[0], typed).toBe('ADU-2026-000001 — forwarded (complaint) — humas — via web');
    }
  }, 120_000);

  it('an officer\'s command on a case (cases note) takes it typed so too', () => {
    const r = fx.run('cases', 'note', 'adu 2026 1', 'warga', 'datang', 'lagi');
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('ADU-2026-000001');
    const shown = fx.run('cases', 'show', 'ADU-2026-000001', '--json');
    const events = (JSON.parse(shown.stdout) as { events: { type: string; text: string | null }[] }).events;
    expect(events.some((e) => e.text === 'warga datang lagi')).toBe(true);
  }, 120_000);

  it('cases skip-to takes it typed so too', () => {
    const r = fx.run('cases', 'skip-to', 'adu 2026 5');
    expect(r.stderr).toBe('');
    expect(r.stdout.trim()).toBe('the next case number of 2026 is ADU-2026-000006');
  }, 60_000);

  it('a number still not found: says which, how a number is written, and where to look', () => {
    const hint = `A case number is written like ADU-${year}-000123 (or adu ${year} 123). List cases with: aduan cases list (--status, --division, --kind); a citizen's by their phone, e-mail or name: aduan cases find`;
    const show = fx.run('cases', 'show', 'adu 2026 9');
    expect(show.status).toBe(1);
    expect(show.stderr.trim()).toBe(`No case ADU-2026-000009 (typed "adu 2026 9"). ${hint}`);
    const review = fx.run('cases', 'review', 'adu 2026 9');
    expect(review.status).toBe(1);
    expect(review.stderr.trim().split('\n')).toEqual(['aduan: No case ADU-2026-000009 [CASE.NOT_FOUND]', hint]);
  }, 120_000);
});
