import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { ImapFlow } from 'imapflow';
import { chmodSync, chownSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync, readFileSync, existsSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir, userInfo } from 'node:os';
import path from 'node:path';
import { freePort, waitFor } from './ports.ts';

export interface TestDovecot {
  host: string;
  port: number;
  user: string;
  pass: string;
  /** Folder holding config, passwd-file, maildirs and the log. */
  dir: string;
  /** Stop the server (SIGTERM to the master): every IMAP connection drops. */
  stop(): Promise<void>;
  /** Start it again on the same port with the same maildir. */
  restart(): Promise<void>;
  /** Stop for good and remove the temp dir. */
  dispose(): Promise<void>;
  /** The server log, for failing-test diagnostics. */
  log(): string;
  /** With `tls`: the self-signed certificate (PEM) clients must trust. */
  certFile?: string;
}

/** uid/gid the mail user runs as: Dovecot refuses uid 0, so as root we borrow the `dovecot` account. */
function mailOwner(): { uid: number; gid: number } {
  const me = userInfo();
  if (me.uid !== 0) return { uid: me.uid, gid: me.gid };
  const line = readFileSync('/etc/passwd', 'utf8').split('\n').find((l) => l.startsWith('dovecot:'));
  const f = line?.split(':');
  if (f && f[2] && f[3]) return { uid: Number(f[2]), gid: Number(f[3]) };
  return { uid: 65534, gid: 65534 };
}

/**
 * A real Debian Dovecot (imapd) on a free loopback port with a throw-away config, passwd-file and
 * maildir. Plain-text login without TLS: loopback only.
 */
