import { asc, eq } from 'drizzle-orm';
import { caseEvents } from '../db/schema.ts';
import { getCaseByNumber } from '../repo/cases.repo.ts';
import type { Tx } from '../repo/contacts.repo.ts';

/** Events a citizen may see, with their Indonesian labels; internal notes and staff chatter stay internal. */
const PUBLIC: Record<string, { label: string; showText: boolean }> = {
  received: { label: 'Aduan diterima', showText: false },
  forwarded: { label: 'Diteruskan ke komisi/bagian terkait', showText: false },
  rerouted: { label: 'Dialihkan ke komisi/bagian lain', showText: false },
  review_started: { label: 'Sedang dikaji', showText: false },
  corrective_action: { label: 'Tindakan perbaikan direncanakan', showText: false },
  result_sent: { label: 'Hasil tindak lanjut', showText: true },
  reopened: { label: 'Dibuka kembali atas tanggapan Anda', showText: false },
  closed_satisfied: { label: 'Selesai (Anda puas)', showText: false },
  closed_no_answer: { label: 'Selesai (tidak ada tanggapan)', showText: false },
  reclassified: { label: 'Dicatat sebagai pernyataan', showText: false },
  archived: { label: 'Diarsipkan', showText: false },
};

export function publicTimeline(tx: Tx, number: string): { at: string; label: string; text: string | null }[] {
  const kase = getCaseByNumber(tx, number);
  if (!kase) return [];
  return tx.select().from(caseEvents).where(eq(caseEvents.caseId, kase.id)).orderBy(asc(caseEvents.id)).all()
    .filter((e) => Object.hasOwn(PUBLIC, e.type))
    .map((e) => ({ at: e.at, label: PUBLIC[e.type]!.label, text: PUBLIC[e.type]!.showText ? e.text : null }));
}
