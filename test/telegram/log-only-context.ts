import { pino } from 'pino';
import type { ConnectorRuntime } from '../../core/runtime.ts';

export interface LogLine { level: number; msg: string; retryInMs?: number }

/**
 * A connector context that only logs (into `logs`, one parsed JSON line each) and holds its lock: for a
 * Telegram connector whose test is about talking to the Bot API, not about what it hands on. With `state`,
 * connector_state notes are kept in that map.
 */
export function logOnlyContext(logs: LogLine[], state?: Map<string, unknown>): ConnectorRuntime['ctx'] {
  return {
    config: { instance: { name: 'DPRD Test', phoneRegion: 'ID', timezone: 'Asia/Jakarta' }, storage: { maxAttachmentBytes: 1024 * 1024, allowedTypes: ['image/'] }, templates: {}, divisions: [] },
    logger: pino({ level: 'info' }, { write: (line: string) => void logs.push(JSON.parse(line) as LogLine) }),
    lock: () => ({ isHeld: true, acquire: async () => true, release: async () => undefined }),
    onOutbound: () => undefined,
    ...(state !== undefined ? { state: { get: (k: string) => state.get(k), set: (k: string, v: unknown) => void state.set(k, v), prune: async () => 0 } } : {}),
  } as unknown as ConnectorRuntime['ctx'];
}
