import { createServer } from 'node:net';

/**
 * A free TCP port on loopback, below Linux's ephemeral range (32768–60999): a port the kernel hands out
 * (listen on 0) can be taken by any outgoing connection — a Redis client's, another test file's —
 * between this check and the server's listen (seen here as EADDRINUSE).
 *
 * A port is only checked, not held, and a child process (a PM2-run gateway) may bind it seconds later.
 * So test files running at the same time must never pick the same one: each vitest worker
 * (VITEST_POOL_ID) draws from its own slice of 20000–31999, and a process never hands out a port
 * twice. The slices start at an offset taken from the vitest run (the workers' parent process), so
 * two test runs on one machine most likely use different slices too.
 */
const SLICE = 250;
const SLICES = 48;
const pool = Number(process.env['VITEST_POOL_ID'] ?? '1');
const sliceStart = 20_000 + ((process.ppid + (Number.isInteger(pool) && pool > 0 ? pool - 1 : 0)) % SLICES) * SLICE;
const handedOut = new Set<number>();

export async function freePort(): Promise<number> {
  for (let attempt = 0; attempt < 100; attempt++) {
    const port = sliceStart + Math.floor(Math.random() * SLICE);
    if (handedOut.has(port)) continue;
    if (await canListen(port)) {
      handedOut.add(port);
      return port;
    }
  }
  throw new Error(`no free port in ${sliceStart}-${sliceStart + SLICE - 1} on 127.0.0.1 after 100 attempts`);
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
