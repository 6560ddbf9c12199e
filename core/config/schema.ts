import { z } from 'zod';
import { DEFAULT_TEMPLATES, statusUrlLineProblem, TEMPLATE_VARS, unknownPlaceholders, type TemplateName } from '../templates.ts';
import { fsPath } from './paths.ts';

/**
 * The YAML configuration contract (DESIGN §7). Key names are a contract used by checks, docs and
 * later issues: rename nothing without a migration note. Defaults are the embedded demo defaults.
 */

/** An e-mail address; `@localhost` is allowed for the demo and tests. */
const address = z.string().trim().regex(/^[^\s@<>]+@[^\s@<>]+$/, 'an e-mail address such as komisi-c@dprd.jogjakota.go.id');

/**
 * A mailbox: an address, optionally with a display name (`Aduan DPRD <aduan@dprd.jogjakota.go.id>`).
 * Without an address, every mail is refused by the server and staff reply-to addresses come out as
 * `Aduan DPRD+ADU-2026-000001.…@undefined`.
 */
const mailbox = (example: string) => z.string().trim().regex(/^(?:[^<>@]*<[^\s@<>]+@[^\s@<>]+>|[^\s@<>]+@[^\s@<>]+)$/, `an address, optionally with a name: ${example}`);

/** A timezone this Node.js knows (a typo would make every case number and SLA date throw later). */
function isTimeZone(tz: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone: tz });
    return true;
  } catch {
    return false;
  }
}

/** A YYYY-MM-DD that names a real day (not 2026-02-30 or 2026-13-01, which the working-day calendar would never meet). */
function isCalendarDate(text: string): boolean {
  const [y, m, d] = text.split('-').map(Number) as [number, number, number];
  const date = new Date(Date.UTC(y, m - 1, d));
  return date.getUTCFullYear() === y && date.getUTCMonth() === m - 1 && date.getUTCDate() === d;
}

/** redis:// or rediss:// with a host ("redis-master:6380" parses as a URL with the scheme "redis-master:"). */
function isRedisUrl(url: string): boolean {
  try {
    const u = new URL(url);
    return (u.protocol === 'redis:' || u.protocol === 'rediss:') && u.hostname !== '';
  } catch {
    return false;
  }
}

/** The public address citizens reach the web channel at: status links are made by adding /status/<number>/<token>. */
export function publicUrlSchema() {
  return z.string().superRefine((v, ctx) => {
    let url: URL;
    try {
      url = new URL(v);
    } catch {
      ctx.addIssue({ code: 'custom', message: 'an absolute URL such as https://aduan.dprd.jogjakota.go.id' });
      return;
    }
    if (url.protocol !== 'https:' && url.protocol !== 'http:') ctx.addIssue({ code: 'custom', message: `an http(s) URL such as https://aduan.dprd.jogjakota.go.id, not ${url.protocol}` });
    else if (url.search !== '' || url.hash !== '' || v.includes('?') || v.includes('#')) ctx.addIssue({ code: 'custom', message: 'the address without ?query or #fragment: links are made by adding /status/<number>/<token> to it' });
    else if (url.username !== '' || url.password !== '') ctx.addIssue({ code: 'custom', message: 'the address without user:password@: it is printed in mails to citizens' });
  });
}

export const instanceSchema = z
  .object({
    /** Display name used in mails and messages to citizens. */
    name: z.string().min(1).default('Sekretariat DPRD Kota Yogyakarta'),
    /** Case number prefix: `<prefix>-<year>-<000123>`. Default ADU. */
    casePrefix: z.string().regex(/^[A-Z]{2,8}$/, 'two to eight capital letters').default('ADU'),
    /** IANA timezone for case numbers, SLA calendars and texts. Default Asia/Jakarta. */
    timezone: z.string().min(1).refine(isTimeZone, 'an IANA timezone such as Asia/Jakarta (WIB), Asia/Makassar (WITA) or Asia/Jayapura (WIT)').default('Asia/Jakarta'),
    /** Default region for phone numbers without a country code. Default ID. */
    phoneRegion: z.string().regex(/^[A-Z]{2}$/, 'a two-letter country code such as ID').default('ID'),
    /** Public base URL of the web channel, used in links sent to citizens when no web channel sets its own `publicUrl`. */
    publicUrl: publicUrlSchema().optional(),
  })
  .strict()
  .prefault({});

