import { vi } from 'vitest';

/** Run `fn` with the clock (Date only; timers stay real) set to `at`: an officer tool or a sweep at a given moment. */
export function asOf<T>(at: Date, fn: () => T): T {
  vi.useFakeTimers({ toFake: ['Date'] });
  vi.setSystemTime(at);
  try {
    return fn();
  } finally {
    vi.useRealTimers();
  }
}
