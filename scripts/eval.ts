/**
 * Score the classifier and router on real public data (never trained on) and on the project's own
 * held-out split.
 *
 *   npm run eval -- ../shared/data/eval      (a missing folder is skipped, exit 0)
 *
 * Per set: rows scored, accuracy, per-class precision/recall/F1, macro-F1, confusion matrix,
 * messages/s. Targets (issue 6): Bandung complaint F1 ≥ 0.85 with recall ≥ 0.90; Surabaya routing
 * accuracy ≥ 0.80; SMS spam recall ≥ 0.95 with ≤ 2 % of normal messages called spam.
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse as parseYaml } from 'yaml';
import { divisionSchema, type DivisionConfig } from '../core/config/schema.ts';
import { createAnalyzer, type Analysis, type TextAnalyzer } from '../core/understanding/index.ts';
import { waitsForTheRest } from '../core/intake.ts';
import { measureRepeats, printRepeats } from './eval-repeats.ts';
import { loadCorpus, ROOT } from './train.ts';
import { normalize, tokenize } from '../core/understanding/normalize.ts';
import { PROBLEM, REQUEST } from '../core/understanding/lexicon.ts';
import { classifierSchema, dedupeSchema } from '../core/config/schema.ts';
import { placeNumbers, placesConflict } from '../core/places.ts';
import { problemSignature, sameProblem, saysOnlyWhoAndWhere } from '../core/understanding/problem.ts';

/** A few Sundanese particles (diagnostics only: the share of tweets written in Sundanese-mixed Indonesian). */
const SUNDA_PARTICLES = new Set(['teh', 'mah', 'atuh', 'euy', 'wae', 'ieu', 'eta', 'nu', 'ti', 'abdi', 'kumaha', 'iraha', 'pisan', 'deui', 'aya', 'teu']);

interface DevRow { text: string; label: string; kind?: string }

/** A hand-written dev set (config/dev/<name>.jsonl, outside config/corpus: never trained on); null when absent. */
function readDevSet<T = DevRow>(name: string): T[] | null {
  const file = path.join(ROOT, 'config', 'dev', `${name}.jsonl`);
  if (!existsSync(file)) return null;
  return readFileSync(file, 'utf8').split('\n').filter((l) => l.trim()).map((l) => JSON.parse(l) as T);
}

/**
 * The hand-written pairs of config/dev/repeats.jsonl: two citizens' reports of the same problem in their
 * own words, and near misses (the same street with another problem, the same problem in another street),
 * judged as intake does when no text repeats the other (problem.ts at dedupe.problemSimilarity, the
 * place-number guard). Written with the matcher, so optimistic: the real-data repeat figures below are the check.
 */
function evalRepeatDev(): void {
  const rows = readDevSet<{ a: string; b: string; same: boolean }>('repeats');
  if (!rows) return;
  const threshold = dedupeSchema.parse({}).problemSimilarity;
  let found = 0, same = 0, falseLinks = 0;
  for (const r of rows) {
    const linked = !placesConflict(placeNumbers(r.a), placeNumbers(r.b)) && sameProblem(problemSignature(r.b), r.b, problemSignature(r.a), threshold) !== undefined;
    if (r.same) { same++; if (linked) found++; } else if (linked) falseLinks++;
    if (process.env['EVAL_DEV_ERRORS'] && linked !== r.same) console.log(`   dev ${r.same ? 'miss' : 'false link'}: ${r.a} | ${r.b}`);
  }
  console.log(`\n== dev repeats config/dev/repeats.jsonl (hand-written pairs, dedupe.problemSimilarity ${threshold}): same problem in other words found ${found}/${same}; near misses linked ${falseLinks}/${rows.length - same}`);
}

