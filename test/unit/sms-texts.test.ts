/**
 * Every text a citizen may receive by SMS fits ONE SMS (160 GSM-7 septets, no character that forces
 * UCS-2) with the longest case number instance.casePrefix allows and realistic values of the rest: a
 * second part doubles what the Sekretariat pays, and a cheap phone may show the parts apart. Before, an
 * acknowledgement of an MMS whose file was not kept ran to two parts (the note appended), and the texts
 * were checked only with the 15-character ADU-2026-000123.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { exampleCaseNumber, yearIn } from '../../core/case-number.ts';
import { loadConfigText } from '../../core/config/load.ts';
import { instanceSchema } from '../../core/config/schema.ts';
import { VERDICT_QUESTION } from '../../core/lifecycle/service.ts';
import { CITIZEN_STATE_LABELS, CASE_STATES } from '../../core/lifecycle/states.ts';
import { shortAckText, type ShortAck } from '../../core/status-link.ts';
import { CITIZEN_TEXTS, DEFAULT_TEMPLATES, fitsOneSms, gsm7Length, longestSmsDate, render, smsParts, smsText, SMS_TEMPLATES, worstCaseSmsVars, type TemplateName } from '../../core/templates.ts';
import { CHANNEL_SCHEMAS } from '../../connectors/registry.ts';
import { cliFixture } from '../helpers/cli.ts';

/** The longest case number: eight letters of prefix (the schema's maximum), the year, six digits. */
const NUMBER = exampleCaseNumber('ABCDEFGH', 2026);
/** The longest division name of the shipped configurations. */
const DIVISION = ['config/divisions.yaml', 'config/aduan.example.yaml']
  .flatMap((f) => ((parse(readFileSync(f, 'utf8')) as { divisions?: { name: string }[] }).divisions ?? []).map((d) => d.name))
  .reduce((a, b) => (b.length > a.length ? b : a), '');
/** The longest date replyNotedShort may carry ("28 Agu 2026"), as replies.ts writes it. */
const DATE = longestSmsDate(2026);

/** The acknowledgements an SMS channel sends (ackLinkShort is Telegram's only; withheldShort goes only appended). */
const SMS_ACKS = SMS_TEMPLATES.filter((n): n is ShortAck => n !== 'replyNotedShort');

function expectOneSms(text: string, what: string): void {
  expect(text, what).not.toMatch(/\{\w+\}/);
  expect(gsm7Length(text), `${what} needs UCS-2: ${text}`).not.toBeNull();
  expect(gsm7Length(text)!, `${what}: ${text}`).toBeLessThanOrEqual(160);
  expect(fitsOneSms(text)).toBe(true);
}

