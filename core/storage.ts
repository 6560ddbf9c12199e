import { createHash, randomUUID } from 'node:crypto';
import { closeSync, existsSync, fsyncSync, mkdirSync, openSync, readFileSync, renameSync, rmSync, statSync, writeFileSync, writeSync } from 'node:fs';
import path from 'node:path';

/**
 * A file written piece by piece as it arrives (a photo uploaded with the web form), without holding it
 * in memory: `commit` stores it under its sha256 (as `put` would), `discard` leaves nothing behind.
 */
export interface StorageWriter {
  write(chunk: Buffer): void;
  /** Bytes written so far. */
  readonly size: number;
  /** Synced and stored under its sha256, which it returns. */
  commit(): string;
  /** Removed; nothing is stored. Idempotent, never throws. */
  discard(): void;
}

/**
 * Content-addressed store for attachments and raw originals (local folder now; an S3-compatible
 * store later behind the same three methods). Writing the same bytes twice is a no-op.
 */
export class Storage {
  /** Folders already created: mkdir on every write was a measurable share of the e-mail connector's CPU. */
  private readonly made = new Set<string>();

  constructor(readonly dir: string) {}

  pathOf(sha256: string): string {
    return path.resolve(this.dir, sha256.slice(0, 2), sha256.slice(2, 4), sha256);
  }

  /**
   * Store bytes and return their sha256. Atomic: written to a temp file, synced, then renamed; a failed
   * write (disk full) leaves no temp file behind, and a file cut short by a power loss is written again.
   * Citizens' scans and mails are readable by the gateway's user and group only (0640, folders 0750).
   */
  put(content: Buffer | string): string {
    const buf = typeof content === 'string' ? Buffer.from(content, 'utf8') : content;
    const sha256 = createHash('sha256').update(buf).digest('hex');
    const target = this.pathOf(sha256);
    if (!existsSync(target) || statSync(target).size !== buf.length) {
      const folder = path.dirname(target);
      if (!this.made.has(folder)) {
        mkdirSync(folder, { recursive: true, mode: 0o750 });
        this.made.add(folder);
      }
      const tmp = `${target}.${process.pid}.${Date.now()}.tmp`;
      try {
        const fd = openSync(tmp, 'w', 0o640);
        try {
          writeFileSync(fd, buf);
          fsyncSync(fd);
        } finally {
          closeSync(fd);
        }
        renameSync(tmp, target);
      } catch (err) {
        rmSync(tmp, { force: true });
        throw err;
      }
    }
    return sha256;
  }

  /**
   * Store a file written piece by piece: the pieces go to a temp file (`incoming/<random>.tmp`, which
   * backups skip), hashed as they come; `commit` renames it to its sha256's place.
   */
  begin(): StorageWriter {
    const folder = path.resolve(this.dir, 'incoming');
    if (!this.made.has(folder)) {
      mkdirSync(folder, { recursive: true, mode: 0o750 });
      this.made.add(folder);
    }
    const tmp = path.join(folder, `${randomUUID()}.tmp`);
    const fd = openSync(tmp, 'wx', 0o640);
    const hash = createHash('sha256');
    let size = 0;
    let open = true;
    const close = (): void => {
      if (!open) return;
      open = false;
      closeSync(fd);
    };
    const discard = (): void => {
      try {
        close();
      } catch {
        // (closing failed: the file is removed all the same)
      }
      rmSync(tmp, { force: true });
    };
    return {
      get size() {
        return size;
      },
      write(chunk: Buffer) {
        if (!open) throw new Error('storage writer already finished');
        for (let done = 0; done < chunk.length;) done += writeSync(fd, chunk, done, chunk.length - done);
        hash.update(chunk);
        size += chunk.length;
      },
      commit: () => {
        try {
          fsyncSync(fd);
          close();
          const sha256 = hash.digest('hex');
          const target = this.pathOf(sha256);
          if (existsSync(target) && statSync(target).size === size) {
            rmSync(tmp, { force: true });
            return sha256;
          }
          const dir = path.dirname(target);
          if (!this.made.has(dir)) {
            mkdirSync(dir, { recursive: true, mode: 0o750 });
            this.made.add(dir);
          }
          renameSync(tmp, target);
          return sha256;
        } catch (err) {
          discard();
          throw err;
        }
      },
      discard,
    };
  }

  has(sha256: string): boolean {
    return existsSync(this.pathOf(sha256));
  }

  get(sha256: string): Buffer {
    return readFileSync(this.pathOf(sha256));
  }
}
