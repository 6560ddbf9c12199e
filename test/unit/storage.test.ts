import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync, statSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { Storage } from '../../core/storage.ts';
import { shownRedisUrl } from '../../core/queue.ts';

const dir = mkdtempSync(path.join(tmpdir(), 'aduan-storage-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const files = (d: string): string[] => readdirSync(d, { recursive: true, withFileTypes: true }).filter((e) => e.isFile()).map((e) => path.join(e.parentPath, e.name));

describe('attachment storage', () => {
  it('keeps citizens\' files from other local users (0640, folders 0750)', () => {
    const s = new Storage(path.join(dir, 'a'));
    const sha = s.put('scan surat pengaduan');
    expect(statSync(s.pathOf(sha)).mode & 0o777).toBe(0o640);
    expect(statSync(path.dirname(s.pathOf(sha))).mode & 0o777).toBe(0o750);
  });

  it('a write that fails leaves no temp file behind; a file cut short is written again', () => {
    const s = new Storage(path.join(dir, 'b'));
    const sha = s.put('foto jalan rusak');
    // a power loss after the rename, before the data reached the disk: the file is there but short
    truncateSync(s.pathOf(sha), 0);
    expect(s.put('foto jalan rusak')).toBe(sha);
    expect(s.get(sha).toString()).toBe('foto jalan rusak');
    // a full disk, as a file-size limit (ulimit -f) for a real process: the write fails half way
    const full = path.join(dir, 'full');
    const script = path.join(dir, 'fill.ts');
    writeFileSync(script, `import { Storage } from ${JSON.stringify(path.resolve('core/storage.ts'))};
try { new Storage(${JSON.stringify(full)}).put(Buffer.alloc(2 * 1024 * 1024, 7)); console.log('stored'); } catch (e) { console.log('failed', (e as { code?: string }).code); }
`);
    const out = execFileSync('bash', ['-c', 'ulimit -f 1024; exec "$0" --import tsx "$1"', process.execPath, script], { encoding: 'utf8' });
    expect(out.trim()).toBe('failed EFBIG');
    expect(files(full)).toEqual([]);
  });
});

describe('shownRedisUrl', () => {
  it('never shows the password', () => {
    expect(shownRedisUrl('redis://aduan:Rahasia-Sekali-2026@10.0.0.5:6380/1')).toBe('redis://aduan:***@10.0.0.5:6380/1');
    expect(shownRedisUrl('redis://127.0.0.1:6379')).toBe('redis://127.0.0.1:6379');
  });
});
