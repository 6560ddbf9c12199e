import { mkdir, readdir, readFile, rename, unlink, writeFile } from 'node:fs/promises';
import { randomUUID } from 'node:crypto';
import path from 'node:path';

/** A validated webhook request kept on disk until Redis takes it. */
export interface SpoolRecord {
  v: 1;
  receivedAt: string;
  /** The raw form body (already signature-checked). */
  body: string;
  idempotencyToken?: string;
}

/**
 * Twilio does not redeliver SMS webhooks, so a request we cannot queue at once is written here
 * (atomically: temp file + rename) and queued later. Each record is one file.
 */
export class TwilioSpool {
  constructor(readonly dir: string) {}

  async init(): Promise<void> {
    await mkdir(this.dir, { recursive: true });
    await mkdir(path.join(this.dir, 'bad'), { recursive: true });
  }

  async put(record: SpoolRecord, key: string): Promise<string> {
    const name = `${Date.now()}-${key.replace(/[^A-Za-z0-9]/g, '').slice(0, 40) || 'x'}-${randomUUID().slice(0, 8)}.json`;
    const tmp = path.join(this.dir, `.${name}.tmp`);
    await writeFile(tmp, JSON.stringify(record), { flush: true });
    await rename(tmp, path.join(this.dir, name));
    return name;
  }

  /** Spooled record names, oldest first. */
  async list(): Promise<string[]> {
    const names = await readdir(this.dir).catch(() => [] as string[]);
    return names.filter((n) => n.endsWith('.json') && !n.startsWith('.')).sort();
  }

  async read(name: string): Promise<SpoolRecord | null> {
    try {
      const r = JSON.parse(await readFile(path.join(this.dir, name), 'utf8')) as SpoolRecord;
      return r && r.v === 1 && typeof r.body === 'string' && typeof r.receivedAt === 'string' ? r : null;
    } catch {
      return null;
    }
  }

  async remove(name: string): Promise<void> {
    await unlink(path.join(this.dir, name)).catch(() => undefined);
  }

  async moveBad(name: string): Promise<void> {
    await rename(path.join(this.dir, name), path.join(this.dir, 'bad', name)).catch(() => undefined);
  }
}
