// `npm run conformance -- [../shared]`: replays real third-party artifacts (e-mails, webhooks,
// Telegram updates, Gammu samples, signature vectors) through the connectors' normalisers.
// Prints one line per file and a summary per module; exits 1 if any module fails. A missing
// shared folder is not an error (a user's clone has none).
import { existsSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { ROOT } from './load-config.ts';

const shared = path.resolve(process.argv[2] ?? path.join(ROOT, '..', 'shared'));
if (!existsSync(path.join(shared, 'fixtures'))) {
  console.log(`conformance: ${shared}/fixtures not found — skipped`);
  process.exit(0);
}
const dir = path.join(ROOT, 'scripts', 'conformance');
const modules = existsSync(dir) ? readdirSync(dir).filter((f) => f.endsWith('.ts')).sort() : [];
let failed = 0;
for (const file of modules) {
  console.log(`\n=== conformance ${file.slice(0, -3)} ===`);
  try {
    const mod = (await import(path.join(dir, file))) as { run: (sharedDir: string) => Promise<{ ok: boolean }> };
    const result = await mod.run(shared);
    if (!result.ok) failed++;
    console.log(`=== ${file.slice(0, -3)}: ${result.ok ? 'OK' : 'FAILED'} ===`);
  } catch (err) {
    failed++;
    console.log(`=== ${file.slice(0, -3)}: CRASHED ${(err as Error).stack ?? String(err)} ===`);
  }
}
console.log(`\nconformance: ${modules.length - failed}/${modules.length} modules OK`);
process.exit(failed > 0 ? 1 : 0);
