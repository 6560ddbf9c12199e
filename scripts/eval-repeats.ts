/**
 * Repeat detection (SOP step 4) measured on real messages, part of `npm run eval`. The real sets have
 * no repeat labels, but their PROVENANCE names a silver one: rows whose text is identical after a
 * light normalisation (lower case; "RT @x:", mentions, links and punctuation removed) are the same
 * message again — retweets in Bandung, citizens re-submitting in Surabaya. Each row goes through the
 * real intake (classifier, repeat index, case rows) as if sent by its own sender at its own time, and
 * the eval prints how many of those re-sent texts intake linked to the earlier one, and how many
 * other messages it linked to something (reworded repeats or false links: not checked row by row).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { loadConfigText } from '../core/config/load.ts';
import type { DivisionConfig } from '../core/config/schema.ts';
import { closeDb, openDb } from '../core/db/client.ts';
import { recordInbound } from '../core/intake.ts';
import { ingestId, inboundMessageSchema, normalizeText } from '../core/message.ts';
import { eq, inArray, like, sql } from 'drizzle-orm';
import { cases, digestItems, messages, outbox } from '../core/db/schema.ts';
import { runDigests } from '../core/lifecycle/digest.ts';
import { answerGroupOf, getCaseByNumber, repeatRecord } from '../core/repo/cases.repo.ts';
import { createUnderstander } from '../core/understanding/index.ts';
import { isTarget } from '../core/understanding/dedupe.ts';

/** The PROVENANCE files' normalisation for near-identical texts. */
export function silverKey(text: string): string {
  return text.toLowerCase().replace(/^\s*rt\s+@\w+:?/, ' ').replace(/@\w+/g, ' ').replace(/https?:\/\/\S+|www\.\S+/g, ' ')
    .replace(/[^\p{L}\p{N}\s]/gu, ' ').replace(/\s+/g, ' ').trim();
}

export interface RepeatFigures {
  rows: number;
  msgsPerSec: number;
  /** Rows with an earlier row of the same silver key. */
  resent: number;
  /** …of which the earlier copy became a repeat target (a complaint, question or triage case) within dedupe.recurringWindowDays. */
  findable: number;
  /** …of which intake linked the row to a case (duplicate or recurring)… */
  found: number;
  /** …and to the report chain (first case and its recurring reports) that holds the earlier copy. */
  foundSameText: number;
  /** Findable rows not linked: classified statement or spam (not looked up; by design), or looked up and missed. */
  missedNotLookedUp: number;
  missedLookedUp: number;
  /** Rows with no earlier copy that intake linked to a case anyway. */
  others: number;
  linkedOthers: number;
  /**
   * Those links checked against the set's own annotation of each row (Surabaya: the ticket's topic;
   * Bandung: the specific topic and the place), where both rows have one: the same problem keeps its
   * topic and place, so a link across them is a false one.
   */
  linkedOthersAnnotated: number;
  linkedOthersSameAnnotation: number;
  /** Of those links, the ones made by problem (the same place and problem words, not the text: dedupe.problemSimilarity); annotated; same annotation. */
  linkedByProblem: number;
  linkedByProblemAnnotated: number;
  linkedByProblemSameAnnotation: number;
  /** Of the links between differently annotated rows (likely false), how many joined an open report (no forward of their own, dedupe.joinSimilarity). */
  linkedOthersDifferentJoined: number;
  /** Cases left waiting in triage (nobody settles during the replay)… */
  triageCases: number;
  /** …and the decisions they take when one decision settles a text's copies in its report chain. */
  triageDecisions: number;
  /** Cases forwarded to a division… */
  forwardedCases: number;
  /** …and the answers (#kaji … #selesai) divisions give when one answer moves a report chain (dedupe.shareResults). */
  forwardedAnswers: number;
  /** Mails to divisions: forwards of their own, and digests of the later reports that joined an open report (dedupe.digestMinutes)… */
  forwardMails: number;
  digestMails: number;
  /** …and the reports that joined, which without digests are a forward mail each. */
  joinedReports: number;
  /** Report chains (a first report and the reports linked to it) whose forwarded reports went to more than one division. */
  chainsSplit: number;
  chains: number;
}

