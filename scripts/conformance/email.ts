import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { EmailParseError, normalizeEmail, type NormalizeOptions } from '../../connectors/email/email.normalize.ts';
import { inboundMessageSchema } from '../../core/message.ts';
import { caseNumberFromMessageId } from '../../core/mail/compose.ts';

const mailConfig = { mail: { from: 'Aduan DPRD <aduan@dprd.example.go.id>' } };

const OPTIONS: NormalizeOptions = {
  connectorId: 'email-conformance',
  maxAttachmentBytes: 10 * 1024 * 1024,
  allowedTypes: ['image/', 'application/pdf', 'audio/', 'video/', 'text/plain', 'application/msword', 'application/vnd.openxmlformats-officedocument.'],
  ownAddresses: new Set(['aduan@dprd.example.go.id']),
  isOwnMessageId: (id) => caseNumberFromMessageId(mailConfig as Parameters<typeof caseNumberFromMessageId>[0], id) !== undefined,
  // no store: third-party mail is parsed, never written into the project
  now: () => new Date('2026-01-01T00:00:00Z'),
};

function files(dir: string): string[] {
  return readdirSync(dir)
    .sort()
    .flatMap((name) => {
      const p = path.join(dir, name);
      return statSync(p).isDirectory() ? files(p) : /\.(eml|msg|txt|mime)$/i.test(name) || !name.includes('.') ? [p] : [];
    });
}

const clip = (s: string | undefined, n: number): string => {
  const t = (s ?? '').replace(/\s+/g, ' ').trim();
  return t.length > n ? `${t.slice(0, n - 1)}…` : t;
};

/**
 * Parse every mail in <shared>/fixtures/email through the connector's normaliser: one line per file
 * (verdict, sender, subject, text length, attachments, loop flag) and a summary. A file that makes
 * the normaliser crash (anything but a clean EmailParseError) or yields a message that breaks the
 * contract fails the run.
 */
export async function run(sharedDir: string): Promise<{ ok: boolean }> {
  const dir = path.join(sharedDir, 'fixtures', 'email');
  if (!existsSync(dir)) {
    console.log(`email: skipped (${dir} not found)`);
    return { ok: true };
  }
  const counts = { taken: 0, auto: 0, unparseable: 0, crashed: 0, invalid: 0 };
  for (const file of files(dir)) {
    const name = path.relative(dir, file);
    try {
      const { message, loop } = await normalizeEmail(readFileSync(file), OPTIONS);
      const contract = inboundMessageSchema.safeParse(message);
      const atts = (message.attachments ?? []).map((a) => `${clip(a.filename, 30)}${a.withheld ? '(withheld)' : ''}`).join(',');
      const verdict = !contract.success ? 'INVALID' : loop ? loop.reason : 'complaint';
      if (!contract.success) counts.invalid++;
      else if (loop) counts.auto++;
      else counts.taken++;
      const issue = contract.success ? '' : ` contract: ${contract.error.issues.slice(0, 2).map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`;
      console.log(`${name}: ${verdict} from=${message.sender.email ?? '-'} subject="${clip(message.subject, 50)}" text=${message.text.length}ch attachments=[${atts}]${message.thread?.inReplyTo ? ' reply' : ''}${issue}`);
    } catch (err) {
      if (err instanceof EmailParseError) {
        counts.unparseable++;
        console.log(`${name}: unparseable (${err.reason}) → failed mailbox + quarantine`);
      } else {
        counts.crashed++;
        console.log(`${name}: CRASH ${(err as Error).stack ?? String(err)}`);
      }
    }
  }
  const total = counts.taken + counts.auto + counts.unparseable + counts.crashed + counts.invalid;
  console.log(`email: ${total} files: ${counts.taken} complaints, ${counts.auto} automatic (recorded, not answered), ${counts.unparseable} unparseable (quarantined), ${counts.invalid} contract violations, ${counts.crashed} crashes`);
  return { ok: counts.crashed === 0 && counts.invalid === 0 };
}
