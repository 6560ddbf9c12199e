/**
 * A multinomial logistic-regression model over sparse named features: small, fast and explainable
 * (each decision lists the features that pushed it most). Shared by the message classifier and the
 * division topic model; trained by scripts/train.ts, stored as JSON under config/model/.
 */
import { tokenize, MASK } from './normalize.ts';
import { FUNCTION, NEGATION, PROBLEM, QUESTION, REQUEST, SPAM, THANKS } from './lexicon.ts';

export interface LinearModel {
  version: 1;
  kind: string;
  labels: string[];
  /** Per-label bias, same order as labels. */
  bias: number[];
  /** Feature name → weights per label. */
  weights: Record<string, number[]>;
  /** Added to a label's score at decision time (tuning, e.g. for complaint recall). */
  offsets?: Record<string, number>;
  featureSet: 'classifier' | 'topic';
  meta?: Record<string, unknown>;
}

export interface Prediction {
  label: string;
  confidence: number;
  probabilities: Record<string, number>;
  /** Top contributing features for the chosen label, e.g. "w:rusak", "lex:problem". */
  features: string[];
}

export type FeatureVector = Map<string, number>;

/** Per-token feature keys, cached: tokens repeat (Zipf), string slicing does not need to. */
const TOKEN_CACHE_MAX = 30_000;
const classifierTokenCache = new Map<string, { w: string; grams: string[]; lex: number; fn: boolean }>();
const LEX_PROBLEM = 1, LEX_REQUEST = 2, LEX_THANKS = 4, LEX_SPAM = 8, LEX_QUESTION = 16, LEX_NEGATION = 32;

function classifierToken(t: string): { w: string; grams: string[]; lex: number; fn: boolean } {
  let e = classifierTokenCache.get(t);
  if (e) return e;
  const grams: string[] = [];
  const fn = FUNCTION.has(t);
  if (!fn && t.length >= 4 && t.charCodeAt(0) !== 120 /* x-masks */) {
    const p = ` ${t} `;
    for (let j = 0; j + 4 <= p.length; j++) grams.push(`c:${p.slice(j, j + 4)}`);
  }
  const lex = (PROBLEM.has(t) ? LEX_PROBLEM : 0) | (REQUEST.has(t) ? LEX_REQUEST : 0) | (THANKS.has(t) ? LEX_THANKS : 0) |
    (SPAM.has(t) ? LEX_SPAM : 0) | (QUESTION.has(t) ? LEX_QUESTION : 0) | (NEGATION.has(t) ? LEX_NEGATION : 0);
  e = { w: `w:${t}`, grams, lex, fn };
  if (classifierTokenCache.size >= TOKEN_CACHE_MAX) classifierTokenCache.clear();
  classifierTokenCache.set(t, e);
  return e;
}

function add(v: FeatureVector, key: string, value = 1): void {
  v.set(key, (v.get(key) ?? 0) + value);
}

/** Features for the classifier: words, word bigrams, character 3–4-grams, lexicon counts, shape. */
/** The sentence-level features (lexicon counts, shape, masks) of a token list. */
function classifierExtras(text: string, tokens: readonly string[], out: (key: string, value: number) => void): void {
  let problem = 0, request = 0, thanks = 0, spam = 0, question = 0, negation = 0;
  let url = false, phone = false, money = false;
  for (const t of tokens) {
    const lex = classifierToken(t).lex;
    if (lex & LEX_PROBLEM) problem++;
    if (lex & LEX_REQUEST) request++;
    if (lex & LEX_THANKS) thanks++;
    if (lex & LEX_SPAM) spam++;
    if (lex & LEX_QUESTION) question++;
    if (lex & LEX_NEGATION) negation++;
    if (t === MASK.url) url = true; else if (t === MASK.phone) phone = true; else if (t === MASK.money) money = true;
  }
  if (problem) out('lex:problem', Math.min(problem, 4));
  if (request) out('lex:request', Math.min(request, 4));
  if (thanks) out('lex:thanks', Math.min(thanks, 4));
  if (spam) out('lex:spam', Math.min(spam, 4));
  if (question) out('lex:question', Math.min(question, 3));
  if (negation) out('lex:negation', Math.min(negation, 3));
  if (problem && request) out('lex:problem+request', 1);
  if (thanks && !problem) out('lex:thanks-only', 1);
  if (tokens.includes('?')) out('shape:qmark', 1);
  const n = tokens.length;
  out(n <= 2 ? 'shape:len<=2' : n <= 6 ? 'shape:len<=6' : n <= 20 ? 'shape:len<=20' : 'shape:len>20', 1);
  if (/[A-Z]{6,}/.test(text) && text === text.toUpperCase()) out('shape:allcaps', 1);
  // a retweet forwards someone else's post (news, an agency's work report): the masking drops "RT @x:"
  if (/^\s*rt\s+@\w+/i.test(text)) out('shape:rt', 1);
  if (url) out(`mask:${MASK.url}`, 1);
  if (phone) out(`mask:${MASK.phone}`, 1);
  if (money) out(`mask:${MASK.money}`, 1);
}

