// `aduan doctor`: what the repeat settings do, and the paths and backups it uses, in one line each.
import { errorPathProblem, spoolFolderProblem, spoolKindSync } from '../connectors/gammu/gammu.spool.ts';
import path from 'node:path';
import type { AduanConfig } from '../core/config/schema.ts';
import { configSchema } from '../core/config/schema.ts';
import { pathKeysOf } from '../core/config/paths.ts';
import { CHANNEL_SCHEMAS } from '../connectors/registry.ts';
import { YOGYAKARTA_PLACES } from '../core/understanding/places-yogyakarta.ts';
import { listBackups } from '../core/backup.ts';

/** How reports of one problem reach the division and are answered (dedupe.shareResults, digestMinutes, joinSimilarity, problemSimilarity). */
export function repeatsLine(config: Pick<AduanConfig, 'dedupe'>): string {
  const d = config.dedupe;
  // the same problem in other words (dedupe.problemSimilarity): linked, but always forwarded on its own
  const byProblem = d.problemSimilarity > 0
    ? `; the same problem in other words (a shared named place, problem words ${d.problemSimilarity} alike) is linked too, forwarded and answered on its own`
      + ` (places read without a place word: ${YOGYAKARTA_PLACES.length} names of Kota Yogyakarta${d.placeNames.length > 0 ? ` + ${d.placeNames.length} from dedupe.placeNames` : ''})`
    : '; texts only (dedupe.problemSimilarity 0)';
  if (!d.shareResults) return `repeats: every report forwarded and answered on its own (dedupe.shareResults false; dedupe.digestMinutes does not apply)${byProblem}`;
  return (d.digestMinutes > 0
    ? `repeats: one answer per problem; a later report at least ${d.joinSimilarity} similar joins the open report and reaches the division in a digest at most every ${d.digestMinutes} min`
    : 'repeats: one answer per problem; every report forwarded in its own mail (dedupe.digestMinutes 0)') + byProblem;
}

/**
 * Every file and folder the config names, as the processes will open them. A relative path written in
 * a config file was made absolute at load (read from the file's folder); one still relative is a
 * default, or the demo's, read from the working directory `cwd`.
 */