export const redisSchema = z
  .object({
    /** redis://host:port/db. Unset: `aduan start` runs a local redis-server (data under ./data/redis). */
    url: z.string().url().refine(isRedisUrl, 'write it as redis://host:port/db (or rediss:// for TLS), e.g. redis://127.0.0.1:6379/0').optional(),
    /** Prefix of every BullMQ key, so several gateways can share one Redis. Default aduan. */
    prefix: z.string().regex(/^[a-zA-Z0-9_-]+$/).default('aduan'),
    /** Redis Sentinel: when set, `url` only supplies password/db and these nodes are asked for the master. */
    sentinels: z.array(z.object({ host: z.string().min(1), port: z.number().int().min(1).max(65535) }).strict()).optional(),
    /** Sentinel master name. */
    sentinelName: z.string().optional(),
    /**
     * How long an operator's command (`aduan status`, `aduan doctor`) waits for Redis to connect and answer, in ms.
     * Unset: 1000 for a Redis on this machine (redis://127.0.0.1, localhost), 5000 for one elsewhere, over TLS
     * (rediss://) or behind Sentinel — which need several round trips before the first answer.
     */
    cliTimeoutMs: z.number().int().min(100).max(60_000).optional(),
  })
  .strict()
  .prefault({});

export const databaseSchema = z
  .object({
    /** SQLite file. Default ./data/aduan.db. */
    path: fsPath(z.string().min(1)).default('./data/aduan.db'),
    /**
     * SQLite page cache of the intake worker, in MB (filled only as pages are read): exact-hash seeks
     * and the few case rows a repeat lookup verifies. The bucket index itself is held in memory
     * (dedupe.memoryIndexMb). SQLite empties the cache whenever another process has written the file,
     * and emptying a large cache costs time of its own, so more is not better. Other processes use 64 MB.
     */
    intakeCacheMb: z.number().int().min(2).max(4096).default(64),
  })
  .strict()
  .prefault({});

export const storageSchema = z
  .object({
    /** Folder for attachments and raw originals (content-addressed). Default ./data/storage. */
    dir: fsPath(z.string().min(1)).default('./data/storage'),
    /** Largest attachment kept, in bytes (default 10 MB); bigger ones are recorded as withheld. */
    maxAttachmentBytes: z.number().int().positive().max(20 * 1024 * 1024).default(10 * 1024 * 1024),
    /** Content types accepted for attachments (prefix match: `image/` accepts every image). */
    allowedTypes: z
      .array(z.string())
      .default(['image/', 'application/pdf', 'audio/', 'video/', 'text/plain', 'application/msword',
        'application/vnd.openxmlformats-officedocument.']),
  })
  .strict()
  .prefault({});

