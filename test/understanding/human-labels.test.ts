/**
 * Learning from the secretariat's own messages: the labels people gave are exported as training
 * rows (`aduan corpus export`), read by scripts/train.ts --extra, and a retrained model folder is
 * used through classifier.modelDir.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { closeDb, openDb, type Db } from '../../core/db/client.ts';
import { officerClassify, officerCommand } from '../../core/lifecycle/service.ts';
import { createAnalyzer } from '../../core/understanding/index.ts';
import { MODEL_DIR } from '../../core/understanding/classifier.ts';
import { maskPersonal } from '../../core/understanding/normalize.ts';
import { loadDivisions } from '../../scripts/eval.ts';
import { exportHumanLabels } from '../../scripts/human-labels.ts';
import { CHECK_MIN_ROWS, describeCheck, holdoutCheck, isCheckRow, loadExtraRows, type Row } from '../../scripts/train.ts';
import type { LinearModel } from '../../core/understanding/linear.ts';
import { testConfig } from '../helpers/config.ts';
import { smsIntake } from '../helpers/intake.ts';

const BIN = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', '..', 'scripts', 'aduan.mjs');
const dirs: string[] = [];
const dbs: Db[] = [];
afterEach(() => {
  while (dbs.length) closeDb(dbs.pop()!);
  while (dirs.length) rmSync(dirs.pop()!, { recursive: true, force: true });
});
const tempDir = (): string => { const d = mkdtempSync(path.join(tmpdir(), 'aduan-labels-')); dirs.push(d); return d; };

/** A database where officers settled three triage cases (one relabelled later), and staff called a forwarded case not a complaint. */
function labelledDb(file: string) {
  const db = openDb(file);
  dbs.push(db);
  const { deps, send, state } = smsIntake(db);
  state.unsure = true;
  const a = send('Pak, saluran depan rumah saya di Jl. Kenari mampet, hubungi 0812 3456 7890 atau budi@example.org. Foto: https://foto.example.org/x');
  const b = send('Mantap pak, pelayanannya cepat');
  const c = send('Dapatkan pinjaman tanpa jaminan, WA 081299998888');
  officerClassify(deps, a, 'complaint', 'petugas.sri');
  officerClassify(deps, b, 'complaint', 'petugas.sri');
  officerClassify(deps, c, 'spam', 'petugas.sri');
  officerClassify(deps, b, 'statement', 'petugas.andi'); // changed her mind: the latest label counts
  state.unsure = false;
  const d = send('Lampu jalan di Jl. Magelang mati total sejak tiga hari, mohon segera diperbaiki.');
  officerCommand(deps, d, { kind: 'bukan-aduan', note: '' }, 'petugas.sri');
  // a re-route says which division a complaint belongs to
  const e = send('Pungli saat mengurus KTP di kelurahan, diminta uang 50 ribu.');
  officerCommand(deps, e, { kind: 'alihkan', division: 'komisi-b' }, 'petugas.sri');
  return { db, numbers: { a, b, c, d, e } };
}

