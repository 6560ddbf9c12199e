import { sql } from 'drizzle-orm';
import { sqliteTable, text, integer, real, uniqueIndex, index, primaryKey, blob } from 'drizzle-orm/sqlite-core';

/**
 * The complaint database. Every query lives in core/repo/*; nothing here is SQLite-only beyond
 * column types, so a PostgreSQL dialect can follow. Times are ISO-8601 UTC strings.
 */

export const contacts = sqliteTable('contacts', {
  id: integer('id').primaryKey({ autoIncrement: true }),
  name: text('name'),
  phone: text('phone'),
  email: text('email'),
  telegramChatId: text('telegram_chat_id'),
  webContact: text('web_contact'),
  /** Set when outbound sending must pause (hard bounce, bot blocked) until this time. */
  doNotContactUntil: text('do_not_contact_until'),
  /**
   * A web-only contact: its phone and e-mail are what a web submitter typed (never verified), kept apart
   * from the contacts whose identifiers a channel proved (resolveContact). One row per exact pair typed.
   */
  claimed: integer('claimed', { mode: 'boolean' }).notNull().default(false),
  createdAt: text('created_at').notNull(),
}, (t) => [
  // a proven phone or e-mail is one contact's; web-only contacts may share one (one row a pair typed)
  uniqueIndex('contacts_phone_uq').on(t.phone).where(sql`claimed = 0`),
  uniqueIndex('contacts_email_uq').on(t.email).where(sql`claimed = 0`),
  uniqueIndex('contacts_claimed_uq').on(sql`ifnull(phone, '')`, sql`ifnull(email, '')`).where(sql`claimed = 1`),
  // (lookups of either kind: the desk's `cases find`, a bounced address's block)
  index('contacts_phone_idx').on(t.phone),
  index('contacts_email_idx').on(t.email),
  // (a web-only contact has no Telegram chat)
  uniqueIndex('contacts_telegram_uq').on(t.telegramChatId),
]);

export const cases = sqliteTable('cases', {
  id: integer('id').primaryKey({ autoIncrement: true }),
  number: text('number').notNull(),
  status: text('status').notNull(),
  /** complaint | statement | question | spam */
  kind: text('kind').notNull().default('complaint'),
  divisionId: text('division_id').notNull(),
  contactId: integer('contact_id').references(() => contacts.id),
  channel: text('channel').notNull(),
  connectorId: text('connector_id').notNull(),
  subject: text('subject'),
  summary: text('summary').notNull(),
  /** Sorted 32-bit hashes of the summary's word shingles (little-endian), compared by repeat detection. */
  shingles: blob('shingles', { mode: 'buffer' }),
  /** Recurring cases point at the first case of the same problem. */
  relatedToCaseId: integer('related_to_case_id'),
  /**
   * Linked by problem, not by text (the same named place and problem words in other words,
   * core/understanding/problem.ts): in the report chain for its count, but answered on its own —
   * one answer to the problem does not reach it, nor does its answer reach the others.
   */
  linkedByProblem: integer('linked_by_problem', { mode: 'boolean' }).notNull().default(false),
  reportCount: integer('report_count').notNull().default(1),
  reopenCount: integer('reopen_count').notNull().default(0),
  /** Random token in staff Reply-To addresses, so a forged reply cannot move the case. */
  token: text('token').notNull(),
  createdAt: text('created_at').notNull(),
  updatedAt: text('updated_at').notNull(),
  closedAt: text('closed_at'),
}, (t) => [
  uniqueIndex('cases_number_uq').on(t.number),
  index('cases_status_idx').on(t.status),
  index('cases_contact_idx').on(t.contactId),
  index('cases_related_idx').on(t.relatedToCaseId),
  // the reports linked to a problem's first report, by status: the open ones of a problem reported for years
  // (one answer moves them, the SLA reminder lists them) without reading its closed reports. cases_related_idx
  // stays: in id order, it gives a chain's latest reports (the forwarded mail) without sorting all of them
  index('cases_related_status_idx').on(t.relatedToCaseId, t.status),
  // `aduan report --month` and `aduan export --from/--to` read a range of creation times: without it a
  // full read of the history (10^6 cases: seconds)
  index('cases_created_idx').on(t.createdAt),
]);

