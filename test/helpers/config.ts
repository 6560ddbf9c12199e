import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { loadConfigText } from '../../core/config/load.ts';
import type { AduanConfig } from '../../core/config/schema.ts';
import { AduanError } from '../../core/errors.ts';
import { CHANNEL_SCHEMAS } from '../../connectors/registry.ts';

/** A validated, frozen config with a temp data dir; `overrides` are merged at the top level. */
export function testConfig(overrides: Record<string, unknown> & { redisUrl?: string; prefix?: string } = {}): AduanConfig & { dataDir: string } {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'aduan-test-'));
  const { redisUrl, prefix, ...rest } = overrides;
  const raw = {
    instance: { name: 'DPRD Test' },
    redis: { url: redisUrl ?? 'redis://127.0.0.1:6379', prefix: prefix ?? `t${Math.random().toString(36).slice(2, 10)}` },
    database: { path: path.join(dataDir, 'aduan.db') },
    storage: { dir: path.join(dataDir, 'storage') },
    mail: { transport: 'file', from: 'Aduan Test <aduan@dprd.test>', file: { dir: path.join(dataDir, 'mail') } },
    divisions: [
      { id: 'komisi-c', name: 'Komisi C', inbox: 'komisi-c@dprd.test', keywords: ['jalan'] },
      { id: 'humas', name: 'Humas', inbox: 'humas@dprd.test', default: true },
    ],
    channels: [],
    ...rest,
  };
  const { config } = loadConfigText(JSON.stringify(raw), '(test)', { channelSchemas: CHANNEL_SCHEMAS });
  return Object.assign(Object.create(null) as object, config, { dataDir }) as AduanConfig & { dataDir: string };
}

/** The AduanError `fn` throws (any other error is rethrown; no error fails the test). */
export function aduanError(fn: () => unknown): AduanError {
  try {
    fn();
  } catch (err) {
    if (err instanceof AduanError) return err;
    throw err;
  }
  throw new Error('expected an AduanError');
}
