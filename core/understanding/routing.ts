/**
 * Routing (SOP step 5): which division gets a complaint. Explicit YAML keyword rules
 * (`divisions[].keywords`, whole-word phrases on the normalised text) win; without a keyword the
 * topic model trained on the project corpus decides when it is sure enough; otherwise the default
 * division (Humas).
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
  /** Topic model below this probability does not route (default 0.45). */
  topicMin?: number;
  topicModel?: LinearModel | null;
}

interface Rule { divisionId: string; tokens: string[]; keyword: string }

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

  constructor(divisions: readonly DivisionConfig[], opts: RouterOptions = {}) {
    this.defaultId = (divisions.find((d) => d.default) ?? divisions[0])!.id;
    this.ids = new Set(divisions.map((d) => d.id));
    this.topic = opts.topicModel === undefined ? loadModel(path.join(MODEL_DIR, 'topic.json')) : opts.topicModel;
    this.topicMin = opts.topicMin ?? 0.45;
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

  route(text: string, tokens: string[] = tokenize(text)): RouteDecision {
    const score = new Map<string, number>();
    const reasons = new Map<string, string[]>();
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
        seen.add(r.keyword + '\u0000' + r.divisionId);
        score.set(r.divisionId, (score.get(r.divisionId) ?? 0) + r.tokens.length);
        reasons.set(r.divisionId, [...(reasons.get(r.divisionId) ?? []), `kw:${r.keyword}`]);
      }
    }
    const topic = this.topic ? predictTopic(this.topic, text, tokens) : null;
    if (score.size > 0) {
      let best: string | undefined;
      let bestScore = -1;
      let bestTie = -1;
      for (const [id, s] of score) {
        const tie = topic?.probabilities[id] ?? 0;
        if (s > bestScore || (s === bestScore && tie > bestTie)) { best = id; bestScore = s; bestTie = tie; }
      }
      const total = [...score.values()].reduce((a, b) => a + b, 0);
      return { divisionId: best!, by: 'keyword', confidence: bestScore / total, reasons: reasons.get(best!) ?? [] };
    }
    if (topic && topic.confidence >= this.topicMin && this.ids.has(topic.label)) {
      return { divisionId: topic.label, by: 'topic', confidence: topic.confidence, reasons: topic.features.slice(0, 3) };
    }
    return { divisionId: this.defaultId, by: 'default', confidence: topic?.confidence ?? 0, reasons: [] };
  }
}
