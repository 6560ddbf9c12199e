import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { freePort, waitFor } from '../helpers/ports.ts';
import { startHarness, type Harness } from '../helpers/harness.ts';
import { IntakeProducer } from '../../core/queue.ts';
import { cases, caseEvents, correctiveActions } from '../../core/db/schema.ts';
import { runSweeps } from '../../core/lifecycle/sweeps.ts';
import { canTransition } from '../../core/lifecycle/states.ts';
import { workingDaysBetween } from '../../core/lifecycle/calendar.ts';
import { parseStaffReply, parseVerdict } from '../../core/lifecycle/commands.ts';
import { officerCommand } from '../../core/lifecycle/service.ts';
import { isAduanError } from '../../core/errors.ts';

let h: Harness;
let base: string;
let producer: IntakeProducer;
let seq = 0;

beforeAll(async () => {
  const port = await freePort();
  h = await startHarness({
    channels: [{ id: 'web', type: 'web', listen: { host: '127.0.0.1', port }, rateLimit: { perMinute: 0 } }],
    mail: { replyTo: 'aduan@dprd.test' },
    escalation: { address: 'sekwan@dprd.test' },
    archive: { afterDays: 30 },
  });
  await h.startConnector('web');
  h.startIntake();
  h.startForward();
  base = `http://127.0.0.1:${port}`;
  producer = new IntakeProducer(h.config);
});
afterAll(async () => {
  await producer?.close();
  await h?.stop();
});

const caseRow = (number: string) => h.db.select().from(cases).where(eq(cases.number, number)).get()!;
const events = (number: string) => h.db.select().from(caseEvents).where(eq(caseEvents.caseId, caseRow(number).id)).all().map((e) => e.type);
const mailsTo = (addr: string) => h.smtp.mails.filter((m) => m.envelope.to.includes(addr));

/** A mail as the e-mail connector would normalise it. */
async function mail(from: string, text: string, opts: { inReplyTo?: string; to?: string[]; subject?: string } = {}): Promise<void> {
  seq++;
  await producer.enqueue({
    connectorId: 'email-aduan', channel: 'email', externalId: `<reply-${seq}-${Date.now()}@client.test>`, receivedAt: new Date().toISOString(),
    sender: { email: from }, subject: opts.subject ?? 'Re: aduan', text, attachments: [],
    thread: opts.inReplyTo ? { inReplyTo: opts.inReplyTo, references: [opts.inReplyTo] } : undefined,
    meta: { to: opts.to ?? ['aduan@dprd.test'], messageId: `<reply-${seq}@client.test>` },
  });
}

async function newCase(email: string, text: string): Promise<string> {
  const res = await fetch(`${base}/v1/messages`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email, text }) });
  const { id } = (await res.json()) as { id: string };
  let number = '';
  await waitFor(async () => {
    number = ((await (await fetch(`${base}/v1/messages/${id}`)).json()) as { caseNumber: string | null }).caseNumber ?? '';
    return number !== '';
  });
  await waitFor(() => caseRow(number).status === 'forwarded');
  return number;
}