/** RFC 4180 CSV (quoted fields, doubled quotes, newlines inside quotes). */
export function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    if (quoted) {
      if (ch === '"') { if (text[i + 1] === '"') { field += '"'; i++; } else quoted = false; } else field += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ',') { row.push(field); field = ''; }
    else if (ch === '\n' || ch === '\r') {
      if (ch === '\r' && text[i + 1] === '\n') i++;
      row.push(field); rows.push(row); row = []; field = '';
    } else field += ch;
  }
  if (field !== '' || row.length > 0) { row.push(field); rows.push(row); }
  return rows;
}

function readCsv(file: string): Array<Record<string, string>> {
  const [header, ...rows] = parseCsv(readFileSync(file, 'utf8').replace(/^\uFEFF/, ''));
  if (!header) return [];
  return rows.filter((r) => r.length === header.length).map((r) => Object.fromEntries(header.map((h, i) => [h.trim(), r[i] ?? ''])));
}

export interface Scores {
  rows: number;
  accuracy: number;
  perClass: Record<string, { precision: number; recall: number; f1: number; support: number }>;
  macroF1: number;
  confusion: Record<string, Record<string, number>>;
  msgsPerSec: number;
}

export function score(pairs: Array<[gold: string, pred: string]>, classes: string[], seconds: number, predicted?: string[]): Scores {
  const confusion: Record<string, Record<string, number>> = {};
  const predClasses = predicted ?? [...new Set([...classes, ...pairs.map((p) => p[1])])];
  for (const g of classes) confusion[g] = Object.fromEntries(predClasses.map((p) => [p, 0]));
  let correct = 0;
  for (const [g, p] of pairs) { confusion[g]![p] = (confusion[g]![p] ?? 0) + 1; if (g === p) correct++; }
  const perClass: Scores['perClass'] = {};
  for (const c of classes) {
    const tp = confusion[c]?.[c] ?? 0;
    const support = Object.values(confusion[c] ?? {}).reduce((a, b) => a + b, 0);
    const predicted = classes.reduce((a, g) => a + (confusion[g]?.[c] ?? 0), 0);
    const precision = predicted ? tp / predicted : 0;
    const recall = support ? tp / support : 0;
    perClass[c] = { precision, recall, f1: precision + recall ? (2 * precision * recall) / (precision + recall) : 0, support };
  }
  const present = classes.filter((c) => perClass[c]!.support > 0);
  return {
    rows: pairs.length, accuracy: pairs.length ? correct / pairs.length : 0, perClass,
    macroF1: present.reduce((a, c) => a + perClass[c]!.f1, 0) / Math.max(1, present.length), confusion,
    msgsPerSec: seconds > 0 ? pairs.length / seconds : 0,
  };
}

const f = (x: number): string => x.toFixed(3);

export function printScores(name: string, s: Scores, extra: string[] = []): void {
  console.log(`\n== ${name}: ${s.rows} rows, accuracy ${f(s.accuracy)}, macro-F1 ${f(s.macroF1)}, ${Math.round(s.msgsPerSec)} msgs/s`);
  for (const [c, m] of Object.entries(s.perClass)) console.log(`   ${c.padEnd(14)} P ${f(m.precision)}  R ${f(m.recall)}  F1 ${f(m.f1)}  (n=${m.support})`);
  const cols = [...new Set(Object.values(s.confusion).flatMap((r) => Object.keys(r)))];
  console.log(`   confusion (rows gold, columns predicted):\n   ${''.padEnd(14)}${cols.map((c) => c.slice(0, 11).padStart(12)).join('')}`);
  for (const [g, r] of Object.entries(s.confusion)) console.log(`   ${g.slice(0, 13).padEnd(14)}${cols.map((c) => String(r[c] ?? 0).padStart(12)).join('')}`);
  for (const e of extra) console.log(`   ${e}`);
}

function timed<T>(fn: () => T): [T, number] {
  const t0 = process.hrtime.bigint();
  const r = fn();
  return [r, Number(process.hrtime.bigint() - t0) / 1e9];
}

export function loadDivisions(file = path.join(ROOT, 'config', 'divisions.yaml')): DivisionConfig[] {
  const raw = parseYaml(readFileSync(file, 'utf8')) as { divisions: unknown[] };
  return raw.divisions.map((d) => divisionSchema.parse(d));
}

