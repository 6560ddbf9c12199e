import { joinPartTexts } from './gammu.ucs2.ts';
import type { GammuInboxName } from './gammu.filename.ts';

/** One decoded inbox file. */
export interface InboxPart {
  name: GammuInboxName;
  text: string;
  /** When this process first saw the file (ms); the multipart wait runs from the earliest part. */
  firstSeenMs: number;
}

export interface PartGroup {
  /** Base name of part 0 (or of the earliest part when part 0 is missing): the message's externalId. */
  id: string;
  sender: string;
  serial: number;
  /** Timestamp of the group's anchor part. */
  anchorMs: number;
  parts: Map<number, InboxPart>;
}

export interface AssembledMessage {
  id: string;
  sender: string;
  text: string;
  parts: InboxPart[];
  /** Part numbers (0-based) that never arrived. */
  missing: number[];
  incomplete: boolean;
  /** Earliest SMSC timestamp among the parts. */
  timestampIso: string;
}

/**
 * Group inbox files into messages. SMSD writes every part of a linked message with the same serial
 * (chosen for part 0) but each part's own SMSC time, so parts can carry different times: a part
 * n>0 joins the nearest message of the same sender and serial within `windowMs` that lacks that
 * part number; parts whose part 0 never came form their own group.
 */
export function groupParts(parts: readonly InboxPart[], windowMs: number): PartGroup[] {
  const groups: PartGroup[] = [];
  // candidates indexed by sender+serial, so a spool of thousands of files stays linear
  const bySource = new Map<string, PartGroup[]>();
  const add = (g: PartGroup): void => {
    groups.push(g);
    const k = `${g.sender}\u0000${g.serial}`;
    const list = bySource.get(k);
    if (list) list.push(g);
    else bySource.set(k, [g]);
  };
  const sorted = [...parts].sort((a, b) => a.name.timestampMs - b.name.timestampMs || a.name.part - b.name.part || a.name.name.localeCompare(b.name.name));
  for (const p of sorted) {
    if (p.name.part !== 0) continue;
    add({ id: p.name.base, sender: p.name.sender, serial: p.name.serial, anchorMs: p.name.timestampMs, parts: new Map([[0, p]]) });
  }
  for (const p of sorted) {
    if (p.name.part === 0) continue;
    let best: PartGroup | undefined;
    let bestDiff = Infinity;
    for (const g of bySource.get(`${p.name.sender}\u0000${p.name.serial}`) ?? []) {
      if (g.parts.has(p.name.part)) continue;
      // later parts are never stamped much before part 0; allow a little SMSC clock skew
      const diff = p.name.timestampMs - g.anchorMs;
      if (diff < -60_000 || diff > windowMs) continue;
      const abs = Math.abs(diff);
      if (abs < bestDiff) {
        best = g;
        bestDiff = abs;
      }
    }
    if (best) best.parts.set(p.name.part, p);
    // without part 0 the id names the first part seen, so a part 0 arriving after the wait is a
    // message of its own instead of a duplicate of this one (nothing is folded away)
    else add({ id: `${p.name.base}_${String(p.name.part).padStart(2, '0')}`, sender: p.name.sender, serial: p.name.serial, anchorMs: p.name.timestampMs, parts: new Map([[p.name.part, p]]) });
  }
  return groups;
}

/** Part numbers missing below the highest one seen (part 0 included). */
export function missingParts(present: Iterable<number>): number[] {
  const set = new Set(present);
  const max = Math.max(...set);
  const missing: number[] = [];
  for (let i = 0; i <= max; i++) if (!set.has(i)) missing.push(i);
  return missing;
}

/**
 * Which groups can be taken now: complete ones at once, incomplete ones once the earliest part has
 * waited `waitMs` (then what arrived is taken and marked incomplete).
 */
export function takeReady(groups: readonly PartGroup[], nowMs: number, waitMs: number): { ready: AssembledMessage[]; waiting: PartGroup[] } {
  const ready: AssembledMessage[] = [];
  const waiting: PartGroup[] = [];
  for (const g of groups) {
    const missing = missingParts(g.parts.keys());
    const firstSeen = Math.min(...[...g.parts.values()].map((p) => p.firstSeenMs));
    if (missing.length > 0 && nowMs - firstSeen < waitMs) {
      waiting.push(g);
      continue;
    }
    const parts = [...g.parts.values()].sort((a, b) => a.name.part - b.name.part);
    const earliest = parts.reduce((a, b) => (b.name.timestampMs < a.name.timestampMs ? b : a));
    ready.push({
      id: g.id,
      sender: g.sender,
      text: joinPartTexts(parts.map((p) => ({ seq: p.name.part, text: p.text }))),
      parts,
      missing,
      incomplete: missing.length > 0,
      timestampIso: earliest.name.timestampIso,
    });
  }
  return { ready, waiting };
}

/** The texts libgammu gives a status report (GSM_DecodeSMSStatusReportData), by TP-Status. */
export const SMSD_REPORT_TEXTS = ['Delivered', 'Pending', 'Failed', 'Unknown'] as const;
export type SmsdReportStatus = (typeof SMSD_REPORT_TEXTS)[number];

/**
 * A delivery report SMSD saved into the inbox (DeliveryReport = sms in its [smsd] section): a text file
 * like a received SMS, named after the number our reply went to, whose whole text is libgammu's status
 * word. Never a citizen's message (a citizen does not send the bare English word "Delivered").
 */
export function smsdDeliveryReport(msg: Pick<AssembledMessage, 'parts' | 'text'>): SmsdReportStatus | undefined {
  const only = msg.parts[0];
  if (msg.parts.length !== 1 || only === undefined || only.name.part !== 0 || only.name.ext !== 'txt') return undefined;
  return SMSD_REPORT_TEXTS.find((t) => t === msg.text);
}
