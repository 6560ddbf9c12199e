/**
 * `aduan cases show <number>` as the officer reads it (no --json): the citizen's files are listed — name,
 * type, size, when, and where each is kept, or why it was not. Before, only --json named them, though the
 * README promised that cases show lists a web form's photos.
 */
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { closeDb, openDb } from '../../core/db/client.ts';
import { insertCase } from '../../core/repo/cases.repo.ts';
import { insertMessage } from '../../core/repo/messages.repo.ts';
import { cliFixture } from '../helpers/cli.ts';

const fx = cliFixture('aduan-cases-show-');
afterAll(fx.dispose);
const sha = 'ab'.repeat(32);
const db = openDb(fx.db);
db.transaction((tx) => {
  const at = '2026-03-02T01:00:00.000Z';
  const k = insertCase(tx, { number: 'ADU-2026-000001', status: 'forwarded', kind: 'complaint', divisionId: 'humas', contactId: null,
    channel: 'web', connectorId: 'web', subject: null, summary: 'Jalan di Jl. Kenari gang 3 berlubang', relatedToCaseId: null, now: at });
  insertMessage(tx, { ingestId: 'm1', contactId: null, caseId: k.id, relation: 'new', recordedAt: at, message: {
    connectorId: 'web', channel: 'web', externalId: 'form-1', receivedAt: at, sender: {}, text: 'Jalan di Jl. Kenari gang 3 berlubang', meta: {},
    attachments: [
      { filename: 'lubang.jpg', contentType: 'image/jpeg', size: 2048, sha256: sha },
      { filename: 'foto.jpg', contentType: 'application/x-msdownload', size: 512, withheld: 'bukan foto: isinya bukan gambar JPEG, PNG, WebP atau HEIC, tidak disimpan' },
    ],
  } });
});
closeDb(db);

describe('aduan cases show', () => {
  it('lists the files the citizen sent: where each is kept, or why not', () => {
    const r = fx.run('cases', 'show', 'ADU-2026-000001');
    expect(r.status).toBe(0);
    const lines = r.stdout.split('\n');
    const at = lines.indexOf('Attachments (2):');
    expect(at).toBeGreaterThan(0);
    expect(lines[at + 1]).toBe(`  lubang.jpg  image/jpeg, 2048 bytes, received 2026-03-02T01:00:00.000Z  ${path.join(fx.dir, 'storage', 'ab', 'ab', sha)}`);
    expect(lines[at + 2]).toBe('  foto.jpg  application/x-msdownload, 512 bytes, received 2026-03-02T01:00:00.000Z  not kept: bukan foto: isinya bukan gambar JPEG, PNG, WebP atau HEIC, tidak disimpan');
  }, 60_000);
});
