import { createHash } from 'node:crypto';
import { closeSync, existsSync, fsyncSync, mkdirSync, openSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';

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

  has(sha256: string): boolean {
    return existsSync(this.pathOf(sha256));
  }

  get(sha256: string): Buffer {
    return readFileSync(this.pathOf(sha256));
  }
}
