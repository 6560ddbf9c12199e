import { extensionOfType, withheldSize } from '../../core/file-types.ts';
import { chatContentDigest, normalizeText, type InboundMessageInput } from '../../core/message.ts';
import { toE164 } from '../../core/phone.ts';
import { TELEGRAM_DOWNLOAD_MAX_BYTES } from './telegram.config.ts';

/**
 * Pure Update → intake input. No I/O: files are described (`files`) and fetched by the connector;
 * the result says what to do with the update. Parsing is tolerant (real updates omit fields the
 * docs call required, old ones lack file_unique_id), so every field is checked before use.
 */

export interface BotIdentity {
  id: number;
  /** Without the @. */
  username: string;
}

export interface NormalizeOptions {
  connectorId: string;
  bot: BotIdentity;
  /** Region for phone numbers of shared contacts (instance.phoneRegion). */
  phoneRegion: string;
  /** Largest file fetched (default: the 20 MB getFile limit). */
  maxFileBytes?: number;
}

/** A file of the message, fetched later with getFile; `withheld` when it cannot be. */
export interface TelegramFileRef {
  fileId: string;
  fileUniqueId?: string;
  filename: string;
  contentType: string;
  size?: number;
  withheld?: string;
}

export type TelegramCommand = 'start' | 'bantuan' | 'status';

export type Normalized =
  | {
      kind: 'message';
      updateId: number;
      chatId: string;
      messageId: number;
      input: InboundMessageInput;
      files: TelegramFileRef[];
      /** Album: parts sharing it are merged into one message. */
      mediaGroupId?: string;
      /** False for a group message that neither mentions nor replies to the bot (kept only inside an addressed album). */
      addressed: boolean;
    }
  | { kind: 'command'; updateId: number; command: TelegramCommand; args: string; chatId: string; chatType: string; messageId: number; fromId: string }
  | { kind: 'blocked'; updateId: number; chatId: string }
  /** The citizen unblocked (restarted) the bot in their private chat. */
  | { kind: 'unblocked'; updateId: number; chatId: string }
  | { kind: 'migrated'; updateId: number; fromChatId: string; toChatId: string }
  | { kind: 'ignored'; updateId: number; reason: string };

type Obj = Record<string, unknown>;

const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);
const num = (v: unknown): number | undefined => (typeof v === 'number' && Number.isFinite(v) ? v : undefined);
const idOf = (v: unknown): string | undefined => (typeof v === 'number' && Number.isFinite(v) ? String(v) : typeof v === 'string' && v !== '' ? v : undefined);

/** Telegram's "GroupAnonymousBot": anonymous admins post with this sender id. */
const ANONYMOUS_ADMIN_ID = 1087968824;
const CASE_NUMBER = /\b[A-Z]{2,8}-\d{4}-\d{6}\b/;

export function normalizeUpdate(update: unknown, opts: NormalizeOptions): Normalized {
  if (!isObj(update)) return { kind: 'ignored', updateId: -1, reason: 'not an object' };
  const updateId = num(update['update_id']) ?? -1;
  if (isObj(update['message'])) return fromMessage(updateId, update['message'], false, opts);
  if (isObj(update['edited_message'])) return fromMessage(updateId, update['edited_message'], true, opts);
  if (isObj(update['my_chat_member'])) return fromMyChatMember(updateId, update['my_chat_member']);
  for (const k of ['channel_post', 'edited_channel_post', 'message_reaction', 'message_reaction_count', 'callback_query', 'inline_query', 'chat_member', 'poll', 'poll_answer']) {
    if (k in update) return { kind: 'ignored', updateId, reason: k };
  }
  const kinds = Object.keys(update).filter((k) => k !== 'update_id');
  return { kind: 'ignored', updateId, reason: `unknown update kind ${kinds.join(',').slice(0, 80) || '(none)'}` };
}

function fromMyChatMember(updateId: number, m: Obj): Normalized {
  const chat = isObj(m['chat']) ? m['chat'] : {};
  const chatId = idOf(chat['id']);
  const status = isObj(m['new_chat_member']) ? str(m['new_chat_member']['status']) : undefined;
  if (chatId !== undefined && chat['type'] === 'private' && status === 'kicked') return { kind: 'blocked', updateId, chatId };
  if (chatId !== undefined && chat['type'] === 'private' && status === 'member') return { kind: 'unblocked', updateId, chatId };
  return { kind: 'ignored', updateId, reason: `my_chat_member ${status ?? '?'}` };
}

