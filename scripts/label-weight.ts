/**
 * How much should people's labels weigh in training (scripts/train.ts --extra-weight)? A proxy on the
 * project's own corpus: one register (HELD=sms or social) plays "the secretariat's real messages",
 * which the model never saw; N of its rows (default 200) are given as labelled extra rows at each
 * weight in W (default 0,1,3,10), and the rest of the register is scored. About 30 s per weight.
 *
 *   HELD=sms npx tsx scripts/label-weight.ts
 */
import { classifierFeatures, predict, trainLinear } from '../core/understanding/linear.ts';
import { tokenize } from '../core/understanding/normalize.ts';
import { loadCorpus, forClassifier, CLASS_LABELS } from './train.ts';
import { seededRandom } from './corpus/rng.ts';
const held = process.env.HELD ?? 'sms';
const all = loadCorpus().filter((r) => r.split === 'train' && forClassifier(r));
const base = all.filter((r) => r.file !== held);
const reg = all.filter((r) => r.file === held);
const rnd = seededRandom(5);
const shuffled = reg.map((r) => [rnd(), r] as const).sort((a, b) => a[0] - b[0]).map((x) => x[1]);
const N = Number(process.env.N ?? 200);
const human = shuffled.slice(0, N), test = shuffled.slice(N);
const n: Record<string, number> = {}; for (const r of base) n[r.label] = (n[r.label] ?? 0) + 1;
const cw = (l: string) => base.length / (4 * (n[l] ?? 1));
for (const w of (process.env.W ?? '0,1,3,10').split(',').map(Number)) {
  const rows = [...base.map((r) => ({ fv: classifierFeatures(r.text, tokenize(r.text)), label: r.label, weight: cw(r.label) })),
    ...(w > 0 ? human.map((r) => ({ fv: classifierFeatures(r.text, tokenize(r.text)), label: r.label, weight: cw(r.label) * w })) : [])];
  const m = trainLinear(rows, { labels: CLASS_LABELS, kind: 'classifier', featureSet: 'classifier', epochs: 30, lr: 0.2, l2: 1e-3, minCount: 2, dropout: 0.5, seed: 7 });
  let ok = 0, cTot = 0, cHit = 0, sTot = 0, sHit = 0, nsTot = 0, nsSpam = 0;
  for (const r of test) { const p = predict(m, classifierFeatures(r.text)).label; if (p === r.label) ok++;
    if (r.label === 'complaint') { cTot++; if (p === 'complaint') cHit++; }
    if (r.label === 'spam') { sTot++; if (p === 'spam') sHit++; } else { nsTot++; if (p === 'spam') nsSpam++; } }
  console.log(`held=${held} N=${N} weight=${w}: acc ${(ok / test.length).toFixed(3)} complaint R ${(cHit / cTot).toFixed(3)} spam R ${(sHit / sTot).toFixed(3)} false spam ${(nsSpam / nsTot * 100).toFixed(1)}% (test ${test.length})`);
}