export async function startDovecot(opts: {
  user?: string;
  pass?: string;
  /** Replace the advertised IMAP capabilities (e.g. without IDLE, to exercise a poll fallback). */
  capabilities?: string;
  /** Require STARTTLS with a fresh self-signed certificate for 127.0.0.1 (openssl). */
  tls?: boolean;
} = {}): Promise<TestDovecot> {
  const port = await freePort();
  const user = opts.user ?? 'aduan';
  const pass = opts.pass ?? 'rahasia-uji';
  const dir = mkdtempSync(path.join(tmpdir(), 'aduan-dovecot-'));
  // Dovecot's unprivileged processes must traverse the folder to reach sockets and maildirs.
  chmodSync(dir, 0o755);
  const owner = mailOwner();
  const asRoot = userInfo().uid === 0;
  for (const sub of ['run', 'state', 'mail']) {
    mkdirSync(path.join(dir, sub), { recursive: true });
    chmodSync(path.join(dir, sub), 0o755);
  }
  if (asRoot) chownSync(path.join(dir, 'mail'), owner.uid, owner.gid);
  writeFileSync(path.join(dir, 'passwd'), `${user}:{PLAIN}${pass}:${owner.uid}:${owner.gid}::${path.join(dir, 'mail', user)}::\n`, { mode: 0o644 });
  let certFile: string | undefined;
  if (opts.tls) {
    certFile = path.join(dir, 'cert.pem');
    const keyFile = path.join(dir, 'key.pem');
    execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', keyFile, '-out', certFile, '-days', '2',
      '-subj', '/CN=aduan-test-imap', '-addext', 'subjectAltName=IP:127.0.0.1,DNS:localhost'], { stdio: 'ignore' });
    chmodSync(keyFile, 0o644);
  }
  const conf = [
    `base_dir = ${path.join(dir, 'run')}`,
    `state_dir = ${path.join(dir, 'state')}`,
    `log_path = ${path.join(dir, 'dovecot.log')}`,
    `protocols = imap`,
    `listen = 127.0.0.1`,
    ...(certFile ? ['ssl = required', `ssl_cert = <${certFile}`, `ssl_key = <${path.join(dir, 'key.pem')}`, 'disable_plaintext_auth = yes'] : ['ssl = no', 'disable_plaintext_auth = no']),
    `auth_mechanisms = plain login`,
    ...(asRoot ? ['default_login_user = dovenull', 'default_internal_user = dovecot'] : [`default_login_user = ${userInfo().username}`, `default_internal_user = ${userInfo().username}`]),
    `first_valid_uid = ${Math.min(owner.uid, 100)}`,
    `mail_location = maildir:~/Maildir`,
    `mail_max_userip_connections = 200`,
    // a throw-away test server: no fsync per APPEND/MOVE (100+ mails/s instead of ~50)
    `mail_fsync = never`,
    ...(opts.capabilities ? [`imap_capability = ${opts.capabilities}`] : []),
    `namespace inbox {`,
    `  inbox = yes`,
    `  separator = /`,
    `}`,
    `passdb {`,
    `  driver = passwd-file`,
    `  args = scheme=PLAIN username_format=%u ${path.join(dir, 'passwd')}`,
    `}`,
    `userdb {`,
    `  driver = passwd-file`,
    `  args = username_format=%u ${path.join(dir, 'passwd')}`,
    `}`,
    `service imap-login {`,
    `  inet_listener imap {`,
    `    address = 127.0.0.1`,
    `    port = ${port}`,
    `  }`,
    `  inet_listener imaps {`,
    `    port = 0`,
    `  }`,
    `}`,
    `service stats {`,
    `  unix_listener stats-reader {`,
    `    mode = 0666`,
    `  }`,
    `  unix_listener stats-writer {`,
    `    mode = 0666`,
    `  }`,
    `}`,
    '',
  ].join('\n');
  const confPath = path.join(dir, 'dovecot.conf');
  writeFileSync(confPath, conf, { mode: 0o644 });

  let child: ChildProcess | undefined;
  const up = async (): Promise<void> => {
    const c = spawn('dovecot', ['-F', '-c', confPath], { stdio: ['ignore', 'ignore', 'pipe'] });
    child = c;
    let stderr = '';
    c.stderr?.on('data', (d: Buffer) => (stderr += d.toString()));
    try {
      await waitFor(async () => {
        if (c.exitCode !== null) throw new Error(`dovecot exited (${c.exitCode}): ${stderr}`);
        return greets(port);
      }, 10_000, 50);
    } catch (err) {
      throw new Error(`dovecot did not start: ${(err as Error).message}\n${existsSync(path.join(dir, 'dovecot.log')) ? readFileSync(path.join(dir, 'dovecot.log'), 'utf8').slice(-2000) : ''}`, { cause: err });
    }
  };
  const down = async (): Promise<void> => {
    const c = child;
    child = undefined;
    if (!c || c.exitCode !== null || c.signalCode !== null) return;
    // imap processes outlive the master by seconds; a test that "stops Dovecot" means every
    // connection drops now, so the master's own children are killed first, by PID
    // frozen first, so the master cannot respawn what is killed under it
    c.kill('SIGSTOP');
    const children = c.pid === undefined ? [] : childPids(c.pid);
    for (const pid of children) {
      try {
        if (readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes('dovecot')) process.kill(pid, 'SIGKILL');
      } catch {
        // already gone
      }
    }
    await new Promise<void>((resolve) => {
      if (c.exitCode !== null || c.signalCode !== null) return resolve();
      c.once('exit', () => resolve());
      c.kill('SIGTERM');
      c.kill('SIGCONT');
    });
    // the master has exited; wait until the port no longer answers (children go with it)
    await waitFor(async () => !(await greets(port)), 5_000, 50).catch(() => undefined);
  };
  await up();
  return {
    host: '127.0.0.1',
    port,
    user,
    pass,
    dir,
    stop: down,
    restart: up,
    async dispose() {
      await down();
      rmSync(dir, { recursive: true, force: true });
    },
    ...(certFile ? { certFile } : {}),
    log: () => (existsSync(path.join(dir, 'dovecot.log')) ? readFileSync(path.join(dir, 'dovecot.log'), 'utf8') : ''),
  };
}

/** PIDs whose parent is `parent` (Linux /proc). */
function childPids(parent: number): number[] {
  const out: number[] = [];
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const stat = readFileSync(`/proc/${name}/stat`, 'utf8');
      // the command may contain spaces and parentheses: fields start after the last ')'
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      if (ppid === parent) out.push(Number(name));
    } catch {
      // exited while listing
    }
  }
  return out;
}

/** True when an IMAP greeting arrives on the port. */
function greets(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = connect({ host: '127.0.0.1', port });
    const done = (ok: boolean): void => {
      s.destroy();
      resolve(ok);
    };
    s.setTimeout(1_000, () => done(false));
    s.once('error', () => done(false));
    s.once('data', (d: Buffer) => done(d.toString().startsWith('* OK')));
  });
}

/** A connected IMAP client for tests (APPEND, folder checks) on the throw-away Dovecot. */
export async function imapClient(d: Pick<TestDovecot, 'host' | 'port' | 'user' | 'pass' | 'certFile'>): Promise<ImapFlow> {
  const tls = d.certFile ? { doSTARTTLS: true, tls: { ca: [readFileSync(d.certFile, 'utf8')] } } : { doSTARTTLS: false };
  const client = new ImapFlow({ host: d.host, port: d.port, secure: false, ...tls, auth: { user: d.user, pass: d.pass }, logger: false });
  client.on('error', () => undefined);
  await client.connect();
  return client;
}
