import type { ConnectorContext } from '../../core/connector.ts';
import { LIMITS } from '../../core/limits.ts';
import { normalizeText, type InboundMessageInput } from '../../core/message.ts';
import { senderToE164, type RepeatGuard } from './sms.common.ts';

export interface BuiltMessage {
  ok: true;
  message: InboundMessageInput;
}
export interface Rejected {
  ok: false;
  code: string;
  reason: string;
}

/** Turn an assembled SMS into the InboundMessage contract, or say why it cannot be taken. */
export function buildSmsMessage(
  ctx: Pick<ConnectorContext, 'config'>,
  connectorId: string,
  guard: RepeatGuard,
  sms: { externalId: string; sender: string; rawText: string; receivedAt: string; meta: Record<string, unknown> },
): BuiltMessage | Rejected {
  const phone = senderToE164(sms.sender, ctx.config.instance.phoneRegion);
  if (phone === null) return { ok: false, code: 'SMS.SENDER_NOT_PHONE', reason: `sender "${sms.sender.slice(0, 40)}" is not a phone number (operator or service message)` };
  if (sms.rawText.length > LIMITS.textMaxChars) return { ok: false, code: 'SMS.TOO_LONG', reason: `text of ${sms.rawText.length} chars exceeds ${LIMITS.textMaxChars}` };
  const text = normalizeText(sms.rawText);
  if (text === '') return { ok: false, code: 'SMS.EMPTY', reason: 'empty SMS text' };
  const { externalId, repeatOf } = guard.resolve(phone, text, sms.externalId, { receivedAt: sms.receivedAt });
  return {
    ok: true,
    message: {
      connectorId,
      channel: 'sms',
      externalId,
      receivedAt: sms.receivedAt,
      sender: { phone },
      text,
      meta: { ...sms.meta, ...(repeatOf !== undefined ? { repeatOf, repeatExternalId: sms.externalId } : {}) },
    },
  };
}
