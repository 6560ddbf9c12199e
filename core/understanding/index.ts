/**
 * The real Understander (core/understand.ts): normalise, classify, find repeats, route.
 * Pure and synchronous; runs inside the intake transaction.
 */
import type { AduanConfig } from '../config/schema.ts';
import { AduanError } from '../errors.ts';
import type { InboundMessage } from '../message.ts';
import type { Contact, Tx } from '../repo/contacts.repo.ts';
import type { CaseRow } from '../repo/cases.repo.ts';
import { OPENER_FEATURE, type TriageReason, type Understander, type Understanding } from '../understand.ts';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { Classifier, loadModel, type Classification } from './classifier.ts';
import type { LinearModel } from './linear.ts';
import { checkProblemIndex, findRepeat, loadRepeatIndex, rebuildBucketsStep, rememberCase, rememberCaseAgain, repeatQueryOf, textHash, type RepeatIndexLoad } from './dedupe.ts';
import { gazetteerOf } from './problem.ts';
import { tokenize } from './normalize.ts';
import { Router, type RouteDecision } from './routing.ts';

export { Classifier } from './classifier.ts';
export { Router } from './routing.ts';
export { normalize, tokenize } from './normalize.ts';

export interface Analysis {
  tokens: string[];
  classification: Classification;
  route: RouteDecision;
  /** The division the content points to, whatever the label: a statement or spam is not forwarded, but keeps it for a person who settles it as a complaint. */
  divisionId: string;
  triage: boolean;
  /** Why a person decides: the guess is unsure, or it is a statement/spam that may be a complaint. */
  triageReason?: TriageReason;
}

export interface TextAnalyzer {
  analyze(text: string): Analysis;
}

/** A model retrained by the secretariat (classifier.modelDir), with an error that says what to do. */
function modelIn(dir: string, name: string): LinearModel {
  const file = path.resolve(dir, name);
  if (!existsSync(file)) throw new AduanError('CONFIG.MODEL_MISSING', { file, dir });
  return loadModel(file);
}

/** Classification + routing without a database (used by `aduan classify`, eval and bench). */
export function createAnalyzer(config: Pick<AduanConfig, 'divisions' | 'classifier'>, deps: { classifier?: Classifier; router?: Router } = {}): TextAnalyzer {
  const dir = config.classifier.modelDir;
  const classifier = deps.classifier ?? new Classifier(dir === undefined ? undefined : modelIn(dir, 'classifier.json'), { spamMin: config.classifier.spamMin });
  const router = deps.router ?? new Router(config.divisions, dir === undefined ? {} : { topicModel: modelIn(dir, 'topic.json') });
  return {
    analyze(text) {
      const tokens = tokenize(text);
      const classification = classifier.classify(text, tokens);
      const route = router.route(text, tokens);
      const triageReason = triageReasonOf(classification, config.classifier);
      return { tokens, classification, route, divisionId: route.divisionId, triage: triageReason !== undefined, ...(triageReason ? { triageReason } : {}) };
    },
  };
}

/**
 * Whether a person must decide (SOP step 3): below the confidence threshold (spam, dropped unseen,
 * has its own, higher one), or a statement/spam guess with a real chance of being a complaint: those
 * are never forwarded, and a complaint lost that way is the worst error.
 */
export function triageReasonOf(c: Classification, t: AduanConfig['classifier']): TriageReason | undefined {
  if (c.confidence < (c.label === 'spam' ? Math.max(t.triageBelow, t.spamTriageBelow) : t.triageBelow)) return 'unsure';
  if ((c.label === 'statement' || c.label === 'spam') && (c.probabilities['complaint'] ?? 0) >= t.complaintDoubtAbove) return 'maybe-complaint';
  return undefined;
}

/**
 * "P" or "pak" with a photo or a file: the attachment may be the complaint, so a person looks (as at a
 * message with only attachments), instead of an opener settled as a statement.
 */
function withAttachments(a: Analysis, message: InboundMessage): Analysis {
  if (message.attachments.length === 0 || !a.classification.features.includes(OPENER_FEATURE)) return a;
  return { ...a, classification: { label: 'complaint', confidence: 0, features: [OPENER_FEATURE, 'shape:attachments'], probabilities: { complaint: 0 } }, triage: true, triageReason: 'unsure' };
}

