import type { AduanConfig, DivisionConfig } from './config/schema.ts';
import type { Db } from './db/client.ts';
import { CHAT_CHANNELS, chatContentDigest, contentDigestOf, DEFAULT_REPEAT_WINDOW_SECONDS, ingestId as sourceIngestId, repeatBody, reusedIdKey, sameUndigestedWebReport, type InboundMessage } from './message.ts';
import { outboundQueueName, QUEUES } from './queue.ts';
import { citizenOnCase, resolveContact, type Contact, type Tx } from './repo/contacts.repo.ts';
import { addEvent, answerGroupOf, bumpReportCount, closedAt, contactHasCaseNotOfKind, getCaseById, getCaseByNumber, insertCase, latestCaseOfContact, linkToReport, REPORT_COMPLETED, newestDivisionCaseWithText, toldOthersReported, nextCaseNumber, personLabelledText, recurrenceOf, repeatRecord, setCaseSummary, waitingCopiesOf, yearIn, type CaseRow } from './repo/cases.repo.ts';
import { findMessageBySource, insertMessage, lastMessageAt, latestMessagesOf, type MessageRow } from './repo/messages.repo.ts';
import { mailContentDigest } from './mail/digest.ts';
import { Storage } from './storage.ts';
import { heldOutbox, insertOutbox, outboxWrittenSince } from './repo/outbox.repo.ts';
import { caseNumberFromMessageId, composeAckMail, composeCaselessMail, composeForward, formatTime, KIND_LABEL, sameProblemText } from './mail/compose.ts';
import { notifyCitizen, notifyDesk, tellOfBouncedOwnMail, tellOfBouncedStaffMail, type BounceFacts } from './lifecycle/notify.ts';
import { CITIZEN_TEXTS, render } from './templates.ts';
import { shortAckText } from './status-link.ts';
import { OPENER_FEATURE, type Understander, type Understanding } from './understand.ts';
import { placeNumbers, placesConflict } from './places.ts';
import { namedCaseNumber, withoutCaseNumbers } from './case-number.ts';
import { ACKNOWLEDGEMENT, OPENER, THANKS } from './understanding/lexicon.ts';
import { tokenize } from './understanding/normalize.ts';
import { handleReply, lateUnsatisfied, onlyAcknowledges, roleOf, takeLateUnsatisfied, tellDivision, type LateUnsatisfied, type ReplyRole } from './lifecycle/replies.ts';
import { isClearVerdict } from './lifecycle/commands.ts';
import { withoutOurTexts } from './lifecycle/quoted.ts';
import { caseAbout, lacksAnotherService, namesAnotherSubject, readVerdict, servicesLacking, STILL, type CaseAbout, type VerdictReading } from './lifecycle/own-problem.ts';
import { namesProblem, onlyWhoAndWhere, placesDiffer, problemSignature, saysOnlyWhoAndWhere } from './understanding/problem.ts';
import { applyVerdict, completeHeldReport, completeHeldTriage, joinOpenReport } from './lifecycle/service.ts';
import { CASE_STATES, HANDLING_OVER, NOT_AT_A_DIVISION } from './lifecycle/states.ts';

export interface IntakeDeps {
  db: Db;
  config: AduanConfig;
  understander: Understander;
  /** Channel ids that send replies themselves (they consume outbound-<id>). */
  outboundChannels: ReadonlySet<string>;
  now?: () => Date;
}

export interface IntakeResult {
  ingestId: string;
  /** 'unmatched': a question about a case the sender has none of, answered neutrally, on no case (unmatchedQuestion). */
  relation: 'new' | 'duplicate' | 'recurring' | 'reply' | 'ignored' | 'unmatched';
  caseNumber: string | null;
  /** False when this message was already recorded (a replay): nothing was written. */
  created: boolean;
  /** Something the operator must correct, for the log (a mail of ours refused: a wrong address in the config). */
  warning?: string;
  /**
   * The message's source id (an e-mail's Message-ID) was recorded already for another message (its
   * ingestId): 'recorded' — this one's content differs, it was recorded as a message of its own (under
   * reusedIdKey); 'uncompared' — the content of the one recorded before could not be read (its stored
   * original is gone), so this one was taken as its redelivery and not recorded.
   */
  idReused?: { as: 'recorded' | 'uncompared'; firstIngestId: string; firstCaseNumber: string | null };
}

/** Payload of a reply on the citizen's own channel (outbound-<connectorId> queue). */
export interface ChannelReply {
  outboxId: string;
  caseNumber: string | null;
  to: InboundMessage['sender'];
  text: string;
  /** The citizen message this answers (Telegram reply_to, SMS thread). */
  inReplyTo?: { externalId: string; meta: Record<string, unknown> };
  /**
   * How the channel itself is to send it, set only by that channel on a fallback it wrote
   * (ConnectorContext.replyFailed): e.g. Twilio's approved WhatsApp template, or SMS instead of WhatsApp.
   */
  channelMeta?: Record<string, unknown>;
  /**
   * A reply that says what holds at one moment (a bot command's answer: "/status") is not sent after this
   * time (ISO): the outbound worker marks it skipped instead, and the citizen asks again.
   */
  staleAfter?: string;
}

/**
 * SOP steps 2–5 for one inbound message, in one SQLite transaction: record the message, resolve
 * the contact, attach replies and repeats to their case or open a new case, and write the outgoing
 * work (forward, acknowledgement) to the outbox. Replaying the same message is a no-op.
 */
export function recordInbound(deps: IntakeDeps, input: InboundMessage, jobId: string): IntakeResult {
  const now = (deps.now ?? (() => new Date()))();
  const iso = now.toISOString();
  let reused: IntakeResult['idReused'];
  const result = deps.db.transaction((tx): IntakeResult => {
    const source = sourceOf(deps, tx, input);
    if ('replay' in source) {
      const existing = source.replay;
      const caseNumber = caseNumberOf(tx, existing);
      return { ingestId: existing.ingestId, relation: existing.relation as IntakeResult['relation'], caseNumber, created: false,
        ...(source.uncompared ? { idReused: { as: 'uncompared' as const, firstIngestId: existing.ingestId, firstCaseNumber: caseNumber } } : {}) };
    }
    const received = source.message;
    // (under a reused id, the id of its own key — as the job's id is, jobIdOf —, never the first one's)
    const ingestId = source.reusedOf ? sourceIngestId(received.connectorId, received.externalId) : jobId;
    if (source.reusedOf) reused = { as: 'recorded', firstIngestId: source.reusedOf.ingestId, firstCaseNumber: caseNumberOf(tx, source.reusedOf) };
    const contact = resolveContact(tx, received.sender, iso, received.channel);

    // (read without what it quotes of our own messages to the contact; stored as it came: asReceived)
    const message = readable(tx, received, contact);
    const ignoreReason = typeof message.meta['autoSubmitted'] === 'string' ? (message.meta['autoSubmitted'] as string) : message.meta['honeypot'] === true ? 'honeypot' : undefined;
    if (ignoreReason !== undefined) {
      const related = threadCase(deps.config, tx, message);
      insertMessage(tx, { ingestId, message: asReceived(message), contactId: contact.id, caseId: related?.id ?? null, relation: 'ignored', recordedAt: iso, label: ignoreReason === 'honeypot' ? 'spam' : null });
      if (related) addEvent(tx, { caseId: related.id, at: iso, actorType: 'system', actor: 'intake', type: 'auto_message', text: `Pesan otomatis diterima (${ignoreReason}), tidak dibalas.` });
      // a division's inbox refused our forward: nobody has the report
      if (related && ignoreReason === 'bounce' && typeof message.meta['bounce'] === 'object') tellOfBouncedStaffMail(deps, tx, related, message.meta['bounce'] as object, iso);
      // the monthly report or a channel alert refused: a wrong report.mailTo or escalation.address
      const warning = !related && ignoreReason === 'bounce' && typeof message.meta['bounce'] === 'object' ? tellOfBouncedOwnMail(deps, tx, message.meta['bounce'] as BounceFacts, iso) : undefined;
      return { ingestId, relation: 'ignored', caseNumber: related?.number ?? null, created: true, ...(warning ? { warning } : {}) };
    }

    const found = findReplyCase(deps, tx, message, contact, now);
    // a citizen's new report written on an answered case (in its thread, naming its number) is a new case
    // (a TIDAK PUAS on a case closed for no answer reopens it, as it would have while the verdict was awaited);
    // a verdict said with it is still the answered case's (settleAnswered)
    const onAnswered = found?.role === 'citizen' ? readAnswered(deps, tx, found.kase, message, iso) : undefined;
    const reply = found && !onAnswered?.newReport ? found : undefined;
    if (reply) {
      insertMessage(tx, { ingestId, message: asReceived(message), contactId: contact.id, caseId: reply.kase.id, relation: 'reply', recordedAt: iso });
      handleReply(deps, tx, reply.kase, reply.role, message, contact, iso);
      // the rest of a report that waits for it, sent with its number or as a reply to our acknowledgement
      if (reply.role === 'citizen' && heldOutbox(tx, heldIdOf(reply.kase), iso)) {
        completeFragment(deps, tx, reply.kase, message, contact, deps.understander.understand(tx, message, contact, now, reply.kase.id), now, iso);
      }
      return { ingestId, relation: 'reply', caseNumber: reply.kase.number, created: true };
    }

    // "status ADU-2026-000099" (a typo, another person's number) or "gimana laporan saya?" from a phone, an
    // address or a web submitter with no case: neither a report nor anything a division can answer
    const unmatched = found ? undefined : unmatchedQuestion(deps, tx, message);
    if (unmatched) {
      insertMessage(tx, { ingestId, message: asReceived(message), contactId: contact.id, caseId: null, relation: 'unmatched', recordedAt: iso });
      answerUnmatched(deps, tx, message, contact, ingestId, unmatched, iso);
      return { ingestId, relation: 'unmatched', caseNumber: null, created: true };
    }
    const recorded = recordReport(deps, tx, message, contact, ingestId, now, iso);
    if (found && onAnswered) settleAnswered(deps, tx, found.kase, onAnswered, message, contact, recorded.caseNumber, iso);
    return recorded;
  }, { behavior: 'immediate' });
  return reused && result.created ? { ...result, idReused: reused } : result;
}

