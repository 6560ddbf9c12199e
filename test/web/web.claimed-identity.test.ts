/**
 * The phone and e-mail a web submitter types (form or JSON API) are never verified: anyone can type a
 * citizen's number. They are "claimed", while the channels prove theirs (an SMS/WhatsApp sender's
 * number, a Telegram chat, an e-mail's From). A web message typing an SMS, WhatsApp or e-mail citizen's
 * number or address used to be recorded as that citizen: a repeat of their text was their duplicate (the
 * stranger got their case number and status link), "susulan foto untuk ADU-…" joined their case, a
 * progress question was answered on it, and the typed e-mail (or phone) was written onto the citizen's
 * contact, so the mails about the citizen's cases went to the stranger. Now a web message is recorded
 * under a web-only contact of exactly what was typed; an honest citizen using the form again with the
 * same phone and e-mail is still that contact, and their e-mail reply to our mail still counts as theirs.
 */
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { and, eq } from 'drizzle-orm';
import { migrate } from 'drizzle-orm/better-sqlite3/migrator';
import { describe, expect, it } from 'vitest';
import { openDb, runMigrations } from '../../core/db/client.ts';
import { contacts, outbox } from '../../core/db/schema.ts';
import { deliverOutboxMail, staffAddressesOf } from '../../core/forward.ts';
import { recordInbound, type IntakeResult } from '../../core/intake.ts';
import { notifyCitizen } from '../../core/lifecycle/notify.ts';
import type { MailPayload } from '../../core/mail/compose.ts';
import { ingestId, inboundMessageSchema, type InboundMessageInput } from '../../core/message.ts';
import { getCaseByNumber } from '../../core/repo/cases.repo.ts';
import { createUnderstander } from '../../core/understanding/index.ts';
import { CHAIN_START, chainSetup } from '../helpers/chain.ts';

const VICTIM_PHONE = '+6281311110001';
const VICTIM_EMAIL = 'warga.asli@example.org';
const STRANGER_EMAIL = 'orang.lain@example.net';
const STRANGER_PHONE = '+6285799990002';
const LAMP = 'Lampu PJU di Jalan Kusumanegara mati sudah seminggu, gelap sekali, mohon diperbaiki.';
const DRAIN = 'Selokan di Jalan Veteran depan pasar mampet dan airnya meluap ke jalan setiap hujan, mohon dibersihkan.';

/** The chain, with every channel's message recorded through real intake, one minute apart. */
function setup() {
  const s = chainSetup();
  const understander = createUnderstander(s.config);
  let n = 0;
  const record = (m: Omit<InboundMessageInput, 'externalId' | 'receivedAt'> & { externalId?: string }): IntakeResult => {
    const at = new Date(CHAIN_START + ++n * 60_000);
    const message = inboundMessageSchema.parse({ externalId: `x${n}`, receivedAt: at.toISOString(), ...m });
    return recordInbound({ ...s.deps, understander, now: () => at }, message, ingestId(message.connectorId, message.externalId));
  };
  const sms = (phone: string, text: string) => record({ connectorId: 'sms-test', channel: 'sms', sender: { phone }, text });
  /** A walk-in at the desk (entered by an officer): answered by mail only, when an address is known. */
  const manual = (phone: string, text: string) => record({ connectorId: 'manual', channel: 'manual', sender: { phone }, text, meta: { officer: 'petugas.budi' } });
  const email = (from: string, text: string, more: Partial<InboundMessageInput> = {}) =>
    record({ connectorId: 'email-test', channel: 'email', externalId: `<c${n + 1}@mail.example>`, sender: { email: from }, subject: 'Aduan', text, ...more });
  const web = (sender: { phone?: string; email?: string; name?: string }, text: string) =>
    record({ connectorId: 'web', channel: 'web', externalId: `form-t${n + 1}`, sender, text });
  /** Every mail in the outbox to `to`, with what it says. */
  const mailsTo = (to: string) => s.db.select().from(outbox).all().map((o) => o.payload as MailPayload).filter((p) => Array.isArray(p.to) && p.to.includes(to));
  const contactOf = (number: string) => s.db.select().from(contacts).where(eq(contacts.id, getCaseByNumber(s.db, number)!.contactId!)).get()!;
  return { ...s, sms, manual, email, web, mailsTo, contactOf };
}

