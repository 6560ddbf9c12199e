// `npm run bench -- <name> [...]`: runs scripts/bench/<name>.ts (each prints its figures).
import { existsSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { ROOT } from './load-config.ts';

const dir = path.join(ROOT, 'scripts', 'bench');
const available = existsSync(dir) ? readdirSync(dir).filter((f) => f.endsWith('.ts')).map((f) => f.slice(0, -3)).sort() : [];
const names = process.argv.slice(2).filter((a) => !a.startsWith('-'));
if (names.length === 0) {
  console.log(`usage: npm run bench -- <${available.join('|')}>`);
  process.exit(available.length ? 0 : 1);
}
for (const name of names) {
  if (!available.includes(name)) {
    console.error(`unknown benchmark "${name}"; available: ${available.join(', ')}`);
    process.exit(1);
  }
  console.log(`=== bench ${name} ===`);
  const mod = (await import(path.join(dir, `${name}.ts`))) as { run: (args: string[]) => Promise<void> };
  await mod.run(process.argv.slice(2));
}
process.exit(0);
