/**
 * A citizen who opens with "P" or "Assalamualaikum pak" before the complaint itself: the opener is
 * recorded as a statement and answered with a request to write the complaint; nothing is forwarded,
 * and the complaint that follows is a case of its own. With a photo, a person looks at it.
 */
import { describe, expect, it } from 'vitest';
import { like } from 'drizzle-orm';
import { outbox } from '../../core/db/schema.ts';
import { recordInbound } from '../../core/intake.ts';
import { ingestId, inboundMessageSchema } from '../../core/message.ts';
import { getCaseByNumber } from '../../core/repo/cases.repo.ts';
import { createUnderstander } from '../../core/understanding/index.ts';
import { chainSetup } from '../helpers/chain.ts';

describe('a message that says nothing yet', () => {
  it('is recorded as a statement, the citizen is asked for the complaint, and the complaint that follows is forwarded on its own', () => {
    const s = chainSetup();
    const acks = (n: string) => s.db.select().from(outbox).where(like(outbox.id, `${n}.%`)).all();
    const opener = s.sms('+6281200000001', 'Assalamualaikum pak');
    expect(getCaseByNumber(s.db, opener)).toMatchObject({ status: 'statement', kind: 'statement' });
    const sent = acks(opener);
    expect(sent.map((o) => o.id)).toEqual([expect.stringMatching(new RegExp(`^${opener}\\.ack-`))]);
    expect((sent[0]!.payload as { text: string }).text).toBe('Terima kasih telah menghubungi Sekretariat DPRD Kota Yogyakarta. Silakan kirim aduan Anda dalam satu pesan: apa masalahnya, di mana, dan sejak kapan.');

    const complaint = s.sms('+6281200000001', 'Jalan di depan SD Negeri Tahunan berlubang besar, sudah ada yang jatuh, mohon diperbaiki');
    expect(complaint).not.toBe(opener);
    expect(getCaseByNumber(s.db, complaint)).toMatchObject({ status: 'received', kind: 'complaint', divisionId: 'komisi-c', relatedToCaseId: null });
    expect(acks(complaint).map((o) => o.id)).toContain(`${complaint}.forward`);
  });

  it.each(['👍', '🙏🙏', '🙏 🙏 🙏', '...'])('"%s" alone (emoji, no words) is an opener too: asked for the complaint, no desk notice, no triage', (text) => {
    const s = chainSetup();
    const n = s.sms('+6281200000001', text);
    expect(getCaseByNumber(s.db, n)).toMatchObject({ status: 'statement', kind: 'statement' });
    const rows = s.db.select().from(outbox).all();
    expect(rows.map((o) => o.id)).toEqual([expect.stringMatching(new RegExp(`^${n}\\.ack-`))]);
    expect((rows[0]!.payload as { text: string }).text).toMatch(/^Terima kasih telah menghubungi Sekretariat DPRD Kota Yogyakarta\. Silakan kirim aduan Anda/);
  });

  it('with a photo goes to a person: the photo may be the complaint', () => {
    const s = chainSetup();
    const message = inboundMessageSchema.parse({ connectorId: 'sms-test', channel: 'telegram', externalId: 'photo-1', receivedAt: s.at().toISOString(),
      sender: { phone: '+6281200000001' }, text: 'pak',
      attachments: [{ filename: 'jalan.jpg', contentType: 'image/jpeg', size: 120_000, sha256: 'a'.repeat(64) }] });
    const n = recordInbound({ db: s.db, config: s.config, understander: createUnderstander(s.config), outboundChannels: new Set(['sms-test']), now: s.at }, message, ingestId('sms-test', message.externalId)).caseNumber!;
    expect(getCaseByNumber(s.db, n)).toMatchObject({ status: 'triage', kind: 'complaint' });
    // an emoji with the photo too
    const emoji = inboundMessageSchema.parse({ connectorId: 'sms-test', channel: 'telegram', externalId: 'photo-2', receivedAt: s.at().toISOString(),
      sender: { phone: '+6281200000002' }, text: '🙏',
      attachments: [{ filename: 'selokan.jpg', contentType: 'image/jpeg', size: 120_000, sha256: 'b'.repeat(64) }] });
    const m = recordInbound({ db: s.db, config: s.config, understander: createUnderstander(s.config), outboundChannels: new Set(['sms-test']), now: s.at }, emoji, ingestId('sms-test', emoji.externalId)).caseNumber!;
    expect(getCaseByNumber(s.db, m)).toMatchObject({ status: 'triage', kind: 'complaint' });
  });
});
