import { vi } from 'vitest';

/** Milliseconds of an hour and a day, for test clocks. */
export const HOUR = 3_600_000;
export const DAY = 24 * HOUR;

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