/** Features for the classifier: words, word bigrams, character 4-grams, lexicon counts, shape. */
export function classifierFeatures(text: string, tokens: string[] = tokenize(text)): FeatureVector {
  const v: FeatureVector = new Map();
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i]!;
    const e = classifierToken(t);
    if (!e.fn) add(v, e.w);
    if (i > 0 && !(e.fn && classifierToken(tokens[i - 1]!).fn)) add(v, `b:${tokens[i - 1]} ${t}`);
    for (const g of e.grams) add(v, g, 0.25);
  }
  classifierExtras(text, tokens, (k, x) => add(v, k, x));
  return v;
}

const tokenVectors = new WeakMap<LinearModel, Map<string, Float64Array | null>>();

/**
 * A token's word weight plus its character-gram weights × `gramWeight`, summed once per model and
 * token (the model is linear); null when the model knows none of them.
 */
function tokenVector(
  cache: Map<string, Float64Array | null>, weights: Map<string, Float64Array>, k: number,
  t: string, word: string | undefined, grams: readonly string[], gramWeight: number,
): Float64Array | null {
  const known = cache.get(t);
  if (known !== undefined) return known;
  const acc = new Float64Array(k);
  let any = false;
  const ww = word === undefined ? undefined : weights.get(word);
  if (ww) { any = true; for (let c = 0; c < k; c++) acc[c]! += ww[c]!; }
  for (const g of grams) {
    const gw = weights.get(g);
    if (gw) { any = true; for (let c = 0; c < k; c++) acc[c]! += gw[c]! * gramWeight; }
  }
  const tv = any ? acc : null;
  if (cache.size >= TOKEN_CACHE_MAX) cache.clear();
  cache.set(t, tv);
  return tv;
}

/**
 * Same result as `predict(model, classifierFeatures(text))` but several times faster: the model is
 * linear, so each token's word and character-gram weights are summed once and cached per token.
 * Explanations name the token (`w:rusak`) for its word and character-gram weights together.
 */
export function predictClassifier(model: LinearModel, text: string, tokens: string[] = tokenize(text), topK = 5): Prediction {
  const { weights, bigrams, bias, k } = compile(model);
  let cache = tokenVectors.get(model);
  if (!cache) { cache = new Map(); tokenVectors.set(model, cache); }
  const scores = new Float64Array(bias);
  const hit: Array<[string, Float64Array, number]> = [];
  const addW = (name: string, w: Float64Array | null | undefined, x: number): void => {
    if (!w) return;
    hit.push([name, w, x]);
    for (let c = 0; c < k; c++) scores[c]! += w[c]! * x;
  };
  let prevFn = false;
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i]!;
    const e = classifierToken(t);
    const tv = tokenVector(cache, weights, k, t, e.fn ? undefined : e.w, e.grams, 0.25);
    if (tv) addW(e.w, tv, 1);
    const bothFn = e.fn && prevFn;
    prevFn = e.fn;
    if (i > 0 && !bothFn) {
      const bw = bigrams.get(tokens[i - 1]!)?.get(t);
      if (bw) addW(`b:${tokens[i - 1]} ${t}`, bw, 1);
    }
  }
  classifierExtras(text, tokens, (name, x) => addW(name, weights.get(name), x));
  return finish(model, scores, k, hit, topK);
}

/** Same result as `predict(model, topicFeatures(text))`, with per-token cached weight sums (see predictClassifier). */
export function predictTopic(model: LinearModel, text: string, tokens: string[] = tokenize(text), topK = 5): Prediction {
  const { weights, bigrams, bias, k } = compile(model);
  let cache = tokenVectors.get(model);
  if (!cache) { cache = new Map(); tokenVectors.set(model, cache); }
  const scores = new Float64Array(bias);
  const hit: Array<[string, Float64Array, number]> = [];
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i]!;
    const e = topicToken(t);
    if (e === null) continue;
    const tv = tokenVector(cache, weights, k, t, e.w, e.grams, 0.2);
    if (tv) { hit.push([e.w, tv, 1]); for (let c = 0; c < k; c++) scores[c]! += tv[c]!; }
    if (i > 0) {
      const bw = bigrams.get(tokens[i - 1]!)?.get(t);
      if (bw) { hit.push([`b:${tokens[i - 1]} ${t}`, bw, 1]); for (let c = 0; c < k; c++) scores[c]! += bw[c]!; }
    }
  }
  return finish(model, scores, k, hit, topK);
}

