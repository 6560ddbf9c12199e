import { and, eq, inArray, lt } from 'drizzle-orm';
import { rawClient, type Db } from '../db/client.ts';
import { cases } from '../db/schema.ts';
import { LIMITS } from '../limits.ts';
import type { Logger } from '../logger.ts';
import { caseFacts, caseSubject, deadlineOf, formatTime, inboxesOf, replyHint, triageDetail } from '../mail/compose.ts';
import { clockWatchedOutbox, getOutbox, markOutboxClockDone, setOutboxStatus } from '../repo/outbox.repo.ts';
import { addEvent, answerGroupOf, countOpenChainReports, firstWaitingCopies, getCaseById, openChainReports, waitingCopiesOf, type CaseRow } from '../repo/cases.repo.ts';
import type { Tx } from '../repo/contacts.repo.ts';
import { addListings, dropListingsOf, isListed, releaseListings, type SlaListing } from '../repo/sla-listings.repo.ts';
import { workingDaysBetween } from './calendar.ts';
import { notifyCitizen, notifyStaff } from './notify.ts';
import { onlyAcknowledges } from './replies.ts';
import { move, nextSeq, OPEN_AT_DIVISION, type LifecycleDeps } from './service.ts';
import { CITIZEN_TEXTS } from '../templates.ts';

const SYSTEM = { type: 'system' as const, id: 'scheduler' };

/**
 * The per-case reads a sweep makes for every open case, prepared once per connection: with
 * drizzle building each query anew, a sweep over a few thousand open cases took a second or more,
 * inside the write transaction every other writer waits for.
 */
interface Read { get(...params: unknown[]): unknown }
interface All { all(...params: unknown[]): unknown[] }
const statements = new WeakMap<object, { has: Read; stage: Read; entered: Read; replies: All; resultSent: Read; oldest: Read; due: Read; open: All; awaiting: All; numberOf: Read }>();

/** The statuses the division and triage clocks watch (sweepOnce's `clocks`). */
const CLOCK_STATUSES = [...OPEN_AT_DIVISION, 'triage'];

function prepared(tx: Tx) {
  const client = rawClient(tx);
  let st = statements.get(client);
  if (!st) {
    st = {
      has: client.prepare('SELECT 1 FROM case_events WHERE case_id = ? AND type = ? LIMIT 1').pluck(),
      stage: client.prepare(`SELECT type, at FROM case_events WHERE case_id = ? AND (to_status = ? OR type IN ('rerouted', 'review_started')) ORDER BY at DESC, id DESC LIMIT 1`),
      entered: client.prepare('SELECT type, at FROM case_events WHERE case_id = ? AND to_status = ? ORDER BY at DESC, id DESC LIMIT 1'),
      replies: client.prepare(`SELECT at, text, json_extract(data, '$.acknowledgement') AS ack FROM case_events WHERE case_id = ? AND type = 'citizen_reply' AND at > ? ORDER BY at DESC, id DESC`),
      // when the case's result (or its fallback) written since a time reached the citizen (through outbox_case_idx)
      resultSent: client.prepare(`SELECT max(sent_at) FROM outbox WHERE case_id = ? AND id LIKE ? AND created_at >= ? AND status = 'sent'`).pluck(),
      // the first of the other reports one answer moves with a case, at its status: openChainReports(tx, k, [k.status], { limit: 1 })
      // (cases.repo.ts, openChainWhere), for each late case, prepared once: built by drizzle for each of 2,000 late
      // cases it took 0.7 s in the write transaction. Through the chain's two lookups, each at the status (the case;
      // cases_related_status_idx: the reports linked to it at the status, not the problem's closed reports of years)
      // (parameters: the answer group, the status, the answer group, the status, the case, its division, the answer group)
      oldest: client.prepare(`SELECT min(id) FROM cases WHERE ((id = ? AND status = ?) OR (related_to_case_id = ? AND status = ?)) AND id != ?
        AND division_id = ? AND (linked_by_problem = 0 OR id = ?)`).pluck(),
      due: client.prepare('SELECT due FROM corrective_actions WHERE case_id = ? ORDER BY id DESC LIMIT 1').pluck(),
      // the cases the clocks watch, lean (by status, then id): their latest event's id says whether what the last
      // sweep read of them still holds; through cases_status_idx and case_events_case_idx alone, no case row read
      open: client.prepare(`SELECT c.id AS id, c.status AS status, (SELECT max(e.id) FROM case_events e WHERE e.case_id = c.id) AS lastEvent
        FROM cases c WHERE c.status IN (${CLOCK_STATUSES.map((x) => `'${x}'`).join(', ')}) ORDER BY c.status, c.id`),
      // the cases awaiting the citizen's verdict, lean (by id, as the full rows were read before) with their latest
      // event's id: through cases_status_idx and case_events_case_idx alone (AwaitingVerdict)
      awaiting: client.prepare(`SELECT c.id AS id, (SELECT max(e.id) FROM case_events e WHERE e.case_id = c.id) AS lastEvent
        FROM cases c WHERE c.status = 'awaiting_feedback' ORDER BY c.id`),
      numberOf: client.prepare('SELECT number FROM cases WHERE id = ?').pluck(),
    };
    statements.set(client, st);
  }
  return st;
}