describe('labels people gave, as training rows', () => {
  it('exports each case\'s latest human label with its first message, personal data masked, readable by the owner only', () => {
    const dir = tempDir();
    const { db, numbers } = labelledDb(path.join(dir, 'aduan.db'));
    const file = path.join(dir, 'corpus', 'human-labels.jsonl');
    expect(exportHumanLabels(db, file)).toEqual({ rows: 5, perLabel: { complaint: 2, statement: 2, spam: 1 } });
    expect(statSync(file).mode & 0o777).toBe(0o600);
    const rows = readFileSync(file, 'utf8').trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
    const byCase = new Map(rows.map((r) => [r['case'], r]));
    expect(byCase.get(numbers.a)).toMatchObject({ label: 'complaint', division: 'komisi-c', split: 'train' });
    const text = String(byCase.get(numbers.a)!['text']);
    expect(text).toContain('saluran depan rumah saya');
    expect(text).not.toMatch(/3456|budi@|foto\.example/);
    expect(text).toMatch(/xphone.*xemail.*xurl/);
    expect(byCase.get(numbers.b)).toMatchObject({ label: 'statement', division: null });
    expect(byCase.get(numbers.c)).toMatchObject({ label: 'spam', division: null });
    expect(byCase.get(numbers.d)).toMatchObject({ label: 'statement', division: null });
    expect(byCase.get(numbers.e)).toMatchObject({ label: 'complaint', division: 'komisi-b' });
    // the training script reads them as train rows
    const extra = loadExtraRows(file);
    expect(extra.map((r) => r.label).sort()).toEqual(['complaint', 'complaint', 'spam', 'statement', 'statement']);
    expect(extra.every((r) => r.split === 'train' && r.weight === 10)).toBe(true);
    expect(loadExtraRows(file, 1)[0]!.weight).toBe(1);
  });

  it('the training script refuses a row without a known label and names the line', () => {
    const file = path.join(tempDir(), 'bad.jsonl');
    writeFileSync(file, '{"text":"ok","label":"complaint"}\n{"text":"x","label":"keluhan"}\n');
    expect(() => loadExtraRows(file)).toThrow(/bad\.jsonl:2: needs "text" and "label"/);
  });

  it('aduan corpus export writes next to the database and says how to retrain', () => {
    const dir = tempDir();
    const dbFile = path.join(dir, 'aduan.db');
    labelledDb(dbFile);
    const configFile = path.join(dir, 'aduan.yaml');
    writeFileSync(configFile, ['database:', `  path: ${dbFile}`, 'storage:', `  dir: ${dir}/storage`, 'mail:', '  transport: file', '  from: Aduan <aduan@dprd.test>', '  file:', `    dir: ${dir}/mail`,
      'divisions:', '  - id: humas', '    name: Humas', '    inbox: humas@dprd.test', '    default: true', 'channels: []'].join('\n'));
    const out = execFileSync(process.execPath, [BIN, 'corpus', 'export', '--config', configFile], { encoding: 'utf8' });
    expect(out).toContain(`wrote 5 labelled messages (complaint 2, statement 2, spam 1) to ${path.join(dir, 'corpus', 'human-labels.jsonl')}`);
    expect(out).toContain('scripts/train.ts --extra');
    expect(readFileSync(path.join(dir, 'corpus', 'human-labels.jsonl'), 'utf8').trim().split('\n')).toHaveLength(5);
  }, 30_000);

  it('masks addresses, links and phone numbers and keeps the rest as written', () => {
    expect(maskPersonal('Hub Pak Budi 0812-3456-7890 / +62 812 1111 2222, budi.s@mail.co.id, lihat https://x.example.org/a?b=1 ATAU www.lapor.go.id'))
      .toBe('Hub Pak Budi xphone / xphone, xemail, lihat xurl ATAU xurl');
  });
});

/** A model that calls every message `label` (bias only). */
const always = (label: string): LinearModel => ({
  version: 1, kind: 'classifier', featureSet: 'classifier', labels: ['complaint', 'statement', 'question', 'spam'], weights: {},
  bias: ['complaint', 'statement', 'question', 'spam'].map((l) => (l === label ? 5 : 0)),
});