/** The messages as received that were read without what they quote of ours (readable): their text is stored as it came. */
const AS_RECEIVED = new WeakMap<InboundMessage, InboundMessage>();
const asReceived = (message: InboundMessage): InboundMessage => AS_RECEIVED.get(message) ?? message;
/** The one case whose text of ours a message read without it quoted (readable). */
const QUOTED_CASE = new WeakMap<InboundMessage, number>();

/**
 * An SMS or chat message as intake reads it: without what it copies of our own messages to the contact
 * (a phone's quote of our result, then "Puas"; our acknowledgement pasted above a new problem —
 * quoted.ts withoutOurTexts), so that it is read, and passed on, as if written without it.
 */
function readable(tx: Tx, message: InboundMessage, contact: Contact): InboundMessage {
  if (!CHAT_CHANNELS.has(message.channel)) return message;
  const own = withoutOurTexts(tx, contact.id, message.text);
  if (own === undefined) return message;
  const read = { ...message, text: own.text };
  AS_RECEIVED.set(read, message);
  if (own.caseIds.length === 1) QUOTED_CASE.set(read, own.caseIds[0]!);
  return read;
}

/**
 * A message that is no reply on a case (SOP steps 3–5): thanks for a result, the rest of a report, a
 * repeat, or a new case, acknowledged and forwarded.
 */
