import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { createLogger } from '../../core/logger.ts';
import { isRedisConnectionError, redisHealth } from '../../core/redis-health.ts';
import { viewLine } from '../../scripts/log-view.ts';

function setup() {
  const lines: { level: number; msg: string; process: string; err?: Record<string, unknown> }[] = [];
  const raw: string[] = [];
  const logger = createLogger({ process: 'worker-forward' }, { write: (s: string) => { raw.push(s.trim()); lines.push(JSON.parse(s) as (typeof lines)[number]); return true; } } as unknown as pino.DestinationStream);
  let t = 1_000_000;
  const health = redisHealth({ redis: { url: 'redis://aduan:s3cret-pass@10.0.0.5:6380/2', prefix: 'x' } }, logger, { everyMs: 60_000, now: () => t });
  return { lines, raw, health, advance: (ms: number) => { t += ms; } };
}
const refused = (): Error => Object.assign(new Error('connect ECONNREFUSED 10.0.0.5:6380'), { code: 'ECONNREFUSED' });

describe('redisHealth: a Redis outage in a few lines', () => {
  it('one warning (URL without its password, the process), one line a minute at most, one when back', () => {
    const { lines, health, advance } = setup();
    // ten minutes of four connections failing every 5 s
    for (let i = 0; i < 120; i++) {
      for (let c = 0; c < 4; c++) expect(health.report(refused())).toBe(true);
      advance(5_000);
    }
    health.ready();
    health.ready();
    expect(lines.map((l) => l.msg)).toEqual([
      expect.stringMatching(/^Redis unreachable at redis:\/\/aduan:\*\*\*@10\.0\.0\.5:6380\/2 \(worker-forward\): connect ECONNREFUSED 10\.0\.0\.5:6380\. /),
      ...Array.from({ length: 9 }, (_, i) => `Redis still unreachable for ${(i + 1) * 60} s (${(i + 1) * 48 + 1} errors)`),
      'Redis reachable again after 600 s',
    ]);
    expect(JSON.stringify(lines)).not.toContain('s3cret');
    expect(lines.map((l) => l.level)).toEqual([40, ...Array(9).fill(40), 30]);
  });

  it('a second outage is reported again; errors that are not the connection\'s are left to the caller; nothing after stop', () => {
    const { lines, health, advance } = setup();
    health.ready();
    expect(lines).toEqual([]);
    health.report(refused());
    advance(2_000);
    health.ready();
    advance(60_000);
    expect(health.report(new Error('Missing lock for job 12. moveToFinished'))).toBe(false);
    expect(health.report(new Error('Connection is closed.'))).toBe(true);
    health.stop();
    expect(health.report(refused())).toBe(true);
    health.ready();
    expect(lines.map((l) => l.msg.split(':')[0])).toEqual(['Redis unreachable at redis', 'Redis reachable again after 2 s', 'Redis unreachable at redis']);
  });

  it('logs the connection error as an error (type, message, code), not a plain object shown as type "Object", and without stacks', () => {
    const { lines, raw, health, advance } = setup();
    health.report(refused());
    health.ready();
    advance(1_000);
    // (localhost: ioredis tries ::1 and 127.0.0.1, Node reports both in one AggregateError of no message of its own)
    const at = (a: string): Error => Object.assign(new Error(`connect ECONNREFUSED ${a}`), { code: 'ECONNREFUSED' });
    health.report(Object.assign(new AggregateError([at('::1:6379'), at('127.0.0.1:6379')]), { code: 'ECONNREFUSED' }));
    const [first, , second] = lines;
    expect(first!.err).toMatchObject({ type: 'Error', message: 'connect ECONNREFUSED 10.0.0.5:6380', code: 'ECONNREFUSED' });
    expect(second!.err).toMatchObject({ type: 'AggregateError', code: 'ECONNREFUSED', aggregateErrors: [{ type: 'Error', message: 'connect ECONNREFUSED ::1:6379' }, { type: 'Error', message: 'connect ECONNREFUSED 127.0.0.1:6379' }] });
    expect(second!.msg).toContain('(worker-forward): connect ECONNREFUSED ::1:6379; connect ECONNREFUSED 127.0.0.1:6379. Retrying');
    expect(raw.join('\n')).not.toMatch(/ {4}at |redis-health/);
    // `aduan logs`: one readable line each, also when stacks are asked for
    expect(viewLine(raw[0]!, { timeZone: 'UTC', stack: true })).toContain('err="Error: connect ECONNREFUSED 10.0.0.5:6380" code=ECONNREFUSED');
    expect(viewLine(raw[2]!, { timeZone: 'UTC', stack: true })).toContain('err="AggregateError: connect ECONNREFUSED ::1:6379; connect ECONNREFUSED 127.0.0.1:6379" code=ECONNREFUSED');
    for (const line of [raw[0]!, raw[2]!]) expect(viewLine(line, { timeZone: 'UTC', stack: true })).not.toContain('\n');
  });

  it('tells connection errors from others', () => {
    expect(isRedisConnectionError(refused())).toBe(true);
    expect(isRedisConnectionError(Object.assign(new Error('read ECONNRESET'), { code: 'ECONNRESET' }))).toBe(true);
    expect(isRedisConnectionError(new Error('ERR wrong number of arguments'))).toBe(false);
    expect(isRedisConnectionError('ECONNREFUSED')).toBe(false);
  });
});
