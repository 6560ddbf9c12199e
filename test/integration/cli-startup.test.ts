/**
 * `aduan` starts with what the command needs: an operator's `aduan --help`, `cases show` or `cases find`
 * waited 1.4–1.9 s on this machine while tsx loaded BullMQ, ioredis, libphonenumber-js, the lifecycle
 * service and every repo for any command. Which files a command loads is what is checked (no timing).
 */
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { closeDb, openDb } from '../../core/db/client.ts';
import { insertCase } from '../../core/repo/cases.repo.ts';
import { resolveContact } from '../../core/repo/contacts.repo.ts';
import { cliFixture } from '../helpers/cli.ts';

const fx = cliFixture('aduan-cli-startup-');
afterAll(fx.dispose);
const db = openDb(fx.db);
db.transaction((tx) => {
  const now = '2026-11-01T00:00:00.000Z';
  const siti = resolveContact(tx, { name: 'Siti Aminah', phone: '+6281234567890' }, now, 'sms');
  insertCase(tx, { number: 'ADU-2026-000001', status: 'forwarded', kind: 'complaint', divisionId: 'humas', contactId: siti.id,
    channel: 'web', connectorId: 'web', subject: null, summary: 'jalan rusak di Kotagede', relatedToCaseId: null, now });
});
closeDb(db);

const ROOT = path.resolve(import.meta.dirname, '..', '..');
/** The packages a command loaded, by name (`bullmq`, `@ioredis/commands`). */
const packagesOf = (files: string[]): Set<string> =>
  new Set(files.map((f) => /[/\\]node_modules[/\\]((?:@[^/\\]+[/\\])?[^/\\]+)/.exec(f)?.[1]?.replace(/\\/g, '/')).filter((p): p is string => p !== undefined));
/** The project's own files a command loaded, relative to the project (`core/queue.ts`). */
const ownFilesOf = (files: string[]): string[] =>
  files.filter((f) => f.startsWith(ROOT + path.sep) && !/[/\\]node_modules[/\\]/.test(f)).map((f) => path.relative(ROOT, f).split(path.sep).join('/'));

/** What only the running gateway needs: queues, the channels' libraries, mail, HTTP, logging. */
const GATEWAY_PACKAGES = ['bullmq', 'ioredis', 'imapflow', 'mailparser', 'nodemailer', 'express', 'telegraf', 'twilio', 'pino'];

describe('aduan loads only what a command needs', () => {
  it('--help: commander and the error catalogue, no config, database, queue or phone library', () => {
    const r = fx.runTracing('--help');
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('Usage: aduan');
    expect(r.stdout).toContain('cases');
    const packages = packagesOf(r.loaded);
    for (const p of [...GATEWAY_PACKAGES, 'zod', 'yaml', 'drizzle-orm', 'better-sqlite3', 'libphonenumber-js']) expect(packages, p).not.toContain(p);
    expect(ownFilesOf(r.loaded).sort()).toEqual(['core/errors.ts', 'scripts/aduan.mjs', 'scripts/cli.ts']);
  }, 60_000);

  it('cases show: the config and the case repository, not the lifecycle service, queues, classifier or phone library', () => {
    const r = fx.runTracing('cases', 'show', 'ADU-2026-000001');
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('ADU-2026-000001 — forwarded (complaint) — humas — via web');
    expect(r.stdout).toContain('Contact: Siti Aminah / +6281234567890 / -');
    const packages = packagesOf(r.loaded);
    for (const p of [...GATEWAY_PACKAGES, 'libphonenumber-js']) expect(packages, p).not.toContain(p);
    const own = ownFilesOf(r.loaded);
    expect(own).toContain('core/repo/cases.repo.ts');
    for (const f of ['core/queue.ts', 'core/lifecycle/service.ts', 'core/understanding/index.ts', 'connectors/sms/sms.common.ts', 'core/phone.ts']) expect(own, f).not.toContain(f);
  }, 60_000);

  it('cases find and list: no queue; the phone library only to read a --phone', () => {
    const byName = fx.runTracing('cases', 'find', '--name', 'siti');
    expect(byName.status).toBe(0);
    expect(byName.stdout).toContain('Siti Aminah / +6281234567890 / -: 1 case(s)');
    const packages = packagesOf(byName.loaded);
    for (const p of [...GATEWAY_PACKAGES, 'libphonenumber-js']) expect(packages, p).not.toContain(p);
    const byPhone = fx.runTracing('cases', 'find', '--phone', '0812-3456-7890');
    expect(byPhone.stdout).toContain('Siti Aminah / +6281234567890 / -: 1 case(s)');
    expect(packagesOf(byPhone.loaded)).not.toContain('bullmq');
    const list = fx.runTracing('cases', 'list');
    expect(list.stdout.trim().split('\n').at(-1)).toBe('1 case(s)');
    expect(packagesOf(list.loaded)).not.toContain('bullmq');
  }, 60_000);

  it('an officer\'s command (cases note): the lifecycle service writes the outbox rows, without BullMQ or ioredis', () => {
    const r = fx.runTracing('cases', 'note', 'ADU-2026-000001', 'warga', 'datang', 'lagi');
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('ADU-2026-000001');
    expect(ownFilesOf(r.loaded)).toContain('core/lifecycle/service.ts');
    const packages = packagesOf(r.loaded);
    for (const p of GATEWAY_PACKAGES) expect(packages, p).not.toContain(p);
  }, 60_000);

  it('classify: the classifier, not the intake worker and its queue', () => {
    const r = fx.runTracing('classify', 'jalan', 'rusak', 'di', 'Kotagede', 'mohon', 'diperbaiki');
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/^complaint \(confidence [\d.]+\) → humas/);
    const packages = packagesOf(r.loaded);
    for (const p of GATEWAY_PACKAGES) expect(packages, p).not.toContain(p);
    expect(ownFilesOf(r.loaded)).not.toContain('core/intake.ts');
  }, 60_000);
});