export function measureRepeats(rows: ReadonlyArray<{ text: string; at: string; annotation?: string }>, divisions: DivisionConfig[]): RepeatFigures {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'aduan-eval-'));
  const raw = {
    instance: { name: 'Eval' }, database: { path: path.join(dataDir, 'aduan.db') }, storage: { dir: path.join(dataDir, 'storage') },
    mail: { transport: 'file', from: 'Aduan <aduan@eval.test>', file: { dir: path.join(dataDir, 'mail') } },
    divisions, channels: [], classifier: { auditShare: 0 },
    // other repeat settings to compare, e.g. EVAL_DEDUPE='{"problemSimilarity":0}'
    ...(process.env['EVAL_DEDUPE'] ? { dedupe: JSON.parse(process.env['EVAL_DEDUPE']) as Record<string, unknown> } : {}),
  };
  const { config } = loadConfigText(JSON.stringify(raw), '(eval)');
  const db = openDb(':memory:');
  const deps = { db, config, understander: createUnderstander(config), outboundChannels: new Set<string>() };
  const windowMs = Math.max(config.dedupe.windowDays, config.dedupe.recurringWindowDays) * 86_400_000;
  const ordered = rows.map((r, i) => ({ ...r, text: normalizeText(r.text), i })).filter((r) => r.text !== '' && !Number.isNaN(Date.parse(r.at)))
    .sort((a, b) => Date.parse(a.at) - Date.parse(b.at) || a.i - b.i);
  /** silver key → the times of the earlier rows whose case is a repeat target */
  const targets = new Map<string, number[]>();
  const seen = new Set<string>();
  /** first case of a report chain → the silver keys of its cases */
  const chainKeys = new Map<number, Set<string>>();
  const f: RepeatFigures = { rows: ordered.length, msgsPerSec: 0, resent: 0, findable: 0, found: 0, foundSameText: 0, missedNotLookedUp: 0, missedLookedUp: 0, others: 0, linkedOthers: 0,
    linkedOthersAnnotated: 0, linkedOthersSameAnnotation: 0, linkedOthersDifferentJoined: 0, linkedByProblem: 0, linkedByProblemAnnotated: 0, linkedByProblemSameAnnotation: 0, triageCases: 0, triageDecisions: 0, forwardedCases: 0, forwardedAnswers: 0, forwardMails: 0, digestMails: 0, joinedReports: 0, chainsSplit: 0, chains: 0 };
  /** case id → the annotation of the row that opened it */
  const annotationOfCase = new Map<number, string>();
  const started = process.hrtime.bigint();
  const differentlyAnnotated: number[] = [];
  try {
    ordered.forEach((r, n) => {
      const key = silverKey(r.text);
      const at = Date.parse(r.at);
      const message = inboundMessageSchema.parse({
        connectorId: 'eval', channel: 'sms', externalId: `e${n}`, receivedAt: new Date(at).toISOString(),
        sender: { phone: `+628${String(1_000_000_000 + n)}` }, text: r.text,
      });
      // the scheduler's digests, as time passes (nobody answers here, so every problem stays open)
      runDigests(deps, new Date(at));
      const result = recordInbound({ ...deps, now: () => new Date(at) }, message, ingestId('eval', message.externalId));
      const kase = result.caseNumber ? getCaseByNumber(db, result.caseNumber) : undefined;
      const linked = result.relation === 'duplicate' || result.relation === 'recurring';
      // the report whose answer it shares: the chain's first report, or a report linked by problem (with its copies)
      const root = kase ? answerGroupOf(kase) : undefined;
      // the case it was linked to: a duplicate is attached to a case, a recurring report is a new case linked to another
      const linkedTo = !kase ? undefined : result.relation === 'duplicate' ? kase.id : kase.relatedToCaseId ?? undefined;
      if (seen.has(key)) {
        f.resent++;
        if ((targets.get(key) ?? []).some((t) => at - t <= windowMs)) {
          f.findable++;
          if (linked) {
            f.found++;
            if (root !== undefined && chainKeys.get(root)?.has(key)) f.foundSameText++;
          } else if (kase && (kase.kind === 'statement' || kase.kind === 'spam') && kase.status !== 'triage') f.missedNotLookedUp++;
          else f.missedLookedUp++;
        }
      } else {
        f.others++;
        if (linked) {
          f.linkedOthers++;
          const theirs = linkedTo === undefined ? undefined : annotationOfCase.get(linkedTo);
          const byProblem = kase !== undefined && repeatRecord(db, kase.id)?.sameProblem !== undefined;
          if (byProblem) f.linkedByProblem++;
          if (r.annotation && theirs) {
            f.linkedOthersAnnotated++;
            if (byProblem) f.linkedByProblemAnnotated++;
            if (theirs === r.annotation) { f.linkedOthersSameAnnotation++; if (byProblem) f.linkedByProblemSameAnnotation++; }
            else if (kase) differentlyAnnotated.push(kase.id);
          }
        }
      }
      seen.add(key);
      if (kase && root !== undefined && (result.relation === 'new' || result.relation === 'recurring')) {
        chainKeys.set(root, (chainKeys.get(root) ?? new Set<string>()).add(key));
        if (r.annotation && (result.relation === 'new' || kase.linkedByProblem)) annotationOfCase.set(kase.id, r.annotation);
        // what findRepeat accepts as a match, by the same rule
        if (isTarget(kase)) targets.set(key, [...(targets.get(key) ?? []), at]);
      }
    });
    f.msgsPerSec = ordered.length / (Number(process.hrtime.bigint() - started) / 1e9);
    if (ordered.length) runDigests(deps, new Date(Date.parse(ordered[ordered.length - 1]!.at) + config.dedupe.digestMinutes * 60_000));
    f.forwardMails = db.select({ n: sql<number>`count(*)` }).from(outbox).where(like(outbox.id, '%.forward')).get()!.n;
    f.digestMails = db.select({ n: sql<number>`count(*)` }).from(outbox).where(like(outbox.id, '%.digest-%')).get()!.n;
    f.joinedReports = db.select({ n: sql<number>`count(*)` }).from(digestItems).get()!.n;
    f.linkedOthersDifferentJoined = differentlyAnnotated.length
      ? db.select({ n: sql<number>`count(*)` }).from(digestItems).where(inArray(digestItems.caseId, differentlyAnnotated)).get()!.n
      : 0;
    const waiting = db.select({ id: cases.id, root: cases.relatedToCaseId }).from(cases).where(eq(cases.status, 'triage')).all();
    const firstHash = db.select({ caseId: messages.caseId, hash: sql<string>`min(${messages.textHash})` }).from(messages)
      .where(inArray(messages.relation, ['new', 'recurring'])).groupBy(messages.caseId).all();
    const hashOf = new Map(firstHash.map((m) => [m.caseId, m.hash]));
    f.triageCases = waiting.length;
    f.triageDecisions = new Set(waiting.map((c) => `${c.root ?? c.id}:${hashOf.get(c.id) ?? `case${c.id}`}`)).size;
    // no forward worker runs here: a case on its way to a division is still `received`, one that joined an open report `forwarded`
    const forwarded = db.select({ id: cases.id, root: cases.relatedToCaseId, division: cases.divisionId, own: cases.linkedByProblem }).from(cases).where(inArray(cases.status, ['received', 'forwarded'])).all();
    f.forwardedCases = forwarded.length;
    // one answer per answer group (a report linked by problem is answered on its own, with its copies: answerGroupOf)
    f.forwardedAnswers = new Set(forwarded.map((c) => `${answerGroupOf({ id: c.id, relatedToCaseId: c.root, linkedByProblem: c.own })}:${c.division}`)).size;
    const divisionsOf = new Map<number, Set<string>>();
    for (const c of forwarded) divisionsOf.set(c.root ?? c.id, (divisionsOf.get(c.root ?? c.id) ?? new Set()).add(c.division));
    const linkedRoots = new Set(forwarded.filter((c) => c.root !== null).map((c) => c.root!));
    f.chains = [...linkedRoots].filter((r) => divisionsOf.has(r)).length;
    f.chainsSplit = [...linkedRoots].filter((r) => (divisionsOf.get(r)?.size ?? 0) > 1).length;
  } finally {
    closeDb(db);
    rmSync(dataDir, { recursive: true, force: true });
  }
  return f;
}

