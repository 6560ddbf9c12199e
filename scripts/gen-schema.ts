// Writes config/aduan.schema.json (JSON Schema for editors) from the zod config schema and every
// connector's channel schema. `npm run schema`; a test checks the committed file is current.
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { configSchema } from '../core/config/schema.ts';
import { CONNECTORS } from '../connectors/registry.ts';
import { ROOT } from './load-config.ts';

export function buildJsonSchema(): unknown {
  const channelSchemas = Object.values(CONNECTORS).map((d) => d.configSchema);
  const full = configSchema.extend({
    channels: z.array(channelSchemas.length === 1 ? channelSchemas[0]! : z.union(channelSchemas as unknown as [z.ZodType, z.ZodType, ...z.ZodType[]])).optional(),
  });
  const schema = z.toJSONSchema(full, { io: 'input', unrepresentable: 'any' }) as Record<string, unknown>;
  return { ...schema, title: 'Aduan configuration', description: 'config/aduan.yaml — see config/aduan.example.yaml' };
}

export const SCHEMA_FILE = path.join(ROOT, 'config', 'aduan.schema.json');

if (process.argv[1] && path.resolve(process.argv[1]) === path.resolve(import.meta.filename)) {
  writeFileSync(SCHEMA_FILE, `${JSON.stringify(buildJsonSchema(), null, 2)}\n`);
  console.log(`wrote ${SCHEMA_FILE}`);
}
