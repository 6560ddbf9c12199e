import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import type Database from 'better-sqlite3';
import type { Queue } from 'bullmq';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ALREADY_HANDED_SQL, failedSentSql, groupInboxRows, type InboxRow } from '../../connectors/gammu/gammu.sql.ts';
import { concatUdh, parseConcatUdh } from '../../connectors/gammu/gammu.udh.ts';
import { startHarness, type Harness } from '../helpers/harness.ts';
import { waitFor } from '../helpers/ports.ts';
import { getOutbox, insertOutbox, setOutboxStatus } from '../../core/repo/outbox.repo.ts';
import { outboundQueueName } from '../../core/queue.ts';
import { createGammuDb, insertInbox, smsdSent } from './gammu.fixtures.ts';
import { allJobs, intakeQueue, pushReply, quarantined } from './sms.helpers.ts';

/** Gammu's EncodeUTF8 (TextDecoded): a surrogate pair as one 4-byte sequence, a lone surrogate as 3 bytes of its own value. */
function gammuUtf8(text: string): Buffer {
  const out: Buffer[] = [];
  for (const ch of text) {
    const c = ch.codePointAt(0) as number;
    out.push(c >= 0xd800 && c <= 0xdfff ? Buffer.from([0xe0 | (c >> 12), 0x80 | ((c >> 6) & 0x3f), 0x80 | (c & 0x3f)]) : Buffer.from(ch, 'utf8'));
  }
  return Buffer.concat(out);
}

