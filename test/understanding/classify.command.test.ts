import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { runClassify } from '../../scripts/classify.command.ts';

async function run(argv: string[], input?: string): Promise<{ code: number; lines: string[] }> {
  const stdout = new PassThrough();
  let out = '';
  stdout.on('data', (c: Buffer) => { out += c.toString(); });
  const stdin = new PassThrough();
  stdin.end(input ?? '');
  const code = await runClassify(argv, { stdin, stdout });
  return { code, lines: out.trim().split('\n') };
}

describe('aduan classify', () => {
  it('JSON lines in, one JSON line out per input, in order', async () => {
    const input = ['jalan rusak parah di jl kaliurang, tlg diperbaiki', 'terima kasih banyak', 'Mama minta pulsa 50rb dulu ya'].map((text) => JSON.stringify({ text })).join('\n');
    const { code, lines } = await run([], input);
    expect(code).toBe(0);
    const rows = lines.map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(rows).toHaveLength(3);
    expect(Object.keys(rows[0]!).sort()).toEqual(['confidence', 'division', 'label']);
    expect(rows[0]).toMatchObject({ label: 'complaint', division: 'komisi-c' });
    expect(rows[1]).toMatchObject({ label: 'statement', division: null });
    expect(rows[2]).toMatchObject({ label: 'spam', division: null });
  });

  it('--json TEXT prints one JSON line', async () => {
    const { code, lines } = await run(['--json', 'air', 'pdam', 'mati', 'tiga', 'hari']);
    expect(code).toBe(0);
    expect(JSON.parse(lines[0]!)).toMatchObject({ label: 'complaint', division: 'komisi-b' });
  });

  it('TEXT prints the decision and what decided it; the route only for a complaint', async () => {
    const complaint = await run(['jalan', 'rusak', 'di', 'Kotagede', 'mohon', 'diperbaiki']);
    expect(complaint.lines[0]).toMatch(/^complaint \(confidence \d\.\d\d\) → komisi-c \(keyword\)$/);
    expect(complaint.lines[1]).toMatch(/^features: .*w:rusak/);
    expect(complaint.lines[2]).toBe('route: kw:jalan rusak');
    const spam = await run(['Selamat', 'anda', 'menang', 'undian', 'klik', 'bit.ly/hadiah']);
    expect(spam.lines[0]).toMatch(/^spam /);
    expect(spam.lines).toHaveLength(2);
  });

  it('a line that is not {"text"} gets an error line and exit code 1, the rest still answered', async () => {
    const { code, lines } = await run([], 'not json\n{"text":"PUAS"}\n');
    expect(code).toBe(1);
    expect(lines).toHaveLength(2);
    expect(JSON.parse(lines[1]!)).toMatchObject({ label: 'statement' });
  });
});

describe('aduan classify on odd input', () => {
  it('a byte-order mark before the first line is no error; each bad line says its number and what is wrong', async () => {
    const { code, lines } = await run([], '\uFEFF{"text":"lampu jalan mati"}\r\n{"teks":"x"}\r\nnot json\r\n{"text":"PUAS"}\r\n');
    expect(code).toBe(1);
    const rows = lines.map((l) => JSON.parse(l) as { label: string | null; error?: string });
    expect(rows[0]).toMatchObject({ label: 'complaint' });
    expect(rows[1]!.error).toBe('line 2: no "text" string; expected {"text": "..."}');
    expect(rows[2]!.error).toMatch(/^line 3: not JSON/);
    expect(rows[3]).toMatchObject({ label: 'statement' });
  });

  it('a huge line is read as intake reads a message (its first LIMITS.textMaxChars characters), and the next line is answered too', async () => {
    const huge = `jalan rusak parah ${'a-'.repeat(100_000)}x`;
    const { code, lines } = await run([], `${JSON.stringify({ text: huge })}\n{"text":"PUAS"}\n`);
    expect(code).toBe(0);
    expect(lines).toHaveLength(2);
    expect(JSON.parse(lines[1]!)).toMatchObject({ label: 'statement' });
  });
});
