import { and, desc, eq, inArray, isNull, sql } from 'drizzle-orm';
import type { AduanConfig } from '../config/schema.ts';
import type { Db } from '../db/client.ts';
import { caseEvents, cases, correctiveActions, digestItems } from '../db/schema.ts';
import { AduanError } from '../errors.ts';
import { composeForward, inboxesOf, KIND_LABEL, type MailPayload } from '../mail/compose.ts';
import { QUEUES } from '../queue-names.ts';
import { addEvent, answerGroupOf, bumpReportCount, chainReports, receivedEventData, confirmProblemLink, getCaseById, getCaseByNumber, openChainReports, unlinkReport, PERSON_LABEL_EVENTS, recordTextDecision, recurrenceOf, repeatRecord, sameTextCases, setCaseStatus, waitingCopiesOf, type CaseRow, type NewEvent } from '../repo/cases.repo.ts';
import { getContact, type Tx } from '../repo/contacts.repo.ts';
import { getOutbox, heldOutbox, heldOutboxOfCase, insertOutbox, releaseHeldOutbox, rewriteHeldOutbox, skipHeldOutbox } from '../repo/outbox.repo.ts';
import { addedMessagesOf, attachmentsOfMessages } from '../repo/messages.repo.ts';
import { messages } from '../db/schema.ts';
import { asc } from 'drizzle-orm';
import type { InboundMessage } from '../message.ts';
import { commandHelp, commandName, dueDate, type StaffCommand } from './commands.ts';
import { shortAckText } from '../status-link.ts';
import { CITIZEN_TEXTS } from '../templates.ts';
import { notifyCitizen, notifyStaff, renewDeskNotice, type NotifyDeps } from './notify.ts';
import { assertTransition, NOT_AT_A_DIVISION, stateLabel } from './states.ts';
import { placeNumbers, placesConflict } from '../places.ts';
import { onlyWhoAndWhere, saysOnlyWhoAndWhere } from '../understanding/problem.ts';

export interface Actor {
  type: NewEvent['actorType'];
  id: string;
}

export interface LifecycleDeps extends NotifyDeps {
  config: Readonly<AduanConfig>;
}

export const VERDICT_QUESTION = 'Balas PUAS bila Anda puas, atau TIDAK PUAS bila belum.';

/** A per-case sequence for deterministic outbox ids (`ADU-….result-7`). */
export function nextSeq(tx: Tx, caseId: number): number {
  const row = tx.select({ n: sql<number>`count(*)` }).from(caseEvents).where(eq(caseEvents.caseId, caseId)).get();
  return Number(row?.n ?? 0) + 1;
}

export function move(tx: Tx, kase: CaseRow, to: string, actor: Actor, type: string, at: string, text?: string | null, data?: unknown): CaseRow {
  assertTransition(kase.number, kase.status, to);
  // a held forward (intake: the citizen may still be writing) of a case that leaves `received`: not sent
  // when it is no division's after all or joined another report's; sent now when its division already acts on it
  if (kase.status === 'received' && to !== 'received') {
    if (NOT_AT_A_DIVISION.has(to) || to === 'forwarded') skipHeldOutbox(tx, `${kase.number}.forward`, `case moved to ${to} before its forward was released`, at);
    else releaseHeldOutbox(tx, `${kase.number}.forward`, at);
  }
  // a held notice to the desk (intake: the citizen may still be writing) of a case settled first: nothing left to sort
  if (kase.status === 'triage' && to !== 'triage') skipHeldOutbox(tx, `${kase.number}.triage`, `case moved to ${to} before the desk was told`, at);
  // what the citizen added, waiting to be bundled, reaches the division now: it was said before this change
  const added = heldOutboxOfCase(tx, kase.id, `${kase.number}.added-`, at);
  if (added) releaseHeldOutbox(tx, added.id, at);
  return setCaseStatus(tx, kase, to, { at, actorType: actor.type, actor: actor.id, type, text: text ?? null, data });
}

function division(config: Readonly<AduanConfig>, id: string) {
  return config.divisions.find((d) => d.id === id) ?? config.divisions.find((d) => d.default)!;
}

/**
 * A case (back) in `received` is forwarded: the first time as `<number>.forward`, again (it was
 * forwarded before, then called a statement or spam, now a complaint again) under a new id, since
 * the outbox would take the old id as already done. Either way the sent mail marks it forwarded.
 */
function forwardReceived(deps: LifecycleDeps, tx: Tx, kase: CaseRow, at: string): CaseRow {
  const joined = joinOpenReport(deps, tx, kase, at);
  if (joined) return joined;
  const again = getOutbox(tx, `${kase.number}.forward`) !== undefined;
  forwardCase(deps, tx, kase, at, again ? `forward-${nextSeq(tx, kase.id)}` : 'forward', true);
  return kase;
}

/** A case already at its division gets its own forward mail (it had none: it joined another report). */
function forwardAgain(deps: LifecycleDeps, tx: Tx, kase: CaseRow, at: string): void {
  const first = getOutbox(tx, `${kase.number}.forward`) === undefined;
  forwardCase(deps, tx, kase, at, first ? 'forward' : `forward-${nextSeq(tx, kase.id)}`, false);
}

/**
 * dedupe.digestMinutes: a later report (in `received`) of a problem its division is already
 * handling is not forwarded in a mail of its own. It joins the oldest open report of its chain at
 * that division: it is at the division at once, takes the stage the problem has reached (so its
 * clocks and the citizen's status page follow the problem, and a shared #selesai answers it), and
 * waits in `digest_items` for the division's next digest. Returns the moved case, or undefined when
 * it is to be forwarded as usual (no open report at its division, sharing or digests off).
 */