describe('a web message typing another citizen\'s phone or e-mail', () => {
  it('repeating an SMS citizen\'s report: not their duplicate — the stranger learns neither their case number nor its link', async () => {
    const s = setup();
    const a = s.sms(VICTIM_PHONE, LAMP).caseNumber!;
    await s.deliverForward(a);
    const r = s.web({ phone: VICTIM_PHONE, email: STRANGER_EMAIL }, LAMP);
    expect(r.caseNumber).not.toBe(a);
    expect(r.relation).not.toBe('duplicate');
    expect(s.mailsTo(STRANGER_EMAIL).map((m) => `${m.subject}\n${m.text}`).join('\n')).not.toContain(a);
    // the SMS citizen's contact is as their channel proved it
    expect(s.contactOf(a)).toMatchObject({ phone: VICTIM_PHONE, email: null });
  });

  it('never writes the typed e-mail onto the citizen: the mails about their case do not go to the stranger', () => {
    const s = setup();
    const a = s.manual(VICTIM_PHONE, LAMP).caseNumber!;
    s.web({ phone: VICTIM_PHONE, email: STRANGER_EMAIL }, DRAIN);
    expect(s.contactOf(a).email).toBeNull();
    // (what the lifecycle sends the case's citizen: a result, a PUAS question, a status)
    const how = notifyCitizen(s.deps, s.db, getCaseByNumber(s.db, a)!, 'probe', 'Aduan Anda sudah ditangani.', new Date(CHAIN_START + 86_400_000).toISOString());
    expect(how).toBeNull();
    expect(s.mailsTo(STRANGER_EMAIL).map((m) => m.text).join('\n')).not.toContain(a);
  });

  it('naming an e-mail citizen\'s case with their address ("susulan foto untuk …"): not joined to it, and their contact gets no phone', () => {
    const s = setup();
    const b = s.email(VICTIM_EMAIL, LAMP).caseNumber!;
    const r = s.web({ email: VICTIM_EMAIL, phone: STRANGER_PHONE }, `Susulan foto untuk ${b}`);
    expect(r.caseNumber).not.toBe(b);
    expect(r.relation).not.toBe('reply');
    expect(s.contactOf(b)).toMatchObject({ email: VICTIM_EMAIL, phone: null });
  });

  it('asking after "laporan saya" with an SMS citizen\'s phone: not answered on their case', () => {
    const s = setup();
    const a = s.sms(VICTIM_PHONE, LAMP).caseNumber!;
    const r = s.web({ phone: VICTIM_PHONE }, 'Bagaimana kelanjutan laporan saya?');
    expect(r.caseNumber).not.toBe(a);
    expect(r.relation).not.toBe('reply');
  });
});

describe('a web message typing only a part of what a web citizen typed', () => {
  it('their phone without their e-mail: another web contact — not answered on their report, nor joined to it', () => {
    const s = setup();
    const w = s.web({ phone: VICTIM_PHONE, email: VICTIM_EMAIL }, LAMP).caseNumber!;
    const asked = s.web({ phone: VICTIM_PHONE }, 'Bagaimana kelanjutan laporan saya?');
    expect(asked.caseNumber).not.toBe(w);
    const named = s.web({ phone: VICTIM_PHONE, email: STRANGER_EMAIL }, `Susulan foto untuk ${w}`);
    expect(named.caseNumber).not.toBe(w);
    expect(s.mailsTo(STRANGER_EMAIL).map((m) => `${m.subject}\n${m.text}`).join('\n')).not.toContain(w);
    expect(s.contactOf(w)).toMatchObject({ phone: VICTIM_PHONE, email: VICTIM_EMAIL, claimed: true });
  });
});

describe('a proven sender and web-only contacts with their address', () => {
  it('an address blocked after a hard bounce stays blocked when it is typed on the web (at delivery: the clock of now)', async () => {
    const s = setup();
    s.email(VICTIM_EMAIL, LAMP);
    s.db.update(contacts).set({ doNotContactUntil: new Date(Date.now() + 86_400_000).toISOString() }).where(eq(contacts.email, VICTIM_EMAIL)).run();
    const w = s.web({ email: VICTIM_EMAIL }, DRAIN).caseNumber!;
    const policy = { config: s.config, staffAddresses: staffAddressesOf(s.config) };
    const sender = { send: async (p: MailPayload) => ({ messageId: p.messageId }), verify: async () => {}, close: () => {} };
    expect(await deliverOutboxMail(s.db, sender, `${w}.ack`, policy)).toBe('skipped');
  });

  it('an SMS from the phone a web report was sent with, naming its number: its citizen\'s message', () => {
    const s = setup();
    const w = s.web({ phone: VICTIM_PHONE }, LAMP).caseNumber!;
    expect(s.sms(VICTIM_PHONE, `${w} bagaimana perkembangannya pak?`)).toMatchObject({ relation: 'reply', caseNumber: w });
    expect(s.eventsOf(w).map((e) => e.type)).toContain('citizen_reply');
  });
});

