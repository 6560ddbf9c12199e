import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cases, messages } from '../../core/db/schema.ts';
import { getState } from '../../core/repo/state.repo.ts';
import { startHarness, type Harness } from '../helpers/harness.ts';
import { waitFor } from '../helpers/ports.ts';
import { FakeBotApi, make } from './fake-bot-api.ts';

const CONNECTOR = 'telegram-followups';

/** What a citizen sends after their report (an edit, …) lands on that report. */
describe('telegram follow-ups of a report', () => {
  let fake: FakeBotApi;
  let h: Harness;

  beforeAll(async () => {
    fake = await new FakeBotApi().start();
    h = await startHarness({
      channels: [{ id: CONNECTOR, type: 'telegram', token: fake.token, apiRoot: fake.url, polling: { timeoutSeconds: 1 }, albumWaitMs: 300 }],
    });
    await h.startConnector(CONNECTOR);
  });
  afterAll(async () => {
    await h?.stop();
    await fake?.stop();
  });

  const messageRow = (externalId: string) => h.db.select().from(messages).where(and(eq(messages.connectorId, CONNECTOR), eq(messages.externalId, externalId))).get();

  it('records an edit made while the original still waits in the queue on the original case', async () => {
    // the intake worker is behind (not started yet): both the original and its edit wait in the queue
    fake.push(make.text('Lampu jalan mati', { chatId: 6670001, messageId: 1 }));
    const original = make.text('Lampu jalan di Jl. Malioboro depan toko 14 mati sejak Senin, tiang miring hampir roboh, mohon segera diperbaiki.', { chatId: 6670001, messageId: 1 }).message;
    const edit = fake.push({ edited_message: { ...original, edit_date: original.date + 40 } });
    await waitFor(() => (getState<number>(h.db, CONNECTOR, 'offset') ?? 0) > (edit['update_id'] as number));
    h.startIntake();
    await waitFor(() => messageRow('6670001:1:edit:1780000040') !== undefined);
    const first = messageRow('6670001:1')!;
    const edited = messageRow('6670001:1:edit:1780000040')!;
    expect(edited.relation).toBe('reply');
    expect(edited.caseId).toBe(first.caseId);
    expect(h.db.select().from(cases).where(eq(cases.contactId, first.contactId!)).all()).toHaveLength(1);
  });
});