for (const version of [17, 18] as const) {
  describe(`gammu SQL backend, schema ${version} (Gammu's SQLite inbox, real Redis)`, () => {
    const ID = `sms-gammu-sql${version}`;
    let h: Harness;
    let q: Queue;
    let gdb: Database.Database;
    let running: Awaited<ReturnType<Harness['startConnector']>>;
    const root = mkdtempSync(path.join(tmpdir(), 'aduan-gammu-sql-'));
    const file = path.join(root, 'smsd.db');
    const unprocessed = (): number => (gdb.prepare(`SELECT COUNT(*) AS n FROM inbox WHERE Processed <> 'true'`).get() as { n: number }).n;
    const logLines: string[] = [];
    const said = (re: RegExp) => logLines.map((l) => JSON.parse(l) as { msg: string }).filter((l) => re.test(l.msg));
    const jobsOf = async (phone: string) => (await allJobs(q)).filter((j) => j.data.connectorId === ID && j.data.sender?.phone === phone);

    /** One multipart message the way this schema version stores it (v17: UDH only, v18: MessageID etc.). */
    const insertParts = (sender: string, parts: string[], order: number[], ref: number, at = '2026-03-04 09:00:00'): void => {
      let firstId = 0;
      for (const i of order) {
        const id = insertInbox(gdb, version, { sender, text: parts[i] as string, udh: concatUdh(ref, parts.length, i + 1), at, messageId: firstId, seq: i + 1, count: parts.length });
        if (version === 18) {
          if (firstId === 0) firstId = id;
          gdb.prepare('UPDATE inbox SET MessageID = ? WHERE ID = ?').run(firstId, id);
        }
      }
    };

    beforeAll(async () => {
      gdb = createGammuDb(file, version);
      const logs = new Writable({ write(chunk: Buffer, _enc, cb) { logLines.push(chunk.toString()); cb(); } });
      h = await startHarness({ channels: [{ id: ID, type: 'gammu', backend: 'sql', databasePath: file, scanIntervalMs: 150, multipartWaitSeconds: 1 }] }, { logs });
      q = intakeQueue(h);
    });
    afterAll(async () => {
      await q?.close();
      await h?.stop();
      gdb?.close();
      rmSync(root, { recursive: true, force: true });
    });

    it('reads singles, reassembles out-of-order multipart and Unicode, sets Processed only after enqueue', async () => {
      insertInbox(gdb, version, { sender: '081234560001', text: 'Trotoar rusak di Jl. Malioboro' });
      insertParts('+6281234560002', ['Air PDAM tidak mengalir ', 'sejak tiga hari di ', 'Kampung Gondolayu 😡'], [2, 0, 1], 0x42);
      insertInbox(gdb, version, { sender: '+6281234560003', text: 'Tolong — lampu lalu lintas mati', decoded: false });
      // bad input: USSD reply, 8-bit data, alphanumeric sender
      insertInbox(gdb, version, { sender: '*123#', text: 'Sisa pulsa Rp 1000', klass: 127 });
      insertInbox(gdb, version, { sender: '+6281234560004', text: 'binary', coding: '8bit' });
      insertInbox(gdb, version, { sender: 'INFO', text: 'Promo' });

      running = await h.startConnector(ID);
      await waitFor(() => unprocessed() === 0, 10_000);

      expect((await jobsOf('+6281234560001'))[0]?.data).toMatchObject({ channel: 'sms', text: 'Trotoar rusak di Jl. Malioboro', receivedAt: '2026-03-04T10:00:00+07:00' });
      const multi = await jobsOf('+6281234560002');
      expect(multi).toHaveLength(1);
      expect(multi[0]?.data.text).toBe('Air PDAM tidak mengalir sejak tiga hari di Kampung Gondolayu 😡');
      expect(multi[0]?.data.meta).toMatchObject({ parts: 3, schema: version });
      expect((await jobsOf('+6281234560003'))[0]?.data.text).toBe('Tolong — lampu lalu lintas mati');
      expect(quarantined(h, ID).map((r) => r.code).sort()).toEqual(['SMS.GAMMU_BINARY', 'SMS.GAMMU_USSD', 'SMS.SENDER_NOT_PHONE']);
    });

    it('waits for a missing part, then takes the rest marked incomplete', async () => {
      insertParts('+6281234560005', ['Satu ', 'Dua ', 'Tiga'], [0, 2], 0x43, '2026-03-04 09:10:00');
      await new Promise((r) => setTimeout(r, 400));
      expect(await jobsOf('+6281234560005')).toHaveLength(0);
      await waitFor(async () => (await jobsOf('+6281234560005')).length === 1, 5_000);
      const job = (await jobsOf('+6281234560005'))[0]!;
      expect(job.data.text).toBe('Satu Tiga');
      expect(job.data.meta).toMatchObject({ incomplete: true, missingParts: [2] });
      await waitFor(() => unprocessed() === 0);
    });

    it('an emoji a cheap phone split between two parts (half a surrogate pair in each) is joined, not mangled or quarantined', async () => {
      // 🚧 is D83D DEA7; SMSD stores each part's UCS-2 in Text as it came, and its UTF-8 of each half
      // (ED A0 BD, ED BA A7: no UTF-8) in TextDecoded — or nothing there at all
      const parts = ['Jalan berlubang dalam \uD83D', '\uDEA7 di Jl. Kaliurang km 5'];
      gdb.transaction(() => {
        insertParts('+6281234560007', parts, [0, 1], 0x44, '2026-03-04 09:20:00');
        insertParts('+6281234560008', parts, [1, 0], 0x45, '2026-03-04 09:21:00');
        const rows = gdb.prepare(`SELECT ID, Text, SenderNumber FROM inbox WHERE SenderNumber IN ('+6281234560007', '+6281234560008')`).all() as { ID: number; Text: string; SenderNumber: string }[];
        for (const r of rows) {
          const decoded = r.SenderNumber.endsWith('7') ? gammuUtf8(Buffer.from(r.Text, 'hex').swap16().toString('utf16le')) : Buffer.alloc(0);
          gdb.prepare('UPDATE inbox SET TextDecoded = CAST(? AS TEXT) WHERE ID = ?').run(decoded, r.ID);
        }
      })();
      await waitFor(async () => (await jobsOf('+6281234560007')).length === 1 && (await jobsOf('+6281234560008')).length === 1, 5_000);
      expect((await jobsOf('+6281234560007'))[0]?.data.text).toBe('Jalan berlubang dalam 🚧 di Jl. Kaliurang km 5');
      expect((await jobsOf('+6281234560008'))[0]?.data.text).toBe('Jalan berlubang dalam 🚧 di Jl. Kaliurang km 5');
      expect(quarantined(h, ID).map((r) => r.code).sort()).toEqual(['SMS.GAMMU_BINARY', 'SMS.GAMMU_USSD', 'SMS.SENDER_NOT_PHONE']);
      await waitFor(() => unprocessed() === 0);
    });

    it('leaves rows unprocessed while Redis is down and takes them afterwards; the log says so once, not on every poll', async () => {
      await h.redis.stop();
      insertInbox(gdb, version, { sender: '+6281234560006', text: 'Got sumbat di Jl. Taman Siswa' });
      await new Promise((r) => setTimeout(r, 800));
      expect(unprocessed()).toBe(1);
      const down = said(/intake queue unavailable/);
      expect(down).toHaveLength(1);
      expect(down[0]!.msg).toContain('1 SMS wait in Gammu\'s inbox table');
      await h.redis.restart();
      await waitFor(() => unprocessed() === 0, 15_000);
      expect(await jobsOf('+6281234560006')).toHaveLength(1);
      expect(said(/intake queue reachable again/)).toHaveLength(1);
      expect(said(/intake queue unavailable/)).toHaveLength(1);
    });

    it('sends replies through outbox / outbox_multipart (UCS-2 split, UDH, SequencePosition from 2), once', async () => {
      const long = `Aduan Anda nomor ADU-2026-000123 sudah diteruskan ke Komisi C. ${'Terima kasih atas laporan Anda, Bu Žaneta. '.repeat(3)}`;
      await pushReply(h, ID, { outboxId: 'ob-sql-1', caseNumber: 'ADU-2026-000123', to: { phone: '+6281234560001' }, text: long });
      await pushReply(h, ID, { outboxId: 'ob-sql-2', caseNumber: null, to: { phone: '+6281234560002' }, text: 'Terima kasih.' });
      await waitFor(() => (gdb.prepare('SELECT COUNT(*) AS n FROM outbox').get() as { n: number }).n === 2);
      const first = gdb.prepare(`SELECT * FROM outbox WHERE CreatorID = 'aduan-ob-sql-1'`).get() as Record<string, unknown>;
      expect(first).toMatchObject({ DestinationNumber: '+6281234560001', Coding: 'Unicode_No_Compression', MultiPart: 'true' });
      const rest = gdb.prepare('SELECT * FROM outbox_multipart WHERE ID = ? ORDER BY SequencePosition').all(first['ID']) as Record<string, unknown>[];
      const total = rest.length + 1;
      expect(rest.map((r) => r['SequencePosition'])).toEqual(Array.from({ length: rest.length }, (_, i) => i + 2));
      expect(parseConcatUdh(first['UDH'] as string)).toMatchObject({ total, seq: 1 });
      expect([first['TextDecoded'], ...rest.map((r) => r['TextDecoded'])].join('')).toBe(long);
      const short = gdb.prepare(`SELECT * FROM outbox WHERE CreatorID = 'aduan-ob-sql-2'`).get() as Record<string, unknown>;
      expect(short).toMatchObject({ TextDecoded: 'Terima kasih.', Coding: 'Default_No_Compression', MultiPart: 'false' });
    });

    it('a reply SMSD could not send (sentitems SendingError / Error / DeliveryFailed) is marked not delivered, once — also after a restart', async () => {
      const status = (id: string) => getOutbox(h.db, id)?.status;
      /** A reply of the intake's outbox (row, then job), handed to Gammu: sent as far as the connector knows. */
      const hand = async (outboxId: string, phone: string, text: string): Promise<void> => {
        insertOutbox(h.db, { id: outboxId, caseId: null, kind: 'channel', queue: outboundQueueName(ID), payload: {}, now: new Date().toISOString() });
        await pushReply(h, ID, { outboxId, caseNumber: outboxId.split('.')[0] as string, to: { phone }, text });
        await waitFor(() => status(outboxId) === 'sent');
      };
      const n = `${version}0`;
      const noCredit = `ADU-2026-0001${n}.result-1`;
      const bug = `ADU-2026-0002${n}.ack-0123456789ab`;
      const unreachable = `ADU-2026-0003${n}.result-1`;
      const fine = `ADU-2026-0004${n}.result-1`;
      // a long result (several parts: every part's row gets the status) and short ones
      await hand(noCredit, '+6281234561001', `Hasil tindak lanjut aduan: ${'jalan di Jl. Bantul sudah ditambal dan diaspal ulang. '.repeat(4)}`);
      await hand(bug, '+6281234561002', 'Aduan Anda kami terima.');
      await hand(unreachable, '+6281234561003', 'Hasil tindak lanjut: lampu sudah diganti.');
      await hand(fine, '+6281234561004', 'Hasil tindak lanjut: saluran sudah dibersihkan.');
      smsdSent(gdb, `aduan-${noCredit}`, 'SendingError', 38);
      smsdSent(gdb, `aduan-${bug}`, 'Error');
      smsdSent(gdb, `aduan-${unreachable}`, 'DeliveryFailed');
      smsdSent(gdb, `aduan-${fine}`, 'DeliveryOK');
      // another program's SMS on the same modem: not ours to mark
      gdb.prepare(`INSERT INTO sentitems (Text, ID, SenderID, CreatorID, Status) VALUES ('', 999999, '', 'Gammu', 'SendingError')`).run();
      await waitFor(() => [noCredit, bug, unreachable].every((id) => status(id) === 'dead'));
      expect(getOutbox(h.db, noCredit)?.lastError).toBe('Gammu SMSD: SendingError, kode 38 — SMS gagal dikirim (pulsa habis, tidak ada sinyal, atau nomor tidak valid)');
      expect(getOutbox(h.db, bug)?.lastError).toBe('Gammu SMSD: Error — kesalahan saat mengirim SMS');
      expect(getOutbox(h.db, unreachable)?.lastError).toBe('Gammu SMSD: DeliveryFailed — laporan pengiriman: SMS tidak sampai ke nomor tujuan');

      // reported once: marked 'sent' again (the way a second report would show), nothing marks them
      // again — neither the next polls, which read the same rows, nor a restarted connector
      const now = new Date().toISOString();
      for (const id of [noCredit, bug, unreachable]) setOutboxStatus(h.db, id, 'sent', now);
      const later = `ADU-2026-0005${n}.result-1`;
      await hand(later, '+6281234561005', 'Hasil tindak lanjut: pohon sudah dipangkas.');
      smsdSent(gdb, `aduan-${later}`, 'SendingError');
      await waitFor(() => status(later) === 'dead');
      await running.instance.stop();
      await running.runtime.close();
      running = await h.startConnector(ID);
      const afterRestart = `ADU-2026-0006${n}.result-1`;
      await hand(afterRestart, '+6281234561006', 'Hasil tindak lanjut: trotoar sudah diperbaiki.');
      smsdSent(gdb, `aduan-${afterRestart}`, 'SendingError');
      await waitFor(() => status(afterRestart) === 'dead');
      expect([noCredit, bug, unreachable, fine].map(status)).toEqual(['sent', 'sent', 'sent', 'sent']);
    });
  });
}

