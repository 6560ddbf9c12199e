/**
 * Routing (SOP step 5): which division gets a complaint. Explicit YAML keyword rules
 * (`divisions[].keywords`, whole-word phrases on the normalised text) win; without a keyword the
 * topic model trained on the project corpus decides when it is sure enough, or when its best guess
 * clearly leads the runner-up (a real city complaint centre rarely gets a message that belongs to
 * nobody, so a reasonable guess beats the catch-all); otherwise the default division (Humas).
 */
import path from 'node:path';
import type { DivisionConfig } from '../config/schema.ts';
import { loadModel, MODEL_DIR } from './classifier.ts';
import { predictTopic, type LinearModel } from './linear.ts';
import { tokenize } from './normalize.ts';

export interface RouteDecision {
  divisionId: string;
  /** keyword: a YAML rule matched; topic: the topic model; default: nobody was sure. */
  by: 'keyword' | 'topic' | 'default';
  confidence: number;
  /** The keywords that matched, or the topic model's top features. */
  reasons: string[];
}

export interface RouterOptions {
  /** Topic model at or above this probability routes (default 0.45). */
  topicMin?: number;
  /**
   * Below topicMin the topic model still routes when its best label is at least `topicFloor`
   * (default 0.3) and leads the runner-up by `topicMargin` (default 0.1) probability.
   */
  topicFloor?: number;
  topicMargin?: number;
  topicModel?: LinearModel | null;
}

interface Rule { divisionId: string; tokens: string[]; keyword: string }

/** A YAML keyword found in a text: its division, the keyword as configured, and its tokens (normalised). */
export interface KeywordHit { divisionId: string; keyword: string; tokens: readonly string[] }

/**
 * Document numbers are given as identification: "NIK 3471…, KK 3471…, mohon bantuan sembako" is
 * about the aid, not about the ID card. A keyword ending in one of these words is skipped when a
 * number follows within two tokens ("nik xnum", "kk saya xnum"), and on its own counts half: such a
 * word is often only mentioned in passing ("NIK saya tidak ada di data bansos").
 */
const IDENTIFIER_SCORE = 0.5;
const IDENTIFIER = new Set(['nik', 'kk', 'ktp', 'el', 'keluarga', 'kia']);
const NUMBER_TOKENS = new Set(['xnum', 'xphone']);

/** A keyword that is one document word ("ktp", "nik", "kk"): often only mentioned in passing, and "kk" is also "kakak" in chat. */
export const isIdentifierKeyword = (tokens: readonly string[]): boolean => tokens.length === 1 && IDENTIFIER.has(tokens[0]!);

/**
 * A keyword right after one of these words names a landmark, not the topic: "jalan rusak depan
 * sekolah" is about the road, not about education.
 */
const LANDMARK_BEFORE = new Set(['depan', 'dekat', 'samping', 'belakang', 'sebelah', 'seberang', 'sekitar', 'arah', 'menuju', 'ngarep', 'cedhak',
  'caket', 'ngajeng', 'sacedhake', 'near', 'opposite', 'behind', 'beside']);

export class Router {
  private readonly rules: Map<string, Rule[]> = new Map();
  private readonly defaultId: string;
  private readonly ids: Set<string>;
  private readonly topic: LinearModel | null;
  private readonly topicMin: number;
  private readonly topicFloor: number;
  private readonly topicMargin: number;

  constructor(divisions: readonly DivisionConfig[], opts: RouterOptions = {}) {
    this.defaultId = (divisions.find((d) => d.default) ?? divisions[0])!.id;
    this.ids = new Set(divisions.map((d) => d.id));
    this.topic = opts.topicModel === undefined ? loadModel(path.join(MODEL_DIR, 'topic.json')) : opts.topicModel;
    this.topicMin = opts.topicMin ?? 0.45;
    this.topicFloor = opts.topicFloor ?? 0.3;
    this.topicMargin = opts.topicMargin ?? 0.1;
    for (const d of divisions) {
      for (const keyword of d.keywords) {
        const tokens = tokenize(keyword);
        if (tokens.length === 0) continue;
        const first = tokens[0]!;
        const list = this.rules.get(first) ?? [];
        list.push({ divisionId: d.id, tokens, keyword });
        this.rules.set(first, list);
      }
    }
  }

  /**
   * The YAML keywords the tokens name, each once per division, in the order they appear: not after a
   * landmark word ("depan sekolah"), nor an identifier word before its number ("NIK 3471…").
   */
  keywordHits(tokens: readonly string[]): KeywordHit[] {
    const hits: KeywordHit[] = [];
    const seen = new Set<string>();
    for (let i = 0; i < tokens.length; i++) {
      const rules = this.rules.get(tokens[i]!);
      if (!rules) continue;
      if (i > 0 && LANDMARK_BEFORE.has(tokens[i - 1]!)) continue;
      for (const r of rules) {
        if (seen.has(r.keyword + '\u0000' + r.divisionId)) continue;
        let ok = true;
        for (let j = 1; j < r.tokens.length; j++) if (tokens[i + j] !== r.tokens[j]) { ok = false; break; }
        if (!ok) continue;
        const end = i + r.tokens.length;
        if (IDENTIFIER.has(r.tokens[r.tokens.length - 1]!) && (NUMBER_TOKENS.has(tokens[end] ?? '') || NUMBER_TOKENS.has(tokens[end + 1] ?? ''))) continue;
        seen.add(r.keyword + '\u0000' + r.divisionId);
        hits.push({ divisionId: r.divisionId, keyword: r.keyword, tokens: r.tokens });
      }
    }
    return hits;
  }

  route(text: string, tokens: string[] = tokenize(text)): RouteDecision {
    const score = new Map<string, number>();
    const reasons = new Map<string, string[]>();
    for (const r of this.keywordHits(tokens)) {
      score.set(r.divisionId, (score.get(r.divisionId) ?? 0) + (isIdentifierKeyword(r.tokens) ? IDENTIFIER_SCORE : r.tokens.length));
      reasons.set(r.divisionId, [...(reasons.get(r.divisionId) ?? []), `kw:${r.keyword}`]);
    }
    if (score.size > 0) {
      // the topic model only breaks ties between keyword scores (it costs more than the keyword scan)
      const top = Math.max(...score.values());
      const tied = [...score.entries()].filter(([, s]) => s === top).map(([id]) => id);
      let best = tied[0]!;
      if (tied.length > 1 && this.topic) {
        const p = predictTopic(this.topic, text, tokens).probabilities;
        for (const id of tied) if ((p[id] ?? 0) > (p[best] ?? 0)) best = id;
      }
      const total = [...score.values()].reduce((a, b) => a + b, 0);
      return { divisionId: best, by: 'keyword', confidence: top / total, reasons: reasons.get(best) ?? [] };
    }
    const topic = this.topic ? predictTopic(this.topic, text, tokens) : null;
    if (topic && this.ids.has(topic.label) && topic.features.length > 0 && this.sureEnough(topic.confidence, topic.probabilities)) {
      return { divisionId: topic.label, by: 'topic', confidence: topic.confidence, reasons: topic.features.slice(0, 3) };
    }
    return { divisionId: this.defaultId, by: 'default', confidence: topic?.confidence ?? 0, reasons: [] };
  }

  private sureEnough(confidence: number, probabilities: Record<string, number>): boolean {
    if (confidence >= this.topicMin) return true;
    if (confidence < this.topicFloor) return false;
    const second = Math.max(0, ...Object.values(probabilities).filter((p) => p < confidence));
    return confidence - second >= this.topicMargin;
  }
}
