import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { attachments, caseEvents, cases, contacts, messages, outbox } from '../../core/db/schema.ts';
import { yearIn } from '../../core/case-number.ts';
import { getState } from '../../core/repo/state.repo.ts';
import { startHarness, type Harness } from '../helpers/harness.ts';
import { waitFor } from '../helpers/ports.ts';
import { FakeBotApi, make } from './fake-bot-api.ts';
import type { ConnectorInstance } from '../../core/connector.ts';

const CONNECTOR = 'telegram-test';

describe('telegram connector, polling, end to end through intake', () => {
  let fake: FakeBotApi;
  let h: Harness;
  let first: ConnectorInstance;

  beforeAll(async () => {
    fake = await new FakeBotApi().start();
    h = await startHarness({
      // (an instance of its own prefix: the examples the bot gives are of this instance's numbers)
      instance: { name: 'DPRD Test', casePrefix: 'DPRD' },
      channels: [{ id: CONNECTOR, type: 'telegram', token: fake.token, apiRoot: fake.url, polling: { timeoutSeconds: 1 }, albumWaitMs: 300 }],
    });
    h.startIntake();
    ({ instance: first } = await h.startConnector(CONNECTOR));
  });
  afterAll(async () => {
    await h?.stop();
    await fake?.stop();
  });

  const messageRow = (externalId: string) => h.db.select().from(messages).where(and(eq(messages.connectorId, CONNECTOR), eq(messages.externalId, externalId))).get();
  const sentTo = (chatId: number) => fake.callsOf('sendMessage').filter((c) => Number(c.payload['chat_id']) === chatId);

  it('records a text as a case, advances the offset after the queue has it, and acknowledges as a reply', async () => {
    const u = fake.push(make.text('Lampu jalan di Jl. Malioboro depan toko 12 mati sejak Senin malam.', { chatId: 6660001, messageId: 11 }));
    await waitFor(() => messageRow('6660001:11') !== undefined);
    const row = messageRow('6660001:11')!;
    expect(row.relation).toBe('new');
    const kase = h.db.select().from(cases).where(eq(cases.id, row.caseId!)).get()!;
    expect(kase.channel).toBe('telegram');
    await waitFor(() => (getState<number>(h.db, CONNECTOR, 'offset') ?? 0) > (u['update_id'] as number));
    await waitFor(() => sentTo(6660001).length === 1);
    const ack = sentTo(6660001)[0]!;
    expect(ack.payload['text']).toContain(kase.number);
    expect(ack.payload['reply_parameters']).toEqual({ message_id: 11, allow_sending_without_reply: true });
    await waitFor(() => h.db.select().from(outbox).where(eq(outbox.caseId, kase.id)).all().some((o) => o.kind === 'channel' && o.status === 'sent'));
    // Polling clears a leftover webhook but never drops what Telegram still holds.
    expect(fake.callsOf('deleteWebhook').map((c) => c.payload['drop_pending_updates'])).toEqual([false]);
    expect(fake.callsOf('getUpdates').every((c) => JSON.stringify(c.payload['allowed_updates']) === '["message","edited_message","my_chat_member"]')).toBe(true);
  });

  it('answers /start in Indonesian without recording a complaint', async () => {
    fake.push(make.text('/start', { chatId: 6660010, messageId: 1 }));
    await waitFor(() => sentTo(6660010).length === 1);
    expect(sentTo(6660010)[0]!.payload['text']).toMatch(/Selamat datang[\s\S]*apa masalahnya[\s\S]*di mana[\s\S]*kapan[\s\S]*Foto/);
    fake.push(make.text('/bantuan', { chatId: 6660010, messageId: 2 }));
    await waitFor(() => sentTo(6660010).length === 2);
    expect(sentTo(6660010)[1]!.payload['text']).toContain('/status');
    // the example number is one of this instance (casePrefix DPRD, this year), not ADU-2026-000123
    const example = `DPRD-${yearIn(new Date(), h.config.instance.timezone)}-000123`;
    expect(sentTo(6660010)[0]!.payload['text']).toContain(`(contoh: ${example})`);
    expect(sentTo(6660010)[1]!.payload['text']).toContain(`contoh: /status ${example}`);
    fake.push(make.text('/status', { chatId: 6660010, messageId: 3 }));
    await waitFor(() => sentTo(6660010).length === 3);
    expect(sentTo(6660010)[2]!.payload['text']).toBe(`Tulis nomor aduan setelah perintah, contoh: /status ${example}`);
    for (const sent of sentTo(6660010)) expect(sent.payload['text']).not.toContain('ADU-');
    expect(messageRow('6660010:1')).toBeUndefined();
    expect(messageRow('6660010:2')).toBeUndefined();
  });

  it('answers /status to the case owner and not to someone else', async () => {
    const kase = h.db.select().from(cases).where(eq(cases.connectorId, CONNECTOR)).get()!;
    fake.push(make.text(`/status ${kase.number}`, { chatId: 6660001, messageId: 12 }));
    await waitFor(() => sentTo(6660001).length === 2);
    const owner = sentTo(6660001)[1]!.payload;
    expect(owner['text']).toContain(`Aduan ${kase.number}:`);
    expect(owner['text']).toContain('Ditangani oleh');
    expect(owner['reply_parameters']).toMatchObject({ message_id: 12 });
    fake.push(make.text(`/status ${kase.number}`, { chatId: 6660099, messageId: 1 }));
    await waitFor(() => sentTo(6660099).length === 1);
    const stranger = String(sentTo(6660099)[0]!.payload['text']);
    expect(stranger).toContain('tidak ditemukan atau tidak terdaftar atas nama Anda');
    expect(stranger).not.toContain('Ditangani');
    expect(messageRow('6660099:1')).toBeUndefined();
  });

  it('merges an album into one message with every photo stored', async () => {
    fake.addFile({ fileId: 'ALB-a', content: Buffer.from('photo-a') });
    fake.addFile({ fileId: 'ALB-b', content: Buffer.from('photo-b') });
    const base = { date: 1780000200, media_group_id: 'G-1', chat: make.chat(6660020), from: make.from(6660020) };
    fake.push({ message: { ...base, message_id: 21, photo: [{ file_id: 'ALB-a', file_unique_id: 'ua', file_size: 7, width: 1, height: 1 }], caption: 'Sampah menumpuk di Pasar Beringharjo sejak tiga hari' } });
    fake.push({ message: { ...base, message_id: 22, photo: [{ file_id: 'ALB-b', file_unique_id: 'ub', file_size: 7, width: 1, height: 1 }] } });
    await waitFor(() => messageRow('6660020:21') !== undefined);
    expect(messageRow('6660020:22')).toBeUndefined();
    const row = messageRow('6660020:21')!;
    expect(row.text).toBe('Sampah menumpuk di Pasar Beringharjo sejak tiga hari');
    const files = h.db.select().from(attachments).where(eq(attachments.messageId, row.id)).all();
    expect(files.map((f) => f.size)).toEqual([7, 7]);
    expect(files.every((f) => f.sha256 !== null && f.withheld === null)).toBe(true);
    await waitFor(() => fake.pending.length === 0);
  });

  it('takes a text sent right after an album after the album: one case, opened by the album', async () => {
    fake.addFile({ fileId: 'ORD-a', content: Buffer.from('photo-a') });
    fake.addFile({ fileId: 'ORD-b', content: Buffer.from('photo-b') });
    const base = { date: 1780000200, chat: make.chat(6660021), from: make.from(6660021) };
    const photo = (id: string) => [{ file_id: id, file_unique_id: id.toLowerCase(), file_size: 7, width: 1, height: 1 }];
    fake.push({ message: { ...base, message_id: 21, media_group_id: 'G-ORD', photo: photo('ORD-a'), caption: 'Jalan berlubang besar di Jl. Parangtritis dekat pom bensin, sudah dua motor jatuh.' } });
    fake.push({ message: { ...base, message_id: 22, media_group_id: 'G-ORD', photo: photo('ORD-b') } });
    const text = fake.push({ message: { ...base, date: base.date + 5, message_id: 23, text: 'Lubangnya di lajur kiri arah selatan, dalamnya sekitar 20 cm.' } });
    // another chat meanwhile is not held up by the album
    fake.push(make.text('Sampah menumpuk di depan SD Negeri Jetis sejak seminggu.', { chatId: 6660022, messageId: 5 }));
    await waitFor(() => messageRow('6660021:23') !== undefined && messageRow('6660022:5') !== undefined);
    const album = messageRow('6660021:21')!;
    const after = messageRow('6660021:23')!;
    // recorded in the order the citizen sent them: the album opened the case, the text was added to it
    expect(album.id).toBeLessThan(after.id);
    expect(album.relation).toBe('new');
    expect(after.relation).toBe('reply');
    expect(after.caseId).toBe(album.caseId);
    expect(h.db.select().from(cases).where(eq(cases.contactId, album.contactId!)).all()).toHaveLength(1);
    await waitFor(() => (getState<number>(h.db, CONNECTOR, 'offset') ?? 0) > (text['update_id'] as number));
  });

  it('records an edited message as an edit of the original, not as a second case', async () => {
    fake.push({ edited_message: { ...make.text('Lampu jalan di Jl. Malioboro depan toko 14 mati sejak Senin malam.', { chatId: 6660001, messageId: 11 }).message, edit_date: 1780000300 } });
    await waitFor(() => messageRow('6660001:11:edit:1780000300') !== undefined);
    const edit = messageRow('6660001:11:edit:1780000300')!;
    expect((edit.meta as Record<string, unknown>)['editOf']).toBe('6660001:11');
    const original = messageRow('6660001:11')!;
    expect(edit.relation).not.toBe('new');
    expect(edit.caseId).toBe(original.caseId);
  });

  it('withholds a file over 20 MB and tells the citizen', async () => {
    fake.addFile({ fileId: 'DOC-huge', size: 25 * 1024 * 1024 });
    fake.push({ message: { message_id: 61, date: 1780000700, chat: make.chat(6660030), from: make.from(6660030), caption: 'Dokumentasi banjir di Jl. Kaliurang', document: { file_id: 'DOC-huge', file_unique_id: 'uh', file_name: 'banjir.pdf', mime_type: 'application/pdf', file_size: 25 * 1024 * 1024 } } });
    await waitFor(() => messageRow('6660030:61') !== undefined);
    const files = h.db.select().from(attachments).where(eq(attachments.messageId, messageRow('6660030:61')!.id)).all();
    expect(files).toHaveLength(1);
    expect(files[0]!.sha256).toBeNull();
    expect(files[0]!.withheld).toBe('melebihi batas ukuran 10 MB'); // (storage.maxAttachmentBytes of the test config, under the Bot API's 20 MB)
    await waitFor(() => sentTo(6660030).some((c) => String(c.payload['text']).includes('banjir.pdf')));
    expect(fake.callsOf('getFile').some((c) => c.payload['file_id'] === 'DOC-huge')).toBe(false);
  });

  it('withholds a file getFile refuses as too big even when the update did not say its size', async () => {
    fake.addFile({ fileId: 'DOC-nosize', size: 21 * 1024 * 1024 });
    fake.push({ message: { message_id: 62, date: 1780000710, chat: make.chat(6660031), from: make.from(6660031), caption: 'Foto kerusakan trotoar', document: { file_id: 'DOC-nosize', file_name: 'trotoar.pdf', mime_type: 'application/pdf' } } });
    await waitFor(() => messageRow('6660031:62') !== undefined);
    const files = h.db.select().from(attachments).where(eq(attachments.messageId, messageRow('6660031:62')!.id)).all();
    expect(files[0]!.withheld).toBe('melebihi batas ukuran 10 MB'); // (storage.maxAttachmentBytes of the test config, under the Bot API's 20 MB)
  });

  it('takes group messages only when addressed to the bot', async () => {
    const group = { id: -100777, type: 'supergroup', title: 'Warga Gondokusuman' };
    fake.push({ message: { message_id: 31, date: 1780000400, chat: group, from: make.from(6660040), text: 'Ada yang tahu jadwal posyandu?' } });
    fake.push({ message: { message_id: 32, date: 1780000410, chat: group, from: make.from(6660040), text: `@${fake.bot.username} saluran air di RT 05 tersumbat`, entities: [{ offset: 0, length: fake.bot.username.length + 1, type: 'mention' }] } });
    await waitFor(() => messageRow('-100777:32') !== undefined);
    expect(messageRow('-100777:31')).toBeUndefined();
    expect(messageRow('-100777:32')!.text).toBe('saluran air di RT 05 tersumbat');
    // The acknowledgement goes to the group, as a reply to the citizen's message.
    await waitFor(() => sentTo(-100777).length === 1);
    expect(sentTo(-100777)[0]!.payload['reply_parameters']).toMatchObject({ message_id: 32 });
  });

  it('keeps the conversation when a group becomes a supergroup', async () => {
    const mention = (chatId: number, messageId: number, text: string) => ({
      message: { message_id: messageId, date: 1780000500, chat: { id: chatId, type: 'group', title: 'RW 07' }, from: make.from(6660045), text: `@${fake.bot.username} ${text}`, entities: [{ offset: 0, length: fake.bot.username.length + 1, type: 'mention' }] },
    });
    // The migration service message arrives first: later replies to the old group go to the supergroup.
    fake.push({ message: { message_id: 40, date: 1780000490, chat: { id: -4001, type: 'group', title: 'RW 07' }, from: make.from(6660045), migrate_to_chat_id: -1004001 } });
    fake.push(mention(-4001, 41, 'Talud sungai Code longsor di RW 07'));
    await waitFor(() => sentTo(-1004001).length === 1);
    expect(sentTo(-4001)).toHaveLength(0);
    // Telegram tells us on send (400 with migrate_to_chat_id): resent to the supergroup.
    fake.failNext('sendMessage', { status: 400, description: 'Bad Request: group chat was upgraded to a supergroup chat', parameters: { migrate_to_chat_id: -1004002 } });
    fake.push(mention(-4002, 42, 'Jalan kampung di RW 08 ambles'));
    await waitFor(() => sentTo(-1004002).length === 1);
    expect(sentTo(-1004002)[0]!.payload['reply_parameters']).toMatchObject({ message_id: 42 });
  });

  it('marks a citizen who blocked the bot (my_chat_member kicked) as do-not-contact', async () => {
    fake.push({ my_chat_member: { chat: make.chat(6660001), from: make.from(6660001), date: 1780000800, old_chat_member: { user: fake.bot, status: 'member' }, new_chat_member: { user: fake.bot, status: 'kicked', until_date: 0 } } });
    await waitFor(() => h.db.select().from(contacts).where(eq(contacts.telegramChatId, '6660001')).get()?.doNotContactUntil != null);
  });

  it('retries the acknowledgement after 429 retry_after', async () => {
    fake.failNext('sendMessage', { status: 429, description: 'Too Many Requests: retry after 1', parameters: { retry_after: 1 } });
    fake.push(make.text('Trotoar di Jl. Solo rusak parah dan membahayakan pejalan kaki.', { chatId: 6660050, messageId: 5 }));
    await waitFor(() => sentTo(6660050).length === 2, 15_000);
    const [first, second] = sentTo(6660050);
    expect(second!.at - first!.at).toBeGreaterThanOrEqual(900);
  });

  it('retries the acknowledgement after a 5xx from the Bot API', async () => {
    fake.failNext('sendMessage', { status: 502, description: 'Bad Gateway' }, 2);
    fake.push(make.text('Rambu lalu lintas roboh di perempatan Jl. Kusumanegara.', { chatId: 6660055, messageId: 4 }));
    await waitFor(() => sentTo(6660055).length === 3, 15_000);
    const row = messageRow('6660055:4')!;
    await waitFor(() => h.db.select().from(outbox).where(eq(outbox.caseId, row.caseId!)).all().some((o) => o.kind === 'channel' && o.status === 'sent'));
  });

  it('stops messaging a user who blocked the bot (403) without retrying forever', async () => {
    fake.failNext('sendMessage', { status: 403, description: 'Forbidden: bot was blocked by the user' });
    fake.push(make.text('Parkir liar di depan SD Negeri Ungaran tiap pagi.', { chatId: 6660060, messageId: 7 }));
    await waitFor(() => h.db.select().from(contacts).where(eq(contacts.telegramChatId, '6660060')).get()?.doNotContactUntil != null, 15_000);
    const row = messageRow('6660060:7')!;
    await waitFor(() => h.db.select().from(outbox).where(eq(outbox.caseId, row.caseId!)).all().some((o) => o.kind === 'channel' && o.status === 'dead'));
    expect(sentTo(6660060)).toHaveLength(1);
    // on the case's record at once (before: only when the delivery clock ran out, hours later for a result)
    await waitFor(() => h.db.select().from(caseEvents).where(and(eq(caseEvents.caseId, row.caseId!), eq(caseEvents.type, 'reply_failed'))).get() !== undefined);
    const event = h.db.select().from(caseEvents).where(and(eq(caseEvents.caseId, row.caseId!), eq(caseEvents.type, 'reply_failed'))).get()!;
    expect(event.text).toMatch(/memblokir bot/);
    expect(event.text).toContain('bot was blocked by the user');
  });

  it('a new bot\'s first messages, numbered from 1 again in the same chats, are not taken for old ones; a redelivery still is, also of a message recorded before digests were kept', async () => {
    const chatId = 6660077;
    const old = fake.push(make.text('Jalan di Jl. Kenari berlubang besar depan sekolah.', { chatId, messageId: 1 }));
    await waitFor(() => messageRow(`${chatId}:1`) !== undefined);
    // recorded as before this version: no digest kept on the row
    const first = messageRow(`${chatId}:1`)!;
    const { contentDigest: _, ...oldMeta } = first.meta as Record<string, unknown>;
    h.db.update(messages).set({ meta: oldMeta }).where(eq(messages.id, first.id)).run();
    // the channel now runs a new bot: the citizen's first message to it is message 1 of the chat again
    fake.push({ message: { ...(old['message'] as object), date: 1780090000, text: 'Lampu PJU di Jl. Kenari mati sejak kemarin malam.' } });
    await waitFor(() => h.db.select().from(messages).where(eq(messages.connectorId, CONNECTOR)).all().some((m) => m.text.startsWith('Lampu PJU di Jl. Kenari')), 10_000);
    const rows = () => h.db.select().from(messages).where(eq(messages.connectorId, CONNECTOR)).all().filter((m) => m.externalId.startsWith(`${chatId}:1`));
    expect(rows().map((m) => m.externalId)).toEqual([`${chatId}:1`, expect.stringMatching(new RegExp(`^${chatId}:1#[0-9a-f]{16}$`))]);
    // the old bot's message delivered again (same time and text): still one message
    fake.push({ message: old['message'] });
    fake.push(make.text('Terima kasih.', { chatId: 6660078, messageId: 1 }));
    await waitFor(() => messageRow('6660078:1') !== undefined);
    expect(rows()).toHaveLength(2);
  });

  it('ignores channel posts, reactions and unknown update kinds and keeps going', async () => {
    fake.push({ channel_post: { message_id: 5, date: 1780000900, chat: { id: -100888, type: 'channel', title: 'Info' }, text: 'Pengumuman' } });
    fake.push({ message_reaction: { chat: make.chat(6660001), message_id: 11, date: 1780000950, old_reaction: [], new_reaction: [{ type: 'emoji', emoji: '👍' }] } });
    fake.push({ brand_new_kind: { x: 1 } });
    const last = fake.push(make.text('Pohon tumbang menutup Jl. Gejayan.', { chatId: 6660070, messageId: 3 }));
    await waitFor(() => messageRow('6660070:3') !== undefined);
    await waitFor(() => (getState<number>(h.db, CONNECTOR, 'offset') ?? 0) > (last['update_id'] as number));
  });

  it('runs one poller per bot: a second copy waits on the lock and takes over when the first stops', async () => {
    const { instance: second } = await h.startConnector(CONNECTOR);
    await waitFor(async () => (await second.health()).detail === 'standby: another process polls this bot');
    await first.stop();
    await first.stop();
    await waitFor(async () => (await second.health()).detail?.startsWith('polling') === true, 20_000);
    fake.push(make.text('Lampu taman di Alun-alun Kidul mati semua.', { chatId: 6660080, messageId: 2 }));
    await waitFor(() => messageRow('6660080:2') !== undefined);
  });
});
