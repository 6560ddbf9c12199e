// The channel's YAML section, kept apart from the connector so loading the config stays light.
import { z } from 'zod';
import { channelBaseSchema, requiredListenSchema } from '../../core/config/schema.ts';
// (from core, not ../sms/sms.common.ts: the config schema would load libphonenumber-js, ≈ 150 ms of every `aduan` command)
import { DEFAULT_REPEAT_WINDOW_SECONDS } from '../../core/message.ts';
export const twilioConfigSchema = channelBaseSchema.extend({
  type: z.literal('twilio'),
  listen: requiredListenSchema,
  /** Local webhook path. Default /sms/twilio. */
  path: z.string().startsWith('/').default('/sms/twilio'),
  /** The webhook URL exactly as configured in Twilio (what it signs; behind a proxy the local URL differs). */
  publicUrl: z.string().url(),
  accountSid: z.string().regex(/^AC[0-9a-fA-F]{32}$/, 'AC followed by 32 hex digits'),
  /** The account's Auth Token (32 hexadecimal characters in the Twilio console); blanks around it are a copy-paste slip. */
  authToken: z.string().trim().min(16, 'the Twilio Auth Token (32 hexadecimal characters in the console), not blank'),
  /** Previous auth token, still accepted for signatures during a token rotation. */
  previousAuthToken: z.string().trim().min(16, 'the previous Twilio Auth Token (32 hexadecimal characters), not blank').optional(),
  /**
   * Sender of replies: an SMS number (+62…) or a WhatsApp sender (whatsapp:+62…). An SMS to another number of
   * the account whose webhook points here is answered from that number (the one the citizen wrote to).
   */
  from: z.string().regex(/^(whatsapp:)?\+[1-9]\d{5,15}$/, 'E.164 number, optionally prefixed whatsapp:'),
  /**
   * SMS sender (+62…, a number of the same Twilio account) for a WhatsApp reply Twilio reports failed
   * or undelivered (63016: more than 24 hours after the citizen last wrote; a number without WhatsApp):
   * it is sent again, whole, by SMS. Unset: no SMS fallback.
   */
  smsFallbackFrom: z.string().regex(/^\+[1-9]\d{5,15}$/, 'E.164 number (+62…), without whatsapp:').optional(),
  whatsapp: z.object({
    /**
     * Content SID (HX…) of an approved WhatsApp template (Twilio Content API), sent when a WhatsApp reply
     * fails outside the 24-hour window (63016): {{1}} = the case number, {{2}} = the start of the message.
     * The full message follows as soon as the citizen writes again. Unset: no template.
     */
    resultTemplateSid: z.string().regex(/^HX[0-9a-fA-F]{32}$/, 'a Content SID: HX followed by 32 hex digits').optional(),
  }).strict().default({}),
  /** Other origin for the REST API (tests, proxies). Default Twilio's own. */
  apiBaseUrl: z.string().url().optional(),
  /** How often spooled requests are retried while Redis is away (ms). Default 2000. */
  spoolRetryMs: z.number().int().min(50).default(2_000),
  /** Media download timeout per item (ms). Default 10000. */
  mediaTimeoutMs: z.number().int().min(100).default(10_000),
  /** Same text from the same number within this many seconds is one message. Default 120. */
  repeatWindowSeconds: z.number().min(0).default(DEFAULT_REPEAT_WINDOW_SECONDS),
});

export type TwilioConfig = z.infer<typeof twilioConfigSchema>;
