import { mkdirSync, mkdtempSync, readdirSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { rename } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger, maskPii } from '../../core/logger.ts';
import { startHarness, type Harness } from '../helpers/harness.ts';
import { waitFor } from '../helpers/ports.ts';
import { utf16be } from './gammu.fixtures.ts';
import { pushReply } from './sms.helpers.ts';

function capture(): { lines: string[]; stream: Writable } {
  const lines: string[] = [];
  const stream = new Writable({ write(chunk: Buffer, _enc, cb) { lines.push(chunk.toString()); cb(); } });
  return { lines, stream };
}

describe('citizens\' numbers in Gammu file names never reach the log in full', () => {
  it('maskPii masks a number between underscores, as Gammu names carry it', () => {
    expect(maskPii('IN20260105_101500_00_+6281234567890_00.txt')).toBe('IN20260105_101500_00_***890_00.txt');
    expect(maskPii('IN20260105_101500_00_081234567890_00.txt')).toBe('IN20260105_101500_00_***890_00.txt');
    expect(maskPii('OUTA20260105_101500_00_+6281234567890_ADU-2026-000001ack-abc.txt')).toBe('OUTA20260105_101500_00_***890_ADU-2026-000001ack-abc.txt');
    expect(maskPii('IN20260105_101500_00_+6281234567890-3fa9c2d1e0')).toBe('IN20260105_101500_00_***890-3fa9c2d1e0');
    // a NIK or KK number (16 digits), also spaced as on the card; not a longer id (a tweet's), not a phone's digits
    expect(maskPii('nik 3471012345670001, kk 3471 0123 4567 0002.')).toBe('nik ***NIK, kk ***NIK.');
    expect(maskPii('tweet 1234567890123456789')).toBe('tweet 1234567890123456789');
    // dates, times, serials and case numbers stay
    expect(maskPii('took 1234 ms, case ADU-2026-000123, IN20260105_101500_00')).toBe('took 1234 ms, case ADU-2026-000123, IN20260105_101500_00');
  });

  it('masks error messages and paths (an fs error names the file)', async () => {
    const { lines, stream } = capture();
    const log = createLogger({ process: 'test', connector: 'sms-gammu' }, stream);
    const err = await rename('/nonexistent/IN20260105_101500_00_+6281234567890_00.txt', '/nonexistent/done/IN20260105_101500_00_+6281234567890_00.txt').catch((e: unknown) => e as Error);
    log.error({ err, file: 'IN20260105_101500_00_+6281234567890_00.txt' }, 'cannot move inbox file');
    log.error(err);
    log.warn('quarantined: IN20260105_101500_00_+6281234567890_00.txt: invalid UTF-16');
    const text = lines.join('');
    expect(lines).toHaveLength(3);
    expect(text).not.toContain('81234567890');
    expect(text).toContain('***890');
    const first = JSON.parse(lines[0]!) as { err: { code: string; message: string; path: string; type: string } };
    expect(first.err).toMatchObject({ code: 'ENOENT', type: 'Error' });
    expect(first.err.path).toBe('/nonexistent/IN20260105_101500_00_***890_00.txt');
  });

  describe('the Gammu files connector, logging to a capture', () => {
    let h: Harness;
    const logs = capture();
    const root = mkdtempSync(path.join(tmpdir(), 'aduan-gammu-log-'));
    const inbox = path.join(root, 'inbox');
    const outbox = path.join(root, 'outbox');
    const backlogInbox = path.join(root, 'backlog-inbox');
    beforeAll(async () => {
      mkdirSync(inbox, { recursive: true });
      mkdirSync(backlogInbox, { recursive: true });
      for (const d of [outbox, path.join(root, 'backlog-outbox')]) mkdirSync(d, { recursive: true }); // SMSD's OutboxPath
      h = await startHarness({ channels: [
        { id: 'sms-gammu', type: 'gammu', backend: 'files', inboxPath: inbox, processedPath: path.join(root, 'processed'), outboxPath: outbox, scanIntervalMs: 200, settleMs: 50, multipartWaitSeconds: 1 },
        { id: 'sms-gammu-backlog', type: 'gammu', backend: 'files', inboxPath: backlogInbox, processedPath: path.join(root, 'backlog-processed'), outboxPath: path.join(root, 'backlog-outbox'), scanIntervalMs: 200, settleMs: 50 },
      ] }, { logs: logs.stream });
      await h.startConnector('sms-gammu');
    });
    afterAll(async () => {
      await h?.stop();
      rmSync(root, { recursive: true, force: true });
    });

    it('logs queued, quarantined and reply files with the number masked', async () => {
      writeFileSync(path.join(inbox, 'IN20260304_101500_00_+6281234567891_00.txt'), utf16be('Jalan berlubang di Jl. Kusumanegara'));
      writeFileSync(path.join(inbox, 'IN20260304_101600_00_+6281234567892_00.txt'), Buffer.from([0xfe, 0xff, 0xd8, 0x3d, 0x00]));
      await waitFor(() => readdirSync(inbox).length === 0);
      await pushReply(h, 'sms-gammu', { outboxId: 'ob-log-1', caseNumber: 'ADU-2026-000001', to: { phone: '+6281234567893' }, text: 'Aduan Anda diterima.' });
      await waitFor(() => readdirSync(outbox).some((f) => f.startsWith('OUT')));
      await waitFor(() => logs.lines.some((l) => l.includes('SMS reply written')));
      const text = logs.lines.join('');
      expect(text).toContain('SMS queued');
      expect(text).toContain('quarantined');
      for (const n of ['81234567891', '81234567892', '81234567893']) expect(text).not.toContain(n);
      expect(text).toContain('***891');
    });

    it('a backlog at start (SMSD kept receiving while Aduan was stopped) logs how many wait and its progress, not only one line per SMS', async () => {
      // written while the connector was stopped (an hour ago): all settled at the first scan
      const before = new Date(Date.now() - 3_600_000);
      for (let i = 0; i < 250; i++) {
        const file = path.join(backlogInbox, `IN20260301_${10 + Math.floor(i / 60)}${String(i % 60).padStart(2, '0')}00_00_+628123456${7000 + i}_00.txt`);
        writeFileSync(file, utf16be(`Laporan ${i}: lampu jalan mati`));
        utimesSync(file, before, before);
      }
      await h.startConnector('sms-gammu-backlog');
      await waitFor(() => readdirSync(backlogInbox).length === 0, 20_000);
      const msgsOf = () => logs.lines.map((l) => JSON.parse(l) as { msg: string; connector: string }).filter((l) => l.connector === 'sms-gammu-backlog').map((l) => l.msg);
      // (the last line is written after the last file has left the inbox)
      await waitFor(() => msgsOf().includes('backlog taken: 250 SMS'), 20_000);
      const msgs = msgsOf();
      expect(msgs).toContain('taking a backlog of 250 SMS from the inbox folder');
      expect(msgs).toContain('backlog: 100 of 250 SMS taken');
      expect(msgs).toContain('backlog: 200 of 250 SMS taken');
      expect(msgs).toContain('backlog taken: 250 SMS');
    });

    it('Redis down with SMS waiting: one warning saying how many wait and where, not one per file and scan; one line when it is back', async () => {
      await h.redis.stop();
      for (let i = 0; i < 40; i++) writeFileSync(path.join(inbox, `IN20260304_11${String(i).padStart(2, '0')}00_00_+62812345679${String(i).padStart(2, '0')}_00.txt`), utf16be(`Aduan nomor ${i}: jalan rusak`));
      const said = (re: RegExp) => logs.lines.map((l) => JSON.parse(l) as { msg: string; level: number }).filter((l) => re.test(l.msg));
      await waitFor(() => said(/intake queue unavailable/).length > 0, 10_000);
      // several more scans (every 200 ms) while Redis stays down
      await new Promise((r) => setTimeout(r, 1_500));
      const down = said(/intake queue unavailable/);
      expect(down).toHaveLength(1);
      expect(down[0]!.msg).toMatch(/: \d+ SMS wait in the inbox folder .*inbox, nothing is moved/);
      expect(down[0]!.msg).toContain('is Redis up?');
      await h.redis.restart();
      await waitFor(() => readdirSync(inbox).length === 0, 20_000);
      expect(said(/intake queue reachable again/)).toHaveLength(1);
      expect(said(/intake queue unavailable/)).toHaveLength(1);
    });
  });
});
