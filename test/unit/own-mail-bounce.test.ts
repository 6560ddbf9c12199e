/** A hard bounce of a mail of ours that belongs to no case: the monthly report, a channel's quiet alert. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { closeDb, openDb } from '../../core/db/client.ts';
import { tellOfBouncedOwnMail } from '../../core/lifecycle/notify.ts';
import { ourMessageId } from '../../core/mail/compose.ts';
import { testConfig } from '../helpers/config.ts';

const dir = mkdtempSync(path.join(tmpdir(), 'aduan-own-bounce-'));
const db = openDb(path.join(dir, 'aduan.db'));
afterAll(() => { closeDb(db); rmSync(dir, { recursive: true, force: true }); });
const rows = () => db.$client.prepare('SELECT id, payload FROM outbox ORDER BY id').all() as { id: string; payload: string }[];

describe('a bounce of our own mail without a case', () => {
  it('a channel alert refused at escalation.address: the default division is told to check the channel and the address; other bounces are not this', () => {
    const config = testConfig({ escalation: { address: 'sekwan@dprd.test' } });
    const deps = { config, outboundChannels: new Set<string>() };
    const at = '2026-11-29T00:00:00.000Z';
    const quiet = ourMessageId(config, 'SALURAN-sms-modem', 'quiet-1795900000000');
    const line = db.transaction((tx) => tellOfBouncedOwnMail(deps, tx, { hard: true, status: '5.1.1', recipients: ['Sekwan@dprd.test'], originalMessageId: quiet }, at));
    expect(line).toBe('our alert about channel sms-modem to sekwan@dprd.test was refused (status 5.1.1): correct escalation.address (' + config.divisions.find((d) => d.default)!.inbox + ' told)');
    const [row] = rows();
    expect(row!.id).toBe('mailbounce.SALURAN-sms-modem.quiet-1795900000000');
    const mail = JSON.parse(row!.payload) as { to: string[]; text: string };
    expect(mail.to).not.toContain('sekwan@dprd.test');
    expect(mail.text).toContain('Saluran sms-modem mungkin tidak menerima pesan warga');
    // a soft bounce, another domain's id, a case's mail, our notice itself: nothing
    for (const b of [
      { hard: false, originalMessageId: quiet },
      { hard: true, originalMessageId: '<SALURAN-sms-modem.quiet-1@elsewhere.example>' },
      { hard: true, originalMessageId: ourMessageId(config, 'ADU-2026-000001', 'forward') },
      { hard: true, originalMessageId: ourMessageId(config, 'SALURAN-sms-modem', 'quiet-1795900000000-bounced') },
      { hard: true, originalMessageId: ourMessageId(config, 'LAPORAN-2026-10', 'monthly-bounced') },
    ]) expect(db.transaction((tx) => tellOfBouncedOwnMail(deps, tx, b, at)), JSON.stringify(b)).toBeUndefined();
    expect(rows()).toHaveLength(1);
  });
});
