import { and, asc, eq, inArray, isNull, like, sql } from 'drizzle-orm';
import type { AduanConfig } from '../config/schema.ts';
import type { Db } from '../db/client.ts';
import { attachments, digestItems, messages, outbox } from '../db/schema.ts';
import type { Logger } from '../logger.ts';
import { divisionById } from '../intake.ts';
import { composeDigest, type DigestReport } from '../mail/compose.ts';
import { QUEUES } from '../queue.ts';
import { addEvent, getCaseById, repeatRecord, type CaseRow } from '../repo/cases.repo.ts';
import { getContact, type Tx } from '../repo/contacts.repo.ts';
import { insertOutbox } from '../repo/outbox.repo.ts';
import { OPEN_AT_DIVISION } from './service.ts';

/** Reports listed in one digest mail at most; more make another mail of the same run. */
export const DIGEST_MAX_REPORTS = 50;

function digestReport(tx: Tx, kase: CaseRow): DigestReport {
  const first = tx.select().from(messages).where(eq(messages.caseId, kase.id)).orderBy(asc(messages.id)).get();
  const repeat = repeatRecord(tx, kase.id);
  return {
    ...(repeat ? { repeat } : {}),
    kase,
    contact: kase.contactId === null ? undefined : getContact(tx, kase.contactId),
    message: first
      ? { channel: first.channel, connectorId: first.connectorId, receivedAt: first.receivedAt, subject: first.subject, text: first.text }
      : { channel: kase.channel, connectorId: kase.connectorId, receivedAt: kase.createdAt, subject: kase.subject, text: kase.summary },
    attachments: first
      ? tx.select({ filename: attachments.filename, contentType: attachments.contentType, size: attachments.size, sha256: attachments.sha256, withheld: attachments.withheld })
        .from(attachments).where(eq(attachments.messageId, first.id)).orderBy(asc(attachments.id)).all()
      : [],
  };
}

/**
 * dedupe.digestMinutes: one mail per problem and division listing the later reports that joined the
 * problem's open report (core/lifecycle/service.ts joinOpenReport), once the oldest of them has
 * waited digestMinutes — so a viral problem costs the division one mail per period instead of one per
 * citizen. Written to the outbox in the same transaction that marks the reports as listed, under a
 * deterministic id: a sweep run twice, or after a crash, never lists a report twice. Returns the
 * number of digest mails written.
 */
export function runDigests(deps: { config: Readonly<AduanConfig>; db: Db; logger?: Logger }, now: Date = new Date()): number {
  const { config, db } = deps;
  const due = new Date(now.getTime() - config.dedupe.digestMinutes * 60_000).toISOString();
  const at = now.toISOString();
  const written = db.transaction((tx) => {
    let n = 0;
    const groups = tx.select({ holderId: digestItems.holderCaseId, divisionId: digestItems.divisionId }).from(digestItems)
      .where(isNull(digestItems.outboxId))
      .groupBy(digestItems.holderCaseId, digestItems.divisionId)
      .having(sql`min(${digestItems.joinedAt}) <= ${due}`).all();
    for (const g of groups) {
      const holder = getCaseById(tx, g.holderId);
      if (!holder) continue;
      const division = divisionById(config as AduanConfig, g.divisionId);
      const items = tx.select({ caseId: digestItems.caseId }).from(digestItems)
        .where(and(isNull(digestItems.outboxId), eq(digestItems.holderCaseId, g.holderId), eq(digestItems.divisionId, g.divisionId)))
        .orderBy(asc(digestItems.caseId)).all().map((w) => getCaseById(tx, w.caseId)).filter((c): c is CaseRow => c !== undefined);
      // a report that left since it joined (classified to another division, called spam or no complaint,
      // answered): not this division's news any more — its item goes, unlisted
      const stillHere = (c: CaseRow) => c.divisionId === g.divisionId && (c.status === 'received' || OPEN_AT_DIVISION.includes(c.status));
      const left = items.filter((c) => !stillHere(c)).map((c) => c.id);
      if (left.length > 0) tx.delete(digestItems).where(and(isNull(digestItems.outboxId), eq(digestItems.holderCaseId, g.holderId), inArray(digestItems.caseId, left))).run();
      const waiting = items.filter(stillHere);
      for (let i = 0; i < waiting.length; i += DIGEST_MAX_REPORTS) {
        const batch = waiting.slice(i, i + DIGEST_MAX_REPORTS);
        if (batch.length === 0) continue;
        // staff replies act on an open report of the problem at this division: the holder, or (re-routed or answered since) the first listed one still open
        const open = (c: CaseRow) => c.divisionId === g.divisionId && (c.status === 'received' || OPEN_AT_DIVISION.includes(c.status));
        const replyTo = open(holder) ? holder : batch.find(open) ?? holder;
        const root = holder.relatedToCaseId === null ? holder : getCaseById(tx, holder.relatedToCaseId) ?? holder;
        // numbered per open report: a report listed once may be listed again (it followed a re-route to another division)
        // (the holder's own rows, through outbox_case_idx: a LIKE on the id alone read the whole outbox)
        const seq = 1 + Number(tx.select({ n: sql<number>`count(*)` }).from(outbox).where(and(eq(outbox.caseId, holder.id), like(outbox.id, `${holder.number}.digest-%`))).get()?.n ?? 0);
        const purpose = `digest-${seq}`;
        const outboxId = `${holder.number}.${purpose}`;
        const mail = composeDigest({ config: config as AduanConfig, division, holder, replyTo, reports: batch.map((c) => digestReport(tx, c)), reportCount: root.reportCount, purpose });
        insertOutbox(tx, { id: outboxId, caseId: holder.id, kind: 'mail', queue: QUEUES.mail, payload: mail, now: at });
        tx.update(digestItems).set({ outboxId }).where(inArray(digestItems.caseId, batch.map((c) => c.id))).run();
        addEvent(tx, {
          caseId: holder.id, at, actorType: 'system', actor: 'scheduler', type: 'digest_written',
          text: `Ringkasan ${batch.length} laporan tambahan untuk ${division.name}: ${batch.slice(0, 10).map((c) => c.number).join(', ')}${batch.length > 10 ? ', …' : ''}.`,
          data: { outboxId, reports: batch.map((c) => c.number) },
        });
        n++;
      }
    }
    return n;
  }, { behavior: 'immediate' });
  if (written > 0) deps.logger?.info({ digests: written }, 'digest mails written');
  return written;
}
