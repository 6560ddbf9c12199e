import path from 'node:path';
import { z } from 'zod';
import { channelBaseSchema } from '../../core/config/schema.ts';
import { fsPath } from '../../core/config/paths.ts';
// (from core, not ../sms/sms.common.ts: the config schema would load libphonenumber-js, ≈ 150 ms of every `aduan` command)
import { DEFAULT_REPEAT_WINDOW_SECONDS } from '../../core/message.ts';

/** YAML section of a `type: gammu` channel (issue 4 names: backend, inboxPath, processedPath, outboxPath, databasePath). */
export const gammuConfigSchema = channelBaseSchema
  .extend({
    type: z.literal('gammu'),
    /** `files`: SMSD's files backend spool folders; `sql`: SMSD's SQLite database. Default files. */
    backend: z.enum(['files', 'sql']).default('files'),
    /** files: SMSD InboxPath (read). */
    inboxPath: fsPath(z.string().min(1)).optional(),
    /** files: where taken inbox files are moved once queued. */
    processedPath: fsPath(z.string().min(1)).optional(),
    /** files: SMSD OutboxPath (replies are written here). */
    outboxPath: fsPath(z.string().min(1)).optional(),
    /** files: where unusable inbox files go (default `<processedPath>/quarantine`). */
    quarantinePath: fsPath(z.string().min(1)).optional(),
    /**
     * files: SMSD ErrorSMSPath, where SMSD moves a reply it could not send (no credit, no signal, invalid
     * number). Watched: such a reply is marked not delivered. Must be its own folder: SMSD's default
     * (SentSMSPath) mixes failed with sent replies. Unset: failures are not noticed.
     */
    errorPath: fsPath(z.string().min(1)).optional(),
    /** sql: Gammu's SQLite database file (schema 17 or 18). */
    databasePath: fsPath(z.string().min(1)).optional(),
    /** sql: SenderID for outbox rows (PhoneID of the modem) in multi-modem setups. */
    phoneId: z.string().max(255).optional(),
    /** Periodic scan/poll interval in ms (fs events trigger extra scans). Default 5000. */
    scanIntervalMs: z.number().int().min(50).default(5_000),
    /** files: a file is read only once unchanged for this long (SMSD writes non-atomically). Default 1000. */
    settleMs: z.number().int().min(0).default(1_000),
    /** Seconds to wait for missing parts of a multipart SMS before taking what arrived. Default 120. */
    multipartWaitSeconds: z.number().min(0).default(120),
    /** Seconds between part 0's and a later part's SMSC timestamps still counted as one message. Default 600. */
    multipartWindowSeconds: z.number().min(0).default(600),
    /** Same text from the same number within this many seconds is one message. Default 120. */
    repeatWindowSeconds: z.number().min(0).default(DEFAULT_REPEAT_WINDOW_SECONDS),
  })
  .superRefine((c, ctx) => {
    if (c.backend === 'files') {
      for (const k of ['inboxPath', 'processedPath', 'outboxPath'] as const) {
        if (c[k] === undefined) ctx.addIssue({ code: 'custom', path: [k], message: `${k} is required with backend: files` });
      }
      if (c.errorPath !== undefined) {
        const clash = (['inboxPath', 'processedPath', 'outboxPath', 'quarantinePath'] as const).find((k) => c[k] !== undefined && path.resolve(c[k]) === path.resolve(c.errorPath as string));
        if (clash !== undefined) ctx.addIssue({ code: 'custom', path: ['errorPath'], message: `errorPath must be SMSD's ErrorSMSPath, a folder of its own, not the same as ${clash}` });
      }
    } else if (c.databasePath === undefined) {
      ctx.addIssue({ code: 'custom', path: ['databasePath'], message: 'databasePath is required with backend: sql' });
    }
  });

export type GammuConfig = z.infer<typeof gammuConfigSchema>;