export const mailSchema = z
  .object({
    /** `smtp` sends through mail.smtp; `file` writes each mail as .eml into mail.file.dir (demo default). */
    transport: z.enum(['smtp', 'file']).default('file'),
    /** From address of every mail Aduan sends. */
    from: mailbox('Aduan DPRD Kota Yogyakarta <aduan@dprd.jogjakota.go.id>').default('Aduan DPRD Kota Yogyakarta <aduan@localhost>'),
    /** Address staff replies go to (Reply-To of forwarded cases); usually the e-mail channel's inbox. */
    replyTo: mailbox('aduan@dprd.jogjakota.go.id').optional(),
    /** Domain of our deterministic Message-IDs; default: the domain of `from`. */
    messageIdDomain: z.string().trim().regex(/^[A-Za-z0-9.-]+$/, 'a domain name such as dprd.jogjakota.go.id (no @, no spaces)').optional(),
    smtp: z
      .object({
        host: z.string().min(1).default('127.0.0.1'),
        port: z.number().int().min(1).max(65535).default(587),
        /** TLS on connect (port 465). false: STARTTLS. */
        secure: z.boolean().default(false),
        /**
         * Without `secure`: refuse to send (and above all to log in) unless the server upgrades with
         * STARTTLS. Default true, except to a loopback host (127.0.0.1, localhost, ::1: the local MTA).
         */
        starttls: z.boolean().optional(),
        auth: z.object({ user: z.string(), pass: z.string() }).strict().optional(),
        /** Certificate checks for TLS/STARTTLS. */
        tls: z
          .object({
            /** PEM file of the CA (or the self-signed certificate) the server's certificate must chain to; added to the system CAs. */
            caFile: fsPath(z.string().min(1)).optional(),
            /** Check the certificate. Default true, except to a loopback host (a local MTA's self-signed certificate). */
            rejectUnauthorized: z.boolean().optional(),
            /** Name the certificate must carry when it differs from smtp.host (e.g. connecting by IP). */
            servername: z.string().min(1).optional(),
          })
          .strict()
          .prefault({}),
      })
      .strict()
      .prefault({}),
    file: z
      .object({ dir: fsPath(z.string().min(1)).default('./data/mail') })
      .strict()
      .prefault({}),
    /** Automatic mails (acknowledgements, results) to one citizen address per hour; more wait for the next hour (loop guard). Default 10. */
    capPerRecipientPerHour: z.number().int().min(1).default(10),
    retry: z
      .object({
        /** Send attempts before the mail goes to the dead-letter list (default 15: about 8 hours; the wait doubles from backoffMs, at most an hour). */
        attempts: z.number().int().min(1).default(15),
        /** First backoff in ms; doubles each attempt, at most an hour (default 30 s). */
        backoffMs: z.number().int().min(10).default(30_000),
      })
      .strict()
      .prefault({}),
  })
  .strict()
  .prefault({});

export const divisionSchema = z
  .object({
    /** Short id used in routing and commands, e.g. komisi-c. */
    id: z.string().regex(/^[a-z0-9-]+$/, 'lowercase letters, digits and dashes'),
    name: z.string().min(1),
    /** The division's inbox: one address or a list. Forwarded cases go to all of them. */
    inbox: z.union([address, z.array(address).min(1)], { error: 'an e-mail address such as komisi-c@dprd.jogjakota.go.id, or a list of them' }),
    /** Further staff addresses allowed to act on the division's cases by e-mail. */
    staff: z.array(address).default([]),
    /** Routing keywords (lowercase words or phrases). */
    keywords: z.array(z.string().min(1)).default([]),
    /** Exactly one division is the default (Humas): it gets what no rule routes. */
    default: z.boolean().default(false),
  })
  .strict();

/** Fields every channel has; each channel type adds its own keys, validated by its connector. */
/**
 * `quietAlertHours` of a channel: when it has taken in nothing (no message, nothing quarantined) for this
 * many hours, escalation.address is told once, and again when messages come back. A GSM modem that
 * hangs, a SIM out of credit, an IMAP password changed, a revoked bot token: the channel stops
 * without a citizen or officer seeing why. Unset: not watched.
 */
export function quietAlertHours() {
  return z.number().positive().max(24 * 90).optional();
}

export const channelBaseSchema = z.looseObject({
  /** Unique id of this channel instance, e.g. email-aduan. Used in queue names and idempotency keys. */
  id: z.string().regex(/^[a-z0-9][a-z0-9-]*$/, 'lowercase letters, digits and dashes'),
  /** Channel type: web, email, gammu, android-sms-gateway, twilio, telegram. */
  type: z.string().min(1),
  enabled: z.boolean().default(true),
  quietAlertHours: quietAlertHours(),
});

