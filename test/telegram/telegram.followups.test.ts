import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Telegram } from 'telegraf';
import { cases, contacts, messages, outbox } from '../../core/db/schema.ts';
import { officerCommand } from '../../core/lifecycle/service.ts';
import { createUnderstander } from '../../core/understanding/index.ts';
import type { ConnectorRuntime } from '../../core/runtime.ts';
import { sendText } from '../../connectors/telegram/telegram.outbound.ts';
import { getState } from '../../core/repo/state.repo.ts';
import { startHarness, type Harness } from '../helpers/harness.ts';
import { waitFor } from '../helpers/ports.ts';
import { FakeBotApi, make } from './fake-bot-api.ts';

const CONNECTOR = 'telegram-followups';

/** What a citizen sends after their report (an edit, …) lands on that report. */
describe('telegram follow-ups of a report', () => {
  let fake: FakeBotApi;
  let h: Harness;
  let runtime: ConnectorRuntime;

  beforeAll(async () => {
    fake = await new FakeBotApi().start();
    h = await startHarness({
      channels: [{ id: CONNECTOR, type: 'telegram', token: fake.token, apiRoot: fake.url, polling: { timeoutSeconds: 1 }, albumWaitMs: 300 }],
    });
    ({ runtime } = await h.startConnector(CONNECTOR));
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
    // (the project's classifier, as in production: it reads a shared contact card as a statement)
    h.startIntake(createUnderstander(h.config));
    await waitFor(() => messageRow('6670001:1:edit:1780000040') !== undefined);
    const first = messageRow('6670001:1')!;
    const edited = messageRow('6670001:1:edit:1780000040')!;
    expect(edited.relation).toBe('reply');
    expect(edited.caseId).toBe(first.caseId);
    expect(h.db.select().from(cases).where(eq(cases.contactId, first.contactId!)).all()).toHaveLength(1);
  });

  const blockedUntil = (chatId: number) => h.db.select().from(contacts).where(eq(contacts.telegramChatId, String(chatId))).get()?.doNotContactUntil;
  const memberUpdate = (chatId: number, status: 'member' | 'kicked') => ({
    my_chat_member: { chat: make.chat(chatId), from: make.from(chatId), date: 1780000100, old_chat_member: { status: status === 'member' ? 'kicked' : 'member', user: fake.bot }, new_chat_member: { status, user: fake.bot } },
  });

  it('messages a citizen again once they unblock the bot or write again, after a block had marked them', async () => {
    const chat = 6670002;
    // (the answers of the test before are out: the scripted 403 is for this chat's acknowledgement)
    await waitFor(() => h.db.select().from(outbox).all().every((o) => o.kind !== 'channel' || o.status === 'sent'));
    // the citizen had blocked the bot: the acknowledgement answers 403
    fake.failNext('sendMessage', { status: 403, description: 'Forbidden: bot was blocked by the user' });
    fake.push(make.text('Lampu jalan di Jl. Kaliurang mati sejak seminggu, mohon diperbaiki.', { chatId: chat, messageId: 1 }));
    await waitFor(() => blockedUntil(chat) != null, 15_000);
    // they unblock it (Telegram says `member` again)
    fake.push(memberUpdate(chat, 'member'));
    await waitFor(() => blockedUntil(chat) === null);
    // blocked once more, then they simply write a new report
    fake.push(memberUpdate(chat, 'kicked'));
    await waitFor(() => blockedUntil(chat) != null);
    fake.push(make.text('Selokan di Gang Mawar Kotagede mampet, air meluap ke jalan kalau hujan.', { chatId: chat, messageId: 3 }));
    await waitFor(() => messageRow(`${chat}:3`) !== undefined);
    expect(blockedUntil(chat)).toBeNull();
    // and the division's result, with the PUAS question, reaches them
    const kase = h.db.select().from(cases).where(eq(cases.id, messageRow(`${chat}:3`)!.caseId!)).get()!;
    officerCommand({ config: h.config, db: h.db, outboundChannels: new Set([CONNECTOR]) }, kase.number, { kind: 'selesai', result: 'Selokan sudah dibersihkan DLH.' }, 'tester');
    await waitFor(() => fake.callsOf('sendMessage').some((c) => Number(c.payload['chat_id']) === chat && String(c.payload['text']).includes('Selokan sudah dibersihkan') && String(c.payload['text']).includes('PUAS')), 15_000);
    await waitFor(() => h.db.select().from(outbox).where(eq(outbox.caseId, kase.id)).all().some((o) => o.id.includes('.result') && o.status === 'sent'));
  });

  it('adds the citizen\'s own phone number, shared as a contact card after the report, to that report', async () => {
    const chat = 6670003;
    fake.push(make.text('Selokan di depan rumah saya mampet, air meluap ke jalan tiap hujan. Mohon dibersihkan.', { chatId: chat, messageId: 1 }));
    await waitFor(() => messageRow(`${chat}:1`) !== undefined);
    const { text: _text, ...card } = make.text('x', { chatId: chat, messageId: 2 }).message;
    fake.push({ message: { ...card, date: card.date + 60, contact: { phone_number: '081234567891', first_name: 'Sri', user_id: chat } } });
    await waitFor(() => messageRow(`${chat}:2`) !== undefined);
    const report = messageRow(`${chat}:1`)!;
    const shared = messageRow(`${chat}:2`)!;
    expect(shared.text).toContain('+6281234567891');
    expect(shared.relation).toBe('reply');
    expect(shared.caseId).toBe(report.caseId);
    expect(h.db.select().from(cases).where(eq(cases.contactId, report.contactId!)).all()).toHaveLength(1);
  });

  it('lifts the mark when a message to the chat gets through', async () => {
    const chat = 6670002;
    h.db.update(contacts).set({ doNotContactUntil: new Date(Date.now() + 86_400_000).toISOString() }).where(eq(contacts.telegramChatId, String(chat))).run();
    await sendText(new Telegram(fake.token, { apiRoot: fake.url }), runtime.ctx, String(chat), 'Pesan uji.');
    expect(blockedUntil(chat)).toBeNull();
  });
});