function recordReport(deps: IntakeDeps, tx: Tx, message: InboundMessage, contact: Contact, ingestId: string, now: Date, iso: string): IntakeResult {
  // a text that says only who and where ("Pak, di jl. Kenari gang 3") repeats no report (below), and
  // follows no person's decision on another sender's copy: that decision was about what came after it,
  // as a decision on a text is not about another sender's photo
  const understood = deps.understander.understand(tx, message, contact, now);
  const whoAndWhere = saysOnlyWhoAndWhere(withSubject(message), understood.features);
  const { u, followed } = whoAndWhere || message.attachments.length > 0 ? { u: understood, followed: undefined } : followPerson(deps, tx, understood, contact, message.text, now);
  const thanked = thanksForResult(deps, tx, message, contact, u, now);
  if (thanked) {
    // recorded on the case it thanks for; an answer would only draw another thanks
    insertMessage(tx, { ingestId, message: asReceived(message), contactId: contact.id, caseId: thanked.id, relation: 'reply', recordedAt: iso, ...decision(u) });
    addEvent(tx, { caseId: thanked.id, at: iso, actorType: 'citizen', actor: contactLabel(contact), type: 'citizen_reply', text: message.text.slice(0, 4000) });
    return { ingestId, relation: 'reply', caseNumber: thanked.number, created: true };
  }
  const continued = continuedReport(deps, tx, message, contact, u, now);
  if (continued) {
    insertMessage(tx, { ingestId, message: asReceived(message), contactId: contact.id, caseId: continued.id, relation: 'reply', recordedAt: iso });
    handleReply(deps, tx, continued, 'citizen', message, contact, iso);
    completeFragment(deps, tx, continued, message, contact, u, now, iso);
    return { ingestId, relation: 'reply', caseNumber: continued.number, created: true };
  }
  if (u.repeat.relation === 'duplicate') {
    const kase = getCaseById(tx, u.repeat.caseId);
    if (kase) {
      const panic = panicRepeatOf(deps, tx, kase, contact, message);
      insertMessage(tx, { ingestId, message: asReceived(message), contactId: contact.id, caseId: kase.id, relation: 'duplicate', recordedAt: iso, ...decision(u) });
      addEvent(tx, { caseId: kase.id, at: iso, actorType: 'citizen', actor: contactLabel(contact), type: 'duplicate_received', text: panic
        ? `Pesan yang sama dikirim ulang pelapor ${Math.round(Math.abs(Date.parse(message.receivedAt) - Date.parse(panic.receivedAt)) / 1000)} detik kemudian; tidak dibalas lagi.`
        : `Pesan berulang dari pelapor yang sama (${u.repeat.sameProblem ? sameProblemText(u.repeat.sameProblem) : `kemiripan ${u.repeat.similarity.toFixed(2)}`}).` });
      // the same words again, now with a photo: the photo is news for the division working on it
      if (message.attachments.length > 0) tellDivision(deps, tx, kase, message, contactLabel(contact), iso);
      if (!panic) writeAck(deps, tx, kase, contact, message, ingestId, 'ackDuplicateShort', iso);
      return { ingestId, relation: 'duplicate', caseNumber: kase.number, created: true };
    }
  }

  // the same place alone is not the same problem (its own report names the problem, then is looked up again)
  const candidate = u.repeat.relation === 'recurring' && !whoAndWhere ? getCaseById(tx, u.repeat.caseId) : undefined;
  // (nor is a report whose words so far say only who and where, waiting for its problem, repeated by any)
  const related = candidate && !onlyWhoAndWhere(candidate.subject ? `${candidate.subject} ${candidate.summary}` : candidate.summary) ? candidate : undefined;
  // the citizen's own earlier report (closed, or older than dedupe.windowDays): not "reported by others too"
  const ownReport = related?.contactId === contact.id;
  // how close its words are to the report it repeats (as recorded: two decimals)
  const similarity = related && u.repeat.relation === 'recurring' ? Math.round(u.repeat.similarity * 100) / 100 : undefined;
  // a copy of a report linked by problem is linked to that report, whose answer it shares (answerGroupOf)
  const rootId = related ? answerGroupOf(related) : null;
  // another report of a problem a division already has goes to that division (a person may have
  // re-routed it), not wherever its words alone point: one problem, one desk, one answer
  const routedWith = related && !NOT_AT_A_DIVISION.has(related.status) && related.divisionId !== u.divisionId ? related : undefined;
  const division = divisionById(deps.config, routedWith?.divisionId ?? u.divisionId);
  const { status, why, triage } = initialStatus(deps.config, tx, u, contact, ingestId, followed);
  const kase = insertCase(tx, {
    number: nextCaseNumber(tx, deps.config.instance.casePrefix, yearIn(now, deps.config.instance.timezone)),
    status, kind: u.kind, divisionId: division.id, contactId: contact.id, channel: message.channel, connectorId: message.connectorId,
    subject: message.subject ?? null, summary: message.text.slice(0, 4000), relatedToCaseId: rootId, now: iso,
    // linked by problem, not by text: answered on its own
    linkedByProblem: related !== undefined && u.repeat.relation === 'recurring' && u.repeat.sameProblem !== undefined,
  });
  insertMessage(tx, { ingestId, message: asReceived(message), contactId: contact.id, caseId: kase.id, relation: related ? 'recurring' : 'new', recordedAt: iso, ...decision(u) });
  addEvent(tx, { caseId: kase.id, at: iso, actorType: 'citizen', actor: contactLabel(contact), type: 'received', toStatus: status,
    text: `Diterima lewat ${message.channel} (${message.connectorId}).${why ? ` Perlu dipilah petugas: ${why}.` : ''}`
      + (followed ? ` Teks sama dengan ${followed.number} yang dipilah petugas sebagai ${KIND_LABEL[followed.kind] ?? followed.kind}: mengikuti pemilahan itu.` : '')
      + (routedWith ? ` Masalah yang sama dengan ${routedWith.number}: diteruskan ke ${division.name} seperti laporan itu (tebakan: ${u.divisionId}).` : ''),
    data: { label: u.kind, confidence: u.confidence, features: u.features, division: division.id, ...(triage ? { triage, why } : {}), ...(routedWith ? { routedWith: routedWith.number, guessedDivision: u.divisionId } : {}),
      // which report it repeats, and how close the texts are: staff judge a link by it (forward, digest)
      ...(related && similarity !== undefined ? { repeatOf: related.number, similarity, ...(u.repeat.relation === 'recurring' && u.repeat.sameProblem ? { sameProblem: u.repeat.sameProblem } : {}) } : {}) } });
  deps.understander.remember(tx, kase, message, u, now);

  if (rootId !== null) {
    bumpReportCount(tx, rootId, iso);
    addEvent(tx, { caseId: rootId, at: iso, actorType: 'system', actor: 'intake', type: 'recurring_reported', text: `Dilaporkan lagi oleh pelapor lain: ${kase.number}.` });
  }

  if (status === 'triage') {
    // another sender's copy of a text already waiting in triage: settled with it, so the desk gets no second notice
    const waiting = waitingCopiesOf(tx, kase, 1)[0];
    if (waiting) addEvent(tx, { caseId: kase.id, at: iso, actorType: 'system', actor: 'intake', type: 'note', text: `Teks sama dengan ${waiting.number} yang menunggu dipilah: dipilah bersama kasus itu.` });
    else {
      // a fragment ("Malam pak, ini di daerah Jetis"): the desk hears of it once the citizen has had time to write the rest
      const hold = !related && holdsDeskNotice(deps, message, u, whoAndWhere) ? heldUntil(deps, kase, now) : undefined;
      notifyDesk(deps, tx, kase, why ?? '', message.attachments, iso, hold);
      if (hold) {
        addEvent(tx, { caseId: kase.id, at: iso, actorType: 'system', actor: 'intake', type: 'note',
          text: `Pesan ini belum menyebut masalahnya: petugas pemilah diberi tahu paling lambat ${formatTime(hold, deps.config.instance.timezone)}; bila pelapor melengkapinya dengan aduan yang jelas, diteruskan tanpa pemilahan (dedupe.continuationMinutes).`, data: { heldUntil: hold } });
      }
    }
  }
  if (status === 'received' && !joinOpenReport(deps, tx, kase, iso, similarity)) {
    const hold = !related && holdsForward(deps, message, u, whoAndWhere) ? heldUntil(deps, kase, now) : undefined;
    // (a held one goes as it is only when nothing follows): words that say only who and where ask the division to find out the problem
    const mail = composeForward({ config: deps.config, division, kase, contact, message, recurrence: recurrenceOf(tx, kase), repeat: repeatRecord(tx, kase.id),
      incomplete: whoAndWhere, at: hold ?? iso });
    insertOutbox(tx, { id: `${kase.number}.forward`, caseId: kase.id, kind: 'mail', queue: QUEUES.mail, payload: mail, now: iso, ...(hold ? { notBefore: hold } : {}) });
    if (hold) {
      addEvent(tx, { caseId: kase.id, at: iso, actorType: 'system', actor: 'intake', type: 'note',
        text: `Pesan ini belum menyebut masalahnya: diteruskan ke ${division.name} paling lambat ${formatTime(hold, deps.config.instance.timezone)}; lebih cepat, dan ke komisi/bagian yang sesuai, bila pelapor melengkapinya (dedupe.continuationMinutes).`, data: { heldUntil: hold } });
    }
  }
  if (status !== 'spam') {
    // a report that says only who and where (waiting for the rest or not) asks the citizen for it
    const short = status === 'statement' ? (u.features.includes(OPENER_FEATURE) ? 'ackOpenerShort' : 'ackStatementShort')
      : status === 'received' && toldOthersReported(kase, ownReport) ? 'ackRecurringShort' : whoAndWhere ? 'ackHeldShort' : 'ackShort';
    writeAck(deps, tx, kase, contact, message, ingestId, short, iso, ownReport);
  }
  return { ingestId, relation: related ? 'recurring' : 'new', caseNumber: kase.number, created: true };
}

const caseNumberOf = (tx: Tx, row: MessageRow): string | null => (row.caseId === null ? null : getCaseById(tx, row.caseId)?.number ?? null);

/**
 * Whether a message is one already recorded (`replay`: a provider's retry, a mailbox rescanned), or what
 * to record it as. A message carrying a content digest (contentDigestOf: e-mail) whose source id was
 * recorded for a message of other content — a mailer that gives every mail one Message-ID — is another
 * message: recorded under reusedIdKey (a redelivery of it is found there), `reusedOf` the first one. The
 * digest of a message recorded before digests were kept is computed from its stored original (a web
 * API message's: compared by what it says, sameUndigestedWebReport); when that is gone, the message is
 * taken as its redelivery (`uncompared`), as before: never a second case.
 */
function sourceOf(deps: IntakeDeps, tx: Tx, message: InboundMessage): { replay: MessageRow; uncompared?: boolean } | { message: InboundMessage; reusedOf?: MessageRow } {
  const existing = findMessageBySource(tx, message.connectorId, message.externalId);
  if (!existing) return { message };
  const digest = contentDigestOf(message);
  if (digest === undefined) return { replay: existing };
  const recorded = recordedDigest(deps, existing);
  // (a web message recorded before digests were kept has no original to compute one from: what it says
  // tells the website's retry from another report under its key — an expected case, no warning)
  const same = recorded !== undefined ? recorded === digest : existing.channel === 'web' ? sameUndigestedWebReport(existing, message) : undefined;
  if (same === undefined) return { replay: existing, uncompared: true };
  if (same) return { replay: existing };
  const externalId = reusedIdKey(message.externalId, digest);
  const again = findMessageBySource(tx, message.connectorId, externalId);
  return again ? { replay: again } : { message: { ...message, externalId }, reusedOf: existing };
}

/** The content digest of a recorded message: kept in its meta, or (recorded before it was) that of its stored raw mail. */
function recordedDigest(deps: IntakeDeps, row: MessageRow): string | undefined {
  const kept = contentDigestOf({ meta: (row.meta ?? {}) as Record<string, unknown> });
  if (kept === undefined && row.channel === 'telegram') return chatContentDigest(row.receivedAt, row.text);
  if (kept !== undefined || row.channel !== 'email' || row.rawRef === null) return kept;
  try {
    return mailContentDigest(new Storage(deps.config.storage.dir).get(row.rawRef));
  } catch {
    return undefined;
  }
}

/**
 * Where a new case starts (SOP step 3). Below the configured confidence a human decides, whatever
 * the guess: a statement is not forwarded and spam is not even answered, so an unsure guess must
 * not settle that alone — nor a confident statement or spam guess that may still be a complaint
 * (classifier.complaintDoubtAbove). Spam from a contact who has written to us before about something that was
 * not spam goes to triage too: a citizen's follow-up is never dropped unseen.
 */