export const classifierSchema = z
  .object({
    /** Below this confidence a message goes to human triage. */
    triageBelow: z.number().min(0).max(1).default(0.55),
    /** Spam is recorded but neither forwarded nor answered: below this spam probability the next most likely label wins. */
    spamMin: z.number().min(0).max(1).default(0.5),
    /**
     * Spam is dropped unseen, so it must be surer than other labels: spam below this confidence goes
     * to triage (a human decides) instead. On the project's SMS dev set 0.9 sends 7 of 153 spam to
     * triage and lets 5 instead of 13 of 176 ordinary messages be dropped unseen.
     */
    spamTriageBelow: z.number().min(0).max(1).default(0.9),
    /**
     * Share of confident statement and spam decisions sent to triage anyway, as a sample a person
     * checks: a complaint called a statement is the worst error and nobody sees it otherwise. The
     * sample is chosen by the message id, so a replayed message lands the same way.
     */
    auditShare: z.number().min(0).max(1).default(0.05),
    /**
     * A statement or spam guess is settled without a human (thanked or dropped, never forwarded) only
     * while the complaint probability stays below this; at or above it the case goes to triage. On
     * the project's held-out split 0.1 sends all 4 complaints that would be lost to triage for 11 of
     * 992 statements (1.1 %); on the dev tweets and SMS 6–9 % of statements. 1 turns it off.
     */
    complaintDoubtAbove: z.number().min(0).max(1).default(0.1),
    /**
     * Folder with classifier.json and topic.json retrained on the secretariat's own labelled
     * messages (`aduan corpus train --out DIR`); unset: the shipped models.
     */
    modelDir: fsPath(z.string().min(1)).optional(),
  })
  .strict()
  .prefault({});

