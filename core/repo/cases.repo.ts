import { randomBytes } from 'node:crypto';
import { and, asc, desc, eq, gt, gte, inArray, lte, ne, or, sql, type SQL } from 'drizzle-orm';
import { cases, caseEvents, contacts, counters, messages, attachments, correctiveActions, digestItems, outbox, textDecisions } from '../db/schema.ts';
import type { Tx } from './contacts.repo.ts';
import type { SameProblem } from '../understanding/dedupe.ts';

export type CaseRow = typeof cases.$inferSelect;
export type CaseEventRow = typeof caseEvents.$inferSelect;

export { yearIn } from '../case-number.ts';

/** Next `<prefix>-<year>-<000123>`; the per-year sequence lives in `counters`, inside the caller's transaction. */
export function nextCaseNumber(tx: Tx, prefix: string, year: number): string {
  const name = `case:${prefix}:${year}`;
  const row = tx
    .insert(counters)
    .values({ name, value: 1 })
    .onConflictDoUpdate({ target: counters.name, set: { value: sql`${counters.value} + 1` } })
    .returning({ value: counters.value })
    .get();
  return `${prefix}-${year}-${String(row.value).padStart(6, '0')}`;
}

export interface NewCase {
  number: string;
  status: string;
  kind: string;
  divisionId: string;
  contactId: number | null;
  channel: string;
  connectorId: string;
  subject: string | null;
  summary: string;
  relatedToCaseId: number | null;
  /** Linked by problem, not by text: answered on its own (see the column). */
  linkedByProblem?: boolean;
  now: string;
}

/**
 * After a restore from a backup: the per-year sequence goes on after `last` (the last number citizens were
 * given, which the restored database may not know), never back. Returns the next number and whether it moved.
 */
export function skipCaseNumbersTo(tx: Tx, prefix: string, year: number, last: number): { next: string; moved: boolean } {
  const name = `case:${prefix}:${year}`;
  const current = tx.select({ value: counters.value }).from(counters).where(eq(counters.name, name)).get()?.value ?? 0;
  const moved = last > current;
  if (moved) tx.insert(counters).values({ name, value: last }).onConflictDoUpdate({ target: counters.name, set: { value: last } }).run();
  return { next: `${prefix}-${year}-${String(Math.max(current, last) + 1).padStart(6, '0')}`, moved };
}

export function insertCase(tx: Tx, c: NewCase): CaseRow {
  return tx
    .insert(cases)
    .values({
      number: c.number, status: c.status, kind: c.kind, divisionId: c.divisionId, contactId: c.contactId,
      channel: c.channel, connectorId: c.connectorId, subject: c.subject, summary: c.summary,
      relatedToCaseId: c.relatedToCaseId, linkedByProblem: c.linkedByProblem ?? false, token: randomBytes(9).toString('base64url'),
      createdAt: c.now, updatedAt: c.now,
    })
    .returning()
    .get();
}

export interface NewEvent {
  caseId: number;
  at: string;
  actorType: 'system' | 'officer' | 'division' | 'citizen';
  actor: string;
  type: string;
  fromStatus?: string | null;
  toStatus?: string | null;
  text?: string | null;
  data?: unknown;
}

export function addEvent(tx: Tx, e: NewEvent): void {
  tx.insert(caseEvents)
    .values({
      caseId: e.caseId, at: e.at, actorType: e.actorType, actor: e.actor, type: e.type,
      fromStatus: e.fromStatus ?? null, toStatus: e.toStatus ?? null, text: e.text ?? null, data: e.data ?? null,
    })
    .run();
}

/** What intake recorded with the case's `received` event (label, confidence, why a person must decide …). */
export function receivedEventData(tx: Tx, caseId: number): unknown {
  return tx.select({ data: caseEvents.data }).from(caseEvents)
    .where(and(eq(caseEvents.caseId, caseId), eq(caseEvents.type, 'received'))).orderBy(asc(caseEvents.id)).get()?.data ?? null;
}

/** When the case was last closed (its latest move to `closed`), or undefined: not `updatedAt`, which a later linked report moves. */
export function closedAt(tx: Tx, caseId: number): string | undefined {
  return tx.select({ at: sql<string | null>`max(${caseEvents.at})` }).from(caseEvents)
    .where(and(eq(caseEvents.caseId, caseId), eq(caseEvents.toStatus, 'closed'))).get()?.at ?? undefined;
}

