/**
 * `aduan export --progress` (and the progress a terminal or a long export gets) writes its lines to
 * stderr: stdout, the export itself, is byte for byte what it was without them.
 */
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { closeDb, openDb } from '../../core/db/client.ts';
import { addEvent, insertCase } from '../../core/repo/cases.repo.ts';
import { exportCases } from '../../core/report.ts';
import { cliFixture } from '../helpers/cli.ts';

const BIN = path.resolve(import.meta.dirname, '..', '..', 'scripts', 'aduan.mjs');
const CASES = 20_001;
const fx = cliFixture('aduan-export-progress-');
afterAll(fx.dispose);
const db = openDb(fx.db);
db.transaction((tx) => {
  for (let i = 1; i <= CASES; i++) {
    const at = new Date(Date.UTC(2025, 0, 1) + i * 60_000).toISOString();
    const c = insertCase(tx, { number: `ADU-2025-${String(i).padStart(6, '0')}`, status: 'received', kind: 'complaint', divisionId: 'humas', contactId: null,
      channel: 'web', connectorId: 'web', subject: null, summary: `jalan rusak "${i}"\nbaris dua\u2028akhir, =1+1`, relatedToCaseId: null, now: at });
    addEvent(tx, { caseId: c.id, at, actorType: 'citizen', actor: '+6281234567890', type: 'received', toStatus: 'received' });
  }
});
const expected = { json: exportCases(db, undefined, undefined, 'json'), csv: exportCases(db, undefined, undefined, 'csv') };
closeDb(db);

/** The export's stdout as bytes, and its stderr. */
const exportRun = (...args: string[]) => {
  const r = spawnSync(process.execPath, [BIN, 'export', ...args, '--config', fx.config], { cwd: fx.dir, env: { ...process.env, ADUAN_CONFIG: '' }, maxBuffer: 256 * 1024 * 1024 });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr.toString('utf8') };
};

describe('aduan export progress', () => {
  it.each(['json', 'csv'] as const)('--format %s: progress lines on stderr, stdout byte for byte the export', (format) => {
    const withProgress = exportRun('--format', format, '--progress');
    expect(withProgress.status).toBe(0);
    expect(withProgress.stderr).toMatch(/^export: 10000 cases exported \([\d.]+ s\) …\nexport: 20000 cases exported \([\d.]+ s\) …\nexport: 20001 cases exported in [\d.]+ s\n$/);
    const plain = exportRun('--format', format);
    expect(plain.status).toBe(0);
    expect(Buffer.compare(withProgress.stdout, plain.stdout)).toBe(0);
    expect(Buffer.compare(withProgress.stdout, Buffer.from(expected[format], 'utf8'))).toBe(0);
    // no progress text in the export
    expect(withProgress.stdout.includes('cases exported')).toBe(false);
  }, 120_000);
});
