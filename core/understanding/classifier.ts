/**
 * The message classifier (SOP step 3): complaint | statement | question | spam, with a confidence
 * and the features that decided it. Loads the committed model (config/model/classifier.json);
 * it never retrains at start.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { predictClassifier, topicFeatures, type LinearModel } from './linear.ts';
import { tokenize } from './normalize.ts';
import { OPENER } from './lexicon.ts';
import { OPENER_FEATURE } from '../understand.ts';

export type Label = 'complaint' | 'statement' | 'question' | 'spam';
export const LABELS: readonly Label[] = ['complaint', 'statement', 'question', 'spam'];

export interface Classification {
  label: Label;
  confidence: number;
  features: string[];
  probabilities: Record<string, number>;
}

export const MODEL_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', 'config', 'model');

const cache = new Map<string, LinearModel>();

/** Load a committed model JSON (cached per path). */
export function loadModel(file: string): LinearModel {
  const abs = path.resolve(file);
  let m = cache.get(abs);
  if (!m) {
    m = JSON.parse(readFileSync(abs, 'utf8')) as LinearModel;
    if (m.version !== 1 || !Array.isArray(m.labels) || typeof m.weights !== 'object') throw new Error(`not a model file: ${abs}`);
    cache.set(abs, m);
  }
  return m;
}

export interface ClassifierOptions {
  /**
   * Spam is neither forwarded nor answered, so a citizen's message wrongly called spam is lost to
   * the secretariat: below this spam probability the next most likely label is taken instead.
   */
  spamMin?: number;
}

/** At most this many words, all of them openers (lexicon.ts OPENER), make a message that says nothing yet. */
const OPENER_MAX_TOKENS = 8;

export class Classifier {
  private readonly spamMin: number;

  constructor(readonly model: LinearModel = loadModel(path.join(MODEL_DIR, 'classifier.json')), opts: ClassifierOptions = {}) {
    this.spamMin = opts.spamMin ?? 0.5;
  }

  classify(text: string, tokens: string[] = tokenize(text)): Classification {
    if (tokens.length === 0 && text.trim() === '') {
      // nothing to read (only attachments): let a human look, as a complaint
      return { label: 'complaint', confidence: 0, features: ['shape:empty'], probabilities: { complaint: 0 } };
    }
    // (emoji or punctuation only — "👍", "🙏🙏", "..." — say nothing yet either, as "P" does; with a file, a
    // person still looks at it: understanding/index.ts)
    if (tokens.length <= OPENER_MAX_TOKENS && tokens.every((t) => OPENER.has(t) || t === '?' || t === '!')) {
      // "P", "Assalamualaikum pak", "mau lapor": nothing to forward yet; the citizen is asked to write the complaint
      return { label: 'statement', confidence: 1, features: [OPENER_FEATURE], probabilities: { complaint: 0, statement: 1, question: 0, spam: 0 } };
    }
    const p = predictClassifier(this.model, text, tokens);
    if (p.label === 'spam' && p.confidence < this.spamMin) {
      let next: Label = 'complaint';
      for (const l of LABELS) if (l !== 'spam' && (p.probabilities[l] ?? 0) > (p.probabilities[next] ?? 0)) next = l;
      return { label: next, confidence: p.probabilities[next] ?? 0, features: [...p.features, `spam<${this.spamMin}`], probabilities: p.probabilities };
    }
    return { label: p.label as Label, confidence: p.confidence, features: p.features, probabilities: p.probabilities };
  }
}

export { topicFeatures };
