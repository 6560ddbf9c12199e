import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { mergeAlbum, normalizeUpdate, type Normalized } from '../../connectors/telegram/telegram.normalize.ts';
import { chatContentDigest, inboundMessageSchema } from '../../core/message.ts';
import { secretMatches } from '../../connectors/telegram/telegram.webhook.ts';
import { telegramConfigSchema } from '../../connectors/telegram/telegram.config.ts';

const dir = path.join(path.dirname(fileURLToPath(import.meta.url)), 'fixtures');
const fixture = (name: string): unknown => JSON.parse(readFileSync(path.join(dir, `${name}.json`), 'utf8'));
const opts = { connectorId: 'telegram-test', bot: { id: 7000000001, username: 'aduan_test_bot' }, phoneRegion: 'ID' };
const norm = (name: string): Normalized => normalizeUpdate(fixture(name), opts);

function message(n: Normalized): Extract<Normalized, { kind: 'message' }> {
  if (n.kind !== 'message') throw new Error(`expected a message, got ${n.kind} ${'reason' in n ? n.reason : ''}`);
  return n;
}

describe('telegram normaliser', () => {
  it('maps a private text to the contract with chatId:messageId and reply meta', () => {
    const m = message(norm('private_text'));
    expect(m.input.externalId).toBe('6660001:11');
    expect(m.input.channel).toBe('telegram');
    expect(m.input.sender).toEqual({ telegramChatId: '6660001', name: 'Budi Santoso' });
    expect(m.input.text).toBe('Lampu jalan di Jl. Malioboro depan toko 12 mati sejak Senin.');
    expect(m.input.meta).toMatchObject({ chatId: '6660001', messageId: 11, chatType: 'private', updateId: 501 });
    expect(m.input.receivedAt).toBe(new Date(1780000000 * 1000).toISOString());
    expect(inboundMessageSchema.safeParse(m.input).success).toBe(true);
  });

  it('takes the caption and the largest photo size', () => {
    const m = message(norm('private_photo_caption'));
    expect(m.input.text).toBe('Jalan berlubang di Kotagede');
    expect(m.files).toEqual([{ fileId: 'PHOTO-big', fileUniqueId: 'u-big', filename: 'foto-12.jpg', contentType: 'image/jpeg', size: 85000 }]);
  });

  it('records an edit as an edit of the original, with its own externalId', () => {
    const m = message(norm('edited_text'));
    expect(m.input.externalId).toBe('6660001:11:edit:1780000300');
    expect(m.input.meta?.['editOf']).toBe('6660001:11');
    expect(m.input.receivedAt).toBe(new Date(1780000300 * 1000).toISOString());
  });

  it('merges album parts into one message with every photo and the caption', () => {
    const merged = mergeAlbum([message(norm('album_part2')), message(norm('album_part1'))]);
    expect(merged.input.externalId).toBe('6660001:21');
    expect(merged.input.text).toBe('Sampah menumpuk di Pasar Beringharjo');
    expect(merged.files.map((f) => f.fileId)).toEqual(['ALB-1-a', 'ALB-1-b']);
    expect(merged.input.meta).toMatchObject({ mediaGroupId: 'ALB-1', messageIds: [21, 22], updateIds: [510, 511] });
  });

  it("an album's content digest is that of the time and merged text it is recorded with (what a stored row is checked by)", () => {
    const part2 = fixture('album_part2') as { message: Record<string, unknown> };
    const captioned = message(normalizeUpdate({ ...part2, message: { ...part2.message, caption: 'Dekat pintu timur.' } }, opts));
    const merged = mergeAlbum([captioned, message(norm('album_part1'))]);
    expect(merged.input.text).toBe('Sampah menumpuk di Pasar Beringharjo\nDekat pintu timur.');
    expect(merged.input.meta?.['contentDigest']).toBe(chatContentDigest(merged.input.receivedAt, merged.input.text));
  });

  it('takes group messages only when they mention or reply to the bot', () => {
    expect(norm('group_not_addressed')).toMatchObject({ kind: 'ignored' });
    const mention = message(norm('group_mention'));
    expect(mention.input.text).toBe('saluran air di RT 05 tersumbat');
    // In a group the person is `from`, the reply goes to the group chat (meta.chatId).
    expect(mention.input.sender.telegramChatId).toBe('6660002');
    expect(mention.input.meta?.['chatId']).toBe('-100777');
    const reply = message(norm('group_reply_to_bot'));
    expect(reply.addressed).toBe(true);
    expect(reply.input.thread?.replyToMessageId).toBe('-100777:30');
  });

  it('makes the phone of a contact the user shares about themselves the sender phone (E.164)', () => {
    const m = message(norm('contact_own'));
    expect(m.input.sender.phone).toBe('+6281234567890');
    expect(m.input.text).toContain('+6281234567890');
    expect(m.input.meta?.['ownContact']).toBe(true);
  });

  it('keeps location and venue as coordinates in meta and in the text', () => {
    const m = message(norm('venue'));
    expect(m.input.meta?.['location']).toEqual({ latitude: -7.7928, longitude: 110.3657 });
    expect(m.input.meta?.['venue']).toEqual({ title: 'Tugu Yogyakarta', address: 'Jl. Jend. Sudirman, Gowongan' });
    expect(m.input.text).toContain('Tugu Yogyakarta, Jl. Jend. Sudirman, Gowongan');
    expect(m.input.text).toContain('-7.7928, 110.3657');
  });

  it('marks a file over 20 MB as withheld without fetching it', () => {
    const m = message(norm('document_too_big'));
    // (the reason every channel gives, as the e-mail channel's: core/file-types.ts withheldSize)
    expect(m.files[0]?.withheld).toBe('melebihi batas ukuran 20 MB');
    expect(m.input.text).toBe('Dokumentasi banjir');
  });

  it('names a nameless file by its type also when the app wrote it in capitals or with parameters', () => {
    const update = (file: Record<string, unknown>): unknown => ({ update_id: 9, message: { message_id: 44, date: 0, chat: { id: 5, type: 'private' }, from: { id: 5 }, ...file } });
    expect(message(normalizeUpdate(update({ document: { file_id: 'D1', mime_type: 'IMAGE/JPEG' } }), opts)).files[0]?.filename).toBe('dokumen-44.jpg');
    expect(message(normalizeUpdate(update({ audio: { file_id: 'A1', mime_type: 'audio/mpeg; x=1' } }), opts)).files[0]?.filename).toBe('audio-44.mp3');
    expect(message(normalizeUpdate(update({ voice: { file_id: 'V1', mime_type: 'Audio/OGG; codecs=opus' } }), opts)).files[0]?.filename).toBe('suara-44.ogg');
    // (by the table typeOfFileName reads, core/file-types.ts: a video is no .mp3, a phone's .mov no .bin)
    const named = (type: string) => message(normalizeUpdate(update({ document: { file_id: 'D2', mime_type: type } }), opts)).files[0]?.filename;
    expect(named('video/mpeg')).toBe('dokumen-44.mpg');
    expect(named('video/quicktime')).toBe('dokumen-44.mov');
    expect(named('application/vnd.openxmlformats-officedocument.wordprocessingml.document')).toBe('dokumen-44.docx');
    expect(named('application/x-unknown-thing')).toBe('dokumen-44.bin');
  });

  it('turns my_chat_member kicked into blocked, and ignores channel posts, reactions and unknown kinds', () => {
    expect(norm('my_chat_member_kicked')).toEqual({ kind: 'blocked', updateId: 570, chatId: '6660001' });
    expect(norm('channel_post')).toMatchObject({ kind: 'ignored', reason: 'channel_post' });
    expect(norm('reaction')).toMatchObject({ kind: 'ignored', reason: 'message_reaction' });
    expect(norm('unknown_kind')).toMatchObject({ kind: 'ignored', reason: expect.stringContaining('business_connection') });
    expect(normalizeUpdate(null, opts)).toMatchObject({ kind: 'ignored' });
    expect(normalizeUpdate({ update_id: 1, message: { text: 'no chat' } }, opts)).toMatchObject({ kind: 'ignored' });
  });

  it('parses commands, also addressed to the bot in a group, and group migration', () => {
    expect(norm('status_command_group')).toMatchObject({ kind: 'command', command: 'status', args: 'ADU-2026-000001', chatId: '-100777', fromId: '6660002' });
    expect(normalizeUpdate({ update_id: 9, message: { message_id: 1, date: 0, chat: { id: 5, type: 'private' }, from: { id: 5 }, text: '/start' } }, opts)).toMatchObject({ kind: 'command', command: 'start' });
    expect(normalizeUpdate({ update_id: 9, message: { message_id: 1, date: 0, chat: { id: 5, type: 'private' }, from: { id: 5 }, text: '/bantuan' } }, opts)).toMatchObject({ kind: 'command', command: 'bantuan' });
    expect(normalizeUpdate({ update_id: 9, message: { message_id: 1, date: 0, chat: { id: -5, type: 'group' }, from: { id: 5 }, text: '/start@other_bot' } }, opts)).toMatchObject({ kind: 'ignored' });
    expect(norm('migrate_to')).toEqual({ kind: 'migrated', updateId: 595, fromChatId: '-4001', toChatId: '-1004001' });
  });

  it('survives hostile input: huge text is capped, meta stays within the contract', () => {
    const big = { update_id: 1, message: { message_id: 1, date: 0, chat: { id: 1, type: 'private' }, from: { id: 1, first_name: 'x'.repeat(5000) }, text: 'a'.repeat(200_000) } };
    const m = message(normalizeUpdate(big, opts));
    expect(inboundMessageSchema.safeParse(m.input).success).toBe(true);
  });
});

