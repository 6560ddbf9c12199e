import { Command } from 'commander';
import { once } from 'node:events';
import { createReadStream, existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { AduanError, isAduanError } from '../core/errors.ts';
import type { Db } from '../core/db/client.ts';
import type { CaseFilter, CaseListItem } from '../core/repo/cases.repo.ts';
import type { AduanConfig } from '../core/config/schema.ts';

// Each command imports what it uses when it runs (`await import` in its action): `aduan --help` or
// `aduan cases show` need neither BullMQ/ioredis nor the classifier, and tsx would load and check every
// module of the graph first (1.4–1.9 s of every command on a loaded 2-core machine, before this).
const configModule = () => import('./load-config.ts');
const dbClient = () => import('../core/db/client.ts');
const casesRepo = () => import('../core/repo/cases.repo.ts');
/** instance.casePrefix of the config a command loaded (for the example in "No case …"). */
let casePrefix = 'ADU';
/** The config, as every command but `start`/`connector`/`worker` loads it (--config, ADUAN_CONFIG, config/aduan.yaml, else the demo). */
const loadAduanConfig = async (file?: string) => {
  const loaded = await (await configModule()).loadAduanConfig(file);
  casePrefix = loaded.config.instance.casePrefix;
  return loaded;
};

/**
 * A case number as the officer typed it, read as citizens' messages are ("adu 2026 1", "ADU.2026.1",
 * "adu2026000001" → ADU-2026-000001: core/case-number.ts); other text as typed, to be told it is no case.
 */
async function caseArg(typed: string): Promise<string> {
  return (await import('../core/case-number.ts')).typedCaseNumber(typed) ?? typed.trim();
}
/** Said after "No case …": how a case number is written and how to find one. */
async function notFoundHint(): Promise<string> {
  const { exampleCaseNumber } = await import('../core/case-number.ts');
  const example = exampleCaseNumber(casePrefix, new Date().getFullYear());
  return `A case number is written like ${example} (or ${example.toLowerCase().replaceAll('-', ' ').replace(/ 0+/, ' ')}). List cases with: aduan cases list (--status, --division, --kind); a citizen's by their phone, e-mail or name: aduan cases find`;
}

// `aduan cases list | head`: the reader went away; that is the end of the output, not a crash
// (not for the long-running processes: they log, and stop only when told to)
if (!process.argv.slice(2).some((a) => a === 'start' || a === 'connector' || a === 'worker')) {
  process.stdout.on('error', (err: NodeJS.ErrnoException) => {
    if (err.code !== 'EPIPE') throw err;
    process.exit(0);
  });
}

const program = new Command();
program.name('aduan').description('Aduan — complaint intake gateway of the Sekretariat DPRD Kota Yogyakarta').option('-c, --config <path>', 'config file (default: $ADUAN_CONFIG, config/aduan.yaml, else the demo)');
const cfgPath = (): string | undefined => program.opts<{ config?: string }>().config;

/**
 * The gateway's database, for commands that read or act on cases: it must exist already. Opening a
 * mistyped path, or a relative one from another directory, would create an empty database and show
 * the operator an empty gateway.
 */
async function existingDb(loaded: { config: { database: { path: string } }; file: string }): Promise<Db> {
  const p = loaded.config.database.path;
  if (p !== ':memory:' && !existsSync(p)) throw new AduanError('DB.NOT_FOUND', { path: path.resolve(p), file: loaded.file, cwd: process.cwd() });
  return (await dbClient()).openDb(p);
}

program.command('start').description('run everything in the foreground under PM2 (starts a local Redis when needed)').action(async () => {
  const { runStart } = await import('./start.ts');
  process.exitCode = await runStart(cfgPath());
});

program.command('connector <id>').description('run one channel (what PM2 runs)').action(async (id: string) => {
  const { runConnector } = await import('./processes.ts');
  await runConnector(id, cfgPath());
});

program.command('worker <name>').description('run one worker: intake | forward | scheduler').action(async (name: string) => {
  const { runWorker } = await import('./processes.ts');
  await runWorker(name, cfgPath());
});

program.command('migrate').description('apply database migrations').action(async () => {
  const { config } = await loadAduanConfig(cfgPath());
  const { closeDb, openDb } = await dbClient();
  closeDb(openDb(config.database.path));
  console.log(`database ${config.database.path} is up to date`);
});

program.command('backup').description('copy the database (consistently, while the gateway runs) and new attachments into a backup folder')
  .option('--to <dir>', 'backup folder (default: backup.dir, else <database folder>/backup)')
  .option('--keep <n>', 'database backups kept, newest first (default: backup.keep)')
  .action(async (opts: { to?: string; keep?: string }) => {
    const loaded = await loadAduanConfig(cfgPath());
    const { config } = loaded;
    if (config.database.path === ':memory:') throw new AduanError('BACKUP.FAILED', { dir: '-', detail: 'database.path is :memory: (nothing on disk to back up)' });
    const keep = opts.keep === undefined ? config.backup.keep : Number(opts.keep);
    if (!Number.isInteger(keep) || keep < 1) throw new AduanError('INPUT.INVALID', { field: '--keep', detail: 'a whole number of backups to keep, at least 1' });
    (await dbClient()).closeDb(await existingDb(loaded));
    const toDir = opts.to ?? config.backup.dir ?? path.join(path.dirname(config.database.path), 'backup');
    const { backupDatabase } = await import('../core/backup.ts');
    const mb = (n: number): string => `${(n / 1048576).toFixed(1)} MB`;
    console.error(`backup: copying ${path.resolve(config.database.path)} → ${path.resolve(toDir)}`);
    const r = await backupDatabase({
      database: config.database.path, storageDir: config.storage.dir, toDir, keep,
    });
    console.log(`backup ${r.file}: ${mb(r.bytes)}, ${r.cases} case(s), ${r.messages} message(s), checked; attachments: ${r.storage.copied} copied (${mb(r.storage.bytes)}), ${r.storage.present} already there${r.storage.staleRemoved > 0 ? `, ${r.storage.staleRemoved} half-copied one(s) of an interrupted run removed` : ''}; ${r.removed.length} old backup(s) removed (keeping ${keep}); ${(r.ms / 1000).toFixed(1)} s`);
  });

/**
 * Connector heaps are small (live heap ≈ 30 MB) but V8 grows them lazily; these caps keep RSS within
 * the targets measured by `npm run bench -- email` (178.7 MB ≤ 200) and `-- telegram` (125.6 MB ≤ 150).
 * Attachments are Buffers, outside the capped heap.
 */
const V8_FLAGS: Readonly<Record<string, string[]>> = {
  email: ['--max-old-space-size=160'],
  telegram: ['--max-old-space-size=128', '--max-semi-space-size=2'],
};
/**
 * The intake worker (classify + dedupe + route against the SQLite history): with this cap
 * `node --max-old-space-size=192 --import tsx scripts/bench.ts understanding` peaks at ≈ 420 MB RSS at
 * 10^6 stored cases, of which ≈ 100 MB is the in-memory repeat index (dedupe.memoryIndexMb) and up to
 * 64 MB SQLite's page cache (≤ 500 MB is the target; without the heap cap V8 alone grew past 500 MB).
 */
const INTAKE_V8_FLAGS = ['--max-old-space-size=192'];

program.command('pm2-apps').description('print the PM2 app list for ecosystem.config.cjs (JSON)').action(async () => {
  const { config, file, demo } = await loadAduanConfig(cfgPath());
  const { ROOT } = await configModule();
  // (stdout is PM2's app list: the warning goes to stderr, which `pm2 start` shows)
  if (demo) console.error(`aduan pm2-apps: no config given (ADUAN_CONFIG, --config) and none at ${path.join(ROOT, 'config', 'aduan.yaml')} or ./config/aduan.yaml: running the demo config ${file}`);
  const bin = path.join(ROOT, 'scripts', 'aduan.mjs');
  const common = { script: bin, interpreter: process.execPath, cwd: process.cwd(), env: { ADUAN_CONFIG: file }, kill_timeout: 15_000, wait_ready: true, listen_timeout: 30_000, autorestart: true, max_restarts: 50, exp_backoff_restart_delay: 200 };
  const apps = [
    ...config.channels.filter((c) => c.enabled).map((c) => ({ ...common, name: `aduan-connector-${c.id}`, args: ['connector', c.id], ...(V8_FLAGS[c.type] ? { node_args: V8_FLAGS[c.type] } : {}) })),
    { ...common, name: 'aduan-worker-intake', args: ['worker', 'intake'], node_args: INTAKE_V8_FLAGS },
    { ...common, name: 'aduan-worker-forward', args: ['worker', 'forward'] },
    { ...common, name: 'aduan-worker-scheduler', args: ['worker', 'scheduler'] },
  ];
  process.stdout.write(JSON.stringify(apps));
});

const cases = program.command('cases').description('inspect cases');
cases.command('list').option('--status <status>', 'only cases in this status').option('--division <id>', "only this division's cases")
  .option('--kind <kind>', 'only cases of this kind: complaint, statement, question or spam')
  .option('--json', 'JSON array').option('--limit <n>', 'at most n cases', '1000')
  .action(async (opts: { status?: string; division?: string; kind?: string; json?: boolean; limit: string }) => {
    const loaded = await loadAduanConfig(cfgPath());
    const { CASE_STATES, isCaseState } = await import('../core/lifecycle/states.ts');
    const { KIND_LABEL } = await import('../core/mail/compose.ts');
    const { closeDb } = await dbClient();
    const { countCases, listCases } = await casesRepo();
    if (opts.status !== undefined && !isCaseState(opts.status)) throw new AduanError('INPUT.INVALID', { field: '--status', detail: `"${opts.status}": one of ${Object.keys(CASE_STATES).join(', ')}` });
    const divisions = loaded.config.divisions.map((d) => d.id);
    if (opts.division !== undefined && !divisions.includes(opts.division)) throw new AduanError('INPUT.INVALID', { field: '--division', detail: `"${opts.division}": one of ${divisions.join(', ')} (divisions[].id)` });
    const kinds = Object.keys(KIND_LABEL);
    if (opts.kind !== undefined && !kinds.includes(opts.kind)) throw new AduanError('INPUT.INVALID', { field: '--kind', detail: `"${opts.kind}": one of ${kinds.join(', ')}` });
    const db = await existingDb(loaded);
    const filter: CaseFilter & { limit: number } = { limit: Number(opts.limit) };
    if (!Number.isInteger(filter.limit) || filter.limit < 1) {
      console.error(`--limit takes a whole number of cases from 1 up, not "${opts.limit}"`);
      process.exitCode = 2;
      return;
    }
    if (opts.status !== undefined) filter.status = opts.status;
    if (opts.division !== undefined) filter.division = opts.division;
    if (opts.kind !== undefined) filter.kind = opts.kind;
    const rows = listCases(db, filter);
    // (only when the page is full: what is beyond it, for the "showing N of M" line)
    const total = rows.length === filter.limit ? countCases(db, filter) : rows.length;
    closeDb(db);
    const which = `case(s)${opts.status === undefined ? '' : ` in ${opts.status}`}${opts.division === undefined ? '' : ` at ${opts.division}`}${opts.kind === undefined ? '' : ` of kind ${opts.kind}`}`;
    const showing = `showing the newest ${rows.length} of ${total} ${which}; --limit <n> shows more`;
    if (opts.json) {
      process.stdout.write(`${JSON.stringify(rows, null, 2)}\n`);
      // (stdout stays the JSON array; the note goes where a person reads it)
      if (total > rows.length) console.error(showing);
      return;
    }
    if (rows.length === 0) {
      console.log(`no ${which.replace('case(s)', 'cases')}`);
      return;
    }
    for (const r of rows) console.log(caseLine(r));
    console.log(total > rows.length ? showing : `${rows.length} ${which}`);
  });

function caseLine(r: CaseListItem): string {
  return `${r.number}  ${r.status.padEnd(17)} ${r.kind.padEnd(9)} ${r.division.padEnd(10)} ${r.channel.padEnd(8)} ${r.createdAt}  ${r.text.replace(/\s+/g, ' ').slice(0, 60)}`;
}

// a citizen asking at the desk or on the phone after their reports, without the case number
cases.command('find').description('the cases a citizen reported, by their phone, e-mail, Telegram chat or name')
  .option('--phone <number>', "the citizen's phone number (0812…, +62812…)").option('--email <address>', "the citizen's e-mail address")
  .option('--telegram <chat id>', "the citizen's Telegram chat id").option('--name <part>', 'a part of the name the citizen gave (any case)')
  .option('--json', 'JSON array of {contact, cases}')
  .action(async (opts: { phone?: string; email?: string; telegram?: string; name?: string; json?: boolean }) => {
    const loaded = await loadAduanConfig(cfgPath());
    const { FIND_NAME_MAX, findContacts } = await import('../core/repo/contacts.repo.ts');
    const q: Parameters<typeof findContacts>[1] = {};
    if (opts.phone !== undefined) {
      const { toE164 } = await import('../core/phone.ts');
      const phone = toE164(opts.phone, loaded.config.instance.phoneRegion);
      if (phone === null) throw new AduanError('INPUT.INVALID', { field: '--phone', detail: `"${opts.phone}" is no phone number (e.g. 081234567890 or +6281234567890)` });
      q.phone = phone;
    }
    if (opts.email !== undefined) q.email = opts.email;
    if (opts.telegram !== undefined) q.telegramChatId = opts.telegram;
    if (opts.name !== undefined) {
      if (opts.name.trim().length < 3) throw new AduanError('INPUT.INVALID', { field: '--name', detail: 'at least 3 letters of the name' });
      q.name = opts.name;
    }
    if (Object.keys(q).length === 0) throw new AduanError('INPUT.INVALID', { field: 'cases find', detail: 'give --phone, --email, --telegram or --name' });
    const db = await existingDb(loaded);
    const { closeDb } = await dbClient();
    const { listCases } = await casesRepo();
    const found = findContacts(db, q).map((contact) => ({ contact, cases: listCases(db, { contactIds: [contact.id], limit: 1000 }) }));
    closeDb(db);
    if (opts.json) {
      process.stdout.write(`${JSON.stringify(found.map(({ contact: c, cases: list }) => ({ contact: { name: c.name, phone: c.phone, email: c.email, telegramChatId: c.telegramChatId, ...(c.claimed ? { claimed: true } : {}) }, cases: list })), null, 2)}\n`);
      return;
    }
    if (found.length === 0) {
      console.log('no citizen with these details (a phone or e-mail must match in full; the name may be a part)');
      return;
    }
    const { claimedValue } = await import('../core/mail/compose.ts');
    for (const { contact: c, cases: list } of found) {
      console.log(`${c.name ?? '(no name)'} / ${c.phone ? claimedValue(c.phone, c.claimed) : '-'} / ${c.email ? claimedValue(c.email, c.claimed) : '-'}${c.telegramChatId ? ` / Telegram ${c.telegramChatId}` : ''}: ${list.length} case(s)`);
      for (const r of list) console.log(`  ${caseLine(r)}`);
    }
    if (found.length === FIND_NAME_MAX) console.log(`the first ${FIND_NAME_MAX} citizens shown: give more of the name, or the phone or e-mail`);
  });
cases.command('show <number>').option('--json', 'JSON').action(async (typed: string, opts: { json?: boolean }) => {
  const loaded = await loadAduanConfig(cfgPath());
  const db = await existingDb(loaded);
  const { closeDb } = await dbClient();
  const number = await caseArg(typed);
  const detail = (await casesRepo()).caseDetail(db, number);
  closeDb(db);
  if (!detail) {
    console.error(`No case ${number}${number === typed ? '' : ` (typed "${typed}")`}. ${await notFoundHint()}`);
    process.exitCode = 1;
    return;
  }
  if (opts.json) {
    process.stdout.write(`${JSON.stringify(detail, null, 2)}\n`);
    return;
  }
  console.log(`${detail.number} — ${detail.status} (${detail.kind}) — ${detail.division} — via ${detail.channel}`);
  const { claimedValue } = await import('../core/mail/compose.ts');
  const claimed = detail.contact.claimed === true;
  console.log(`Contact: ${detail.contact.name ?? '-'} / ${detail.contact.phone ? claimedValue(detail.contact.phone, claimed) : '-'} / ${detail.contact.email ? claimedValue(detail.contact.email, claimed) : '-'}`);
  // the problem's count (the whole report chain), also on a later report whose own reportCount is 1
  const same = detail.sameProblem;
  console.log(`Reported ${same.total + 1}×${detail.relatedTo ? `, recurring of ${detail.relatedTo}` : ''}`);
  if (same.total > 0) {
    const more = same.total - same.reports.length;
    console.log(`Same problem: ${same.reports.map((r) => `${r.number} (${r.status}${r.division === detail.division ? '' : `, ${r.division}`})`).join(', ')}${more > 0 ? ` and ${more} more` : ''}`);
  }
  if (detail.digest) {
    const d = detail.digest;
    console.log(`Joined ${d.joined} (no forward of its own): ${d.mail ? `listed in digest ${d.mail} (${d.mailStatus ?? 'unknown'})` : 'waiting for the next digest (dedupe.digestMinutes)'}`);
  }
  for (const h of detail.held) {
    const what = h.mail === 'forward' ? `forward to ${detail.division}: waits for the rest of the citizen's report (dedupe.continuationMinutes; #alihkan or #kaji sends it now)`
      : h.mail === 'triage' ? 'notice to the desk: waits for the rest of the citizen\'s message (dedupe.continuationMinutes)'
        : `${h.mail}: the citizen's additions, sent together to the division (dedupe.continuationMinutes)`;
    console.log(`Held until ${h.until}: ${what}`);
  }
  console.log('');
  console.log(detail.text, '\n');
  // the citizen's files, on every message of the case: where each is kept, or why it was not
  const files = detail.messages.flatMap((m) => m.attachments.map((a) => ({ ...a, receivedAt: m.receivedAt })));
  if (files.length > 0) {
    const { Storage } = await import('../core/storage.ts');
    const storage = new Storage(loaded.config.storage.dir);
    console.log(`Attachments (${files.length}):`);
    for (const a of files) {
      const where = a.withheld ? `not kept: ${a.withheld}` : a.sha256 ? storage.pathOf(a.sha256) : 'not kept';
      console.log(`  ${a.filename}  ${a.contentType}, ${a.size} bytes, received ${a.receivedAt}  ${where}`);
    }
    console.log('');
  }
  for (const e of detail.events) console.log(`${e.at}  ${e.type.padEnd(20)} ${e.actor}  ${e.from ?? ''}${e.to ? ` → ${e.to}` : ''}  ${e.text ?? ''}`);
});

type Service = typeof import('../core/lifecycle/service.ts');
/** An officer's command on a case: the config, the database and the lifecycle service (which loads the queue names, and with them BullMQ). */
async function withLifecycle<T>(fn: (deps: Parameters<Service['officerCommand']>[0], service: Service) => T): Promise<T> {
  const loaded = await loadAduanConfig(cfgPath());
  const { config } = loaded;
  const service = await import('../core/lifecycle/service.ts');
  const { closeDb } = await dbClient();
  const db = await existingDb(loaded);
  try {
    return fn({ config, db, outboundChannels: await outboundChannels(config) }, service);
  } finally {
    closeDb(db);
  }
}
/** An action on a case: the number as the officer typed it, read (caseArg) before the action runs. */
const onCase = <A extends unknown[]>(fn: (number: string, ...rest: A) => unknown) => async (typed: string, ...rest: A): Promise<void> => {
  await fn(await caseArg(typed), ...rest);
};
const officerName = (): string => process.env['ADUAN_OFFICER'] ?? `${process.env['USER'] ?? 'petugas'}@cli`;
const printed = (r: { confirmation: string }): void => console.log(r.confirmation);

cases.command('update <number>').description('set a status (transition rules apply; a result is sent with resolve, not --status awaiting_feedback)').requiredOption('--status <status>').option('--note <text>')
  .action(onCase((number: string, o: { status: string; note?: string }) => withLifecycle((d, { officerSetStatus }) => {
    const k = officerSetStatus(d, number, o.status, o.note ?? null, officerName());
    console.log(`${k.number}: ${k.status}`);
  })));
cases.command('review <number>').description('#kaji: the division has taken the case up').option('--note <text>', 'meeting note', '')
  .action(onCase((number: string, o: { note: string }) => withLifecycle((d, { officerCommand }) => printed(officerCommand(d, number, { kind: 'kaji', note: o.note }, officerName())))));
cases.command('action <number>').description('record the corrective action request (Permintaan Tindakan Perbaikan)')
  .requiredOption('--cause <text>').requiredOption('--plan <text>').requiredOption('--owner <name>').option('--due <date>')
  .action(onCase((number: string, o: { cause: string; plan: string; owner: string; due?: string }) => withLifecycle((d, { officerCommand }) =>
    printed(officerCommand(d, number, { kind: 'tindakan', cause: o.cause, plan: o.plan, owner: o.owner, due: o.due ?? null }, officerName())))));
cases.command('resolve <number>').description('send the result to the citizen with the PUAS / TIDAK PUAS question').requiredOption('--message <text>')
  .action(onCase((number: string, o: { message: string }) => withLifecycle((d, { officerCommand }) => printed(officerCommand(d, number, { kind: 'selesai', result: o.message }, officerName())))));
cases.command('note <number> <text...>').description('internal note')
  .action(onCase((number: string, text: string[]) => withLifecycle((d, { officerCommand }) => printed(officerCommand(d, number, { kind: 'catatan', text: text.join(' ') }, officerName())))));
cases.command('reroute <number> <division>').description('re-route to another division and forward again')
  .action(onCase((number: string, division: string) => withLifecycle((d, { officerCommand }) => printed(officerCommand(d, number, { kind: 'alihkan', division }, officerName())))));
cases.command('unlink <number>').description('#bukan-berulang: the report was linked to another report\'s problem by mistake; it is handled on its own').option('--note <text>')
  .action(onCase((number: string, o: { note?: string }) => withLifecycle((d, { officerCommand }) => printed(officerCommand(d, number, { kind: 'bukan-berulang', note: o.note ?? '' }, officerName())))));
cases.command('confirm-link <number>').description('#berulang: a report linked by problem (other words, the same place) is the same problem; it shares the problem\'s answers from now on').option('--note <text>')
  .action(onCase((number: string, o: { note?: string }) => withLifecycle((d, { officerCommand }) => printed(officerCommand(d, number, { kind: 'berulang', note: o.note ?? '' }, officerName())))));
cases.command('classify <number> <label>').description('settle a triage case: complaint | statement | question | spam')
  .option('--division <id>', 'route it to this division instead of the guessed one')
  .action(onCase((number: string, label: string, o: { division?: string }) => withLifecycle((d, { officerClassify }) => {
    if (!['complaint', 'statement', 'question', 'spam'].includes(label)) throw new AduanError('INPUT.INVALID', { field: 'label', detail: `"${label}": complaint, statement, question or spam` });
    const k = officerClassify(d, number, label as 'complaint', officerName(), o.division);
    console.log(`${k.number}: ${k.kind} → ${k.status} (${k.divisionId})`);
    if (k.copies.length > 0) console.log(`same text from other senders, settled with it: ${k.copies.join(', ')}`);
  })));

cases.command('skip-to <number>').description('after restoring a backup: the next case number follows <number> (the last one citizens were given), so none is given twice')
  .action(async (number: string) => {
    const loaded = await loadAduanConfig(cfgPath());
    const prefix = loaded.config.instance.casePrefix;
    // (six digits at most: a longer number would match no reply address or Message-ID, and the counter never goes back)
    const m = new RegExp(`^${prefix}-(\\d{4})-(\\d{6})$`).exec(await caseArg(number));
    const thisYear = new Date().getUTCFullYear();
    if (!m || Number(m[1]) > thisYear + 1 || Number(m[1]) < 2000) throw new AduanError('INPUT.INVALID', { field: 'number', detail: `"${number}": a case number of this gateway, ${prefix}-<year>-<up to six digits>, e.g. ${prefix}-${thisYear}-000123` });
    const db = await existingDb(loaded);
    const { closeDb } = await dbClient();
    const { skipCaseNumbersTo } = await casesRepo();
    try {
      const next = db.transaction((tx) => skipCaseNumbersTo(tx, prefix, Number(m[1]), Number(m[2])), { behavior: 'immediate' });
      console.log(next.moved ? `the next case number of ${m[1]} is ${next.next}` : `nothing to do: the next case number of ${m[1]} is already ${next.next}`);
    } finally {
      closeDb(db);
    }
  });
cases.command('add').description('manual intake: a walk-in complaint or a scanned letter (channel "manual")')
  .requiredOption('--text <text>', 'what the citizen reports').option('--name <name>').option('--phone <phone>').option('--email <email>').option('--subject <subject>')
  .option('--attach <file...>', 'scanned letter or photos (stored content-addressed)')
  .option('--wait <seconds>', 'how long to wait for the case number (the intake worker records it)', '10')
  .action(async (o: { text: string; name?: string; phone?: string; email?: string; subject?: string; attach?: string[]; wait: string }) => {
    const wait = Number(o.wait);
    if (!(wait >= 0 && wait <= 600)) throw new AduanError('INPUT.INVALID', { field: '--wait', detail: `"${o.wait}": seconds, 0 to 600` });
    const { manualIntake, caseNumberOf } = await import('./manual.ts');
    const { config, file } = await loadAduanConfig(cfgPath());
    const id = await manualIntake(config, o, officerName(), file, (line) => console.error(line));
    // the citizen at the desk waits for their number: once the intake worker has recorded it
    const recorded = await caseNumberOf(config.database.path, id, wait * 1000);
    if (recorded) {
      const repeat = recorded.relation === 'duplicate' ? ' (already recorded: the same report of this citizen)' : '';
      console.log(`recorded as ${recorded.caseNumber}${repeat}; status ${recorded.caseStatus ?? '-'} — give this number to the citizen`);
    } else {
      console.log(`accepted ${id}, not recorded yet (is the intake worker running? aduan status); the case number appears in: aduan cases list`);
    }
  });

program.command('export').description('cases, events and corrective actions (SOP step 11)').option('--from <date>', 'YYYY-MM-DD (inclusive)').option('--to <date>', 'YYYY-MM-DD (inclusive)').option('--format <fmt>', 'csv | json', 'json')
  .option('--progress', 'a line on stderr every 10000 cases from the start (default: on a terminal, else once the export takes over a second)')
  .action(async (o: { from?: string; to?: string; format: string; progress?: boolean }) => {
    const { exportChunks } = await import('../core/report.ts');
    const { exportProgress } = await import('./export-progress.ts');
    // written a chunk of cases at a time, as read: a history of years does not fit in memory as one text
    const loaded = await loadAduanConfig(cfgPath());
    const db = await existingDb(loaded);
    const { closeDb } = await dbClient();
    // (stdout is the export: the progress goes to stderr only)
    const progress = exportProgress({ write: (line) => process.stderr.write(line), tty: process.stderr.isTTY === true, always: o.progress === true });
    try {
      for (const piece of exportChunks(db, o.from, o.to, o.format === 'csv' ? 'csv' : 'json', loaded.config.instance.timezone, progress.add)) {
        if (!process.stdout.write(piece)) await once(process.stdout, 'drain');
      }
      progress.done();
    } finally {
      closeDb(db);
    }
  });
program.command('report').description('monthly figures: per channel/division/kind, median times, satisfaction, top recurring').requiredOption('--month <YYYY-MM>').option('--csv', 'CSV instead of text')
  .action(async (o: { month: string; csv?: boolean }) => {
    const { monthlyReport } = await import('../core/report.ts');
    process.stdout.write(await withLifecycle((d) => monthlyReport(d.db, o.month, o.csv === true, d.config.instance.timezone)));
  });

const corpus = program.command('corpus').description('the classifier learns the secretariat\'s own messages from people\'s labels');
const labelsFile = (config: { database: { path: string } }, out?: string): string =>
  path.resolve(out ?? path.join(path.dirname(config.database.path), 'corpus', 'human-labels.jsonl'));
const countsOf = (perLabel: Record<string, number>): string => Object.entries(perLabel).map(([l, n]) => `${l} ${n}`).join(', ') || 'none yet';
corpus.command('export')
  .description('the labels officers and staff gave (cases classify, #aduan/#pertanyaan/#spam/#bukan-aduan, #alihkan) as JSON lines for scripts/train.ts --extra')
  .option('--out <file>', 'default: <database dir>/corpus/human-labels.jsonl')
  .action(async (o: { out?: string }) => {
    const { exportHumanLabels } = await import('./human-labels.ts');
    const { config } = await loadAduanConfig(cfgPath());
    const file = labelsFile(config, o.out);
    const r = await withLifecycle((d) => exportHumanLabels(d.db, file));
    console.log(`wrote ${r.rows} labelled messages (${countsOf(r.perLabel)}) to ${file}`);
    console.log(`retrain with them: aduan corpus train (or npx tsx scripts/train.ts --extra ${path.relative(process.cwd(), file)} --out data/model), then set classifier.modelDir and restart the intake worker`);
  });
corpus.command('train')
  .description('export the labels, retrain the classifier and topic model with them, and check the result on a held-out part of them against the shipped model')
  .option('--out <dir>', 'where the models go; default: <database dir>/model')
  .option('--weight <n>', 'times each label counts against the project\'s corpus (default 10)')
  .action(async (o: { out?: string; weight?: string }) => {
    const { exportHumanLabels } = await import('./human-labels.ts');
    const { trainModels } = await import('./train.ts');
    const { config } = await loadAduanConfig(cfgPath());
    const file = labelsFile(config);
    const r = await withLifecycle((d) => exportHumanLabels(d.db, file));
    console.log(`${r.rows} labelled messages (${countsOf(r.perLabel)}) exported to ${file}`);
    if (r.rows === 0) {
      console.error('nothing to train on yet: labels come from settled triage cases (aduan cases classify, #aduan/#pertanyaan/#spam) and #bukan-aduan');
      process.exitCode = 1;
      return;
    }
    const out = path.resolve(o.out ?? path.join(path.dirname(config.database.path), 'model'));
    const weight = o.weight === undefined ? undefined : Number(o.weight);
    if (weight !== undefined && !(weight > 0)) throw new Error(`--weight must be a positive number (got ${o.weight})`);
    trainModels({ extra: [file], ...(weight !== undefined ? { extraWeight: weight } : {}), out });
    console.log(`to use them: set classifier.modelDir: ${out} in the config, check it with aduan doctor, and restart the intake worker`);
  });

program.command('classify [text...]').description('classify TEXT, or JSON lines {"text": …} from stdin').option('--json', 'JSON output').allowUnknownOption(true)
  .action(async () => {
    const { ROOT } = await configModule();
    const mod = path.join(ROOT, 'scripts', 'classify.command.ts');
    if (!existsSync(mod)) {
      console.error('classifier not installed in this build');
      process.exitCode = 1;
      return;
    }
    const { runClassify } = (await import(mod)) as { runClassify: (argv: string[], opts: { config?: unknown }) => Promise<number> };
    // the words after `classify`, without the global --config/-c option commander also accepts there
    const argv = process.argv.slice(process.argv.indexOf('classify') + 1).filter((a, i, all) => !['--config', '-c'].includes(a) && !['--config', '-c'].includes(all[i - 1] ?? ''))
      .filter((a) => !a.startsWith('--config='));
    // (a config that does not load is an error, as for every command: falling back to the shipped
    // divisions and models would answer for another gateway than the one the intake worker runs)
    const { config } = await loadAduanConfig(cfgPath());
    process.exitCode = await runClassify(argv, { config });
  });

program.command('doctor').description('check config, Redis, database, mail and channels; exit 1 on failure').action(async () => {
  let failed = 0;
  const ok = (what: string): void => console.log(`✓ ${what}`);
  const bad = (what: string, why: string): void => {
    failed++;
    console.log(`✗ ${what}: ${why}`);
  };
  let loaded;
  try {
    loaded = await loadAduanConfig(cfgPath());
    ok(`config ${loaded.demo ? `${loaded.file} (demo)` : loaded.file}`);
    for (const w of loaded.warnings) console.log(`! ${w}`);
    const { pathsLine, placeholderSecrets, shippedSecretValues } = await import('./doctor-notes.ts');
    ok(pathsLine(loaded.config));
    // (a secret left as the example's or an obvious stand-in: named by its key, its value never shown)
    let shipped = new Set<string>();
    try {
      const { ROOT } = await configModule();
      shipped = shippedSecretValues(readFileSync(path.join(ROOT, 'config', 'aduan.example.yaml'), 'utf8'));
    } catch {
      // (an install without the example: the obvious placeholders are still found)
    }
    for (const w of placeholderSecrets(loaded.config, shipped)) console.log(`! ${w}`);
  } catch (err) {
    bad('config', (err as Error).message);
    process.exitCode = 1;
    return;
  }
  const { config } = loaded;
  const { connectForCli, shownRedisUrl } = await import('../core/queue.ts');
  const { createMailSender } = await import('../core/mail/transport.ts');
  // (one connection attempt, nothing retried: a Redis that is down is reported at once, not after seconds)
  let redis;
  try {
    redis = await connectForCli(config);
    const shown = `redis ${config.redis.url ? shownRedisUrl(config.redis.url) : '(default)'}`;
    // (the queue holds messages already acknowledged to their senders: a Redis that evicts keys under
    // memory pressure, or forgets them on a restart, loses them with no trace)
    const info = await redis.info().catch(() => '');
    const field = (name: string): string | undefined => new RegExp(`^${name}:(.*)$`, 'm').exec(info)?.[1]?.trim();
    const policy = field('maxmemory_policy');
    if (policy !== undefined && policy !== 'noeviction') {
      bad(shown, `maxmemory-policy is ${policy}: under memory pressure Redis deletes queued messages and jobs that senders were already told are taken. Set maxmemory-policy noeviction (redis.conf, or your provider's parameter group)`);
    } else {
      ok(shown);
    }
    if (field('aof_enabled') === '0') console.log('! redis: appendonly is off — a Redis restart loses the messages waiting in the queue since the last snapshot. Set appendonly yes (redis.conf)');
  } catch (err) {
    // (a Redis that answered too slowly is running: the message already says how to wait longer)
    const message = (err as Error).message;
    bad(`redis ${config.redis.url ? shownRedisUrl(config.redis.url) : '(default)'}`, message.includes('redis.cliTimeoutMs') ? message : `${message} — is redis-server running? (aduan start runs one)`);
  } finally {
    redis?.disconnect();
  }
  try {
    const { createAnalyzer } = await import('../core/understanding/index.ts');
    const a = createAnalyzer(config).analyze('Lampu jalan di depan rumah mati sejak seminggu, mohon diperbaiki.');
    ok(`models ${config.classifier.modelDir !== undefined ? path.resolve(config.classifier.modelDir) : '(shipped)'}: a test complaint reads as ${a.classification.label} for ${a.divisionId}`);
  } catch (err) {
    bad(`models ${config.classifier.modelDir !== undefined ? path.resolve(config.classifier.modelDir) : '(shipped)'}`, (err as Error).message);
  }
  if (config.database.path !== ':memory:' && !existsSync(config.database.path)) {
    // (before the first start this is normal; afterwards it means a wrong path or directory)
    console.log(`! database ${path.resolve(config.database.path)} does not exist yet: \`aduan start\` or \`aduan migrate\` creates it. If the gateway already runs, database.path is wrong${path.isAbsolute(config.database.path) ? '' : ` or aduan runs in another directory than the gateway (the default ${config.database.path}, or the demo's, is read from the current directory, ${process.cwd()}; a relative path written in a config file from the file's folder)`}`);
  } else {
    try {
      const db = await existingDb(loaded);
      const { closeDb } = await dbClient();
      const counts = (await import('../core/repo/outbox.repo.ts')).outboxCounts(db);
      const messageCount = (db.$client.prepare('SELECT count(*) AS n FROM messages').get() as { n: number }).n;
      const quarantined = (db.$client.prepare('SELECT count(*) AS n FROM quarantine WHERE resolved_at IS NULL').get() as { n: number }).n;
      closeDb(db);
      ok(`database ${path.resolve(config.database.path)} (${messageCount === 0 ? 'empty: no message taken in yet' : `${messageCount} message(s)`}; outbox: ${JSON.stringify(counts)})`);
      if (quarantined > 0) console.log(`! ${quarantined} message(s) in quarantine (input a channel or the intake worker could not take): aduan quarantine`);
    } catch (err) {
      bad(`database ${path.resolve(config.database.path)}`, (err as Error).message);
    }
  }
  {
    const { backupLine } = await import('./doctor-notes.ts');
    const line = backupLine(config);
    console.log(line.ok ? `✓ ${line.text}` : `! ${line.text}`);
  }
  try {
    const { Storage } = await import('../core/storage.ts');
    const sender = createMailSender(config, new Storage(config.storage.dir));
    await sender.verify();
    sender.close();
    ok(`mail transport ${config.mail.transport}${config.mail.transport === 'smtp' ? ` ${config.mail.smtp.host}:${config.mail.smtp.port}` : ` → ${path.resolve(config.mail.file.dir)}`}`);
  } catch (err) {
    bad(`mail transport ${config.mail.transport}`, (err as Error).message);
  }
  const { CONNECTORS } = await import('../connectors/registry.ts');
  for (const c of config.channels) {
    if (!c.enabled) {
      console.log(`- channel ${c.id} (${c.type}) disabled`);
      continue;
    }
    if (!CONNECTORS[c.type]) {
      bad(`channel ${c.id}`, `unknown type ${c.type}`);
      continue;
    }
    // (what the channel reads and writes on this machine: a Gammu spool or SMSD database)
    const { gammuSpoolProblems } = await import('./doctor-notes.ts');
    const spool = gammuSpoolProblems(c as unknown as Parameters<typeof gammuSpoolProblems>[0]);
    for (const f of spool.failures) bad(`channel ${c.id} (${c.type})`, f);
    for (const w of spool.warnings) console.log(`! channel ${c.id} (${c.type}): ${w}`);
    if (spool.failures.length === 0) ok(`channel ${c.id} (${c.type}) configured`);
  }
  const { repeatsLine } = await import('./doctor-notes.ts');
  ok(repeatsLine(config));
  const { checkEndpoint, endpointsOf } = await import('./doctor-listen.ts');
  for (const e of endpointsOf(config)) {
    const r = await checkEndpoint(e);
    if (r.ok) ok(`${r.where}: ${r.detail}`);
    else bad(r.where, r.detail);
  }
  process.exitCode = failed > 0 ? 1 : 0;
});

program.command('quarantine').description('messages a channel or the intake worker could not take (bad input): kept, never dropped')
  .option('--json', 'JSON').option('--limit <n>', 'at most n, newest first', '100')
  .action(async (opts: { json?: boolean; limit: string }) => {
    const db = await existingDb(await loadAduanConfig(cfgPath()));
    const { closeDb } = await dbClient();
    const rows = (await import('../core/repo/state.repo.ts')).listQuarantine(db, Math.max(1, Number(opts.limit) || 100), 'newest');
    closeDb(db);
    if (opts.json) {
      process.stdout.write(`${JSON.stringify(rows.map(({ payload: _payload, ...r }) => r), null, 2)}\n`);
      return;
    }
    if (rows.length === 0) {
      console.log('nothing in quarantine');
      return;
    }
    for (const r of rows) console.log(`${r.createdAt}  ${r.connectorId.padEnd(14)} ${r.code.padEnd(22)} ${r.externalId ?? '-'}  ${r.reason.replace(/\s+/g, ' ').slice(0, 120)}`);
    console.log(`${rows.length} quarantined message(s); the raw input is kept (raw_ref, payload) for a fix and a replay`);
  });

// (scripts/messages.ts: the messages recorded on no case)
program.command('messages').description('messages recorded without a case: questions about a case the sender has none of (--unmatched), auto-replies (--ignored)')
  .option('--unmatched', "questions about a case the sender has none of, answered 'tidak ditemukan'").option('--ignored', 'auto-replies, bounces, honeypot submissions')
  .option('--since <date>', 'from this day (YYYY-MM-DD, local time) or time (ISO) on').option('--phone <number>', "only this sender's (0812…, +62812…)").option('--email <address>', "only this sender's")
  .option('--limit <n>', 'at most n, newest first', '100').option('--json', 'JSON')
  .action(async (opts: import('./messages.ts').MessagesOptions) => {
    const loaded = await loadAduanConfig(cfgPath());
    const db = await existingDb(loaded);
    const { closeDb } = await dbClient();
    try {
      console.log((await import('./messages.ts')).listMessages(loaded.config, db, opts));
    } finally {
      closeDb(db);
    }
  });

program.command('logs').description("the gateway's JSON log lines as a person reads them (local time, level, process, message, fields): npx pm2 logs --raw | npx aduan logs")
  .argument('[files...]', 'log files (PM2 keeps them under ~/.pm2/logs); none: read standard input')
  .option('--level <level>', 'only lines at this level and above: trace, debug, info, warn, error, fatal')
  .option('--stack', "with an error's whole stack")
  .action(async (files: string[], opts: { level?: string; stack?: boolean }) => {
    const { levelNamed, viewLog } = await import('./log-view.ts');
    const minLevel = opts.level === undefined ? undefined : levelNamed(opts.level);
    if (opts.level !== undefined && minLevel === undefined) throw new AduanError('INPUT.INVALID', { field: '--level', detail: `"${opts.level}": one of trace, debug, info, warn, error, fatal` });
    // (the instance's timezone; the logs are read to find out what is wrong, a config that does not load among it)
    let timeZone = 'Asia/Jakarta';
    try {
      timeZone = (await loadAduanConfig(cfgPath())).config.instance.timezone;
    } catch {
      console.error(`(the config does not load: times in ${timeZone})`);
    }
    // (| head: the reader has gone, nothing is wrong)
    process.stdout.on('error', (e: NodeJS.ErrnoException) => { if (e.code === 'EPIPE') process.exit(0); else throw e; });
    const o = { timeZone, ...(minLevel !== undefined ? { minLevel } : {}), ...(opts.stack ? { stack: true } : {}) };
    if (files.length === 0) await viewLog(process.stdin, process.stdout, o);
    else for (const f of files) await viewLog(createReadStream(f), process.stdout, o);
  });

program.command('status').description('what the gateway is doing now: channels\' last input, queues, outbox, cases waiting, quarantine, backup').option('--json', 'JSON')
  .action(async (opts: { json?: boolean }) => {
    const loaded = await loadAduanConfig(cfgPath());
    const { config } = loaded;
    const db = await existingDb(loaded);
    const { closeDb } = await dbClient();
    try {
      const { gatherStatus, formatStatus } = await import('./status.ts');
      const { outboundQueueName, QUEUES } = await import('../core/queue.ts');
      const names = [QUEUES.intake, QUEUES.mail, ...[...await outboundChannels(config)].map(outboundQueueName), QUEUES.scheduler];
      const report = await gatherStatus(config, db, names);
      console.log(opts.json ? JSON.stringify(report, null, 2) : formatStatus(config, report));
    } finally {
      closeDb(db);
    }
  });

const dlq = program.command('dlq').description('dead-letter list: jobs that failed for good');
/** Outbound channel ids, without loading any connector. */
async function outboundChannels(config: Readonly<AduanConfig>): Promise<Set<string>> {
  const { CONNECTORS } = await import('../connectors/registry.ts');
  return new Set(config.channels.filter((c) => c.enabled && CONNECTORS[c.type]?.sendsReplies === true).map((c) => c.id));
}
async function dlqQueues(config: Readonly<AduanConfig>) {
  const { Queue } = await import('bullmq');
  const { outboundQueueName, QUEUES, queueSettings } = await import('../core/queue.ts');
  return [QUEUES.intake, QUEUES.mail, ...[...await outboundChannels(config)].map(outboundQueueName)].map((name) => ({ name, queue: new Queue(name, queueSettings(config, 'worker')) }));
}
dlq.command('list').option('--json', 'JSON').action(async (opts: { json?: boolean }) => {
  const { config } = await loadAduanConfig(cfgPath());
  const out: { queue: string; id: string | undefined; name: string; attempts: number; reason: string; failedAt: string | null }[] = [];
  for (const { name, queue: q } of await dlqQueues(config)) {
    for (const job of await q.getFailed(0, 999)) {
      out.push({ queue: name, id: job.id, name: job.name, attempts: job.attemptsMade, reason: job.failedReason, failedAt: job.finishedOn ? new Date(job.finishedOn).toISOString() : null });
    }
    await q.close();
  }
  if (opts.json) console.log(JSON.stringify(out, null, 2));
  else {
    for (const j of out) console.log(`${j.queue}  ${j.id}  attempts=${j.attempts}  ${j.failedAt ?? ''}  ${j.reason}`);
    console.log(`${out.length} dead-lettered job(s)`);
  }
});
dlq.command('replay').option('--queue <name>', 'only this queue').option('--id <jobId>', 'only this job').action(async (opts: { queue?: string; id?: string }) => {
  const { config } = await loadAduanConfig(cfgPath());
  const OUTBOUND_PREFIX = (await import('../core/queue.ts')).outboundQueueName('');
  let n = 0;
  for (const { name, queue: q } of await dlqQueues(config)) {
    if (opts.queue && opts.queue !== name) {
      await q.close();
      continue;
    }
    for (const job of await q.getFailed(0, 9999)) {
      if (opts.id && job.id !== opts.id) continue;
      // (a channel reply whose row is dead is sent again only when its job says it is a replay)
      if (name.startsWith(OUTBOUND_PREFIX)) await job.updateData({ ...(job.data as object), replay: true });
      await job.retry('failed');
      n++;
    }
    await q.close();
  }
  console.log(`replayed ${n} job(s)`);
});

try {
  await program.parseAsync(process.argv);
} catch (err) {
  if (isAduanError(err)) {
    console.error(`aduan: ${err.message} [${err.code}]`);
    if (err.code === 'CASE.NOT_FOUND') console.error(await notFoundHint());
  } else {
    console.error(`aduan: ${(err as Error).stack ?? String(err)}`);
  }
  process.exit(1);
}