/** Text the models read: the subject (e-mail, web form) carries meaning too. */
function textOf(message: InboundMessage): string {
  return message.subject && !message.text.includes(message.subject) ? `${message.subject}\n${message.text}` : message.text;
}

export function createUnderstander(config: AduanConfig): Understander {
  const analyzer = createAnalyzer(config);
  const gazetteer = gazetteerOf(config.dedupe.placeNames);
  return {
    understand(tx: Tx, message: InboundMessage, contact: Contact, now: Date, exclude?: number): Understanding {
      const a = withAttachments(analyzer.analyze(textOf(message)), message);
      const kind = a.classification.label;
      // repeats are looked up on the message text alone (the summary that is stored and compared)
      const tokens = tokenize(message.text);
      const hash = tokens.length > 0 ? textHash(tokens.join(' ')) : null;
      const repeat = hash !== null && (kind === 'complaint' || kind === 'question' || a.triage)
        ? findRepeat(tx, { ...repeatQueryOf(config.dedupe, { contactId: contact.id, text: message.text, tokens, hash, now, divisionId: a.divisionId }, gazetteer), ...(exclude !== undefined ? { excludeCaseId: exclude } : {}) })
        : { relation: 'new' as const };
      return {
        kind, confidence: round(a.classification.confidence), features: [...a.classification.features, ...a.route.reasons.slice(0, 3).map((r) => `route:${r}`)],
        triage: a.triage, ...(a.triageReason ? { triageReason: a.triageReason } : {}),
        complaintProbability: round(a.classification.probabilities['complaint'] ?? 0), divisionId: a.divisionId, routedBy: a.route.by, repeat, textHash: hash,
      };
    },
    remember(tx: Tx, created: CaseRow, message: InboundMessage, u: Understanding): void {
      // a triage case too, whatever the guess: a person may settle it as a complaint, and repeats are
      // verified against the case's kind at lookup time, so a statement or spam is never matched
      if (u.kind !== 'complaint' && u.kind !== 'question' && !u.triage) return;
      rememberCase(tx, created.id, tokenize(message.text), message.text, gazetteer);
    },
    rememberAgain(tx: Tx, kase: CaseRow, text: string): void {
      rememberCaseAgain(tx, kase.id, tokenize(text), text, gazetteer);
    },
    prepare(db, logger) {
      // in batches between jobs, so the worker takes messages at once: first the rebuild a migration
      // may ask for (resumable after a restart), then the bucket index is read into memory (lookups
      // read SQLite until it is complete)
      let done = 0;
      let load: RepeatIndexLoad | undefined;
      let checked = false;
      const started = Date.now();
      const step = (): void => {
        try {
          if (!checked) {
            checked = true;
            if (checkProblemIndex(db, gazetteer)) logger.info('the place names or the problem reader changed (dedupe.placeNames, or an update): the stored cases are indexed again');
          }
          if (!load) {
            const r = rebuildBucketsStep(db, undefined, gazetteer);
            done += r.indexed;
            if (r.indexed > 0 && (r.finished || done % 50_000 < r.indexed)) logger.info({ cases: done, finished: r.finished }, 'rebuilding the repeat index from the stored cases');
            if (r.finished) load = loadRepeatIndex(db, config.dedupe.memoryIndexMb);
            setImmediate(step);
            return;
          }
          const r = load.step();
          if (!r.finished) { setImmediate(step); return; }
          if (r.dropped) logger.warn({ entries: r.entries, reason: r.dropped }, 'repeat index stays in SQLite (lookups read it from the database file)');
          else logger.info({ entries: r.entries, ms: Date.now() - started, memoryMb: Math.round((r.bytes ?? 0) / 1048576) }, 'repeat index loaded into memory');
        } catch (err) {
          logger.error({ err }, 'repeat index preparation stopped; lookups read SQLite, and it resumes at the next start');
        }
      };
      step();
    },
  };
}

function round(x: number): number {
  return Math.round(x * 1000) / 1000;
}