export function joinOpenReport(deps: LifecycleDeps, tx: Tx, kase: CaseRow, at: string, similarity?: number): CaseRow | undefined {
  const { dedupe } = deps.config;
  if (!dedupe.shareResults || dedupe.digestMinutes === 0 || kase.relatedToCaseId === null || kase.status !== 'received') return undefined;
  // a merely similar text gets a forward of its own: staff see the link before its citizen shares an answer
  // (intake knows the similarity; a case settled later reads it from its received event)
  if ((similarity ?? repeatSimilarity(tx, kase)) < dedupe.joinSimilarity) return undefined;
  // (a holder still in `received` has its forward on the way: a burst of copies, or a triage decision
  // settling many senders' copies at once, makes one forward and one digest)
  const holder = openChainReports(tx, kase, ['received', ...OPEN_AT_DIVISION], { limit: 1 })[0];
  if (!holder) return undefined;
  const actor: Actor = { type: 'system', id: 'lifecycle' };
  const name = division(deps.config, kase.divisionId).name;
  const data = { joined: holder.number };
  let k = move(tx, kase, 'forwarded', actor, 'forwarded', at,
    `Digabung dengan ${holder.number}, laporan masalah yang sama di ${name} (status: ${stateLabel(holder.status).toLowerCase()}); ${name} menerimanya dalam ringkasan laporan tambahan, bukan dalam e-mail tersendiri.`, data);
  if (holder.status === 'in_review' || holder.status === 'action' || holder.status === 'reopened') {
    k = move(tx, k, 'in_review', actor, 'review_started', at, `Dikaji bersama ${holder.number}.`, { sharedFrom: holder.number });
  }
  const plan = holder.status === 'action'
    ? tx.select().from(correctiveActions).where(eq(correctiveActions.caseId, holder.id)).orderBy(desc(correctiveActions.id)).get()
    : undefined;
  if (plan) {
    tx.insert(correctiveActions).values({ caseId: k.id, cause: plan.cause, plan: plan.plan, owner: plan.owner, due: plan.due, createdAt: at, actor: plan.actor }).run();
    k = move(tx, k, 'action', actor, 'corrective_action', at,
      `Penyebab: ${plan.cause}\nRencana: ${plan.plan}\nPenanggung jawab: ${plan.owner}\nTenggat: ${plan.due ?? '-'}\n(laporan yang sama dengan ${holder.number})`, { sharedFrom: holder.number });
  }
  tx.insert(digestItems).values({ caseId: k.id, holderCaseId: holder.id, divisionId: k.divisionId, joinedAt: at }).onConflictDoNothing().run();
  return k;
}

/**
 * The reports that joined `holder` (no forward mail of their own) and are still open at the division
 * it left follow it to its new division: they were never that division's to re-route one by one. Each
 * is re-routed on the record and waits for the new division's next digest.
 */
function followToDivision(tx: Tx, holder: CaseRow, from: string, actor: Actor, at: string): CaseRow[] {
  return joinedReports(tx, holder, from).map((c) => {
    const moved = reroute(tx, c, holder.divisionId, actor, at, holder.number);
    tx.update(digestItems).set({ divisionId: holder.divisionId, outboxId: null, joinedAt: at }).where(eq(digestItems.caseId, c.id)).run();
    return moved;
  });
}

/** The reports that joined `holder` and are still open at `division` (they have no forward mail of their own). */
function joinedReports(tx: Tx, holder: CaseRow, division: string): CaseRow[] {
  return tx.select({ c: cases }).from(digestItems).innerJoin(cases, eq(cases.id, digestItems.caseId))
    .where(and(eq(digestItems.holderCaseId, holder.id), eq(cases.divisionId, division), inArray(cases.status, OPEN_AT_DIVISION)))
    .orderBy(cases.id).all().map((r) => r.c);
}

/**
 * How similar the report's text is to the report intake found it repeats (its received event), 1
 * when it was linked for the same text (a copy settled with a person's decision) or is not recorded.
 */
function repeatSimilarity(tx: Tx, kase: CaseRow): number {
  return repeatRecord(tx, kase.id)?.similarity ?? 1;
}

/**
 * A joined report whose digest has not gone out leaves it (unlinked, or re-routed): the division
 * would otherwise never hear of it. Returns whether one was waiting.
 */
function leaveDigest(tx: Tx, kase: CaseRow): boolean {
  return tx.delete(digestItems).where(and(eq(digestItems.caseId, kase.id), isNull(digestItems.outboxId))).run().changes > 0;
}

/** At most this many of the citizen's later messages are listed in a forward (the newest). */
const FORWARD_ADDITIONS = 20;

/** The forward mail of a case to its current division: its first message, what the citizen added since, and every file. */
function caseForwardMail(deps: LifecycleDeps, tx: Tx, kase: CaseRow, at: string, completed = false): MailPayload | undefined {
  const contact = kase.contactId === null ? undefined : getContact(tx, kase.contactId);
  const first = tx.select().from(messages).where(eq(messages.caseId, kase.id)).orderBy(asc(messages.id)).get();
  if (!contact || !first) return undefined;
  // what the citizen added since (while it waited in triage, before a re-route), and every file
  const later = addedMessagesOf(tx, kase.id, contact.id, first.id)
    .filter((m) => m.relation === 'reply' || m.text.trim() !== first.text.trim()).slice(-FORWARD_ADDITIONS);
  const files = attachmentsOfMessages(tx, [first.id, ...later.map((m) => m.id)]);
  const message = {
    connectorId: first.connectorId, channel: first.channel, externalId: first.externalId, receivedAt: first.receivedAt,
    sender: {}, subject: first.subject ?? undefined, text: first.text, attachments: [first, ...later].flatMap((m) => files.get(m.id) ?? []), meta: {},
  } as unknown as InboundMessage;
  const additions = later.map((m) => ({ at: m.receivedAt, text: m.text.slice(0, 2000), files: (files.get(m.id) ?? []).map((a) => a.filename) }));
  // a report in several messages whose first says only who and where ("Pak, di jl. Kenari gang 3"): the
  // subject staff see in their inbox is the message that says what is wrong
  const naming = !first.subject && onlyWhoAndWhere(first.text) ? later.find((m) => !onlyWhoAndWhere(m.text)) : undefined;
  // everything they wrote says only who and where (a report its citizen completed says more, in words a
  // keyword may know): the division is asked to find out the problem
  const features = (receivedEventData(tx, kase.id) as { features?: string[] } | null)?.features ?? [];
  const incomplete = !completed && saysOnlyWhoAndWhere([first.subject ?? '', first.text, ...later.map((m) => m.text)].join('\n'), features);
  return composeForward({ config: deps.config as AduanConfig, division: division(deps.config, kase.divisionId), kase, contact, message, recurrence: recurrenceOf(tx, kase), repeat: repeatRecord(tx, kase.id), additions,
    ...(naming ? { summary: naming.text } : {}), incomplete, at });
}