export const dedupeSchema = z
  .object({
    /** Days within which the same contact's near-same text is a duplicate. */
    windowDays: z.number().int().min(0).default(14),
    /** Jaccard similarity above which two texts are the same problem. */
    threshold: z.number().min(0).max(1).default(0.7),
    /** Days within which another contact's same problem counts as recurring. */
    recurringWindowDays: z.number().int().min(0).default(90),
    /**
     * One answer for one problem: a #kaji, #tindakan or #selesai on one report of a recurring problem
     * also moves the chain's other reports the same division is still handling, and each of their
     * citizens gets the result under their own case number (and answers PUAS / TIDAK PUAS for it).
     * false: every report is answered on its own.
     */
    shareResults: z.boolean().default(true),
    /**
     * With shareResults: a later report of a problem its division is already handling (forwarded,
     * in review, corrective action) is not forwarded in a mail of its own. It joins that open report
     * at once (status and stage follow it; one answer reaches every citizen), and the division gets
     * one digest mail per problem listing the reports that joined, at most every this many minutes.
     * 0: every report is forwarded in its own mail.
     */
    digestMinutes: z.number().int().min(0).max(1440).default(60),
    /**
     * One report in several SMS or chat messages: a message from the same phone or chat within this
     * many minutes of the citizen's last message on their report (as their channel received them, so
     * messages taken in together after a backlog are not joined) (complaint or question, not yet
     * answered), that names no problem of its own ("di Jl. Kenari gang 3", "sudah 2 bulan", a photo) and
     * no other division's keyword, is part of that report: added to it (the division gets it in the
     * report's thread), not a new case. A first message that says only who and where, naming no
     * problem and no division's keyword ("Pak, di jl. Kenari gang 3") is forwarded only after this many
     * minutes without another message (at most continuationMaxWaits times this), or at once when the next one says
     * what is wrong, to the
     * division that one points to. 0: every message stands on its own.
     */
    continuationMinutes: z.number().int().min(0).max(1440).default(10),
    /**
     * With continuationMinutes: a message longer than this many words is a report of its own, not a
     * detail added to the citizen's last one; and a first message this short or shorter that says only
     * who and where waits for the rest.
     */
    continuationMaxWords: z.number().int().min(1).max(200).default(25),
    /**
     * With continuationMinutes: a report waiting for the rest (each fragment restarts the wait), and
     * additions collected into one mail for the division, wait at most this many times
     * continuationMinutes after their first message.
     */
    continuationMaxWaits: z.number().int().min(1).max(20).default(3),
    /**
     * A "terima kasih", "ok pak" by SMS or chat within this many days of the last change on the
     * citizen's case (of its closing, for a closed case) is said on that case: recorded, not answered,
     * no new case. Later, it stands on its own. 0: always on its own.
     */
    thanksWithinDays: z.number().int().min(0).max(90).default(3),
    /**
     * Only a report at least this similar to the report it repeats joins it (and reaches the division
     * in a digest); a merely similar one is forwarded in a mail of its own, so staff look at the link
     * (#bukan-berulang) before its citizen gets another report's answer.
     */
    joinSimilarity: z.number().min(0).max(1).default(0.85),
    /**
     * The same problem in other words: when no text repeats a complaint, a case of its division that
     * names the same place (after jalan, gang, kampung, pasar, TPS, SD …) and whose problem words overlap
     * this much (stemmed words: the mean of Dice and the share of the shorter text's words, at least two
     * shared) is the problem it repeats. Such a report is
     * always forwarded in a mail of its own, showing the shared place and words. 0: only texts are compared.
     */
    problemSimilarity: z.number().min(0).max(1).default(0.7),
    /**
     * More names of places citizens write without "jalan", "kampung" …, read as places wherever they stand
     * (on top of the shipped Kota Yogyakarta kecamatan, kelurahan, kampung, streets and landmarks,
     * core/understanding/places-yogyakarta.ts), e.g. ["Perumahan Griya Asri", "Sidikan"]. Changing the
     * list re-indexes the stored cases once, at the intake worker's next start.
     */
    placeNames: z.array(z.string().trim().regex(/\p{L}{3}/u, 'a place name needs at least 3 letters in a row, e.g. "Sidikan"')).max(5000).default([]),
    /**
     * Memory the intake worker may give its in-memory copy of the repeat index (≈ 106 MB per 10^6
     * complaint cases); over it, or at 0, repeat lookups read the index from SQLite instead.
     */
    memoryIndexMb: z.number().int().min(0).max(8192).default(256),
  })
  .strict()
  .prefault({});

export const slaSchema = z
  .object({
    /** Days a result waits for PUAS / TIDAK PUAS before the case closes as "no answer". */
    closeUnansweredAfterDays: z.number().int().min(1).default(7),
    /** Reopenings after which the case escalates to escalation.address. */
    maxReopens: z.number().int().min(0).default(2),
    /** Working days for the division's first response (#kaji) after the forward; reminder a day before, escalation after it. */
    firstResponseDays: z.number().int().min(1).default(3),
    /** Working days from #kaji to a corrective action (#tindakan) or a result (#selesai). */
    actionDays: z.number().int().min(1).default(10),
    /** Working days a `triage` case may wait for a person to settle it (aduan cases classify); the default division is reminded. */
    triageDays: z.number().int().min(1).default(1),
    /** Minutes within which the citizen's acknowledgement must have gone out. */
    ackMinutes: z.number().int().min(1).default(15),
    /** Minutes within which the forward must have reached the division's mail server. */
    forwardMinutes: z.number().int().min(1).default(60),
    /** The SOP's verification step: minutes within which a #selesai result must have reached the citizen. */
    verificationMinutes: z.number().int().min(1).default(120),
    /** Public holidays (YYYY-MM-DD) skipped by the working-day calendar (Monday–Friday). */
    holidays: z.array(z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'a date YYYY-MM-DD').refine(isCalendarDate, {
      error: (issue) => `"${String(issue.input)}" is no day of the calendar (month 01–12, a day that month has): write the holiday as YYYY-MM-DD, e.g. 2026-08-17`,
    })).default([]),
  })
  .strict()
  .prefault({});

