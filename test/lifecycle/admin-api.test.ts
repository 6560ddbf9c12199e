import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort, waitFor } from '../helpers/ports.ts';
import { startHarness, type Harness } from '../helpers/harness.ts';
import { startAdminApi } from '../../workers/admin.api.ts';
import { createLogger } from '../../core/logger.ts';
import { listCases } from '../../core/repo/cases.repo.ts';
import { eq } from 'drizzle-orm';
import { cases } from '../../core/db/schema.ts';
import { pino } from 'pino';
import { Writable } from 'node:stream';
import { rawRequest } from '../helpers/http.ts';

const TOKEN = 'admin-token-for-tests-0123456789';
let h: Harness;
let api: { close(): Promise<void>; port: number };
let web: string;
let admin: string;
const adminLog: string[] = [];

beforeAll(async () => {
  const [wport, aport] = [await freePort(), await freePort()];
  h = await startHarness({ channels: [{ id: 'web', type: 'web', listen: { host: '127.0.0.1', port: wport } }], admin: { token: TOKEN, listen: { port: aport } } });
  await h.startConnector('web');
  h.startIntake();
  h.startForward();
  const logs = new Writable({ write(chunk: Buffer, _enc, cb) { adminLog.push(chunk.toString()); cb(); } });
  api = await startAdminApi({ config: h.config, db: h.db, logger: createLogger({ process: 'admin' }, logs), outboundChannels: new Set() });
  web = `http://127.0.0.1:${wport}`;
  admin = `http://127.0.0.1:${api.port}/admin`;
});
afterAll(async () => {
  await api?.close();
  await h?.stop();
});

const call = (path: string, body?: unknown, token = TOKEN) => fetch(`${admin}${path}`, {
  method: body === undefined ? 'GET' : 'POST',
  headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', 'x-officer': 'budi' },
  ...(body === undefined ? {} : { body: JSON.stringify(body) }),
});

describe('manual intake (walk-ins, scanned letters)', () => {
  it('aduan cases add goes through the same queue and becomes a forwarded case with its attachment', async () => {
    const { manualIntake } = await import('../../scripts/manual.ts');
    const { writeFileSync } = await import('node:fs');
    const scan = `${h.config.dataDir}/surat.pdf`;
    writeFileSync(scan, '%PDF-1.4 surat aduan warga');
    const id = await manualIntake(h.config, { text: 'Surat warga RW 05: jembatan kampung retak.', name: 'Pak RW', phone: '0274 512345', attach: [scan] }, 'petugas@loket');
    await waitFor(() => listCases(h.db).some((c) => c.channel === 'manual' && c.status === 'forwarded'));
    const c = listCases(h.db).find((x) => x.channel === 'manual')!;
    expect(c.contact).toMatchObject({ name: 'Pak RW', phone: '+62274512345' });
    expect(id).toMatch(/^[0-9a-f]{32}$/);
    await waitFor(() => h.smtp.mails.some((m) => m.parsed.subject?.includes(c.number) && m.parsed.attachments.some((a) => a.filename === 'surat.pdf')));
  });
});

