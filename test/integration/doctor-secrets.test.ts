/**
 * `aduan doctor` on secrets left at a placeholder (`password: changeme`, `authToken: xxx…`, `secret: CHANGE_ME`):
 * before, it said nothing and the gateway ran with them; now each is a `!` line naming the key, never the value.
 */
import { appendFileSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { isPlaceholderSecret, placeholderSecrets, shippedSecretValues } from '../../scripts/doctor-notes.ts';
import { cliFixture } from '../helpers/cli.ts';
import { freePort } from '../helpers/ports.ts';

const fixtures: ReturnType<typeof cliFixture>[] = [];
afterAll(() => { for (const f of fixtures) f.dispose(); });

describe('aduan doctor warns about placeholder secrets', () => {
  it('names each key whose secret is a placeholder, and never prints the value', async () => {
    const f = cliFixture('aduan-doctor-secrets-');
    fixtures.push(f);
    const [p1, p2, p3] = [await freePort(), await freePort(), await freePort()];
    appendFileSync(f.config, ['',
      'admin:', `  listen: { port: ${p3}, host: 127.0.0.1 }`, '  token: changeme-changeme-changeme',
      'channels:',
      '  - id: hp', '    type: android-sms-gateway', `    listen: { port: ${p1}, host: 127.0.0.1 }`, '    signingKey: CHANGE_ME', '    apiUrl: http://127.0.0.1:9/', '    username: sms', '    password: changeme',
      '  - id: wa', '    type: twilio', `    listen: { port: ${p2}, host: 127.0.0.1 }`, '    publicUrl: https://x.example/t', `    accountSid: AC${'0'.repeat(32)}`, '    authToken: xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx', '    from: "+6281100000000"',
      '  - id: tw', '    type: twilio', '    enabled: false', `    listen: { port: ${p2 + 1}, host: 127.0.0.1 }`, '    publicUrl: https://x.example/u', `    accountSid: AC${'1'.repeat(32)}`, '    authToken: 9f2c41d87ab03e65c1d4f08a7be29d13', '    from: "+6281100000001"',
    ].join('\n'));
    const r = f.run('doctor');
    const warned = r.stdout.split('\n').filter((l) => l.includes('placeholder'));
    expect(warned).toEqual([
      '! channels[hp].signingKey is a placeholder, not a real secret: set it to the real one (as ${VAR} from the environment, or VAR_FILE)',
      '! channels[hp].password is a placeholder, not a real secret: set it to the real one (as ${VAR} from the environment, or VAR_FILE)',
      '! channels[wa].authToken is a placeholder, not a real secret: set it to the real one (as ${VAR} from the environment, or VAR_FILE)',
      '! admin.token is a placeholder, not a real secret: set it to the real one (as ${VAR} from the environment, or VAR_FILE)',
    ]);
    for (const secret of ['changeme', 'CHANGE_ME', 'xxxxxxxx', '9f2c41d87ab03e65c1d4f08a7be29d13']) expect(r.stdout + r.stderr).not.toContain(secret);
  }, 60_000);

  it('what counts as a placeholder: obvious stand-ins and the shipped example\'s values, not a real secret', () => {
    for (const p of ['changeme', 'CHANGE_ME', 'change-me-please', '<bot token>', '<password>', 'xxx', 'XXXXXXXX', '***', 'secret', 'password', 'your-token-here', 'YOUR_PASSWORD', 'todo', '123456', '123456:ABC-DEF1234ghIkl-zyx57W2v1u123ew11']) {
      expect(isPlaceholderSecret(p), p).toBe(true);
    }
    for (const real of ['9f2c41d87ab03e65c1d4f08a7be29d13', 'Tr0ub4dor&3-horse', '7212345678:AAHx9Qp2LkT0sXvB1mNcR4', 'jalanMalioboro2026!']) {
      expect(isPlaceholderSecret(real), real).toBe(false);
    }
    const shipped = shippedSecretValues(['smtp:', '  # pass: s3cret-of-the-example   # or SMTP_PASS_FILE', '  token: ${ADMIN_TOKEN}', '  - password: "demo-pass-1"', 'host: demo.example'].join('\n'));
    expect([...shipped].sort()).toEqual(['demo-pass-1', 's3cret-of-the-example']);
    expect(placeholderSecrets({ mail: { smtp: { auth: { user: 'aduan', pass: 'demo-pass-1' } } }, redis: { url: 'redis://:changeme@10.0.0.5:6379' } }, shipped)).toEqual([
      'mail.smtp.auth.pass is a placeholder, not a real secret: set it to the real one (as ${VAR} from the environment, or VAR_FILE)',
      'redis.url: the password in it is a placeholder, not a real secret: set the real one',
    ]);
  });
});
