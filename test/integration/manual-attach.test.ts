/**
 * `aduan cases add --attach` (scripts/manual.ts): the files of a walk-in or a scanned letter get the type
 * every channel gives them, and storage.allowedTypes applies as it does on every channel. Before, a small
 * table of its own knew only .pdf .jpg .jpeg .png .txt: a .docx, .heic, .tif or .webp went to the division
 * as application/octet-stream (which its mail program cannot open), and a file of a type
 * storage.allowedTypes leaves out (a .zip, an .exe) was kept and forwarded all the same.
 */
import { Queue } from 'bullmq';
import { existsSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { closeDb, openDb } from '../../core/db/client.ts';
import { QUEUES, queueSettings } from '../../core/queue.ts';
import { manualIntake } from '../../scripts/manual.ts';
import { testConfig } from '../helpers/config.ts';
import { startRedis, type TestRedis } from '../helpers/redis.ts';

let redis: TestRedis;
let config: ReturnType<typeof testConfig>;
let queue: Queue;

beforeAll(async () => {
  redis = await startRedis({ durable: false });
  config = testConfig({ redisUrl: redis.url, storage: { maxAttachmentBytes: 100 * 1024, allowedTypes: ['image/', 'application/pdf', 'application/vnd.openxmlformats-officedocument.'] } });
  closeDb(openDb(config.database.path));
  queue = new Queue(QUEUES.intake, queueSettings(config, 'worker'));
}, 60_000);
afterAll(async () => {
  await queue?.close();
  await redis?.dispose();
  if (config) rmSync(config.dataDir, { recursive: true, force: true });
});

const file = (name: string, content = `isi ${name}`): string => {
  const p = path.join(config.dataDir, name);
  writeFileSync(p, content);
  return p;
};

describe('aduan cases add --attach', () => {
  it('gives a .docx, .heic, .tif, .webp (any case) the type its name says, as the division\'s mail sends it', async () => {
    const attach = [file('surat.docx'), file('foto.HEIC'), file('pindaian.tif'), file('foto.webp'), file('surat.pdf')];
    const id = await manualIntake(config, { text: 'Surat warga: talud sungai di Kampung Code longsor.', attach }, 'petugas@loket');
    const job = await queue.getJob(id);
    const files = (job!.data as { attachments: { filename: string; contentType: string; sha256?: string }[] }).attachments;
    expect(files.map((a) => [a.filename, a.contentType])).toEqual([
      ['surat.docx', 'application/vnd.openxmlformats-officedocument.wordprocessingml.document'],
      ['foto.HEIC', 'image/heic'],
      ['pindaian.tif', 'image/tiff'],
      ['foto.webp', 'image/webp'],
      ['surat.pdf', 'application/pdf'],
    ]);
    expect(files.every((a) => typeof a.sha256 === 'string')).toBe(true);
  }, 60_000);

  it('a file too large is recorded as not kept in the words the division and the citizen read, and the officer is told', async () => {
    const big = file('pindaian-besar.pdf', 'x'.repeat(150 * 1024));
    const told: string[] = [];
    const id = await manualIntake(config, { text: 'Surat warga: pohon tumbang di Jl. Kaliurang.', attach: [big] }, 'petugas@loket', undefined, (line) => told.push(line));
    const job = await queue.getJob(id);
    expect((job!.data as { attachments: unknown[] }).attachments).toEqual([
      { filename: 'pindaian-besar.pdf', contentType: 'application/pdf', size: 150 * 1024, withheld: 'melebihi batas ukuran 0.1 MB' },
    ]);
    expect(told).toEqual([`"${big}" is 150 KB, over storage.maxAttachmentBytes (100 KB): not kept; the case records it as not kept and the division's mail says so`]);
  }, 60_000);

  it('refuses a file of a type storage.allowedTypes leaves out, saying why and what to do; nothing is queued or stored', async () => {
    const before = await queue.count();
    const storageBefore = existsSync(config.storage.dir) ? readdirSync(config.storage.dir, { recursive: true }).length : 0;
    const zip = file('lampiran.zip');
    const call = manualIntake(config, { text: 'Surat warga: lampu jalan mati.', attach: [file('surat-2.pdf', 'surat kedua'), zip] }, 'petugas@loket');
    await expect(call).rejects.toMatchObject({ code: 'INPUT.INVALID' });
    await expect(call).rejects.toThrow(`"${zip}" is application/zip by its name, a type storage.allowedTypes (image/, application/pdf, application/vnd.openxmlformats-officedocument.) does not accept; nothing was recorded. Save it as PDF or a photo (JPEG, PNG), leave it out, or add the type to storage.allowedTypes`);
    const noName = file('pindaian');
    await expect(manualIntake(config, { text: 'Surat warga: lampu jalan mati.', attach: [noName] }, 'petugas@loket'))
      .rejects.toThrow(`"${noName}" is application/octet-stream (its name tells no type the gateway knows), a type storage.allowedTypes`);
    expect(await queue.count()).toBe(before);
    expect(existsSync(config.storage.dir) ? readdirSync(config.storage.dir, { recursive: true }).length : 0).toBe(storageBefore);
  }, 60_000);
});
