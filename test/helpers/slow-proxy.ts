import net from 'node:net';

/**
 * A TCP proxy on 127.0.0.1 in front of `target` that answers late: each connection is passed on only `delayMs`
 * after it was made (what the client sends meanwhile waits) — a Redis far away, or behind TLS or Sentinel.
 */
export async function slowProxy(target: string, delayMs: number): Promise<{ url: string; stop: () => Promise<void> }> {
  const { hostname, port: targetPort } = new URL(target);
  const open = new Set<net.Socket>();
  const timers = new Set<NodeJS.Timeout>();
  const server = net.createServer((s) => {
    open.add(s);
    s.on('close', () => open.delete(s));
    s.on('error', () => undefined);
    const t = setTimeout(() => {
      timers.delete(t);
      if (s.destroyed) return;
      const up = net.connect(Number(targetPort), hostname);
      open.add(up);
      up.on('close', () => { open.delete(up); s.destroy(); });
      up.on('error', () => undefined);
      s.on('close', () => up.destroy());
      s.pipe(up).pipe(s);
    }, delayMs);
    timers.add(t);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  return {
    url: `redis://127.0.0.1:${port}`,
    stop: () => new Promise<void>((resolve) => { for (const t of timers) clearTimeout(t); for (const s of open) s.destroy(); server.close(() => resolve()); }),
  };
}
