/**
 * The SLA clocks after the ordinary path: a re-route, a re-forward that never arrives, a case an
 * officer reopens or moves by hand, a citizen who answers the result without PUAS / TIDAK PUAS.
 * Officer tools stamp events with the real time: it is set to the chain's clock around each call.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { like } from 'drizzle-orm';
import { outbox } from '../../core/db/schema.ts';
import { markOutboxFailed } from '../../core/forward.ts';
import { runSweeps } from '../../core/lifecycle/sweeps.ts';
import type { StaffCommand } from '../../core/lifecycle/commands.ts';
import { officerCommand } from '../../core/lifecycle/service.ts';
import { chainSetup, type ChainSetup } from '../helpers/chain.ts';

const PHONE = '+6281200000001';
const ROAD = 'Jalan di depan rumah saya di Jl. Kenari rusak parah dan berlubang, mohon segera diperbaiki';
const HOUR = 3_600_000;
const DAY = 24 * HOUR;

afterEach(() => { vi.useRealTimers(); });

/** Run an officer tool at `at` (default: the chain's clock). */
function asOf<T>(at: Date, fn: () => T): T {
  vi.useFakeTimers({ toFake: ['Date'] });
  vi.setSystemTime(at);
  try {
    return fn();
  } finally {
    vi.useRealTimers();
  }
}

const command = (s: ChainSetup, number: string, cmd: StaffCommand, at = s.at()) => asOf(at, () => officerCommand(s.deps, number, cmd, 'api:budi'));
const sweep = (s: ChainSetup, at: Date) => runSweeps(s.deps, at);
const types = (s: ChainSetup, number: string) => s.eventsOf(number).map((e) => e.type);
const staffMails = (s: ChainSetup, number: string, purpose: string) => s.db.select().from(outbox).where(like(outbox.id, `${number}.${purpose}%`)).all()
  .map((o) => o.payload as { to: string[]; subject: string; text: string });

describe('delivery clock of a forward sent again', () => {
  it('a re-route forward (<number>.forward-<n>) that fails for good escalates like the first forward', async () => {
    const s = chainSetup();
    const a = s.sms(PHONE, ROAD);
    await s.deliverForward(a);
    command(s, a, { kind: 'alihkan', division: 'komisi-a' });
    const again = s.db.select().from(outbox).where(like(outbox.id, `${a}.forward-%`)).get()!;
    expect((again.payload as { to: string[] }).to).toEqual(['komisi-a@localhost']);
    markOutboxFailed(s.db, again.id, true, '550 5.1.1 mailbox unavailable');
    sweep(s, new Date(Date.parse(again.createdAt) + 2 * HOUR));
    expect(types(s, a)).toContain(`sla_escalated:outbox:${again.id}`);
    expect(staffMails(s, a, 'escalation-').map((m) => m.text)).toContainEqual(expect.stringContaining('melewati target penerusan ke komisi/bagian (60 menit; status dead: 550 5.1.1 mailbox unavailable)'));
  });
});
