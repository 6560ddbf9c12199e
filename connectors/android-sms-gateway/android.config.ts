// The channel's YAML section, kept apart from the connector so loading the config stays light.
import { z } from 'zod';
import { channelBaseSchema, requiredListenSchema } from '../../core/config/schema.ts';
// (from core, not ../sms/sms.common.ts: the config schema would load libphonenumber-js, ≈ 150 ms of every `aduan` command)
import { DEFAULT_REPEAT_WINDOW_SECONDS } from '../../core/message.ts';
export const androidSmsGatewayConfigSchema = channelBaseSchema.extend({
  type: z.literal('android-sms-gateway'),
  /** Where the webhook listens (host default 127.0.0.1: put a TLS proxy in front). */
  listen: requiredListenSchema,
  /** Webhook path registered in the app. Default /sms/android. */
  path: z.string().startsWith('/').default('/sms/android'),
  /** The app's webhook signing key (Settings → Webhooks); blanks around it are a copy-paste slip, not part of it. */
  signingKey: z.string().trim().min(8, 'the app\'s webhook signing key, at least 8 characters (not blank)'),
  /**
   * Base URL of the app's API: `http://<device>:8080` (local) or `https://api.sms-gate.app/3rdparty/v1`.
   * Without `user:password@`: fetch refuses such a URL, naming it whole in its error — the password
   * went into the log and the reply's failure record on every SMS reply.
   */
  apiUrl: z.string().url().refine((u) => { const url = new URL(u); return url.username === '' && url.password === ''; },
    'the address without user:password@ (the login goes in username and password)'),
  username: z.string().min(1),
  password: z.string().min(1),
  /** Largest accepted |now − X-Timestamp| in seconds. Default 300. */
  maxSkewSeconds: z.number().int().min(1).default(300),
  /** Same text from the same number within this many seconds is one message. Default 120. */
  repeatWindowSeconds: z.number().min(0).default(DEFAULT_REPEAT_WINDOW_SECONDS),
});

export type AndroidSmsGatewayConfig = z.infer<typeof androidSmsGatewayConfigSchema>;