/**
 * What intake does with a message (SOP step 3), the audit sample aside: forwarded (complaint or
 * question), left for a person (triage), or settled without one (statement thanked, spam dropped).
 */
type Outcome = 'forwarded' | 'triage' | 'settled';
const outcomeOf = (a: Analysis): Outcome => (a.triage ? 'triage' : a.classification.label === 'statement' || a.classification.label === 'spam' ? 'settled' : 'forwarded');
function outcomes(preds: readonly Analysis[], keep: (i: number) => boolean = () => true): Record<Outcome, number> {
  const n: Record<Outcome, number> = { forwarded: 0, triage: 0, settled: 0 };
  preds.forEach((p, i) => { if (keep(i)) n[outcomeOf(p)]++; });
  return n;
}
const showOutcome = (n: Record<Outcome, number>): string => {
  const all = n.forwarded + n.triage + n.settled;
  return (['forwarded', 'triage', 'settled'] as const).map((k) => `${k} ${n[k]} (${(n[k] / Math.max(1, all) * 100).toFixed(1)}%)`).join(', ');
};

function evalBandung(dir: string, an: TextAnalyzer): boolean {
  const file = path.join(dir, 'bandung-complaint-tweets', 'bandung_complaint_tweets.csv');
  if (!existsSync(file)) { console.log('\n== bandung-complaint-tweets: absent, skipped'); return true; }
  const rows = readCsv(file).filter((r) => ['keluhan', 'respon', 'bukan_keluhan_respon'].includes(r['label'] ?? ''));
  const [preds, secs] = timed(() => rows.map((r) => an.analyze(r['tweet'] ?? '')));
  const pairs = rows.map((r, i): [string, string] => [r['label'] === 'keluhan' ? 'complaint' : 'not_complaint', preds[i]!.classification.label === 'complaint' ? 'complaint' : 'not_complaint']);
  const s = score(pairs, ['complaint', 'not_complaint'], secs);
  const four = score(rows.map((r, i): [string, string] => [r['label'] === 'keluhan' ? 'complaint' : 'not_complaint', preds[i]!.classification.label]), ['complaint', 'not_complaint'], secs, ['complaint', 'statement', 'question', 'spam']);
  const c = s.perClass['complaint']!;
  const ok = c.f1 >= 0.85 && c.recall >= 0.9;
  // half the rows are retweets of a few hundred texts: the same figures with each text counted once
  const seen = new Set<string>();
  const distinct = pairs.filter((_, i) => {
    const key = normalize(rows[i]!['tweet'] ?? '').replace(/\bx(?:mention|url)\b/g, '').replace(/\s+/g, ' ').trim();
    return seen.has(key) ? false : (seen.add(key), true);
  });
  const d = score(distinct, ['complaint', 'not_complaint'], secs).perClass['complaint']!;
  if (process.env['EVAL_BANDUNG_DIAG']) {
    // aggregate counts only (no row is printed): predicted complaint share per source label and shape
    const groups: Record<string, [number, number]> = {};
    const add = (k: string, isComplaint: boolean): void => { const g = (groups[k] ??= [0, 0]); g[0]++; if (isComplaint) g[1]++; };
    rows.forEach((r, i) => {
      const t = r['tweet'] ?? '';
      const pc = preds[i]!.classification.label === 'complaint';
      const gold = r['label'] ?? '';
      add(`label=${gold}`, pc);
      add(`label=${gold} rt=${/^RT @/i.test(t)}`, pc);
      add(`label=${gold} url=${/https?:\/\//.test(t)}`, pc);
      add(`label=${gold} q=${t.includes('?')}`, pc);
      add(`label=${gold} topic=${(r['topik_umum'] ?? '').slice(0, 20)}`, pc);
      add(`label=${gold} words=${Math.min(30, Math.floor(t.split(/\s+/).length / 5) * 5)}`, pc);
      const toks = tokenize(t);
      add(`label=${gold} lex:problem=${toks.some((x) => PROBLEM.has(x))}`, pc);
      add(`label=${gold} lex:request=${toks.some((x) => REQUEST.has(x))}`, pc);
      add(`label=${gold} sundanese=${toks.some((x) => SUNDA_PARTICLES.has(x))}`, pc);
    });
    for (const [k, [n, p]] of Object.entries(groups).sort()) if (n >= 20) console.log(`   diag ${k.padEnd(60)} n=${String(n).padStart(5)} predicted complaint ${(p / n).toFixed(2)}`);
  }
  printScores('bandung-complaint-tweets (complaint vs not)', s, [
    `4-label predictions per gold class: ${JSON.stringify(four.confusion)}`,
    `distinct texts only (retweets counted once): ${distinct.length} rows, complaint P ${f(d.precision)} R ${f(d.recall)} F1 ${f(d.f1)}`,
    `what intake does (settled = thanked/dropped without a person): complaints ${showOutcome(outcomes(preds, (i) => pairs[i]![0] === 'complaint'))}; not complaints ${showOutcome(outcomes(preds, (i) => pairs[i]![0] !== 'complaint'))}`,
    `target complaint F1 >= 0.85 and recall >= 0.90: F1 ${f(c.f1)}, recall ${f(c.recall)} -> ${ok ? 'MET' : 'MISSED'}`,
  ]);
  return ok;
}