/**
 * What the clocks read of an open case, kept by the scheduler's connection from one sweep to the next while
 * the case has no new event (`lastEvent`: its latest event's id, ids only grow) and keeps its status: its stage
 * and which of its reminders and escalations are recorded. A backlog of old cases nobody answered (each
 * escalated long ago) cost two reads per case every minute, inside the write lock (5,000 of them: 0.3 s); now
 * one read of the open cases' latest event ids, and a case's events only when it has a new one.
 */
interface Seen { lastEvent: number; status: string; stage: Stage | undefined; events: Map<string, boolean> }
const seenBy = new WeakMap<object, Map<number, Seen>>();

/** The open case's memo for this sweep (one whose events or status changed since starts afresh). */
function seenFor(tx: Tx, k: { id: number; status: string; lastEvent: number | null }): Seen {
  const client = rawClient(tx);
  let all = seenBy.get(client);
  if (!all) seenBy.set(client, (all = new Map()));
  const last = k.lastEvent ?? 0;
  let seen = all.get(k.id);
  if (!seen || seen.lastEvent !== last || seen.status !== k.status) all.set(k.id, (seen = { lastEvent: last, status: k.status, stage: undefined, events: new Map() }));
  return seen;
}

/** The sweep wrote on the case (an event, a status): what was kept of it is read again. */
function forget(tx: Tx, caseId: number): void {
  seenBy.get(rawClient(tx))?.delete(caseId);
}

function hasEvent(tx: Tx, caseId: number, type: string, seen?: Seen): boolean {
  const known = seen?.events.get(type);
  if (known !== undefined) return known;
  const has = prepared(tx).has.get(caseId, type) !== undefined;
  seen?.events.set(type, has);
  return has;
}

/**
 * Since when a case awaiting the verdict has had no answer: its result (the move to awaiting_feedback;
 * a bare status change of an older version had none) — or, when the result reached the citizen later
 * (an SMS gateway down for days, SMTP refusing), its delivery —, or the citizen's latest reply since that
 * says more than "ok terima kasih" ("masih berlubang di ujung gang" is an answer, if no verdict).
 * A result not delivered (yet) counts from the move: its delivery clock has escalated it.
 */
function unansweredSince(tx: Tx, k: Pick<CaseRow, 'id' | 'number'>): string | undefined {
  const sent = (prepared(tx).entered.get(k.id, 'awaiting_feedback') as { at: string } | undefined)?.at;
  if (!sent) return undefined;
  const delivered = prepared(tx).resultSent.get(k.id, `${k.number}.result-%`, sent) as string | null | undefined;
  const from = delivered && delivered > sent ? delivered : sent;
  const replies = prepared(tx).replies.all(k.id, sent) as { at: string; text: string | null; ack: number | null }[];
  // (a reply recorded before replies said whether it only acknowledges is read again)
  const answer = replies.find((r) => (r.ack === null ? !onlyAcknowledges({ text: r.text ?? '', attachments: [] }) : r.ack === 0));
  return answer && answer.at > from ? answer.at : from;
}

/**
 * What the no-answer clock read of a case awaiting the verdict, kept by the scheduler's connection from one sweep
 * to the next while the case has no new event (`lastEvent`, ids only grow): its number (for its result's mails)
 * and since when it has had no answer (unansweredSince). Each of the cases was read in full with its move, its
 * replies and its result's mails every minute (800 awaiting the verdict among 300,000 cases: 26–75 ms in the write
 * lock); now one read of their latest event ids, and a case's events and mails only when it has a new event.
 * What else can change `since` without an event only makes it later — the result's mail reaching the citizen
 * (a sent result reported failed afterwards records `reply_failed`) — so a case is closed only when `since`,
 * read again then, is still past the days to answer.
 */
interface AwaitingVerdict { lastEvent: number; number: string; since: string | undefined }
const awaitingBy = new WeakMap<object, Map<number, AwaitingVerdict>>();

/** The due date (YYYY-MM-DD) of the case's latest corrective action, when it names one. */
function dueOf(tx: Tx, k: Pick<CaseRow, 'id'>): string | undefined {
  const due = (prepared(tx).due.get(k.id) as string | null | undefined)?.trim();
  return due && /^\d{4}-\d{2}-\d{2}$/.test(due) && !Number.isNaN(Date.parse(due)) ? due : undefined;
}

interface Stage { type: string; at: string }

