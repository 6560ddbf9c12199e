import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

const ROOT = path.resolve(import.meta.dirname, '..', '..');
const BIN = path.join(ROOT, 'scripts', 'aduan.mjs');
const made: string[] = [];
const temp = (name: string): string => {
  const d = mkdtempSync(path.join(tmpdir(), `aduan-${name}-`));
  made.push(d);
  return d;
};
afterAll(() => {
  for (const d of made) rmSync(d, { recursive: true, force: true });
});
const run = (args: string[], cwd: string): { status: number; stdout: string; stderr: string } => {
  const r = spawnSync(process.execPath, [BIN, ...args], { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, ADUAN_CONFIG: '' } });
  return { status: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
};
const yaml = ['redis:', '  url: redis://127.0.0.1:9', 'database:', '  path: ./data/aduan.db', 'storage:', '  dir: ./data/storage',
  'mail:', '  transport: file', '  file:', '    dir: ./data/mail',
  'divisions:', '  - id: humas', '    name: Humas', '    inbox: humas@dprd.test', '    default: true'].join('\n');

describe('relative paths in the config file, with aduan run from another directory (PM2 started elsewhere)', () => {
  it('are read from the config file\'s folder: migrate, cases and doctor use the same database, wherever they run', () => {
    const etc = temp('etc');
    const config = path.join(etc, 'aduan.yaml');
    writeFileSync(config, yaml);
    const [here, there] = [temp('here'), temp('there')];
    const migrate = run(['migrate', '--config', config], here);
    expect(migrate.stderr).toBe('');
    expect(existsSync(path.join(etc, 'data', 'aduan.db'))).toBe(true);
    expect(existsSync(path.join(here, 'data'))).toBe(false);
    const list = run(['cases', 'list', '--json', '--config', config], there);
    expect(list.stderr).toBe('');
    expect(JSON.parse(list.stdout)).toEqual([]);
    const doctor = run(['doctor', '--config', config], there);
    expect(doctor.stdout).toContain(`✓ paths: database.path ${path.join(etc, 'data', 'aduan.db')}, storage.dir ${path.join(etc, 'data', 'storage')}, mail.file.dir ${path.join(etc, 'data', 'mail')}`);
    expect(doctor.stdout).toContain(`✓ database ${path.join(etc, 'data', 'aduan.db')} (empty`);
    expect(doctor.stdout).toContain(`mail transport file → ${path.join(etc, 'data', 'mail')}`);
  }, 60_000);

  it('an upgraded install whose ./data/aduan.db meant the working directory is stopped with what to write, not started on a new empty database', () => {
    const checkout = temp('checkout');
    mkdirSync(path.join(checkout, 'config'));
    const config = path.join(checkout, 'config', 'aduan.yaml');
    writeFileSync(config, yaml);
    // the gateway's database, made when relative paths were read from the working directory (the checkout)
    const old = temp('old');
    writeFileSync(path.join(old, 'aduan.yaml'), yaml);
    expect(run(['migrate', '--config', path.join(old, 'aduan.yaml')], old).status).toBe(0);
    mkdirSync(path.join(checkout, 'data'));
    copyFileSync(path.join(old, 'data', 'aduan.db'), path.join(checkout, 'data', 'aduan.db'));
    for (const args of [['migrate'], ['cases', 'list']]) {
      const r = run([...args, '--config', config], checkout);
      expect(r.status, args.join(' ')).toBe(1);
      expect(r.stderr).toContain('[CONFIG.INVALID]');
      expect(r.stderr).toContain(`key database.path: the relative path "./data/aduan.db" is read from the config file's folder, ${path.join(checkout, 'config')}`);
      expect(r.stderr).toContain(`but ${path.join(checkout, 'data', 'aduan.db')} (read from the working directory, ${checkout}, as before) does`);
    }
    expect(existsSync(path.join(checkout, 'config', 'data'))).toBe(false);
  }, 60_000);
});