function evalSurabaya(dir: string, an: TextAnalyzer): boolean {
  const base = path.join(dir, 'surabaya-keluhan');
  const file = path.join(base, 'surabaya_keluhan_2022_2023.csv');
  if (!existsSync(file)) { console.log('\n== surabaya-keluhan: absent, skipped'); return true; }
  const map = new Map(readCsv(path.join(base, 'instansi_to_komisi.csv')).map((r) => [(r['instansi'] ?? '').trim(), (r['komisi'] ?? '').trim()]));
  const rows = readCsv(file).filter((r) => map.has((r['instansi'] ?? '').trim()));
  const [preds, secs] = timed(() => rows.map((r) => an.analyze(r['keluhan'] ?? '')));
  const pairs = rows.map((r, i): [string, string] => [map.get((r['instansi'] ?? '').trim())!, preds[i]!.route.divisionId]);
  const s = score(pairs, ['komisi-a', 'komisi-b', 'komisi-c', 'komisi-d'], secs);
  const by: Record<string, number> = {};
  const byOk: Record<string, number> = {};
  preds.forEach((p, i) => { by[p.route.by] = (by[p.route.by] ?? 0) + 1; if (pairs[i]![0] === pairs[i]![1]) byOk[p.route.by] = (byOk[p.route.by] ?? 0) + 1; });
  const labels: Record<string, number> = {};
  for (const p of preds) labels[p.classification.label] = (labels[p.classification.label] ?? 0) + 1;
  const complaintRecall = (labels['complaint'] ?? 0) / Math.max(1, preds.length);
  const ok = s.accuracy >= 0.8;
  if (process.env['EVAL_ROUTING_DIAG']) routingDiagnostics(pairs, preds.map((p) => p.route));
  printScores('surabaya-keluhan (routing to commission)', s, [
    `routed by (rows, accuracy): ${Object.entries(by).map(([k, n]) => `${k} ${n} ${f((byOk[k] ?? 0) / n)}`).join(', ')}`,
    `classifier labels (nearly all rows are complaints/requests): ${JSON.stringify(labels)}; complaint recall ${f(complaintRecall)}, complaint-or-question ${f(((labels['complaint'] ?? 0) + (labels['question'] ?? 0)) / Math.max(1, preds.length))}`,
    // the worst error: a complaint settled as a statement or spam is thanked or dropped, never forwarded
    `what intake does (settled = thanked/dropped without a person): ${showOutcome(outcomes(preds))}`,
    waitingLine(rows.map((r) => r['keluhan'] ?? ''), preds),
    `target routing accuracy >= 0.80: ${f(s.accuracy)} -> ${ok ? 'MET' : 'MISSED'}`,
  ]);
  return ok;
}