/** Forward the case to its current division (again, after a re-route, or after triage), with the citizen's files and what they added. */
function forwardCase(deps: LifecycleDeps, tx: Tx, kase: CaseRow, at: string, purpose: string, marksForwarded = purpose === 'forward'): void {
  const mail = caseForwardMail(deps, tx, kase, at);
  if (!mail) return;
  // its first forward still held (intake: the citizen may still be writing): that one goes now, to where the case now goes
  if (rewriteHeldOutbox(tx, `${kase.number}.forward`, mail, null, at)) return;
  if (purpose !== 'forward') mail.messageId = mail.messageId.replace('.forward@', `.${purpose}@`);
  mail.marksForwarded = marksForwarded;
  insertOutbox(tx, { id: `${kase.number}.${purpose}`, caseId: kase.id, kind: 'mail', queue: QUEUES.mail, payload: mail, now: at });
}

/**
 * A report in several messages (intake, dedupe.continuationMinutes): while its first forward is held,
 * the citizen's next message is written into it instead of a mail of its own. When that message says
 * what is wrong, the report may belong elsewhere (`divisionId`: where its words point; the first
 * fragment said only who and where, so its guesses give way, the kind too: `kind`) and goes at once
 * (`release` null); otherwise it waits until `release`. False when the forward was queued meanwhile
 * (then it is told as an addition).
 */
export function completeHeldReport(deps: LifecycleDeps, tx: Tx, kase: CaseRow, at: string, release: string | null, divisionId?: string, kind?: 'complaint' | 'question'): boolean {
  if (!heldOutbox(tx, `${kase.number}.forward`, at)) return false;
  const actor: Actor = { type: 'system', id: 'intake' };
  let k = divisionId === undefined ? kase : reroute(tx, kase, division(deps.config, divisionId).id, actor, at);
  // (not a person's label: no `classified` event)
  if (kind !== undefined && kind !== k.kind) k = tx.update(cases).set({ kind }).where(eq(cases.id, k.id)).returning().get() ?? { ...k, kind };
  // (copies of its text from other senders that joined it while it waited go with it)
  if (k.divisionId !== kase.divisionId) followToDivision(tx, k, kase.divisionId, actor, at);
  const mail = caseForwardMail(deps, tx, k, release ?? at, release === null);
  return mail !== undefined && rewriteHeldOutbox(tx, `${k.number}.forward`, mail, release, at);
}

/**
 * The same for a fragment waiting in triage whose notice to the desk is held: a clear complaint or
 * question completing it (`kind`) takes it out of triage to a division (`divisionId` when its words
 * name one) without a person — the desk is never told; otherwise the notice, written again with the
 * whole report and its files (and the division its words name as the guess), goes at `until` (null:
 * now). False when the notice has gone out (the desk decides, as for any triage case).
 */
export function completeHeldTriage(deps: LifecycleDeps, tx: Tx, kase: CaseRow, at: string, kind: 'complaint' | 'question' | undefined, divisionId: string | undefined, until: string | null): boolean {
  const notice = `${kase.number}.triage`;
  if (!heldOutbox(tx, notice, at)) return false;
  const actor: Actor = { type: 'system', id: 'intake' };
  let k = divisionId === undefined ? kase : reroute(tx, kase, division(deps.config, divisionId).id, actor, at);
  if (kind === undefined) return renewDeskNotice(deps, tx, k, at, until);
  skipHeldOutbox(tx, notice, 'the citizen completed the message before the desk was told', at);
  tx.update(cases).set({ kind }).where(eq(cases.id, k.id)).run();
  // (not a person's label: neither `classified` nor a text decision later copies would follow)
  k = move(tx, { ...k, kind }, 'received', actor, 'completed_by_citizen', at, `Pelapor melengkapi pesannya dengan ${KIND_LABEL[kind]} yang jelas: diteruskan tanpa pemilahan petugas.`, { kind });
  forwardReceived(deps, tx, k, at);
  return true;
}

/** Statuses in which a forwarded case is still its division's to answer. */
export const OPEN_AT_DIVISION: readonly string[] = ['forwarded', 'in_review', 'action', 'reopened'];

type ProgressCommand = Extract<StaffCommand, { kind: 'kaji' | 'tindakan' | 'selesai' }>;

/**
 * The statuses in which another report of the same problem moves with a #kaji, #tindakan or
 * #selesai on one of them (dedupe.shareResults). A report not yet forwarded, already answered or
 * closed is left alone.
 */
const SHARED_FROM: Readonly<Record<ProgressCommand['kind'], readonly string[]>> = {
  kaji: ['forwarded', 'reopened'],
  tindakan: ['forwarded', 'in_review', 'reopened'],
  selesai: OPEN_AT_DIVISION,
};

