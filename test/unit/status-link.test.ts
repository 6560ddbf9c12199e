/**
 * The status link's pieces: the web channel's publicUrl, the link token, and the acknowledgement texts
 * that carry the link only when there is one (e-mail and Telegram by default; SMS only by a template
 * override, on a line of its own that is left out without a link).
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfigText } from '../../core/config/load.ts';
import { openDb } from '../../core/db/client.ts';
import { outbox } from '../../core/db/schema.ts';
import { recordInbound } from '../../core/intake.ts';
import { ingestId, inboundMessageSchema } from '../../core/message.ts';
import { basicUnderstander } from '../../core/understand.ts';
import { isStatusLinkToken, shortAckText, statusLinkToken, statusUrl } from '../../core/status-link.ts';
import { DEFAULT_TEMPLATES, render } from '../../core/templates.ts';
import { CHANNEL_SCHEMAS } from '../../connectors/registry.ts';
import { aduanError, testConfig } from '../helpers/config.ts';

const kase = { number: 'ADU-2026-000123', token: 'r3plyT0ken-abc' };
const BASE = ['divisions:', '  - id: humas', '    name: Humas', '    inbox: humas@x.test', '    default: true'];
const load = (lines: string[]) => loadConfigText([...BASE, ...lines].join('\n'), '/etc/aduan.yaml', { channelSchemas: CHANNEL_SCHEMAS });
const web = (publicUrl: string) => load(['channels:', '  - id: web', '    type: web', `    publicUrl: "${publicUrl}"`]);

describe('the web channel\'s publicUrl', () => {
  it('takes an absolute http(s) address, with or without a path; refuses anything a link cannot be made from, saying why', () => {
    expect(web('https://aduan.dprd.jogjakota.go.id').config.channels[0]!['publicUrl']).toBe('https://aduan.dprd.jogjakota.go.id');
    expect(() => web('http://10.0.0.5:8080/aduan/')).not.toThrow();
    expect(aduanError(() => web('aduan.dprd.jogjakota.go.id')).message).toContain('channels[0].publicUrl: an absolute URL such as https://');
    expect(aduanError(() => web('ftp://aduan.test')).message).toContain('an http(s) URL');
    expect(aduanError(() => web('https://aduan.test/?from=mail')).message).toContain('without ?query or #fragment');
    expect(aduanError(() => web('https://aduan.test/#x')).message).toContain('without ?query or #fragment');
    expect(aduanError(() => web('https://admin:secret@aduan.test')).message).toContain('without user:password@');
  });

  it('links point at the first enabled web channel with one; none without', () => {
    const two = testConfig({ channels: [
      { id: 'web-old', type: 'web', enabled: false, listen: { port: 8081 }, publicUrl: 'https://old.test' },
      { id: 'web-internal', type: 'web', listen: { port: 8082 } },
      { id: 'web', type: 'web', listen: { port: 8083 }, publicUrl: 'https://aduan.test/' },
    ] });
    expect(statusUrl(two, kase)).toBe(`https://aduan.test/status/ADU-2026-000123/${statusLinkToken(kase)}`);
    expect(statusUrl(testConfig({ channels: [{ id: 'web', type: 'web' }] }), kase)).toBeUndefined();
  });

  it('the older instance.publicUrl serves when no web channel sets its own (it was accepted and did nothing); a channel\'s own wins', () => {
    const older = (channels: unknown[]) => testConfig({ instance: { name: 'DPRD Test', publicUrl: 'https://lapor.test/' }, channels });
    expect(statusUrl(older([{ id: 'web', type: 'web' }]), kase)).toBe(`https://lapor.test/status/ADU-2026-000123/${statusLinkToken(kase)}`);
    expect(statusUrl(older([{ id: 'web', type: 'web', publicUrl: 'https://aduan.test' }]), kase)).toBe(`https://aduan.test/status/ADU-2026-000123/${statusLinkToken(kase)}`);
    // no web channel to serve the link: none
    expect(statusUrl(older([]), kase)).toBeUndefined();
    expect(aduanError(() => load(['instance:', '  publicUrl: "https://lapor.test/?x=1"'])).message).toContain('instance.publicUrl: the address without ?query or #fragment');
  });
});

describe('the link token', () => {
  it('is 96 bits derived one-way from the case, never the staff reply token itself, and is checked whole', () => {
    const t = statusLinkToken(kase);
    expect(t).toMatch(/^[A-Za-z0-9_-]{16}$/);
    expect(t).not.toContain(kase.token);
    expect(statusLinkToken({ ...kase, number: 'ADU-2026-000124' })).not.toBe(t);
    expect(isStatusLinkToken(kase, t)).toBe(true);
    expect(isStatusLinkToken(kase, t.slice(0, 15))).toBe(false);
    expect(isStatusLinkToken(kase, `${t}x`)).toBe(false);
    expect(isStatusLinkToken(kase, kase.token)).toBe(false);
  });
});

describe('acknowledgements with and without a link', () => {
  const linked = testConfig({ channels: [{ id: 'web', type: 'web', publicUrl: 'https://aduan.test' }] });
  const url = statusUrl(linked, kase)!;
  const unlinked = testConfig();

  it('the e-mail texts have the link line only with a link; without one they are as before', () => {
    for (const name of ['ackMailText', 'ackMailTriage', 'ackMailDuplicate'] as const) {
      const vars = { name: 'Ani', caseNumber: kase.number, division: 'Humas', instance: 'DPRD' };
      expect(render(name, { ...vars, statusUrl: url })).toContain(`jangan dibagikan): ${url}\n`);
      const without = render(name, { ...vars, statusUrl: '' });
      expect(without).not.toContain('Pantau');
      expect(without).not.toContain('{statusUrl}');
      expect(without).toBe(DEFAULT_TEMPLATES[name].split('\n').filter((l) => !l.includes('{statusUrl}')).join('\n').replace(/\{(\w+)\}/g, (_w, k: string) => (vars as Record<string, string>)[k]!));
    }
  });

  it('Telegram gets the link on a line of its own; SMS does not, unless a template override asks for it', () => {
    expect(shortAckText(linked, kase, 'ackShort', 'telegram')).toBe(`${render('ackShort', { caseNumber: kase.number })}\nPantau perkembangan aduan: ${url}`);
    expect(shortAckText(linked, kase, 'ackHeldShort', 'telegram', 'Lampiran tidak tersimpan.')).toMatch(/Lampiran tidak tersimpan\.\nPantau perkembangan aduan: /);
    expect(shortAckText(linked, kase, 'ackShort', 'sms')).toBe(render('ackShort', { caseNumber: kase.number }));
    expect(shortAckText(linked, kase, 'ackShort', 'whatsapp')).not.toContain(url);
    // a statement is only thanked: nothing follows there to watch
    expect(shortAckText(linked, kase, 'ackStatementShort', 'telegram')).not.toContain(url);
    expect(shortAckText(unlinked, kase, 'ackShort', 'telegram')).toBe(render('ackShort', { caseNumber: kase.number }));

    // SMS opt-in: {statusUrl} on a line of its own in the override (Telegram then gets it once)
    const optIn = load(['channels:', '  - id: web', '    type: web', '    publicUrl: https://aduan.test', 'templates:', '  ackShort: "Aduan diterima: {caseNumber}.\\nCek: {statusUrl}"']).config;
    const optUrl = statusUrl(optIn, kase)!;
    expect(shortAckText(optIn, kase, 'ackShort', 'sms')).toBe(`Aduan diterima: ${kase.number}.\nCek: ${optUrl}`);
    expect(shortAckText(optIn, kase, 'ackShort', 'telegram')).toBe(`Aduan diterima: ${kase.number}.\nCek: ${optUrl}`);
    // and without a web channel publicUrl the line is left out, not sent as "{statusUrl}"
    const optInNoLink = load(['templates:', '  ackShort: "Aduan diterima: {caseNumber}.\\nCek: {statusUrl}"']).config;
    expect(shortAckText(optInNoLink, kase, 'ackShort', 'sms')).toBe(`Aduan diterima: ${kase.number}.`);
    // Telegram without the link: ackLinkShort ''
    const off = load(['channels:', '  - id: web', '    type: web', '    publicUrl: https://aduan.test', 'templates:', '  ackLinkShort: ""']).config;
    expect(shortAckText(off, kase, 'ackShort', 'telegram')).toBe(render('ackShort', { caseNumber: kase.number }));
  });

  it('an override that would lose more than the link line without a link is refused at load, saying where to put it', () => {
    expect(aduanError(() => load(['templates:', '  ackShort: "Nomor {caseNumber}, cek {statusUrl}"'])).message)
      .toContain('templates.ackShort: put {statusUrl} on a line of its own, without other placeholders');
    expect(aduanError(() => load(['templates:', '  ackShort: "Cek: {statusUrl}\\n"'])).message)
      .toContain('write more than the {statusUrl} line');
    // a template not given the link
    expect(aduanError(() => load(['templates:', '  replyNotedShort: "{caseNumber}: {state}\\n{statusUrl}"'])).message)
      .toContain('{statusUrl} would be sent as written');
  });
});

describe('the intake\'s acknowledgements', () => {
  it('a Telegram acknowledgement carries the case\'s link, an SMS one does not', () => {
    const config = testConfig({ channels: [{ id: 'web', type: 'web', publicUrl: 'https://aduan.test' }] });
    const db = openDb(':memory:');
    // (the Telegram and SMS channels' replies go through their outbound queues: tg and sms)
    const deps = { db, config, understander: basicUnderstander(config), outboundChannels: new Set(['tg', 'sms']), now: () => new Date('2026-03-01T08:00:00Z') };
    const record = (connectorId: string, channel: string, sender: Record<string, string>, text: string): { number: string; ack: string } => {
      const message = inboundMessageSchema.parse({ connectorId, channel, externalId: `${connectorId}-1`, receivedAt: '2026-03-01T08:00:00.000Z', sender, text });
      const number = recordInbound(deps, message, ingestId(connectorId, message.externalId)).caseNumber!;
      const row = db.select().from(outbox).all().find((r) => r.id.startsWith(`${number}.ack`))!;
      return { number, ack: (row.payload as { text: string }).text };
    };
    const tg = record('tg', 'telegram', { telegramChatId: '4242' }, 'Jalan di depan Pasar Kranggan berlubang besar sejak sebulan, mohon diperbaiki.');
    const kaseRow = { number: tg.number, token: db.$client.prepare('select token from cases where number = ?').pluck().get(tg.number) as string };
    expect(tg.ack).toContain(`\nPantau perkembangan aduan: ${statusUrl(config, kaseRow)}`);
    const sms = record('sms', 'sms', { phone: '+6281299990001' }, 'Lampu PJU di Jl. Magelang mati sejak seminggu, mohon diperbaiki.');
    expect(sms.ack).toContain(sms.number);
    expect(sms.ack).not.toContain('aduan.test');
  });

  it('words beside {statusUrl} that no citizen will get (no status link on this instance) are a warning at load and in aduan doctor', () => {
    const mixed = ['templates:', '  ackMailText: "Yth. {name},\\nAduan Anda tercatat dengan nomor {caseNumber}.\\nTerima kasih. Pantau: {statusUrl}"', '  ackShort: "Nomor {caseNumber}.\\n{statusUrl}"'];
    const never = 'templates.ackMailText: "Terima kasih. Pantau:" is never sent — it is on the {statusUrl} line, which is left out when there is no status link, and this instance has none';
    // no web channel: the line, "Terima kasih." with it, is left out of every acknowledgement
    const none = load(mixed);
    expect(none.warnings).toHaveLength(1);
    expect(none.warnings[0]).toContain(never);
    expect(none.warnings[0]).toContain('Put the words that must reach citizens on a line of their own, or set a web channel\'s publicUrl');
    expect(render('ackMailText', { name: 'Bu Sri', caseNumber: kase.number, statusUrl: '' }, none.config.templates)).toBe(`Yth. Bu Sri,\nAduan Anda tercatat dengan nomor ${kase.number}.`);
    // a web channel without publicUrl, or instance.publicUrl with no web channel enabled: still no link
    expect(load([...mixed, 'channels:', '  - id: web', '    type: web']).warnings).toEqual(none.warnings);
    expect(load([...mixed, 'instance:', '  publicUrl: https://aduan.test']).warnings).toEqual(none.warnings);
    expect(load([...mixed, 'instance:', '  publicUrl: https://aduan.test', 'channels:', '  - id: web', '    type: web', '    enabled: false']).warnings).toEqual(none.warnings);
    // with a link the line is sent, words and all: nothing to say (and the same text stays valid)
    expect(load([...mixed, 'channels:', '  - id: web', '    type: web', '    publicUrl: https://aduan.test']).warnings).toEqual([]);
    expect(load([...mixed, 'instance:', '  publicUrl: https://aduan.test', 'channels:', '  - id: web', '    type: web']).warnings).toEqual([]);
    // the defaults' link lines, and ackLinkShort (sent only with a link), are not the sysadmin's words
    expect(load([]).warnings).toEqual([]);
    expect(load(['templates:', '  ackLinkShort: "Terima kasih. Cek: {statusUrl}"']).warnings).toEqual([]);

    // aduan doctor, where the sysadmin checks a config, prints it
    const dir = mkdtempSync(path.join(tmpdir(), 'aduan-doctor-'));
    try {
      const file = path.join(dir, 'aduan.yaml');
      writeFileSync(file, ['redis:', '  url: redis://127.0.0.1:9', 'database:', '  path: ./aduan.db', 'storage:', '  dir: ./storage', 'mail:', '  transport: file', '  file:', '    dir: ./mail', ...BASE, ...mixed].join('\n'));
      const doctor = spawnSync(process.execPath, [path.resolve(import.meta.dirname, '..', '..', 'scripts', 'aduan.mjs'), 'doctor', '--config', file], { cwd: dir, encoding: 'utf8', env: { ...process.env, ADUAN_CONFIG: '' } });
      expect(doctor.stdout).toContain(`! ${never}`);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 60_000);
});