/**
 * How many complaints would wait for the rest of their report if they came by SMS or chat (only who and
 * where: core/intake.ts holdsForward): forwarded up to dedupe.continuationMinutes
 * later, or at once with the next message of their sender.
 */
function waitingLine(texts: readonly string[], preds: readonly Analysis[]): string {
  let complaints = 0, waiting = 0, asking = 0;
  preds.forEach((p, i) => {
    if (p.triage || p.classification.label !== 'complaint') return;
    complaints++;
    const features = p.route.reasons.map((r) => `route:${r}`);
    if (waitsForTheRest(texts[i]!, { kind: 'complaint', features }, dedupeSchema.parse({}).continuationMaxWords)) waiting++;
    if (saysOnlyWhoAndWhere(texts[i]!, features)) asking++;
  });
  const share = (n: number) => `${n} of ${complaints} (${(n / Math.max(1, complaints) * 100).toFixed(1)}%)`;
  return `complaints that say only who and where, no problem and no division keyword naming the subject (by SMS/chat their forward waits dedupe.continuationMinutes for the rest): ${share(waiting)}; `
    + `forwarded as they are, any channel, whose forward asks the division to find out the problem: ${share(asking)}`;
}

/**
 * Aggregate-only routing diagnostics (EVAL_ROUTING_DIAG=1): accuracy per gold class and routing
 * source, and per keyword rule how often it decided a route and how often that was right. Prints
 * counts and the project's own keyword strings only, never message texts.
 */
function routingDiagnostics(pairs: Array<[string, string]>, routes: Array<{ by: string; reasons: string[]; confidence: number }>): void {
  const cell: Record<string, [number, number]> = {};
  const kw: Record<string, { n: number; ok: number; gold: Record<string, number> }> = {};
  const conf: Record<string, [number, number]> = {};
  pairs.forEach(([g, p], i) => {
    const r = routes[i]!;
    const key = `${g} by ${r.by}`;
    const c = (cell[key] ??= [0, 0]); c[0]++; if (g === p) c[1]++;
    const kp = `${key} -> ${p}`;
    const cp = (cell[kp] ??= [0, 0]); cp[0]++; if (g === p) cp[1]++;
    if (r.by === 'keyword') {
      for (const reason of r.reasons) {
        const k = (kw[`${p} ${reason}`] ??= { n: 0, ok: 0, gold: {} });
        k.n++; if (g === p) k.ok++; k.gold[g] = (k.gold[g] ?? 0) + 1;
      }
    } else {
      const b = `${r.by} conf ${(Math.floor(r.confidence * 10) / 10).toFixed(1)}`;
      const cc = (conf[b] ??= [0, 0]); cc[0]++; if (g === p) cc[1]++;
    }
  });
  console.log('\n   [diag] gold class by routing source (rows, correct):');
  for (const [k, [n, ok]] of Object.entries(cell).sort()) console.log(`     ${k.padEnd(24)} ${String(n).padStart(6)} ${f(ok / n)}`);
  console.log('   [diag] topic/default by confidence bucket (rows, correct):');
  for (const [k, [n, ok]] of Object.entries(conf).sort()) console.log(`     ${k.padEnd(24)} ${String(n).padStart(6)} ${f(ok / n)}`);
  console.log('   [diag] keyword rules that decided a route, most wrong first (pred kw: rows, correct, gold counts):');
  for (const [k, v] of Object.entries(kw).sort((a, b) => (b[1].n - b[1].ok) - (a[1].n - a[1].ok)).slice(0, Number(process.env['EVAL_ROUTING_DIAG']) > 1 ? Number(process.env['EVAL_ROUTING_DIAG']) : 60)) {
    console.log(`     ${k.padEnd(36)} ${String(v.n).padStart(5)} ${String(v.ok).padStart(5)} ${JSON.stringify(v.gold)}`);
  }
}