/**
 * #kaji, #tindakan, #selesai on one case. With `via`, the case is another report of `via`'s problem
 * moving with it: the event says so, and its citizen gets the result under their own number.
 */
function applyProgress(deps: LifecycleDeps, tx: Tx, kase: CaseRow, given: ProgressCommand, actor: Actor, at: string, via?: CaseRow): { kase: CaseRow; confirmation: string } {
  let k = kase;
  // (a corrective action's deadline as the SLA clock reads it: "10 Desember 2026", 10/12/2026 … as 2026-12-10)
  const dated = given.kind === 'tindakan' ? dueDate(given.due) : undefined;
  const cmd: ProgressCommand = given.kind === 'tindakan' ? { ...given, due: dated!.due } : given;
  const data = via ? { ...cmd, sharedFrom: via.number } : cmd;
  const from = via ? ` (laporan yang sama dengan ${via.number})` : '';
  switch (cmd.kind) {
    case 'kaji': {
      // (what is next, and by when: the clock to #tindakan / #selesai runs from a review begun now)
      const next = `Berikutnya: #tindakan atau #selesai dalam ${deps.config.sla.actionDays} hari kerja.`;
      if (k.status !== 'in_review') {
        k = move(tx, k, 'in_review', actor, 'review_started', at, `${cmd.note || ''}${from}`.trim() || null, via ? data : undefined);
        return { kase: k, confirmation: `Aduan ${k.number} dicatat sedang dikaji. ${next}` };
      }
      // re-routed while in review: the new division takes it up, and its clock for #tindakan / #selesai starts now
      if (reroutedSinceReview(tx, k)) {
        const by = division(deps.config, k.divisionId).name;
        addEvent(tx, { caseId: k.id, at, actorType: actor.type, actor: actor.id, type: 'review_started', text: cmd.note || `Dikaji oleh ${by} setelah dialihkan.` });
        return { kase: k, confirmation: `Aduan ${k.number} dicatat sedang dikaji oleh ${by}. ${next}` };
      }
      // (already in review: the clock runs on from when the review began)
      addEvent(tx, { caseId: k.id, at, actorType: actor.type, actor: actor.id, type: 'note', text: cmd.note || 'Kajian dilanjutkan.' });
      return { kase: k, confirmation: `Aduan ${k.number} masih dalam kajian; ${cmd.note ? 'catatan Anda disimpan' : 'status tidak berubah'}.` };
    }
    case 'tindakan': {
      // (a case still `received`, its forward not gone yet or held for the rest of the report: the person
      // acting on it has it in hand; the forward goes now)
      if (k.status === 'received' || k.status === 'forwarded' || k.status === 'reopened') k = move(tx, k, 'in_review', actor, 'review_started', at, via ? from.trim() : null);
      const due = cmd.due;
      tx.insert(correctiveActions).values({ caseId: k.id, cause: cmd.cause, plan: cmd.plan, owner: cmd.owner, due, createdAt: at, actor: actor.id }).run();
      k = move(tx, k, 'action', actor, 'corrective_action', at, `Penyebab: ${cmd.cause}\nRencana: ${cmd.plan}\nPenanggung jawab: ${cmd.owner}\nTenggat: ${due ?? '-'}${from ? `\n${from.trim()}` : ''}`, data);
      const unread = dated?.understood !== false ? ''
        : ` Tenggat "${due}" tidak terbaca sebagai tanggal (tulis mis. 2026-12-10 atau 10 Desember 2026), jadi pengingat dan eskalasi mengikuti ${deps.config.sla.actionDays} hari kerja sejak tindakan ini.`;
      return { kase: k, confirmation: `Permintaan Tindakan Perbaikan untuk ${k.number} dicatat: ${cmd.plan} (penanggung jawab ${cmd.owner}, tenggat ${due ?? '-'}).${unread}` };
    }
    case 'selesai': {
      if (k.status === 'received' || k.status === 'reopened') k = move(tx, k, 'in_review', actor, 'review_started', at, null);
      k = move(tx, k, 'awaiting_feedback', actor, 'result_sent', at, cmd.result, via ? data : undefined);
      const text = resultText(k.number, cmd.result);
      const sent = notifyCitizen(deps, tx, k, `result-${nextSeq(tx, k.id)}`, text, at);
      return { kase: k, confirmation: `Hasil untuk ${k.number} ${sent ? `dikirim ke pelapor lewat ${sent === 'mail' ? 'e-mail' : k.channel}` : 'dicatat (pelapor tidak dapat dihubungi; hasil tampil di halaman status)'}.` };
    }
  }
}

/** Whether the case was re-routed after its review began (the new division has not taken it up yet). */
function reroutedSinceReview(tx: Tx, k: CaseRow): boolean {
  const last = tx.select({ type: caseEvents.type }).from(caseEvents)
    .where(and(eq(caseEvents.caseId, k.id), inArray(caseEvents.type, ['review_started', 'rerouted']))).orderBy(desc(caseEvents.at), desc(caseEvents.id)).get();
  return last?.type === 'rerouted';
}

/** The result as the citizen receives it, with the PUAS / TIDAK PUAS question. */
const resultText = (number: string, result: string): string => `Hasil tindak lanjut aduan ${number}: ${result}\n${VERDICT_QUESTION}`;

/** "Berlaku juga untuk 2 laporan lain atas masalah yang sama: ADU-…" (at most 10 numbers). */
function sharedNote(shared: readonly CaseRow[]): string {
  if (shared.length === 0) return '';
  const shown = shared.slice(0, 10).map((c) => c.number).join(', ');
  return ` Berlaku juga untuk ${shared.length} laporan lain atas masalah yang sama (dikirim ke pelapornya masing-masing): ${shown}${shared.length > 10 ? ` dan ${shared.length - 10} lainnya` : ''}.`;
}

