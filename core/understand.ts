import type { AduanConfig } from './config/schema.ts';
import type { Db } from './db/client.ts';
import type { Logger } from './logger.ts';
import type { InboundMessage } from './message.ts';
import type { Contact, Tx } from './repo/contacts.repo.ts';
import type { CaseRow } from './repo/cases.repo.ts';
import type { RepeatResult } from './understanding/dedupe.ts';

export type TriageReason = 'unsure' | 'maybe-complaint';

/** The feature of a message that says nothing yet ("P", "Assalamualaikum pak", "mau lapor"): a statement intake answers by asking for the complaint (ackOpenerShort). */
export const OPENER_FEATURE = 'shape:opener';

/** What the intake worker needs to know about a new message (SOP steps 3–5). */
export interface Understanding {
  kind: 'complaint' | 'statement' | 'question' | 'spam';
  confidence: number;
  /** Top contributing features, stored with the decision (explainability). */
  features: string[];
  /** A human decides (case status `triage`): see triageReason. */
  triage: boolean;
  /** unsure: below the configured confidence; maybe-complaint: a statement/spam guess with a real chance of being a complaint. */
  triageReason?: TriageReason;
  /** The classifier's probability of "complaint", whatever the guess (0–1). */
  complaintProbability?: number;
  divisionId: string;
  /** How divisionId was chosen: a YAML keyword, the topic model, or the default division. */
  routedBy?: 'keyword' | 'topic' | 'default';
  /** new: a new case; duplicate: same contact, same problem (attach to caseId); recurring: other contact, same problem (link to caseId). */
  repeat: RepeatResult;
  /** Normalised-text hash for exact repeat lookups. */
  textHash: string | null;
}

/**
 * The seam for classification, dedupe and routing. Both methods run inside the intake transaction,
 * so what `remember` stores is committed with the case or not at all.
 */
export interface Understander {
  /** `exclude`: a case that is no repeat of this message (the report the message is being read into). */
  understand(tx: Tx, message: InboundMessage, contact: Contact, now: Date, exclude?: number): Understanding;
  /** Index a newly created case for later repeat lookups. */
  remember(tx: Tx, created: CaseRow, message: InboundMessage, understanding: Understanding, now: Date): void;
  /** Index a stored case again, read as `text` (a report completed by later messages). */
  rememberAgain?(tx: Tx, kase: CaseRow, text: string): void;
  /** Once, when the intake worker starts (e.g. rebuild an index after a migration). */
  prepare?(db: Db, logger: Logger): void;
}

/** Foundation behaviour: every message is a complaint for the default division, never a repeat. */
export function basicUnderstander(config: Pick<AduanConfig, 'divisions'>): Understander {
  const fallback = config.divisions.find((d) => d.default) ?? config.divisions[0]!;
  return {
    understand: () => ({
      kind: 'complaint', confidence: 1, features: [], triage: false, divisionId: fallback.id, repeat: { relation: 'new' }, textHash: null,
    }),
    remember: () => undefined,
  };
}