function evalSms(dir: string, an: TextAnalyzer): boolean {
  const file = path.join(dir, 'sms-spam-id', 'dataset_sms_spam_v1.csv');
  if (!existsSync(file)) { console.log('\n== sms-spam-id: absent, skipped'); return true; }
  const rows = readCsv(file).filter((r) => ['0', '1', '2'].includes((r['label'] ?? '').trim()));
  const [preds, secs] = timed(() => rows.map((r) => an.analyze(r['Teks'] ?? '')));
  const gold = (r: Record<string, string>): string => ((r['label'] ?? '').trim() === '0' ? 'normal' : 'spam');
  const pairs = rows.map((r, i): [string, string] => [gold(r), preds[i]!.classification.label === 'spam' ? 'spam' : 'normal']);
  const s = score(pairs, ['spam', 'normal'], secs);
  const byOrig = score(rows.map((r, i): [string, string] => [`label-${(r['label'] ?? '').trim()}`, preds[i]!.classification.label]), ['label-0', 'label-1', 'label-2'], secs, ['complaint', 'statement', 'question', 'spam']);
  const recall = s.perClass['spam']!.recall;
  const falseSpam = 1 - s.perClass['normal']!.recall;
  const ok = recall >= 0.95 && falseSpam <= 0.02;
  // what intake does with them: spam below classifier.spamTriageBelow waits for a human, the rest is dropped unseen
  const normal = rows.filter((r) => gold(r) === 'normal').length;
  const dropped = rows.filter((r, i) => gold(r) === 'normal' && preds[i]!.classification.label === 'spam' && !preds[i]!.triage).length;
  const spamTotal = rows.length - normal;
  const settled = rows.filter((r, i) => gold(r) === 'spam' && preds[i]!.classification.label === 'spam' && !preds[i]!.triage).length;
  printScores('sms-spam-id (fraud+promo vs normal)', s, [
    `4-label predictions per original label (0 normal, 1 fraud, 2 promo): ${JSON.stringify(byOrig.confusion)}`,
    `what intake does (spam below classifier.spamTriageBelow goes to triage): normal messages dropped as spam without a human ${dropped}/${normal} (${(dropped / normal * 100).toFixed(1)}%); spam dropped without a human ${settled}/${spamTotal} (${(settled / spamTotal * 100).toFixed(1)}%), ${spamTotal - settled} left for triage or other labels`,
    `target spam recall >= 0.95 and normal called spam <= 2%: recall ${f(recall)}, false spam ${(falseSpam * 100).toFixed(1)}% -> ${ok ? 'MET' : 'MISSED'}`,
  ]);
  return ok;
}

/** A dev set classified and scored two ways: by a binary view of the labels and by the 4 labels. */
function scoreDevSet(an: TextAnalyzer, name: 'sms' | 'tweets', binary: (label: string) => string, binaryLabels: string[]) {
  const rows = readDevSet(name);
  if (!rows) { console.log(`\n== dev ${name}: absent, skipped`); return undefined; }
  const [preds, secs] = timed(() => rows.map((r) => an.analyze(r.text).classification));
  const s = score(rows.map((r, i): [string, string] => [binary(r.label), binary(preds[i]!.label)]), binaryLabels, secs);
  const four = score(rows.map((r, i): [string, string] => [r.label, preds[i]!.label]), ['complaint', 'statement', 'question', 'spam'], secs);
  return { rows, preds, s, four };
}

/**
 * The hand-written SMS dev set (config/dev/sms.jsonl, kept out of config/corpus so training never
 * sees it): spam vs not, spam recall per kind (fraud, promo), false spam among personal SMS and
 * complaints, and the 4-label confusion. EVAL_DEV_ERRORS=1 lists the project's own misread dev rows.
 */