describe('case lifecycle end to end: staff by e-mail, the citizen\'s verdict, archive', () => {
  it('complaint → #kaji → #tindakan → #selesai → TIDAK PUAS → reopened → #selesai → PUAS → closed → archived', async () => {
    const citizen = 'warga.banjir@example.org';
    const n = await newCase(citizen, 'Setiap hujan Jl. Tegal Gendu banjir karena selokan tersumbat. Mohon ditangani.');
    const token = caseRow(n).token;
    const fwd = `<${n}.forward@dprd.test>`;
    const to = [`aduan+${n}.${token}@dprd.test`];

    await mail('humas@dprd.test', '#kaji Dibahas dalam rapat Senin.\n\nPada 1 Des 2026 Aduan menulis:\n> isi aduan', { inReplyTo: fwd, to });
    await waitFor(() => caseRow(n).status === 'in_review');
    await waitFor(() => mailsTo('humas@dprd.test').some((m) => m.parsed.subject?.includes('#kaji diterima')));

    await mail('humas@dprd.test', '#tindakan Selokan tersumbat sampah | Normalisasi saluran | DLH Kota | 2026-12-15', { inReplyTo: fwd, to });
    await waitFor(() => caseRow(n).status === 'action');
    const action = h.db.select().from(correctiveActions).where(eq(correctiveActions.caseId, caseRow(n).id)).get()!;
    expect(action).toMatchObject({ cause: 'Selokan tersumbat sampah', plan: 'Normalisasi saluran', owner: 'DLH Kota', due: '2026-12-15' });

    await mail('humas@dprd.test', '#selesai Selokan sudah dibersihkan oleh DLH.\n-- \nStaf Humas', { inReplyTo: fwd, to });
    await waitFor(() => caseRow(n).status === 'awaiting_feedback');
    await waitFor(() => mailsTo(citizen).some((m) => m.parsed.text?.includes('Selokan sudah dibersihkan')));
    const result = mailsTo(citizen).find((m) => m.parsed.text?.includes('Selokan sudah dibersihkan'))!;
    expect(result.parsed.text).toContain('Balas PUAS bila Anda puas, atau TIDAK PUAS bila belum');
    expect(result.parsed.text).not.toContain('Staf Humas');

    await mail(citizen, 'TIDAK PUAS, masih banjir kemarin sore.', { inReplyTo: result.parsed.messageId! });
    await waitFor(() => caseRow(n).status === 'in_review' && caseRow(n).reopenCount === 1);
    await waitFor(() => mailsTo('humas@dprd.test').some((m) => m.parsed.text?.includes('masih banjir kemarin sore')));

    await mail('humas@dprd.test', '#selesai Saluran diperlebar dan dipasang saringan sampah.', { inReplyTo: fwd, to });
    await waitFor(() => caseRow(n).status === 'awaiting_feedback');
    await waitFor(() => mailsTo(citizen).some((m) => m.parsed.text?.includes('dipasang saringan')));
    const second = mailsTo(citizen).find((m) => m.parsed.text?.includes('dipasang saringan'))!;

    await mail(citizen, 'Puas, terima kasih.', { inReplyTo: second.parsed.messageId! });
    await waitFor(() => caseRow(n).status === 'closed');

    const status = (bukti: string) => fetch(`${base}/status`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams({ nomor: n.toLowerCase(), bukti }) });
    const ok = await status(citizen);
    expect(ok.status).toBe(200);
    const html = await ok.text();
    expect(html).toContain('Hasil tindak lanjut');
    expect(html).toContain('dipasang saringan');
    expect(html).not.toContain('Dibahas dalam rapat Senin');
    expect((await status('someone@else.org')).status).toBe(404);
    expect((await status('1234')).status).toBe(404);
    // guessing the four digits: after five wrong proofs from one client the number is locked for it, the right proof too
    for (const guess of ['0000', '0001', '0002']) expect((await status(guess)).status).toBe(404);
    const locked = await status(citizen);
    expect(locked.status).toBe(429);
    expect(await locked.text()).toContain(`Terlalu banyak percobaan yang salah untuk nomor ${n}`);

    const swept = runSweeps({ config: h.config, db: h.db, outboundChannels: new Set() }, new Date(Date.now() + 31 * 86_400_000));
    expect(swept.archived).toBeGreaterThanOrEqual(1);
    expect(caseRow(n).status).toBe('archived');
    expect(events(n)).toEqual(expect.arrayContaining(['received', 'forwarded', 'review_started', 'corrective_action', 'result_sent', 'reopened', 'closed_satisfied', 'archived']));
  });

  it('a reply from a non-division address cannot move a case; a forged token is refused', async () => {
    const n = await newCase('warga2@example.org', 'Lampu PJU di Jl. Parangtritis mati total sejak pekan lalu.');
    const fwd = `<${n}.forward@dprd.test>`;
    await mail('orang.lain@example.org', '#selesai sudah beres', { inReplyTo: fwd });
    await waitFor(() => events(n).includes('outsider_note'));
    expect(caseRow(n).status).toBe('forwarded');
    await mail('humas@dprd.test', '#kaji', { inReplyTo: fwd, to: [`aduan+${n}.FORGEDTOKEN@dprd.test`] });
    await waitFor(() => events(n).includes('forged_token_refused'));
    expect(caseRow(n).status).toBe('forwarded');
    await mail('humas@dprd.test', '#lompat sekarang', { inReplyTo: fwd });
    await waitFor(() => mailsTo('humas@dprd.test').some((m) => m.parsed.subject?.includes('Perintah tidak dikenali') && m.parsed.text?.includes('#tindakan')));
    // (the ids #alihkan takes are listed with the commands: staff need not ask the secretariat)
    const help = mailsTo('humas@dprd.test').find((m) => m.parsed.subject?.includes('Perintah tidak dikenali'))!;
    expect(help.parsed.text).toContain(`Id divisi untuk #alihkan: ${h.config.divisions.map((d) => `${d.id} = ${d.name}`).join('; ')}`);
    expect(caseRow(n).status).toBe('forwarded');
  });

  it('SLA: a reminder a working day before the first-response target and an escalation after it, on working days only, once each', async () => {
    const n = await newCase('warga3@example.org', 'Trotoar di depan pasar Beringharjo rusak parah.');
    const forwardedAt = new Date(h.db.select().from(caseEvents).all().filter((e) => e.caseId === caseRow(n).id && e.type === 'forwarded')[0]!.at);
    const day = 86_400_000;
    // Find a moment exactly 3 working days later and one 6 working days later by stepping calendar days.
    const deps = { config: h.config, db: h.db, outboundChannels: new Set<string>() };
    const r1 = runSweeps(deps, new Date(forwardedAt.getTime() + 1 * day));
    expect(r1.reminders).toBe(0);
    let t = forwardedAt.getTime();
    let reminded = false;
    for (let i = 1; i <= 6 && !reminded; i++) {
      t = forwardedAt.getTime() + i * day;
      reminded = runSweeps(deps, new Date(t)).reminders > 0;
    }
    expect(reminded).toBe(true);
    expect(workingDaysBetween(forwardedAt, new Date(t), 'Asia/Jakarta', [])).toBe(h.config.sla.firstResponseDays - 1);
    expect(runSweeps(deps, new Date(t)).reminders).toBe(0);
    const weekday = new Intl.DateTimeFormat('en', { timeZone: 'Asia/Jakarta', weekday: 'short' }).format(new Date(t));
    expect(['Sat', 'Sun']).not.toContain(weekday);
    let escalated = false;
    let te = t;
    for (let i = 1; i <= 10 && !escalated; i++) {
      te = t + i * day;
      escalated = runSweeps(deps, new Date(te)).escalations > 0;
    }
    expect(escalated).toBe(true);
    expect(workingDaysBetween(forwardedAt, new Date(te), 'Asia/Jakarta', [])).toBe(h.config.sla.firstResponseDays + 1);
    // (its own mail, or one line in the sweep's list when earlier tests' cases passed the target with it)
    await waitFor(() => mailsTo('sekwan@dprd.test').some((m) => m.parsed.subject?.includes(n) || m.parsed.text?.includes(`- ${n} untuk `)), 10_000);
  });

  it('delivery clocks: an acknowledgement or forward not out within sla.ackMinutes / forwardMinutes escalates once', async () => {
    h.smtp.refuse = true;
    let n = '';
    try {
      const res = await fetch(`${base}/v1/messages`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email: 'warga4@example.org', text: 'Lampu lalu lintas di perempatan Tugu mati.' }) });
      const { id } = (await res.json()) as { id: string };
      await waitFor(async () => {
        n = ((await (await fetch(`${base}/v1/messages/${id}`)).json()) as { caseNumber: string | null }).caseNumber ?? '';
        return n !== '';
      });
      const deps = { config: h.config, db: h.db, outboundChannels: new Set<string>() };
      expect(runSweeps(deps, new Date(Date.now() + 10 * 60_000)).escalations).toBe(0);
      expect(runSweeps(deps, new Date(Date.now() + 20 * 60_000)).escalations).toBe(1);
      expect(events(n)).toContain(`sla_escalated:outbox:${n}.ack`);
      expect(events(n)).not.toContain(`sla_escalated:outbox:${n}.forward`);
      expect(runSweeps(deps, new Date(Date.now() + 61 * 60_000)).escalations).toBe(1);
      expect(events(n)).toContain(`sla_escalated:outbox:${n}.forward`);
      expect(runSweeps(deps, new Date(Date.now() + 62 * 60_000)).escalations).toBe(0);
    } finally {
      h.smtp.refuse = false;
    }
  });

  it('officer tools enforce the state machine', () => {
    const n = caseRow(h.db.select().from(cases).all()[0]!.number).number;
    let code = '';
    try {
      officerCommand({ config: h.config, db: h.db, outboundChannels: new Set() }, n, { kind: 'selesai', result: 'x' }, 'tester');
    } catch (err) {
      if (isAduanError(err)) code = err.code;
    }
    expect(code).toBe('CASE.ILLEGAL_TRANSITION');
  });
});