/** Change a case's status and record the event, in the caller's transaction. */
/** A case's text as lists and the status page show it (a report in several messages: all of them). */
export function setCaseSummary(tx: Tx, c: CaseRow, summary: string, at: string): CaseRow {
  return tx.update(cases).set({ summary, updatedAt: at }).where(eq(cases.id, c.id)).returning().get() ?? { ...c, summary, updatedAt: at };
}

export function setCaseStatus(tx: Tx, c: CaseRow, to: string, event: Omit<NewEvent, 'caseId' | 'fromStatus' | 'toStatus'>): CaseRow {
  const patch: Partial<CaseRow> = { status: to, updatedAt: event.at };
  if (to === 'closed') patch.closedAt = event.at;
  const updated = tx.update(cases).set(patch).where(eq(cases.id, c.id)).returning().get() ?? c;
  addEvent(tx, { ...event, caseId: c.id, fromStatus: c.status, toStatus: to });
  return updated;
}

export function getCaseByNumber(tx: Tx, number: string): CaseRow | undefined {
  return tx.select().from(cases).where(eq(cases.number, number.toUpperCase())).get();
}

export function getCaseById(tx: Tx, id: number): CaseRow | undefined {
  return tx.select().from(cases).where(eq(cases.id, id)).get();
}

export function bumpReportCount(tx: Tx, caseId: number, now: string): void {
  tx.update(cases).set({ reportCount: sql`${cases.reportCount} + 1`, updatedAt: now }).where(eq(cases.id, caseId)).run();
}

export interface CaseListItem {
  number: string;
  status: string;
  kind: string;
  channel: string;
  division: string;
  createdAt: string;
  updatedAt: string;
  /** `claimed`: its phone/e-mail were typed on the web (a web-only contact), never proven — present only then. */
  contact: { name: string | null; phone: string | null; email: string | null; claimed?: true };
  subject: string | null;
  text: string;
  relatedTo: string | null;
  reportCount: number;
  messageCount: number;
}

/** Newest first, at most `limit` (default 1000); `number` picks one case. */
/** Which cases a list shows: all of them, or those in a status, at a division, of a kind (all given must match). */
export interface CaseFilter { status?: string; division?: string; kind?: string }

function caseWhere(filter: CaseFilter & { number?: string; contactIds?: readonly number[] }): SQL | undefined {
  return and(filter.status ? eq(cases.status, filter.status) : undefined, filter.division ? eq(cases.divisionId, filter.division) : undefined,
    filter.kind ? eq(cases.kind, filter.kind) : undefined, filter.number ? eq(cases.number, filter.number) : undefined,
    filter.contactIds ? inArray(cases.contactId, [...filter.contactIds]) : undefined);
}

export function listCases(tx: Tx, filter: CaseFilter & { number?: string; contactIds?: readonly number[]; limit?: number } = {}): CaseListItem[] {
  const related = sql<string | null>`(select c2.number from cases c2 where c2.id = ${cases.relatedToCaseId})`;
  const messageCount = sql<number>`(select count(*) from messages m where m.case_id = ${cases.id})`;
  const rows = tx
    .select({ c: cases, contact: contacts, related, messageCount })
    .from(cases)
    .leftJoin(contacts, eq(contacts.id, cases.contactId))
    .where(caseWhere(filter))
    .orderBy(desc(cases.id))
    .limit(filter.limit ?? 1000)
    .all();
  return rows.map(({ c, contact, related: rel, messageCount: mc }) => ({
    number: c.number,
    status: c.status,
    kind: c.kind,
    channel: c.channel,
    division: c.divisionId,
    createdAt: c.createdAt,
    updatedAt: c.updatedAt,
    contact: { name: contact?.name ?? null, phone: contact?.phone ?? null, email: contact?.email ?? null, ...(contact?.claimed ? { claimed: true as const } : {}) },
    subject: c.subject,
    text: c.summary,
    relatedTo: rel,
    reportCount: c.reportCount,
    messageCount: Number(mc),
  }));
}

/** How many cases `listCases` with this filter would show without a limit (the CLI's "showing N of M"). */
export function countCases(tx: Tx, filter: CaseFilter = {}): number {
  return Number(tx.select({ n: sql<number>`count(*)` }).from(cases).where(caseWhere(filter)).get()?.n ?? 0);
}

