import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfigFile, loadConfigText } from '../../core/config/load.ts';
import { aduanError } from '../helpers/config.ts';
import { CHANNEL_SCHEMAS } from '../../connectors/registry.ts';

const opts = { channelSchemas: CHANNEL_SCHEMAS, env: {} };
const divisions = ['divisions:', '  - id: humas', '    name: Humas', '    inbox: humas@x.test', '    default: true'];

const error = aduanError;

describe('config values that used to load and fail (or do nothing) later', () => {
  it('a holiday that is no day of the calendar (2026-02-30, 2026-13-01) is an error naming the entry and what to write', () => {
    for (const [day, index] of [['2026-02-30', 1], ['2026-13-01', 1], ['2027-02-29', 1]] as const) {
      const text = [...divisions, 'sla:', '  holidays:', '    - 2026-08-17', `    - ${day}`].join('\n');
      const e = error(() => loadConfigText(text, '/etc/aduan/aduan.yaml', opts));
      expect(e.code).toBe('CONFIG.INVALID');
      expect(e.message).toContain(`key sla.holidays[${index}]`);
      expect(e.message).toContain('line 9');
      expect(e.message).toContain(`"${day}" is no day of the calendar`);
      expect(e.message).toContain('YYYY-MM-DD');
    }
    const ok = [...divisions, 'sla:', '  holidays: [2026-08-17, 2028-02-29, "2026-12-25"]'].join('\n');
    expect(loadConfigText(ok, '/etc/aduan/aduan.yaml', opts).config.sla.holidays).toEqual(['2026-08-17', '2028-02-29', '2026-12-25']);
  });

  it('two channels (or a channel and the admin API) on one host:port are refused at load, naming both and the port', () => {
    const android = ['  - id: sms-android', '    type: android-sms-gateway', '    listen:', '      host: 0.0.0.0', '      port: 8080',
      '    signingKey: k3y-for-test', '    apiUrl: http://127.0.0.1:9', '    username: u', '    password: p'];
    const twilio = (port: number, host = '127.0.0.1'): string[] => ['  - id: wa-twilio', '    type: twilio', '    listen:', `      host: "${host}"`, `      port: ${port}`,
      '    publicUrl: https://aduan.example/t', `    accountSid: AC${'0'.repeat(32)}`, '    authToken: test-token-0123456789', '    from: "+6281100000000"'];
    const telegram = (mode: string, port: number): string[] => ['  - id: tg', '    type: telegram', '    token: "123456:ABCDEFGHIJKLMNOP"', `    mode: ${mode}`,
      '    webhook:', '      listen:', `        port: ${port}`, '      publicUrl: https://aduan.example/tg', '      secretToken: s3cret'];
    const load = (lines: string[]) => loadConfigText([...divisions, ...lines].join('\n'), '/etc/aduan/aduan.yaml', opts);

    // two web channels, the second on the first's default port 8080
    const webs = error(() => load(['channels:', '  - id: web', '    type: web', '  - id: web-api', '    type: web', '    listen:', '      port: 8080']));
    expect(webs.code).toBe('CONFIG.INVALID');
    expect(webs.message).toContain('line 12, key channels[1].listen.port: channel web-api (web) and channel web (web)');
    expect(webs.message).toContain('both listen on 127.0.0.1:8080');
    expect(webs.message).toContain('give one of them another port');

    // a webhook on 0.0.0.0:8080 takes 127.0.0.1:8080 too
    const wildcard = error(() => load(['channels:', '  - id: web', '    type: web', ...android]));
    expect(wildcard.message).toContain('channel sms-android (android-sms-gateway) and channel web (web)');
    expect(wildcard.message).toContain('listen on 0.0.0.0:8080 and 127.0.0.1:8080, which overlap');

    // Twilio and a Telegram webhook, and the admin API and Twilio
    expect(error(() => load(['channels:', ...twilio(8443), ...telegram('webhook', 8443)])).message)
      .toContain('key channels[1].webhook.listen.port: channel tg (telegram) and channel wa-twilio (twilio)');
    expect(error(() => load(['admin:', `  token: ${'t'.repeat(24)}`, '  listen:', '    port: 9000', 'channels:', ...twilio(9000)])).message)
      .toContain('admin API and channel wa-twilio (twilio)');
    // (the admin API runs with officers' own tokens alone, too)
    expect(error(() => load(['admin:', '  officers:', `    - { name: Siti, token: ${'s'.repeat(24)} }`, '  listen:', '    port: 9000', 'channels:', ...twilio(9000)])).message)
      .toContain('admin API and channel wa-twilio (twilio)');

    // not a collision: other hosts, a disabled channel, Telegram polling, the admin API without a token, port 0
    expect(() => load(['channels:', '  - id: web', '    type: web', ...twilio(8080, '10.0.0.5')])).not.toThrow();
    expect(() => load(['channels:', '  - id: web', '    type: web', ...twilio(8080, '::1')])).not.toThrow();
    expect(() => load(['channels:', '  - id: web', '    type: web', '  - id: web-off', '    type: web', '    enabled: false'])).not.toThrow();
    expect(() => load(['channels:', ...twilio(8443), ...telegram('polling', 8443)])).not.toThrow();
    expect(() => load(['admin:', '  listen:', '    port: 8080', 'channels:', '  - id: web', '    type: web'])).not.toThrow();
    expect(() => load(['channels:', ...telegram('webhook', 0), ...telegram('webhook', 0).map((l) => l.replace('id: tg', 'id: tg-2'))])).not.toThrow();
  });

  it('relative paths written in a config file are read from its folder, whatever the working directory; defaults and the demo as before', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'aduan-paths-'));
    const file = path.join(dir, 'aduan.yaml');
    writeFileSync(file, [...divisions,
      'database:', '  path: ./data/aduan.db',
      'storage:', '  dir: data/storage',
      'mail:', '  file:', '    dir: ../mail-out', '  smtp:', '    tls:', '      caFile: certs/relay-ca.pem',
      'classifier:', '  modelDir: ${MODEL_DIR:-./model}',
      'channels:',
      '  - id: sms-modem', '    type: gammu', '    inboxPath: spool/inbox', '    processedPath: spool/processed', '    outboxPath: /var/spool/gammu/outbox',
      '    quarantinePath: ./spool/quarantine',
      '  - id: sms-sql', '    type: gammu', '    backend: sql', '    databasePath: smsd.db',
      '  - id: email', '    type: email', '    address: aduan@x.test', '    imap:', '      host: 127.0.0.1', '      auth: { user: u, pass: p }', '      tls: { caFile: imap-ca.pem }',
    ].join('\n'));
    expect(process.cwd()).not.toBe(dir);
    // (an empty working directory: a checkout's own ./data must not trip the upgrade guard here)
    const cwd = mkdtempSync(path.join(tmpdir(), 'aduan-cwd-'));
    const { config } = loadConfigFile(file, { ...opts, cwd });
    expect(config.database.path).toBe(path.join(dir, 'data', 'aduan.db'));
    expect(config.storage.dir).toBe(path.join(dir, 'data', 'storage'));
    expect(config.mail.file.dir).toBe(path.join(path.dirname(dir), 'mail-out'));
    expect(config.mail.smtp.tls.caFile).toBe(path.join(dir, 'certs', 'relay-ca.pem'));
    expect(config.classifier.modelDir).toBe(path.join(dir, 'model'));
    const [modem, sql, email] = config.channels as unknown as Record<string, unknown>[];
    expect(modem).toMatchObject({ inboxPath: path.join(dir, 'spool', 'inbox'), processedPath: path.join(dir, 'spool', 'processed'), outboxPath: '/var/spool/gammu/outbox', quarantinePath: path.join(dir, 'spool', 'quarantine') });
    expect(sql).toMatchObject({ databasePath: path.join(dir, 'smsd.db') });
    expect((email as { imap: { tls: { caFile: string } } }).imap.tls.caFile).toBe(path.join(dir, 'imap-ca.pem'));

    // keys the file does not write keep their defaults, read from the working directory as before;
    // :memory: names no file
    writeFileSync(file, [...divisions, 'database:', '  path: ":memory:"'].join('\n'));
    const defaults = loadConfigFile(file, { ...opts, cwd }).config;
    expect(defaults.database.path).toBe(':memory:');
    expect(defaults.storage.dir).toBe('./data/storage');
    expect(defaults.mail.file.dir).toBe('./data/mail');
    // the embedded demo (no config file): as written, read from the working directory
    writeFileSync(file, [...divisions, 'database:', '  path: ./data/aduan.db'].join('\n'));
    expect(loadConfigFile(file, { ...opts, pathBase: false }).config.database.path).toBe('./data/aduan.db');
  });

  it('a relative path that meant an existing file from the working directory, and names none from the config folder, is refused (no new empty database)', () => {
    // an install upgraded with a copied example: config/aduan.yaml says modelDir: config/model, meant
    // from the checkout (the working directory), where it exists; from config/ it would not
    const dir = mkdtempSync(path.join(tmpdir(), 'aduan-paths-'));
    mkdirSync(path.join(dir, 'config'));
    const file = path.join(dir, 'config', 'aduan.yaml');
    // the working directory is named (not process.cwd(), whose depth under / differs by checkout and
    // could make the relative path land on the same folder from both sides)
    const cwd = mkdtempSync(path.join(tmpdir(), 'aduan-cwd-'));
    const relative = path.join('config', 'model');
    mkdirSync(path.join(cwd, relative), { recursive: true });
    writeFileSync(file, [...divisions, 'classifier:', `  modelDir: ${relative}`].join('\n'));
    const e = error(() => loadConfigFile(file, { ...opts, cwd }));
    expect(e.code).toBe('CONFIG.INVALID');
    expect(e.message).toContain('line 7, key classifier.modelDir');
    expect(e.message).toContain(`is read from the config file's folder, ${path.join(dir, 'config')}: ${path.resolve(path.join(dir, 'config'), relative)}, which does not exist`);
    expect(e.message).toContain(`but ${path.join(cwd, relative)} (read from the working directory`);
    expect(e.message).toContain('Write the path you mean absolute');
  });

  it('a provider secret that is blank or a stub (a signing key of spaces, a one-letter Auth Token) is refused at load, saying what it is', () => {
    const load = (lines: string[]) => loadConfigText([...divisions, 'channels:', ...lines].join('\n'), '/etc/aduan/aduan.yaml', opts);
    const android = (key: string) => ['  - id: and', '    type: android-sms-gateway', '    listen: { port: 9101 }', `    signingKey: "${key}"`, '    apiUrl: http://127.0.0.1:9', '    username: u', '    password: p'];
    expect(error(() => load(android('        '))).message).toContain("key channels[0].signingKey: the app's webhook signing key, at least 8 characters (not blank)");
    const twilioWith = (token: string) => ['  - id: tw', '    type: twilio', '    listen: { port: 9102 }', '    publicUrl: https://aduan.example/t', `    accountSid: AC${'0'.repeat(32)}`, `    authToken: "${token}"`, '    from: "+6281100000000"'];
    expect(error(() => load(twilioWith('x'))).message).toContain('key channels[0].authToken: the Twilio Auth Token (32 hexadecimal characters in the console), not blank');
    // blanks pasted around a real one are not part of it
    const ok = load(twilioWith(` ${'ab12'.repeat(8)} `)).config.channels[0] as unknown as { authToken: string };
    expect(ok.authToken).toBe('ab12'.repeat(8));
  });

  it('an Android gateway apiUrl with user:password@ in it is refused at load (fetch named it whole, password too, in every reply\'s error)', () => {
    const load = (url: string) => loadConfigText([...divisions, 'channels:', '  - id: and', '    type: android-sms-gateway', '    listen: { port: 9101 }', '    signingKey: "kunci-rahasia-1"', `    apiUrl: ${url}`, '    username: u', '    password: p'].join('\n'), '/etc/aduan/aduan.yaml', opts);
    const e = error(() => load('http://sms:S3cret-pw@192.168.1.20:8080'));
    expect(e.message).toContain('key channels[0].apiUrl: the address without user:password@ (the login goes in username and password)');
    expect(e.message).not.toContain('S3cret-pw');
    expect(() => load('http://192.168.1.20:8080')).not.toThrow();
  });

  it('a mail.from or mail.replyTo without an address, a messageIdDomain with one, a sentinel port out of range are refused at load', () => {
    const load = (lines: string[]) => loadConfigText([...divisions, ...lines].join('\n'), '/etc/aduan/aduan.yaml', opts);
    // they used to load; then every mail was refused and staff replies went to "Aduan DPRD+ADU-…@undefined"
    const from = error(() => load(['mail:', '  from: Aduan DPRD Kota Yogyakarta', '  replyTo: aduan at dprd.jogjakota.go.id', '  messageIdDomain: aduan@dprd.jogjakota.go.id']));
    expect(from.message).toContain('line 7, key mail.from: an address, optionally with a name: Aduan DPRD Kota Yogyakarta <aduan@dprd.jogjakota.go.id>');
    expect(from.message).toContain('line 8, key mail.replyTo: an address');
    expect(from.message).toContain('line 9, key mail.messageIdDomain: a domain name such as dprd.jogjakota.go.id');
    expect(load(['mail:', '  from: "Aduan DPRD <aduan@dprd.jogjakota.go.id>"', '  replyTo: aduan@dprd.jogjakota.go.id', '  messageIdDomain: dprd.jogjakota.go.id']).config.mail.from)
      .toBe('Aduan DPRD <aduan@dprd.jogjakota.go.id>');
    const sentinel = error(() => load(['redis:', '  sentinels:', '    - host: 10.0.0.1', '      port: 263790']));
    expect(sentinel.message).toContain('line 9, key redis.sentinels[0].port');
  });

  it('a Telegram apiRoot with a path but no trailing "/" is refused (telegraf would drop the path from every request)', () => {
    const tg = (root: string) => [...divisions, 'channels:', '  - id: tg', '    type: telegram', '    token: "123456:ABCDEFGHIJKLMNOP"', `    apiRoot: ${root}`].join('\n');
    const e = error(() => loadConfigText(tg('http://127.0.0.1:8081/bot-api'), '/etc/aduan/aduan.yaml', opts));
    expect(e.message).toContain('line 10, key channels[0].apiRoot: a root with a path must end with "/" (http://127.0.0.1:8081/bot-api/)');
    for (const ok of ['http://127.0.0.1:8081', 'http://127.0.0.1:8081/', 'http://127.0.0.1:8081/bot-api/']) {
      expect(() => loadConfigText(tg(ok), '/etc/aduan/aduan.yaml', opts)).not.toThrow();
    }
  });
});