/**
 * The event that began the stage a case is in: the latest that brought it to its status or, at a
 * division (`followsDivision`), re-routed it (the new division's own stage) or recorded the new
 * division's #kaji on a case already in review.
 */
function stageOf(tx: Tx, k: Pick<CaseRow, 'id' | 'status'>, followsDivision: boolean, seen?: Seen): Stage | undefined {
  // (a case's stage follows from its events and status: kept while neither changes)
  if (seen?.stage !== undefined) return seen.stage;
  const { stage, entered } = prepared(tx);
  const found = (followsDivision ? stage : entered).get(k.id, k.status) as Stage | undefined;
  if (seen) seen.stage = found;
  return found;
}

export interface SweepResult {
  closedNoAnswer: number;
  archived: number;
  reminders: number;
  escalations: number;
  /**
   * Outbox rows the delivery clocks read (over the run's transactions): the unfinished rows past the
   * shortest clock that no clock is done with yet — not those escalated before, nor staff mails (but the
   * escalation mails not gone yet: one that dies has its cases listed again).
   */
  deliveryRowsRead: number;
}

/** The writes one sweep transaction may still make (closes, archivings, reminders, escalations). */
class Budget {
  /** Set when something was left for the next transaction. */
  more = false;
  constructor(private left: number) {}
  get remaining(): number {
    return this.left;
  }
  /** One write, if the transaction may still make it; else false, and the sweep goes on in another. */
  take(): boolean {
    if (this.left === 0) {
      this.more = true;
      return false;
    }
    this.left--;
    return true;
  }
}

const sleeper = new Int32Array(new SharedArrayBuffer(4));
/**
 * Between a sweep's transactions: long enough for a writer waiting on the lock (the intake worker, in
 * SQLite's busy handler, which looks again every 100 ms at most) to take it. Blocking, as the sweep is.
 */
function pauseForOtherWriters(): void {
  Atomics.wait(sleeper, 0, 0, LIMITS.sweepPauseMs);
}

/**
 * The SLA clocks and the archive (SOP steps 10–11), run periodically by the scheduler worker. All
 * state lives in SQLite (event times), so a restart loses nothing and a sweep run twice does nothing
 * more: reminders and escalations are recorded as events and sent once per stage.
 *
 * A transaction makes at most LIMITS.sweepWritesPerTransaction of the case writes (closes, archivings,
 * reminders, escalations); what is left is done by the next transaction of the same run, after a pause
 * in which other writers get the lock — after a long outage the first sweep escalated thousands of cases
 * in one transaction, and intake waited 12–17 s for it. Each transaction reads the clocks afresh, so each
 * case is still moved, reminded and escalated once (its event). The secretariat still gets one mail per
 * clock per run, listing every case late on it: written with the clock's first escalations, the rest of
 * its cases following in the next transactions. Which cases a mail lists is in SQLite (sla_listings,
 * written with the mail), not in this run's memory: a second scheduler sweeping meanwhile (PM2 restarting
 * it while this one drains, a second host), or the next run of a process stopped in between, escalates
 * the rest without listing them again; a mail that dies has its cases listed again in a later one.
 */
export function runSweeps(deps: LifecycleDeps & { db: Db; logger?: Logger; pause?: () => void }, now: Date = new Date()): SweepResult {
  const result: SweepResult = { closedNoAnswer: 0, archived: 0, reminders: 0, escalations: 0, deliveryRowsRead: 0 };
  // each problem's oldest report at a stage, looked up once a run (not again in each transaction: a
  // query for each of thousands of late unrelated cases)
  const oldestAtStage = new Map<string, number>();
  for (let first = true; ; first = false) {
    if (!first) (deps.pause ?? pauseForOtherWriters)();
    const budget = new Budget(LIMITS.sweepWritesPerTransaction);
    sweepOnce(deps, now, budget, { oldestAtStage }, result);
    if (!budget.more) break;
  }
  if (deps.logger && (result.closedNoAnswer || result.archived || result.reminders || result.escalations)) deps.logger.info(result, 'sweeps done');
  return result;
}

