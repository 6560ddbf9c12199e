import { AduanError } from '../errors.ts';

/** Case states (DESIGN §5); Indonesian labels for citizens and staff. */
export const CASE_STATES = {
  received: 'Diterima',
  triage: 'Menunggu pemilahan petugas',
  statement: 'Dicatat (bukan aduan)',
  spam: 'Spam',
  forwarded: 'Diteruskan ke komisi/bagian',
  in_review: 'Sedang dikaji',
  action: 'Tindakan perbaikan berjalan',
  awaiting_feedback: 'Menunggu tanggapan pelapor',
  closed: 'Selesai',
  reopened: 'Dibuka kembali',
  archived: 'Diarsipkan',
} as const;

export type CaseState = keyof typeof CASE_STATES;

/**
 * Where a case stands as its citizen reads it (the answer to their message on it, Telegram /status):
 * lower case, to follow "Status: " or "Aduan ADU-…: "; no word of the desk's own ("pemilahan", "spam").
 * The longest must keep replyNotedShort within one SMS (test/unit/sms-texts.test.ts).
 */
export const CITIZEN_STATE_LABELS: Readonly<Record<CaseState, string>> = {
  received: 'diterima, segera diteruskan ke komisi/bagian terkait',
  triage: 'diterima, sedang diperiksa petugas',
  statement: 'dicatat sebagai masukan, bukan aduan',
  spam: 'tidak diproses',
  forwarded: 'diteruskan ke komisi/bagian terkait',
  in_review: 'sedang dikaji',
  action: 'sedang ditindaklanjuti',
  awaiting_feedback: 'menunggu tanggapan Anda, balas PUAS atau TIDAK PUAS',
  closed: 'selesai',
  reopened: 'dibuka kembali untuk dikaji ulang',
  archived: 'selesai dan diarsipkan',
};

/** A case's status as its citizen reads it; an unknown one as "sedang diproses", never the internal name. */
export function citizenStateLabel(s: string): string {
  return isCaseState(s) ? CITIZEN_STATE_LABELS[s] : 'sedang diproses';
}

/** The allowed transitions: anything else is CASE.ILLEGAL_TRANSITION, never a silent change. */
const TRANSITIONS: Record<CaseState, readonly CaseState[]> = {
  received: ['forwarded', 'triage', 'statement', 'spam', 'in_review'],
  triage: ['received', 'statement', 'spam'],
  statement: ['received', 'archived'],
  spam: ['received', 'archived'],
  forwarded: ['in_review', 'action', 'awaiting_feedback', 'statement', 'spam', 'received'],
  in_review: ['action', 'awaiting_feedback', 'statement', 'received'],
  action: ['in_review', 'awaiting_feedback'],
  awaiting_feedback: ['closed', 'reopened'],
  reopened: ['in_review'],
  closed: ['archived', 'reopened'],
  archived: [],
};

/** Statuses in which a case's handling is over: what its citizen reports again is a new report of the problem. */
export const HANDLING_OVER: ReadonlySet<string> = new Set(['closed', 'archived']);

/** Statuses in which a case is no division's: waiting for a person to sort it, or not a complaint. */
export const NOT_AT_A_DIVISION: ReadonlySet<string> = new Set(['triage', 'statement', 'spam']);

export function isCaseState(s: string): s is CaseState {
  return Object.hasOwn(CASE_STATES, s);
}

export function canTransition(from: string, to: string): boolean {
  return isCaseState(from) && isCaseState(to) && TRANSITIONS[from].includes(to);
}

export function assertTransition(number: string, from: string, to: string): void {
  if (!canTransition(from, to)) throw new AduanError('CASE.ILLEGAL_TRANSITION', { number, from, to });
}

export function stateLabel(s: string): string {
  return isCaseState(s) ? CASE_STATES[s] : s;
}