/**
 * Apply one staff command (from a reply mail, the CLI or the admin API) inside the caller's
 * transaction. Returns the confirmation text. Illegal transitions throw CASE.ILLEGAL_TRANSITION.
 */
export function applyStaffCommand(deps: LifecycleDeps, tx: Tx, kase: CaseRow, cmd: StaffCommand, actor: Actor, at: string): { kase: CaseRow; confirmation: string } {
  let k = kase;
  switch (cmd.kind) {
    case 'kaji':
    case 'tindakan':
    case 'selesai': {
      const done = applyProgress(deps, tx, k, cmd, actor, at);
      const shared = deps.config.dedupe.shareResults
        ? openChainReports(tx, done.kase, SHARED_FROM[cmd.kind]).map((c) => applyProgress(deps, tx, c, cmd, actor, at, done.kase).kase)
        : [];
      // what the citizen got, word for word: staff see whether a signature or a quote went with it
      const sentText = cmd.kind === 'selesai' ? `\n\nYang dikirim ke pelapor:\n${resultText(done.kase.number, cmd.result)}` : '';
      return { kase: done.kase, confirmation: `${done.confirmation}${sharedNote(shared)}${sentText}` };
    }
    case 'catatan':
      addEvent(tx, { caseId: k.id, at, actorType: actor.type, actor: actor.id, type: 'note', text: cmd.text });
      return { kase: k, confirmation: `Catatan untuk ${k.number} disimpan.` };
    case 'alihkan': {
      const target = divisionNamed(deps.config, cmd.division, '#alihkan');
      const from = k.divisionId;
      k = reroute(tx, k, target.id, actor, at);
      // not yet any division's (waiting to be settled, or not a complaint): only where it will go changes
      if (NOT_AT_A_DIVISION.has(k.status)) {
        // a desk notice still held (the citizen may still be writing) names the new destination when it goes
        const notice = k.status === 'triage' ? heldOutbox(tx, `${k.number}.triage`, at) : undefined;
        if (notice?.notBefore) renewDeskNotice(deps, tx, k, at, notice.notBefore);
        return { kase: k, confirmation: `${k.number} akan diteruskan ke ${target.name} bila dipilah sebagai aduan atau pertanyaan (status: ${stateLabel(k.status)}).` };
      }
      leaveDigest(tx, k);
      // (a case still 'received' — its first forward never arrived — is forwarded once this one is)
      forwardCase(deps, tx, k, at, `forward-${nextSeq(tx, k.id)}`, true);
      // additions waiting to be bundled for the old division: the new forward lists them
      const added = heldOutboxOfCase(tx, k.id, `${k.number}.added-`, at);
      if (added) skipHeldOutbox(tx, added.id, `re-routed to ${target.id}: listed in its forward`, at);
      const followers = followToDivision(tx, k, from, actor, at);
      const also = followers.length
        ? ` Bersama ${followers.length} laporan yang digabung dengannya (masuk ringkasan ${target.name}): ${followers.slice(0, 10).map((c) => c.number).join(', ')}${followers.length > 10 ? ', …' : ''}.`
        : '';
      return { kase: k, confirmation: `Aduan ${k.number} dialihkan ke ${target.name}.${also}` };
    }
    case 'pilah': {
      if (cmd.division !== undefined) k = reroute(tx, k, divisionNamed(deps.config, cmd.division, `${commandName(cmd)} <id divisi>`).id, actor, at);
      k = classifyCase(deps, tx, k, cmd.label, actor, at);
      const copies = settleCopies(deps, tx, k, cmd.label, actor, at);
      const to = division(deps.config, k.divisionId).name;
      return { kase: k, confirmation: `${k.number} dipilah sebagai ${KIND_LABEL[cmd.label]} (${stateLabel(k.status)})${k.status === 'received' ? ` dan diteruskan ke ${to}` : ''}.${copiesNote(copies)}` };
    }
    case 'bukan-berulang': {
      // "#bukan-berulang ADU-…": another report of this problem at the same division (a digest lists several)
      const named = /^([a-z]{2,8}-\d{4}-\d{6})\b[\s:,.-]*/i.exec(cmd.note);
      const number = named?.[1]!.toUpperCase();
      if (named && number !== k.number) {
        const other = getCaseByNumber(tx, number!);
        // the reports that share k's answer (a digest lists them): the copies of a report linked by problem are linked to it
        if (!other || answerGroupOf(other) !== answerGroupOf(k) || other.divisionId !== k.divisionId) {
          throw new AduanError('INPUT.INVALID', {
            field: 'command',
            detail: `${number} is not another report of ${k.number}'s problem at ${k.divisionId}`,
            staffText: `${number} bukan laporan lain atas masalah ${k.number} di divisi ini`,
          });
        }
        return applyStaffCommand(deps, tx, other, { kind: 'bukan-berulang', note: cmd.note.slice(named[0].length).trim() }, actor, at);
      }
      const root = k.relatedToCaseId === null ? undefined : getCaseById(tx, k.relatedToCaseId);
      if (!root) {
        const linked = chainReports(tx, k, 3);
        const numbers = `${linked.reports.map((r) => r.number).join(', ')}${linked.total > 3 ? ', …' : ''}`;
        const staffText = linked.total > 0
          ? `${k.number} adalah laporan awal; balas #bukan-berulang pada laporan yang salah dikaitkan (${numbers})`
          : `${k.number} tidak terkait dengan laporan lain`;
        const detail = linked.total > 0
          ? `${k.number} is the first report of its problem; unlink the report that does not belong (${numbers})`
          : `${k.number} is not linked to any other report`;
        throw new AduanError('INPUT.INVALID', { field: 'command', detail, staffText });
      }
      k = unlinkReport(tx, k, at);
      // it joined the problem's open report and its digest has not gone out: the division hears of it now
      if (leaveDigest(tx, k)) forwardAgain(deps, tx, k, at);
      const why = cmd.note ? `: ${cmd.note}` : '';
      addEvent(tx, { caseId: k.id, at, actorType: actor.type, actor: actor.id, type: 'recurring_unlinked', text: `Bukan laporan berulang dari ${root.number}${why}`, data: { from: root.number } });
      addEvent(tx, { caseId: root.id, at, actorType: actor.type, actor: actor.id, type: 'recurring_unlinked', text: `${k.number} bukan masalah yang sama: dipisahkan${why}`, data: { case: k.number } });
      return { kase: k, confirmation: `${k.number} dipisahkan dari laporan berulang ${root.number}: ditangani sendiri; jawaban pada ${root.number} tidak lagi berlaku untuk ${k.number}.` };
    }
    case 'berulang': {
      const root = k.relatedToCaseId === null ? undefined : getCaseById(tx, k.relatedToCaseId);
      if (!k.linkedByProblem || !root) {
        const staffText = root
          ? `${k.number} sudah dikaitkan dengan ${root.number} karena teksnya; jawaban bersama sudah berlaku`
          : `${k.number} tidak dikaitkan dengan laporan lain karena tempat dan masalah`;
        throw new AduanError('INPUT.INVALID', { field: 'command', detail: `${k.number} is not a report linked by problem`, staffText });
      }
      k = confirmProblemLink(tx, k, at);
      const why = cmd.note ? `: ${cmd.note}` : '';
      addEvent(tx, { caseId: k.id, at, actorType: actor.type, actor: actor.id, type: 'recurring_confirmed', text: `Masalah yang sama dengan ${root.number}${why}`, data: { with: root.number } });
      addEvent(tx, { caseId: root.id, at, actorType: actor.type, actor: actor.id, type: 'recurring_confirmed', text: `${k.number} masalah yang sama${why}`, data: { case: k.number } });
      return { kase: k, confirmation: `${k.number} dikonfirmasi sebagai masalah yang sama dengan ${root.number}: jawaban #kaji, #tindakan atau #selesai pada salah satunya kini berlaku juga untuk yang lain.` };
    }
    case 'bukan-aduan':
      k = move(tx, k, 'statement', actor, 'reclassified', at, cmd.note || 'Bukan aduan (pernyataan).');
      tx.update(cases).set({ kind: 'statement' }).where(eq(cases.id, k.id)).run();
      k = { ...k, kind: 'statement' };
      recordTextDecision(tx, k, at);
      return { kase: k, confirmation: `Aduan ${k.number} dicatat sebagai pernyataan, bukan aduan.${copiesNote(settleCopies(deps, tx, k, 'statement', actor, at))}` };
  }
}