export function caseDetail(tx: Tx, number: string, now: string = new Date().toISOString()) {
  const c = getCaseByNumber(tx, number);
  if (!c) return undefined;
  const [list] = listCases(tx, { number: c.number, limit: 1 });
  const msgs = tx.select().from(messages).where(eq(messages.caseId, c.id)).orderBy(messages.id).all();
  const atts = msgs.length
    ? tx.select().from(attachments).where(sql`${attachments.messageId} in (${sql.join(msgs.map((m) => sql`${m.id}`), sql`, `)})`).all()
    : [];
  const events = tx.select().from(caseEvents).where(eq(caseEvents.caseId, c.id)).orderBy(caseEvents.id).all();
  const actions = tx.select().from(correctiveActions).where(eq(correctiveActions.caseId, c.id)).all();
  return {
    ...list!,
    messages: msgs.map((m) => ({
      id: m.ingestId, channel: m.channel, relation: m.relation, receivedAt: m.receivedAt, subject: m.subject, text: m.text,
      label: m.label, confidence: m.confidence,
      attachments: atts.filter((a) => a.messageId === m.id).map((a) => ({ filename: a.filename, contentType: a.contentType, size: a.size, sha256: a.sha256, withheld: a.withheld })),
    })),
    events: events.map((e) => ({ at: e.at, type: e.type, actor: `${e.actorType}:${e.actor}`, from: e.fromStatus, to: e.toStatus, text: e.text })),
    correctiveActions: actions,
    sameProblem: chainReports(tx, c),
    digest: joinedDigest(tx, c.id),
    // mails that wait for the rest of what the citizen is writing (a report in several messages, bundled additions)
    held: tx.select({ id: outbox.id, until: outbox.notBefore }).from(outbox)
      .where(and(eq(outbox.caseId, c.id), eq(outbox.status, 'pending'), gt(outbox.notBefore, now))).orderBy(outbox.id).all()
      .map((o) => ({ mail: o.id.slice(c.number.length + 1), until: o.until! })),
  };
}

/**
 * A report that joined an open report of its problem (dedupe.digestMinutes): which one, and the
 * digest mail that told the division of it (null while it waits for the next digest), with that
 * mail's outbox status; null for a report forwarded in its own mail.
 */
function joinedDigest(tx: Tx, caseId: number): { joined: string; mail: string | null; mailStatus: string | null } | null {
  const item = tx.select().from(digestItems).where(eq(digestItems.caseId, caseId)).get();
  if (!item) return null;
  const holder = getCaseById(tx, item.holderCaseId);
  const mail = item.outboxId === null ? undefined : tx.select({ status: outbox.status }).from(outbox).where(eq(outbox.id, item.outboxId)).get();
  return { joined: holder?.number ?? String(item.holderCaseId), mail: item.outboxId, mailStatus: mail?.status ?? null };
}

/**
 * The report intake found a case repeats, and how similar their texts were (its received event), or
 * undefined (a first report, a copy linked for the same text, or a case recorded before this was kept).
 */
export function repeatRecord(tx: Tx, caseId: number): RepeatRecord | undefined {
  // found at intake (`received`), or once the citizen completed a report sent in several messages
  const found = tx.select({ data: caseEvents.data }).from(caseEvents)
    .where(and(eq(caseEvents.caseId, caseId), inArray(caseEvents.type, ['received', REPORT_COMPLETED]))).orderBy(desc(caseEvents.id)).all();
  for (const e of found) {
    const { repeatOf, similarity, sameProblem } = (e.data ?? {}) as { repeatOf?: unknown; similarity?: unknown; sameProblem?: SameProblem };
    if (typeof repeatOf !== 'string' || typeof similarity !== 'number') continue;
    return { of: repeatOf, similarity, ...(sameProblem && Array.isArray(sameProblem.places) && Array.isArray(sameProblem.words) ? { sameProblem } : {}) };
  }
  return undefined;
}

/** The event of a report completed by a later message (intake), with the report it was then found to repeat. */
export const REPORT_COMPLETED = 'report_completed';

/** Link a report to the first report of its problem (`rootId`), as intake does for a recurring report. */
export function linkToReport(tx: Tx, kase: CaseRow, rootId: number, byProblem: boolean): CaseRow {
  return tx.update(cases).set({ relatedToCaseId: rootId, linkedByProblem: byProblem }).where(eq(cases.id, kase.id)).returning().get() ?? { ...kase, relatedToCaseId: rootId, linkedByProblem: byProblem };
}

/** Which report a recurring report repeats; how close the texts are; for a link made by problem, the shared places and words. */
export interface RepeatRecord { of: string; similarity: number; sameProblem?: SameProblem }