function initialStatus(config: AduanConfig, tx: Tx, u: Understanding, contact: Contact, ingestId: string, followed?: CaseRow): {
  status: 'received' | 'triage' | 'statement' | 'spam'; why?: string; triage?: 'unsure' | 'maybe-complaint' | 'known-sender' | 'audit';
} {
  const guess = `tebakan ${KIND_LABEL[u.kind] ?? u.kind}`;
  if (u.triage && u.triageReason === 'maybe-complaint') {
    return { status: 'triage', triage: 'maybe-complaint', why: `${guess}, keyakinan ${u.confidence.toFixed(2)}, tetapi peluang aduan ${(u.complaintProbability ?? 0).toFixed(2)} (classifier.complaintDoubtAbove ${config.classifier.complaintDoubtAbove})` };
  }
  if (u.triage) return { status: 'triage', triage: 'unsure', why: `${guess}, keyakinan ${u.confidence.toFixed(2)} di bawah ${config.classifier.triageBelow}` };
  if (u.kind === 'spam' && contactHasCaseNotOfKind(tx, contact.id, 'spam')) {
    return { status: 'triage', triage: 'known-sender', why: `${guess}, tetapi pengirim pernah mengirim pesan yang bukan spam` };
  }
  // (the audit sample checks the classifier: a label that follows a person's needs no check)
  if (!followed && (u.kind === 'spam' || u.kind === 'statement') && auditSample(ingestId) < config.classifier.auditShare) {
    return { status: 'triage', triage: 'audit', why: `${guess}, keyakinan ${u.confidence.toFixed(2)}; sampel pemeriksaan (classifier.auditShare)` };
  }
  return { status: u.kind === 'spam' ? 'spam' : u.kind === 'statement' ? 'statement' : 'received' };
}

/**
 * A person decides a text once. When a person labelled a case opened by this exact text (within
 * dedupe.recurringWindowDays), a new copy follows that label and division instead of the guess:
 * another sender's copy of a complaint is its recurring report (the same sender's, a duplicate),
 * and nobody is asked again about a text already decided. The one exception: a label that would
 * settle without a person what the classifier confidently calls a complaint or question is not
 * followed (missing a complaint is the worst error), and the guess stands.
 */
function followPerson(deps: IntakeDeps, tx: Tx, u: Understanding, contact: Contact, text: string, now: Date): { u: Understanding; followed?: CaseRow } {
  if (!u.textHash) return { u };
  const since = new Date(now.getTime() - deps.config.dedupe.recurringWindowDays * 86_400_000).toISOString();
  const decided = personLabelledText(tx, u.textHash, since);
  if (!decided) return { u };
  const kind = decided.kind as Understanding['kind'];
  const toPerson = kind === 'complaint' || kind === 'question';
  if (!toPerson && !u.triage && (u.kind === 'complaint' || u.kind === 'question')) return { u };
  // as the repeat lookup would link it: the same sender within dedupe.windowDays is a duplicate, another sender a recurring report
  const dupSince = new Date(now.getTime() - deps.config.dedupe.windowDays * 86_400_000).toISOString();
  // the same words about another place (km, RT/RW, alley) follow the label, but are another problem:
  // the report of this text at this place, if there is one, is the one this copy repeats
  const here = placeNumbers(text);
  const samePlace = (c: CaseRow): boolean => !placesConflict(here, placeNumbers(c.summary));
  const anchor = !toPerson || u.repeat.relation !== 'new' ? undefined
    : samePlace(decided) ? decided : newestDivisionCaseWithText(tx, u.textHash, since, samePlace);
  const repeat: Understanding['repeat'] = !toPerson ? { relation: 'new' }
    : u.repeat.relation !== 'new' ? u.repeat
      : !anchor ? { relation: 'new' }
        : anchor.contactId !== contact.id ? { relation: 'recurring', caseId: anchor.id, similarity: 1 }
          : anchor.createdAt >= dupSince ? { relation: 'duplicate', caseId: anchor.id, similarity: 1 } : { relation: 'new' };
  const { triageReason: _dropped, ...rest } = u;
  return {
    u: { ...rest, kind, confidence: 1, triage: false, divisionId: decided.divisionId, repeat, features: [`person:${decided.number}`, ...u.features.slice(0, 4)] },
    followed: decided,
  };
}

/** A message's place in [0, 1) for the audit sample: from its id (a hash), so a replay lands the same way. */
function auditSample(ingestId: string): number {
  return Number.parseInt(ingestId.slice(0, 8), 16) / 0x1_0000_0000;
}

function decision(u: Understanding) {
  return { label: u.kind, confidence: u.confidence, features: u.features, textHash: u.textHash };
}

function contactLabel(c: Contact): string {
  return c.email ?? c.phone ?? (c.telegramChatId ? `telegram:${c.telegramChatId}` : `contact:${c.id}`);
}

export function divisionById(config: AduanConfig, id: string): DivisionConfig {
  return config.divisions.find((d) => d.id === id) ?? config.divisions.find((d) => d.default) ?? config.divisions[0]!;
}

/** The case an e-mail thread points at through our own Message-IDs. */
function threadCase(config: AduanConfig, tx: Tx, message: InboundMessage): CaseRow | undefined {
  // the case's own reply address with its token (aduan+<case>.<token>@): the case the mail was written to,
  // also when it answers a mail threaded under another case (a digest under its problem's first report)
  const token = message.meta['replyToken'];
  const addressed = message.thread?.caseNumber && typeof token === 'string' ? getCaseByNumber(tx, message.thread.caseNumber) : undefined;
  if (addressed && addressed.token === token) return addressed;
  const ids = [message.thread?.inReplyTo, ...(message.thread?.references ?? [])].filter((x): x is string => typeof x === 'string');
  for (const id of ids) {
    const number = caseNumberFromMessageId(config, id);
    const kase = number ? getCaseByNumber(tx, number) : undefined;
    if (kase) return kase;
  }
  return undefined;
}

/**
 * The case of the message this one edits or completes: a connector names the original by its
 * externalId in meta.editOf (Telegram edited_message) or meta.albumOf (an album photo delivered after
 * the album was merged). Looked up here, at record time, and not by the connector when it enqueues:
 * with a backlog the original may still wait in the queue then, while intake takes the queue in
 * order, so by now the original is recorded (else, e.g. never taken, the message stands on its own).
 */
function originalCase(tx: Tx, message: InboundMessage): CaseRow | undefined {
  for (const key of ['editOf', 'albumOf']) {
    const externalId = message.meta[key];
    if (typeof externalId !== 'string') continue;
    const original = findMessageBySource(tx, message.connectorId, externalId);
    if (original?.caseId != null) return getCaseById(tx, original.caseId);
  }
  return undefined;
}

/**
 * A message on an existing case: our Message-ID in the thread (from the case's contact, its
 * division, or — recorded as a note only — anyone else), an edit or late part of a recorded message
 * (originalCase), a case number named by the case's own
 * contact or division, on SMS/chat any message from a contact whose case awaits their verdict or a
 * thanks after our answer, and a short question about progress (any channel). recordInbound still
 * takes a citizen's report written on an answered case as a new case (readAnswered).
 */