/** The citizen's verdict on the result (SOP step 10). */
export function applyVerdict(deps: LifecycleDeps, tx: Tx, kase: CaseRow, verdict: 'satisfied' | 'unsatisfied', words: string, actor: Actor, at: string): CaseRow {
  if (verdict === 'satisfied') {
    const k = move(tx, kase, 'closed', actor, 'closed_satisfied', at, words.slice(0, 1000));
    notifyCitizen(deps, tx, k, `closed-${nextSeq(tx, k.id)}`, CITIZEN_TEXTS.closedSatisfied(k.number), at);
    return k;
  }
  let k = move(tx, kase, 'reopened', actor, 'reopened', at, words.slice(0, 4000));
  k = countReopening(tx, k);
  k = move(tx, k, 'in_review', { type: 'system', id: 'lifecycle' }, 'review_started', at, 'Dibuka kembali: pelapor belum puas.');
  const d = division(deps.config, k.divisionId);
  const seq = nextSeq(tx, k.id);
  notifyStaff(deps, tx, k, `reopened-${seq}`, inboxesOf(d), 'Dibuka kembali: pelapor belum puas',
    `Pelapor menyatakan belum puas atas hasil aduan ${k.number}. Kata pelapor:\n\n${words}\n\nMohon dikaji kembali sampai akar masalahnya (SOP langkah 7), lalu balas dengan #tindakan / #selesai.\n\n${commandHelp(deps.config)}`, at);
  notifyCitizen(deps, tx, k, `reopened-ack-${seq}`, CITIZEN_TEXTS.reopened(k.number, d.name), at);
  escalateReopenings(deps, tx, k, seq, at);
  return k;
}

function countReopening(tx: Tx, k: CaseRow): CaseRow {
  return tx.update(cases).set({ reopenCount: sql`${cases.reopenCount} + 1` }).where(eq(cases.id, k.id)).returning().get() ?? k;
}

/** After sla.maxReopens reopenings, the secretariat is told. */
function escalateReopenings(deps: LifecycleDeps, tx: Tx, k: CaseRow, seq: number, at: string): void {
  if (k.reopenCount <= deps.config.sla.maxReopens || !deps.config.escalation.address) return;
  notifyStaff(deps, tx, k, `escalated-${seq}`, [deps.config.escalation.address], `Eskalasi: dibuka kembali ${k.reopenCount} kali`,
    `Aduan ${k.number} (${division(deps.config, k.divisionId).name}) sudah dibuka kembali ${k.reopenCount} kali, melebihi batas ${deps.config.sla.maxReopens}. Mohon perhatian Sekretariat.`, at);
  addEvent(tx, { caseId: k.id, at, actorType: 'system', actor: 'lifecycle', type: 'escalated', text: `Dibuka kembali ${k.reopenCount} kali` });
}

/**
 * An officer reopens a case (the citizen phoned: not fixed): the division hears of it as of a TIDAK
 * PUAS, with the officer's note, and has sla.firstResponseDays to take it up again (#kaji).
 */
