import { z } from 'zod';
import { channelBaseSchema, listenSchema, publicUrlSchema } from '../../core/config/schema.ts';

/** `type: web` — the public complaint form and the JSON intake API. */
export const webConfigSchema = channelBaseSchema.extend({
  type: z.literal('web'),
  /** Interface and port to bind. Default 127.0.0.1:8080 (put nginx in front); host 0.0.0.0 to expose directly. */
  listen: listenSchema(8080),
  /**
   * When set, POST /v1/messages requires `X-Signature: t=<unix seconds>,sha256=<hex HMAC-SHA256 of "<t>.<raw body>">`.
   * The public form is unaffected.
   */
  hmacSecret: z.string().min(16, 'use at least 16 characters').optional(),
  /** How far (seconds) a signature's `t` may be from this server's clock, either way. Default 300. */
  signatureToleranceSeconds: z.number().int().min(30).max(3600).default(300),
  /**
   * Also accept the old `X-Signature: sha256=<hex HMAC of the raw body>` (no timestamp: a captured request
   * can be replayed for ever). Default false; only while a website is moved to the timestamped form.
   */
  allowUntimestampedSignature: z.boolean().default(false),
  /**
   * POST /v1/messages requests with photos (a body over 128 KiB, or of unknown length) read at once. Such a
   * body is held whole in memory (the signature covers the raw body): with three 10 MB photos some 41 MB,
   * about 200 MB of the process while it is parsed. One more is answered 503 WEB.BUSY with Retry-After
   * (the website retries), its body not kept. Default 2. (The public form's photos stream to disk: not counted.)
   */
  largeBodiesInFlight: z.number().int().min(1).max(32).default(2),
  rateLimit: z
    .object({
      /** Submissions per client IP per minute; 0 turns the limit off. Default 30. */
      perMinute: z.number().int().min(0).default(30),
      /**
       * Requests with a valid X-Signature (the website's server, sending all its visitors' reports from
       * one address) per client IP per minute; 0 turns it off. Default 600. Unsigned or wrongly signed
       * requests count against perMinute.
       */
      signedPerMinute: z.number().int().min(0).default(600),
    })
    .strict()
    .prefault({}),
  /**
   * The address citizens reach this channel at (`https://aduan.dprd.jogjakota.go.id`): with it the
   * acknowledgements (e-mail, Telegram) and the form's receipt page carry the case's status link,
   * `<publicUrl>/status/<number>/<token>`. Without it no link is printed anywhere.
   */
  publicUrl: publicUrlSchema().optional(),
  /**
   * Websites that may show the form inside a frame (`https://dprd.jogjakota.go.id`): the pages'
   * Content-Security-Policy frame-ancestors. Default none besides the channel's own address, so another
   * site cannot lay the form or the status page under its own buttons (clickjacking).
   */
  embedFrom: z.array(z.string().regex(/^https?:\/\/[a-z0-9.-]+(:\d{1,5})?$/i, 'an origin such as https://dprd.jogjakota.go.id (scheme and host, no path)')).default([]),
  /** Trust X-Forwarded-For from this many proxies (behind nginx: 1). Default 0. */
  trustProxy: z.number().int().min(0).max(5).default(0),
}).strict();

export type WebConfig = z.infer<typeof webConfigSchema>;