export function printRepeats(name: string, f: RepeatFigures): void {
  const share = (n: number, d: number): string => (d ? (n / d).toFixed(3) : '-');
  console.log(`\n== repeats on real data: ${name} (each row from its own sender, in time order, through intake): ${f.rows} rows, ${Math.round(f.msgsPerSec)} msgs/s`);
  console.log(`   re-sent texts (an earlier row is near-identical, PROVENANCE normalisation): ${f.resent}; the earlier copy a repeat target (a complaint, question or triage case) within dedupe.recurringWindowDays: ${f.findable} `
    + `(the other ${f.resent - f.findable}: the earlier copy settled as a statement or spam, or older; not looked for, by design)`);
  console.log(`   of those, linked as a repeat: ${f.found} (recall ${share(f.found, f.findable)}), ${f.foundSameText} of them to the report chain holding the earlier copy; `
    + `not linked: ${f.missedNotLookedUp} classified statement or spam (no lookup, by design), ${f.missedLookedUp} looked up and missed`);
  console.log(`   rows with no near-identical earlier text linked as a repeat anyway: ${f.linkedOthers} of ${f.others} (${(f.others ? (100 * f.linkedOthers) / f.others : 0).toFixed(1)}%): reworded repeats of the same problem, or false links`);
  console.log(`   of those links, ${f.linkedOthersAnnotated} join two rows the set annotates: same annotation ${f.linkedOthersSameAnnotation} (${share(f.linkedOthersSameAnnotation, f.linkedOthersAnnotated)}), `
    + `different ${f.linkedOthersAnnotated - f.linkedOthersSameAnnotation}: a link across topics or places is a false one; `
    + `${f.linkedOthersDifferentJoined} of these joined an open report (no forward of their own), the others were forwarded on their own (below dedupe.joinSimilarity) or not forwarded`);
  console.log(`   of all those links, ${f.linkedByProblem} made by problem (the same named place and problem words in other words, dedupe.problemSimilarity); `
    + `${f.linkedByProblemAnnotated} of them annotated: same annotation ${f.linkedByProblemSameAnnotation} (${share(f.linkedByProblemSameAnnotation, f.linkedByProblemAnnotated)})`);
  console.log(`   left waiting in triage: ${f.triageCases} cases; decisions a person makes, one per text and report chain (copies are settled with it): ${f.triageDecisions}`);
  console.log(`   forwarded to a division: ${f.forwardedCases} cases; answers divisions give, one per report chain (or report linked by problem) and division (dedupe.shareResults): ${f.forwardedAnswers}; `
    + `report chains with linked reports: ${f.chains}, of them at more than one division: ${f.chainsSplit}`);
  console.log(`   mails to divisions: ${f.forwardMails} forwards + ${f.digestMails} digests = ${f.forwardMails + f.digestMails} `
    + `(${f.joinedReports} later reports joined an open report of their problem; without digests, dedupe.digestMinutes 0: ${f.forwardMails + f.joinedReports} mails)`);
}
