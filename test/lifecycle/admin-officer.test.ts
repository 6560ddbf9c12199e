/**
 * Who acted, on a case's record, through the admin API. The X-Officer header was taken as given — any
 * text, even another officer's name — and recorded as the officer. Now an officer's own token
 * (admin.officers) names the officer; the shared admin.token is recorded as itself, with the name its
 * caller gives (checked: a plain name, no control characters) marked as that caller's claim.
 */
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../../core/logger.ts';
import { caseDetail, listCases } from '../../core/repo/cases.repo.ts';
import { adminApiEnabled, startAdminApi } from '../../workers/admin.api.ts';
import { testConfig } from '../helpers/config.ts';
import { startHarness, type Harness } from '../helpers/harness.ts';
import { freePort, waitFor } from '../helpers/ports.ts';

const SHARED = 'shared-admin-token-0123456789abcdef';
const SITI = 'siti-own-token-0123456789abcdefgh';
let h: Harness;
let api: { close(): Promise<void>; port: number };
let admin: string;
let number: string;

beforeAll(async () => {
  const [wport, aport] = [await freePort(), await freePort()];
  h = await startHarness({
    channels: [{ id: 'web', type: 'web', listen: { host: '127.0.0.1', port: wport } }],
    admin: { token: SHARED, officers: [{ name: 'Siti Rahma', token: SITI }], listen: { port: aport } },
  });
  await h.startConnector('web');
  h.startIntake();
  h.startForward();
  api = await startAdminApi({ config: h.config, db: h.db, logger: createLogger({ process: 'admin' }, pino.destination('/dev/null')), outboundChannels: new Set() });
  admin = `http://127.0.0.1:${api.port}/admin`;
  await fetch(`http://127.0.0.1:${wport}/v1/messages`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email: 'warga@example.org', text: 'Trotoar di Jl. Solo rusak parah.' }) });
  await waitFor(() => listCases(h.db).some((c) => c.status === 'forwarded'));
  number = listCases(h.db)[0]!.number;
});
afterAll(async () => {
  await api?.close();
  await h?.stop();
});

const note = (token: string, officer: string | undefined, text: string) => fetch(`${admin}/cases/${number}/commands`, {
  method: 'POST',
  headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', ...(officer === undefined ? {} : { 'x-officer': officer }) },
  body: JSON.stringify({ command: 'catatan', text }),
});
const actorOf = (text: string): string | undefined => caseDetail(h.db, number)!.events.find((e) => e.text?.includes(text))?.actor;