function findReplyCase(deps: IntakeDeps, tx: Tx, message: InboundMessage, contact: Contact, now: Date): { kase: CaseRow; role: ReplyRole } | undefined {
  // a division's address counts only as the sender of an e-mail: the web form's e-mail field is typed by
  // anyone (a division's address is public), and would make a stranger's text a division's note on a case
  const staffEmail = message.channel === 'email' ? message.sender.email : undefined;
  // (the owner of the address a web report typed answers our mails about it: its citizen, citizenOnCase)
  const roleOn = (kase: CaseRow): ReplyRole => roleOf(deps.config, kase, citizenOnCase(tx, kase.contactId, contact), staffEmail);
  const byThread = threadCase(deps.config, tx, message);
  if (byThread) return { kase: byThread, role: roleOn(byThread) };
  const ofOriginal = originalCase(tx, message);
  if (ofOriginal) return { kase: ofOriginal, role: roleOn(ofOriginal) };
  const prefix = deps.config.instance.casePrefix;
  const named = message.thread?.caseNumber ?? namedCaseNumber(message.subject ?? '', prefix) ?? namedCaseNumber(message.text, prefix);
  if (named) {
    const kase = getCaseByNumber(tx, named);
    if (kase) {
      const role = roleOn(kase);
      if (role !== 'outsider') return { kase, role };
    }
  }
  // a number named that is not the sender's (a typo, another person's case: found none above) says which case
  // they mean: not their waiting or closed one — "TIDAK PUAS <a neighbour's number>" reopened the sender's own
  // case and told its division they were not satisfied; it is answered as any question about a number not theirs
  if (CHAT_CHANNELS.has(message.channel) && !named) {
    // (the one whose result they quoted, when another waits too: QUOTED_CASE)
    const quoted = QUOTED_CASE.has(message) ? getCaseById(tx, QUOTED_CASE.get(message)!) : undefined;
    const waiting = quoted?.status === 'awaiting_feedback' && quoted.contactId === contact.id ? quoted : latestCaseOfContact(tx, contact.id, ['awaiting_feedback']);
    // after a report they sent since that result, their words are about the newer report, unless they
    // give the verdict or speak of the answered problem ("masih bau pak, sampahnya …")
    const newer = waiting && !isClearVerdict(message.text) && !problemOverlap(message.text, waiting).shared
      ? latestCaseOfContact(tx, contact.id, CONTINUABLE) : undefined;
    if (waiting && !(newer && newer.id > waiting.id)) return { kase: waiting, role: 'citizen' };
    // closed for no answer, the citizen was told by SMS/chat "Bila masalahnya belum selesai, balas: TIDAK PUAS
    // <number>": their next message is that reply, often without the number ("TIDAK PUAS", "belum pak") — the
    // late TIDAK PUAS (lateUnsatisfied) while that case is still their latest, not a new case with a number of its own
    const closed = waiting ? undefined : latestCaseOfContact(tx, contact.id, ['closed']);
    if (closed && latestCaseOfContact(tx, contact.id, ALL_STATES)?.id === closed.id
      && lateUnsatisfied(deps, tx, closed, message.text, () => caseAbout(tx, closed, deps.config.divisions, message), now.toISOString())) return { kase: closed, role: 'citizen' };
  }
  // "ok pak, terima kasih" after our answer on SMS or chat (the result too): said on their case (recorded,
  // not answered), not a new case
  if (CHAT_CHANNELS.has(message.channel) && onlyAcknowledges(message)) {
    const open = latestCaseOfContact(tx, contact.id, [...CONTINUABLE, 'action', 'reopened', 'closed']);
    // ("pak" alone after the closing opens a new report rather than thanking)
    if (open && thanksWithinMs(deps) > 0 && now.getTime() - Date.parse(changedAt(tx, open)) <= thanksWithinMs(deps) && (open.status !== 'closed' || thanksOrPraise(message.text))) return { kase: open, role: 'citizen' };
  }
  // "kok belum ada kabar?" without the number or a thread (a new e-mail, the web form, SMS): about
  // their latest case a division is working on
  if (isProgressQuestion(withSubject(message))) {
    // a case a division works on first; else the one waiting for a person or their verdict, or closed
    // (the answer tells them where it stands) rather than a new "complaint" that only asks
    const latest = latestCaseOfContact(tx, contact.id, ['received', 'forwarded', 'in_review', 'action', 'reopened'])
      ?? latestCaseOfContact(tx, contact.id, ['triage', 'awaiting_feedback', 'closed']);
    if (latest) return { kase: latest, role: 'citizen' };
  }
  return undefined;
}

/**
 * Words of a question about one's own report and nothing else ("status", "cek", "gimana", "kabarnya",
 * "laporan saya", "tolong dicek"), besides the greetings, forms of address and thanks of lexicon.ts.
 */
const INQUIRY = new Set(`
  status cek check dicek dicekkan info informasi tanya nanya menanyakan bagaimana kabar kabarnya perkembangan perkembangannya
  kelanjutan kelanjutannya lanjutan tindak lanjut tindaklanjut progres progress proses diproses sampai mana sudah belum ada kok
  apa apakah nomor no nomer aduan aduannya laporan laporannya pengaduan keluhan saya kami aku ku sy punya mohon tolong ya yah
  nya sih dong deh gan ini itu tersebut yang dengan atas ? ! puas tidak sangat
`.split(/\s+/).filter(Boolean));

/** At most this many words: a longer message says something of its own. */
const INQUIRY_MAX_WORDS = 12;

const asksOnly = (text: string): boolean => {
  const tokens = tokenize(text);
  return tokens.length <= INQUIRY_MAX_WORDS && tokens.every((t) => INQUIRY.has(t) || OPENER.has(t) || ACKNOWLEDGEMENT.has(t));
};

/** A question about a case the sender has none of (unmatchedQuestion): a number they named, or none. */
type Unmatched = { number: string } | { number?: undefined };

/**
 * By SMS or chat (answered on its own channel), e-mail (answered by mail; its subject read with its text)
 * or the web form (its receipt page and JSON say it), a message that only asks about a case — no file, and no
 * word besides those of such a question (asksOnly), so "ADU-2026-000099 jalan di depan rumah saya
 * berlubang" is a report — naming a case number that is not the sender's (none such, a typo, another
 * person's: findReplyCase found none), or asking about "laporan saya" (isProgressQuestion) when the sender has
 * no case a division works on or that waits for them (findReplyCase found none). Opening a case for it
 * forwarded "[ADU-…] gimana laporan saya?" to a division, or sent the desk a message with nothing to sort.
 */
function unmatchedQuestion(deps: IntakeDeps, tx: Tx, message: InboundMessage): Unmatched | undefined {
  if (message.attachments.length > 0) return undefined;
  // by e-mail (answered by mail) and the web form (its receipt page and JSON say it) too: subject and text
  const answered = CHAT_CHANNELS.has(message.channel) ? deps.outboundChannels.has(message.connectorId)
    : message.channel === 'email' ? message.sender.email !== undefined : message.channel === 'web';
  if (!answered) return undefined;
  const text = message.channel === 'email' || message.channel === 'web' ? withBareSubject(message) : message.text;
  const prefix = deps.config.instance.casePrefix;
  const number = namedCaseNumber(text, prefix);
  if (number !== undefined) {
    const rest = withoutCaseNumbers(text, prefix);
    return !namesProblem(rest) && asksOnly(rest) ? { number } : undefined;
  }
  return isProgressQuestion(text) && asksOnly(text) ? {} : undefined;
}

/** A mail's or web message's subject without "Re:"/"Fwd:", then its text. */
const withBareSubject = (message: InboundMessage): string =>
  `${(message.subject ?? '').replace(/^\s*(?:(?:re|fwd?|aw|bls|balas)\s*:\s*)+/i, '')} ${message.text}`.trim();

/** How often a sender is answered about a case they have none of: no loop with an answering machine, no flood. */
const UNMATCHED_ANSWER_EVERY_MS = 60 * 60_000;

/**
 * The answer to an unmatched question: neutral — the same whether the number exists or is another
 * person's (the proof of a case is the contact that reported it) —, on the sender's channel, once an
 * hour at most; no case, no desk. The message is recorded on no case, relation `unmatched`.
 */
function answerUnmatched(deps: IntakeDeps, tx: Tx, message: InboundMessage, contact: Contact, ingestId: string, q: Unmatched, iso: string): void {
  if (contact.doNotContactUntil !== null && contact.doNotContactUntil > iso) return;
  const key = `unmatched.c${contact.id}.`;
  const since = new Date(Date.parse(iso) - UNMATCHED_ANSWER_EVERY_MS).toISOString();
  if (outboxWrittenSince(tx, key, since)) return;
  const outboxId = `${key}${ingestId.slice(0, 12)}`;
  // (the web form's receipt page and JSON answer it: a typed address gets no mail)
  if (message.channel === 'web') return;
  if (message.channel === 'email') {
    if (!contact.email) return;
    const mail = composeCaselessMail({ config: deps.config, contact, message, id: outboxId, ...(q.number !== undefined ? { caseNumber: q.number } : {}) });
    insertOutbox(tx, { id: outboxId, caseId: null, kind: 'mail', queue: QUEUES.mail, payload: mail, now: iso });
    return;
  }
  const via = message.channel === 'telegram' ? 'akun' : 'nomor';
  const reply: ChannelReply = {
    outboxId, caseNumber: null, to: message.sender,
    text: q.number !== undefined ? CITIZEN_TEXTS.caseNotFound(q.number, via) : CITIZEN_TEXTS.noCaseFound(via),
    inReplyTo: { externalId: message.externalId, meta: message.meta },
  };
  insertOutbox(tx, { id: outboxId, caseId: null, kind: 'channel', queue: outboundQueueName(message.connectorId), payload: reply, now: iso });
}

