/**
 * The citizens' status page (case number + last four digits of the phone). Wrong proofs were counted per
 * case number from every address together: anyone who knew a number (printed on every mail) could keep
 * its citizen out of their own case with five wrong proofs an hour. Now one client's wrong proofs lock
 * that client (per number, and over all numbers per day); the number itself is locked for everyone only
 * when its much larger budget is spent by guessing from many addresses — and the log says so.
 */
import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listCases } from '../../core/repo/cases.repo.ts';
import { PROOF_CASE_BUDGET, PROOF_CLIENT_FAILURES, PROOF_FAILURES_BEFORE_LOCK, PROOF_NET48_FAILURES } from '../../connectors/web/web.rate-limit.ts';
import { startHarness, type Harness } from '../helpers/harness.ts';
import { freePort, waitFor } from '../helpers/ports.ts';

let h: Harness;
let base: string;
let direct: string;
const logLines: string[] = [];
const numbers: string[] = [];

beforeAll(async () => {
  const [port, directPort] = [await freePort(), await freePort()];
  // behind one proxy (nginx): the client is the address it forwards; web-direct is set up as if exposed directly
  h = await startHarness({ channels: [
    { id: 'web', type: 'web', listen: { host: '127.0.0.1', port }, trustProxy: 1, rateLimit: { perMinute: 0 } },
    { id: 'web-direct', type: 'web', listen: { host: '127.0.0.1', port: directPort } },
  ] },
    { logs: new Writable({ write(chunk: Buffer, _enc, cb) { logLines.push(chunk.toString()); cb(); } }) });
  await h.startConnector('web');
  await h.startConnector('web-direct');
  h.startIntake();
  base = `http://127.0.0.1:${port}`;
  direct = `http://127.0.0.1:${directPort}`;
  for (const [phone, text] of [['081311112223', 'Lampu PJU di Jl. Kaliurang mati sejak seminggu.'], ['081355556667', 'Selokan di Jl. Magelang tersumbat sampah.'], ['081377778889', 'Trotoar di Jl. Solo berlubang besar.']]) {
    await fetch(`${base}/v1/messages`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ phone, text }) });
    // (one at a time: numbers[i] is the case of the i-th phone)
    await waitFor(() => listCases(h.db).length === numbers.length + 1);
    numbers.push(listCases(h.db).map((c) => c.number).find((x) => !numbers.includes(x))!);
  }
});
afterAll(async () => { await h?.stop(); });

const check = (from: string, nomor: string, bukti: string) => fetch(`${base}/status`, {
  method: 'POST',
  headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-forwarded-for': from },
  body: new URLSearchParams({ nomor, bukti }),
});