/** One transaction of a sweep: what is due, up to the budget's writes; adds what it did to `result`. */
function sweepOnce(deps: LifecycleDeps & { db: Db }, now: Date, budget: Budget, run: { oldestAtStage: Map<string, number> }, result: SweepResult): void {
  const { oldestAtStage } = run;
  const { config, db } = deps;
  const at = now.toISOString();
  const tz = config.instance.timezone;
  const holidays = config.sla.holidays;
  db.transaction((tx) => {
    // Results nobody answered: closed as "no answer".
    const closeBefore = new Date(now.getTime() - config.sla.closeUnansweredAfterDays * 86_400_000).toISOString();
    // (what the last sweep read of each, while it has no new event: AwaitingVerdict)
    const client = rawClient(tx);
    const before = awaitingBy.get(client) ?? new Map<number, AwaitingVerdict>();
    const kept = new Map<number, AwaitingVerdict>();
    awaitingBy.set(client, kept);
    const awaiting = prepared(tx).awaiting.all() as { id: number; lastEvent: number | null }[];
    for (const [i, o] of awaiting.entries()) {
      const last = o.lastEvent ?? 0;
      let a = before.get(o.id);
      if (!a || a.lastEvent !== last) {
        const number = a?.number ?? (prepared(tx).numberOf.get(o.id) as string);
        a = { lastEvent: last, number, since: unansweredSince(tx, { id: o.id, number }) };
      } else if (a.since !== undefined && a.since < closeBefore) {
        // (its result may have reached the citizen since it was read: no event, a later `since`)
        a = { ...a, since: unansweredSince(tx, { id: o.id, number: a.number }) };
      }
      kept.set(o.id, a);
      if (a.since && a.since < closeBefore) {
        if (!budget.take()) {
          // (the rest is looked at in the next transaction: what was read of them is kept)
          for (const r of awaiting.slice(i + 1)) {
            const b = before.get(r.id);
            if (b) kept.set(r.id, b);
          }
          break;
        }
        const k = getCaseById(tx, o.id)!;
        kept.delete(o.id);
        const closed = move(tx, k, 'closed', SYSTEM, 'closed_no_answer', at, `Tidak ada tanggapan pelapor dalam ${config.sla.closeUnansweredAfterDays} hari.`);
        // (a case reopened and closed again for no answer gets this notice again: its own id)
        notifyCitizen(deps, tx, closed, `closed-${nextSeq(tx, closed.id)}`, CITIZEN_TEXTS.closedNoAnswer(k.number), at);
        result.closedNoAnswer++;
      }
    }
    // Archive (SOP 11): closed cases, statements and spam after archive.afterDays.
    const archiveBefore = new Date(now.getTime() - config.archive.afterDays * 86_400_000).toISOString();
    // (one more than the budget: whether any is left for the next transaction)
    for (const k of tx.select().from(cases).where(and(inArray(cases.status, ['closed', 'statement', 'spam']), lt(cases.updatedAt, archiveBefore))).limit(budget.remaining + 1).all()) {
      if (!budget.take()) break;
      move(tx, k, 'archived', SYSTEM, 'archived', at, null);
      dropListingsOf(tx, k.id);
      result.archived++;
    }
    // no write left in this transaction: no reminder nor escalation could be made, so the clocks (every open
    // case's stage) are read in the next one — a backlog of archivings read them in each of its transactions
    // for nothing (283,000 to archive in a history of 10^6 cases: 1,156 transactions of 0.4 s)
    if (budget.remaining === 0) {
      budget.more = true;
      return;
    }
    // Division clocks: first response (#kaji) and corrective action/result, in working days.
    // A triage case is no division's yet: the default division (the secretariat's desk) is reminded to settle it.
    const desk = config.divisions.find((d) => d.default)?.id;
    // dedupe.shareResults: one answer moves every open report of a recurring problem, so the oldest
    // report waiting at a stage carries the clock for the others and its reminder counts them
    let firstWaiting: Map<number, number> | undefined;
    const chain = config.dedupe.shareResults
      ? {
        detail: (k: CaseRow) => {
          const total = countOpenChainReports(tx, k, OPEN_AT_DIVISION);
          if (total === 0) return '';
          const shown = openChainReports(tx, k, OPEN_AT_DIVISION, { limit: 10 }).map((c) => c.number).join(', ');
          return `Masalah yang sama dilaporkan juga dalam ${total} aduan lain yang masih terbuka (${shown}${total > 10 ? ', …' : ''}); satu balasan pada aduan ini berlaku juga untuk mereka.`;
        },
        skip: (k: CaseRow) => {
          // once per problem, division and stage in a sweep: a viral problem's chain holds thousands of reports
          const key = `${answerGroupOf(k)}:${k.divisionId}:${k.status}`;
          let first = oldestAtStage.get(key);
          if (first === undefined) {
            const group = answerGroupOf(k);
            first = Math.min(k.id, (prepared(tx).oldest.get(group, k.status, group, k.status, k.id, k.divisionId, group) as number | null) ?? k.id);
            oldestAtStage.set(key, first);
          }
          return first < k.id;
        },
      }
      : {};
    // Escalations are collected over the whole sweep: the working-day clocks cross at local midnight for
    // every case of a day at once, and one shared answer behind a slow SMS gateway makes 2,000 late mails.
    // Each case keeps its escalation event; the secretariat gets one mail per clock.
    const late = new LateCases(tx);
    const stages = new Map<number, Stage | undefined>();
    // A clock runs from the event that began the case's stage (stageOf) when that event is one of its `starts`:
    // a re-route begins a stage of its own, for the new division, whatever the status.
    const clocks: {
      name: string; status: readonly string[]; starts: string[]; days: number; label: string; remindDivision?: string; detail?: (k: CaseRow) => string; skip?: (k: CaseRow) => boolean;
      /** A date (YYYY-MM-DD) the clock counts from instead, reminding the working day after it; `what` names it. */
      due?: (k: Pick<CaseRow, 'id'>) => { date: string; what: string } | undefined;
    }[] = [
      // (`status_set`: an officer moved it there by hand, aduan cases update / admin API /status)
      { name: 'forwarded', status: ['forwarded'], starts: ['forwarded', 'status_set'], days: config.sla.firstResponseDays, label: 'tanggapan pertama (#kaji)', ...chain },
      { name: 'review_started', status: ['in_review'], starts: ['review_started', 'status_set'], days: config.sla.actionDays, label: 'tindakan perbaikan atau hasil (#tindakan / #selesai)', ...chain },
      // the corrective action's due date (#tindakan …|tenggat): reminded the working day after it, escalated
      // sla.actionDays after it; without a date, like review: sla.actionDays from the corrective action
      {
        name: 'corrective_action', status: ['action'], starts: ['corrective_action', 'status_set'], days: config.sla.actionDays, label: 'hasil tindakan perbaikan (#selesai)', ...chain,
        due: (k) => {
          const date = stages.get(k.id)?.type === 'corrective_action' ? dueOf(tx, k) : undefined;
          return date ? { date, what: `hasil tindakan perbaikan setelah tenggat ${date} (#selesai)` } : undefined;
        },
      },
      // reopened by an officer (a TIDAK PUAS goes on to review at once): the division is to take it up again
      { name: 'reopened', status: ['reopened'], starts: ['status_set', 'reopened'], days: config.sla.firstResponseDays, label: 'kajian ulang aduan yang dibuka kembali (#kaji)', ...chain },
      { name: 'rerouted', status: OPEN_AT_DIVISION, starts: ['rerouted'], days: config.sla.firstResponseDays, label: 'tanggapan pertama setelah aduan dialihkan (#kaji)', ...chain },
      {
        name: 'received', status: ['triage'], starts: ['received', 'status_set'], days: config.sla.triageDays, label: 'pemilahan oleh petugas', remindDivision: desk,
        // the case reaches nobody else: the reminder carries what the desk needs to settle it,
        // and how many other senders' copies the decision settles too
        detail: (k) => {
          const copies = waitingCopiesOf(tx, k).length;
          return `${triageDetail(k)}${copies > 0 ? `\n\nPesan yang sama dari ${copies} pelapor lain menunggu bersama kasus ini; pemilahan Anda berlaku juga untuk mereka.` : ''}`;
        },
        // a later copy of a text waiting in triage is settled with the first: its clock is the first one's
        skip: (k) => ((firstWaiting ??= firstWaitingCopies(tx)).get(k.id) ?? k.id) < k.id,
      },
    ];
    // the cases every clock watches, read once (by status, then id: as each clock read its own before) and lean
    // (CLOCK_STATUSES). A case's row is read only when a clock acts on it: the open cases' rows, spread over the
    // table of years, were read by each clock every minute (11,000 open cases of 300,000: 0.25 s)
    if (clocks.some((c) => c.status.some((x) => !CLOCK_STATUSES.includes(x)))) throw new Error('a clock watches a status outside CLOCK_STATUSES (core/lifecycle/sweeps.ts)');
    const open = prepared(tx).open.all() as { id: number; status: string; lastEvent: number | null }[];
    const seenNow = new Map<number, Seen>();
    const rows = new Map<number, CaseRow | undefined>();
    const rowOf = (id: number): CaseRow | undefined => {
      if (!rows.has(id)) rows.set(id, getCaseById(tx, id));
      return rows.get(id);
    };
    for (const clock of clocks) {
      late.clock(`days:${clock.name}`,
        (n) => ({ subject: `${n} aduan melewati target ${clock.label}`, intro: `${n} aduan melewati target ${clock.label}, yaitu ${clock.days} hari kerja. Mohon perhatian Sekretariat.` }), clock.days);
    }
    for (const clock of clocks) {
      for (const o of open) {
        if (!clock.status.includes(o.status)) continue;
        let seen = seenNow.get(o.id);
        if (!seen) seenNow.set(o.id, (seen = seenFor(tx, o)));
        // (a triage case is no division's: where it will go changes nothing for the desk)
        if (!stages.has(o.id)) stages.set(o.id, stageOf(tx, o, o.status !== 'triage', seen));
        const stage = stages.get(o.id);
        if (!stage || !clock.starts.includes(stage.type)) continue;
        const due = clock.due?.(o);
        // (noon UTC: the due date itself in the instance's timezone, Indonesia's included)
        const since = due ? `${due.date}T12:00:00.000Z` : stage.at;
        const what = due?.what ?? clock.label;
        const elapsed = workingDaysBetween(new Date(since), now, tz, holidays);
        const stageKey = `${stage.type}@${stage.at}`;
        // Reminder one working day before the target (the working day after a due date), escalation once it has passed.
        if (elapsed > clock.days && !hasEvent(tx, o.id, `sla_escalated:${stageKey}`, seen)) {
          const k = rowOf(o.id);
          if (!k || clock.skip?.(k)) continue;
          late.add(`days:${clock.name}`, { k, what, elapsed, stage: stageKey });
        } else if (elapsed >= (due ? 1 : Math.max(1, clock.days - 1)) && elapsed <= clock.days && !hasEvent(tx, o.id, `sla_reminder:${stageKey}`, seen)) {
          const k = rowOf(o.id);
          if (!k || clock.skip?.(k) || !budget.take()) continue;
          remind(deps, tx, k, { what, elapsed, target: clock.days, since, due: due?.date, stage: stageKey, desk: clock.remindDivision, detail: clock.detail?.(k) }, at);
          result.reminders++;
        }
      }
    }
    // Delivery clocks (minutes): acknowledgement, forward, and the SOP's verification of the result.
    const delivery: { match: RegExp; minutes: number; label: string }[] = [
      // (`.fallback-…`: a reply its channel reported failed, sent again another way — e.g. Twilio's WhatsApp template or SMS)
      { match: /\.ack(-[\w-]+)?(\.fallback-[\w-]+)?$/, minutes: config.sla.ackMinutes, label: 'tanda terima ke pelapor' },
      // (`.forward-<n>`: the forward again, to the division a case was re-routed to, or of a case forwarded a second time)
      { match: /\.forward(-\d+)?$/, minutes: config.sla.forwardMinutes, label: 'penerusan ke komisi/bagian' },
      // the digest is how the reports that joined an open report reach the division (dedupe.digestMinutes)
      { match: /\.digest-[\w-]+$/, minutes: config.sla.forwardMinutes, label: 'ringkasan laporan tambahan ke komisi/bagian' },
      { match: /\.result-\d+(\.fallback-[\w-]+)?$/, minutes: config.sla.verificationMinutes, label: 'penyampaian hasil ke pelapor (verifikasi)' },
    ];
    for (const [i, clock] of delivery.entries()) {
      late.clock(`delivery:${i}`,
        (n) => ({ subject: `${n} ${clock.label} melewati target`, intro: `${n} ${clock.label} belum terkirim dalam ${clock.minutes} menit. Mohon perhatian Sekretariat (periksa saluran/SMTP, aduan dlq list).` }));
    }
    const oldest = new Date(now.getTime() - Math.min(...delivery.map((d) => d.minutes)) * 60_000).toISOString();
    const relistBefore = now.getTime() - LIMITS.escalationRelistMinutes * 60_000;
    // one answer shared by a viral problem's 2,000 citizens, or an SMS gateway down for an hour, makes
    // (the unfinished rows the clocks are not done with, through outbox_clock_idx: `NOT IN ('sent', 'skipped')`
    // read the whole outbox — every mail of the years — every minute, inside the write lock; then every dead
    // row of the years was read, each to find its escalation event again; the payload is not needed)
    const watched = clockWatchedOutbox(tx, oldest);
    result.deliveryRowsRead += watched.length;
    const done: string[] = [];
    for (const row of watched) {
      const clock = delivery.find((d) => d.match.test(row.id));
      // (a staff mail, a row of no case: no clock will ever apply to it)
      if (!clock || row.caseId === null) {
        if (ESCALATION_MAIL.test(row.id)) {
          // an escalation mail is watched until it goes; one that died (the SMTP server refused it for good, or
          // every try failed) gives up its cases an hour later (LIMITS.escalationRelistMinutes), listed again below
          if (row.status !== 'dead' || Date.parse(row.updatedAt) > relistBefore) continue;
          const released = releaseListings(tx, row.id);
          late.relist(released);
          if (released.length > 0) {
            // (`aduan dlq replay` must not send it as well: its cases are in the new mail)
            setOutboxStatus(tx, row.id, 'skipped', at, `${row.lastError ?? 'dead'}; not sent again: its cases are listed again in a later escalation mail`, ['dead']);
          }
        }
        done.push(row.id);
        continue;
      }
      // a forward held for the rest of a report (intake) is due from the time it was to go
      if (Date.parse(row.notBefore !== null && row.notBefore > row.createdAt ? row.notBefore : row.createdAt) > now.getTime() - clock.minutes * 60_000) continue;
      // (escalated by a process of a version before clock_done_at — during the upgrade's restart — and not marked)
      if (hasEvent(tx, row.caseId, `sla_escalated:outbox:${row.id}`)) {
        done.push(row.id);
        continue;
      }
      const k = tx.select().from(cases).where(eq(cases.id, row.caseId)).get();
      if (!k) {
        done.push(row.id);
        continue;
      }
      const what = `${clock.label} (${clock.minutes} menit; status ${row.status}${row.lastError ? `: ${row.lastError.slice(0, 400)}` : ''})`;
      late.add(`delivery:${delivery.indexOf(clock)}`, { k, what, elapsed: 0, stage: `outbox:${row.id}`, outboxId: row.id });
    }
    markOutboxClockDone(tx, done, at);
    result.escalations += late.send(deps, at, budget);
  }, { behavior: 'immediate' });
}