/** Every case state: a contact's latest case of all. */
const ALL_STATES = Object.keys(CASE_STATES);
/** Reports still waiting for their division's answer: what the citizen adds belongs to them. */
const CONTINUABLE = ['received', 'triage', 'forwarded', 'in_review'];
/** A thanks on SMS or chat within dedupe.thanksWithinDays of the last change on the citizen's case is said on that case. */
const thanksWithinMs = (deps: IntakeDeps): number => deps.config.dedupe.thanksWithinDays * 86_400_000;

/**
 * One report in several messages ("jalan depan rumah rusak parah", then "di Jl. Kenari gang 3", "sudah
 * 2 bulan pak", a photo): on SMS or chat, a short message within dedupe.continuationMinutes of the
 * citizen's last message on their unanswered report, naming no problem of its own and no other
 * division's keyword, is part of that report. A statement ("terima kasih") or spam stands on its own.
 * While the report's forward is held (its first message named no problem: holdsForward), any message
 * but spam within that time is part of it, the one naming the problem too.
 */
function continuedReport(deps: IntakeDeps, tx: Tx, message: InboundMessage, contact: Contact, u: Understanding, now: Date): CaseRow | undefined {
  const minutes = deps.config.dedupe.continuationMinutes;
  if (minutes === 0 || !CHAT_CHANNELS.has(message.channel)) return undefined;
  // (spam never continues a report: no lookup)
  if (u.kind === 'spam' && !u.triage) return undefined;
  const kase = latestCaseOfContact(tx, contact.id, CONTINUABLE);
  if (!kase || (kase.status !== 'triage' && kase.kind !== 'complaint' && kase.kind !== 'question')) return undefined;
  // a report whose forward waits for the rest (holdsForward) named no problem: this message may name it,
  // and a detail read as a statement ("di depan warung bu Sri") is part of it too
  const held = heldOutbox(tx, heldIdOf(kase), now.toISOString()) !== undefined;
  // a copy of their own message is a duplicate, answered as one ("sudah tercatat dengan nomor …") — unless
  // it is the waiting first message sent again with what is wrong
  if (u.repeat.relation === 'duplicate' && !(held && u.repeat.caseId === kase.id && !onlyWhoAndWhere(message.text))) return undefined;
  // (the citizen's own phone number sent as a contact card — a connector marks it meta.ownContact — reads
  // as a statement, but is a detail of their report, as a location is)
  const ownContact = message.meta['ownContact'] === true;
  if (!u.triage && u.kind !== 'complaint' && u.kind !== 'question' && !(held && u.kind === 'statement') && !ownContact) return undefined;
  if (!held) {
    if (wordCount(message.text) > deps.config.dedupe.continuationMaxWords || namesProblem(message.text)) return undefined;
    if (u.routedBy === 'keyword' && u.divisionId !== kase.divisionId) return undefined;
  }
  // written within the time of each other, as their channel received them: messages sent hours apart
  // and taken in together after a backlog (Redis or a gateway down) are not one report
  const last = lastMessageAt(tx, kase.id, contact.id);
  const gap = last === undefined ? Number.NaN : Math.abs(Date.parse(message.receivedAt) - Date.parse(last));
  return gap <= minutes * 60_000 ? kase : undefined;
}

/**
 * "Terima kasih pak, lubangnya sudah ditambal", "Mantap pak, sudah beres" by SMS or chat after the
 * citizen's case was closed: a statement (the classifier's, not a person's doubt) thanking for it or
 * about its problem only, within dedupe.thanksWithinDays of the closing, is said on that case — not a statement
 * with a new case number and another thanks. A problem of its own or another place stands on its own.
 */
function thanksForResult(deps: IntakeDeps, tx: Tx, message: InboundMessage, contact: Contact, u: Understanding, now: Date): CaseRow | undefined {
  // (a greeting that opens a new report is answered as one: "Silakan kirim aduan Anda …")
  if (!CHAT_CHANNELS.has(message.channel) || u.kind !== 'statement' || u.triage || u.features.includes(OPENER_FEATURE) || BUT_AGAIN.test(message.text)) return undefined;
  const closed = latestCaseOfContact(tx, contact.id, ['closed']);
  if (!closed || thanksWithinMs(deps) === 0 || now.getTime() - Date.parse(changedAt(tx, closed)) > thanksWithinMs(deps)) return undefined;
  // a newer case of theirs (a report since) is what they are talking about, if anything
  if ((latestCaseOfContact(tx, contact.id, [...CONTINUABLE, 'action', 'reopened', 'awaiting_feedback', 'statement'])?.id ?? 0) > closed.id) return undefined;
  const { elsewhere, shared } = problemOverlap(message.text, closed);
  return !elsewhere && (namesProblem(message.text) ? shared : thanksOrPraise(message.text)) ? closed : undefined;
}

/** The last change on a case a thanks may be about: a closed case's closing (another citizen's later report of its problem moves its `updatedAt`). */
function changedAt(tx: Tx, kase: CaseRow): string {
  return (kase.status === 'closed' ? closedAt(tx, kase.id) : undefined) ?? kase.updatedAt;
}

/** A word of thanks or praise ("terima kasih", "mantap", "sama-sama"), not the greetings and forms of address the same lists hold. */
function thanksOrPraise(text: string): boolean {
  return tokenize(text).some((w) => (THANKS.has(w) || ACKNOWLEDGEMENT.has(w)) && !OPENER.has(w));
}

/**
 * A message added to a report whose forward (or, in triage, whose desk notice) is held because its
 * first message named no problem: the case now reads as the whole report (lists, status page, repeat
 * lookups). Once the problem or a division's keyword is named, the report goes, to where these words
 * point — or to the division that already has the problem (linkCompletedReport) — instead of the first
 * fragment's guess; otherwise it waits a little longer for the rest.
 */
function completeFragment(deps: IntakeDeps, tx: Tx, kase: CaseRow, message: InboundMessage, contact: Contact, u: Understanding, now: Date, iso: string): void {
  const triage = kase.status === 'triage';
  if (!heldOutbox(tx, heldIdOf(kase), iso)) return;
  let whole = setCaseSummary(tx, kase, `${kase.summary}\n${message.text}`.slice(0, 4000), iso);
  // (a message saying what is wrong in words the problem lexicon does not know, or naming the subject
  // by a division's keyword, completes it; one more place, even a keyword's, does not)
  const completes = !saysOnlyWhoAndWhere(message.text, u.features);
  const repeats = completes ? linkCompletedReport(deps, tx, whole, message, contact, now, iso) : undefined;
  if (repeats) whole = repeats.kase;
  const to = repeats?.divisionId ?? (completes && u.routedBy !== 'default' ? u.divisionId : undefined);
  // (in triage: a clear complaint or question completing it takes it to a division without a person)
  const clear = completes && !u.triage && (u.kind === 'complaint' || u.kind === 'question') ? u.kind : undefined;
  // (a report that now says what is wrong, but not clearly a complaint: the desk is told now, of all of it)
  if (triage) completeHeldTriage(deps, tx, whole, iso, clear, to, completes ? null : heldUntil(deps, whole, now));
  else completeHeldReport(deps, tx, whole, iso, completes ? null : heldUntil(deps, whole, now), to, clear);
  // (the timeline says why it went before its time; linked to another report, or out of triage, it says so already)
  if (completes && !repeats && !(triage && clear)) {
    addEvent(tx, { caseId: whole.id, at: iso, actorType: 'system', actor: 'intake', type: REPORT_COMPLETED,
      text: triage ? 'Pelapor melengkapi pesannya: petugas pemilah diberi tahu sekarang, dengan seluruh pesannya.' : 'Pelapor melengkapi laporannya: diteruskan sekarang, dengan seluruh pesannya.' });
  }
  // later reports of its problem find it
  deps.understander.rememberAgain?.(tx, whole, whole.summary);
}

/**
 * A report completed by a later message is looked up again as a whole: when another report of its
 * problem is on record (another citizen's, or the citizen's own that is over), it is linked to it as
 * intake links a recurring report (its forward says "dilaporkan N kali" and names the first report),
 * and goes to the division that has the problem. The report itself (indexed with its first message) is
 * no candidate.
 */
