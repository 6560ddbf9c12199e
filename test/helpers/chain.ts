/**
 * A report chain on an in-memory database, through real intake with the committed model: citizens
 * send SMS, staff reply to the mails the gateway wrote (forward, digest), mails "go out" through the
 * real delivery function with a recording sender. Used by the report-chain and digest tests.
 */
import { afterEach, expect } from 'vitest';
import { eq, like } from 'drizzle-orm';
import { closeDb, openDb, type Db } from '../../core/db/client.ts';
import { caseEvents, outbox } from '../../core/db/schema.ts';
import { deliverOutboxMail } from '../../core/forward.ts';
import { recordInbound } from '../../core/intake.ts';
import type { MailPayload } from '../../core/mail/compose.ts';
import type { MailSender } from '../../core/mail/transport.ts';
import { ingestId, inboundMessageSchema } from '../../core/message.ts';
import { getCaseByNumber } from '../../core/repo/cases.repo.ts';
import { createUnderstander } from '../../core/understanding/index.ts';
import { loadDivisions } from '../../scripts/eval.ts';
import { testConfig } from './config.ts';
import { DAY, HOUR } from './clock.ts';

const dbs: Db[] = [];
afterEach(() => { while (dbs.length) closeDb(dbs.pop()!); });

const sender: MailSender = { send: async (p) => ({ messageId: p.messageId }), verify: async () => {}, close: () => {} };

/** The clock of a chain setup: every message is one minute after the one before, from 2026-03-02 08:00 UTC (a Monday). */
export const CHAIN_START = Date.parse('2026-03-02T08:00:00Z');

/** `d` days (and an hour) after the chain's start, a Monday 08:00 UTC. */
export const chainDay = (d: number): Date => new Date(CHAIN_START + HOUR + d * DAY);

/**
 * `onFile`: the database is the config's file (database.path), not in memory, so a second process's
 * connection (`connect`) can share it; `config`: more settings (e.g. `mail` for a real SMTP server).
 */
export function chainSetup(dedupe: Record<string, unknown> = {}, opts: { onFile?: boolean; config?: Record<string, unknown> } = {}) {
  const config = testConfig({ divisions: loadDivisions(), classifier: { auditShare: 0 }, dedupe, escalation: { address: 'sekwan@dprd.test' }, ...opts.config });
  /** Another connection to the database (another process's), closed after the test; only `onFile`. */
  const connect = (): Db => {
    if (!opts.onFile) throw new Error('chainSetup: a second connection needs onFile');
    const other = openDb(config.database.path);
    dbs.push(other);
    return other;
  };
  const db = opts.onFile ? connect() : openDb(':memory:');
  if (!opts.onFile) dbs.push(db);
  const outboundChannels = new Set(['sms-test']);
  const understander = createUnderstander(config);
  const deps = { db, config, outboundChannels };
  let n = 0;
  const at = () => new Date(CHAIN_START + n * 60_000);
  /** An SMS from a citizen (a new report, or an answer to their own case). */
  const sms = (phone: string, text: string): string => {
    const message = inboundMessageSchema.parse({ connectorId: 'sms-test', channel: 'sms', externalId: `m${++n}`, receivedAt: at().toISOString(), sender: { phone }, text });
    return recordInbound({ db, config, understander, outboundChannels, now: at }, message, ingestId('sms-test', message.externalId)).caseNumber!;
  };
  const mail = (outboxId: string) => db.select().from(outbox).where(eq(outbox.id, outboxId)).get()?.payload as MailPayload | undefined;
  /** A staff member replies to one of our mails to a division (its outbox id), as a mail client would. */
  const staffReply = (outboxId: string, from: string, text: string) => {
    const to = mail(outboxId)!;
    const message = inboundMessageSchema.parse({ connectorId: 'email-test', channel: 'email', externalId: `<s${++n}@dprd.test>`, receivedAt: at().toISOString(),
      sender: { email: from }, subject: `Re: ${to.subject}`, text, thread: { inReplyTo: to.messageId }, meta: { to: [to.replyTo] } });
    return recordInbound({ db, config, understander, outboundChannels, now: at }, message, ingestId('email-test', message.externalId));
  };
  /** A staff member replies to a case's forward mail. */
  const staffMail = (number: string, from: string, text: string) => staffReply(`${number}.forward`, from, text);
  /** The forward mail goes out: the case is then `forwarded`. */
  const deliverForward = async (number: string) => expect(await deliverOutboxMail(db, sender, `${number}.forward`)).toBe('sent');
  const status = (number: string) => getCaseByNumber(db, number)!.status;
  const results = (number: string) => db.select().from(outbox).where(like(outbox.id, `${number}.result-%`)).all().map((o) => (o.payload as { text: string }).text);
  const eventsOf = (number: string) => db.select().from(caseEvents).where(eq(caseEvents.caseId, getCaseByNumber(db, number)!.id)).all();
  return { db, config, deps, at, connect, sms, mail, staffReply, staffMail, deliverForward, status, results, eventsOf };
}

export type ChainSetup = ReturnType<typeof chainSetup>;
