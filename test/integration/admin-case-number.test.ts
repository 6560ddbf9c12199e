/**
 * The admin API takes a case number in its path as the CLI does: as citizens' messages are read (any
 * case, spaces or dots instead of the dashes, without the leading zeros). Before,
 * GET /admin/cases/adu%202026%201 was 404 "No case adu 2026 1" for ADU-2026-000001, and so were the
 * commands, status and classify calls.
 */
import { pino } from 'pino';
import { rmSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { closeDb, openDb, type Db } from '../../core/db/client.ts';
import { createLogger } from '../../core/logger.ts';
import { insertCase } from '../../core/repo/cases.repo.ts';
import { startAdminApi } from '../../workers/admin.api.ts';
import { testConfig } from '../helpers/config.ts';
import { freePort } from '../helpers/ports.ts';

const TOKEN = 'admin-token-for-tests-0123456789';
let config: ReturnType<typeof testConfig>;
let db: Db;
let api: { close(): Promise<void>; port: number };

beforeAll(async () => {
  config = testConfig({ admin: { token: TOKEN, listen: { port: await freePort() } } });
  db = openDb(config.database.path);
  db.transaction((tx) => {
    insertCase(tx, { number: 'ADU-2026-000001', status: 'forwarded', kind: 'complaint', divisionId: 'humas', contactId: null,
      channel: 'web', connectorId: 'web', subject: null, summary: 'Jalan di Jl. Kenari gang 3 berlubang', relatedToCaseId: null, now: '2026-03-02T01:00:00.000Z' });
  });
  api = await startAdminApi({ config, db, logger: createLogger({ process: 'admin' }, pino.destination('/dev/null')), outboundChannels: new Set() });
});
afterAll(async () => {
  await api?.close();
  if (db) closeDb(db);
  if (config) rmSync(config.dataDir, { recursive: true, force: true });
});

const call = (path: string, body?: unknown) => fetch(`http://127.0.0.1:${api.port}/admin${path}`, {
  method: body === undefined ? 'GET' : 'POST',
  headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json', 'x-officer': 'budi' },
  ...(body === undefined ? {} : { body: JSON.stringify(body) }),
});

describe('admin API: case numbers typed the short ways', () => {
  it('GET /admin/cases/<number> and a command on it read "adu 2026 1" as ADU-2026-000001', async () => {
    for (const typed of ['adu 2026 1', 'Adu.2026.1', 'adu2026000001']) {
      const res = await call(`/cases/${encodeURIComponent(typed)}`);
      expect(res.status, typed).toBe(200);
      expect(((await res.json()) as { number: string }).number, typed).toBe('ADU-2026-000001');
    }
    const note = await call(`/cases/${encodeURIComponent('adu 2026 1')}/commands`, { command: 'catatan', text: 'warga datang lagi' });
    expect(note.status).toBe(200);
    expect(((await note.json()) as { number: string }).number).toBe('ADU-2026-000001');
  });

  it('a number still not found is 404, naming the number read', async () => {
    const res = await call(`/cases/${encodeURIComponent('adu 2026 9')}`);
    expect(res.status).toBe(404);
    expect(((await res.json()) as { error: { message: string } }).error.message).toBe('No case ADU-2026-000009');
  });
});
