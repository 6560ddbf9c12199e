/**
 * Every text a citizen may receive by SMS fits ONE SMS (160 GSM-7 septets, no character that forces
 * UCS-2) with the longest case number instance.casePrefix allows and realistic values of the rest: a
 * second part doubles what the Sekretariat pays, and a cheap phone may show the parts apart. Before, an
 * acknowledgement of an MMS whose file was not kept ran to two parts (the note appended), and the texts
 * were checked only with the 15-character ADU-2026-000123.
 */
import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { instanceSchema } from '../../core/config/schema.ts';
import { VERDICT_QUESTION } from '../../core/lifecycle/service.ts';
import { CITIZEN_STATE_LABELS, CASE_STATES } from '../../core/lifecycle/states.ts';
import { shortAckText, type ShortAck } from '../../core/status-link.ts';
import { CITIZEN_TEXTS, DEFAULT_TEMPLATES, fitsOneSms, gsm7Length, render, type TemplateName } from '../../core/templates.ts';

/** The longest case number: eight letters of prefix (the schema's maximum), the year, six digits. */
const NUMBER = 'ABCDEFGH-2026-000123';
/** The longest division name of the shipped configurations. */
const DIVISION = ['config/divisions.yaml', 'config/aduan.example.yaml']
  .flatMap((f) => ((parse(readFileSync(f, 'utf8')) as { divisions?: { name: string }[] }).divisions ?? []).map((d) => d.name))
  .reduce((a, b) => (b.length > a.length ? b : a), '');
/** The longest date replyNotedShort may carry ("28 Agu 2026"), as replies.ts writes it. */
const DATE = Array.from({ length: 12 }, (_, m) => new Intl.DateTimeFormat('id-ID', { timeZone: 'Asia/Jakarta', dateStyle: 'medium' }).format(new Date(Date.UTC(2026, m, 28))))
  .reduce((a, b) => (b.length > a.length ? b : a));

/** The acknowledgements an SMS channel sends (ackLinkShort is Telegram's only; withheldShort goes only appended). */
const SMS_ACKS: ShortAck[] = ['ackShort', 'ackRecurringShort', 'ackHeldShort', 'ackDuplicateShort', 'ackStatementShort', 'ackOpenerShort'];
const SMS_TEMPLATES: TemplateName[] = [...SMS_ACKS, 'replyNotedShort'];

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
});