export const escalationSchema = z
  .object({
    /** The secretariat's address: cases reopened more than sla.maxReopens times, and missed SLA targets, go here. */
    address: address.optional(),
  })
  .strict()
  .prefault({});

export const archiveSchema = z
  .object({
    /** Closed cases are archived after this many days (SOP step 11). */
    afterDays: z.number().int().min(0).default(30),
  })
  .strict()
  .prefault({});

export const backupSchema = z
  .object({
    /**
     * Folder of the daily backup the scheduler makes (database and attachments), best on another disk or
     * a mounted share. Unset: no daily backup (`aduan backup` still makes one when run).
     */
    dir: fsPath(z.string().min(1)).optional(),
    /** Local time of the daily backup (instance.timezone), HH:MM. Default 02:00. */
    time: z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'a time of day as HH:MM, e.g. 02:00').default('02:00'),
    /** Database backups kept (the newest); older ones are removed. Attachments are copied once and kept. */
    keep: z.number().int().min(1).max(366).default(7),
  })
  .strict()
  .prefault({});

export const reportSchema = z
  .object({
    /**
     * Who gets the monthly report (SOP step 11): on the 1st of each month at report.time the scheduler mails
     * the previous month's figures (`aduan report`) to these addresses, the CSV attached. Unset or []: none.
     */
    mailTo: z.array(address, { error: 'a list of addresses, e.g. [sekretariat@dprd.jogjakota.go.id]' }).default([]),
    /** Local time (instance.timezone) on the 1st from which last month's report is sent, HH:MM. Default 07:00. */
    time: z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'a time of day as HH:MM, e.g. 07:00').default('07:00'),
  })
  .strict()
  .prefault({});

const listenHost = z.string().min(1).default('127.0.0.1');
const listenPort = z.number().int().min(1).max(65535);

/**
 * `listen: { host, port }` of an HTTP endpoint with a default port. Host defaults to 127.0.0.1 (put a
 * TLS proxy in front; 0.0.0.0 to expose directly); `allowZero` lets tests ask for a free port.
 */
export function listenSchema(defaultPort: number, opts: { allowZero?: boolean } = {}) {
  const port = opts.allowZero ? z.number().int().min(0).max(65535) : listenPort;
  return z.object({ host: listenHost, port: port.default(defaultPort) }).strict().prefault({});
}

/** `listen: { host, port }` where the sysadmin must name the port (provider webhooks). */
export const requiredListenSchema = z.object({ host: listenHost, port: listenPort }).strict();

/**
 * An officer's name as the case record shows it: a plain name in any script (its letters' combining marks
 * too: Javanese, Devanagari vowel signs), never an actor's `:` form or a control character.
 */