function fromMessage(updateId: number, m: Obj, edited: boolean, opts: NormalizeOptions): Normalized {
  const chat = isObj(m['chat']) ? m['chat'] : undefined;
  const chatId = chat ? idOf(chat['id']) : undefined;
  const messageId = num(m['message_id']);
  if (!chat || chatId === undefined || messageId === undefined) return { kind: 'ignored', updateId, reason: 'message without chat or message_id' };
  const chatType = str(chat['type']) ?? 'private';
  if (chatType === 'channel') return { kind: 'ignored', updateId, reason: 'channel message' };

  const migrateTo = idOf(m['migrate_to_chat_id']);
  if (migrateTo !== undefined) return { kind: 'migrated', updateId, fromChatId: chatId, toChatId: migrateTo };
  const migrateFrom = idOf(m['migrate_from_chat_id']);
  if (migrateFrom !== undefined) return { kind: 'migrated', updateId, fromChatId: migrateFrom, toChatId: chatId };

  const from = isObj(m['from']) ? m['from'] : undefined;
  if (from?.['is_bot'] === true && num(from['id']) !== ANONYMOUS_ADMIN_ID) return { kind: 'ignored', updateId, reason: 'message from a bot' };
  const isGroup = chatType === 'group' || chatType === 'supergroup';
  // Private chat: the chat is the person. Group: the person is `from`, unless an anonymous admin or a linked channel speaks.
  const fromId = from && num(from['id']) !== ANONYMOUS_ADMIN_ID && !isObj(m['sender_chat']) ? idOf(from['id']) : undefined;
  const personId = isGroup ? (fromId ?? chatId) : chatId;

  const rawText = str(m['text']) ?? str(m['caption']) ?? '';
  const entities = (Array.isArray(m['entities']) ? m['entities'] : Array.isArray(m['caption_entities']) ? m['caption_entities'] : []).filter(isObj);
  const addressed = !isGroup || mentionsBot(rawText, entities, opts.bot) || repliesToBot(m, opts.bot);

  const command = parseCommand(rawText, entities, opts.bot, isGroup);
  if (command) {
    if (edited) return { kind: 'ignored', updateId, reason: 'edited command' };
    if (command.command === undefined) {
      // Another bot's command in a group, or an unknown one: nothing for us (private: answered with help).
      return isGroup ? { kind: 'ignored', updateId, reason: 'command for another bot' } : { kind: 'command', updateId, command: 'bantuan', args: '', chatId, chatType, messageId, fromId: personId };
    }
    return { kind: 'command', updateId, command: command.command, args: command.args, chatId, chatType, messageId, fromId: personId };
  }

  const mediaGroupId = str(m['media_group_id']);
  if (!addressed && mediaGroupId === undefined) return { kind: 'ignored', updateId, reason: 'group message not addressed to the bot' };

  const lines: string[] = [];
  const body = isGroup ? stripMention(rawText, opts.bot) : rawText;
  if (body.trim() !== '') lines.push(body);
  const meta: Record<string, unknown> = { chatId, messageId, chatType, updateId };
  if (fromId !== undefined && fromId !== chatId) meta['fromId'] = fromId;
  if (from && str(from['username'])) meta['username'] = str(from['username']);
  const threadId = num(m['message_thread_id']);
  if (threadId !== undefined) meta['threadId'] = threadId;
  if (mediaGroupId !== undefined) meta['mediaGroupId'] = mediaGroupId;

  const sender: InboundMessageInput['sender'] = { telegramChatId: personId };
  const name = personName(from) ?? (chat['type'] === 'private' ? personName(chat) : undefined);
  if (name) sender.name = name.slice(0, 200);

  const location = isObj(m['location']) ? m['location'] : isObj(m['venue']) && isObj(m['venue']['location']) ? m['venue']['location'] : undefined;
  const lat = location ? num(location['latitude']) : undefined;
  const lon = location ? num(location['longitude']) : undefined;
  if (isObj(m['venue'])) {
    const title = str(m['venue']['title']) ?? '';
    const address = str(m['venue']['address']) ?? '';
    meta['venue'] = { title: title.slice(0, 200), address: address.slice(0, 300) };
    lines.push(`Tempat: ${[title, address].filter((s) => s !== '').join(', ')}`);
  }
  if (lat !== undefined && lon !== undefined) {
    meta['location'] = { latitude: lat, longitude: lon };
    lines.push(`Lokasi: ${lat}, ${lon} (https://www.openstreetmap.org/?mlat=${lat}&mlon=${lon}#map=18/${lat}/${lon})`);
  }

  if (isObj(m['contact'])) {
    const c = m['contact'];
    const phone = toE164(str(c['phone_number']) ?? '', opts.phoneRegion);
    const own = fromId !== undefined && idOf(c['user_id']) === fromId;
    const cname = [str(c['first_name']), str(c['last_name'])].filter(Boolean).join(' ');
    if (own && phone) {
      sender.phone = phone;
      // (a detail of the citizen's open report, as a location is: intake adds it there)
      meta['ownContact'] = true;
      lines.push(`Pelapor membagikan nomor teleponnya: ${phone}`);
    } else {
      meta['sharedContact'] = { name: cname.slice(0, 200), phone: phone ?? str(c['phone_number'])?.slice(0, 32) ?? null };
      lines.push(`Kontak dibagikan: ${[cname, phone ?? str(c['phone_number'])].filter(Boolean).join(', ')}`);
    }
  }

  const files = filesOf(m, messageId, opts.maxFileBytes ?? TELEGRAM_DOWNLOAD_MAX_BYTES);
  if (lines.length === 0 && files.length === 0) {
    return { kind: 'ignored', updateId, reason: contentKind(m) };
  }

  const date = num(m['date']) ?? 0;
  let externalId = `${chatId}:${messageId}`;
  let receivedAt = isoOf(date);
  if (edited) {
    const editDate = num(m['edit_date']) ?? date;
    meta['editOf'] = externalId;
    externalId = `${externalId}:edit:${editDate}`;
    receivedAt = isoOf(editDate);
  }
  const replied = isObj(m['reply_to_message']) ? m['reply_to_message'] : undefined;
  const replyTo = replied ? num(replied['message_id']) : undefined;
  // Replying to the bot's acknowledgement names the case it carries.
  const caseNumber = replied && repliesToBot(m, opts.bot) ? CASE_NUMBER.exec(str(replied['text']) ?? '')?.[0] : undefined;
  const thread = {
    ...(replyTo !== undefined ? { replyToMessageId: `${chatId}:${replyTo}` } : {}),
    ...(caseNumber !== undefined ? { caseNumber } : {}),
  };
  const text = normalizeText(lines.join('\n'));
  // (a new bot's chats number their messages from 1 again: its first messages carry old ones' ids)
  meta['contentDigest'] = chatContentDigest(receivedAt, text);
  const input: InboundMessageInput = {
    connectorId: opts.connectorId,
    channel: 'telegram',
    externalId,
    receivedAt,
    sender,
    text,
    attachments: [],
    meta,
    ...(Object.keys(thread).length > 0 ? { thread } : {}),
  };
  return { kind: 'message', updateId, chatId, messageId, input, files, addressed, ...(mediaGroupId !== undefined ? { mediaGroupId } : {}) };
}

