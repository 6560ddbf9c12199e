import { createHash } from 'node:crypto';
import { UnrecoverableError } from 'bullmq';
import { RetryLaterError, retryAfterMs } from '../../core/queue.ts';

export interface CapcomApi {
  apiUrl: string;
  username: string;
  password: string;
}

/** Longest message id the phone app keeps (letters, digits, - and _). */
export const CAPCOM_ID_MAX = 36;

/** Hex characters of the outbox id's hash in a shortened id. */
const HASH_CHARS = 10;

/**
 * The id the phone keeps for a reply (letters, digits, - and _; at most 36): the outbox id with its
 * dot written as "_" (`ADU-2026-000001.result-2` → `ADU-2026-000001_result-2`) when that fits, so that
 * an `sms:failed` event names the reply it is about (resolveCapcomMessageId). A longer one (an 8-letter
 * casePrefix: `ABCDEFGH-2026-000123.noted-1719046000000` is 40) is its case number, "__" and a hash of
 * the whole id (`ABCDEFGH-2026-000123__3f9a0c21d7`): the same reply always gets the same id (the app
 * answers a retried request 409), and the case's replies are few, so the hash finds it again. Before,
 * it was cut at 36 characters, and a failure report on it named no reply.
 */
export function capcomMessageId(outboxId: string): string {
  const plain = outboxId.replace('.', '_').replace(/[^A-Za-z0-9_-]/g, '');
  if (plain.length <= CAPCOM_ID_MAX) return plain;
  const head = (outboxId.split('.')[0] ?? '').replace(/[^A-Za-z0-9-]/g, '').slice(0, CAPCOM_ID_MAX - 2 - HASH_CHARS);
  return `${head}__${createHash('sha256').update(outboxId).digest('hex').slice(0, HASH_CHARS)}`;
}

/** The outbox id of a reply from the id the phone kept in the form an id that fits has (dot as "_"), when it can be read back. */
export function outboxIdOf(messageId: string): string | undefined {
  return /^[A-Z]{2,8}-\d{4}-\d{6}_[A-Za-z0-9-]+$/.test(messageId) ? messageId.replace('_', '.') : undefined;
}

/**
 * The outbox id of the reply the phone reports on (`sms:failed`), given this channel's reply ids by
 * prefix (ConnectorContext.ownReplyIds): a shortened id (`<case>__<hash>`) is matched against the
 * case's replies; one that fitted is read back. An id an older version cut at 36 characters is taken
 * for the one reply it begins, when just one does.
 */
export function resolveCapcomMessageId(messageId: string, ownReplyIds: (prefix: string) => string[]): string | undefined {
  const short = /^([A-Za-z0-9-]+)__[0-9a-f]+$/.exec(messageId);
  if (short) return ownReplyIds(short[1]!).find((id) => capcomMessageId(id) === messageId);
  const id = outboxIdOf(messageId);
  if (id === undefined || messageId.length < CAPCOM_ID_MAX) return id;
  const ids = ownReplyIds(id);
  return ids.includes(id) || ids.length !== 1 ? id : ids[0];
}

/**
 * Send one SMS through the gateway app's API (`POST <apiUrl>/message`, basic auth). The message id is
 * capcomMessageId(outbox id), the same for every attempt, so a retried request is recognised by the app (409 → already accepted).
 * Client errors are permanent (UnrecoverableError); 408/429/5xx and network errors are retried, a 429
 * or 503 with Retry-After no sooner than it asks (RetryLaterError).
 */
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
  // (a 429 / 503 saying when to come back: the next attempt waits that long, not the queue's own 5 s, 10 s …)
  const wait = res.status === 429 || res.status === 503 ? retryAfterMs(res.headers.get('retry-after')) : undefined;
  if (wait !== undefined) throw new RetryLaterError(`SMS gateway answered HTTP ${res.status}: retry after ${Math.ceil(wait / 1000)} s ${body}`, wait);
  throw new Error(`SMS gateway answered HTTP ${res.status} ${body}`);
}
