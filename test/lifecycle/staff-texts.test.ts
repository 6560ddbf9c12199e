/**
 * What staff read from their commands (the reviewer's walk through the SOP): a web report forwarded on
 * Monday 30 November 2026.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { deliverOutboxMail } from '../../core/forward.ts';
import { recordInbound } from '../../core/intake.ts';
import { ingestId, inboundMessageSchema } from '../../core/message.ts';
import { createUnderstander } from '../../core/understanding/index.ts';
import { officerCommand } from '../../core/lifecycle/service.ts';
import { chainSetup, type ChainSetup } from '../helpers/chain.ts';
import { asOf } from '../helpers/clock.ts';

afterEach(() => { vi.useRealTimers(); });

/** Monday 30 November 2026, 09:00 in Yogyakarta. */
const MONDAY = new Date('2026-11-30T02:00:00Z');
const ROAD = 'Jalan di depan rumah saya di Jl. Kenari rusak parah dan berlubang, mohon segera diperbaiki';

let n = 0;
/** A report through the web form, its forward delivered at once (Monday 09:00). */
async function webReport(s: ChainSetup, subject: string, text: string): Promise<string> {
  const message = inboundMessageSchema.parse({ connectorId: 'web', channel: 'web', externalId: `w${++n}`, receivedAt: MONDAY.toISOString(), sender: { name: 'Budi', email: `budi${n}@example.org` }, subject, text });
  const number = recordInbound({ db: s.db, config: s.config, understander: createUnderstander(s.config), outboundChannels: new Set(), now: () => MONDAY }, message, ingestId('web', message.externalId)).caseNumber!;
  vi.useFakeTimers({ toFake: ['Date'] });
  vi.setSystemTime(MONDAY);
  try {
    // (the citizen's acknowledgement too: late, it would escalate on its own clock)
    for (const id of [`${number}.forward`, `${number}.ack`]) expect(await deliverOutboxMail(s.db, { send: async (p) => ({ messageId: p.messageId }), verify: async () => {}, close: () => {} }, id)).toBe('sent');
  } finally {
    vi.useRealTimers();
  }
  expect(s.status(number)).toBe('forwarded');
  return number;
}

describe('the confirmation of #kaji (aduan cases review)', () => {
  it('says it once, and what is next; a second #kaji says nothing changed', async () => {
    const s = chainSetup();
    const a = await webReport(s, 'Jalan berlubang di Jl. Kenari', ROAD);
    const first = asOf(new Date('2026-12-01T03:00:00Z'), () => officerCommand(s.deps, a, { kind: 'kaji', note: '' }, 'cli:budi')).confirmation;
    expect(first).toBe(`Aduan ${a} dicatat sedang dikaji. Berikutnya: #tindakan atau #selesai dalam 10 hari kerja.`);
    expect(first).not.toMatch(/dikaji.*\(Sedang dikaji\)/);
    expect(asOf(new Date('2026-12-01T04:00:00Z'), () => officerCommand(s.deps, a, { kind: 'kaji', note: 'rapat komisi Kamis' }, 'cli:budi')).confirmation)
      .toBe(`Aduan ${a} masih dalam kajian; catatan Anda disimpan.`);
    // re-routed while in review: the new division's #kaji is named as its own
    asOf(new Date('2026-12-01T05:00:00Z'), () => officerCommand(s.deps, a, { kind: 'alihkan', division: 'komisi-a' }, 'cli:budi'));
    expect(asOf(new Date('2026-12-01T06:00:00Z'), () => officerCommand(s.deps, a, { kind: 'kaji', note: '' }, 'cli:budi')).confirmation)
      .toBe(`Aduan ${a} dicatat sedang dikaji oleh Komisi A (Pemerintahan). Berikutnya: #tindakan atau #selesai dalam 10 hari kerja.`);
  });
});
