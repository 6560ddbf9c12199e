// `aduan cases add`: walk-ins at the service desk and scanned letters enter through the same queue
// as every channel (channel "manual"), so they get the same recording, dedupe, routing and forward.
import { randomUUID } from 'node:crypto';
import { existsSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import type { AduanConfig } from '../core/config/schema.ts';
import { AduanError } from '../core/errors.ts';
import { inboundMessageSchema, normalizeText, type InboundMessageInput } from '../core/message.ts';
import { toE164 } from '../core/phone.ts';
import { allowedType, typeOfFileName, withheldSize } from '../core/file-types.ts';
import { LIMITS } from '../core/limits.ts';
import { IntakeProducer } from '../core/queue.ts';
import { Storage } from '../core/storage.ts';

const sizeText = (bytes: number): string => (bytes < 1024 * 1024 ? `${Math.ceil(bytes / 1024)} KB` : `${(bytes / (1024 * 1024)).toFixed(1)} MB`);

/**
 * Queue a walk-in's report or a scanned letter; the message id. `tell` gets what the officer should know
 * that does not stop it (a file too large, recorded as not kept).
 */
export async function manualIntake(config: Readonly<AduanConfig>, o: { text: string; name?: string; phone?: string; email?: string; subject?: string; attach?: string[] }, officer: string, configFile?: string, tell: (line: string) => void = () => undefined): Promise<string> {
  const text = normalizeText(o.text);
  if (text === '') throw new AduanError('INPUT.INVALID', { field: 'text', detail: 'is required' });
  // the scan is stored where the gateway's forward worker reads it: a relative storage.dir from another
  // directory would be another folder (the division's mail then fails for want of the file)
  if (config.database.path !== ':memory:' && !existsSync(config.database.path)) {
    throw new AduanError('DB.NOT_FOUND', { path: path.resolve(config.database.path), file: configFile ?? '(config)', cwd: process.cwd() });
  }
  const msg: InboundMessageInput = {
    connectorId: 'manual', channel: 'manual', externalId: randomUUID(), receivedAt: new Date().toISOString(),
    sender: {}, text, attachments: [], meta: { officer },
  };
  if (o.name) msg.sender.name = o.name;
  if (o.phone) {
    const phone = toE164(o.phone, config.instance.phoneRegion);
    if (!phone) throw new AduanError('INPUT.INVALID', { field: 'phone', detail: `"${o.phone}" is not a valid phone number` });
    msg.sender.phone = phone;
  }
  if (o.email) {
    const email = o.email.trim().toLowerCase();
    if (!/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(email)) throw new AduanError('INPUT.INVALID', { field: 'email', detail: `"${o.email}" is not an e-mail address` });
    msg.sender.email = email;
  }
  if (o.subject) msg.subject = o.subject;
  // every file is checked before any is stored: a refusal leaves nothing behind
  const files = (o.attach ?? []).map((file) => {
    // (a path mistyped, or a scan not yet written: named, not an ENOENT stack trace)
    let size: number;
    try {
      const st = statSync(file);
      if (!st.isFile()) throw new Error('not a file');
      size = st.size;
    } catch {
      throw new AduanError('INPUT.INVALID', { field: '--attach', detail: `"${file}" is no file that can be read (from ${process.cwd()}); nothing was recorded` });
    }
    // (the type its name says, checked against storage.allowedTypes as every channel checks a file: the
    // officer is at hand to save it in a type the division can open, which a citizen far away is not)
    const contentType = typeOfFileName(file);
    if (!allowedType(contentType, config.storage.allowedTypes)) {
      const what = contentType === 'application/octet-stream' ? 'application/octet-stream (its name tells no type the gateway knows)' : `${contentType} by its name`;
      throw new AduanError('INPUT.INVALID', { field: '--attach', detail: `"${file}" is ${what}, a type storage.allowedTypes (${config.storage.allowedTypes.join(', ')}) does not accept; nothing was recorded. Save it as PDF or a photo (JPEG, PNG), leave it out, or add the type to storage.allowedTypes` });
    }
    return { file, size, contentType };
  });
  const storage = new Storage(config.storage.dir);
  for (const { file, size, contentType } of files) {
    // (as on every channel: recorded as not kept, in the words the division's mail and the citizen read)
    if (size > config.storage.maxAttachmentBytes || size > LIMITS.attachmentMaxBytes) {
      msg.attachments!.push({ filename: path.basename(file), contentType, size, withheld: withheldSize(Math.min(config.storage.maxAttachmentBytes, LIMITS.attachmentMaxBytes)) });
      tell(`"${file}" is ${sizeText(size)}, over storage.maxAttachmentBytes (${sizeText(config.storage.maxAttachmentBytes)}): not kept; the case records it as not kept and the division's mail says so`);
      continue;
    }
    msg.attachments!.push({ filename: path.basename(file), contentType, size, sha256: storage.put(readFileSync(file)) });
  }
  // what the intake worker would quarantine (a name over 200 characters, too many files …) is refused here,
  // where the officer sees it, not accepted and then lost to a list nobody reads
  const checked = inboundMessageSchema.safeParse(msg);
  if (!checked.success) {
    const issue = checked.error.issues[0]!;
    throw new AduanError('INPUT.INVALID', { field: issue.path.join('.') || 'message', detail: issue.message });
  }
  const producer = new IntakeProducer(config);
  try {
    return await producer.enqueue(msg as Parameters<IntakeProducer['enqueue']>[0]);
  } finally {
    await producer.close();
  }
}

/**
 * The case number of a message `aduan cases add` queued, once the intake worker has recorded it: the
 * officer tells it to the citizen at the desk. Looks every 250 ms for at most `waitMs`; undefined when
 * it is not recorded by then (the intake worker stopped or busy: `aduan status`).
 */
export async function caseNumberOf(databasePath: string, id: string, waitMs: number): Promise<{ caseNumber: string; relation: string; caseStatus: string | null } | undefined> {
  const { openDb, closeDb } = await import('../core/db/client.ts');
  const { messageStatus } = await import('../core/repo/messages.repo.ts');
  const db = openDb(databasePath);
  try {
    for (const until = Date.now() + waitMs; ;) {
      const s = messageStatus(db, id, 'manual');
      if (s?.caseNumber) return { caseNumber: s.caseNumber, relation: s.relation, caseStatus: s.caseStatus };
      if (Date.now() >= until) return undefined;
      await new Promise((r) => setTimeout(r, 250));
    }
  } finally {
    closeDb(db);
  }
}
