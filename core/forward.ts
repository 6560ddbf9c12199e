import type { Db } from './db/client.ts';
import { getCaseById, setCaseStatus } from './repo/cases.repo.ts';
import { getOutbox, setOutboxStatus } from './repo/outbox.repo.ts';
import type { MailPayload } from './mail/compose.ts';
import type { MailSender } from './mail/transport.ts';

export type DeliveryResult = 'sent' | 'already-sent' | 'missing';

/**
 * Send one outbox mail. Checks the row first so a job re-added after a crash never mails twice;
 * marks it sent and — for a division forward — moves the case to `forwarded` in one transaction.
 */
export async function deliverOutboxMail(db: Db, sender: MailSender, outboxId: string): Promise<DeliveryResult> {
  const row = getOutbox(db, outboxId);
  if (!row) return 'missing';
  if (row.status === 'sent') return 'already-sent';
  const payload = row.payload as MailPayload;
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
  setOutboxStatus(db, outboxId, final ? 'dead' : 'queued', new Date().toISOString(), error);
}