/**
 * A reminder: `what` the case waits for, `elapsed` of the `target` working days since `since` (the stage's
 * start, or noon of the `due` date); `desk`: the division reminded instead of the case's (a triage case:
 * `detail` then says how to settle it); `detail`: more to say (the other reports one answer settles).
 */
interface Reminder { what: string; elapsed: number; target: number; since: string; due: string | undefined; stage: string; desk: string | undefined; detail: string | undefined }

function remind(deps: LifecycleDeps, tx: Tx, k: CaseRow, r: Reminder, at: string): void {
  const { config } = deps;
  const d = config.divisions.find((x) => x.id === (r.desk ?? k.divisionId));
  forget(tx, k.id);
  addEvent(tx, { caseId: k.id, at, actorType: 'system', actor: 'scheduler', type: `sla_reminder:${r.stage}`, text: `Pengingat: ${r.what} sudah ${r.elapsed} hari kerja (target ${r.target}).` });
  if (!d) return;
  const facts = caseFacts(k, config.instance.timezone, 600);
  const lead = `Aduan ${k.number} menunggu ${r.what} selama ${r.elapsed} hari kerja (target ${r.target} hari kerja). Mohon ditindaklanjuti.`;
  // the desk's reminder of a triage case carries what it needs to settle it (triageDetail); the division's
  // says what the case is about, since when it waits, by when, and how to answer (the forward's footer)
  const text = r.desk !== undefined
    ? `${lead}${r.detail ? `\n\n${r.detail}` : ''}`
    : [
      lead, '',
      ...facts.slice(0, 2),
      `Menunggu sejak: ${r.due ? `tenggat ${deadlineOf(config, r.since, 0)}` : formatTime(r.since, config.instance.timezone)}`,
      `Paling lambat : ${deadlineOf(config, r.since, r.target)}`,
      ...facts.slice(2), '',
      ...(r.detail ? [r.detail, ''] : []),
      '-- ', replyHint(config),
    ].join('\n');
  // (sent one working day before the target, so the division can still make it)
  notifyStaff(deps, tx, k, `reminder-${Date.parse(at)}`, inboxesOf(d), `Pengingat: ${r.what}`, text, at);
}