function evalSmsDev(an: TextAnalyzer): void {
  const dev = scoreDevSet(an, 'sms', (l) => (l === 'spam' ? 'spam' : 'not_spam'), ['spam', 'not_spam']);
  if (!dev) return;
  const { rows, preds, s, four } = dev;
  const byKind: Record<string, [number, number]> = {};
  rows.forEach((r, i) => { const k = (byKind[r.kind ?? r.label] ??= [0, 0]); k[0]++; if (preds[i]!.label === 'spam') k[1]++; });
  printScores('dev sms (hand-written, spam vs not)', s, [
    `called spam per kind: ${Object.entries(byKind).map(([k, [n, sp]]) => `${k} ${sp}/${n} (${f(sp / n)})`).join(', ')}`,
  ]);
  printScores('dev sms (4 labels)', four);
  if (process.env['EVAL_DEV_ERRORS']) {
    rows.forEach((r, i) => {
      const p = preds[i]!;
      if ((r.label === 'spam') !== (p.label === 'spam') || (r.label === 'complaint' && p.label !== 'complaint')) {
        console.log(`   miss ${r.label}->${p.label} p(spam)=${(p.probabilities['spam'] ?? 0).toFixed(2)} ${r.text}`);
      }
    });
  }
}

function evalHeldOut(an: TextAnalyzer): void {
  const rows = loadCorpus().filter((r) => r.split === 'test');
  const [preds, secs] = timed(() => rows.map((r) => an.analyze(r.text)));
  printScores('project corpus held-out split (4 labels)', score(rows.map((r, i): [string, string] => [r.label, preds[i]!.classification.label]), ['complaint', 'statement', 'question', 'spam'], secs));
  const routed = rows.map((r, i) => [r, preds[i]!] as const).filter(([r]) => r.label === 'complaint' && r.division);
  printScores('project corpus held-out split (routing of complaints)', score(routed.map(([r, p]): [string, string] => [r.division!, p.route.divisionId]), ['komisi-a', 'komisi-b', 'komisi-c', 'komisi-d', 'humas'], secs));
}

/**
 * The hand-written tweet dev set (config/dev/tweets.jsonl, our own text, never trained on): complaint
 * vs not and the 4-label confusion. EVAL_DEV_ERRORS=1 lists its misclassified rows (our own text).
 */
function evalDev(an: TextAnalyzer): void {
  const binary = (l: string): string => (l === 'complaint' ? 'complaint' : 'not_complaint');
  const dev = scoreDevSet(an, 'tweets', binary, ['complaint', 'not_complaint']);
  if (!dev) return;
  const { rows, preds, s, four } = dev;
  const c = s.perClass['complaint']!;
  printScores('dev tweets config/dev/tweets.jsonl (complaint vs not)', s, [
    `4-label accuracy ${f(four.accuracy)}, confusion (gold -> predicted): ${JSON.stringify(four.confusion)}`,
    `complaint P ${f(c.precision)} R ${f(c.recall)} F1 ${f(c.f1)}`,
  ]);
  if (process.env['EVAL_DEV_ERRORS']) {
    rows.forEach((r, i) => {
      const p = preds[i]!;
      if (binary(r.label) !== binary(p.label)) console.log(`   dev miss ${r.label} -> ${p.label} (${p.confidence.toFixed(2)}): ${r.text}`);
    });
  }
}

/**
 * The written dev set (config/dev/written.jsonl, 4,518 messages written one by one for this project, not
 * made by any generator, never trained on): tweets to city accounts (chatter, agencies' posts and news,
 * complaints in many wordings), boundary cases, personal SMS that use spam's words, SMS spam. Per part:
 * complaint precision and recall (complaint vs not), personal messages called spam, spam found. It
 * shows the real sets' symptom on our own text: chatter and agencies' posts called complaints.
 * Training on it did not carry over to the real sets (see README, "How well it reads real messages").
 */