function finish(model: LinearModel, scores: Float64Array, k: number, hit: Array<[string, Float64Array, number]>, topK: number): Prediction {
  let best = 0;
  for (let c = 1; c < k; c++) if (scores[c]! > scores[best]!) best = c;
  let sum = 0;
  const exps = new Float64Array(k);
  for (let c = 0; c < k; c++) { exps[c] = Math.exp(scores[c]! - scores[best]!); sum += exps[c]!; }
  const probabilities: Record<string, number> = {};
  for (let c = 0; c < k; c++) probabilities[model.labels[c]!] = exps[c]! / sum;
  // what pushed the winner ahead: its weight over the mean of the other labels, times the value
  // (a repeated token is counted once; keep a few spare slots so duplicates do not crowd out others)
  const slots = topK * 2;
  const top: Array<[string, number]> = [];
  for (const [f, w, x] of hit) {
    let others = 0;
    for (let c = 0; c < k; c++) if (c !== best) others += w[c]!;
    const m = (w[best]! - others / (k - 1)) * x;
    if (m <= 0) continue;
    // kept sorted by insertion (as a stable sort would order it): equal values stay in arrival order
    if (top.length === slots && m <= top[slots - 1]![1]) continue;
    let at = top.length < slots ? top.push([f, m]) - 1 : slots - 1;
    while (at > 0 && top[at - 1]![1] < m) { top[at] = top[at - 1]!; at--; }
    top[at] = [f, m];
  }
  const features = [...new Set(top.map(([f]) => f))].slice(0, topK);
  return { label: model.labels[best]!, confidence: exps[best]! / sum, probabilities, features };
}

const MASK_TOKENS = new Set<string>(Object.values(MASK));
const topicTokenCache = new Map<string, { w: string; grams: string[] } | null>();

function topicToken(t: string): { w: string; grams: string[] } | null {
  let e = topicTokenCache.get(t);
  if (e === undefined) {
    if (t.length < 2 || MASK_TOKENS.has(t)) e = null;
    else {
      const grams: string[] = [];
      if (t.length >= 6) {
        const p = ` ${t} `;
        for (let j = 0; j + 5 <= p.length; j++) grams.push(`c:${p.slice(j, j + 5)}`);
      }
      e = { w: `w:${t}`, grams };
    }
    if (topicTokenCache.size >= TOKEN_CACHE_MAX) topicTokenCache.clear();
    topicTokenCache.set(t, e);
  }
  return e;
}

/** Features for the topic (division) model: words, bigrams and 5-grams of longer words. */
export function topicFeatures(text: string, tokens: string[] = tokenize(text)): FeatureVector {
  const v: FeatureVector = new Map();
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i]!;
    const e = topicToken(t);
    if (e === null) continue;
    add(v, e.w);
    if (i > 0) add(v, `b:${tokens[i - 1]} ${t}`);
    for (const g of e.grams) add(v, g, 0.2);
  }
  return v;
}

export function featuresFor(model: Pick<LinearModel, 'featureSet'>, text: string, tokens?: string[]): FeatureVector {
  return model.featureSet === 'topic' ? topicFeatures(text, tokens) : classifierFeatures(text, tokens);
}

interface Compiled {
  weights: Map<string, Float64Array>;
  /** The word-bigram weights (`b:first second`) by first word, then second: no key string built per lookup. */
  bigrams: Map<string, Map<string, Float64Array>>;
  bias: Float64Array;
  k: number;
}
const compiled = new WeakMap<LinearModel, Compiled>();

/** Weights as a Map of typed arrays, built once per model (plain-object lookups are slow). */
function compile(model: LinearModel): Compiled {
  let c = compiled.get(model);
  if (!c) {
    const k = model.labels.length;
    const weights = new Map<string, Float64Array>();
    const bigrams = new Map<string, Map<string, Float64Array>>();
    for (const [f, w] of Object.entries(model.weights)) {
      const typed = Float64Array.from(w);
      weights.set(f, typed);
      const space = f.startsWith('b:') ? f.indexOf(' ') : -1;
      if (space > 0) {
        const first = f.slice(2, space);
        let seconds = bigrams.get(first);
        if (!seconds) bigrams.set(first, seconds = new Map());
        seconds.set(f.slice(space + 1), typed);
      }
    }
    const bias = Float64Array.from(model.bias);
    if (model.offsets) model.labels.forEach((l, i) => { bias[i]! += model.offsets?.[l] ?? 0; });
    c = { weights, bigrams, bias, k };
    compiled.set(model, c);
  }
  return c;
}