export const messages = sqliteTable('messages', {
  id: integer('id').primaryKey({ autoIncrement: true }),
  /** Public id (hash of connectorId:externalId), also the BullMQ job id. */
  ingestId: text('ingest_id').notNull(),
  connectorId: text('connector_id').notNull(),
  externalId: text('external_id').notNull(),
  channel: text('channel').notNull(),
  contactId: integer('contact_id').references(() => contacts.id),
  caseId: integer('case_id').references(() => cases.id),
  /** new | duplicate | recurring | reply | ignored | unmatched (the last two may be on no case: aduan messages) */
  relation: text('relation').notNull(),
  receivedAt: text('received_at').notNull(),
  recordedAt: text('recorded_at').notNull(),
  subject: text('subject'),
  text: text('text').notNull(),
  thread: text('thread', { mode: 'json' }),
  meta: text('meta', { mode: 'json' }),
  rawRef: text('raw_ref'),
  /** Classifier decision: label, confidence, top features (JSON). */
  label: text('label'),
  confidence: real('confidence'),
  features: text('features', { mode: 'json' }),
  textHash: text('text_hash'),
}, (t) => [
  uniqueIndex('messages_source_uq').on(t.connectorId, t.externalId),
  uniqueIndex('messages_ingest_uq').on(t.ingestId),
  index('messages_case_idx').on(t.caseId),
  index('messages_hash_idx').on(t.textHash),
]);

export const attachments = sqliteTable('attachments', {
  id: integer('id').primaryKey({ autoIncrement: true }),
  messageId: integer('message_id').notNull().references(() => messages.id),
  filename: text('filename').notNull(),
  contentType: text('content_type').notNull(),
  size: integer('size').notNull(),
  sha256: text('sha256'),
  withheld: text('withheld'),
}, (t) => [index('attachments_message_idx').on(t.messageId)]);

export const caseEvents = sqliteTable('case_events', {
  id: integer('id').primaryKey({ autoIncrement: true }),
  caseId: integer('case_id').notNull().references(() => cases.id),
  at: text('at').notNull(),
  /** system | officer | division | citizen */
  actorType: text('actor_type').notNull(),
  actor: text('actor').notNull(),
  type: text('type').notNull(),
  fromStatus: text('from_status'),
  toStatus: text('to_status'),
  text: text('text'),
  data: text('data', { mode: 'json' }),
}, (t) => [index('case_events_case_idx').on(t.caseId)]);

export const outbox = sqliteTable('outbox', {
  /** Deterministic id, e.g. `ADU-2026-000001.forward`: re-creating it is a no-op. */
  id: text('id').primaryKey(),
  caseId: integer('case_id').references(() => cases.id),
  /** mail (forward worker) | channel (outbound:<connector>) */
  kind: text('kind').notNull(),
  queue: text('queue').notNull(),
  payload: text('payload', { mode: 'json' }).notNull(),
  /** pending | queued | sending | sent | dead | skipped (UNFINISHED in core/repo/outbox.repo.ts: all but sent and skipped) */
  status: text('status').notNull(),
  attempts: integer('attempts').notNull().default(0),
  lastError: text('last_error'),
  createdAt: text('created_at').notNull(),
  updatedAt: text('updated_at').notNull(),
  sentAt: text('sent_at'),
  /**
   * Not handed to a queue before this time (ISO). A forward held while the citizen may still be
   * writing the rest of their report (dedupe.continuationMinutes): each fragment rewrites it.
   */
  notBefore: text('not_before'),
  /**
   * When the scheduler's delivery clocks were done with this row (ISO): it escalated it (the time of its
   * `sla_escalated:outbox:<id>` event), or no clock applies to it (a staff mail, a row of no case), or the
   * mail reached some of its recipients while the others are tried again (core/forward.ts recordSent: a
   * forward one inbox of its division has is delivered). Set, the
   * row is not read by the sweep again — a dead row stays dead for years, until `aduan dlq replay`; a row
   * replayed that fails again is not escalated a second time. NULL: still watched while unfinished.
   */
  clockDoneAt: text('clock_done_at'),
}, (t) => [
  // the dispatcher (pending rows, oldest first), the scheduler's delivery clocks (unfinished rows created
  // before a time) and doctor's counts: the few unfinished rows, not the millions sent over the years
  index('outbox_status_created_idx').on(t.status, t.createdAt),
  // the per-recipient cap of automatic mails (forward worker, every auto-reply): the last hour's sent rows
  index('outbox_status_sent_idx').on(t.status, t.sentAt),
  // a case's mails (a citizen's reply answered at most once an hour, digests, held forwards, report acks)
  index('outbox_case_idx').on(t.caseId),
  // the delivery clocks' rows (scheduler, every minute, in the write lock): unfinished ones no clock is done with
  // yet — not the dead rows of years, each escalated once. Only a query naming these statuses as these literals
  // (and clock_done_at IS NULL) can use it: core/lifecycle/sweeps.ts
  index('outbox_clock_idx').on(t.status, t.createdAt).where(sql`clock_done_at IS NULL AND status IN ('pending', 'queued', 'sending', 'dead')`),
]);

/**
 * The late cases the scheduler's escalation mails to the secretariat (escalation.address) list, one row a
 * case and stage (its `sla_escalated:<stage>` event's stage), written in the transaction that writes the
 * mail (`outbox_id`): a case with a row is listed already, by whichever scheduler process wrote it — two
 * sweeping at once (PM2 restarting the scheduler while the old one drains, a second host) or one stopped
 * between two of its transactions do not list it again. A mail that dies (`dead`) gives its rows up and its
 * cases are listed again in a later mail (core/lifecycle/sweeps.ts); `clock`, `what` and `elapsed` are what
 * that mail says of the case. An archived case's rows go.
 */
