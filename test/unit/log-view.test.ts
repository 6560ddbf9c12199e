/**
 * `aduan logs`: the JSON log lines an operator finds in `pm2 logs` at night, as lines a person reads —
 * in the instance's time, with the level, the process and the fields; other lines untouched.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import { afterAll, describe, expect, it } from 'vitest';
import { createLogger } from '../../core/logger.ts';
import { levelNamed, viewLine } from '../../scripts/log-view.ts';

const ROOT = path.resolve(import.meta.dirname, '..', '..');
const BIN = path.join(ROOT, 'scripts', 'aduan.mjs');
const dir = mkdtempSync(path.join(tmpdir(), 'aduan-logs-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Real lines of the gateway's own logger. */
function logged(write: (log: ReturnType<typeof createLogger>) => void): string[] {
  const lines: string[] = [];
  const out = new Writable({ write(chunk: Buffer, _e, cb) { lines.push(...chunk.toString().split('\n').filter(Boolean)); cb(); } });
  write(createLogger({ process: 'connector', connector: 'telegram' }, out));
  return lines;
}

describe('aduan logs', () => {
  it('shows a line in the instance\'s time with level, process and fields, an error by its message (its stack on request), personal data still masked', () => {
    const [warn, error] = logged((log) => {
      log.warn({ chatId: 42, phone: '+6281234567890', note: 'two words' }, 'reply not delivered');
      log.error({ err: new Error('getUpdates failed: 401 Unauthorized') }, 'token rejected');
    });
    const at = (JSON.parse(warn!) as { time: number }).time;
    const local = new Intl.DateTimeFormat('sv-SE', { timeZone: 'Asia/Makassar', dateStyle: 'short', timeStyle: 'medium' }).format(new Date(at));
    expect(viewLine(warn!, { timeZone: 'Asia/Makassar' })).toBe(`${local} WARN  connector/telegram: reply not delivered  chatId=42 phone=***890 note="two words"`);
    const shown = viewLine(error!, { timeZone: 'Asia/Makassar' })!;
    expect(shown).toContain('ERROR connector/telegram: token rejected  err="Error: getUpdates failed: 401 Unauthorized"');
    expect(shown).not.toContain('\n');
    expect(viewLine(error!, { timeZone: 'Asia/Makassar', stack: true })!.split('\n')[1]).toMatch(/^ {4}at /);
    // below the level asked for: left out
    expect(viewLine(warn!, { timeZone: 'UTC', minLevel: levelNamed('error')! })).toBeNull();
  });

  it('a Redis connection error (logged as a plain { code, message }, or an AggregateError for localhost) shows its message plainly, not "Object: …"', () => {
    const [outage, aggregate] = logged((log) => {
      // (an error some code logs as a plain object; core/redis-health.ts logged the start of an outage so before)
      log.warn({ redis: 'redis://127.0.0.1:6379', err: { code: 'ECONNREFUSED', message: 'connect ECONNREFUSED 127.0.0.1:6379' } }, 'Redis unreachable');
      const refused = (at: string) => Object.assign(new Error(`connect ECONNREFUSED ${at}`), { code: 'ECONNREFUSED' });
      log.error({ err: Object.assign(new AggregateError([refused('::1:6379'), refused('127.0.0.1:6379')]), { code: 'ECONNREFUSED' }) }, 'cannot connect');
    });
    const shown = viewLine(outage!, { timeZone: 'UTC' })!;
    expect(shown).toContain('Redis unreachable  redis=redis://127.0.0.1:6379 err="connect ECONNREFUSED 127.0.0.1:6379" code=ECONNREFUSED');
    expect(shown).not.toContain('Object');
    expect(viewLine(aggregate!, { timeZone: 'UTC' })).toContain('cannot connect  err="AggregateError: connect ECONNREFUSED ::1:6379; connect ECONNREFUSED 127.0.0.1:6379" code=ECONNREFUSED');
  });

  it('keeps PM2\'s prefix, and passes through what is no log line of ours untouched', () => {
    const line = '{"level":30,"time":0,"process":"worker-intake","msg":"worker intake started"}';
    expect(viewLine(`1|aduan-worker-intake  | ${line}`, { timeZone: 'UTC' })).toBe('1|aduan-worker-intake  | 1970-01-01 00:00:00 INFO  worker-intake: worker intake started');
    for (const other of ['PM2 log: App [aduan-worker-intake:1] online', '    at Object.<anonymous> (/x.js:1:1)', '{"not":"ours"}', '{broken json', 'function () { return 1 }']) {
      expect(viewLine(other, { timeZone: 'UTC' })).toBe(other);
    }
  });

  it('reads files or standard input in the config\'s timezone, filters by --level, and says what a wrong level is', () => {
    const config = path.join(dir, 'aduan.yaml');
    writeFileSync(config, ['instance:', '  timezone: Asia/Jayapura', 'divisions:', '  - id: humas', '    name: Humas', '    inbox: humas@dprd.test', '    default: true'].join('\n'));
    const lines = ['{"level":30,"time":0,"process":"worker-forward","msg":"sent"}', '{"level":50,"time":0,"process":"worker-forward","msg":"SMTP refused"}', 'PM2 log: restart'];
    const file = path.join(dir, 'out.log');
    writeFileSync(file, `${lines.join('\n')}\n`);
    const run = (args: string[], input?: string) => spawnSync(process.execPath, [BIN, 'logs', ...args, '--config', config], { cwd: dir, encoding: 'utf8', input, env: { ...process.env, ADUAN_CONFIG: '' } });
    const fromFile = run([file]);
    expect(fromFile.status).toBe(0);
    expect(fromFile.stdout.split('\n').filter(Boolean)).toEqual(['1970-01-01 09:00:00 INFO  worker-forward: sent', '1970-01-01 09:00:00 ERROR worker-forward: SMTP refused', 'PM2 log: restart']);
    expect(run(['--level', 'error'], lines.join('\n')).stdout.split('\n').filter(Boolean)).toEqual(['1970-01-01 09:00:00 ERROR worker-forward: SMTP refused', 'PM2 log: restart']);
    const bad = run(['--level', 'loud'], '');
    expect(bad.status).not.toBe(0);
    expect(bad.stderr).toContain('"loud": one of trace, debug, info, warn, error, fatal');
  }, 60_000);
});