/** The other cases of `kase`'s report chain: the first report and the reports linked to it, but not `kase`. */
function otherReportsOf(kase: Pick<CaseRow, 'id' | 'relatedToCaseId'>) {
  const root = kase.relatedToCaseId ?? kase.id;
  return and(or(eq(cases.id, root), eq(cases.relatedToCaseId, root)), ne(cases.id, kase.id));
}

/**
 * A report linked by problem confirmed as the same problem: it shares the problem's answers from now
 * on, and so do the later copies of its text, which move to the problem's first report with their count.
 */
export function confirmProblemLink(tx: Tx, kase: CaseRow, now: string): CaseRow {
  if (!kase.linkedByProblem || kase.relatedToCaseId === null) return kase;
  const root = kase.relatedToCaseId;
  tx.update(cases).set({ relatedToCaseId: root, updatedAt: now }).where(eq(cases.relatedToCaseId, kase.id)).run();
  tx.update(cases).set({ reportCount: sql`${cases.reportCount} + ${kase.reportCount - 1}`, updatedAt: now }).where(eq(cases.id, root)).run();
  return tx.update(cases).set({ linkedByProblem: false, reportCount: 1, updatedAt: now }).where(eq(cases.id, kase.id)).returning().get() ?? { ...kase, linkedByProblem: false, reportCount: 1 };
}

/** Take a report out of its report chain (it was linked as recurring by mistake); the first report counts one report less. */
export function unlinkReport(tx: Tx, kase: CaseRow, now: string): CaseRow {
  if (kase.relatedToCaseId === null) return kase;
  tx.update(cases).set({ reportCount: sql`max(1, ${cases.reportCount} - 1)`, updatedAt: now }).where(eq(cases.id, kase.relatedToCaseId)).run();
  return tx.update(cases).set({ relatedToCaseId: null, linkedByProblem: false, updatedAt: now }).where(eq(cases.id, kase.id)).returning().get() ?? { ...kase, relatedToCaseId: null, linkedByProblem: false };
}

/**
 * The other reports of a case's problem (its report chain: the first report and the cases linked
 * to it), oldest first, at most `limit`; `total` counts them all.
 */
export function chainReports(tx: Tx, kase: Pick<CaseRow, 'id' | 'relatedToCaseId'>, limit = 50): { total: number; reports: { number: string; status: string; division: string }[] } {
  const where = otherReportsOf(kase);
  const total = tx.select({ n: sql<number>`count(*)` }).from(cases).where(where).get()?.n ?? 0;
  const reports = tx.select({ number: cases.number, status: cases.status, division: cases.divisionId }).from(cases).where(where).orderBy(cases.id).limit(limit).all();
  return { total: Number(total), reports };
}

/**
 * The earlier reports of a recurring problem, oldest first: the first case and the cases linked to it,
 * except `exceptId` (the report being forwarded). At most `limit` numbers: the first case, then the
 * latest ones; `total` counts them all.
 */
function earlierReports(tx: Tx, root: Pick<CaseRow, 'id' | 'number'>, exceptId: number, limit = 10): { numbers: string[]; total: number } {
  const linked = and(eq(cases.relatedToCaseId, root.id), ne(cases.id, exceptId));
  const total = 1 + (tx.select({ n: sql<number>`count(*)` }).from(cases).where(linked).get()?.n ?? 0);
  const latest = tx.select({ number: cases.number }).from(cases).where(linked).orderBy(desc(cases.id)).limit(Math.max(0, limit - 1)).all().reverse();
  return { numbers: [root.number, ...latest.map((r) => r.number)], total };
}

/** A recurring case's problem: how often it was reported and the earlier reports (for the forwarded mail). */
export interface Recurrence {
  reportCount: number; earlier: string[]; earlierTotal: number;
  /** The first report: its number, status and division (is the problem already being handled, and by whom?). */
  first?: { number: string; status: string; division: string };
}

export function recurrenceOf(tx: Tx, kase: Pick<CaseRow, 'id' | 'relatedToCaseId'>): Recurrence | null {
  if (kase.relatedToCaseId === null) return null;
  const root = getCaseById(tx, kase.relatedToCaseId);
  if (!root) return null;
  const { numbers, total } = earlierReports(tx, root, kase.id);
  return { reportCount: root.reportCount, earlier: numbers, earlierTotal: total, first: { number: root.number, status: root.status, division: root.divisionId } };
}

/** The message that opened a case (not a duplicate, reply or note attached later). */
const OPENING = inArray(messages.relation, ['new', 'recurring']);

