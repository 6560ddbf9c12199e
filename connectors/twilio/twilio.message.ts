import { LIMITS } from '../../core/limits.ts';
import { normalizeText, type AttachmentRef, type InboundMessageInput } from '../../core/message.ts';
import { senderToE164, type RepeatGuard } from '../sms/sms.common.ts';
import { one, type TwilioParams } from './twilio.params.ts';

/** A plain phone number (a `To` of ours that can send SMS; not a short code, not whatsapp:). */
const E164 = /^\+[1-9]\d{5,15}$/;

export type TwilioBuild = { ok: true; message: InboundMessageInput } | { ok: false; code: string; reason: string };

/** Twilio inbound params (+ downloaded media) → InboundMessage, or why it cannot be taken. */
export function buildTwilioMessage(
  params: TwilioParams,
  opts: { connectorId: string; region: string; receivedAt: string; attachments: AttachmentRef[]; guard: RepeatGuard; extraMeta?: Record<string, unknown> },
): TwilioBuild {
  const sid = one(params, 'MessageSid') ?? one(params, 'SmsMessageSid') ?? one(params, 'SmsSid');
  if (sid === undefined || !/^[A-Z]{2}[0-9a-fA-F]{32}$/.test(sid)) return { ok: false, code: 'SMS.BAD_PAYLOAD', reason: 'no valid MessageSid' };
  const from = one(params, 'From') ?? '';
  const whatsapp = /^whatsapp:/i.test(from);
  const phone = senderToE164(from, opts.region);
  if (phone === null) return { ok: false, code: 'SMS.SENDER_NOT_PHONE', reason: `From "${from.slice(0, 40)}" is not a phone number` };
  const body = one(params, 'Body') ?? '';
  if (body.length > LIMITS.textMaxChars) return { ok: false, code: 'SMS.TOO_LONG', reason: `Body of ${body.length} chars exceeds ${LIMITS.textMaxChars}` };
  let text = normalizeText(body);
  const lat = one(params, 'Latitude');
  const lon = one(params, 'Longitude');
  if (lat !== undefined && lon !== undefined) {
    const place = [one(params, 'Label'), one(params, 'Address')].filter((s) => s !== undefined && s !== '').join(', ');
    text = normalizeText(`${text}\nLokasi: ${lat},${lon}${place !== '' ? ` (${place})` : ''}`);
  }
  if (text === '' && opts.attachments.length === 0) return { ok: false, code: 'SMS.EMPTY', reason: `message ${sid} has neither text nor media` };
  // a repeat must carry the same media too: a second photo with the same caption is a new message;
  // media we could not hash (download failed, withheld) makes the message never count as a repeat
  const hasMedia = opts.attachments.length > 0 || Number(one(params, 'NumMedia') ?? '0') > 0;
  const media = hasMedia ? opts.attachments.map((a) => a.sha256 ?? `unhashed:${sid}`).join(',') || `unhashed:${sid}` : '';
  const { externalId, repeatOf } = text === '' ? { externalId: sid, repeatOf: undefined } : opts.guard.resolve(phone, text, sid, { receivedAt: opts.receivedAt, extra: media });
  const profile = one(params, 'ProfileName');
  // the number of ours the citizen wrote to (the request is signed with our token: a number of the account
  // whose webhook points here): an SMS reply goes from it, not from a number they never wrote to
  const to = one(params, 'To') ?? '';
  const receivedOn = !whatsapp && E164.test(to) ? to : undefined;
  return {
    ok: true,
    message: {
      connectorId: opts.connectorId,
      channel: whatsapp ? 'whatsapp' : 'sms',
      externalId,
      receivedAt: opts.receivedAt,
      sender: { phone, ...(whatsapp && profile !== undefined && profile !== '' ? { name: profile.slice(0, LIMITS.nameMaxChars) } : {}) },
      text,
      attachments: opts.attachments,
      meta: {
        provider: 'twilio', messageSid: sid,
        ...(whatsapp ? { twilioChannel: 'whatsapp' } : {}),
        ...(receivedOn !== undefined ? { twilioTo: receivedOn } : {}),
        ...(one(params, 'NumSegments') !== undefined ? { segments: Number(one(params, 'NumSegments')) } : {}),
        ...(repeatOf !== undefined ? { repeatOf, repeatExternalId: sid } : {}),
        ...(opts.extraMeta ?? {}),
      },
    },
  };
}