function officerReopened(deps: LifecycleDeps, tx: Tx, kase: CaseRow, note: string | null, officer: string, at: string): CaseRow {
  const k = countReopening(tx, kase);
  const d = division(deps.config, k.divisionId);
  const seq = nextSeq(tx, k.id);
  notifyStaff(deps, tx, k, `reopened-${seq}`, inboxesOf(d), 'Dibuka kembali oleh petugas',
    `Aduan ${k.number} dibuka kembali oleh petugas (${officer}).${note ? ` Catatan petugas:\n\n${note}` : ''}\n\n`
    + `Mohon dikaji kembali sampai akar masalahnya (SOP langkah 7): balas dengan #kaji dalam ${deps.config.sla.firstResponseDays} hari kerja, lalu #tindakan / #selesai.\n\n${commandHelp(deps.config)}`, at);
  escalateReopenings(deps, tx, k, seq, at);
  return k;
}

/** Officer tools (CLI / admin API): run a command on a case by number, in its own transaction. */
export function officerCommand(deps: LifecycleDeps & { db: Db }, number: string, cmd: StaffCommand, officer: string): { kase: CaseRow; confirmation: string } {
  return deps.db.transaction((tx) => {
    const kase = getCaseByNumber(tx, number);
    if (!kase) throw new AduanError('CASE.NOT_FOUND', { number });
    return applyStaffCommand(deps, tx, kase, cmd, { type: 'officer', id: officer }, new Date().toISOString());
  }, { behavior: 'immediate' });
}

/** Officer: set a status directly (with the transition rules), e.g. settle triage or archive. */
export function officerSetStatus(deps: LifecycleDeps & { db: Db }, number: string, to: string, note: string | null, officer: string): CaseRow {
  return deps.db.transaction((tx) => {
    const kase = getCaseByNumber(tx, number);
    if (!kase) throw new AduanError('CASE.NOT_FOUND', { number });
    // a case awaits the verdict on a result its citizen was sent, with the PUAS / TIDAK PUAS question:
    // a bare status would ask nothing, and no answer would ever close it
    if (to === 'awaiting_feedback') {
      throw new AduanError('INPUT.INVALID', {
        field: 'status',
        detail: `${to} is reached by sending the result to the citizen, with the PUAS / TIDAK PUAS question: `
          + `reply #selesai <hasil> to the case's forward, run \`aduan cases resolve ${kase.number} --message <hasil>\`, `
          + `or POST /admin/cases/${kase.number}/commands {"command": "selesai", "result": "<hasil>"}`,
      });
    }
    const at = new Date().toISOString();
    const k = move(tx, kase, to, { type: 'officer', id: officer }, 'status_set', at, note);
    if (to === 'reopened') return officerReopened(deps, tx, k, note, officer, at);
    return to === 'received' ? forwardReceived(deps, tx, k, at) : k;
  }, { behavior: 'immediate' });
}

type Label = 'complaint' | 'statement' | 'question' | 'spam';

const statusFor = (label: Label): 'spam' | 'statement' | 'received' => (label === 'spam' ? 'spam' : label === 'statement' ? 'statement' : 'received');

/**
 * Settle a triage case, or correct a label: a complaint or question is forwarded as usual, a
 * statement or spam recorded. Always an event with the actor, also when the status stays. With
 * `copyOf`, the case is another sender's copy of that case's text, settled with it: same label and
 * division, event `classified_as_copy` (not `classified`: the corpus export and the report count a
 * person's decision once; no `rerouted` either, which would count as a person's own choice).
 */
function classifyCase(deps: LifecycleDeps, tx: Tx, kase: CaseRow, label: Label, actor: Actor, at: string, copyOf?: CaseRow, copyHow = 'teks sama dengan'): CaseRow {
  const divisionId = copyOf?.divisionId ?? kase.divisionId;
  tx.update(cases).set({ kind: label, divisionId, updatedAt: at }).where(eq(cases.id, kase.id)).run();
  const to = statusFor(label);
  const moved = divisionId === kase.divisionId ? '' : `, tujuan ${kase.divisionId} → ${divisionId}`;
  const text = `Dipilah petugas: ${KIND_LABEL[label]}${copyOf ? ` (${copyHow} ${copyOf.number}${moved})` : ''}`;
  const type = copyOf ? 'classified_as_copy' : 'classified';
  const data = { label, from: kase.kind, ...(copyOf ? { copyOf: copyOf.number, division: divisionId } : {}) };
  if (!copyOf) recordTextDecision(tx, kase, at);
  if (kase.status === to) {
    // the label changes, the status does not (e.g. a received question called a complaint): still on the record
    addEvent(tx, { caseId: kase.id, at, actorType: actor.type, actor: actor.id, type, text, data });
    const k = { ...kase, kind: label, divisionId, updatedAt: at };
    // its forward still held (intake: the citizen may still be writing): a person decided, it goes now, as decided
    if (to === 'received' && !copyOf && heldOutbox(tx, `${k.number}.forward`, at)) {
      const mail = caseForwardMail(deps, tx, k, at);
      if (mail) rewriteHeldOutbox(tx, `${k.number}.forward`, mail, null, at);
    }
    return k;
  }
  let k = move(tx, { ...kase, kind: label, divisionId }, to, actor, type, at, text, data);
  if (to === 'received') k = forwardReceived(deps, tx, k, at);
  // spam was never answered: a message rescued from spam now gets the acknowledgement with its number
  if (kase.status === 'spam') {
    notifyCitizen(deps, tx, k, `ack-${nextSeq(tx, k.id)}`, shortAckText(deps.config, k, to === 'statement' ? 'ackStatementShort' : 'ackShort', k.channel), at);
  }
  // a statement was only thanked: the citizen hears that it now goes to a division after all
  if (kase.status === 'statement' && to === 'received') {
    notifyCitizen(deps, tx, k, `reclassified-${nextSeq(tx, k.id)}`, CITIZEN_TEXTS.reclassified(k.number, KIND_LABEL[label] ?? label, division(deps.config, k.divisionId).name), at);
  }
  return k;
}