function linkCompletedReport(deps: IntakeDeps, tx: Tx, kase: CaseRow, message: InboundMessage, contact: Contact, now: Date, iso: string): { kase: CaseRow; divisionId?: string } | undefined {
  if (kase.relatedToCaseId !== null) return undefined;
  // (the report itself, indexed with its first message, is no candidate: from the same contact it would be found as a duplicate)
  const { repeat } = deps.understander.understand(tx, { ...message, text: kase.summary }, contact, now, kase.id);
  if (repeat.relation !== 'recurring') return undefined;
  const related = getCaseById(tx, repeat.caseId);
  if (!related) return undefined;
  const rootId = answerGroupOf(related);
  const linked = linkToReport(tx, kase, rootId, repeat.sameProblem !== undefined);
  bumpReportCount(tx, rootId, iso);
  addEvent(tx, { caseId: rootId, at: iso, actorType: 'system', actor: 'intake', type: 'recurring_reported', text: `Dilaporkan lagi oleh pelapor lain: ${kase.number}.` });
  addEvent(tx, { caseId: kase.id, at: iso, actorType: 'system', actor: 'intake', type: REPORT_COMPLETED,
    text: `Laporan dilengkapi pelapor; masalah yang sama dengan ${related.number} (${repeat.sameProblem ? sameProblemText(repeat.sameProblem) : `kemiripan ${repeat.similarity.toFixed(2)}`}).`,
    data: { repeatOf: related.number, similarity: Math.round(repeat.similarity * 100) / 100, ...(repeat.sameProblem ? { sameProblem: repeat.sameProblem } : {}) } });
  return { kase: linked, ...(!NOT_AT_A_DIVISION.has(related.status) ? { divisionId: related.divisionId } : {}) };
}

/** "…tapi sekarang numpuk lagi", "masih bau": thanks that go on to say the problem is back are no thanks. */
const BUT_AGAIN = /\b(?:tapi|tetapi|namun|lagi|kembali|masih|tetap|tetep|malah)\b/i;


/**
 * The first message of a report in several SMS or chat messages often names no problem yet ("Pak, di
 * jl. Kenari gang 3", "Selamat pagi, saya warga Tegalrejo RT 05"): its forward waits
 * dedupe.continuationMinutes for the rest (continuedReport writes each fragment into it), so that the
 * division the problem belongs to gets one mail with the whole report, instead of a default or guessed
 * division getting the greeting and another the problem. Only a complaint or question whose words
 * name no subject; the citizen has their case number at once.
 */
function holdsForward(deps: IntakeDeps, message: InboundMessage, u: Understanding, whoAndWhere: boolean): boolean {
  return deps.config.dedupe.continuationMinutes > 0 && CHAT_CHANNELS.has(message.channel) && waitsForTheRest(message.text, u, deps.config.dedupe.continuationMaxWords, whoAndWhere);
}

/** The same for a fragment the classifier is unsure of: the desk's notice waits (a clear complaint completing it needs no person). */
function holdsDeskNotice(deps: IntakeDeps, message: InboundMessage, u: Understanding, whoAndWhere: boolean): boolean {
  return deps.config.dedupe.continuationMinutes > 0 && CHAT_CHANNELS.has(message.channel) && u.triage && waitsForTheRest(message.text, { kind: 'complaint', features: u.features }, deps.config.dedupe.continuationMaxWords, whoAndWhere);
}

/**
 * A short complaint or question that says only who and where (saysOnlyWhoAndWhere: "Pak, di jl. Kenari
 * gang 3", "Selamat siang, saya Budi dari Kotagede, mau bertanya", "lokasinya di sd negeri 5" — a
 * division's keyword naming a place is no subject): by SMS or chat, its forward waits for the rest
 * (holdsForward). Intake passes `whoAndWhere` as it read the message already (SMS and chat have no subject).
 */
export function waitsForTheRest(text: string, u: Pick<Understanding, 'kind' | 'features'>, maxWords: number, whoAndWhere = saysOnlyWhoAndWhere(text, u.features)): boolean {
  return (u.kind === 'complaint' || u.kind === 'question') && wordCount(text) <= maxWords && whoAndWhere;
}

/** The mail of a report that may wait for the rest: its forward, or in triage the desk's notice. */
const heldIdOf = (kase: CaseRow): string => `${kase.number}.${kase.status === 'triage' ? 'triage' : 'forward'}`;

/** When a held forward goes when nothing more comes: continuationMinutes after now, at most continuationMaxWaits × that after the report's start. */
function heldUntil(deps: IntakeDeps, kase: CaseRow, now: Date): string {
  const ms = deps.config.dedupe.continuationMinutes * 60_000;
  return new Date(Math.min(now.getTime() + ms, Date.parse(kase.createdAt) + deps.config.dedupe.continuationMaxWaits * ms)).toISOString();
}

/** The subject (e-mail, web form) and the text: what the citizen said. */
const withSubject = (message: InboundMessage): string => (message.subject ? `${message.subject} ${message.text}` : message.text);

const wordCount = (text: string): number => text.split(/\s+/).filter(Boolean).length;

/**
 * While a case waits for the citizen's verdict, their message on it is about it ("PUAS", "masih bau
 * pak", a question) — unless it is another report: a verdict's word whose sentence names another
 * problem (readVerdict: "tidak ada air sejak kemarin", "ga ada listrik di gang", "tidak bisa urus KTP"
 * on a road case, though they begin like a TIDAK PUAS and name no word of the problem lexicon), or,
 * with no verdict and no "still", a public service said to be missing that the case does not speak of
 * (lacksAnotherService), another division's subject ("kartu keluarga saya belum jadi" on a road case:
 * namesAnotherSubject), or more than a few words naming a problem of its own with none of the case's
 * problem words, or another place (the case's words: own-problem.ts caseAbout). That one is a new case: answering it with "balas PUAS atau TIDAK
 * PUAS", or reopening the answered case with it, would lose it. (A clear verdict: readAnswered.)
 */
function isAnotherReport(text: string, about: CaseAbout, reading: VerdictReading): boolean {
  if (reading.another) return true;
  if (STILL.test(text)) return false;
  if (lacksAnotherService(text, about.text) || namesAnotherSubject(text, about)) return true;
  if (wordCount(text) <= 6 || !namesProblem(text)) return false;
  const mine = problemSignature(text), theirs = problemSignature(about.text);
  return placesDiffer(mine, theirs) || !mine.words.some((w) => theirs.words.includes(w));
}

/** How the text's problem compares with the case's: another named place; any problem word in common (stemmed: "sampahnya" meets "sampah"). */
function problemOverlap(text: string, kase: CaseRow): { elsewhere: boolean; shared: boolean } {
  const mine = problemSignature(text), theirs = problemSignature(kase.summary);
  return { elsewhere: placesDiffer(mine, theirs), shared: mine.words.some((w) => theirs.words.includes(w)) };
}

/** What a citizen's message on their own answered case is (readAnswered). */
interface OnAnswered {
  /** A report of its own: a new case (or a repeat of another), not a reply on the answered case. */
  newReport: boolean;
  /** With a new report, the verdict it gives the answered case as well ("Tidak puas. Sekarang lampu jalan di depan rumah mati"). */
  verdict?: 'satisfied' | 'unsatisfied';
  /**
   * With a new report, it began with a clear bare verdict word said of the other problem ("Belum, saluran
   * airnya tidak diperbaiki"): the answered case still waits, and the citizen is told so.
   */
  stillWaits?: boolean;
  /** With a new report, the TIDAK PUAS is a late one on a closed case (replies.ts lateUnsatisfied). */
  late?: LateUnsatisfied;
}

/**
 * A citizen's message on their own answered case: on a closed case, any problem named (the problem came
 * back, or another one: a new case, linked when it is the same) — but a TIDAK PUAS on a case closed for
 * no answer reopens it (lateUnsatisfied), and is a new report as well only when it names another problem;
 * while the verdict is awaited, a clear verdict is the case's, and a new report as well when its words
 * name another problem (readVerdict); any other message may be another report (isAnotherReport).
 */