export const OFFICER_NAME = /^[\p{L}\p{N}][\p{L}\p{M}\p{N} .'_@-]{0,59}$/u;

export const adminSchema = z
  .object({
    /**
     * Shared bearer token of the admin HTTP API (officer tools). Use ${ADMIN_TOKEN}. Its calls are
     * recorded as `api:admin`, with the name in X-Officer as the caller's claim (`api:admin:<name>`).
     */
    token: z.string().min(24, 'use at least 24 characters').optional(),
    /** Officers' own tokens: a call with one is recorded as that officer (`api:<name>`). */
    officers: z
      .array(z.object({
        name: z.string().trim().regex(OFFICER_NAME, "1 to 60 letters, digits, spaces or . ' _ @ - (no ':'), starting with a letter or digit")
          .refine((n) => n.toLowerCase() !== 'admin', "'admin' stands for the shared admin.token: give the officer's own name"),
        token: z.string().min(24, 'use at least 24 characters'),
      }).strict())
      .optional(),
    listen: listenSchema(8090),
  })
  .strict()
  .superRefine((a, ctx) => {
    const names = new Set<string>();
    const tokens = new Set<string>(a.token === undefined ? [] : [a.token]);
    (a.officers ?? []).forEach((o, i) => {
      if (names.has(o.name.toLowerCase())) ctx.addIssue({ code: 'custom', path: ['officers', i, 'name'], message: `duplicate officer name ${o.name}` });
      names.add(o.name.toLowerCase());
      if (tokens.has(o.token)) ctx.addIssue({ code: 'custom', path: ['officers', i, 'token'], message: o.token === a.token ? 'the same token as admin.token: give each officer a token of their own' : 'the same token as another officer: give each officer a token of their own' });
      tokens.add(o.token);
    });
  })
  .prefault({});

export const configSchema = z
  .object({
    instance: instanceSchema,
    redis: redisSchema,
    database: databaseSchema,
    storage: storageSchema,
    mail: mailSchema,
    divisions: z
      .array(divisionSchema)
      .min(1)
      .default([
        { id: 'humas', name: 'Bagian Humas Sekretariat DPRD', inbox: 'humas@localhost', staff: [], keywords: [], default: true },
      ])
      .superRefine((divisions, ctx) => {
        const defaults = divisions.filter((d) => d.default).length;
        if (defaults !== 1) {
          ctx.addIssue({ code: 'custom', message: `exactly one division needs "default: true" (found ${defaults})` });
        }
        const seen = new Set<string>();
        divisions.forEach((d, i) => {
          if (seen.has(d.id)) ctx.addIssue({ code: 'custom', path: [i, 'id'], message: `duplicate division id ${d.id}` });
          seen.add(d.id);
        });
      }),
    channels: z
      .array(channelBaseSchema)
      .default([])
      .superRefine((channels, ctx) => {
        const seen = new Set<string>();
        channels.forEach((c, i) => {
          if (seen.has(c.id)) ctx.addIssue({ code: 'custom', path: [i, 'id'], message: `duplicate channel id ${c.id}` });
          seen.add(c.id);
        });
      }),
    classifier: classifierSchema,
    dedupe: dedupeSchema,
    sla: slaSchema,
    escalation: escalationSchema,
    archive: archiveSchema,
    backup: backupSchema,
    report: reportSchema,
    admin: adminSchema,
    /** Overrides of the Indonesian message templates, by template name. */
    templates: z.record(z.string(), z.string()).default({}).superRefine((t, ctx) => {
      for (const name of Object.keys(t)) {
        if (!Object.hasOwn(DEFAULT_TEMPLATES, name)) {
          ctx.addIssue({ code: 'custom', path: [name], message: `unknown template "${name}"; known: ${Object.keys(DEFAULT_TEMPLATES).join(', ')}` });
          continue;
        }
        const tn = name as TemplateName;
        const unknown = unknownPlaceholders(tn, t[name]!);
        if (unknown.length > 0) {
          const allowed = TEMPLATE_VARS[tn];
          ctx.addIssue({
            code: 'custom', path: [name],
            message: `${unknown.map((k) => `{${k}}`).join(', ')} would be sent as written: ${allowed.length ? `this template is given ${allowed.map((k) => `{${k}}`).join(', ')}` : 'this template is given no placeholders'}`,
          });
        }
        const line = statusUrlLineProblem(tn, t[name]!);
        if (line !== undefined) ctx.addIssue({ code: 'custom', path: [name], message: line });
      }
    }),
  })
  .strict();

export type AduanConfig = z.infer<typeof configSchema>;
export type ChannelConfig = z.infer<typeof channelBaseSchema>;
export type DivisionConfig = z.infer<typeof divisionSchema>;