export const slaListings = sqliteTable('sla_listings', {
  caseId: integer('case_id').notNull().references(() => cases.id),
  stage: text('stage').notNull(),
  /** The clock the case is late on, e.g. `days:forwarded`, `delivery:0`. */
  clock: text('clock').notNull(),
  what: text('what').notNull(),
  elapsed: integer('elapsed').notNull(),
  outboxId: text('outbox_id').notNull(),
  listedAt: text('listed_at').notNull(),
}, (t) => [primaryKey({ columns: [t.caseId, t.stage] }), index('sla_listings_outbox_idx').on(t.outboxId)]);

export const connectorState = sqliteTable('connector_state', {
  connectorId: text('connector_id').notNull(),
  key: text('key').notNull(),
  value: text('value', { mode: 'json' }).notNull(),
  updatedAt: text('updated_at').notNull(),
}, (t) => [primaryKey({ columns: [t.connectorId, t.key] })]);

export const quarantine = sqliteTable('quarantine', {
  id: integer('id').primaryKey({ autoIncrement: true }),
  connectorId: text('connector_id').notNull(),
  externalId: text('external_id'),
  code: text('code').notNull(),
  reason: text('reason').notNull(),
  rawRef: text('raw_ref'),
  payload: text('payload'),
  createdAt: text('created_at').notNull(),
  resolvedAt: text('resolved_at'),
}, (t) => [index('quarantine_connector_idx').on(t.connectorId)]);

export const counters = sqliteTable('counters', {
  name: text('name').primaryKey(),
  value: integer('value').notNull(),
});

/**
 * MinHash LSH buckets for near-duplicate lookup: one row per (band hash, case), nothing else — the
 * lookup reads only this b-tree (WITHOUT ROWID), so at 10^6 cases (8·10^6 rows) it stays ~100 MB.
 */
export const dedupeBuckets = sqliteTable('dedupe_buckets', {
  /** band number × 2^32 + the band's 32-bit hash. */
  bandKey: integer('band_key').notNull(),
  caseId: integer('case_id').notNull().references(() => cases.id),
}, (t) => [primaryKey({ columns: [t.bandKey, t.caseId] })]);

/**
 * The places a case names (core/understanding/problem.ts), for finding the same problem told in other
 * words: the 32-bit hash of the place name, the case, and the case's problem words (sorted 32-bit
 * hashes of their stems, little-endian), so that a lookup compares the newest cases of a place in one
 * range read of this table, without reading or tokenizing their texts.
 */
export const problemPlaces = sqliteTable('problem_places', {
  placeKey: integer('place_key').notNull(),
  caseId: integer('case_id').notNull().references(() => cases.id),
  words: blob('words', { mode: 'buffer' }).notNull(),
}, (t) => [primaryKey({ columns: [t.placeKey, t.caseId] })]);

/** The "Permintaan Tindakan Perbaikan" records (corrective actions) of the SOP steps 8–9. */
export const correctiveActions = sqliteTable('corrective_actions', {
  id: integer('id').primaryKey({ autoIncrement: true }),
  caseId: integer('case_id').notNull().references(() => cases.id),
  cause: text('cause').notNull(),
  plan: text('plan').notNull(),
  owner: text('owner').notNull(),
  due: text('due'),
  createdAt: text('created_at').notNull(),
  actor: text('actor').notNull(),
}, (t) => [index('corrective_actions_case_idx').on(t.caseId)]);

/**
 * A person's decision on a text (SOP step 3 by hand): the latest case, opened by a message with this
 * normalised-text hash, that a person labelled. A later copy of the text follows that case's label
 * and division (core/intake.ts); one key seek per message, however often the text was sent.
 */
export const textDecisions = sqliteTable('text_decisions', {
  textHash: text('text_hash').primaryKey(),
  caseId: integer('case_id').notNull().references(() => cases.id),
  at: text('at').notNull(),
});

/**
 * dedupe.digestMinutes: a later report that joined the open report of its problem (no mail of its
 * own) waits here until the division's digest of new reports lists it (`outbox_id`, the digest mail).
 */
export const digestItems = sqliteTable('digest_items', {
  caseId: integer('case_id').primaryKey().references(() => cases.id),
  /** The open report it joined: the digest threads under it and staff replies act on it. */
  holderCaseId: integer('holder_case_id').notNull().references(() => cases.id),
  divisionId: text('division_id').notNull(),
  joinedAt: text('joined_at').notNull(),
  outboxId: text('outbox_id'),
}, (t) => [index('digest_items_pending_idx').on(t.outboxId, t.holderCaseId)]);