function isoOf(unixSeconds: number): string {
  const d = new Date(unixSeconds * 1000);
  return Number.isNaN(d.getTime()) ? new Date(0).toISOString() : d.toISOString();
}

function personName(o: Obj | undefined): string | undefined {
  if (!o) return undefined;
  const n = [str(o['first_name']), str(o['last_name'])].filter((s): s is string => s !== undefined && s !== '').join(' ');
  return n !== '' ? n : str(o['username']);
}

function contentKind(m: Obj): string {
  for (const k of ['sticker', 'dice', 'poll', 'game', 'animation', 'new_chat_members', 'left_chat_member', 'pinned_message', 'new_chat_title', 'new_chat_photo', 'giveaway', 'giveaway_created', 'forum_topic_created', 'video_chat_started']) {
    if (k in m) return `no content (${k})`;
  }
  return 'no content';
}

function entityText(text: string, e: Obj): string {
  const offset = num(e['offset']) ?? 0;
  const length = num(e['length']) ?? 0;
  // Entity offsets count UTF-16 code units, which is exactly what String#slice uses.
  return text.slice(offset, offset + length);
}

function mentionsBot(text: string, entities: Obj[], bot: BotIdentity): boolean {
  const handle = `@${bot.username}`.toLowerCase();
  for (const e of entities) {
    if (e['type'] === 'mention' && entityText(text, e).toLowerCase() === handle) return true;
    if (e['type'] === 'text_mention' && isObj(e['user']) && num(e['user']['id']) === bot.id) return true;
  }
  // Tolerant of hand-written updates without entities.
  return entities.length === 0 && new RegExp(`(^|\\s)${escapeRe(handle)}\\b`, 'i').test(text);
}

function repliesToBot(m: Obj, bot: BotIdentity): boolean {
  const r = m['reply_to_message'];
  return isObj(r) && isObj(r['from']) && num(r['from']['id']) === bot.id;
}

function stripMention(text: string, bot: BotIdentity): string {
  return text.replace(new RegExp(`(^|\\s)@${escapeRe(bot.username)}\\b[:,]?`, 'gi'), '$1').trim();
}

