// `aduan doctor`: are the ports the config names free, ours (the gateway is running), or taken by
// another program? A connector on a taken port exits with LISTEN.FAILED; this says so before a start.
import { createServer } from 'node:net';
import type { AduanConfig } from '../core/config/schema.ts';
import { channelListen } from '../core/config/listen.ts';
import { listenFailure } from '../core/webhook-server.ts';

export interface Endpoint {
  what: string;
  host: string;
  port: number;
  /** A request only our process answers this way: the channel's /healthz, the admin API with its token. */
  probe: { path: string; headers?: Record<string, string>; isOurs: (status: number, body: unknown) => boolean };
}

/** The enabled channels' listen addresses (Telegram only in webhook mode) and the admin API's, when on. */
export function endpointsOf(config: Readonly<AduanConfig>): Endpoint[] {
  const out: Endpoint[] = [];
  for (const c of config.channels) {
    const l = channelListen(c)?.listen;
    // port 0: the kernel picks one, nothing to check
    if (!l || l.port === 0) continue;
    out.push({
      what: `channel ${c.id} (${c.type})`, host: l.host, port: l.port,
      probe: { path: '/healthz', isOurs: (status, body) => status === 200 && (body as { channel?: unknown } | null)?.channel === c.id },
    });
  }
  const adminToken = config.admin.token ?? config.admin.officers?.[0]?.token;
  if (adminToken) {
    out.push({
      what: 'admin API', host: config.admin.listen.host, port: config.admin.listen.port,
      probe: { path: '/admin/cases?status=-', headers: { authorization: `Bearer ${adminToken}` }, isOurs: (status, body) => status === 200 && Array.isArray(body) },
    });
  }
  return out;
}

function tryBind(host: string, port: number): Promise<NodeJS.ErrnoException | undefined> {
  return new Promise((resolve) => {
    const srv = createServer();
    srv.once('error', (err: NodeJS.ErrnoException) => resolve(err));
    srv.listen(port, host, () => srv.close(() => resolve(undefined)));
  });
}

/** Free, held by this gateway (it is running), or not usable (taken by another program, no such address …). */
export async function checkEndpoint(e: Endpoint): Promise<{ ok: boolean; where: string; detail: string }> {
  const where = `${e.what} on ${e.host}:${e.port}`;
  const err = await tryBind(e.host, e.port);
  if (!err) return { ok: true, where, detail: 'port free' };
  if (err.code !== 'EADDRINUSE') return { ok: false, where, detail: listenFailure(err) };
  const host = e.host === '0.0.0.0' || e.host === '::' ? '127.0.0.1' : e.host.includes(':') ? `[${e.host}]` : e.host;
  try {
    const res = await fetch(`http://${host}:${e.port}${e.probe.path}`, { headers: e.probe.headers ?? {}, signal: AbortSignal.timeout(2_000) });
    const body: unknown = await res.json().catch(() => null);
    if (e.probe.isOurs(res.status, body)) return { ok: true, where, detail: 'in use by this gateway (it is running)' };
  } catch {
    // no HTTP answer: not ours
  }
  return { ok: false, where, detail: listenFailure(err) };
}