describe('retraining checked on labels it did not see', () => {
  const rows = (n: number): Row[] => Array.from({ length: n }, (_, i) => ({
    text: i % 2 ? `jalan rusak nomor ${i}` : `terima kasih nomor ${i}`, label: i % 2 ? 'complaint' : 'statement', division: null, split: 'train', source: 'extra',
  }));

  it('holds out about one in five labels by their text, trains without them, and scores both models on them only', () => {
    const extra = rows(300);
    const held = extra.filter(isCheckRow);
    expect(held.length).toBeGreaterThan(30);
    expect(held.length).toBeLessThan(90);
    expect(rows(300).filter(isCheckRow).map((r) => r.text)).toEqual(held.map((r) => r.text)); // the same split every run
    let given: Row[] = [];
    const check = holdoutCheck(extra, always('spam'), (rest) => { given = rest; return always('complaint'); });
    expect(given).toHaveLength(300 - held.length);
    expect(given.some(isCheckRow)).toBe(false);
    if (check.tooFew) throw new Error('expected a check');
    const complaints = held.filter((r) => r.label === 'complaint').length;
    expect(check.shipped).toMatchObject({ rows: held.length, accuracy: 0, complaintRecall: 0, falseSpam: held.length, notSpam: held.length });
    expect(check.retrained).toMatchObject({ complaintRecall: 1, falseSpam: 0 });
    expect(check.retrained.accuracy).toBeCloseTo(complaints / held.length, 6);
    expect(check.retrained.complaintPrecision).toBeCloseTo(complaints / held.length, 6);
    const text = describeCheck(check, 300).join('\n');
    expect(text).toContain(`check on ${held.length} of your 300 labels`);
    expect(text).toContain('at least as well');
    // a retrained model that loses complaints is called worse, even with better accuracy
    const worse = holdoutCheck(extra, always('complaint'), () => always('statement'));
    if (worse.tooFew) throw new Error('expected a check');
    expect(worse.retrained.accuracy).toBeGreaterThan(worse.shipped.accuracy);
    expect(describeCheck(worse, 300).join('\n')).toMatch(/does worse on these labels: keep the shipped model/);
  });

  it('with too few labels there is no check, and it says how many are needed', () => {
    let trained = false;
    const check = holdoutCheck(rows(30), always('statement'), () => { trained = true; return always('complaint'); });
    expect(check.tooFew).toBe(true);
    expect(trained).toBe(false);
    expect(describeCheck(check, 30)[0]).toMatch(new RegExp(`at least ${CHECK_MIN_ROWS} are needed`));
  });

  it('aduan corpus train exports the labels, writes models classifier.modelDir can use, and says how', () => {
    const dir = tempDir();
    const dbFile = path.join(dir, 'aduan.db');
    const { db } = labelledDb(dbFile);
    closeDb(dbs.splice(dbs.indexOf(db), 1)[0]!);
    const configFile = path.join(dir, 'aduan.yaml');
    writeFileSync(configFile, ['database:', `  path: ${dbFile}`, 'storage:', `  dir: ${dir}/storage`, 'mail:', '  transport: file', '  from: Aduan <aduan@dprd.test>', '  file:', `    dir: ${dir}/mail`,
      'divisions:', '  - id: humas', '    name: Humas', '    inbox: humas@dprd.test', '    default: true', 'channels: []'].join('\n'));
    // one seed instead of three: the same code path in a third of the time
    const out = execFileSync(process.execPath, [BIN, 'corpus', 'train', '--config', configFile], { encoding: 'utf8', env: { ...process.env, ADUAN_TRAIN_SEEDS: '7' } });
    expect(out).toContain('5 labelled messages (complaint 2, statement 2, spam 1) exported');
    expect(out).toMatch(/check skipped: \d of your 5 labels would be held out/);
    expect(out).toContain(`set classifier.modelDir: ${path.join(dir, 'model')}`);
    const model = createAnalyzer(testConfig({ divisions: loadDivisions(), classifier: { modelDir: path.join(dir, 'model') } }));
    expect(model.analyze('Jalan Kaliurang km 5 rusak parah dan berlubang besar, mohon segera diperbaiki.').classification.label).toBe('complaint');
  }, 180_000);
});

