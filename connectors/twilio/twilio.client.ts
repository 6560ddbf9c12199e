import twilio from 'twilio';

type RequestOptions<T> = Parameters<typeof twilio.RequestClient.prototype.request<T>>[0];

/**
 * The Twilio REST client; `apiBaseUrl` (tests, regional proxies) sends every API call to another
 * origin while keeping the path, auth and body the SDK builds.
 */
export function createTwilioClient(accountSid: string, authToken: string, apiBaseUrl?: string): twilio.Twilio {
  if (apiBaseUrl === undefined) return twilio(accountSid, authToken);
  const base = new URL(apiBaseUrl);
  class BaseUrlRequestClient extends twilio.RequestClient {
    override request<TData>(opts: RequestOptions<TData>) {
      const u = new URL(opts.uri);
      u.protocol = base.protocol;
      u.host = base.host;
      return super.request<TData>({ ...opts, uri: u.toString() });
    }
  }
  return twilio(accountSid, authToken, { httpClient: new BaseUrlRequestClient({ timeout: 15_000 }) });
}