describe('an honest citizen on the web form', () => {
  it('sending the same report twice with the same phone and e-mail: the second is a duplicate of their own, acknowledged to them', () => {
    const s = setup();
    const w = s.web({ phone: VICTIM_PHONE, email: VICTIM_EMAIL }, LAMP);
    const again = s.web({ phone: VICTIM_PHONE, email: VICTIM_EMAIL }, LAMP);
    expect(again).toMatchObject({ relation: 'duplicate', caseNumber: w.caseNumber });
    expect(s.mailsTo(VICTIM_EMAIL).filter((m) => m.text.includes(w.caseNumber!)).length).toBe(2);
  });

  it('adding a photo later with the case number and the same phone and e-mail: joins their case', () => {
    const s = setup();
    const w = s.web({ phone: VICTIM_PHONE, email: VICTIM_EMAIL }, LAMP).caseNumber!;
    expect(s.web({ phone: VICTIM_PHONE, email: VICTIM_EMAIL }, `Susulan foto untuk ${w}`)).toMatchObject({ relation: 'reply', caseNumber: w });
  });

  it('answering our acknowledgement by e-mail from the address they typed: a reply of the case\'s citizen', () => {
    const s = setup();
    const w = s.web({ phone: VICTIM_PHONE, email: VICTIM_EMAIL }, LAMP).caseNumber!;
    const ack = s.db.select().from(outbox).where(and(eq(outbox.id, `${w}.ack`))).get()!.payload as MailPayload;
    expect(ack.to).toEqual([VICTIM_EMAIL]);
    const r = s.email(VICTIM_EMAIL, 'Lokasinya persis di depan masjid, terima kasih.', { subject: `Re: ${ack.subject}`, thread: { inReplyTo: ack.messageId } });
    expect(r).toMatchObject({ relation: 'reply', caseNumber: w });
    expect(s.eventsOf(w).map((e) => e.type)).toContain('citizen_reply');
  });
});

describe('the division\'s forward', () => {
  it('marks the phone and e-mail typed on the web as unverified; the number an SMS came from reads as before', () => {
    const s = setup();
    const forwardOf = (number: string) => s.db.select().from(outbox).where(eq(outbox.id, `${number}.forward`)).get()!.payload as MailPayload;
    const w = s.web({ name: 'Sari', phone: VICTIM_PHONE, email: VICTIM_EMAIL }, LAMP).caseNumber!;
    expect(forwardOf(w).text).toContain(`Telepon  : ${VICTIM_PHONE} (diisi di formulir web, belum diverifikasi)\nE-mail   : ${VICTIM_EMAIL} (diisi di formulir web, belum diverifikasi)\n`);
    const a = s.sms(STRANGER_PHONE, DRAIN).caseNumber!;
    expect(forwardOf(a).text).toContain(`Telepon  : ${STRANGER_PHONE}\n`);
    expect(forwardOf(a).text).not.toContain('belum diverifikasi');
  });
});

describe('upgrading a database', () => {
  it('contacts that wrote only through the web become web-only; a citizen who wrote on another channel stays as they were', () => {
    // the database as the version before kept it (migrations up to 0011)
    const dir = mkdtempSync(path.join(tmpdir(), 'aduan-claimed-'));
    try {
      const all = fileURLToPath(new URL('../../core/db/migrations', import.meta.url));
      cpSync(all, path.join(dir, 'm'), { recursive: true });
      const journal = JSON.parse(readFileSync(path.join(dir, 'm/meta/_journal.json'), 'utf8')) as { entries: { tag: string }[] };
      journal.entries = journal.entries.filter((e) => e.tag < '0012');
      writeFileSync(path.join(dir, 'm/meta/_journal.json'), JSON.stringify(journal));
      const db = openDb(path.join(dir, 'aduan.db'), { migrate: false });
      migrate(db, { migrationsFolder: path.join(dir, 'm') });
      const raw = db.$client;
      const contact = raw.prepare("INSERT INTO contacts (phone, email, created_at) VALUES (?, ?, '2026-01-01') RETURNING id");
      const message = raw.prepare("INSERT INTO messages (ingest_id, connector_id, external_id, channel, contact_id, relation, received_at, recorded_at, text) VALUES (?, ?, ?, ?, ?, 'new', '2026-01-01', '2026-01-01', 'x')");
      const add = (phone: string | null, email: string | null, channels: string[]): number => {
        const { id } = contact.get(phone, email) as { id: number };
        channels.forEach((c, i) => message.run(`${id}-${i}`, c, `${id}-${i}`, c, id));
        return id;
      };
      const webOnly = add('+6281311110009', 'web@example.org', ['web', 'web']);
      const smsPatched = add(VICTIM_PHONE, STRANGER_EMAIL, ['sms', 'web']);
      const mail = add(null, VICTIM_EMAIL, ['email']);
      runMigrations(db);
      const claimed = (id: number) => db.select().from(contacts).where(eq(contacts.id, id)).get()!.claimed;
      expect([claimed(webOnly), claimed(smsPatched), claimed(mail)]).toEqual([true, false, false]);
      db.$client.close();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