/**
 * A person decides a text once; other senders' copies of it follow the decision:
 * - copies still waiting in triage in its report chain, whatever the label: the desk does not decide
 *   the same text once per sender;
 * - when it is a complaint or question: copies the classifier alone settled as a statement or spam
 *   within dedupe.recurringWindowDays (not repeat targets, so never linked). They would otherwise
 *   never reach a division. They are linked to the decided case's report chain and forwarded as
 *   its recurring reports; a spam copy's sender now gets the acknowledgement.
 * A copy a person labelled on its own keeps that label; a copy settled with an earlier decision
 * follows this one.
 */
function settleCopies(deps: LifecycleDeps, tx: Tx, decided: CaseRow, label: Label, actor: Actor, at: string): CaseRow[] {
  const waiting = waitingCopiesOf(tx, decided);
  const w = deps.config.dedupe.recurringWindowDays * 86_400_000;
  const created = Date.parse(decided.createdAt);
  const settledAlone = label === 'complaint' || label === 'question'
    ? sameTextCases(tx, decided, ['statement', 'spam'], { chainOnly: false, since: new Date(created - w).toISOString(), until: new Date(created + w).toISOString() })
      .filter((c) => tx.select({ id: caseEvents.id }).from(caseEvents).where(and(eq(caseEvents.caseId, c.id), inArray(caseEvents.type, PERSON_LABEL_EVENTS))).get() === undefined)
    : [];
  const root = decided.relatedToCaseId ?? decided.id;
  // the same words about another place (km, RT/RW, alley): the label follows, the report chain does not
  const here = placeNumbers(decided.summary);
  for (const c of settledAlone) {
    if (placesConflict(here, placeNumbers(c.summary))) continue;
    if (c.relatedToCaseId !== null || c.id === root) continue;
    tx.update(cases).set({ relatedToCaseId: root }).where(eq(cases.id, c.id)).run();
    c.relatedToCaseId = root;
    bumpReportCount(tx, root, at);
    addEvent(tx, { caseId: root, at, actorType: 'system', actor: 'lifecycle', type: 'recurring_reported', text: `Dilaporkan juga oleh pelapor lain: ${c.number} (teks sama).` });
  }
  const settled = [...waiting, ...settledAlone].sort((a, b) => a.id - b.id).map((c) => classifyCase(deps, tx, c, label, actor, at, decided));
  // a report that joined it (no forward of its own, its text at least dedupe.joinSimilarity the same) is
  // no complaint either: the division never had it on its own to say so
  const joined = label === 'statement' || label === 'spam'
    ? joinedReports(tx, decided, decided.divisionId).map((c) => {
      leaveDigest(tx, c);
      return classifyCase(deps, tx, c, label, actor, at, decided, 'digabung dengan');
    })
    : [];
  return [...settled, ...joined];
}

function copiesNote(copies: readonly CaseRow[]): string {
  if (copies.length === 0) return '';
  const shown = copies.slice(0, 10).map((c) => c.number).join(', ');
  return ` Salinan teks yang sama dari pelapor lain ikut dipilah: ${shown}${copies.length > 10 ? ` dan ${copies.length - 10} lainnya` : ''}.`;
}

/**
 * Officer settles a triage case (CLI / admin API): complaint → forwarded as usual (to `divisionId`
 * when given, instead of the guessed division); statement/spam recorded. `copies`: the numbers of the
 * same text's other waiting cases, settled with it.
 */
export function officerClassify(deps: LifecycleDeps & { db: Db }, number: string, label: Label, officer: string, divisionId?: string): CaseRow & { copies: string[] } {
  return deps.db.transaction((tx) => {
    let kase = getCaseByNumber(tx, number);
    if (!kase) throw new AduanError('CASE.NOT_FOUND', { number });
    const actor: Actor = { type: 'officer', id: officer };
    const at = new Date().toISOString();
    if (divisionId !== undefined) kase = reroute(tx, kase, divisionNamed(deps.config, divisionId, 'division').id, actor, at);
    const k = classifyCase(deps, tx, kase, label, actor, at);
    return { ...k, copies: settleCopies(deps, tx, k, label, actor, at).map((c) => c.number) };
  }, { behavior: 'immediate' });
}

function divisionNamed(config: Readonly<AduanConfig>, id: string, field: string) {
  const d = config.divisions.find((x) => x.id === id);
  const known = config.divisions.map((x) => x.id).join(', ');
  // staffText: what a staff member who typed it reads in the reply (Indonesian)
  if (!d) throw new AduanError('INPUT.INVALID', { field, detail: `unknown division ${id}; known: ${known}`, staffText: `divisi "${id}" tidak dikenal; pilihan: ${known}` });
  return d;
}

/** A new destination division for a case, on the record (`rerouted`); nothing is sent. */
function reroute(tx: Tx, k: CaseRow, to: string, actor: Actor, at: string, with_?: string): CaseRow {
  if (k.divisionId === to) return k;
  const updated = tx.update(cases).set({ divisionId: to, updatedAt: at }).where(eq(cases.id, k.id)).returning().get() ?? { ...k, divisionId: to };
  addEvent(tx, { caseId: k.id, at, actorType: actor.type, actor: actor.id, type: 'rerouted', text: `Dialihkan dari ${k.divisionId} ke ${to}${with_ ? ` bersama ${with_}` : ''}`, data: { from: k.divisionId, to, ...(with_ ? { sharedFrom: with_ } : {}) } });
  return updated;
}
