import { existsSync } from 'node:fs';
import path from 'node:path';
import type { AduanConfig } from '../core/config/schema.ts';
import { basicUnderstander, type Understander } from '../core/understand.ts';
import { ROOT } from './load-config.ts';

/** The real classifier/dedupe/router when its module is present, else the foundation's basic one. */
export async function createUnderstanderFor(config: Readonly<AduanConfig>): Promise<Understander> {
  const mod = path.join(ROOT, 'core', 'understanding', 'index.ts');
  if (existsSync(mod)) {
    const { createUnderstander } = (await import(mod)) as { createUnderstander?: (c: Readonly<AduanConfig>) => Understander };
    if (createUnderstander) return createUnderstander(config);
  }
  return basicUnderstander(config);
}