/**
 * `outboxId`: a delivery clock's row, marked done with its escalation (the sweep reads it no more).
 * `escalated`: listed again after the mail that listed it died; its escalation event is written already.
 */
interface Late { k: CaseRow; what: string; elapsed: number; stage: string; outboxId?: string; escalated?: boolean }
type Summary = (n: number) => { subject: string; intro: string };

/** The ids of the escalation mails (summaries and single ones): `<case number>.escalation-<time>-…`. */
const ESCALATION_MAIL = /\.escalation-\d+-/;

/**
 * The escalations of one sweep transaction, by clock: one alone is mailed as before, more as one list.
 * Every clock is named first (`clock`), with how its list reads.
 */
class LateCases {
  private readonly byClock = new Map<string, { rows: Late[]; summary: Summary; days: number | undefined }>();

  constructor(private readonly tx: Tx) {}

  /** `days`: a working-day clock's target, which its mails say each case passed by how much. */
  clock(clock: string, summary: Summary, days?: number): void {
    this.byClock.set(clock, { rows: [], summary, days });
  }

  add(clock: string, row: Late): void {
    this.byClock.get(clock)!.rows.push(row);
  }

  /**
   * The cases a mail that died listed (`released`: no longer listed): those escalated already are listed
   * again; one not escalated yet (its process stopped between its transactions) is listed with its
   * escalation, should it still be late.
   */
  relist(released: readonly SlaListing[]): void {
    for (const l of released) {
      const k = getCaseById(this.tx, l.caseId);
      const group = this.byClock.get(l.clock);
      if (!k || !group || !hasEvent(this.tx, k.id, `sla_escalated:${l.stage}`)) continue;
      group.rows.push({ k, what: l.what, elapsed: l.elapsed, stage: l.stage, escalated: true });
    }
  }