describe('admin HTTP API (officer tools)', () => {
  it('a second admin API on the same port fails to start with a clear error instead of logging "listening"', async () => {
    const deps = { config: h.config, db: h.db, logger: createLogger({ process: 'admin' }, pino.destination('/dev/null')), outboundChannels: new Set<string>() };
    await expect(startAdminApi(deps)).rejects.toThrow(`Cannot listen on 127.0.0.1:${api.port}: the port is already in use`);
  });

  it('answers a path with a malformed percent-encoding with 400 INPUT.INVALID, not an internal error in the log', async () => {
    const headers = { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' };
    for (const [method, path, body] of [['GET', '/admin/cases/%E0%A4%A', ''], ['POST', '/admin/cases/%/commands', '{"command":"kaji"}'], ['GET', '/admin/%', '']] as const) {
      const res = await rawRequest(api.port, method, path, headers, body);
      expect(res.status, `${method} ${path}`).toBe(400);
      expect((JSON.parse(res.text) as { error: { code: string; details: { field: string } } }).error).toMatchObject({ code: 'INPUT.INVALID', details: { field: 'url' } });
    }
    // without the token, as before: 401, nothing said about the path
    expect((await rawRequest(api.port, 'GET', '/admin/cases/%E0%A4%A')).status).toBe(401);
    expect(adminLog.filter((l) => (JSON.parse(l) as { level: number }).level >= 50)).toEqual([]);
  });

  it('answers a body over its limit with 413 INPUT.TOO_LARGE, not an internal error', async () => {
    const res = await call('/cases/ADU-2026-000001/commands', { command: 'catatan', text: 'x'.repeat(70_000) });
    expect(res.status).toBe(413);
    const body = await res.json() as { error: { code: string; message: string } };
    expect(body.error.code).toBe('INPUT.TOO_LARGE');
    expect(body.error.message).toBe('Request body larger than 65536 bytes');
  });

  it('fails closed without the bearer token', async () => {
    expect((await fetch(`${admin}/cases`)).status).toBe(401);
    expect((await call('/cases', undefined, 'wrong-token-wrong-token-wrong')).status).toBe(401);
  });

  it('lists cases, moves one through the lifecycle and refuses illegal transitions', async () => {
    await fetch(`${web}/v1/messages`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email: 'a@example.org', text: 'Pungli di kelurahan saat mengurus KTP.' }) });
    await waitFor(() => listCases(h.db).some((c) => c.status === 'forwarded'));
    const list = (await (await call('/cases')).json()) as { number: string }[];
    const n = list[0]!.number;
    const bad = await call(`/cases/${n}/status`, { status: 'closed' });
    expect(bad.status).toBe(409);
    const kaji = await call(`/cases/${n}/commands`, { command: 'kaji', note: 'rapat' });
    expect(kaji.status).toBe(200);
    expect(((await kaji.json()) as { status: string }).status).toBe('in_review');
    const act = await call(`/cases/${n}/commands`, { command: 'tindakan', cause: 'oknum', plan: 'teguran', owner: 'Inspektorat', due: '2026-12-31' });
    expect(((await act.json()) as { status: string }).status).toBe('action');
    const missing = await call(`/cases/${n}/commands`, { command: 'tindakan', cause: 'x' });
    expect(missing.status).toBe(400);
    const detail = (await (await call(`/cases/${n}`)).json()) as { events: { actor: string; type: string }[]; correctiveActions: unknown[] };
    expect(detail.correctiveActions).toHaveLength(1);
    expect(detail.events.some((e) => e.actor === 'officer:api:admin:budi' && e.type === 'corrective_action')).toBe(true);
    expect((await call('/cases/ADU-1999-000001')).status).toBe(404);
    // ?limit= caps the list (newest first); a wrong limit says what it takes
    expect(((await (await call('/cases?limit=1')).json()) as unknown[])).toHaveLength(1);
    const badLimit = await call('/cases?limit=0');
    expect(badLimit.status).toBe(400);
    expect(JSON.stringify(await badLimit.json())).toContain('limit');
  });

  it('finds a citizen\'s cases by phone, e-mail or name (a citizen asking without the case number), and filters the list by division and kind', async () => {
    const text = 'Selokan di Jl. Wates mampet, air meluap ke rumah warga.';
    await fetch(`${web}/v1/messages`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ name: 'Rina Kartika', phone: '0813 5555 0101', text }) });
    await waitFor(() => listCases(h.db).some((c) => c.text === text && c.status !== 'received'));
    const mine = listCases(h.db).find((c) => c.text === text)!;
    type Found = { contact: { name: string; phone: string }; cases: { number: string }[] }[];
    for (const q of ['phone=%2B6281355550101', 'phone=0813-5555-0101', 'name=KARTIKA', 'name=rina&phone=081355550101']) {
      const found = (await (await call(`/citizens?${q}`)).json()) as Found;
      expect(found.map((f) => [f.contact.name, f.contact.phone, f.cases.map((c) => c.number)]), q).toEqual([['Rina Kartika', '+6281355550101', [mine.number]]]);
    }
    expect(await (await call('/citizens?name=rina&phone=081200000000')).json()).toEqual([]);
    // each lookup is in the log with the officer, by what and how many, and nothing of whom
    const lookups = adminLog.filter((l) => l.includes('citizen lookup'));
    expect(lookups).toHaveLength(5);
    expect(JSON.parse(lookups[0]!)).toMatchObject({ officer: 'api:admin:budi', by: ['phone'], found: 1 });
    expect(lookups.join('')).not.toMatch(/5555|0101|rina|kartika/i);
    for (const [q, field] of [['', 'query'], ['phone=abc', 'phone'], ['name=ri', 'name']]) {
      const bad = await call(`/citizens?${q}`);
      expect(bad.status, q).toBe(400);
      expect(((await bad.json()) as { error: { details: { field: string } } }).error.details.field).toBe(field);
    }
    // the list by division and kind: only what matches all given
    const at = (await (await call(`/cases?division=${mine.division}&kind=${mine.kind}`)).json()) as { number: string; division: string; kind: string }[];
    expect(at.map((c) => c.number)).toContain(mine.number);
    expect(at.every((c) => c.division === mine.division && c.kind === mine.kind)).toBe(true);
    const elsewhere = (await (await call(`/cases?division=${mine.division === 'humas' ? 'komisi-a' : 'humas'}`)).json()) as { number: string }[];
    expect(elsewhere.map((c) => c.number)).not.toContain(mine.number);
  });

  it('settles a case with a label and, when given, the division it goes to', async () => {
    const text = 'Lampu taman di alun-alun selatan mati.';
    await fetch(`${web}/v1/messages`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email: 'b@example.org', text }) });
    const find = () => h.db.select().from(cases).where(eq(cases.summary, text)).get();
    await waitFor(() => find()?.status === 'forwarded');
    const n = find()!.number;
    const unknown = await call(`/cases/${n}/classify`, { label: 'statement', division: 'komisi-z' });
    expect(unknown.status).toBe(400);
    expect(((await unknown.json()) as { error: { message: string } }).error.message).toContain('unknown division komisi-z');
    const moved = await call(`/cases/${n}/classify`, { label: 'statement', division: 'komisi-c' });
    expect(await moved.json()).toEqual({ number: n, status: 'statement', kind: 'statement', division: 'komisi-c', copies: [] });
    const back = await call(`/cases/${n}/classify`, { label: 'complaint' });
    expect(await back.json()).toEqual({ number: n, status: 'received', kind: 'complaint', division: 'komisi-c', copies: [] });
  });
});