/** The normalised-text hash of the message that opened a case. */
function openingHash(tx: Tx, caseId: number): string | null {
  return tx.select({ h: messages.textHash }).from(messages).where(and(eq(messages.caseId, caseId), OPENING)).get()?.h ?? null;
}

/**
 * Other cases opened by the same text as `kase` (their opening message has the same normalised-text
 * hash), in `statuses`, oldest first: within `kase`'s report chain (the first report and those
 * linked to it; other senders' copies of one message are linked as recurring reports), or, without
 * `chainOnly`, anywhere with `createdAt` in [since, until].
 */
export function sameTextCases(
  tx: Tx, kase: Pick<CaseRow, 'id' | 'relatedToCaseId'>, statuses: string[],
  opts: ({ chainOnly: true } | { chainOnly: false; since: string; until: string }) & { limit?: number | undefined },
): CaseRow[] {
  const hash = openingHash(tx, kase.id);
  if (!hash) return [];
  const root = kase.relatedToCaseId ?? kase.id;
  const where = opts.chainOnly ? or(eq(cases.id, root), eq(cases.relatedToCaseId, root)) : and(gte(cases.createdAt, opts.since), lte(cases.createdAt, opts.until));
  // through the indexed text hash, not the chain: a long chain of retweets costs no more
  const q = casesOpenedBy(tx, hash, and(inArray(cases.status, statuses), ne(cases.id, kase.id), where)).orderBy(cases.id);
  return (opts.limit === undefined ? q : q.limit(opts.limit)).all().map((r) => r.c);
}

/** Cases whose opening message has this normalised-text hash, and `where`. */
function casesOpenedBy(tx: Tx, hash: string, where: SQL | undefined) {
  return tx.select({ c: cases }).from(messages).innerJoin(cases, eq(cases.id, messages.caseId)).where(and(eq(messages.textHash, hash), OPENING, where));
}

/**
 * The newest case a division has (a complaint or question, not waiting in triage) opened by this
 * exact text (normalised-text hash) since `since`, among the 20 newest, that `accept` takes.
 */
export function newestDivisionCaseWithText(tx: Tx, hash: string, since: string, accept: (c: CaseRow) => boolean): CaseRow | undefined {
  return casesOpenedBy(tx, hash, and(inArray(cases.kind, ['complaint', 'question']), ne(cases.status, 'triage'), gte(cases.createdAt, since)))
    .orderBy(desc(cases.id)).limit(20).all().map((r) => r.c).find(accept);
}

/**
 * Case event types that record a label a person gave that case. A copy settled with a decided case
 * (`classified_as_copy`) is not among them: nobody judged it on its own, so a later decision on the
 * text reaches it again.
 */
export const PERSON_LABEL_EVENTS = ['classified', 'reclassified'];

/** A person labelled `kase`: the decision on its opening text, for later copies (`personLabelledText`). */
export function recordTextDecision(tx: Tx, kase: Pick<CaseRow, 'id'>, at: string): void {
  const hash = openingHash(tx, kase.id);
  if (!hash) return;
  tx.insert(textDecisions).values({ textHash: hash, caseId: kase.id, at }).onConflictDoUpdate({ target: textDecisions.textHash, set: { caseId: kase.id, at } }).run();
}

/** The case whose label a person gave to this exact text (normalised-text hash), if decided since `since`. */
export function personLabelledText(tx: Tx, hash: string, since: string): CaseRow | undefined {
  const d = tx.select().from(textDecisions).where(eq(textDecisions.textHash, hash)).get();
  return d && d.at >= since ? getCaseById(tx, d.caseId) : undefined;
}

/** The other copies of `kase`'s text still waiting in triage in its report chain (at most `limit`, oldest first). */
export function waitingCopiesOf(tx: Tx, kase: Pick<CaseRow, 'id' | 'relatedToCaseId'>, limit?: number): CaseRow[] {
  return sameTextCases(tx, kase, ['triage'], { chainOnly: true, limit });
}

/**
 * For every case waiting in triage, the oldest case of its report chain opened by the same text and
 * waiting too (itself when it is the oldest): one query for all of them, where asking per case cost
 * a viral text's thousands of waiting copies a read of all the others each.
 */
