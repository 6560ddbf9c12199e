import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfigFile, loadConfigText } from '../../core/config/load.ts';
import { aduanError } from '../helpers/config.ts';
import { CHANNEL_SCHEMAS } from '../../connectors/registry.ts';
import { buildJsonSchema, SCHEMA_FILE } from '../../scripts/gen-schema.ts';
import { DEMO_CONFIG } from '../../scripts/load-config.ts';
import { DEFAULT_TEMPLATES, unknownPlaceholders, type TemplateName } from '../../core/templates.ts';

const opts = { channelSchemas: CHANNEL_SCHEMAS, env: {} };
const error = aduanError;

describe('config', () => {
  it('the shipped example (the demo) is valid and frozen', () => {
    // as the demo runs it: its relative paths (./data/…) read from the working directory
    const { config } = loadConfigFile(DEMO_CONFIG, { ...opts, pathBase: false });
    expect(config.instance.casePrefix).toBe('ADU');
    expect(config.instance.timezone).toBe('Asia/Jakarta');
    expect(config.channels.map((c) => c.type)).toContain('web');
    expect(config.divisions.filter((d) => d.default)).toHaveLength(1);
    expect(Object.isFrozen(config.mail)).toBe(true);
    expect(() => ((config.mail as { from: string }).from = 'x')).toThrow();
  });

  it('a misspelt template name is an error naming it and the known ones, not a silently ignored text', () => {
    const base = ['divisions:', '  - id: humas', '    name: Humas', '    inbox: humas@x.test', '    default: true', 'templates:'];
    const e = error(() => loadConfigText([...base, '  ackMailStatment: "Terima kasih {caseNumber}"'].join('\n'), '/etc/aduan.yaml', opts));
    expect(e.code).toBe('CONFIG.INVALID');
    expect(e.message).toContain('templates.ackMailStatment');
    expect(e.message).toContain('unknown template "ackMailStatment"; known: ackShort,');
    expect(e.message).toContain('ackMailStatement');
    expect(loadConfigText([...base, '  ackMailStatement: "Terima kasih {caseNumber}"'].join('\n'), '/etc/aduan.yaml', opts).config.templates).toEqual({ ackMailStatement: 'Terima kasih {caseNumber}' });
  });

  it('a misspelt placeholder in a template is an error naming it and the ones that template is given', () => {
    const base = ['divisions:', '  - id: humas', '    name: Humas', '    inbox: humas@x.test', '    default: true', 'templates:'];
    const e = error(() => loadConfigText([...base, '  ackShort: "Aduan diterima, nomor {caseNumbr}"'].join('\n'), '/etc/aduan.yaml', opts));
    expect(e.code).toBe('CONFIG.INVALID');
    expect(e.message).toContain('templates.ackShort');
    expect(e.message).toContain('{caseNumbr} would be sent as written: this template is given {caseNumber}');
    // a placeholder another template is given is no help here either (the SMS acknowledgement has no division)
    expect(error(() => loadConfigText([...base, '  ackShort: "Nomor {caseNumber}, diteruskan ke {division}"'].join('\n'), '/etc/aduan.yaml', opts)).message)
      .toContain('{division} would be sent as written');
    const ok = loadConfigText([...base, '  replyNotedShort: "{caseNumber}: {state} sejak {date}"', '  forwardReplyHint: "Balas e-mail ini."'].join('\n'), '/etc/aduan.yaml', opts);
    expect(ok.config.templates['replyNotedShort']).toBe('{caseNumber}: {state} sejak {date}');
    // the shipped texts use only what they are given
    for (const name of Object.keys(DEFAULT_TEMPLATES) as TemplateName[]) expect(unknownPlaceholders(name, DEFAULT_TEMPLATES[name]), name).toEqual([]);
  });

  it('errors name the file, the line and the key path', () => {
    const text = ['instance:', '  casePrefix: adu', 'divisions:', '  - id: humas', '    name: Humas', '    inbox: humas@x.test', '    default: true'].join('\n');
    const e = error(() => loadConfigText(text, '/etc/aduan.yaml', opts));
    expect(e.code).toBe('CONFIG.INVALID');
    expect(e.message).toContain('/etc/aduan.yaml');
    expect(e.message).toContain('line 2');
    expect(e.message).toContain('instance.casePrefix');
    expect(e.details['line']).toBe(2);
  });

  it('a nested channel error points at the channel line and key', () => {
    const text = ['channels:', '  - id: web', '    type: web', '    listen:', '      port: 99999'].join('\n');
    const e = error(() => loadConfigText(text, 'a.yaml', opts));
    expect(e.message).toMatch(/line 5, key channels\[0\]\.listen\.port/);
  });

  it('an unknown channel type lists the known ones', () => {
    const e = error(() => loadConfigText('channels:\n  - id: fax\n    type: fax\n', 'a.yaml', opts));
    expect(e.message).toContain('unknown channel type "fax"');
    expect(e.message).toContain('line 3');
  });

  it('exactly one default division is required', () => {
    const text = 'divisions:\n  - id: a\n    name: A\n    inbox: a@x.test\n  - id: b\n    name: B\n    inbox: b@x.test\n';
    expect(error(() => loadConfigText(text, 'a.yaml', opts)).message).toContain('exactly one division needs "default: true" (found 0)');
  });

  it('YAML syntax errors carry the line', () => {
    const e = error(() => loadConfigText('instance:\n  name: [unclosed\nredis: {}\n', 'bad.yaml', opts));
    expect(e.code).toBe('CONFIG.YAML');
    expect(e.message).toMatch(/line \d/);
  });

  it('interpolates ${VAR} and ${VAR:-default}, keeping numbers numbers', () => {
    const text = 'redis:\n  url: ${R_URL}\nchannels:\n  - id: web\n    type: web\n    listen:\n      port: ${PORT:-8181}\n';
    const { config } = loadConfigText(text, 'a.yaml', { ...opts, env: { R_URL: 'redis://10.0.0.5:6380' } });
    expect(config.redis.url).toBe('redis://10.0.0.5:6380');
    expect((config.channels[0] as unknown as { listen: { port: number } }).listen.port).toBe(8181);
  });

  it('a missing variable without default is an error naming it and its line', () => {
    const e = error(() => loadConfigText('redis:\n  url: ${NOPE}\n', 'a.yaml', opts));
    expect(e.code).toBe('CONFIG.ENV_MISSING');
    expect(e.message).toContain('NOPE');
    expect(e.message).toContain('line 2');
    // the key it stands for, and the ways to give it (before: only "that environment variable is not set")
    const pass = error(() => loadConfigText('divisions:\n  - id: humas\n    name: Humas\n    inbox: [a@dprd.test, "${HUMAS_2}"]\n    default: true\nmail:\n  smtp:\n    auth:\n      pass: ${SMTP_PASS}\n', 'a.yaml', { ...opts, env: { HUMAS_2: 'b@dprd.test' } }));
    expect(pass.message).toBe('Config file a.yaml uses ${SMTP_PASS} (line 9, key mail.smtp.auth.pass) but that environment variable is not set: set SMTP_PASS in the environment of the gateway\'s processes (under PM2: of the shell that runs pm2 start), or SMTP_PASS_FILE to a file holding the value, or write a default: ${SMTP_PASS:-…}');
    expect(error(() => loadConfigText('divisions:\n  - id: humas\n    name: Humas\n    inbox: [a@dprd.test, "${HUMAS_2}"]\n', 'a.yaml', opts)).message).toContain('(line 4, key divisions[0].inbox[1])');
  });

  it('reads secrets from VAR_FILE', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'aduan-cfg-'));
    const secretFile = path.join(dir, 'smtp-pass');
    writeFileSync(secretFile, 's3cret-from-file\n');
    const text = 'mail:\n  transport: smtp\n  smtp:\n    auth:\n      user: u\n      pass: ${SMTP_PASS}\n';
    const { config } = loadConfigText(text, 'a.yaml', { ...opts, env: { SMTP_PASS_FILE: secretFile } });
    expect(config.mail.smtp.auth?.pass).toBe('s3cret-from-file');
  });

  it('a password or token of digits (or "true") given by ${VAR} or VAR_FILE stays text; a port stays a number', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'aduan-cfg-'));
    const tokenFile = path.join(dir, 'token');
    writeFileSync(tokenFile, '000123456789012345678901\n');
    const text = 'mail:\n  transport: smtp\n  smtp:\n    port: ${SMTP_PORT}\n    auth:\n      user: ${SMTP_USER}\n      pass: ${SMTP_PASS}\nadmin:\n  token: ${ADMIN_TOKEN}\n';
    const { config } = loadConfigText(text, 'a.yaml', { ...opts, env: { SMTP_PORT: '2525', SMTP_USER: 'true', SMTP_PASS: '20250917', ADMIN_TOKEN_FILE: tokenFile } });
    expect(config.mail.smtp.port).toBe(2525);
    expect(config.mail.smtp.auth).toEqual({ user: 'true', pass: '20250917' });
    expect(config.admin.token).toBe('000123456789012345678901');
  });

  it('a timezone or a redis.url that cannot work is an error naming what to write', () => {
    const tz = error(() => loadConfigText('instance:\n  timezone: Asia/Jakrta\n', 'a.yaml', opts));
    expect(tz.message).toContain('line 2');
    expect(tz.message).toContain('an IANA timezone such as Asia/Jakarta');
    const url = error(() => loadConfigText('redis:\n  url: redis-master:6380\n', 'a.yaml', opts));
    expect(url.message).toContain('write it as redis://host:port/db');
    expect(loadConfigText('instance:\n  timezone: Asia/Makassar\nredis:\n  url: rediss://u:p@redis.dprd.lan:6380/2\n', 'a.yaml', opts).config.instance.timezone).toBe('Asia/Makassar');
  });

  it('rejects unknown keys (typos) instead of ignoring them', () => {
    const e = error(() => loadConfigText('mail:\n  transprt: smtp\n', 'a.yaml', opts));
    expect(e.message).toContain('transprt');
  });

  it('a misspelt key is named with its own line and the key it most likely means, not as its parent', () => {
    const base = ['divisions:', '  - id: humas', '    name: Humas', '    inbox: humas@x.test', '    default: true'];
    // (was: "line 1, key instance: Unrecognized key: \"casPrefix\"")
    const e = error(() => loadConfigText(['instance:', '  name: Test', '  casPrefix: ADU', ...base].join('\n'), '/etc/aduan.yaml', opts));
    expect(e.message).toContain('line 3, key instance.casPrefix: unknown key "casPrefix"; did you mean "casePrefix"?');
    expect(e.details['line']).toBe(3);
    expect(e.details['key']).toBe('instance.casPrefix');
    // at the top level, in a list item, in a channel (its type's own schema), cut short
    expect(error(() => loadConfigText([...base, 'databse:', '  path: /tmp/x.db'].join('\n'), 'a.yaml', opts)).message)
      .toContain('line 6, key databse: unknown key "databse"; did you mean "database"?');
    expect(error(() => loadConfigText([...base, '    keyword: [jalan]'].join('\n'), 'a.yaml', opts)).message)
      .toContain('line 6, key divisions[0].keyword: unknown key "keyword"; did you mean "keywords"?');
    expect(error(() => loadConfigText([...base, 'channels:', '  - id: web', '    type: web', '    enabeld: true'].join('\n'), 'a.yaml', opts)).message)
      .toContain('line 9, key channels[0].enabeld: unknown key "enabeld"; did you mean "enabled"?');
    expect(error(() => loadConfigText([...base, 'mail:', '  smtp:', '    tls:', '      rejectUnauth: false'].join('\n'), 'a.yaml', opts)).message)
      .toContain('key mail.smtp.tls.rejectUnauth: unknown key "rejectUnauth"; did you mean "rejectUnauthorized"?');
    // nothing close: the keys there are
    expect(error(() => loadConfigText([...base, 'sla:', '  zzz: 1'].join('\n'), 'a.yaml', opts)).message)
      .toContain('line 7, key sla.zzz: unknown key "zzz"; known keys here: closeUnansweredAfterDays, maxReopens, firstResponseDays');
  });

  it('a required key left out says it is missing and what to write (a division without its inbox)', () => {
    const e = error(() => loadConfigText(['divisions:', '  - id: humas', '    name: Humas', '    default: true'].join('\n'), 'a.yaml', opts));
    // (was: "key divisions[0].inbox: Invalid input")
    expect(e.message).toContain('key divisions[0].inbox: missing — this key is required: an e-mail address such as komisi-c@dprd.jogjakota.go.id, or a list of them');
    expect(error(() => loadConfigText(['divisions:', '  - id: humas', '    inbox: humas@x.test', '    default: true'].join('\n'), 'a.yaml', opts)).message)
      .toContain('key divisions[0].name: missing — this key is required');
    // given but wrong: what is expected, as before
    expect(error(() => loadConfigText(['divisions:', '  - id: humas', '    name: Humas', '    inbox: humas-at-x.test', '    default: true'].join('\n'), 'a.yaml', opts)).message)
      .toContain('key divisions[0].inbox: an e-mail address such as komisi-c@dprd.jogjakota.go.id');
  });

  it('every commented channel example in the shipped config is valid once uncommented', () => {
    const text = readFileSync(DEMO_CONFIG, 'utf8');
    const lines = text.split('\n');
    const start = lines.findIndex((l) => l.includes('# --- More channels'));
    const end = lines.findIndex((l, i) => i > start && l.startsWith('classifier:'));
    const uncommented = lines.map((l, i) => (i > start && i < end && l.startsWith('  # ') ? `  ${l.slice(4)}` : l)).join('\n');
    const env = { IMAP_PASS: 'p', ANDROID_SMS_SIGNING_KEY: 'k3y-for-test', ANDROID_SMS_PASSWORD: 'p', TWILIO_ACCOUNT_SID: `AC${'0'.repeat(32)}`, TWILIO_AUTH_TOKEN: 'test-token-0123456789', TELEGRAM_BOT_TOKEN: '123456:ABCDEFGHIJKLMNOP' };
    const { config } = loadConfigText(uncommented, DEMO_CONFIG, { channelSchemas: CHANNEL_SCHEMAS, env });
    expect(config.channels.map((c) => c.type).sort()).toEqual(['android-sms-gateway', 'email', 'gammu', 'telegram', 'twilio', 'web']);
  });

  it('the committed JSON Schema is current (npm run schema)', () => {
    expect(JSON.parse(readFileSync(SCHEMA_FILE, 'utf8'))).toEqual(JSON.parse(JSON.stringify(buildJsonSchema())));
  });
});
