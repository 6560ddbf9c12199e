import { readdirSync, readFileSync, statSync, existsSync } from 'node:fs';
import path from 'node:path';
import { normalizeUpdate, type Normalized } from '../../connectors/telegram/telegram.normalize.ts';
import { inboundMessageSchema } from '../../core/message.ts';

const BOT = { id: 7000000001, username: 'stiznosti_bot' };

function jsonFiles(dir: string): string[] {
  return readdirSync(dir)
    .sort()
    .flatMap((name) => {
      const p = path.join(dir, name);
      return statSync(p).isDirectory() ? jsonFiles(p) : name.endsWith('.json') ? [p] : [];
    });
}

/** teloxide's fixtures are bare Message objects: wrap them as the Update Telegram would send. */
function asUpdate(raw: unknown): unknown {
  if (typeof raw !== 'object' || raw === null || 'update_id' in raw) return raw;
  const m = raw as { chat?: { type?: string } };
  if ('message_id' in raw) return { update_id: 1, [m.chat?.type === 'channel' ? 'channel_post' : 'message']: raw };
  return raw;
}

function describe(n: Normalized): string {
  switch (n.kind) {
    case 'message': {
      const v = inboundMessageSchema.safeParse(n.input);
      const files = n.files.map((f) => (f.withheld ? `${f.filename}(withheld)` : f.filename)).join(',');
      return `message ${n.input.externalId} text=${n.input.text.length}ch files=[${files}]${n.mediaGroupId ? ` album=${n.mediaGroupId}` : ''}${n.input.meta?.['editOf'] ? ' edit' : ''}${n.addressed ? '' : ' unaddressed'} contract=${v.success ? 'ok' : 'INVALID'}`;
    }
    case 'command':
      return `command /${n.command} ${n.args}`.trim();
    case 'blocked':
      return `blocked chat ${n.chatId}`;
    case 'unblocked':
      return `unblocked chat ${n.chatId}`;
    case 'migrated':
      return `migrated ${n.fromChatId} → ${n.toChatId}`;
    case 'ignored':
      return `ignored (${n.reason})`;
  }
}

/** Replay every Telegram JSON fixture through the pure normaliser; one line per file, none may crash. */
export async function run(sharedDir: string): Promise<{ ok: boolean }> {
  const dir = path.join(sharedDir, 'fixtures', 'telegram');
  if (!existsSync(dir)) {
    console.log(`telegram: skipped (${dir} not found)`);
    return { ok: true };
  }
  let ok = 0;
  let failed = 0;
  for (const file of jsonFiles(dir)) {
    const rel = path.relative(dir, file);
    try {
      const n = normalizeUpdate(asUpdate(JSON.parse(readFileSync(file, 'utf8'))), { connectorId: 'telegram-conformance', bot: BOT, phoneRegion: 'ID' });
      const line = describe(n);
      if (line.includes('contract=INVALID')) {
        failed += 1;
        console.log(`FAIL ${rel}: ${line}`);
      } else {
        ok += 1;
        console.log(`ok   ${rel}: ${line}`);
      }
    } catch (err) {
      failed += 1;
      console.log(`FAIL ${rel}: ${(err as Error).stack ?? String(err)}`);
    }
  }
  console.log(`telegram: ${ok} ok, ${failed} failed`);
  return { ok: failed === 0 };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const shared = process.argv[2] ?? path.resolve(process.cwd(), '..', 'shared');
  const { ok } = await run(shared);
  process.exitCode = ok ? 0 : 1;
}
