/**
 * By e-mail and the web form, a message that only asks about a case the sender has none of ("status
 * ADU-2026-000099" — a typo, another person's number —, "bagaimana laporan saya?" with no case) opened a
 * case, forwarded "[ADU-…] status …" or told the desk, and acknowledged it as a new report. As on SMS and
 * chat, it opens no case now: recorded on none (relation `unmatched`); by e-mail the sender gets a
 * neutral mail — the same whether the number exists —, the web form's receipt says it (test/web).
 */
import { describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { cases, messages, outbox } from '../../core/db/schema.ts';
import type { MailPayload } from '../../core/mail/compose.ts';
import { recordInbound } from '../../core/intake.ts';
import { ingestId, inboundMessageSchema } from '../../core/message.ts';
import { createUnderstander } from '../../core/understanding/index.ts';
import { chainSetup, type ChainSetup } from '../helpers/chain.ts';

const LAMP = 'Lampu PJU di Jalan Kusumanegara mati sudah seminggu, gelap sekali, mohon diperbaiki.';
let n = 0;

/** A citizen's e-mail (a new one, not a reply in one of our threads). */
function email(s: ChainSetup, from: string, subject: string, text: string, o: { connector?: string; channel?: 'email' | 'web'; phone?: string } = {}) {
  const connectorId = o.connector ?? 'email-test';
  const message = inboundMessageSchema.parse({ connectorId, channel: o.channel ?? 'email', externalId: `<c${++n}@warga.test>`, receivedAt: s.at().toISOString(),
    sender: { email: from, ...(o.phone ? { phone: o.phone } : {}) }, subject, text, meta: { messageId: `<c${n}@warga.test>` } });
  return recordInbound({ db: s.db, config: s.config, understander: createUnderstander(s.config), outboundChannels: new Set(['sms-test']), now: s.at }, message, ingestId(connectorId, message.externalId));
}
const mails = (s: ChainSetup) => s.db.select().from(outbox).all().map((o) => ({ id: o.id, caseId: o.caseId, payload: o.payload as MailPayload }));

describe('by e-mail, a question about a case the sender has none of', () => {
  it.each([
    ['status aduan', 'status ADU-2026-000099'],
    ['Re: ADU-2026-000099', 'Selamat siang, bagaimana perkembangan aduan saya? Terima kasih.'],
    ['', 'Mohon info status aduan nomor ADU-2026-000099'],
  ])('subject "%s", "%s": no case, no desk, no division; a neutral mail in the sender\'s thread', (subject, text) => {
    const s = chainSetup();
    expect(email(s, 'warga@example.org', subject, text)).toMatchObject({ relation: 'unmatched', caseNumber: null });
    expect(s.db.select().from(cases).all()).toEqual([]);
    const out = mails(s);
    expect(out).toHaveLength(1);
    const [mail] = out;
    expect(mail).toMatchObject({ id: expect.stringMatching(/^unmatched\./), caseId: null });
    expect(mail!.payload.to).toEqual(['warga@example.org']);
    expect(mail!.payload.text).toContain('Aduan dengan nomor ADU-2026-000099 tidak kami temukan untuk alamat e-mail ini.');
    expect(mail!.payload.text).toMatch(/^Yth\. Bapak\/Ibu,/);
    expect(mail!.payload.text).toContain('tanyakan dari alamat atau nomor yang Anda pakai saat melapor');
    expect(mail!.payload).toMatchObject({ inReplyTo: `<c${n}@warga.test>`, headers: { 'Auto-Submitted': 'auto-replied' } });
    // its Message-ID names no case: a reply to it is read as a new message
    expect(mail!.payload.messageId).toMatch(/^<unmatched\.c\d+\.\w+@/);
    expect(s.db.select().from(messages).all().map((m) => [m.caseId, m.relation])).toEqual([[null, 'unmatched']]);
  });

  it("another person's case number: the same answer, nothing recorded on that case", async () => {
    const s = chainSetup();
    const a = s.sms('+6281200000001', LAMP);
    await s.deliverForward(a);
    const events = s.eventsOf(a).length;
    const before = mails(s).length;
    expect(email(s, 'orang.lain@example.org', `Status ${a}`, `status ${a}`)).toMatchObject({ relation: 'unmatched', caseNumber: null });
    expect(s.eventsOf(a)).toHaveLength(events);
    const added = mails(s).slice(before);
    expect(added.map((m) => m.payload.text)).toEqual([expect.stringContaining(`Aduan dengan nomor ${a} tidak kami temukan untuk alamat e-mail ini.`)]);
    expect(added[0]!.payload.text).not.toMatch(/Kusumanegara|komisi/i);
    expect(s.db.select().from(cases).all()).toHaveLength(1);
  });

  it('"bagaimana laporan saya?" from an address with no case: told no case is being handled; once an hour at most', () => {
    const s = chainSetup();
    expect(email(s, 'warga@example.org', 'Laporan saya', 'bagaimana laporan saya?')).toMatchObject({ relation: 'unmatched' });
    expect(email(s, 'warga@example.org', '', 'status ADU-2026-000099')).toMatchObject({ relation: 'unmatched' });
    const out = mails(s);
    expect(out).toHaveLength(1);
    expect(out[0]!.payload.text).toContain('Tidak ada aduan yang sedang diproses untuk alamat e-mail ini.');
    expect(out[0]!.payload.subject).toBe('Re: Laporan saya');
  });

  it('a number followed by a report of its own, a progress question naming a problem, and the citizen\'s own number are as before', async () => {
    const s = chainSetup();
    expect(email(s, 'warga@example.org', 'ADU-2026-000099', 'ADU-2026-000099 jalan di depan rumah saya berlubang')).toMatchObject({ relation: 'new' });
    expect(email(s, 'warga2@example.org', 'Pertanyaan', 'Bagaimana kelanjutan pembangunan jembatan di kampung kami pak?').relation).not.toBe('unmatched');
    // the sender's own case: a reply on it
    const own = email(s, 'pelapor@example.org', 'Lampu mati', LAMP);
    expect(own.relation).toBe('new');
    expect(email(s, 'pelapor@example.org', '', `status ${own.caseNumber!}`)).toMatchObject({ relation: 'reply', caseNumber: own.caseNumber });
    expect(s.db.select().from(messages).where(eq(messages.relation, 'unmatched')).all()).toEqual([]);
  });
});

describe('by the web form, a question about a case the submitter has none of', () => {
  it('opens no case and sends no mail (the receipt page and JSON say it); a report through the form is still a case', () => {
    const s = chainSetup();
    expect(email(s, 'warga@example.org', '', 'status ADU-2026-000099', { connector: 'web', channel: 'web', phone: '+6281300000001' })).toMatchObject({ relation: 'unmatched', caseNumber: null });
    expect(email(s, 'warga@example.org', '', 'bagaimana laporan saya?', { connector: 'web', channel: 'web', phone: '+6281300000002' })).toMatchObject({ relation: 'unmatched', caseNumber: null });
    expect(s.db.select().from(cases).all()).toEqual([]);
    expect(mails(s)).toEqual([]);
    expect(email(s, 'warga@example.org', '', LAMP, { connector: 'web', channel: 'web', phone: '+6281300000001' })).toMatchObject({ relation: 'new' });
  });
});