function readAnswered(deps: IntakeDeps, tx: Tx, kase: CaseRow, message: InboundMessage, iso: string): OnAnswered {
  const text = message.text;
  // (its subject, first message, results and the citizen's later messages, its division's keywords: read once)
  let read: CaseAbout | undefined;
  const about = (): CaseAbout => (read ??= caseAbout(tx, kase, deps.config.divisions, message));
  if (HANDLING_OVER.has(kase.status)) {
    const late = lateUnsatisfied(deps, tx, kase, text, about, iso);
    if (late) {
      const another = readVerdict(text, about(), deps.config.instance.casePrefix).another;
      return another ? { newReport: true, verdict: 'unsatisfied', late } : { newReport: false };
    }
    // ("tidak ada air sejak kemarin", "kartu keluarga saya belum jadi" name no word of the problem lexicon: a
    // service lacking, another division's subject is a problem too)
    return { newReport: namesProblem(text) || servicesLacking(text).size > 0 || namesAnotherSubject(text, about()) };
  }
  if (kase.status !== 'awaiting_feedback') return { newReport: false };
  const reading = readVerdict(text, about(), deps.config.instance.casePrefix);
  if (reading.clear && reading.verdict !== null) return reading.another ? { newReport: true, verdict: reading.verdict } : { newReport: false };
  if (reading.clear && reading.another) return { newReport: true, stillWaits: true };
  return { newReport: isAnotherReport(text, about(), reading) };
}

/**
 * A new report written on an answered case (readAnswered) that also settles it: its verdict applies to
 * the answered case as a reply's would have (the division, told of a TIDAK PUAS, reads which new case
 * the rest became); or the answered case still waits for the verdict, and the citizen, who began with
 * "Belum" of another problem, hears that besides the new case's number.
 */
function settleAnswered(deps: IntakeDeps, tx: Tx, answered: CaseRow, on: OnAnswered, message: InboundMessage, contact: Contact, caseNumber: string | null, iso: string): void {
  if (!on.newReport || (on.verdict === undefined && !on.stillWaits)) return;
  // (as it stands now: the new report may have joined it)
  const kase = getCaseById(tx, answered.id);
  if (!kase || kase.status !== answered.status) return;
  const elsewhere = caseNumber !== null && caseNumber !== kase.number;
  if (on.verdict !== undefined) {
    const note = elsewhere ? `\n\n(Masalah lain dalam pesan ini dicatat sebagai aduan baru ${caseNumber}.)` : '';
    if (on.late) {
      takeLateUnsatisfied(deps, tx, kase, on.late, `${message.text}${note}`, contactLabel(contact), sourceIngestId(message.connectorId, message.externalId).slice(0, 12), iso);
      return;
    }
    applyVerdict(deps, tx, kase, on.verdict, `${message.text}${note}`, { type: 'citizen', id: contactLabel(contact) }, iso);
    return;
  }
  if (!elsewhere) return;
  addEvent(tx, { caseId: kase.id, at: iso, actorType: 'system', actor: 'intake', type: 'note',
    text: `Pesan pelapor menyebut masalah lain dan dicatat sebagai aduan baru ${caseNumber}; aduan ini tetap menunggu jawaban PUAS / TIDAK PUAS.` });
  notifyCitizen(deps, tx, kase, `still-awaiting-${sourceIngestId(message.connectorId, message.externalId).slice(0, 12)}`, CITIZEN_TEXTS.stillAwaiting(kase.number), iso);
}

/** Words asking how a report is going ("kabar", "kelanjutannya", "sudah sampai mana", "laporan saya"). */
const PROGRESS = /\b(?:kabar(?:nya)?|kelanjutan(?:nya)?|perkembangan(?:nya)?|progres(?:nya)?|progress|sampai mana|(?:laporan|aduan|pengaduan|keluhan) (?:saya|kami|aku))\b/;
/** "Apa kabar?" greets ("apa kabar pak dewan", Javanese "piye kabare"): it asks about nothing unless a report is named too. */
const GREETING_KABAR = /\b(?:apa ?kabar(?:nya)?|piye kabare?|pripun kabaripun|kados pundi kabaripun)\b/g;
const PROGRESS_MAX_WORDS = 16;

/**
 * A short message asking how the citizen's report is going ("kok belum ada kabar?", "bagaimana
 * kelanjutan laporan saya?") and naming no problem of its own (a new complaint says "rusak", "banjir",
 * "sampah" …). Without a thread or the case number, it is taken as a message on the citizen's latest
 * open case instead of a new complaint.
 */
function isProgressQuestion(text: string): boolean {
  const t = text.toLowerCase().normalize('NFC').replace(GREETING_KABAR, ' ');
  if (wordCount(t) > PROGRESS_MAX_WORDS || !PROGRESS.test(t)) return false;
  return !namesProblem(text);
}

/**
 * A panic repeat that reached intake as a message of its own: the same words, without files, from the
 * same sender through the same channel, within that channel's `repeatWindowSeconds` (on the messages'
 * own times) of a message already on the case. An SMS connector folds such repeats into one message,
 * but only with what its process has seen: one restarted in between (a crash before the Gammu file of
 * the first was moved, a deploy) queues the repeat under its own id. It is recorded as a duplicate, but
 * not answered: the citizen got the number seconds ago, and would get it again. SMS and WhatsApp only
 * (the channels with a repeat window); a repeat minutes later is answered as before.
 */
function panicRepeatOf(deps: IntakeDeps, tx: Tx, kase: CaseRow, contact: Contact, message: InboundMessage): MessageRow | undefined {
  if (message.attachments.length > 0 || (message.channel !== 'sms' && message.channel !== 'whatsapp')) return undefined;
  const channel = deps.config.channels.find((c) => c.id === message.connectorId) as { repeatWindowSeconds?: unknown } | undefined;
  const seconds = typeof channel?.repeatWindowSeconds === 'number' ? channel.repeatWindowSeconds : DEFAULT_REPEAT_WINDOW_SECONDS;
  const t = Date.parse(message.receivedAt);
  if (seconds <= 0 || !Number.isFinite(t)) return undefined;
  // (as stored: as it came, quotes of ours too)
  const body = repeatBody(asReceived(message).text);
  return latestMessagesOf(tx, kase.id, contact.id, message.connectorId, 20)
    .find((m) => Math.abs(Date.parse(m.receivedAt) - t) <= seconds * 1000 && repeatBody(m.text) === body);
}

function writeAck(
  deps: IntakeDeps, tx: Tx, kase: CaseRow, contact: Contact, message: InboundMessage, ingestId: string,
  shortTemplate: 'ackShort' | 'ackHeldShort' | 'ackRecurringShort' | 'ackDuplicateShort' | 'ackStatementShort' | 'ackOpenerShort', iso: string, ownReport = false,
): void {
  const t = deps.config.templates;
  if (message.channel === 'email' || message.channel === 'web' || message.channel === 'manual') {
    if (!contact.email) return;
    const purpose = shortTemplate === 'ackShort' || shortTemplate === 'ackHeldShort' || shortTemplate === 'ackRecurringShort' ? 'ack' : `ack-${ingestId.slice(0, 8)}`;
    // a message sent again while its case waits for a person is told that, as the first time
    const situation = shortTemplate === 'ackDuplicateShort' && kase.status !== 'triage' ? 'duplicate' : undefined;
    const mail = composeAckMail({ config: deps.config, kase, contact, message, division: divisionById(deps.config, kase.divisionId), purpose, ownReport,
      askForProblem: shortTemplate === 'ackHeldShort', ...(situation ? { situation } : {}) });
    insertOutbox(tx, { id: `${kase.number}.${purpose}`, caseId: kase.id, kind: 'mail', queue: QUEUES.mail, payload: mail, now: iso });
    return;
  }
  if (!deps.outboundChannels.has(message.connectorId)) return;
  const outboxId = `${kase.number}.ack-${ingestId.slice(0, 12)}`;
  const reply: ChannelReply = {
    outboxId, caseNumber: kase.number, to: message.sender,
    text: shortAckText(deps.config, kase, shortTemplate, message.channel, message.attachments.some((a) => a.withheld) ? render('withheldShort', {}, t) : ''),
    inReplyTo: { externalId: message.externalId, meta: message.meta },
  };
  insertOutbox(tx, { id: outboxId, caseId: kase.id, kind: 'channel', queue: outboundQueueName(message.connectorId), payload: reply, now: iso });
}