describe('classifier.modelDir', () => {
  it('uses the models in that folder', () => {
    const dir = tempDir();
    for (const f of ['classifier.json', 'topic.json']) copyFileSync(path.join(MODEL_DIR, f), path.join(dir, f));
    // a recognisable change: the copied classifier leans hard towards statements
    const model = JSON.parse(readFileSync(path.join(dir, 'classifier.json'), 'utf8')) as { labels: string[]; bias: number[] };
    model.bias[model.labels.indexOf('statement')]! += 50;
    writeFileSync(path.join(dir, 'classifier.json'), JSON.stringify(model));
    const text = 'Jalan Kaliurang km 5 rusak parah dan berlubang besar, mohon segera diperbaiki.';
    expect(createAnalyzer(testConfig({ divisions: loadDivisions() })).analyze(text).classification.label).toBe('complaint');
    const retrained = createAnalyzer(testConfig({ divisions: loadDivisions(), classifier: { modelDir: dir } })).analyze(text);
    expect(retrained.classification.label).toBe('statement');
    expect(retrained.divisionId).toBe('komisi-c');
    // aduan classify reads the config's modelDir, with --config before or after the command
    const yaml = path.join(dir, 'aduan.yaml');
    writeFileSync(yaml, ['database:', `  path: ${dir}/aduan.db`, 'mail:', '  transport: file', '  from: Aduan <aduan@dprd.test>', '  file:', `    dir: ${dir}/mail`,
      'divisions:', '  - id: humas', '    name: Humas', '    inbox: humas@dprd.test', '    default: true', 'channels: []', 'classifier:', `  modelDir: ${dir}`].join('\n'));
    for (const args of [['--config', yaml, 'classify', '--json', text], ['classify', '--json', '--config', yaml, text]]) {
      expect(JSON.parse(execFileSync(process.execPath, [BIN, ...args], { encoding: 'utf8' }))).toMatchObject({ label: 'statement' });
    }
  }, 30_000);

  it('aduan classify does not read --config and its file name as part of the text', () => {
    const dir = tempDir();
    const yaml = path.join(dir, 'aduan.yaml');
    writeFileSync(yaml, ['database:', `  path: ${dir}/aduan.db`, 'mail:', '  transport: file', '  from: Aduan <aduan@dprd.test>', '  file:', `    dir: ${dir}/mail`,
      'divisions:', '  - id: humas', '    name: Humas', '    inbox: humas@dprd.test', '    default: true', 'channels: []'].join('\n'));
    const run = (...args: string[]): unknown => JSON.parse(execFileSync(process.execPath, [BIN, ...args], { encoding: 'utf8' }));
    const before = run('--config', yaml, 'classify', '--json', 'jalan');
    expect(run('classify', '--json', '--config', yaml, 'jalan')).toEqual(before);
    expect(run('classify', '--json', `--config=${yaml}`, 'jalan')).toEqual(before);
  }, 30_000);

  it('a folder without models is an error that says how to make them', () => {
    const dir = tempDir();
    expect(() => createAnalyzer(testConfig({ divisions: loadDivisions(), classifier: { modelDir: dir } })))
      .toThrow(`classifier.modelDir: ${path.join(dir, 'classifier.json')} does not exist. Train one (aduan corpus train --out ${dir})`);
  });
});

describe('what an exported label keeps of a citizen', () => {
  it('NIK and KK numbers, landlines with an area code and @handles are masked; places, RT/RW and amounts stay', async () => {
    const { maskPersonal } = await import('../../core/understanding/normalize.ts');
    expect(maskPersonal('NIK saya 3471012345670001 KK 3471019876540002, mohon bansos')).toBe('NIK saya xnum KK xnum, mohon bansos');
    expect(maskPersonal('telp (0274) 512345 atau 0812-3456-7890')).toBe('telp xphone atau xphone');
    expect(maskPersonal('Telegram @budi_santoso tolong')).toBe('Telegram xmention tolong');
    expect(maskPersonal('jalan rusak km 5 sejak 2 bulan, RT 05 RW 02, Rp 50.000')).toBe('jalan rusak km 5 sejak 2 bulan, RT 05 RW 02, Rp 50.000');
  });
});