  /**
   * Writes the mails and, as many as the budget allows, the cases' events; returns how many cases
   * escalated. A clock's mail lists every case late on it that no mail lists yet (one alone: its own
   * mail) — written with the clock's first escalations of the run, its cases left for the next
   * transactions are in it already: the cases are listed (sla_listings) in the transaction that writes
   * the mail, so no other transaction, of this process or another, lists them again.
   */
  send(deps: LifecycleDeps, at: string, budget: Budget): number {
    const { tx } = this;
    let n = 0;
    const to = deps.config.escalation.address;
    const tz = deps.config.instance.timezone;
    // (the division by name: the secretariat reads "Komisi C (Pembangunan)", not komisi-c)
    const divisionOf = (k: CaseRow): string => deps.config.divisions.find((d) => d.id === k.divisionId)?.name ?? k.divisionId;
    for (const [clock, { rows, summary, days }] of this.byClock) {
      // (each case and stage once: listed twice, the sweep would fail on the listing's key every minute)
      const keys = new Set<string>();
      const unlisted = to ? rows.filter((r) => {
        const key = `${r.k.id}:${r.stage}`;
        if (keys.has(key) || isListed(tx, r.k.id, r.stage)) return false;
        keys.add(key);
        return true;
      }) : [];
      const first = unlisted[0];
      if (to && first) {
        let purpose: string;
        if (unlisted.length === 1) {
          purpose = freePurpose(tx, first.k, `escalation-${Date.parse(at)}-${first.stage.replace(/[^\w-]/g, '')}`);
          const late = lateBy(first.elapsed, days);
          notifyStaff(deps, tx, first.k, purpose, [to], `Eskalasi SLA: ${first.what}`,
            [`Aduan ${first.k.number} untuk ${divisionOf(first.k)} melewati target ${first.what}${late ? `: ${late}` : ''}. Mohon perhatian Sekretariat.`, '',
              ...caseFacts(first.k, tz, 500)].join('\n'), at);
        } else {
          // (a second list of one clock at the same time: another transaction of the run, another process)
          purpose = freePurpose(tx, first.k, `escalation-${Date.parse(at)}-${clock.replace(/[^\w-]/g, '-')}`);
          const { subject, intro } = summary(unlisted.length);
          // (each case: its number, division and subject line; then what is late, by how much)
          const lines = unlisted.slice(0, 50).map((r) => {
            const late = lateBy(r.elapsed, days);
            return `- ${r.k.number} untuk ${divisionOf(r.k)}: ${caseSubject(r.k)}\n  ${r.what}${late ? `: ${late}` : ''}`;
          });
          notifyStaff(deps, tx, first.k, purpose, [to], `Eskalasi SLA: ${subject}`,
            `${intro}\n\n${lines.join('\n')}${unlisted.length > 50 ? `\n… dan ${unlisted.length - 50} lainnya` : ''}`, at);
        }
        addListings(tx, unlisted.map((r) => ({ caseId: r.k.id, stage: r.stage, clock, what: r.what, elapsed: r.elapsed })), `${first.k.number}.${purpose}`, at);
      }
      for (const r of rows) {
        if (r.escalated) continue;
        if (!budget.take()) break;
        escalate(tx, r.k, r.what, r.elapsed, at, r.stage);
        if (r.outboxId) markOutboxClockDone(tx, [r.outboxId], at);
        n++;
      }
    }
    return n;
  }
}

