import { z } from 'zod';
import { channelBaseSchema, listenSchema } from '../../core/config/schema.ts';

/** Telegram's own limit on files a bot may download with getFile (cloud Bot API). */
export const TELEGRAM_DOWNLOAD_MAX_BYTES = 20 * 1024 * 1024;

/** Secret header token: 1–256 characters of A-Z a-z 0-9 _ - (Bot API setWebhook). */
const secretToken = z.string().regex(/^[A-Za-z0-9_-]{1,256}$/, '1–256 characters of A-Z a-z 0-9 _ -');

/**
 * The `type: telegram` channel section. Polling is the default so an office behind NAT needs no
 * public HTTPS; webhook mode needs `webhook.publicUrl` and `webhook.secretToken`.
 */
export const telegramConfigSchema = z
  .strictObject({
    // Strict, unlike the loose base: a misspelt key (`secret_token`) fails at start instead of being ignored.
    ...channelBaseSchema.shape,
    type: z.literal('telegram'),
    /** Bot token from @BotFather (`123456:ABC…`). Put it in the environment: `${TELEGRAM_TOKEN}`. */
    token: z.string().regex(/^\d+:[A-Za-z0-9_-]{10,}$/, 'a bot token such as 123456:ABC-DEF…'),
    /** `polling` (default, no public HTTPS needed) or `webhook`. */
    mode: z.enum(['polling', 'webhook']).default('polling'),
    /**
     * Bot API server root (default https://api.telegram.org). A self-hosted Bot API server or a
     * test fake; a root with a path must end with `/` (telegraf resolves methods relative to it).
     */
    apiRoot: z.string().url().refine((u) => new URL(u).pathname === '/' || u.endsWith('/'), {
      error: (issue) => `a root with a path must end with "/" (${String(issue.input)}/): without it telegraf drops the path from every request`,
    }).optional(),
    polling: z
      .object({
        /** Long-poll seconds of getUpdates (default 25). */
        timeoutSeconds: z.number().int().min(0).max(50).default(25),
        /** Updates per getUpdates (1–100, default 100). */
        limit: z.number().int().min(1).max(100).default(100),
      })
      .strict()
      .prefault({}),
    /**
     * Seconds one file of a message (getFile and its download, with their retries) may take; past it the
     * round counts as failed, like a 5xx: the update is taken again and after 5 such rounds the file is
     * withheld and the citizen told. Default: 30 s plus 1 s per 128 KiB of the file's size as Telegram gives it
     * (32 s for a 200 KB photo), or of the file size limit when it gives none (190 s at 20 MB).
     */
    downloadTimeoutSeconds: z.number().int().min(1).max(3_600).optional(),
    /**
     * Seconds the update loop waits for Telegram to answer the direct send of a command's answer (/start,
     * /bantuan, /status) or of a withheld-file note (default 5). Past it the round goes on and the answer goes
     * through the outbound queue about 30 s later, unless Telegram still answers that send meanwhile.
     */
    answerTimeoutSeconds: z.number().int().min(1).max(60).default(5),
    /** Milliseconds of quiet after the last photo of an album before it is merged (default 1500). */
    albumWaitMs: z.number().int().min(0).max(30_000).default(1_500),
    webhook: z
      .object({
        listen: listenSchema(8443, { allowZero: true }),
        /** Path Telegram posts to (default /telegram/webhook). */
        path: z.string().startsWith('/').default('/telegram/webhook'),
        /** Public HTTPS URL registered with setWebhook (reverse proxy in front of listen). */
        publicUrl: z.string().url().optional(),
        /** Shared secret Telegram sends in X-Telegram-Bot-Api-Secret-Token. */
        secretToken: secretToken.optional(),
        /** Parallel connections Telegram may open (1–100, default 40). */
        maxConnections: z.number().int().min(1).max(100).default(40),
      })
      .strict()
      .prefault({}),
  })
  .superRefine((c, ctx) => {
    if (c.mode === 'webhook') {
      if (!c.webhook.secretToken) ctx.addIssue({ code: 'custom', path: ['webhook', 'secretToken'], message: 'webhook mode needs a secretToken' });
      if (!c.webhook.publicUrl) ctx.addIssue({ code: 'custom', path: ['webhook', 'publicUrl'], message: 'webhook mode needs the public URL Telegram posts to' });
    }
  });

export type TelegramConfig = z.infer<typeof telegramConfigSchema>;
