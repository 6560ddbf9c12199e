import type { Db } from './db/client.ts';
import { getCaseById, setCaseStatus } from './repo/cases.repo.ts';
import { eq } from 'drizzle-orm';
import type { AduanConfig } from './config/schema.ts';
import { contacts, outbox } from './db/schema.ts';
import { divisionAddresses } from './mail/compose.ts';
import { autoMailsSentTo, getOutbox, setOutboxStatus, UNSENT } from './repo/outbox.repo.ts';
import type { MailPayload } from './mail/compose.ts';
import type { MailSender } from './mail/transport.ts';

export type DeliveryResult = 'sent' | 'already-sent' | 'missing' | 'skipped';

export interface DeliveryPolicy {
  config: Readonly<AduanConfig>;
  /** Division inbox and staff addresses: never capped. */
  staffAddresses: ReadonlySet<string>;
}

/** Why an automatic mail must not go out now (cap reached, address blocked after a hard bounce), or null. */
function holdReason(db: Db, policy: DeliveryPolicy, payload: MailPayload, now: Date): string | null {
  if (payload.headers['Auto-Submitted'] !== 'auto-replied') return null;
  for (const to of payload.to) {
    const addr = to.toLowerCase();
    if (policy.staffAddresses.has(addr)) continue;
    const c = db.select({ until: contacts.doNotContactUntil }).from(contacts).where(eq(contacts.email, addr)).get();
    if (c?.until && c.until > now.toISOString()) return `address blocked until ${c.until} (hard bounce)`;
    const since = new Date(now.getTime() - 3_600_000).toISOString();
    if (autoMailsSentTo(db, addr, since) >= policy.config.mail.capPerRecipientPerHour) {
      return `per-recipient cap of ${policy.config.mail.capPerRecipientPerHour} automatic mails per hour reached`;
    }
  }
  return null;
}

export function staffAddressesOf(config: Readonly<AduanConfig>): Set<string> {
  return new Set(config.divisions.flatMap(divisionAddresses));
}

/**
 * Send one outbox mail. Checks the row first so a job re-added after a crash never mails twice;
 * marks it sent and — for a division forward — moves the case to `forwarded` in one transaction.
 */
export async function deliverOutboxMail(db: Db, sender: MailSender, outboxId: string, policy?: DeliveryPolicy): Promise<DeliveryResult> {
  // Read the row, check the caps and reserve the send in one immediate transaction, so concurrent
  // senders (several jobs, several processes) cannot all pass the same cap at once, and what is sent
  // is the row as reserved (a held forward is rewritten until it is queued).
  const reserved = db.transaction((tx) => {
    const row = getOutbox(tx as unknown as Db, outboxId);
    if (!row) return 'missing' as const;
    if (row.status === 'sent' || row.status === 'skipped') return 'already-sent' as const;
    const payload = row.payload as MailPayload;
    const reason = policy ? holdReason(tx as unknown as Db, policy, payload, new Date()) : null;
    tx.update(outbox).set({ status: reason === null ? 'sending' : 'skipped', updatedAt: new Date().toISOString(), ...(reason === null ? {} : { lastError: reason }) }).where(eq(outbox.id, outboxId)).run();
    return reason === null ? { row, payload } : 'skipped' as const;
  }, { behavior: 'immediate' });
  if (typeof reserved === 'string') return reserved;
  const { row, payload } = reserved;
  await sender.send(payload);
  const at = new Date().toISOString();
  db.transaction((tx) => {
    setOutboxStatus(tx, outboxId, 'sent', at);
    if (payload.marksForwarded && row.caseId !== null) {
      const kase = getCaseById(tx, row.caseId);
      if (kase && kase.status === 'received') {
        setCaseStatus(tx, kase, 'forwarded', { at, actorType: 'system', actor: 'forward-worker', type: 'forwarded', text: `Diteruskan ke ${payload.to.join(', ')}` });
      }
    }
  });
  return 'sent';
}

export function markOutboxFailed(db: Db, outboxId: string, final: boolean, error: string): void {
  setOutboxStatus(db, outboxId, final ? 'dead' : 'queued', new Date().toISOString(), error, UNSENT);
}
