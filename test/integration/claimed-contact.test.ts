/**
 * A phone or e-mail typed on the web form is claimed, not proven (contacts.claimed): the forward mail marks it
 * "(diisi di formulir web, belum diverifikasi)". Before, `aduan cases show`, `cases find`, `cases list --json`
 * and the admin API showed it unmarked, like an SMS sender's number; now they mark it too (text: the mail's
 * words; JSON: `claimed: true` on the contact), and a proven contact stays as it was.
 */
import { pino } from 'pino';
import { rmSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { closeDb, openDb } from '../../core/db/client.ts';
import { createLogger } from '../../core/logger.ts';
import { CLAIMED_MARK } from '../../core/mail/compose.ts';
import { insertCase } from '../../core/repo/cases.repo.ts';
import { resolveContact } from '../../core/repo/contacts.repo.ts';
import { startAdminApi } from '../../workers/admin.api.ts';
import { cliFixture } from '../helpers/cli.ts';
import { testConfig } from '../helpers/config.ts';
import { freePort } from '../helpers/ports.ts';

const fx = cliFixture('aduan-claimed-');
afterAll(fx.dispose);

/** A web citizen (typed phone and e-mail) with case 1, an SMS citizen (proven number) with case 2. */
function seed(path: string): void {
  const db = openDb(path);
  db.transaction((tx) => {
    const now = '2026-11-01T00:00:00.000Z';
    const web = resolveContact(tx, { name: 'Rina', phone: '+6281234567001', email: 'rina@example.org' }, now, 'web');
    const sms = resolveContact(tx, { phone: '+6281234567002' }, now, 'sms');
    expect([web.claimed, sms.claimed]).toEqual([true, false]);
    const add = (n: number, contactId: number, channel: string) => insertCase(tx, { number: `ADU-2026-${String(n).padStart(6, '0')}`, status: 'forwarded', kind: 'complaint', divisionId: 'humas',
      contactId, channel, connectorId: channel, subject: null, summary: 'lampu PJU mati di gang Mawar', relatedToCaseId: null, now: new Date(Date.UTC(2026, 10, n)).toISOString() });
    add(1, web.id, 'web');
    add(2, sms.id, 'sms');
  });
  closeDb(db);
}
seed(fx.db);

describe('a phone/e-mail typed on the web is marked as unverified wherever staff read it', () => {
  it('aduan cases show, cases find, cases list --json', () => {
    const show = fx.run('cases', 'show', 'ADU-2026-000001');
    expect(show.stdout).toContain(`Contact: Rina / +6281234567001 ${CLAIMED_MARK} / rina@example.org ${CLAIMED_MARK}`);
    expect(fx.run('cases', 'show', 'ADU-2026-000002').stdout).toContain('Contact: - / +6281234567002 / -');
    const shownJson = JSON.parse(fx.run('cases', 'show', 'ADU-2026-000001', '--json').stdout) as { contact: Record<string, unknown> };
    expect(shownJson.contact).toEqual({ name: 'Rina', phone: '+6281234567001', email: 'rina@example.org', claimed: true });

    expect(fx.run('cases', 'find', '--name', 'rina').stdout).toContain(`Rina / +6281234567001 ${CLAIMED_MARK} / rina@example.org ${CLAIMED_MARK}: 1 case(s)`);
    const found = JSON.parse(fx.run('cases', 'find', '--name', 'rina', '--json').stdout) as { contact: Record<string, unknown>; cases: { contact: Record<string, unknown> }[] }[];
    expect(found[0]?.contact).toMatchObject({ phone: '+6281234567001', claimed: true });
    expect(found[0]?.cases[0]?.contact).toMatchObject({ claimed: true });

    const list = JSON.parse(fx.run('cases', 'list', '--json').stdout) as { number: string; contact: Record<string, unknown> }[];
    expect(Object.fromEntries(list.map((c) => [c.number, c.contact]))).toEqual({
      'ADU-2026-000001': { name: 'Rina', phone: '+6281234567001', email: 'rina@example.org', claimed: true },
      'ADU-2026-000002': { name: null, phone: '+6281234567002', email: null },
    });
  }, 60_000);

  it('the admin API: GET /admin/cases, /admin/cases/<number>, /admin/citizens', async () => {
    const TOKEN = 'admin-token-for-tests-0123456789';
    const config = testConfig({ admin: { token: TOKEN, listen: { port: await freePort() } } });
    seed(config.database.path);
    const db = openDb(config.database.path);
    const api = await startAdminApi({ config, db, logger: createLogger({ process: 'admin' }, pino.destination('/dev/null')), outboundChannels: new Set() });
    try {
      const get = async (p: string) => (await fetch(`http://127.0.0.1:${api.port}/admin${p}`, { headers: { authorization: `Bearer ${TOKEN}` } })).json() as Promise<unknown>;
      const list = await get('/cases') as { number: string; contact: Record<string, unknown> }[];
      expect(list.find((c) => c.number === 'ADU-2026-000001')?.contact).toMatchObject({ claimed: true });
      expect(list.find((c) => c.number === 'ADU-2026-000002')?.contact).not.toHaveProperty('claimed');
      expect((await get('/cases/ADU-2026-000001') as { contact: Record<string, unknown> }).contact).toMatchObject({ claimed: true });
      const citizens = await get('/citizens?name=rina') as { contact: Record<string, unknown> }[];
      expect(citizens[0]?.contact).toMatchObject({ name: 'Rina', claimed: true });
    } finally {
      await api.close();
      closeDb(db);
      rmSync(config.dataDir, { recursive: true, force: true });
    }
  });
});