/** Scores, softmax and the top features of the winning label. */
export function predict(model: LinearModel, fv: FeatureVector, topK = 5): Prediction {
  const { weights, bias, k } = compile(model);
  const scores = new Float64Array(bias);
  const hit: Array<[string, Float64Array, number]> = [];
  for (const [f, x] of fv) {
    const w = weights.get(f);
    if (w === undefined) continue;
    hit.push([f, w, x]);
    for (let c = 0; c < k; c++) scores[c]! += w[c]! * x;
  }
  return finish(model, scores, k, hit, topK);
}

/** Training (used by scripts/train.ts): multinomial logistic regression, AdaGrad, L2. */
export function trainLinear(
  rows: Array<{ fv: FeatureVector; label: string; weight?: number }>,
  opts: { labels: string[]; kind: string; featureSet: LinearModel['featureSet']; epochs?: number; lr?: number; l2?: number; minCount?: number; seed?: number; dropout?: number },
): LinearModel {
  const { labels } = opts;
  const k = labels.length;
  const epochs = opts.epochs ?? 20, lr = opts.lr ?? 0.3, l2 = opts.l2 ?? 1e-5, minCount = opts.minCount ?? 2, dropout = opts.dropout ?? 0;
  const counts = new Map<string, number>();
  for (const r of rows) for (const f of r.fv.keys()) counts.set(f, (counts.get(f) ?? 0) + 1);
  const W = new Map<string, Float64Array>();
  const G = new Map<string, Float64Array>();
  for (const [f, n] of counts) if (n >= minCount) { W.set(f, new Float64Array(k)); G.set(f, new Float64Array(k).fill(1e-8)); }
  const b = new Float64Array(k);
  const gb = new Float64Array(k).fill(1e-8);
  let s = opts.seed ?? 7;
  const rand = (): number => { s = (s * 1103515245 + 12345) & 0x7fffffff; return s / 0x7fffffff; };
  const order = rows.map((_, i) => i);
  const scores = new Float64Array(k);
  for (let e = 0; e < epochs; e++) {
    for (let i = order.length - 1; i > 0; i--) { const j = Math.floor(rand() * (i + 1)); [order[i], order[j]] = [order[j]!, order[i]!]; }
    for (const idx of order) {
      const src = rows[idx]!;
      const y = labels.indexOf(src.label);
      if (y < 0) continue;
      // feature dropout: the model must not lean on any single cue of the (template-made) corpus
      const r = dropout > 0 ? { ...src, fv: new Map([...src.fv].filter(() => rand() >= dropout)) } : src;
      scores.set(b);
      for (const [f, x] of r.fv) { const w = W.get(f); if (w) for (let c = 0; c < k; c++) scores[c]! += w[c]! * x; }
      let max = -Infinity;
      for (let c = 0; c < k; c++) max = Math.max(max, scores[c]!);
      let sum = 0;
      for (let c = 0; c < k; c++) { scores[c] = Math.exp(scores[c]! - max); sum += scores[c]!; }
      const rw = r.weight ?? 1;
      for (let c = 0; c < k; c++) {
        const g = (scores[c]! / sum - (c === y ? 1 : 0)) * rw;
        gb[c]! += g * g; b[c]! -= (lr / Math.sqrt(gb[c]!)) * g;
      }
      for (const [f, x] of r.fv) {
        const w = W.get(f); const gg = G.get(f);
        if (!w || !gg) continue;
        for (let c = 0; c < k; c++) {
          const g = ((scores[c]! / sum - (c === y ? 1 : 0)) * x + l2 * w[c]!) * rw;
          gg[c]! += g * g; w[c]! -= (lr / Math.sqrt(gg[c]!)) * g;
        }
      }
    }
  }
  const weights: Record<string, number[]> = {};
  for (const [f, w] of W) {
    if (w.every((x) => Math.abs(x) < 1e-3)) continue;
    weights[f] = Array.from(w, (x) => Math.round(x * 1e4) / 1e4);
  }
  return { version: 1, kind: opts.kind, labels, bias: Array.from(b, (x) => Math.round(x * 1e4) / 1e4), weights, featureSet: opts.featureSet };
}
