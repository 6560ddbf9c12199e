import twilio from 'twilio';
import { RetryLaterError, retryAfterMs } from '../../core/queue.ts';

type RequestOptions<T> = Parameters<typeof twilio.RequestClient.prototype.request<T>>[0];

/** What Twilio's error body says (`{code, message}`), for a log line; empty when it is no such JSON. */
function errorOf(body: unknown): string {
  let b = body;
  if (typeof b === 'string') {
    try {
      b = JSON.parse(b);
    } catch {
      return '';
    }
  }
  if (typeof b !== 'object' || b === null) return '';
  const { code, message } = b as { code?: unknown; message?: unknown };
  return [code, message].filter((x) => typeof x === 'number' || typeof x === 'string').join(' ').slice(0, 200);
}

/**
 * The Twilio REST client; `apiBaseUrl` (tests, regional proxies) sends every API call to another
 * origin while keeping the path, auth and body the SDK builds. A 429 or 503 answer with a Retry-After
 * header (seconds or an HTTP date) is thrown as RetryLaterError — the SDK's own error does not carry
 * the header — so an outbound reply is tried again no sooner than Twilio asks.
 */
export function createTwilioClient(accountSid: string, authToken: string, apiBaseUrl?: string): twilio.Twilio {
  const base = apiBaseUrl === undefined ? undefined : new URL(apiBaseUrl);
  class AduanRequestClient extends twilio.RequestClient {
    override async request<TData>(opts: RequestOptions<TData>) {
      let uri = opts.uri;
      if (base) {
        const u = new URL(opts.uri);
        u.protocol = base.protocol;
        u.host = base.host;
        uri = u.toString();
      }
      const res = await super.request<TData>({ ...opts, uri });
      if (res.statusCode === 429 || res.statusCode === 503) {
        const headers = res.headers as Record<string, unknown> | undefined;
        const header = headers?.['retry-after'];
        const wait = retryAfterMs(typeof header === 'string' ? header : undefined);
        if (wait !== undefined) {
          const said = errorOf(res.body);
          throw new RetryLaterError(`Twilio answered HTTP ${res.statusCode}${said ? ` (${said})` : ''}: retry after ${Math.ceil(wait / 1000)} s`, wait);
        }
      }
      return res;
    }
  }
  // (without apiBaseUrl, the client the SDK would make itself: its default timeout)
  return twilio(accountSid, authToken, { httpClient: new AduanRequestClient(base ? { timeout: 15_000 } : {}) });
}
