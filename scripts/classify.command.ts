/**
 * `aduan classify [--json] [TEXT]` (issue 6 contract). With TEXT: classify and route that text.
 * Without TEXT: read JSON lines `{"text": …}` from stdin and write one JSON line per input, in
 * order: `{"label", "confidence", "division"}` (`division` only for complaints, else null).
 * Needs neither Redis nor the database.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { createInterface } from 'node:readline';
import type { Readable, Writable } from 'node:stream';
import type { AduanConfig } from '../core/config/schema.ts';
import { createAnalyzer, type Analysis } from '../core/understanding/index.ts';
import { classifierSchema } from '../core/config/schema.ts';
import { LIMITS } from '../core/limits.ts';

export interface ClassifyOptions {
  config?: AduanConfig;
  stdin?: Readable;
  stdout?: Writable;
}

function line(a: Analysis): { label: string; confidence: number; division: string | null } {
  const label = a.classification.label;
  return { label, confidence: Math.round(a.classification.confidence * 1000) / 1000, division: label === 'complaint' ? a.divisionId : null };
}

export async function runClassify(argv: string[], opts: ClassifyOptions = {}): Promise<number> {
  const out = opts.stdout ?? process.stdout;
  const json = argv.includes('--json');
  const words = argv.filter((a) => a !== '--json');
  if (words.some((w) => w === '--help' || w === '-h')) {
    out.write('usage: aduan classify [--json] [TEXT]\n  no TEXT: JSON lines {"text": …} on stdin → one {"label","confidence","division"} line each\n');
    return 0;
  }
  // (without a config: the shipped divisions; eval.ts loads the intake and with it BullMQ, which `aduan classify`, always given the config, need not wait for)
  const config = opts.config ?? await (async () => {
    const { loadDivisions } = await import('./eval.ts');
    const { ROOT } = await import('./train.ts');
    const divisionsFile = path.join(ROOT, 'config', 'divisions.yaml');
    return {
      divisions: existsSync(divisionsFile) ? loadDivisions(divisionsFile) : [{ id: 'humas', name: 'Humas', inbox: 'humas@localhost', staff: [], keywords: [], default: true }],
      classifier: classifierSchema.parse({}),
    };
  })();
  const analyzer = createAnalyzer(config);

  // (as intake takes a message: LIMITS.textMaxChars; a line of 200 KB took the normaliser seconds)
  const capped = (text: string): string => text.slice(0, LIMITS.textMaxChars);
  if (words.length > 0) {
    const a = analyzer.analyze(capped(words.join(' ')));
    if (json) {
      out.write(`${JSON.stringify(line(a))}\n`);
    } else {
      const l = line(a);
      out.write(`${l.label} (confidence ${l.confidence.toFixed(2)}${a.triage ? ', triage' : ''})${l.division ? ` → ${l.division} (${a.route.by})` : ''}\n`);
      out.write(`features: ${a.classification.features.join(', ')}\n`);
      // only a complaint goes to a division: the routing reasons of a statement or spam explain nothing
      if (l.division && a.route.reasons.length > 0) out.write(`route: ${a.route.reasons.join(', ')}\n`);
    }
    return 0;
  }

  let failed = 0;
  let n = 0;
  const rl = createInterface({ input: opts.stdin ?? process.stdin, crlfDelay: Infinity });
  for await (const input of rl) {
    n++;
    // (a file saved by Windows Notepad begins with a byte-order mark)
    const raw = n === 1 ? input.replace(/^\uFEFF/, '') : input;
    if (raw.trim() === '') continue;
    let parsed: unknown;
    let error: string | undefined;
    try {
      parsed = JSON.parse(raw);
    } catch (err) {
      error = `line ${n}: not JSON (${(err as Error).message}); expected {"text": "..."}`;
    }
    const text = typeof parsed === 'object' && parsed !== null ? (parsed as { text?: unknown }).text : undefined;
    if (error === undefined && typeof text !== 'string') error = `line ${n}: no "text" string; expected {"text": "..."}`;
    if (error !== undefined || typeof text !== 'string') {
      failed++;
      out.write(`${JSON.stringify({ label: null, confidence: null, division: null, error })}\n`);
      continue;
    }
    out.write(`${JSON.stringify(line(analyzer.analyze(capped(text))))}\n`);
  }
  return failed > 0 ? 1 : 0;
}
