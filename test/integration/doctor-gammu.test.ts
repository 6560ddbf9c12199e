/**
 * `aduan doctor` on a Gammu channel: the spool folders (files backend) or SMSD's database (sql backend) the
 * connector will use must be there. Before, doctor said "✓ channel … configured" whatever the paths were,
 * while the connector then logged a raw ENOENT every 5 s for a mistyped inboxPath (no SMS ever read) and
 * created a mistyped outboxPath, writing citizens' replies where SMSD never looks.
 */
import { appendFileSync, mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { cliFixture } from '../helpers/cli.ts';

const fixtures: ReturnType<typeof cliFixture>[] = [];
afterAll(() => { for (const f of fixtures) f.dispose(); });

/** doctor's lines about the channel `sms`, with the given channel settings. */
function doctorOn(settings: (dir: string) => string[]): { lines: string[]; dir: string } {
  const f = cliFixture('aduan-doctor-gammu-');
  fixtures.push(f);
  appendFileSync(f.config, ['', 'channels:', '  - id: sms', '    type: gammu', ...settings(f.dir).map((l) => `    ${l}`)].join('\n'));
  const r = f.run('doctor');
  return { lines: r.stdout.split('\n').filter((l) => l.includes('channel sms')), dir: f.dir };
}

describe('aduan doctor checks a Gammu channel\'s spool', () => {
  it('a missing inbox or outbox folder fails, naming the key, the path and SMSD\'s setting; a missing errorPath is a warning', () => {
    const { lines, dir } = doctorOn((d) => [`inboxPath: ${d}/spool/inbox`, `processedPath: ${d}/spool/processed`, `outboxPath: ${d}/spool/outbox`, `errorPath: ${d}/spool/error`]);
    expect(lines).toEqual([
      `✗ channel sms (gammu): channels[sms].inboxPath ${dir}/spool/inbox does not exist (no SMS is read until it exists): set it to SMSD's InboxPath (gammu-smsdrc, [smsd] section), a folder the gateway's user can read and write`,
      `✗ channel sms (gammu): channels[sms].outboxPath ${dir}/spool/outbox does not exist (replies wait in the outbound queue, unsent, until it exists; it is not created): set it to SMSD's OutboxPath (gammu-smsdrc, [smsd] section), a folder the gateway's user can read and write`,
      `! channel sms (gammu): channels[sms].errorPath ${dir}/spool/error does not exist: replies SMSD could not send will not be noticed; set it to SMSD's ErrorSMSPath (gammu-smsdrc), or leave errorPath out`,
    ]);
  });

  it('an outbox that is a file fails; with SMSD\'s folders in place the channel is configured (processedPath is made by the connector)', () => {
    const bad = doctorOn((d) => {
      mkdirSync(path.join(d, 'inbox'));
      writeFileSync(path.join(d, 'outbox'), '');
      return ['inboxPath: ./inbox', 'processedPath: ./processed', 'outboxPath: ./outbox'];
    });
    expect(bad.lines).toEqual([`✗ channel sms (gammu): channels[sms].outboxPath ${bad.dir}/outbox is a file, not a folder: set it to SMSD's OutboxPath (gammu-smsdrc, [smsd] section), a folder the gateway's user can read and write`]);
    const good = doctorOn((d) => {
      for (const f of ['inbox', 'outbox', 'error']) mkdirSync(path.join(d, f));
      return ['inboxPath: ./inbox', 'processedPath: ./processed', 'outboxPath: ./outbox', 'errorPath: ./error'];
    });
    expect(good.lines).toEqual(['✓ channel sms (gammu) configured']);
  });

  it('the sql backend: a databasePath that does not exist fails; a disabled channel is not checked', () => {
    const { lines, dir } = doctorOn(() => ['backend: sql', 'databasePath: ./smsd.db']);
    expect(lines).toEqual([`✗ channel sms (gammu): channels[sms].databasePath ${dir}/smsd.db does not exist: set it to the SQLite file of gammu-smsd (Database in the [smsd] section of gammu-smsdrc), after SMSD has created its tables`]);
    expect(doctorOn(() => ['enabled: false', 'backend: sql', 'databasePath: ./smsd.db']).lines).toEqual(['- channel sms (gammu) disabled']);
  });
});
