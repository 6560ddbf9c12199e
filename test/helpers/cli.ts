import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
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
  /**
   * `run`, and the files the command loaded (ES modules through the loader, CommonJS through require),
   * as absolute paths: what `aduan <command>` makes Node read, parse and (through tsx) transpile at start.
   */
  const runTracing = (...args: string[]) => {
    const trace = path.join(dir, 'trace');
    writeFileSync(path.join(dir, 'trace-hooks.mjs'), [
      "import { appendFileSync } from 'node:fs';",
      "import { fileURLToPath } from 'node:url';",
      'export async function load(url, context, next) {',
      '  if (url.startsWith(\'file:\')) appendFileSync(process.env.ADUAN_TRACE, fileURLToPath(url) + \'\\n\');',
      '  return next(url, context);',
      '}',
    ].join('\n'));
    writeFileSync(path.join(dir, 'trace.mjs'), [
      "import { appendFileSync } from 'node:fs';",
      "import { createRequire, register } from 'node:module';",
      "register('./trace-hooks.mjs', import.meta.url);",
      'const { cache } = createRequire(import.meta.url);',
      "process.on('exit', () => appendFileSync(process.env.ADUAN_TRACE, Object.keys(cache).join('\\n') + '\\n'));",
    ].join('\n'));
    writeFileSync(trace, '');
    const r = spawnSync(process.execPath, ['--import', path.join(dir, 'trace.mjs'), BIN, ...args, '--config', config],
      { cwd: dir, encoding: 'utf8', env: { ...process.env, ADUAN_CONFIG: '', ADUAN_TRACE: trace } });
    const loaded = [...new Set(readFileSync(trace, 'utf8').split('\n').filter((l) => l !== ''))];
    return { status: r.status, stdout: r.stdout, stderr: r.stderr, loaded };
  };
  return { dir, config, db: path.join(dir, 'aduan.db'), run, runTracing, dispose: () => rmSync(dir, { recursive: true, force: true }) };
}
