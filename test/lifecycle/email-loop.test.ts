import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startMailLoop, type MailLoop } from '../helpers/mail-loop.ts';
import type { Harness } from '../helpers/harness.ts';
import { waitFor } from '../helpers/ports.ts';
import { cases } from '../../core/db/schema.ts';
import { runSweeps } from '../../core/lifecycle/sweeps.ts';

let loop: MailLoop;
let h: Harness;

beforeAll(async () => {
  loop = await startMailLoop({ idPrefix: 'loop' });
  h = loop.h;
}, 60_000);

afterAll(async () => {
  await loop?.stop();
});

const deliver: MailLoop['deliver'] = (...args) => loop.deliver(...args);
const mailsTo = (addr: string) => h.smtp.mails.filter((m) => m.envelope.to.includes(addr));
const theCase = () => h.db.select().from(cases).all()[0]!;

describe('the whole loop for an e-mail citizen, with staff acting by e-mail (real Dovecot, real SMTP)', () => {
  it('complaint → forward → #kaji → #tindakan → #selesai → TIDAK PUAS → reopened → #selesai → PUAS → closed → archived', async () => {
    const citizen = 'sri.warga@example.net';
    await deliver(`Sri <${citizen}>`, 'aduan@dprd.test', 'Sampah tidak diangkut', 'Sudah dua minggu sampah di depo Jl. Kusumanegara tidak diangkut. Mohon ditindaklanjuti.');
    await waitFor(() => h.db.select().from(cases).all().length === 1 && theCase().status === 'forwarded', 30_000);
    const c = theCase();
    const forward = mailsTo('humas@dprd.test').find((m) => m.parsed.subject?.startsWith(`[${c.number}]`))!;
    expect(forward).toBeDefined();
    await waitFor(() => mailsTo(citizen).some((m) => m.parsed.text?.includes(c.number)));
    const ack = mailsTo(citizen)[0]!;
    expect(ack.parsed.inReplyTo).toMatch(/^<loop-1-/);
    expect(ack.parsed.subject).toBe(`Re: Sampah tidak diangkut [${c.number}]`);

    const replyTo = String(forward.parsed.replyTo?.value[0]?.address);
    expect(replyTo).toBe(`aduan+${c.number}.${c.token}@dprd.test`);
    const staff = (text: string) => deliver('Humas <humas@dprd.test>', replyTo, `Re: ${forward.parsed.subject}`, `${text}\n\nPada hari ini Aduan menulis:\n> isi aduan`, forward.parsed.messageId!);
    const status = () => h.db.select().from(cases).where(eq(cases.id, c.id)).get()!;

    await staff('#kaji Dibahas rapat Komisi hari Senin');
    await waitFor(() => status().status === 'in_review', 30_000);
    await staff('#tindakan Armada DLH kurang | Tambah jadwal angkut | DLH Kota Yogyakarta | 2026-12-20');
    await waitFor(() => status().status === 'action', 30_000);
    await staff('#selesai Jadwal angkut ditambah menjadi setiap hari.');
    await waitFor(() => status().status === 'awaiting_feedback', 30_000);
    await waitFor(() => mailsTo(citizen).some((m) => m.parsed.text?.includes('setiap hari')));
    const result = mailsTo(citizen).find((m) => m.parsed.text?.includes('setiap hari'))!;
    expect(result.parsed.text).toContain('TIDAK PUAS');
    expect(result.parsed.text).not.toContain('Dibahas rapat');

    await deliver(`Sri <${citizen}>`, 'aduan@dprd.test', `Re: ${result.parsed.subject}`, 'TIDAK PUAS. Kemarin masih menumpuk.', result.parsed.messageId!);
    await waitFor(() => status().status === 'in_review' && status().reopenCount === 1, 30_000);
    await waitFor(() => mailsTo('humas@dprd.test').some((m) => m.parsed.text?.includes('Kemarin masih menumpuk')));

    await staff('#selesai Depo dikosongkan dua kali sehari mulai pekan ini.');
    await waitFor(() => status().status === 'awaiting_feedback', 30_000);
    await waitFor(() => mailsTo(citizen).some((m) => m.parsed.text?.includes('dua kali sehari')));
    const second = mailsTo(citizen).find((m) => m.parsed.text?.includes('dua kali sehari'))!;
    await deliver(`Sri <${citizen}>`, 'aduan@dprd.test', `Re: ${second.parsed.subject}`, 'PUAS, terima kasih.', second.parsed.messageId!);
    await waitFor(() => status().status === 'closed', 30_000);

    runSweeps({ config: h.config, db: h.db, outboundChannels: new Set() }, new Date(Date.now() + 31 * 86_400_000));
    expect(status().status).toBe('archived');
    // one case for the whole conversation
    expect(h.db.select().from(cases).all()).toHaveLength(1);
  }, 120_000);
});
