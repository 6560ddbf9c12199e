import { describe, expect, it } from 'vitest';
import { caseNumberFromMessageId, composeAckMail, composeDigest, composeForward, ourMessageId, recurrenceLine, summaryOf } from '../../core/mail/compose.ts';
import { testConfig } from '../helpers/config.ts';
import { COMMAND_HELP } from '../../core/lifecycle/commands.ts';
import { STAFF_COMMANDS } from '../../core/templates.ts';
import { workingDaysBetween } from '../../core/lifecycle/calendar.ts';
import type { CaseRow } from '../../core/repo/cases.repo.ts';
import type { Contact } from '../../core/repo/contacts.repo.ts';
import type { InboundMessage } from '../../core/message.ts';

const config = testConfig();
const kase = { id: 1, number: 'ADU-2026-000042', token: 'tok123', kind: 'complaint', status: 'received', divisionId: 'komisi-c' } as CaseRow;
const contact = { id: 1, name: 'Ani', email: 'ani@example.org', phone: '+6281234567890', telegramChatId: null } as Contact;
const message = {
  connectorId: 'email-aduan', channel: 'email', externalId: '<m1@example.org>', receivedAt: '2026-11-28T01:00:00Z', sender: { email: 'ani@example.org' },
  subject: 'Jalan rusak', text: 'Jalan <rusak> & berbahaya', meta: { messageId: '<m1@example.org>' },
  attachments: [{ filename: 'video.mp4', contentType: 'video/mp4', size: 30_000_000, withheld: 'terlalu besar' }, { filename: 'foto.jpg', contentType: 'image/jpeg', size: 2048, sha256: 'a'.repeat(64) }],
} as InboundMessage;
const division = config.divisions[0]!;

