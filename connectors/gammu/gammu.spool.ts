import { accessSync, constants as fsConstants, statSync, type Stats } from 'node:fs';
import { access, stat } from 'node:fs/promises';

/**
 * What a Gammu spool path is, for this user: a usable folder, a file, missing, or unusable (why).
 * `aduan doctor` (before start) and the files connector (every scan, and before writing a reply) say
 * the same about it, with spoolFolderProblem: one wording, naming the key and SMSD's setting.
 */
export type SpoolKind = 'folder' | 'file' | 'other' | 'missing' | `not usable by this user (${string})`;

function kindOfError(err: unknown): SpoolKind {
  const code = (err as NodeJS.ErrnoException).code;
  return code === 'ENOENT' || code === 'ENOTDIR' ? 'missing' : `not usable by this user (${code ?? (err as Error).message})`;
}

function kindOfStats(s: Stats): SpoolKind | undefined {
  if (!s.isDirectory()) return s.isFile() ? 'file' : 'other';
  return undefined;
}

const RWX = fsConstants.R_OK | fsConstants.W_OK | fsConstants.X_OK;

export function spoolKindSync(p: string): SpoolKind {
  try {
    const k = kindOfStats(statSync(p));
    if (k !== undefined) return k;
    accessSync(p, RWX);
    return 'folder';
  } catch (err) {
    return kindOfError(err);
  }
}

export async function spoolKind(p: string): Promise<SpoolKind> {
  try {
    const k = kindOfStats(await stat(p));
    if (k !== undefined) return k;
    await access(p, RWX);
    return 'folder';
  } catch (err) {
    return kindOfError(err);
  }
}

/** SMSD's folders the files backend needs: its setting in gammu-smsdrc, and what happens while it is not there. */
export const SMSD_SPOOL_FOLDERS = {
  inboxPath: { smsd: 'InboxPath', meanwhile: 'no SMS is read until it exists' },
  outboxPath: { smsd: 'OutboxPath', meanwhile: 'replies wait in the outbound queue, unsent, until it exists; it is not created' },
} as const;
export type SmsdSpoolKey = keyof typeof SMSD_SPOOL_FOLDERS;

function what(found: SpoolKind): string {
  return found === 'missing' ? 'does not exist' : `is ${found === 'file' ? 'a file, not a folder' : found === 'other' ? 'not a folder' : found}`;
}

/** The problem with SMSD's InboxPath/OutboxPath as configured (undefined: a usable folder). */
export function spoolFolderProblem(channelId: string, key: SmsdSpoolKey, resolved: string, found: SpoolKind): string | undefined {
  if (found === 'folder') return undefined;
  const { smsd, meanwhile } = SMSD_SPOOL_FOLDERS[key];
  return `channels[${channelId}].${key} ${resolved} ${what(found)}${found === 'missing' ? ` (${meanwhile})` : ''}: set it to SMSD's ${smsd} (gammu-smsdrc, [smsd] section), a folder the gateway's user can read and write`;
}

/** The problem with errorPath (SMSD's ErrorSMSPath) as configured (undefined: a usable folder). */
export function errorPathProblem(channelId: string, resolved: string, found: SpoolKind): string | undefined {
  if (found === 'folder') return undefined;
  return `channels[${channelId}].errorPath ${resolved} ${what(found)}: replies SMSD could not send will not be noticed; set it to SMSD's ErrorSMSPath (gammu-smsdrc), or leave errorPath out`;
}
