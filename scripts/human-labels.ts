/**
 * `aduan corpus export`: the labels people gave (triage settled with `aduan cases classify` or by
 * mail, `#bukan-aduan`, the division of a re-routed case) as training rows, so the classifier can
 * learn the secretariat's own messages:
 *
 *   aduan corpus train                        (exports them, then trains and checks, see scripts/train.ts), or by hand:
 *   aduan corpus export                       (writes <database dir>/corpus/human-labels.jsonl)
 *   npx tsx scripts/train.ts --extra data/corpus/human-labels.jsonl --out data/model
 *   classifier.modelDir: ./data/model         (in aduan.yaml; restart the intake worker)
 *
 * E-mail addresses, links and phone numbers are replaced by the mask tokens the model reads anyway;
 * names and addresses in the text remain, so the file is written readable by its owner only and
 * belongs with the database, not in the repository.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Db } from '../core/db/client.ts';
import { humanLabels } from '../core/repo/report.repo.ts';
import { LABELS } from '../core/understanding/classifier.ts';
import { maskPersonal } from '../core/understanding/normalize.ts';


export function exportHumanLabels(db: Db, file: string): { rows: number; perLabel: Record<string, number> } {
  const perLabel: Record<string, number> = {};
  const lines: string[] = [];
  for (const d of humanLabels(db)) {
    if (!(LABELS as readonly string[]).includes(d.label)) continue;
    const text = maskPersonal(d.subject && !d.text.includes(d.subject) ? `${d.subject}\n${d.text}` : d.text);
    const division = d.label === 'complaint' || d.label === 'question' ? d.divisionId : null;
    lines.push(JSON.stringify({ text, label: d.label, division, split: 'train', lang: 'mix', source: 'human', case: d.number }));
    perLabel[d.label] = (perLabel[d.label] ?? 0) + 1;
  }
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(file, lines.length ? `${lines.join('\n')}\n` : '', { mode: 0o600 });
  return { rows: lines.length, perLabel };
}
