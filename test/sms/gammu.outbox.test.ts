import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, renameSync, rmSync, unlinkSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pino } from 'pino';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ChannelReply, ConnectorContext } from '../../core/connector.ts';
import { gammuConfigSchema } from '../../connectors/gammu/gammu.config.ts';
import { GammuFilesConnector, OUTBOX_JOURNAL_DIR, pruneOutboxJournal } from '../../connectors/gammu/gammu.files.ts';
import { decodeUtf16be } from '../../connectors/gammu/gammu.decode.ts';

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