describe('lifecycle parsing (pure)', () => {
  it('commands at the top; quoted text and signatures ignored', () => {
    expect(parseStaffReply('#KAJI rapat besok\n> #selesai kutipan')).toEqual({ command: { kind: 'kaji', note: 'rapat besok' } });
    expect(parseStaffReply('#tindakan a | b')).toHaveProperty('error');
    expect(parseStaffReply('Terima kasih, kami cek.\n#selesai bukan di atas')).toEqual({ none: true, text: 'Terima kasih, kami cek.\n#selesai bukan di atas' });
    expect(parseStaffReply('#selesai Jalan sudah ditambal.\nTerima kasih.\n-- \nBudi, Komisi C')).toEqual({ command: { kind: 'selesai', result: 'Jalan sudah ditambal.\nTerima kasih.' } });
  });
  it('verdicts', () => {
    for (const s of ['PUAS', 'puas, terima kasih', '1', 'Ya']) expect(parseVerdict(s)).toBe('satisfied');
    for (const s of ['TIDAK PUAS', 'tdk puas!', '2', 'belum, masih rusak']) expect(parseVerdict(s)).toBe('unsatisfied');
    expect(parseVerdict('kapan diperbaiki?')).toBeNull();
  });
  it('working days skip weekends and YAML holidays, in the instance timezone', () => {
    // Fri 2026-12-24 10:00 WIB → Tue 2026-12-29 10:00 WIB: Mon 28 and Tue 29 are working days; Fri 25 is a holiday
    const from = new Date('2026-12-24T03:00:00Z');
    const to = new Date('2026-12-29T03:00:00Z');
    expect(workingDaysBetween(from, to, 'Asia/Jakarta', [])).toBe(3);
    expect(workingDaysBetween(from, to, 'Asia/Jakarta', ['2026-12-25'])).toBe(2);
    // 23:30 UTC on Sunday is already Monday 06:30 in Jakarta
    expect(workingDaysBetween(new Date('2026-12-25T03:00:00Z'), new Date('2026-12-27T23:30:00Z'), 'Asia/Jakarta', [])).toBe(1);
  });
  it('transitions', () => {
    expect(canTransition('awaiting_feedback', 'closed')).toBe(true);
    expect(canTransition('received', 'closed')).toBe(false);
    expect(canTransition('archived', 'reopened')).toBe(false);
  });
});
