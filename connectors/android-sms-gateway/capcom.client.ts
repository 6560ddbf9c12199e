import { UnrecoverableError } from 'bullmq';

export interface CapcomApi {
  apiUrl: string;
  username: string;
  password: string;
}

/**
 * Send one SMS through the gateway app's API (`POST <apiUrl>/message`, basic auth). Our outbox id
 * is the message id, so a retried request is recognised by the app (409 → already accepted).
 * Client errors are permanent (UnrecoverableError); 408/429/5xx and network errors are retried.
 */
/**
 * The id the phone keeps for a reply (letters, digits, - and _; at most 36): the outbox id with its
 * dot written as "_" (`ADU-2026-000001.result-2` → `ADU-2026-000001_result-2`), so that an `sms:failed`
 * event names the reply it is about (outboxIdOf).
 */
export function capcomMessageId(outboxId: string): string {
  return outboxId.replace('.', '_').replace(/[^A-Za-z0-9_-]/g, '').slice(0, 36);
}

/** The outbox id of a reply from the id the phone kept (capcomMessageId), when it can be read back. */
export function outboxIdOf(messageId: string): string | undefined {
  return /^[A-Z]{2,8}-\d{4}-\d{6}_[A-Za-z0-9-]+$/.test(messageId) ? messageId.replace('_', '.') : undefined;
}

export async function sendCapcomSms(api: CapcomApi, id: string, phone: string, text: string, timeoutMs = 10_000): Promise<void> {
  const url = `${api.apiUrl.replace(/\/+$/, '')}/message`;
  const auth = Buffer.from(`${api.username}:${api.password}`, 'utf8').toString('base64');
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Basic ${auth}` },
    body: JSON.stringify({ id: capcomMessageId(id), textMessage: { text }, phoneNumbers: [phone] }),
    signal: AbortSignal.timeout(timeoutMs),
  });
  const body = (await res.text().catch(() => '')).slice(0, 300);
  if (res.ok || res.status === 409) return;
  if (res.status >= 400 && res.status < 500 && res.status !== 408 && res.status !== 429) {
    throw new UnrecoverableError(`SMS gateway refused the message: HTTP ${res.status} ${body}`);
  }
  throw new Error(`SMS gateway answered HTTP ${res.status} ${body}`);
}
