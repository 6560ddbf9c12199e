// Which sockets a config opens, and which of them cannot both be bound: every channel that listens
// (web, android-sms-gateway, twilio, telegram in webhook mode) runs its own HTTP server in its own
// process, as does the admin API, so two of them on one address and port is an EADDRINUSE at start.
import { isIPv4 } from 'node:net';
import type { AduanConfig, ChannelConfig } from './schema.ts';

export interface ListenAddress { host: string; port: number }

export interface Listener extends ListenAddress {
  /** For people: `channel web-2 (web)`, `admin API`. */
  what: string;
  /** Key path of the listen section, e.g. ['channels', 1, 'listen']. */
  at: (string | number)[];
}

/**
 * Where an enabled channel listens: its `listen`, or `webhook.listen` in `mode: webhook` (Telegram;
 * in polling mode it opens no port). Undefined when it opens none.
 */
export function channelListen(channel: ChannelConfig): { listen: ListenAddress; at: string[] } | undefined {
  const c = channel as ChannelConfig & { listen?: ListenAddress; mode?: string; webhook?: { listen?: ListenAddress } };
  if (!c.enabled) return undefined;
  if (isListen(c.listen)) return { listen: c.listen, at: ['listen'] };
  if (c.mode === 'webhook' && isListen(c.webhook?.listen)) return { listen: c.webhook.listen, at: ['webhook', 'listen'] };
  return undefined;
}

function isListen(l: unknown): l is ListenAddress {
  return typeof l === 'object' && l !== null && typeof (l as ListenAddress).host === 'string' && typeof (l as ListenAddress).port === 'number';
}

/** True when the admin API has a token to serve, so it runs and listens: the shared admin.token or an officer's own. */
export function adminApiEnabled(config: Pick<AduanConfig, 'admin'>): boolean {
  return config.admin.token !== undefined || (config.admin.officers ?? []).length > 0;
}

/** Every socket the config's processes open (port 0 included: the kernel picks a free one). */
export function listenersOf(config: Pick<AduanConfig, 'channels' | 'admin'>): Listener[] {
  const out: Listener[] = [];
  config.channels.forEach((c, i) => {
    const l = channelListen(c);
    if (l) out.push({ what: `channel ${c.id} (${c.type})`, host: l.listen.host, port: l.listen.port, at: ['channels', i, ...l.at] });
  });
  if (adminApiEnabled(config)) out.push({ what: 'admin API', host: config.admin.listen.host, port: config.admin.listen.port, at: ['admin', 'listen'] });
  return out;
}

function normalHost(host: string): string {
  const h = host.trim().toLowerCase();
  return h.startsWith('[') && h.endsWith(']') ? h.slice(1, -1) : h;
}

/**
 * Whether two hosts on one port cannot both be bound (Linux, Node's defaults): the same host; `::`
 * (every address, IPv4 too) with anything; `0.0.0.0` with itself or an IPv4 address. A name other than
 * the same name (`localhost` and 127.0.0.1) is not refused: what it resolves to is not known here.
 */
export function hostsOverlap(a: string, b: string): boolean {
  const [x, y] = [normalHost(a), normalHost(b)];
  if (x === y) return true;
  if (x === '::' || y === '::') return true;
  if (x === '0.0.0.0') return isIPv4(y);
  if (y === '0.0.0.0') return isIPv4(x);
  return false;
}

/** Pairs of listeners that would collide (the later one second), port 0 excepted. */
export function listenClashes(listeners: Listener[]): [Listener, Listener][] {
  const out: [Listener, Listener][] = [];
  listeners.forEach((b, j) => {
    if (b.port === 0) return;
    const a = listeners.slice(0, j).find((l) => l.port === b.port && hostsOverlap(l.host, b.host));
    if (a) out.push([a, b]);
  });
  return out;
}