/**
 * "target 3 hari kerja, sudah 4 hari kerja (terlambat 1 hari kerja)": how late a case is on a working-day clock
 * of `days` (the elapsed days alone read as if they were the target); '' for a delivery clock (its `what` says it).
 */
function lateBy(elapsed: number, days: number | undefined): string {
  if (elapsed <= 0) return '';
  if (days === undefined) return `sudah ${elapsed} hari kerja`;
  return `target ${days} hari kerja, sudah ${elapsed} hari kerja${elapsed > days ? ` (terlambat ${elapsed - days} hari kerja)` : ''}`;
}

/** `purpose`, or with `-2`, `-3` … when the case has a mail of that purpose already: a mail's id is never taken twice. */
function freePurpose(tx: Tx, k: CaseRow, purpose: string): string {
  for (let i = 1; ; i++) {
    const p = i === 1 ? purpose : `${purpose}-${i}`;
    if (!getOutbox(tx, `${k.number}.${p}`)) return p;
  }
}

/** An escalation on the case's record (the mail that lists it is LateCases.send's). */
function escalate(tx: Tx, k: CaseRow, what: string, elapsed: number, at: string, stage: string): void {
  const late = elapsed > 0 ? `sudah ${elapsed} hari kerja` : 'melewati target';
  forget(tx, k.id);
  addEvent(tx, { caseId: k.id, at, actorType: 'system', actor: 'scheduler', type: `sla_escalated:${stage}`, text: `Eskalasi: ${what} ${late}.` });
}