function evalWrittenDev(an: TextAnalyzer): void {
  const rows = readDevSet<DevRow & { set: string }>('written');
  if (!rows) return;
  const [preds, secs] = timed(() => rows.map((r) => an.analyze(r.text).classification.label));
  const parts = [...new Set(rows.map((r) => r.set))].sort();
  const all = score(rows.map((r, i): [string, string] => [r.label, preds[i]!]), ['complaint', 'statement', 'question', 'spam'], secs);
  console.log(`\n== dev written config/dev/written.jsonl (hand-written, 4 labels): ${rows.length} rows, accuracy ${f(all.accuracy)}, macro-F1 ${f(all.macroF1)}, ${Math.round(all.msgsPerSec)} msgs/s`);
  for (const part of parts) {
    const idx = rows.map((r, i) => (r.set === part ? i : -1)).filter((i) => i >= 0);
    const count = (gold: (l: string) => boolean, pred: (l: string) => boolean): [number, number] => {
      const g = idx.filter((i) => gold(rows[i]!.label));
      return [g.filter((i) => pred(preds[i]!)).length, g.length];
    };
    const [cc, cn] = count((l) => l === 'complaint', (l) => l === 'complaint');
    const [nc, nn] = count((l) => l !== 'complaint', (l) => l === 'complaint');
    const [ss, sn] = count((l) => l === 'spam', (l) => l === 'spam');
    const [ns, nsn] = count((l) => l !== 'spam', (l) => l === 'spam');
    const share = (a: number, b: number): string => `${a}/${b} (${f(a / b)})`;
    console.log(`   ${part.padEnd(16)} ${[
      cn ? `complaints found ${share(cc, cn)}` : '', nn ? `not complaints called complaint ${share(nc, nn)}` : '',
      sn ? `spam found ${share(ss, sn)}` : '', nsn ? `not spam called spam ${share(ns, nsn)}` : '',
    ].filter(Boolean).join(', ')}`);
  }
}

/** Repeat detection on the two sets whose PROVENANCE names near-identical groups (no target in the issue: figures only). */
export function evalRepeats(dir: string): void {
  const sets = [
    // each set's own annotation of a row: "same problem" keeps it (missing: "-", "0" or empty)
    { name: 'bandung-complaint-tweets', file: path.join(dir, 'bandung-complaint-tweets', 'bandung_complaint_tweets.csv'), text: 'tweet', at: 'timestamp', annotation: ['topik_spesifik', 'lokasi'] },
    { name: 'surabaya-keluhan', file: path.join(dir, 'surabaya-keluhan', 'surabaya_keluhan_2022_2023.csv'), text: 'keluhan', at: 'tanggal_keluhan', annotation: ['topik'] },
  ];
  const known = (v: string | undefined): v is string => v !== undefined && !['', '-', '0'].includes(v.trim());
  for (const s of sets) {
    if (!existsSync(s.file)) continue;
    printRepeats(s.name, measureRepeats(readCsv(s.file).map((r) => {
      const parts = s.annotation.map((c) => r[c]);
      return { text: r[s.text] ?? '', at: r[s.at] ?? '', ...(parts.every(known) ? { annotation: parts.map((p) => p.trim().toLowerCase()).join(' | ') } : {}) };
    }), loadDivisions()));
  }
}

export async function main(argv: string[]): Promise<number> {
  const dir = argv.find((a) => !a.startsWith('-'));
  const an = createAnalyzer({ divisions: loadDivisions(), classifier: classifierSchema.parse({}) });
  evalHeldOut(an);
  evalDev(an);
  evalSmsDev(an);
  evalWrittenDev(an);
  evalRepeatDev();
  if (!dir || !existsSync(dir)) {
    console.log(`\nreal evaluation data ${dir ? `not found at ${dir}` : 'path not given'}: skipped`);
    return 0;
  }
  const results = [evalBandung(dir, an), evalSurabaya(dir, an), evalSms(dir, an)];
  evalRepeats(dir);
  console.log(`\ntargets met: ${results.filter(Boolean).length}/3`);
  return 0;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === path.resolve(process.argv[1])) {
  main(process.argv.slice(2)).then((code) => { process.exitCode = code; }, (err: unknown) => { console.error(err); process.exitCode = 1; });
}