export function pathsLine(config: Readonly<AduanConfig>, cwd = process.cwd()): string {
  const keys: (string | number)[][] = pathKeysOf(configSchema);
  config.channels.forEach((c, i) => {
    const schema = CHANNEL_SCHEMAS[c.type];
    if (c.enabled && schema) for (const k of pathKeysOf(schema)) keys.push(['channels', i, ...k]);
  });
  const shown: string[] = [];
  let fromCwd = false;
  for (const at of keys) {
    const value = at.reduce<unknown>((o, k) => (o as Record<string | number, unknown> | undefined)?.[k], config);
    if (typeof value !== 'string') continue;
    const key = at.reduce<string>((acc, k) => (typeof k === 'number' ? `${acc}[${k}]` : acc ? `${acc}.${k}` : k), '');
    const named = at[0] === 'channels' ? key.replace(/^channels\[\d+\]/, `channels[${config.channels[at[1] as number]!.id}]`) : key;
    if (value === ':memory:' || value.startsWith('file:') || path.isAbsolute(value)) {
      shown.push(`${named} ${value}`);
    } else {
      fromCwd = true;
      shown.push(`${named} ${path.resolve(cwd, value)} (${value}*)`);
    }
  }
  return `paths: ${shown.join(', ')}${fromCwd ? `; * a default (or the demo's): read from the working directory ${cwd}` : ''}`;
}

/**
 * The daily backup (backup.dir): when the newest one was made. No backup.dir, or none for more than two
 * days (the scheduler not running, a full disk, a share not mounted), is a warning, not a failure.
 */
export function backupLine(config: Pick<AduanConfig, 'backup' | 'instance'>, now = new Date()): { ok: boolean; text: string } {
  const dir = config.backup.dir;
  if (dir === undefined) return { ok: false, text: 'backup: no daily backup (backup.dir unset) — a lost or broken disk loses every case. Set backup.dir to a folder on another disk, or run `aduan backup --to <dir>` from cron' };
  const where = `backup ${path.resolve(dir)} (daily at ${config.backup.time} ${config.instance.timezone}, keeping ${config.backup.keep})`;
  let newest;
  try {
    newest = listBackups(dir).at(-1);
  } catch (err) {
    // (doctor run as another user than the gateway's, a share not mounted): said, and the checks go on
    return { ok: false, text: `${where}: cannot read it (${(err as Error).message})` };
  }
  if (!newest) return { ok: false, text: `${where}: none yet — the scheduler makes the first at ${config.backup.time}; \`aduan backup\` makes one now` };
  const hours = (now.getTime() - newest.at.getTime()) / 3_600_000;
  const text = `${where}: newest ${path.basename(newest.file)}, ${hours < 48 ? `${Math.max(0, Math.round(hours))} h ago` : `${Math.floor(hours / 24)} days ago`}`;
  return hours < 48 ? { ok: true, text } : { ok: false, text: `${text} — is the scheduler running (pm2 logs), the disk full or the folder not mounted? The scheduler's log says why a backup failed` };
}

/**
 * A Gammu channel's spool (files backend) or SMSD database (sql backend), as the connector will open it.
 * The connector says the same when it finds them so while running (once, at error level); doctor says
 * so before it starts.
 * `failures` stop the channel working (doctor exits 1); `warnings` lose only the undelivered-reply notices.
 */
export function gammuSpoolProblems(channel: { id: string; type: string; enabled: boolean } & Record<string, unknown>): { failures: string[]; warnings: string[] } {
  const failures: string[] = [];
  const warnings: string[] = [];
  if (channel.type !== 'gammu' || !channel.enabled) return { failures, warnings };
  const key = (k: string): string => `channels[${channel.id}].${k}`;
  if (channel.backend === 'sql') {
    const file = path.resolve(String(channel.databasePath));
    const k = spoolKindSync(file);
    if (k === 'missing') failures.push(`${key('databasePath')} ${file} does not exist: set it to the SQLite file of gammu-smsd (Database in the [smsd] section of gammu-smsdrc), after SMSD has created its tables`);
    else if (k === 'folder') failures.push(`${key('databasePath')} ${file} is a folder: name SMSD's SQLite database file in it`);
    return { failures, warnings };
  }
  // (the same words as the connector logs when it finds them so while running)
  for (const k of ['inboxPath', 'outboxPath'] as const) {
    const p = path.resolve(String(channel[k]));
    const problem = spoolFolderProblem(channel.id, k, p, spoolKindSync(p));
    if (problem !== undefined) failures.push(problem);
  }
  if (typeof channel.errorPath === 'string') {
    const p = path.resolve(channel.errorPath);
    const problem = errorPathProblem(channel.id, p, spoolKindSync(p));
    if (problem !== undefined) warnings.push(problem);
  }
  return { failures, warnings };
}

/** Config keys that hold a secret (a password, a token, a signing key): `pass`, `token`, `authToken`, `hmacSecret`, `signingKey` … */
const SECRET_KEY = /^(pass|password|passwd|token|secret)$|(Token|Secret|Key|Password|Pass)$/;

/**
 * Whether a secret's value is a stand-in nobody would use for real: `changeme`, `CHANGE_ME`, `<bot token>`,
 * `xxx`, `your-password`, `secret`, one character repeated, the token of Telegram's own docs — or a
 * value the shipped example config (`shipped`) writes for such a key.
 */
export function isPlaceholderSecret(value: string, shipped: ReadonlySet<string> = new Set()): boolean {
  const v = value.trim();
  if (v === '') return false;
  if (shipped.has(v)) return true;
  const words = v.toLowerCase().replace(/[^a-z0-9]/g, '');
  if (/^<.*>$|^\[.*\]$|^\{.*\}$|^\.\.\.$|^(.)\1*$/s.test(v)) return true;
  if (/change(me|it|this)|replace(me|this)|placeholder|xxxx|^your|^my(password|secret|token|key)|^(insert|put|enter|set)(your|the|a)/.test(words)) return true;
  if (/^(secret|password|passw0rd|pass|token|key|apikey|example|sample|dummy|test|testing|todo|tbd|fixme|default|admin|foo|bar|foobar|none|null|undefined|empty|abc|abc123|123|1234|12345|123456|12345678|123456789|qwerty|letmein)$/.test(words)) return true;
  // (Telegram's Bot API documentation's example token)
  return v === '123456:ABC-DEF1234ghIkl-zyx57W2v1u123ew11';
}

/** The literal values (not `${VAR}`) the shipped example config writes for a secret key, commented lines too. */
export function shippedSecretValues(exampleYaml: string): Set<string> {
  const found = new Set<string>();
  for (const line of exampleYaml.split('\n')) {
    const m = /^\s*#?\s*(?:-\s+)?([A-Za-z]+):\s*(?:"([^"]*)"|'([^']*)'|([^\s#][^#]*?))\s*(?:#.*)?$/.exec(line);
    if (!m || !SECRET_KEY.test(m[1] as string)) continue;
    const value = (m[2] ?? m[3] ?? m[4] ?? '').trim();
    if (value !== '' && !value.includes('${')) found.add(value);
  }
  return found;
}

/**
 * `aduan doctor`'s warnings for secrets left at a placeholder: the key of each (the value is never shown).
 * Walks the whole loaded config: the mail and IMAP passwords, the admin and officers' tokens, every
 * channel's tokens and keys, and a password inside a URL (redis.url).
 */
export function placeholderSecrets(config: unknown, shipped: ReadonlySet<string> = new Set()): string[] {
  const out: string[] = [];
  const walk = (node: unknown, at: string): void => {
    if (Array.isArray(node)) {
      node.forEach((item, i) => {
        const id = item !== null && typeof item === 'object' && typeof (item as { id?: unknown }).id === 'string' ? (item as { id: string }).id : String(i);
        walk(item, `${at}[${id}]`);
      });
      return;
    }
    if (node === null || typeof node !== 'object') return;
    for (const [k, v] of Object.entries(node)) {
      const key = at === '' ? k : `${at}.${k}`;
      if (typeof v === 'string') {
        if (SECRET_KEY.test(k) && isPlaceholderSecret(v, shipped)) out.push(`${key} is a placeholder, not a real secret: set it to the real one (as \${VAR} from the environment, or VAR_FILE)`);
        else if (/^[a-z][a-z0-9+.-]*:\/\/[^/\s]*:[^/\s@]*@/i.test(v)) {
          try {
            const pw = decodeURIComponent(new URL(v).password);
            if (pw !== '' && isPlaceholderSecret(pw, shipped)) out.push(`${key}: the password in it is a placeholder, not a real secret: set the real one`);
          } catch {
            // no URL after all
          }
        }
      } else {
        walk(v, key);
      }
    }
  };
  walk(config, '');
  return out;
}
