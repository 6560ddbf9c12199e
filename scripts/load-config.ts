import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadConfigFile, resolveConfigPath, type LoadedConfig } from '../core/config/load.ts';
import { CHANNEL_SCHEMAS } from '../connectors/registry.ts';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
/** The embedded demo config, used when no config file is given or found. */
export const DEMO_CONFIG = path.join(ROOT, 'config', 'aduan.example.yaml');

/** --config, ADUAN_CONFIG, config/aduan.yaml, else the demo config. */
export function loadAduanConfig(cliPath?: string): LoadedConfig & { demo: boolean } {
  const file = resolveConfigPath(cliPath);
  // the demo's relative paths (./data/…) are read from the working directory, as they always were —
  // also when it is named (`aduan start` hands it to PM2 as ADUAN_CONFIG, and every process loads it so)
  const isDemo = file === undefined || path.resolve(file) === DEMO_CONFIG;
  const loaded = loadConfigFile(file ?? DEMO_CONFIG, { channelSchemas: CHANNEL_SCHEMAS, ...(isDemo ? { pathBase: false } : {}) });
  return { ...loaded, demo: file === undefined };
}
