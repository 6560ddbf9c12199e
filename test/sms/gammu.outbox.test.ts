import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, renameSync, rmSync, unlinkSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pino } from 'pino';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ChannelReply, ConnectorContext } from '../../core/connector.ts';
import { gammuConfigSchema } from '../../connectors/gammu/gammu.config.ts';
import { GammuFilesConnector, OUTBOX_JOURNAL_DIR, parseJournalEntry, pruneOutboxJournal } from '../../connectors/gammu/gammu.files.ts';
import { decodeUtf16be } from '../../connectors/gammu/gammu.decode.ts';
import { waitFor } from '../helpers/ports.ts';

/**
 * The Gammu files backend's replies across a crash: the outbound job is retried after a restart
 * (the process died before BullMQ heard the send finished), with whatever the crash left on disk.
 * Each "restart" is a new connector on the same folders; the handler is what the outbound worker calls.
 */
describe('gammu files backend: a reply is written to the outbox once, across crashes and restarts', () => {
  let root: string;
  let outbox: string;
  let sent: string;
  const reply: ChannelReply = { outboxId: 'ADU-2026-000321.ack-0123456789ab', caseNumber: 'ADU-2026-000321', to: { phone: '+6281234567890' }, text: 'Aduan Anda kami terima dengan nomor ADU-2026-000321. Terima kasih 🙏' };

  /** A freshly started process: a new connector on the same spool folders; returns its outbound handler. */
  const restart = (): ((r: ChannelReply) => Promise<void>) => {
    let handler: ((r: ChannelReply) => Promise<void>) | undefined;
    const ctx = {
      config: { instance: { timezone: 'Asia/Jakarta', phoneRegion: 'ID' } },
      logger: pino({ level: 'silent' }),
      onOutbound: (h: (r: ChannelReply) => Promise<void>) => {
        handler = h;
      },
    } as unknown as ConnectorContext;
    const config = gammuConfigSchema.parse({ id: 'sms-gammu-once', type: 'gammu', backend: 'files', inboxPath: path.join(root, 'inbox'), processedPath: path.join(root, 'processed'), outboxPath: outbox });
    new GammuFilesConnector(config, ctx);
    return handler as (r: ChannelReply) => Promise<void>;
  };
  const outFiles = (): string[] => readdirSync(outbox).filter((f) => f.startsWith('OUT'));
  /** What SMSD does with a file it has sent: moves it to SentSMSPath. */
  const smsdSends = (): void => {
    for (const f of outFiles()) renameSync(path.join(outbox, f), path.join(sent, f));
  };

  beforeEach(() => {
    root = mkdtempSync(path.join(tmpdir(), 'aduan-gammu-out-'));
    outbox = path.join(root, 'outbox');
    sent = path.join(root, 'sent');
    mkdirSync(outbox);
    mkdirSync(sent);
  });
  afterEach(() => rmSync(root, { recursive: true, force: true }));

  it('SMSD sent the file and moved it away before the crash: the retried send after a restart writes nothing', async () => {
    await restart()(reply);
    expect(outFiles()).toHaveLength(1);
    smsdSends();
    // crash before the job was marked done; the restarted process retries it
    await restart()(reply);
    expect(outFiles()).toEqual([]);
    expect(readdirSync(sent)).toHaveLength(1);
    // and with SentSMSPath = OutboxPath SMSD deletes a sent file: still nothing written again
    for (const f of readdirSync(sent)) unlinkSync(path.join(sent, f));
    await restart()(reply);
    expect(outFiles()).toEqual([]);
  });

  it('the file still waits in the outbox: the retry does not add a second one', async () => {
    const send = restart();
    await send(reply);
    await restart()(reply);
    expect(outFiles()).toHaveLength(1);
  });

  it('a crash between the journal entry and the rename: the retry gives the written file its name, once', async () => {
    await restart()(reply);
    const [name] = outFiles();
    const [key] = readdirSync(path.join(outbox, OUTBOX_JOURNAL_DIR));
    // the state that crash leaves: the complete reply under its dot-name, SMSD has not seen it
    renameSync(path.join(outbox, name!), path.join(outbox, `.aduan-${key}.tmp`));
    await restart()(reply);
    expect(outFiles()).toEqual([name]);
    expect(decodeUtf16be(readFileSync(path.join(outbox, name!)).subarray(2))).toBe(reply.text);
    expect(readdirSync(outbox).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  });

  it('a crash while the dot-file was being written (no journal entry): the retry writes the whole reply once', async () => {
    await restart()(reply);
    const [key] = readdirSync(path.join(outbox, OUTBOX_JOURNAL_DIR));
    // start over from a half-written dot-file and no journal entry
    for (const f of outFiles()) unlinkSync(path.join(outbox, f));
    rmSync(path.join(outbox, OUTBOX_JOURNAL_DIR), { recursive: true });
    writeFileSync(path.join(outbox, `.aduan-${key}.tmp`), Buffer.from([0xfe, 0xff, 0x00]));
    await restart()(reply);
    expect(outFiles()).toHaveLength(1);
    expect(decodeUtf16be(readFileSync(path.join(outbox, outFiles()[0]!)).subarray(2))).toBe(reply.text);
    expect(readdirSync(outbox).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  });

  it('another reply is still written; old journal entries are pruned on start', async () => {
    const send = restart();
    await send(reply);
    await send({ ...reply, outboxId: 'ADU-2026-000321.result-1', text: 'Jalan sudah ditambal.' });
    expect(outFiles()).toHaveLength(2);
    const journal = path.join(outbox, OUTBOX_JOURNAL_DIR);
    const [oldest] = readdirSync(journal);
    const past = new Date(Date.now() - 30 * 86_400_000);
    utimesSync(path.join(journal, oldest!), past, past);
    expect(await pruneOutboxJournal(outbox, Date.now())).toBe(1);
    expect(readdirSync(journal)).toHaveLength(1);
    expect(existsSync(path.join(journal, oldest!))).toBe(false);
  });
});

describe('gammu files backend: a reply SMSD could not send is found in ErrorSMSPath by its journal entry', () => {
  let root: string;
  let outbox: string;
  let errors: string;
  beforeEach(() => {
    root = mkdtempSync(path.join(tmpdir(), 'aduan-gammu-err-'));
    outbox = path.join(root, 'outbox');
    errors = path.join(root, 'error');
    for (const d of ['inbox', 'outbox', 'error']) mkdirSync(path.join(root, d));
  });
  afterEach(() => rmSync(root, { recursive: true, force: true }));

  /** A connector on the spool with errorPath, its outbound handler, and the failures it reported. */
  const connector = (state: Map<string, unknown>) => {
    let handler: ((r: ChannelReply) => Promise<void>) | undefined;
    const failed: [string, string][] = [];
    const ctx = {
      config: { instance: { timezone: 'Asia/Jakarta', phoneRegion: 'ID' } },
      logger: pino({ level: 'silent' }),
      onOutbound: (h: (r: ChannelReply) => Promise<void>) => {
        handler = h;
      },
      lock: () => ({ isHeld: true, tryAcquire: async () => true, release: async () => undefined }),
      state: { get: (k: string) => state.get(k), set: (k: string, v: unknown) => state.set(k, v) },
      replyFailed: (id: string, reason: string) => failed.push([id, reason]),
    } as unknown as ConnectorContext;
    const config = gammuConfigSchema.parse({ id: 'sms-gammu-err', type: 'gammu', backend: 'files', inboxPath: path.join(root, 'inbox'), processedPath: path.join(root, 'processed'), outboxPath: outbox, errorPath: errors, scanIntervalMs: 50, settleMs: 0 });
    const instance = new GammuFilesConnector(config, ctx);
    return { instance, send: handler as (r: ChannelReply) => Promise<void>, failed };
  };
  const text = 'Hasil tindak lanjut aduan Anda: jalan sudah ditambal.';

  it('errorPath must be a folder of its own (SMSD ErrorSMSPath), not one of the spool folders', () => {
    const base = { id: 'sms-gammu-err', type: 'gammu', backend: 'files', inboxPath: '/var/spool/gammu/inbox', processedPath: '/var/spool/gammu/done', outboxPath: '/var/spool/gammu/outbox' };
    const r = gammuConfigSchema.safeParse({ ...base, errorPath: '/var/spool/gammu/outbox/' });
    expect(r.success).toBe(false);
    expect(r.error?.issues[0]).toMatchObject({ path: ['errorPath'], message: expect.stringContaining('outboxPath') });
    expect(gammuConfigSchema.safeParse({ ...base, errorPath: '/var/spool/gammu/error' }).success).toBe(true);
  });

  it('the outbox id comes from the journal, whole: the file name keeps it without its dot and cut to 40 characters', async () => {
    const first: ChannelReply = { outboxId: 'ADU-2026-000321.result-1', caseNumber: 'ADU-2026-000321', to: { phone: '+6281234567890' }, text };
    const second: ChannelReply = { ...first, outboxId: 'ADU-2026-000321.reclassified-statement-1741234567890', to: { phone: '+6281234567899' } };
    const c = connector(new Map());
    await c.send(first);
    await c.send(second);
    const [key] = readdirSync(path.join(outbox, OUTBOX_JOURNAL_DIR)).filter((k) => parseJournalEntry(readFileSync(path.join(outbox, OUTBOX_JOURNAL_DIR, k), 'utf8')).outboxId === second.outboxId);
    const file = parseJournalEntry(readFileSync(path.join(outbox, OUTBOX_JOURNAL_DIR, key!), 'utf8')).file!;
    expect(file.endsWith('_ADU-2026-000321reclassified-statement-17.txt')).toBe(true);
    // SMSD fails the second (no credit), the first waits in the outbox
    renameSync(path.join(outbox, file), path.join(errors, file));
    await c.instance.start();
    try {
      await waitFor(() => c.failed.length > 0);
      expect(c.failed.map(([id]) => id)).toEqual([second.outboxId]);
    } finally {
      await c.instance.stop();
    }
  });

  it('a reply written with a journal entry of the version before (file name only) is still written once, and not guessed at in ErrorSMSPath', async () => {
    const reply: ChannelReply = { outboxId: 'ADU-2026-000322.result-1', caseNumber: 'ADU-2026-000322', to: { phone: '+6281234567891' }, text };
    const other: ChannelReply = { ...reply, outboxId: 'ADU-2026-000323.result-1', to: { phone: '+6281234567892' } };
    const c = connector(new Map());
    await c.send(reply);
    await c.send(other);
    const journal = path.join(outbox, OUTBOX_JOURNAL_DIR);
    const entries = readdirSync(journal).map((k) => ({ k, ...parseJournalEntry(readFileSync(path.join(journal, k), 'utf8')) }));
    const old = entries.find((e) => e.outboxId === reply.outboxId)!;
    writeFileSync(path.join(journal, old.k), `${old.file}\n`); // what the version before wrote
    for (const e of entries) renameSync(path.join(outbox, e.file!), path.join(errors, e.file!));
    await c.send(reply); // a retry: the entry alone says SMSD had it
    expect(readdirSync(outbox).filter((f) => f.startsWith('OUT'))).toEqual([]);
    await c.instance.start();
    try {
      await waitFor(() => c.failed.length > 0);
      expect(c.failed.map(([id]) => id)).toEqual([other.outboxId]);
    } finally {
      await c.instance.stop();
    }
  });
});