describe('telegram webhook secret and config', () => {
  it('compares the secret header in constant time and rejects missing or wrong ones', () => {
    expect(secretMatches('s3cret_Token-1', 's3cret_Token-1')).toBe(true);
    expect(secretMatches('s3cret_Token-1', 's3cret_Token-2')).toBe(false);
    expect(secretMatches('s3cret_Token-1', 's3cret_Token-1x')).toBe(false);
    expect(secretMatches('s3cret_Token-1', undefined)).toBe(false);
  });

  it('defaults to polling and requires secret and public URL in webhook mode', () => {
    const base = { id: 'tg', type: 'telegram', token: '123456:ABCDEFGHIJKLMNOP' };
    expect(telegramConfigSchema.parse(base)).toMatchObject({ mode: 'polling', polling: { timeoutSeconds: 25, limit: 100 }, albumWaitMs: 1500 });
    expect(telegramConfigSchema.safeParse({ ...base, mode: 'webhook' }).success).toBe(false);
    expect(telegramConfigSchema.safeParse({ ...base, mode: 'webhook', webhook: { publicUrl: 'https://x.test/tg', secretToken: 'bad token!' } }).success).toBe(false);
    expect(telegramConfigSchema.safeParse({ ...base, mode: 'webhook', webhook: { publicUrl: 'https://x.test/tg', secretToken: 'good_token-1' } }).success).toBe(true);
    expect(telegramConfigSchema.safeParse({ ...base, secret_token: 'misspelt' }).success).toBe(false);
    expect(telegramConfigSchema.safeParse({ ...base, token: 'not-a-token' }).success).toBe(false);
  });
});
