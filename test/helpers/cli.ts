import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

const BIN = path.resolve(import.meta.dirname, '..', '..', 'scripts', 'aduan.mjs');

/**
 * A throw-away gateway folder for `aduan` command tests: a config with its database (./aduan.db) and
 * files beside it, one division (humas) and a Redis nobody answers on; `run` spawns the real CLI with it
 * (`--config`, no ADUAN_CONFIG). Call `dispose` in afterAll.
 */
export function cliFixture(prefix: string) {
  const dir = mkdtempSync(path.join(tmpdir(), prefix));
  const config = path.join(dir, 'aduan.yaml');
  writeFileSync(config, ['redis:', '  url: redis://127.0.0.1:9', 'database:', '  path: ./aduan.db', 'storage:', '  dir: ./storage',
    'mail:', '  transport: file', '  file:', '    dir: ./mail',
    'divisions:', '  - id: humas', '    name: Humas', '    inbox: humas@dprd.test', '    default: true'].join('\n'));
  const run = (...args: string[]) => {
    const r = spawnSync(process.execPath, [BIN, ...args, '--config', config], { cwd: dir, encoding: 'utf8', env: { ...process.env, ADUAN_CONFIG: '' } });
    return { status: r.status, stdout: r.stdout, stderr: r.stderr, last: r.stdout.trim().split('\n').at(-1) };
  };
  return { dir, config, db: path.join(dir, 'aduan.db'), run, dispose: () => rmSync(dir, { recursive: true, force: true }) };
}
