import { z } from 'zod';
import { fsPath } from '../../core/config/paths.ts';
import { quietAlertHours } from '../../core/config/schema.ts';

/**
 * The `type: email` channel section (issue 3). Key names are a contract: rename nothing without a
 * migration note. The connector validates its own section with this schema at start.
 */
export const emailChannelSchema = z
  .object({
    /** Unique id of this channel instance, e.g. email-aduan. */
    id: z.string().regex(/^[a-z0-9][a-z0-9-]*$/, 'lowercase letters, digits and dashes'),
    type: z.literal('email'),
    enabled: z.boolean().default(true),
    quietAlertHours: quietAlertHours(),
    imap: z
      .object({
        host: z.string().min(1),
        /** Default 993 with `secure`, else 143. */
        port: z.number().int().min(1).max(65535).optional(),
        /** TLS on connect (port 993). Default false. */
        secure: z.boolean().default(false),
        /** Upgrade with STARTTLS and refuse cleartext (default true; false is meant for loopback only). */
        starttls: z.boolean().default(true),
        auth: z.object({ user: z.string().min(1), pass: z.string() }).strict(),
        /** Certificate checks for TLS/STARTTLS. */
        tls: z
          .object({
            /** PEM file of the CA (or the self-signed certificate) the server's certificate must chain to; added to the system CAs. */
            caFile: fsPath(z.string().min(1)).optional(),
            /** Check the certificate at all (default true). false accepts any certificate: only for a test server. */
            rejectUnauthorized: z.boolean().default(true),
            /** Name the certificate must carry when it differs from imap.host (e.g. connecting by IP). */
            servername: z.string().min(1).optional(),
          })
          .strict()
          .prefault({}),
      })
      .strict(),
    /** The mailbox citizens write to. Default INBOX. */
    mailbox: z.string().min(1).default('INBOX'),
    /** Where taken mail is moved once it is in the queue. Default Aduan/Processed. */
    processedMailbox: z.string().min(1).default('Aduan/Processed'),
    /** Where mail that cannot be parsed is moved (and quarantined). Default Aduan/Failed. */
    failedMailbox: z.string().min(1).default('Aduan/Failed'),
    /** The gateway's own address: loop detection (mail from it is never answered). */
    address: z.string().trim().email(),
    poll: z
      .object({
        /** Fallback poll interval in seconds when IDLE is unavailable or silent. Default 60. */
        seconds: z.number().positive().default(60),
      })
      .strict()
      .prefault({}),
    reconnect: z
      .object({
        /** First wait after a dropped connection or refused enqueue, in ms (doubles up to maxMs; the shortest again once a connection worked). Default 1000. */
        minMs: z.number().int().min(10).default(1_000),
        /** Longest wait between reconnect attempts, in ms. Default 30000. */
        maxMs: z.number().int().min(10).default(30_000),
      })
      .strict()
      .prefault({}),
    /** Days a hard-bounced address of one of our own mails is not mailed again. Default 30. */
    bounceBlockDays: z.number().int().min(0).default(30),
  })
  .strict();

export type EmailChannelConfig = z.infer<typeof emailChannelSchema>;
