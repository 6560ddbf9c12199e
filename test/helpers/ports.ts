import { createServer } from 'node:net';

/**
 * A free TCP port on loopback, below Linux's ephemeral range (32768–60999): a port the kernel hands out
 * (listen on 0) can be taken by any outgoing connection — a Redis client's, another test file's —
 * between this check and the server's listen (seen here as EADDRINUSE). A random port in 20000–32767
 * is only taken by another test that picked the same one.
 */
export async function freePort(): Promise<number> {
  for (let attempt = 0; attempt < 50; attempt++) {
    const port = 20_000 + Math.floor(Math.random() * 12_768);
    if (await canListen(port)) return port;
  }
  throw new Error('no free port in 20000-32767 on 127.0.0.1 after 50 attempts');
}

function canListen(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const srv = createServer();
    srv.unref();
    srv.once('error', () => resolve(false));
    srv.listen(port, '127.0.0.1', () => srv.close(() => resolve(true)));
  });
}

export async function waitFor(check: () => boolean | Promise<boolean>, timeoutMs = 10_000, everyMs = 25): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await check()) return;
    if (Date.now() > deadline) throw new Error(`condition not met within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, everyMs));
  }
}