function escapeRe(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

const COMMANDS: Record<string, TelegramCommand> = { start: 'start', bantuan: 'bantuan', help: 'bantuan', status: 'status', cek: 'status' };

/** `/status@bot ADU-…` → {command, args}; command undefined for an unknown or foreign command; null when not a command. */
export function parseCommand(text: string, entities: Obj[], bot: BotIdentity, isGroup: boolean): { command: TelegramCommand | undefined; args: string } | null {
  const match = /^\/([A-Za-z0-9_]{1,32})(?:@([A-Za-z0-9_]{1,64}))?(?:\s+([\s\S]*))?$/.exec(text.trim());
  if (!match) return null;
  const first = entities[0];
  if (entities.length > 0 && !(first && first['type'] === 'bot_command' && (num(first['offset']) ?? 0) === 0)) return null;
  const target = match[2];
  if (target !== undefined && target.toLowerCase() !== bot.username.toLowerCase()) return { command: undefined, args: '' };
  if (isGroup && target === undefined && COMMANDS[match[1]!.toLowerCase()] === undefined) return { command: undefined, args: '' };
  return { command: COMMANDS[match[1]!.toLowerCase()], args: (match[3] ?? '').trim() };
}

/** Photo (largest size that can be fetched), document, voice, audio, video, video note. */
function filesOf(m: Obj, messageId: number, maxBytes: number): TelegramFileRef[] {
  const out: TelegramFileRef[] = [];
  if (Array.isArray(m['photo']) && m['photo'].length > 0) {
    const sizes = m['photo'].filter(isObj).filter((p) => str(p['file_id']) !== undefined);
    const fitting = sizes.filter((p) => (num(p['file_size']) ?? 0) <= maxBytes);
    const best = fitting[fitting.length - 1] ?? sizes[sizes.length - 1];
    if (best) out.push(ref(best, `foto-${messageId}.jpg`, 'image/jpeg', maxBytes));
  }
  const kinds: Array<[string, string, string]> = [
    ['document', 'application/octet-stream', 'dokumen'],
    ['voice', 'audio/ogg', 'suara'],
    ['audio', 'audio/mpeg', 'audio'],
    ['video', 'video/mp4', 'video'],
    ['video_note', 'video/mp4', 'video'],
  ];
  for (const [key, defaultType, label] of kinds) {
    const f = m[key];
    if (!isObj(f) || str(f['file_id']) === undefined) continue;
    const type = str(f['mime_type']) ?? defaultType;
    out.push(ref(f, str(f['file_name']) ?? `${label}-${messageId}.${extensionOf(type)}`, type, maxBytes));
  }
  return out;
}

function ref(f: Obj, filename: string, contentType: string, maxBytes: number): TelegramFileRef {
  const size = num(f['file_size']);
  const r: TelegramFileRef = { fileId: str(f['file_id'])!, filename: filename.slice(0, 255), contentType: contentType.slice(0, 255) };
  const unique = str(f['file_unique_id']);
  if (unique) r.fileUniqueId = unique;
  if (size !== undefined) r.size = size;
  // (the reason every channel gives: core/file-types.ts)
  if (size !== undefined && size > maxBytes) r.withheld = withheldSize(maxBytes);
  return r;
}

/** Extension of a nameless file's made-up name, by its type as the sender's app wrote it (`IMAGE/JPEG`, `audio/mpeg; x=1`). */
function extensionOf(type: string): string {
  return extensionOfType(type) || 'bin';
}

/** Merge album parts (same media_group_id) into one message: first part's id, all captions, all files. */
export function mergeAlbum(parts: Array<Extract<Normalized, { kind: 'message' }>>): Extract<Normalized, { kind: 'message' }> {
  const sorted = [...parts].sort((a, b) => a.messageId - b.messageId);
  const first = sorted[0];
  if (!first) throw new Error('mergeAlbum needs at least one part');
  if (sorted.length === 1) return first;
  const texts = sorted.map((p) => p.input.text).filter((t) => t !== '');
  const meta: Record<string, unknown> = { ...first.input.meta, messageIds: sorted.map((p) => p.messageId), updateIds: sorted.map((p) => p.updateId) };
  for (const p of sorted) {
    for (const k of ['location', 'venue'] as const) if (p.input.meta?.[k] !== undefined && meta[k] === undefined) meta[k] = p.input.meta[k];
  }
  const text = normalizeText(texts.join('\n'));
  meta['contentDigest'] = chatContentDigest(first.input.receivedAt, text);
  return {
    ...first,
    addressed: sorted.some((p) => p.addressed),
    files: sorted.flatMap((p) => p.files),
    input: { ...first.input, text, meta },
  };
}