describe('the admin API records who acted honestly', () => {
  it('an officer\'s own token: the record names that officer', async () => {
    expect((await note(SITI, undefined, 'catatan-siti-1')).status).toBe(200);
    expect(actorOf('catatan-siti-1')).toBe('officer:api:Siti Rahma');
    // naming herself again is fine, in any case
    expect((await note(SITI, 'siti rahma', 'catatan-siti-2')).status).toBe(200);
    expect(actorOf('catatan-siti-2')).toBe('officer:api:Siti Rahma');
  });

  it('an officer\'s token with X-Officer naming someone else is refused, nothing recorded', async () => {
    const res = await note(SITI, 'Budi', 'catatan-menyamar');
    expect(res.status).toBe(400);
    expect(((await res.json()) as { error: { code: string; details: { field: string } } }).error).toMatchObject({ code: 'INPUT.INVALID', details: { field: 'X-Officer' } });
    expect(actorOf('catatan-menyamar')).toBeUndefined();
  });

  it('the shared admin token: recorded as the admin token, with the name its caller gives as a claim', async () => {
    expect((await note(SHARED, 'budi', 'catatan-bersama-1')).status).toBe(200);
    expect(actorOf('catatan-bersama-1')).toBe('officer:api:admin:budi');
    expect((await note(SHARED, undefined, 'catatan-bersama-2')).status).toBe(200);
    expect(actorOf('catatan-bersama-2')).toBe('officer:api:admin');
    // a claimed name cannot pass for an officer's own token
    expect((await note(SHARED, 'Siti Rahma', 'catatan-bersama-3')).status).toBe(200);
    expect(actorOf('catatan-bersama-3')).toBe('officer:api:admin:Siti Rahma');
  });

  it('a name outside ASCII, sent percent-encoded as UTF-8, is recorded as written; plain ASCII names as before', async () => {
    const names = ['Sri Réjeki', 'Ayu Ratna Dewi Sekar Ñ', 'ꦧꦩ꧀ꦧꦁ ꦮꦶꦗꦪꦏꦸꦱꦸꦩ', 'Бамбанг Виджаякусума'];
    for (const [i, name] of names.entries()) {
      const res = await note(SHARED, encodeURIComponent(name), `catatan-utf8-${i}`);
      expect(res.status).toBe(200);
      expect(actorOf(`catatan-utf8-${i}`)).toBe(`officer:api:admin:${name}`);
    }
    expect((await note(SHARED, "Siti Nur'aini", 'catatan-ascii')).status).toBe(200);
    expect(actorOf('catatan-ascii')).toBe("officer:api:admin:Siti Nur'aini");
    // a decomposed é (e + U+0301, as some keyboards send it) is recorded composed
    expect((await note(SHARED, 'Sri%20Re%CC%81jeki', 'catatan-nfd')).status).toBe(200);
    expect(actorOf('catatan-nfd')).toBe('officer:api:admin:Sri Réjeki');
    // an officer's own token may name her the same way
    expect((await note(SITI, 'siti%20rahma', 'catatan-siti-encoded')).status).toBe(200);
    expect(actorOf('catatan-siti-encoded')).toBe('officer:api:Siti Rahma');
  });

  it.each([
    ['raw UTF-8 bytes', Buffer.from('Sri Réjeki', 'utf8').toString('latin1'), 'Sri%20R%C3%A9jeki'],
    ['raw latin1 bytes', 'Sri R\u00e9jeki', 'Sri%20R%C3%A9jeki'],
    ['a %-escape that is not UTF-8 (latin1 é)', 'Sri%20R%E9jeki', 'Sri%20R%C3%A9jeki'],
    ['a malformed %-escape', 'Sri%2', 'Sri%20R%C3%A9jeki'],
    ['an encoded newline', 'budi%0Aadmin', "letters (any script), digits, spaces or . ' _ @ -"],
    ['an encoded colon', 'x%3Aroot', "letters (any script), digits, spaces or . ' _ @ -"],
    ['61 encoded letters', encodeURIComponent('é'.repeat(61)), "1 to 60 letters"],
  ])('X-Officer with %s is refused (400) saying how to send a name, nothing recorded', async (_what, value, says) => {
    const res = await note(SHARED, value, `catatan-tolak-${_what}`);
    expect(res.status).toBe(400);
    const { error } = (await res.json()) as { error: { message: string; details: { field: string; detail: string } } };
    expect(error.details.field).toBe('X-Officer');
    expect(error.details.detail).toContain(says);
    expect(actorOf(`catatan-tolak-${_what}`)).toBeUndefined();
  });

  it.each([
    ['a tab and a second field', 'budi\tadmin'],
    ['a colon (another actor\'s form)', 'x:root'],
    ['more than 60 characters', 'b'.repeat(61)],
    ['a spreadsheet formula', '=HYPERLINK("http://evil.example")'],
    ['bytes that are no plain name', Buffer.from('Ary\u0101', 'utf8').toString('latin1')],
  ])('X-Officer with %s is refused (400), nothing recorded', async (_what, value) => {
    const res = await note(SHARED, value, `catatan-ditolak-${value.length}`);
    expect(res.status).toBe(400);
    expect(((await res.json()) as { error: { details: { field: string } } }).error.details.field).toBe('X-Officer');
    expect(actorOf(`catatan-ditolak-${value.length}`)).toBeUndefined();
  });

  it('no token, or a wrong one: 401', async () => {
    expect((await fetch(`${admin}/cases`)).status).toBe(401);
    expect((await note('not-a-token-of-anyone-at-all-0123', 'budi', 'x')).status).toBe(401);
  });

  it('config: officer tokens are distinct from each other and from admin.token; names are plain and unique; the API runs on officer tokens alone', async () => {
    const officers = (list: unknown[], token?: string) => () => testConfig({ admin: { ...(token ? { token } : {}), officers: list } });
    expect(officers([{ name: 'Siti', token: SHARED }], SHARED)).toThrow(/same token as admin\.token/);
    expect(officers([{ name: 'Siti', token: SITI }, { name: 'Budi', token: SITI }])).toThrow(/same token/);
    expect(officers([{ name: 'Siti', token: SITI }, { name: 'siti', token: `${SITI}x` }])).toThrow(/duplicate officer name/);
    expect(officers([{ name: 'admin', token: SITI }])).toThrow(/admin/);
    expect(officers([{ name: 'a:b', token: SITI }])).toThrow(/letters/);
    expect(officers([{ name: 'Siti', token: 'short' }])).toThrow(/24/);
    const only = officers([{ name: 'Siti Nur\'aini', token: SITI }])();
    expect(adminApiEnabled(only)).toBe(true);
    const alone = await startAdminApi({ config: { ...only, admin: { ...only.admin, listen: { host: '127.0.0.1', port: await freePort() } } }, db: h.db, logger: createLogger({ process: 'admin' }, pino.destination('/dev/null')), outboundChannels: new Set() });
    try {
      expect((await fetch(`http://127.0.0.1:${alone.port}/admin/cases`, { headers: { authorization: `Bearer ${SITI}` } })).status).toBe(200);
      expect((await fetch(`http://127.0.0.1:${alone.port}/admin/cases`, { headers: { authorization: `Bearer ${SHARED}` } })).status).toBe(401);
    } finally {
      await alone.close();
    }
  });
});