describe('SMS texts for citizens', () => {
  it('the worst case is the real one: the schema allows no longer prefix, and the values are as long as they come', () => {
    expect(instanceSchema.safeParse({ casePrefix: 'ABCDEFGH' }).success).toBe(true);
    expect(instanceSchema.safeParse({ casePrefix: 'ABCDEFGHI' }).success).toBe(false);
    expect(DIVISION.length).toBeGreaterThanOrEqual(30);
    expect(DATE).toMatch(/^28 \w{3,4} 2026$/);
    expect(NUMBER).toBe('ABCDEFGH-2026-000123');
    expect(worstCaseSmsVars(NUMBER)).toEqual({ caseNumber: NUMBER, statusUrl: '', state: expect.any(String), date: DATE });
    expect(worstCaseSmsVars(NUMBER).state!.length).toBe(Math.max(...Object.values(CITIZEN_STATE_LABELS).map((l) => l.length)));
    // every SMS template is in the list above (a new one must be checked too)
    const short = (Object.keys(DEFAULT_TEMPLATES) as TemplateName[]).filter((n) => n.endsWith('Short') && n !== 'ackLinkShort' && n !== 'withheldShort');
    expect([...short].sort()).toEqual([...SMS_TEMPLATES].sort());
  });

  it.each(SMS_ACKS)('%s fits one SMS with the longest case number', (name) => {
    expectOneSms(render(name, { caseNumber: NUMBER, statusUrl: '' }), name);
  });

  it.each(Object.keys(CASE_STATES))('replyNotedShort fits one SMS with the case %s', (state) => {
    const text = render('replyNotedShort', { caseNumber: NUMBER, state: CITIZEN_STATE_LABELS[state as keyof typeof CASE_STATES], date: DATE });
    expectOneSms(text, `replyNotedShort (${state})`);
  });

  it('the texts built in code fit one SMS with the longest case number and division name', () => {
    expectOneSms(CITIZEN_TEXTS.closedSatisfied(NUMBER), 'closedSatisfied');
    expectOneSms(CITIZEN_TEXTS.closedNoAnswer(NUMBER), 'closedNoAnswer');
    expectOneSms(CITIZEN_TEXTS.reopened(NUMBER, DIVISION), 'reopened');
    expectOneSms(CITIZEN_TEXTS.stillAwaiting(NUMBER), 'stillAwaiting');
    expectOneSms(CITIZEN_TEXTS.lateUnsatisfiedNoted(NUMBER, DIVISION), 'lateUnsatisfiedNoted');
    for (const via of ['nomor', 'akun']) {
      expectOneSms(CITIZEN_TEXTS.caseNotFound(NUMBER, via), `caseNotFound (${via})`);
      expectOneSms(CITIZEN_TEXTS.noCaseFound(via), `noCaseFound (${via})`);
    }
    for (const kind of ['aduan', 'pertanyaan']) expectOneSms(CITIZEN_TEXTS.reclassified(NUMBER, kind, DIVISION), `reclassified (${kind})`);
    // the result's closing question: the result itself is staff's text, split as it must be
    expect(gsm7Length(VERDICT_QUESTION)).not.toBeNull();
  });

  it('an acknowledgement with the note that a file was not kept stays one SMS; Telegram gets the note', () => {
    const config = { channels: [], templates: {} };
    const kase = { number: NUMBER, token: 't'.repeat(22) };
    const note = render('withheldShort', {});
    for (const name of SMS_ACKS) {
      const sms = shortAckText(config, kase, name, 'sms', note);
      expectOneSms(sms, `${name} with the note`);
      // (the note goes whenever it fits)
      if (fitsOneSms(`${render(name, { caseNumber: NUMBER })} ${note}`)) expect(sms).toContain(note);
      expect(shortAckText(config, kase, name, 'telegram', note)).toContain(note);
    }
    // a short override keeps the note on SMS
    const short = shortAckText({ channels: [], templates: { ackShort: 'Aduan diterima: {caseNumber}.' } }, kase, 'ackShort', 'sms', note);
    expect(short).toBe(`Aduan diterima: ${NUMBER}. ${note}`);
  });

  it('no SMS / chat text carries a character outside GSM-7 (a typographic quote, dash or ellipsis makes the SMS UCS-2: 70 a part)', () => {
    for (const [name, text] of Object.entries(DEFAULT_TEMPLATES).filter(([n]) => n.endsWith('Short'))) {
      expect(gsm7Length(text.replace(/\{\w+\}/g, '')), name).not.toBeNull();
    }
  });

  it('an override of an SMS text that takes more than one SMS (too long, or UCS-2) is a warning naming the template, the SMS count with this instance\'s longest case number, and the characters', () => {
    const year = yearIn(new Date(), 'Asia/Jakarta');
    const load = (lines: string[], sms = true) => loadConfigText([
      'instance:', '  casePrefix: DPRD', 'divisions:', '  - id: humas', '    name: Humas', '    inbox: humas@x.test', '    default: true',
      ...(sms ? ['channels:', '  - id: sms', '    type: gammu', '    backend: sql', '    databasePath: /var/spool/gammu/smsd.db'] : []),
      'templates:', ...lines,
    ].join('\n'), '/etc/aduan.yaml', { channelSchemas: CHANNEL_SCHEMAS });
    const number = `DPRD-${year}-000123`;
    // an emoji no gateway writes in GSM-7: UCS-2, 70 characters an SMS — this text of 96 takes 2
    const emoji = '  ackShort: "Aduan Anda sudah kami terima dengan nomor {caseNumber}. Terima kasih atas kepedulian Anda 🙏 salam DPRD."';
    const [w1, ...more1] = load([emoji]).warnings;
    expect(more1).toEqual([]);
    expect(w1).toContain(`templates.ackShort: takes 2 SMS for each citizen, not 1, on channel sms (gammu), with the longest case number of this instance (${number})`);
    expect(w1).toContain('🙏 (U+1F64F) is not in GSM-7, so the whole SMS is UCS-2 (70 characters, 67 a part, instead of 160)');
    expect(w1).toContain('A longer SMS still arrives, but each costs more');
    // typographic quotes and dashes: every SMS gateway sends them as plain GSM-7, one SMS — no warning
    expect(load(['  ackShort: "Aduan Anda sudah kami terima dengan nomor {caseNumber}. Terima kasih atas kepedulian Anda – salam “DPRD”."']).warnings).toEqual([]);
    // too long in GSM-7: 170 characters and more
    const long = `  replyNotedShort: "Pesan Anda sudah kami catat pada aduan nomor {caseNumber}. Status aduan Anda saat ini: {state} (sejak {date}). Terima kasih, Sekretariat DPRD Kota Yogyakarta."`;
    const [w2] = load([long]).warnings;
    const sent = smsText(render('replyNotedShort', worstCaseSmsVars(number), { replyNotedShort: JSON.parse(long.slice(long.indexOf('"'))) as string }));
    expect(smsParts(sent)).toBe(2);
    expect(w2).toBe(`templates.replyNotedShort: takes 2 SMS for each citizen, not 1, on channel sms (gammu), with the longest case number of this instance (${number}) and the longest status and date: ${gsm7Length(sent)} GSM-7 characters (160 fit one SMS, 153 a part). A longer SMS still arrives, but each costs more: write it within 160 GSM-7 characters with that case number (typographic quotes, dashes and "…" are sent as plain ' " - ..., emoji and other scripts are not)`);
    // both at once, each named; an override that fits, or no SMS channel (Telegram only): nothing
    expect(load([emoji, long]).warnings).toEqual([w1, w2]);
    expect(load(['  ackShort: "Aduan diterima. Nomor: {caseNumber}."']).warnings).toEqual([]);
    expect(load([emoji, long], false).warnings).toEqual([]);
    // the prefix counts: 70 UCS-2 characters fit with ADU, not with a longer prefix
    const edge = `  ackShort: "Nomor {caseNumber} ꦲ${'x'.repeat(70 - 'Nomor ADU-2026-000123 ꦲ'.length)}"`;
    expect(loadConfigText(['divisions:', '  - id: humas', '    name: Humas', '    inbox: humas@x.test', '    default: true', 'channels:', '  - id: sms', '    type: gammu', '    backend: sql', '    databasePath: /var/spool/gammu/smsd.db', 'templates:', edge].join('\n'), '/etc/aduan.yaml', { channelSchemas: CHANNEL_SCHEMAS }).warnings).toEqual([]);
    expect(load([edge]).warnings[0]).toContain('takes 2 SMS');
  });

  describe('the warning about an SMS override counts only the enabled channels that send SMS, and names them', () => {
    const EMOJI = '  ackShort: "Aduan Anda sudah kami terima dengan nomor {caseNumber}. Terima kasih atas kepedulian Anda 🙏 salam DPRD."';
    const GAMMU = ['  - id: sms-gammu', '    type: gammu', '    backend: sql', '    databasePath: /var/spool/gammu/smsd.db'];
    const ANDROID = ['  - id: sms-android', '    type: android-sms-gateway', '    listen: { host: 127.0.0.1, port: 8091 }', '    signingKey: kunci-rahasia-1', '    apiUrl: http://127.0.0.1:8080', '    username: sms', '    password: rahasia'];
    const twilio = (from: string, more: string[] = []) => ['  - id: wa-twilio', '    type: twilio', '    listen: { host: 127.0.0.1, port: 8092 }', '    publicUrl: https://aduan.test/sms/twilio',
      `    accountSid: AC${'0'.repeat(32)}`, `    authToken: ${'a'.repeat(32)}`, `    from: '${from}'`, ...more];
    const lines = (channels: string[]) => ['divisions:', '  - id: humas', '    name: Humas', '    inbox: humas@x.test', '    default: true',
      'channels:', ...channels, 'templates:', EMOJI];
    const load = (channels: string[]) => loadConfigText(lines(channels).join('\n'), '/etc/aduan.yaml', { channelSchemas: CHANNEL_SCHEMAS }).warnings;
    const costs = (channels: string[]) => load(channels).filter((w) => w.includes('takes 2 SMS'));

    it('a Gammu channel switched off (enabled: false) sends no SMS: no warning', () => {
      expect(costs([...GAMMU, '    enabled: false'])).toEqual([]);
    });

    it('a Twilio channel with a WhatsApp sender (from: whatsapp:+62…, no smsFallbackFrom) is not WhatsApp-only: a citizen who writes to its number by SMS is answered by SMS — warned, naming why', () => {
      // (before: counted as sending only WhatsApp, nothing said, though each SMS acknowledgement cost two)
      const [w, ...more] = costs(twilio('whatsapp:+6281100000000'));
      expect(more).toEqual([]);
      expect(w).toContain('not 1, on channel wa-twilio (twilio: its answers to citizens who write to its number by SMS), with');
      // a channel switched off still counts for nothing, the Twilio one still does
      expect(costs([...GAMMU, '    enabled: false', ...twilio('whatsapp:+6281100000000')])[0]).toContain('not 1, on channel wa-twilio (twilio: its answers');
      // switched off too: nothing
      expect(costs([...GAMMU, '    enabled: false', ...twilio('whatsapp:+6281100000000', ['    enabled: false'])])).toEqual([]);
    });

    it('an enabled Android SMS gateway: the warning, naming that channel and not the one switched off', () => {
      const [w, ...more] = costs([...GAMMU, '    enabled: false', ...ANDROID, ...twilio('whatsapp:+6281100000000', ['    enabled: false'])]);
      expect(more).toEqual([]);
      expect(w).toMatch(/^templates\.ackShort: takes 2 SMS for each citizen, not 1, on channel sms-android \(android-sms-gateway\), with the longest case number/);
      expect(w).not.toContain('sms-gammu');
      expect(w).not.toContain('wa-twilio');
    });

    it('Twilio sends SMS from an SMS number, to SMS citizens from a WhatsApp sender\'s number, and as the SMS fallback of WhatsApp: named, with every other channel that does', () => {
      expect(costs(twilio('+6281100000000'))[0]).toContain('not 1, on channel wa-twilio (twilio), with');
      expect(costs(twilio('whatsapp:+6281100000000', ["    smsFallbackFrom: '+6281100000001'"]))[0])
        .toContain('not 1, on channel wa-twilio (twilio: its answers to citizens who write to its number by SMS, and its SMS fallback, smsFallbackFrom), with');
      expect(costs([...ANDROID, ...twilio('whatsapp:+6281100000000')])[0]).toContain('not 1, on channels sms-android (android-sms-gateway) and wa-twilio (twilio: its answers');
      expect(costs([...GAMMU, ...ANDROID, ...twilio('+6281100000000')])[0]).toContain('not 1, on channels sms-gammu (gammu), sms-android (android-sms-gateway) and wa-twilio (twilio), with');
    });

    it('aduan doctor prints the same conclusion', () => {
      const fixture = cliFixture('aduan-smscost-');
      try {
        const base = readFileSync(fixture.config, 'utf8').replace(/\ndivisions:[\s\S]*$/, '');
        const doctor = (channels: string[]) => {
          writeFileSync(fixture.config, [base, ...lines(channels)].join('\n'));
          return fixture.run('doctor').stdout.split('\n').filter((l) => l.includes('takes 2 SMS'));
        };
        expect(doctor([...GAMMU, '    enabled: false', ...twilio('whatsapp:+6281100000000', ['    enabled: false'])])).toEqual([]);
        const [wa] = load([...GAMMU, '    enabled: false', ...twilio('whatsapp:+6281100000000')]);
        expect(doctor([...GAMMU, '    enabled: false', ...twilio('whatsapp:+6281100000000')])).toEqual([`! ${wa!}`]);
        const [w] = load([...GAMMU, '    enabled: false', ...ANDROID]);
        expect(doctor([...GAMMU, '    enabled: false', ...ANDROID])).toEqual([`! ${w!}`]);
      } finally {
        fixture.dispose();
      }
    }, 60_000);
  });
});