describe('the status page\'s locks', () => {
  it('a stranger\'s wrong proofs from one address lock that address, not the citizen checking from another', async () => {
    const n = numbers[0]!;
    for (let i = 0; i < PROOF_FAILURES_BEFORE_LOCK; i++) expect((await check('203.0.113.9', n, `000${i}`)).status).toBe(404);
    // the citizen, from their own network, sees their case
    const own = await check('198.51.100.7', n, '2223');
    expect(own.status).toBe(200);
    expect(await own.text()).toContain(`Perkembangan aduan ${n}`);
    // the guesser is locked out of this number, the right proof too
    const locked = await check('203.0.113.9', n, '2223');
    expect(locked.status).toBe(429);
    expect(Number(locked.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(await locked.text()).toContain(`Terlalu banyak percobaan yang salah untuk nomor ${n} dari jaringan Anda`);
    expect(logLines.some((l) => l.includes('"client":"203.0.113.9"') && l.includes('wrong proofs for one case number from one client'))).toBe(true);
  });

  it('the whole phone number typed is read as its last four digits; what is no proof at all is answered with what to type and counts nowhere', async () => {
    const n = numbers[2]!;
    // many citizens behind one carrier address slip: a name, two digits, nothing — never a lock
    for (let i = 0; i < PROOF_CLIENT_FAILURES + PROOF_FAILURES_BEFORE_LOCK; i++) {
      const res = await check('192.0.2.77', n, ['Budi', '89', 'saya'][i % 3]!);
      expect(res.status).toBe(400);
      if (i === 0) expect(await res.text()).toContain('Isi empat angka terakhir nomor HP yang Anda pakai');
    }
    for (const whole of ['081377778889', '+62 813-7777-8889', '0813 7777 8889']) expect((await check('192.0.2.77', n, whole)).status).toBe(200);
  });

  it('one address guessing across case numbers is locked out of the page for the day', async () => {
    const [a, , c] = numbers as [string, string, string];
    // (numbers that may or may not exist: a wrong proof is a wrong proof; fewer than five at each)
    for (let i = 0; i < PROOF_CLIENT_FAILURES; i++) expect((await check('192.0.2.44', `ADU-2026-${900000 + Math.floor(i / 3)}`, `100${i % 10}`)).status).toBe(404);
    const locked = await check('192.0.2.44', a, '2223');
    expect(locked.status).toBe(429);
    expect(await locked.text()).toContain('Terlalu banyak percobaan yang salah dari jaringan Anda');
    expect((await check('198.51.100.8', c, '8889')).status).toBe(200);
  });

  it('guessing one number from many addresses spends its budget: then it is locked for everyone, and the operator is told', async () => {
    const n = numbers[1]!;
    const left = PROOF_CASE_BUDGET;
    for (let i = 0; i < left; i++) {
      const res = await check(`10.1.${Math.floor(i / 4)}.1`, n, String(2000 + i));
      expect(res.status).toBe(404);
    }
    const locked = await check('198.51.100.9', n, '6667');
    expect(locked.status).toBe(429);
    const page = await locked.text();
    expect(page).toContain(`Terlalu banyak percobaan yang salah untuk nomor ${n}.`);
    expect(page).toContain('Perkembangan aduan tetap kami kirimkan');
    expect(logLines.filter((l) => l.includes(`wrong proofs for case ${n} from many clients`))).toHaveLength(1);
    // other numbers are not affected
    expect((await check('198.51.100.9', numbers[0]!, '2223')).status).toBe(200);
  });

  it('guessing from many /64s of one IPv6 /48 spends the /48\'s daily budget: then the /48 is locked out, and the operator is told', async () => {
    const c = numbers[2]!;
    for (let i = 0; i < PROOF_NET48_FAILURES; i++) expect((await check(`2001:db8:48:${i.toString(16)}::1`, `ADU-2026-${800000 + i}`, '1234')).status).toBe(404);
    // a citizen on the same /48 (another /64), with the right proof: locked out with the rest of that network, told their updates still come
    const locked = await check('2001:db8:48:beef::2', c, '8889');
    expect(locked.status).toBe(429);
    const page = await locked.text();
    expect(page).toContain('Terlalu banyak percobaan yang salah dari jaringan Anda dan jaringan di sekitarnya');
    expect(page).toContain('Perkembangan aduan tetap kami kirimkan');
    expect(logLines.filter((l) => l.includes('"net":"2001:db8:48::/48"') && l.includes('wrong proofs within 24 hours from one IPv6 /48'))).toHaveLength(1);
    // another /48 is not affected
    expect((await check('2001:db8:49:1::2', c, '8889')).status).toBe(200);
  });

  it('a proxy on this host in front of a channel without trustProxy is said once, with what to set (every visitor would be one client)', async () => {
    const proxied = () => fetch(`${direct}/status`, { headers: { 'x-forwarded-for': '203.0.113.50' } });
    expect((await proxied()).status).toBe(200);
    expect((await proxied()).status).toBe(200);
    const said = logLines.filter((l) => l.includes('trustProxy is 0'));
    expect(said).toHaveLength(1);
    expect(said[0]).toContain('Set trustProxy: 1 on channel web-direct');
    expect(said[0]).toContain('"connector":"web-direct"');
  });
});
