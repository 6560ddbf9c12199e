import { z } from 'zod';

/** capcom6 webhook envelope (`WebHookEventDTO`); unknown fields are tolerated, Gson omits nulls. */
export const capcomEnvelopeSchema = z.looseObject({
  id: z.string().min(1).max(200),
  event: z.string().min(1).max(100),
  webhookId: z.string().max(200).optional(),
  deviceId: z.string().max(200).optional(),
  payload: z.unknown(),
});

/** `sms:received` payload. `messageId` is a 32-bit hash in the app: informative only, never a key. */
export const capcomSmsReceivedSchema = z.looseObject({
  message: z.string(),
  sender: z.string().min(1).max(64).optional(),
  phoneNumber: z.string().min(1).max(64).optional(),
  receivedAt: z.string().max(64).optional(),
  messageId: z.string().max(200).optional(),
  recipient: z.string().max(64).optional(),
  simNumber: z.number().int().optional(),
});

export type CapcomEnvelope = z.infer<typeof capcomEnvelopeSchema>;
export type CapcomSmsReceived = z.infer<typeof capcomSmsReceivedSchema>;

/** Parse raw JSON bytes into an envelope, or say why not. */
export function parseCapcomEnvelope(raw: Buffer): { ok: true; envelope: CapcomEnvelope } | { ok: false; reason: string } {
  let json: unknown;
  try {
    json = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(raw));
  } catch (err) {
    return { ok: false, reason: `body is not UTF-8 JSON: ${(err as Error).message.slice(0, 100)}` };
  }
  const r = capcomEnvelopeSchema.safeParse(json);
  if (!r.success) return { ok: false, reason: `not a capcom6 webhook envelope: ${r.error.issues.slice(0, 3).map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}` };
  return { ok: true, envelope: r.data };
}

/** The device's local-time `receivedAt` → ISO; null when absent or unparseable. */
export function capcomReceivedAt(value: string | undefined): string | null {
  if (value === undefined) return null;
  const t = Date.parse(value);
  return Number.isNaN(t) ? null : new Date(t).toISOString();
}

/** `sms:failed` payload: the phone accepted a reply, then could not send it (no signal, no credit …). */
export const capcomSmsFailedSchema = z.looseObject({
  messageId: z.string().min(1).max(200),
  phoneNumber: z.string().max(64).optional(),
  reason: z.string().max(500).optional(),
});
