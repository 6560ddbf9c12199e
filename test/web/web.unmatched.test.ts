/**
 * The web form for new reports, sent only to ask about a case ("status ADU-2026-000099") the phone and
 * e-mail typed have none of: no case is opened (relation `unmatched`, as on SMS, chat and e-mail), and
 * the receipt page says so — the same whether the number exists — and where to ask: the status page.
 * Before, the receipt gave a new "Nomor aduan Anda" for the question and the desk got it as a report.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cases } from '../../core/db/schema.ts';
import { startHarness, type Harness } from '../helpers/harness.ts';
import { freePort, waitFor } from '../helpers/ports.ts';

let h: Harness;
let base: string;

beforeAll(async () => {
  const port = await freePort();
  h = await startHarness({ channels: [{ id: 'web', type: 'web', listen: { host: '127.0.0.1', port }, rateLimit: { perMinute: 0 } }] });
  await h.startConnector('web');
  h.startIntake();
  base = `http://127.0.0.1:${port}`;
});
afterAll(async () => {
  await h?.stop();
});

/** The form as a browser sends it; the receipt page's id. */
async function kirim(fields: Record<string, string>): Promise<string> {
  const form = new URLSearchParams({ token: `tok-${Math.random().toString(36).slice(2, 12)}`, ...fields });
  const res = await fetch(`${base}/kirim`, { method: 'POST', body: form, redirect: 'manual' });
  expect(res.status).toBe(303);
  return res.headers.get('location')!.split('/').pop()!;
}
/** The receipt page once the message is recorded (no longer "sedang dicatat"). */
async function receipt(id: string): Promise<string> {
  let html = '';
  await waitFor(async () => {
    html = await (await fetch(`${base}/laporan/${id}`)).text();
    return !html.includes('sedang dicatat');
  });
  return html;
}

describe('the web form sent only to ask about a case', () => {
  it('"status ADU-2026-000099": no case; the receipt says it was not recorded as a report and points to the status page; the JSON has relation unmatched', async () => {
    const id = await kirim({ phone: '081355550009', email: 'warga9@example.org', text: 'status ADU-2026-000099' });
    const html = await receipt(id);
    expect(html).toContain('id="menanyakan"');
    expect(html).toContain('Pesan Anda hanya menanyakan aduan ADU-2026-000099; aduan itu tidak kami temukan untuk nomor HP dan alamat e-mail yang Anda isi');
    expect(html).toContain('href="/status"');
    expect(html).not.toContain('id="case-number"');
    expect(html).not.toContain('akan diperiksa petugas');
    const json = await (await fetch(`${base}/v1/messages/${id}`)).json() as Record<string, unknown>;
    expect(json).toMatchObject({ status: 'recorded', caseNumber: null, relation: 'unmatched' });
    expect(h.db.select().from(cases).all()).toEqual([]);
  });

  it('a report through the form is still a case with its number', async () => {
    const id = await kirim({ phone: '081355550010', email: 'warga10@example.org', text: 'Jalan berlubang besar di Jl. Kenari depan SD, berbahaya untuk motor.' });
    let html = '';
    await waitFor(async () => (html = await (await fetch(`${base}/laporan/${id}`)).text()).includes('id="case-number"'));
    const number = /id="case-number">([^<]+)</.exec(html)![1];
    expect(h.db.select().from(cases).all().filter((c) => c.number === number).map((c) => c.summary)).toEqual([expect.stringContaining('Jalan berlubang')]);
  });
});