describe('mail composition', () => {
  it('the acknowledgement is a threaded reply and tells the citizen which attachment was not kept', () => {
    const ack = composeAckMail({ config, kase, contact, message, division });
    expect(ack.inReplyTo).toBe('<m1@example.org>');
    expect(ack.subject).toBe('Re: Jalan rusak [ADU-2026-000042]');
    expect(ack.headers['Auto-Submitted']).toBe('auto-replied');
    expect(ack.text).toMatch(/video\.mp4 \(29297 KB: .+\)/);
    expect(ack.text.indexOf('video.mp4')).toBeLessThan(ack.text.indexOf('Hormat kami'));
  });
  it('the forward escapes HTML, lists the withheld file, attaches the kept one and carries a staff Reply-To', () => {
    const fwd = composeForward({ config, division, kase, contact, message });
    expect(fwd.subject).toBe('[ADU-2026-000042] Jalan rusak');
    expect(fwd.html).toContain('Jalan &lt;rusak&gt; &amp; berbahaya');
    expect(fwd.text).toContain('video.mp4');
    expect(fwd.attachments).toEqual([{ filename: 'foto.jpg', contentType: 'image/jpeg', sha256: 'a'.repeat(64) }]);
    expect(fwd.replyTo).toBe('aduan+ADU-2026-000042.tok123@dprd.test');
    expect(fwd.headers['Auto-Submitted']).toBe('auto-generated');
  });
  it('the forward tells the division its first-response date, on the working-day calendar the SLA clock uses', () => {
    const withHoliday = testConfig({ sla: { firstResponseDays: 3, actionDays: 10, holidays: ['2026-12-01'] } });
    // Friday 27 November 2026, 17:00 WIB: Monday 30 (1), Tuesday 1 December a holiday, Wednesday 2 (2), Thursday 3 (3)
    const at = '2026-11-27T10:00:00Z';
    const fwd = composeForward({ config: withHoliday, division, kase, contact, message, at });
    expect(fwd.text).toContain('Target      : #kaji paling lambat Kamis, 3 Desember 2026 (3 hari kerja); sesudahnya #tindakan atau #selesai dalam 10 hari kerja\n');
    expect(fwd.html).toContain('<th align="left">Target</th><td>#kaji paling lambat Kamis, 3 Desember 2026 (3 hari kerja)');
    // the same day the sweep's clock reaches the target (late only after it)
    expect(workingDaysBetween(new Date(at), new Date('2026-12-03T10:00:00Z'), 'Asia/Jakarta', ['2026-12-01'])).toBe(3);
    expect(workingDaysBetween(new Date(at), new Date('2026-12-02T10:00:00Z'), 'Asia/Jakarta', ['2026-12-01'])).toBe(2);
    // 23:30 WIB on Friday is still Friday there (16:30 UTC)
    expect(composeForward({ config: withHoliday, division, kase, contact, message, at: '2026-11-27T16:30:00Z' }).text).toContain('paling lambat Kamis, 3 Desember 2026');
    // 00:30 WIB on Saturday counts from Saturday: Monday, Wednesday, Thursday as well
    expect(composeForward({ config: withHoliday, division, kase, contact, message, at: '2026-11-27T17:30:00Z' }).text).toContain('paling lambat Kamis, 3 Desember 2026');
    expect(composeForward({ config: withHoliday, division, kase, contact, message, at: '2026-11-30T03:00:00Z' }).text).toContain('paling lambat Jumat, 4 Desember 2026');
  });

  it('a recurring report names the first case and the latest ones, and how many it left out', () => {
    expect(recurrenceLine({ reportCount: 3, earlier: ['ADU-2026-000001', 'ADU-2026-000005'], earlierTotal: 2 })).toBe('dilaporkan 3 kali; laporan sebelumnya: ADU-2026-000001, ADU-2026-000005');
    expect(recurrenceLine({ reportCount: 14, earlier: ['ADU-2026-000001', 'ADU-2026-000040', 'ADU-2026-000052'], earlierTotal: 13 }))
      .toBe('dilaporkan 14 kali; laporan sebelumnya: ADU-2026-000001, … 10 lainnya …, ADU-2026-000040, ADU-2026-000052');
    const fwd = composeForward({ config, division, kase, contact, message, recurrence: { reportCount: 2, earlier: ['ADU-2026-000001'], earlierTotal: 1 } });
    expect(fwd.text).toContain('Berulang    : dilaporkan 2 kali; laporan sebelumnya: ADU-2026-000001');
    expect(fwd.text).toContain('Jenis       : aduan\n');
    // every command a division may need is named where staff look: at the end of the forward
    for (const c of ['#kaji', '#tindakan', '#selesai', '#catatan', '#alihkan', '#bukan-aduan', '#spam']) expect(fwd.text).toContain(c);
    expect(fwd.html).toContain('<th align="left">Berulang</th><td>dilaporkan 2 kali; laporan sebelumnya: ADU-2026-000001</td>');
    // staff see at once whether the problem is already being handled, and by whom
    const handled = composeForward({ config, division, kase, contact, message, recurrence: { reportCount: 2, earlier: ['ADU-2026-000001'], earlierTotal: 1, first: { number: 'ADU-2026-000001', status: 'in_review', division: 'komisi-c' } } });
    expect(handled.text).toContain('Laporan awal: ADU-2026-000001, sedang dikaji\n');
    const elsewhere = composeForward({ config, division, kase, contact, message, recurrence: { reportCount: 2, earlier: ['ADU-2026-000001'], earlierTotal: 1, first: { number: 'ADU-2026-000001', status: 'action', division: 'humas' } } });
    expect(elsewhere.text).toContain('Laporan awal: ADU-2026-000001, tindakan perbaikan berjalan di Humas');
    expect(elsewhere.html).toContain('<th align="left">Laporan awal</th><td>ADU-2026-000001, tindakan perbaikan berjalan di Humas</td>');
  });

  it('the acknowledgement says what happens to the message: forwarded, waiting for a person, a statement, already recorded', () => {
    const plain = { ...message, subject: undefined, attachments: [] } as InboundMessage;
    const ack = (k: Partial<CaseRow>, situation?: 'duplicate') => composeAckMail({ config, kase: { ...kase, relatedToCaseId: null, ...k }, contact, message: plain, division, ...(situation ? { situation } : {}) });
    const forwarded = ack({});
    expect(forwarded.subject).toBe('Aduan Anda diterima: ADU-2026-000042');
    expect(forwarded.text).toContain('Aduan ini diteruskan kepada Komisi C untuk ditindaklanjuti');
    const triage = ack({ status: 'triage' });
    expect(triage.subject).toBe('Pesan Anda diterima: ADU-2026-000042');
    expect(triage.text).toContain('Petugas kami memeriksanya lebih dulu; bila berisi aduan, pesan ini diteruskan');
    expect(triage.text).not.toContain('diteruskan kepada Komisi C');
    const statement = ack({ status: 'statement', kind: 'statement' });
    expect(statement.text).toContain('dicatat dengan nomor ADU-2026-000042 sebagai masukan');
    expect(statement.text).toContain('Pesan ini tidak kami teruskan sebagai aduan');
    expect(statement.text).not.toContain('Komisi C');
    expect(ack({}, 'duplicate').text).toContain('Aduan ini sudah tercatat sebelumnya dengan nomor ADU-2026-000042; pesan Anda kami tambahkan');
    // another citizen reported it first: this one hears the result too
    const recurring = ack({ relatedToCaseId: 7 });
    expect(recurring.text).toContain('Masalah yang sama juga telah dilaporkan warga lain; hasil tindak lanjutnya akan kami kirimkan juga kepada Anda.\n\nHormat kami,');
    expect(forwarded.text).not.toContain('dilaporkan warga lain');
    expect(ack({ relatedToCaseId: 7, status: 'triage' }).text).not.toContain('dilaporkan warga lain');
    // a sysadmin's wording wins
    const own = testConfig({ templates: { ackMailStatement: 'Yth. {name}, terima kasih ({caseNumber}).' } });
    expect(composeAckMail({ config: own, kase: { ...kase, status: 'statement' }, contact, message: plain, division }).text).toBe('Yth. Ani, terima kasih (ADU-2026-000042).');
  });

  it("the forward's subject starts with the problem, not the greeting or salutation the message opens with", () => {
    const sms = { ...message, subject: undefined, text: 'Selamat siang. Lampu PJU di Jl. Kaliurang gang Mawar sudah mati 2 minggu' };
    expect(composeForward({ config, division, kase, contact, message: sms }).subject).toBe('[ADU-2026-000042] Lampu PJU di Jl. Kaliurang gang Mawar sudah mati 2 minggu');
    expect(summaryOf({ text: 'Assalamualaikum wr. wb.\nYth. Bapak/Ibu Anggota DPRD Kota Yogyakarta,\nSaya mau lapor, saluran di Tegalrejo mampet' }))
      .toBe('saluran di Tegalrejo mampet');
    expect(summaryOf({ text: 'Pak, di jl. Kenari gang 3' })).toBe('di jl. Kenari gang 3');
    // a street abbreviation is no greeting; a text that is only a greeting stays as it is; a citizen's own subject is kept
    expect(summaryOf({ text: 'Jl. Magelang berlubang, Pak.' })).toBe('Jl. Magelang berlubang, Pak.');
    expect(summaryOf({ text: 'Selamat pagi, Pak.' })).toBe('Selamat pagi, Pak.');
    expect(summaryOf({ subject: 'Selamat siang', text: 'Jalan rusak' })).toBe('Selamat siang');
  });
  it("the forward's footer gives each command's format and the division ids #alihkan takes, from the same lines as the command list", () => {
    const fwd = composeForward({ config, division, kase, contact, message });
    const footer = fwd.text.slice(fwd.text.lastIndexOf('\n-- \n') + 5);
    // #tindakan with its four parts, as the list staff get after an error (COMMAND_HELP) has it: not only after a refused reply
    expect(footer).toContain('#tindakan <penyebab> | <rencana> | <penanggung jawab> | <tenggat> — Permintaan Tindakan Perbaikan');
    expect(COMMAND_HELP).toContain('#tindakan <penyebab> | <rencana> | <penanggung jawab> | <tenggat>  — Permintaan Tindakan Perbaikan');
    for (const c of ['kaji', 'selesai', 'catatan', 'alihkan', 'bukan-aduan'] as const) {
      const [syntax, what] = STAFF_COMMANDS[c];
      expect(footer).toContain(`${syntax} — ${what}`);
      expect(COMMAND_HELP).toMatch(new RegExp(`^${syntax.replace(/[[\]|<>]/g, '\\$&')} +— ${what.replace(/[()]/g, '\\$&')}$`, 'm'));
    }
    expect(footer).toContain('#alihkan <id divisi>');
    expect(footer).toContain('Id divisi untuk #alihkan: komisi-c = Komisi C; humas = Humas');
    expect(footer).toContain('#spam');
    // (the HTML keeps its lines)
    expect(fwd.html).toContain('<p style="color:#555;white-space:pre-wrap">Balas e-mail ini untuk mencatat tindak lanjut;');
    expect(fwd.html).toContain('Id divisi untuk #alihkan: komisi-c = Komisi C; humas = Humas</p>');
    // an override may use {divisions}, and only that
    const own = testConfig({ templates: { forwardReplyHint: 'Balas dengan #kaji. Divisi: {divisions}' } });
    expect(composeForward({ config: own, division: own.divisions[0]!, kase, contact, message }).text).toMatch(/\n-- \nBalas dengan #kaji\. Divisi: komisi-c = Komisi C; humas = Humas$/);
    expect(() => testConfig({ templates: { forwardReplyHint: 'Balas untuk {caseNumber}' } })).toThrow('{caseNumber} would be sent as written: this template is given {divisions}');
  });
  it('a phone and e-mail typed on the web are marked unverified in the forward and the digest; proven ones are not', () => {
    const web = { ...message, channel: 'web', connectorId: 'web', sender: { phone: contact.phone!, email: contact.email! }, meta: {} } as InboundMessage;
    const typed = { ...contact, claimed: true } as Contact;
    const mark = '(diisi di formulir web, belum diverifikasi)';
    const fwd = composeForward({ config, division, kase, contact: typed, message: web });
    expect(fwd.text).toContain(`Telepon  : +6281234567890 ${mark}\nE-mail   : ani@example.org ${mark}\n`);
    expect(fwd.html).toContain(`Telepon  : +6281234567890 ${mark}`);
    // only what was typed: a missing one stays a dash
    expect(composeForward({ config, division, kase, contact: { ...typed, email: null }, message: web }).text).toContain('E-mail   : -\n');
    // a proven contact (an SMS sender's number, an e-mail's From) reads as before
    const proven = composeForward({ config, division, kase, contact: { ...contact, claimed: false } as Contact, message });
    expect(proven.text).toContain('Telepon  : +6281234567890\nE-mail   : ani@example.org\n');
    expect(proven.text).not.toContain('belum diverifikasi');
    const report = (c: Contact, n: string) => ({ kase: { ...kase, number: n }, contact: c, attachments: [],
      message: { channel: 'web', connectorId: 'web', receivedAt: '2026-11-28T01:00:00Z', subject: null, text: 'Jalan rusak' } });
    const digest = composeDigest({ config, division, holder: kase, replyTo: kase, reports: [report(typed, 'ADU-2026-000043'), report(contact, 'ADU-2026-000044')], reportCount: 3, purpose: 'digest-1' });
    expect(digest.text).toContain(`   Telepon  : +6281234567890 ${mark}\n   E-mail   : ani@example.org ${mark}\n`);
    expect(digest.text.split('2. ADU-2026-000044')[1]).toContain('   Telepon  : +6281234567890\n   E-mail   : ani@example.org\n');
  });
  it('our Message-IDs carry the case number; foreign ones do not match', () => {
    expect(caseNumberFromMessageId(config, ourMessageId(config, 'ADU-2026-000042', 'forward'))).toBe('ADU-2026-000042');
    expect(caseNumberFromMessageId(config, '<ADU-2026-000042.forward@evil.example>')).toBeUndefined();
  });
});
