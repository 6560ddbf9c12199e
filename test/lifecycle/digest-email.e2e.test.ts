/**
 * One reply to a digest answers every citizen, over real mail: three citizens write the same problem
 * by e-mail (real Dovecot, the IMAP connector, the intake worker with the committed model), the
 * division gets the first forward and then one digest (real SMTP), a staff member replies #selesai to
 * the digest from the division's address, and each citizen gets the result under their own number.
 */
import { eq, inArray } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cases, contacts } from '../../core/db/schema.ts';
import { runDigests } from '../../core/lifecycle/digest.ts';
import { createUnderstander } from '../../core/understanding/index.ts';
import { loadDivisions } from '../../scripts/eval.ts';
import type { Harness } from '../helpers/harness.ts';
import { startMailLoop, type MailLoop } from '../helpers/mail-loop.ts';
import { waitFor } from '../helpers/ports.ts';

const LIGHT = 'Lampu PJU di Jalan Kenari depan SD Negeri Kenari mati sejak seminggu, jalan gelap sekali dan rawan jambret. Mohon segera diperbaiki.';

let loop: MailLoop;
let h: Harness;

beforeAll(async () => {
  loop = await startMailLoop({ idPrefix: 'digest', config: { divisions: loadDivisions(), classifier: { auditShare: 0 } }, understander: (x) => createUnderstander(x.config) });
  h = loop.h;
}, 60_000);

afterAll(async () => {
  await loop?.stop();
});

const deliver: MailLoop['deliver'] = (...args) => loop.deliver(...args);
const toDivision = () => h.smtp.mails.filter((m) => m.envelope.to.includes('komisi-c@localhost'));
const citizens = ['warga1@example.net', 'warga2@example.net', 'warga3@example.net'];

describe('a digest answered by mail', () => {
  it('#selesai replied to the digest reaches all three citizens, each under their own case number', async () => {
    await deliver(`Warga Satu <${citizens[0]}>`, 'aduan@dprd.test', 'Lampu PJU mati', LIGHT);
    await waitFor(() => toDivision().length === 1, 30_000);
    await deliver(`Warga Dua <${citizens[1]}>`, 'aduan@dprd.test', 'Lampu PJU mati', `${LIGHT} Tolong pak.`);
    await deliver(`Warga Tiga <${citizens[2]}>`, 'aduan@dprd.test', 'Lampu mati', `${LIGHT} Terima kasih.`);
    await waitFor(() => h.db.select().from(cases).all().length === 3 && h.db.select().from(cases).all().every((c) => c.status === 'forwarded'), 30_000);

    // an hour later the scheduler writes the digest; the forward worker sends it
    expect(runDigests({ config: h.config, db: h.db }, new Date(Date.now() + 61 * 60_000))).toBe(1);
    await waitFor(() => toDivision().length === 2, 30_000);
    const digest = toDivision()[1]!.parsed;
    expect(digest.subject).toMatch(/Laporan tambahan: 2 pelapor lain/);
    const replyTo = String(digest.replyTo?.value[0]?.address);

    await deliver('Komisi C <komisi-c@localhost>', replyTo, `Re: ${digest.subject}`, '#selesai Lampu sudah diganti oleh Dishub.\n\n> kutipan ringkasan', digest.messageId!);
    const all = () => h.db.select().from(cases).where(inArray(cases.status, ['awaiting_feedback'])).all();
    await waitFor(() => all().length === 3, 30_000);
    // each citizen's result names their own case (the mails go out as the forward worker gets to them)
    const resultOf = (to: string) => h.smtp.mails.filter((m) => m.envelope.to.includes(to)).map((m) => /Hasil tindak lanjut aduan (ADU-\d{4}-\d{6}): Lampu sudah diganti oleh Dishub\./.exec(m.parsed.text ?? '')?.[1]).find(Boolean);
    await waitFor(() => citizens.every((to) => resultOf(to) !== undefined), 30_000);
    const caseOf = (to: string) => h.db.select({ number: cases.number }).from(cases).innerJoin(contacts, eq(contacts.id, cases.contactId)).where(eq(contacts.email, to)).get()!.number;
    expect(citizens.map(resultOf)).toEqual(citizens.map(caseOf));
  }, 120_000);
});
