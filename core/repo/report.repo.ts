import { asc, inArray } from 'drizzle-orm';
import { caseEvents, cases, contacts, correctiveActions, messages, outbox } from '../db/schema.ts';
import { eq } from 'drizzle-orm';
import type { Tx } from './contacts.repo.ts';
import { rawClient } from '../db/client.ts';

/** Cases created in [fromIso, toIso) with their events and corrective actions (export, reports). */
export function casesBetween(tx: Tx, fromIso: string, toIso: string) {
  return [...casesBetweenChunks(tx, fromIso, toIso)].flat();
}

/** Cases per chunk of casesBetweenChunks: few enough to bind as a list (SQLite takes at most 32,766 values). */
export const EXPORT_CHUNK = 2000;

/**
 * casesBetween a chunk of cases at a time, oldest first: `aduan export` of a history of years (10^6 cases,
 * millions of events) writes each chunk as it is read, where reading them all first ran out of memory.
 * The ids come first (cases_created_idx), then each chunk's rows of every table by case id.
 */
export function* casesBetweenChunks(tx: Tx, fromIso: string, toIso: string, chunk = EXPORT_CHUNK) {
  const client = rawClient(tx);
  const ids = client.prepare('SELECT id FROM cases WHERE created_at >= ? AND created_at < ? ORDER BY id').pluck().all(fromIso, toIso) as number[];
  const numberOf = client.prepare('SELECT number FROM cases WHERE id = ?').pluck();
  const byCase = <T extends { caseId: number | null }>(list: T[]): Map<number, T[]> => {
    const m = new Map<number, T[]>();
    for (const x of list) if (x.caseId !== null) (m.get(x.caseId) ?? m.set(x.caseId, []).get(x.caseId)!).push(x);
    return m;
  };
  for (let i = 0; i < ids.length; i += chunk) {
    const part = ids.slice(i, i + chunk);
    const rows = tx.select({ c: cases, contact: contacts }).from(cases).leftJoin(contacts, eq(contacts.id, cases.contactId))
      .where(inArray(cases.id, part)).orderBy(asc(cases.id)).all();
    const events = byCase(tx.select().from(caseEvents).where(inArray(caseEvents.caseId, part)).orderBy(asc(caseEvents.id)).all());
    const actions = byCase(tx.select().from(correctiveActions).where(inArray(correctiveActions.caseId, part)).all());
    // the citizen's acknowledgements (outbox ids `<number>.ack…`): the first one delivered
    const firstAck = new Map<number, string>();
    for (const a of tx.select({ caseId: outbox.caseId, id: outbox.id, sentAt: outbox.sentAt }).from(outbox).where(inArray(outbox.caseId, part)).all()) {
      if (a.caseId === null || a.sentAt === null || !a.id.includes('.ack')) continue;
      const prev = firstAck.get(a.caseId);
      if (prev === undefined || a.sentAt < prev) firstAck.set(a.caseId, a.sentAt);
    }
    yield rows.map(({ c, contact }) => ({
      case: c,
      relatedTo: c.relatedToCaseId === null ? null : (numberOf.get(c.relatedToCaseId) as string | undefined) ?? null,
      contact,
      events: events.get(c.id) ?? [],
      actions: actions.get(c.id) ?? [],
      ackSentAt: firstAck.get(c.id) ?? null,
    }));
  }
}

/** The label a person gave in a case event (`classified`, or `reclassified` = statement); undefined for other events. */
export function humanLabelOf(e: { type: string; data: unknown }): string | undefined {
  if (e.type === 'reclassified') return 'statement';
  const label = e.type === 'classified' ? (e.data as { label?: unknown } | null)?.label : undefined;
  return typeof label === 'string' ? label : undefined;
}

/**
 * Labels people gave (SOP steps 3 and 5 by hand): `aduan cases classify`, the admin API and staff's
 * `#aduan` / `#pertanyaan` / `#spam` (`classified`), `#bukan-aduan` (`reclassified`, a statement),
 * and a re-route by a person (`#alihkan`, `rerouted`: the case's division was set by a person; its label is
 * the case's kind). One row per case, its latest decision, with the case's first message (subject
 * and text) and its current division.
 */
export function humanLabels(tx: Tx): Array<{ number: string; label: string; divisionId: string; subject: string | null; text: string; at: string; actor: string }> {
  const events = tx.select().from(caseEvents).where(inArray(caseEvents.type, ['classified', 'reclassified', 'rerouted'])).orderBy(asc(caseEvents.id)).all();
  const latest = new Map<number, { label: string | null; at: string; actor: string }>();
  for (const e of events) {
    const actor = `${e.actorType}:${e.actor}`;
    if (e.type === 'rerouted') {
      // (intake re-routes a report its citizen completed in a later message: the words chose, not a person;
      // other reports of the problem follow a person's re-route (`sharedFrom`): one decision, on its own case)
      if (e.actorType === 'system' || isFollowedReroute(e.data)) continue;
      // a division chosen by a person; the label stays whatever a person (or else the classifier) said
      const prev = latest.get(e.caseId);
      latest.set(e.caseId, { label: prev?.label ?? null, at: e.at, actor });
      continue;
    }
    const label = humanLabelOf(e);
    if (label !== undefined) latest.set(e.caseId, { label, at: e.at, actor });
  }
  const out = [];
  for (const [caseId, d] of latest) {
    const kase = tx.select({ number: cases.number, divisionId: cases.divisionId, kind: cases.kind, status: cases.status, summary: cases.summary }).from(cases).where(eq(cases.id, caseId)).get();
    const first = tx.select({ subject: messages.subject, text: messages.text }).from(messages).where(eq(messages.caseId, caseId)).orderBy(asc(messages.id)).get();
    if (!kase || !first) continue;
    // a re-route alone says where a complaint or question goes, not what it is: the kind is the classifier's
    // until a person says otherwise, so only a case settled as one (not waiting in triage) gives a label
    if (d.label === null && (kase.status === 'triage' || (kase.kind !== 'complaint' && kase.kind !== 'question'))) continue;
    // the text a person decided on: the whole report (a report sent in several messages is its summary), not only its first message
    out.push({ number: kase.number, label: d.label ?? kase.kind, divisionId: kase.divisionId, subject: first.subject, text: kase.summary || first.text, at: d.at, actor: d.actor });
  }
  return out;
}

/** A re-route that followed a person's re-route of another report of the problem (not a decision on this one). */
export function isFollowedReroute(data: unknown): boolean {
  return typeof data === 'object' && data !== null && 'sharedFrom' in data;
}