export function firstWaitingCopies(tx: Tx): Map<number, number> {
  const rows = tx.select({ id: cases.id, root: cases.relatedToCaseId, hash: messages.textHash }).from(messages)
    .innerJoin(cases, eq(cases.id, messages.caseId)).where(and(eq(cases.status, 'triage'), OPENING)).orderBy(cases.id).all();
  const firstOf = new Map<string, number>();
  const out = new Map<number, number>();
  for (const r of rows) {
    const key = r.hash === null ? `case:${r.id}` : `${r.root ?? r.id}:${r.hash}`;
    if (!firstOf.has(key)) firstOf.set(key, r.id);
    out.set(r.id, firstOf.get(key)!);
  }
  return out;
}

/**
 * The other reports of `kase`'s problem that its division is still handling: the report chain (the
 * first report and the cases linked to it as recurring), at the same division, in `statuses`,
 * oldest first. A report re-routed to another division is that division's to answer.
 */
export function openChainReports(
  tx: Tx, kase: Pick<CaseRow, 'id' | 'relatedToCaseId' | 'divisionId' | 'linkedByProblem'>, statuses: readonly string[], opts: { limit?: number } = {},
): CaseRow[] {
  // a viral problem's chain holds thousands of open reports: callers that need one, or a few, say so
  const q = tx.select().from(cases).where(openChainWhere(kase, statuses)).orderBy(cases.id);
  return (opts.limit === undefined ? q : q.limit(opts.limit)).all();
}

/** How many other reports of `kase`'s problem its division is handling in `statuses`. */
export function countOpenChainReports(tx: Tx, kase: Pick<CaseRow, 'id' | 'relatedToCaseId' | 'divisionId' | 'linkedByProblem'>, statuses: readonly string[]): number {
  return Number(tx.select({ n: sql<number>`count(*)` }).from(cases).where(openChainWhere(kase, statuses)).get()?.n ?? 0);
}

/**
 * The case whose answer a report shares (dedupe.shareResults): its chain's first report — but a report
 * linked by problem (other words, the same place; less sure than a text) is answered on its own, and
 * the later copies of its text (linked to it) share its answer.
 */
export function answerGroupOf(kase: Pick<CaseRow, 'id' | 'relatedToCaseId' | 'linkedByProblem'>): number {
  return kase.linkedByProblem ? kase.id : (kase.relatedToCaseId ?? kase.id);
}

/**
 * The citizen may be told that others reported the problem too (acknowledgements): the report is
 * linked to another by its text, not only by problem (less sure until staff confirm it with #berulang),
 * and not to their own earlier report (`ownReport`: a problem they reported before came back).
 */
export function toldOthersReported(kase: Pick<CaseRow, 'relatedToCaseId' | 'linkedByProblem'>, ownReport = false): boolean {
  return kase.relatedToCaseId !== null && !kase.linkedByProblem && !ownReport;
}

/**
 * The other reports one answer moves with `kase`: its answer group (answerGroupOf), at its division, in `statuses`.
 * The statuses are asked with each of the group's two lookups — its first report (the rowid) and the reports
 * linked to it (cases_related_status_idx: its open ones, not the closed reports of a problem reported for
 * years) — and not beside them, where SQLite, given a single status, read every case at it (cases_status_idx).
 */
function openChainWhere(kase: Pick<CaseRow, 'id' | 'relatedToCaseId' | 'divisionId' | 'linkedByProblem'>, statuses: readonly string[]) {
  const group = answerGroupOf(kase);
  const at = inArray(cases.status, [...statuses]);
  return and(or(and(eq(cases.id, group), at), and(eq(cases.relatedToCaseId, group), at)), ne(cases.id, kase.id), eq(cases.divisionId, kase.divisionId),
    or(eq(cases.linkedByProblem, false), eq(cases.id, group)));
}

/** Whether a contact has any case of another kind than `kind` (e.g. has written something that was not spam). */
export function contactHasCaseNotOfKind(tx: Tx, contactId: number, kind: string): boolean {
  return tx.select({ id: cases.id }).from(cases).where(and(eq(cases.contactId, contactId), ne(cases.kind, kind))).limit(1).get() !== undefined;
}

/** Latest open case of a contact in one of the given statuses (for replies on SMS/Telegram). */
export function latestCaseOfContact(tx: Tx, contactId: number, statuses: readonly string[]): CaseRow | undefined {
  if (statuses.length === 0) return undefined;
  return tx
    .select()
    .from(cases)
    .where(and(eq(cases.contactId, contactId), sql`${cases.status} in (${sql.join(statuses.map((s) => sql`${s}`), sql`, `)})`))
    .orderBy(desc(cases.id))
    .get();
}