describe('v17 grouping by UDH', () => {
  const row = (ID: number, sender: string, udh: string, at = '2026-03-04 09:00:00'): InboxRow => ({
    ID, SenderNumber: sender, Text: '', TextDecoded: `p${ID}`, Coding: 'Default_No_Compression', UDH: udh, Class: -1, ReceivingDateTime: at, MessageID: null, SequencePosition: null, PartCount: null,
  });
  it('keeps a reused 8-bit reference apart when the parts are far apart in time', () => {
    const groups = groupInboxRows([
      row(1, '+62811', concatUdh(7, 2, 1), '2026-03-04 09:00:00'),
      row(2, '+62811', concatUdh(7, 2, 2), '2026-03-04 09:00:05'),
      row(3, '+62811', concatUdh(7, 2, 1), '2026-03-05 09:00:00'),
      row(4, '+62812', concatUdh(7, 2, 2), '2026-03-04 09:00:05'),
    ], 17, 600_000, 'Asia/Jakarta');
    expect(groups.map((g) => [...g.rows.values()].map((r) => r.ID))).toEqual([[1, 2], [3], [4]]);
  });
});

describe('gammu SQL backend queries on a years-old sentitems (every SMS SMSD ever sent, no index on CreatorID or Status)', () => {
  it('the reply check before a send and the failed-reply poll read a range of the primary key, not the whole table', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'aduan-gammu-plan-'));
    const db = createGammuDb(path.join(dir, 'smsd.db'), 18);
    try {
      for (const sql of [ALREADY_HANDED_SQL, failedSentSql(true)]) {
        const plan = (db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all(...(sql === ALREADY_HANDED_SQL ? ['aduan-x', 'aduan-x'] : [])) as { detail: string }[]).map((r) => r.detail);
        expect(plan.some((d) => /^SEARCH sentitems .*\(ID>\?\)/.test(d)), plan.join(' | ')).toBe(true);
        expect(plan.filter((d) => /^SCAN sentitems$/.test(d)), plan.join(' | ')).toEqual([]);
      }
    } finally {
      db.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
