// SMS channels conformance: Twilio's signature vectors and captured webhook bodies, the capcom6
// signed vector, and Gammu's synthetic inbox trees, sample outbox files, smsbackup texts and the
// upstream SQLite schemas (v17, v18) — all run through the connectors' own parsers.
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import twilio from 'twilio';
import { capcomSmsReceivedSchema, parseCapcomEnvelope, capcomReceivedAt } from '../../connectors/android-sms-gateway/capcom.payload.ts';
import { verifyCapcomSignature } from '../../connectors/android-sms-gateway/capcom.signature.ts';
import { groupParts, takeReady, type InboxPart } from '../../connectors/gammu/gammu.assemble.ts';
import { decodeHexUcs2, decodeInboxContent } from '../../connectors/gammu/gammu.decode.ts';
import { parseInboxName } from '../../connectors/gammu/gammu.filename.ts';
import { buildSmsMessage } from '../../connectors/sms/sms.message.ts';
import { groupInboxRows, inboxSelectSql, rowText, writeSqlOutbox, type InboxRow } from '../../connectors/gammu/gammu.sql.ts';
import { concatUdh, parseConcatUdh } from '../../connectors/gammu/gammu.udh.ts';
import { RepeatGuard } from '../../connectors/sms/sms.common.ts';
import { buildTwilioMessage } from '../../connectors/twilio/twilio.message.ts';
import { isStatusCallback, mediaItems, parseFormBody, verifyTwilioSignature } from '../../connectors/twilio/twilio.params.ts';
import { configSchema } from '../../core/config/schema.ts';
import { inboundMessageSchema } from '../../core/message.ts';

const TZ = 'Asia/Jakarta';
const cfg = { config: configSchema.parse({}) };

interface Tally {
  ok: number;
  bad: number;
}

function line(t: Tally, pass: boolean, text: string): void {
  if (pass) t.ok++;
  else t.bad++;
  console.log(`${pass ? 'ok  ' : 'FAIL'} ${text}`);
}

function contract(input: unknown): string {
  const r = inboundMessageSchema.safeParse(input);
  return r.success ? 'contract=ok' : `contract=INVALID(${r.error.issues[0]?.message})`;
}

interface Vector {
  name: string;
  url: string;
  params: Record<string, string | string[]>;
  expected: string;
  auth_token?: string;
  raw_body?: string;
}

function twilioVectors(dir: string, t: Tally): void {
  const file = path.join(dir, 'twilio_signature_vectors.json');
  if (!existsSync(file)) return void console.log(`skip ${file} (not found)`);
  const d = JSON.parse(readFileSync(file, 'utf8')) as { auth_token: string; official_vectors: Vector[]; derived_vectors: Vector[] };
  for (const v of [...d.official_vectors, ...d.derived_vectors]) {
    const token = v.auth_token ?? d.auth_token;
    let pass: boolean;
    let how = 'params';
    if (v.url.includes('bodySHA256') && v.raw_body !== undefined) {
      pass = twilio.validateRequestWithBody(token, v.expected, v.url, v.raw_body);
      how = 'bodySHA256';
    } else {
      // derived vectors carry the raw form body: sign what our own parser extracts from it
      const params = v.raw_body !== undefined ? parseFormBody(v.raw_body) : v.params;
      if (v.raw_body !== undefined) how = 'raw form body → parseFormBody';
      pass = verifyTwilioSignature({ authTokens: [token], signature: v.expected, url: v.url, params });
    }
    const wrong = verifyTwilioSignature({ authTokens: [`${token}x`], signature: v.expected, url: v.url, params: v.params });
    line(t, pass && !wrong, `twilio vector ${v.name}: ${pass ? 'valid' : 'NOT valid'} (${how}); wrong token ${wrong ? 'ACCEPTED' : 'rejected'}`);
  }
}

function twilioForms(dir: string, t: Tally): void {
  for (const name of readdirSync(dir).filter((f) => f.endsWith('.form')).sort()) {
    const params = parseFormBody(readFileSync(path.join(dir, name), 'utf8').trim());
    if (isStatusCallback(params)) {
      line(t, true, `twilio ${name}: status callback (not ingested)`);
      continue;
    }
    const media = mediaItems(params, 20);
    const attachments = media.map((m) => ({ filename: `media-${m.index}`, contentType: m.contentType, size: 0, withheld: 'not downloaded in conformance' }));
    const built = buildTwilioMessage(params, { connectorId: 'conformance', region: 'ID', receivedAt: new Date().toISOString(), attachments, guard: new RepeatGuard(0) });
    if (!built.ok) {
      line(t, false, `twilio ${name}: quarantined ${built.code} ${built.reason}`);
      continue;
    }
    const c = contract(built.message);
    line(t, c === 'contract=ok', `twilio ${name}: ${built.message.channel} from ${built.message.sender.phone} id=${built.message.externalId} text=${built.message.text.length}ch media=${media.length} ${c}`);
  }
}

function capcom(dir: string, t: Tally): void {
  const file = path.join(dir, 'capcom6_signature_vector.json');
  if (!existsSync(file)) return void console.log(`skip ${file} (not found)`);
  const v = JSON.parse(readFileSync(file, 'utf8')) as { signing_key: string; x_timestamp: string; raw_body: string; x_signature: string };
  const raw = Buffer.from(v.raw_body, 'utf8');
  const now = Number(v.x_timestamp);
  const good = verifyCapcomSignature(v.signing_key, raw, v.x_timestamp, v.x_signature, now, 300);
  const tampered = verifyCapcomSignature(v.signing_key, Buffer.concat([raw, Buffer.from(' ')]), v.x_timestamp, v.x_signature, now, 300);
  const stale = verifyCapcomSignature(v.signing_key, raw, v.x_timestamp, v.x_signature, now + 3600, 300);
  line(t, good.ok && !tampered.ok && !stale.ok, `capcom6 vector: signature ${good.ok ? 'valid' : 'INVALID'}, tampered body ${tampered.ok ? 'ACCEPTED' : 'rejected'}, +1h ${stale.ok ? 'ACCEPTED' : 'rejected (stale)'}`);
  const env = parseCapcomEnvelope(raw);
  if (!env.ok) return void line(t, false, `capcom6 vector: envelope ${env.reason}`);
  const p = capcomSmsReceivedSchema.safeParse(env.envelope.payload);
  if (!p.success || p.data.sender === undefined) return void line(t, false, 'capcom6 vector: payload not sms:received');
  const built = buildSmsMessage(cfg, 'conformance', new RepeatGuard(0), { externalId: env.envelope.id, sender: p.data.sender, rawText: p.data.message, receivedAt: capcomReceivedAt(p.data.receivedAt) ?? '', meta: {} });
  line(t, built.ok && contract(built.message) === 'contract=ok', `capcom6 vector: ${env.envelope.event} id=${env.envelope.id} ${built.ok ? `from ${built.message.sender.phone} text="${built.message.text}" ${contract(built.message)}` : `quarantined ${built.code}`}`);
}

function gammuInbox(dir: string, t: Tally): void {
  for (const sub of readdirSync(dir).sort()) {
    const folder = path.join(dir, sub);
    if (!statSync(folder).isDirectory()) continue;
    const parts: InboxPart[] = [];
    for (const name of readdirSync(folder).sort()) {
      const n = parseInboxName(name, TZ);
      if (!n) {
        line(t, false, `gammu ${sub}/${name}: name not parsed`);
        continue;
      }
      const d = decodeInboxContent(readFileSync(path.join(folder, name)), n.ext);
      if (d.kind === 'text') parts.push({ name: n, text: d.text, firstSeenMs: 0 });
      line(t, d.kind !== 'invalid', `gammu ${sub}/${name}: sender="${n.sender}" serial=${n.serial} part=${n.part} ${d.kind === 'text' ? `${d.encoding} "${d.text.slice(0, 50)}"` : d.kind === 'binary' ? `binary ${d.hex} (→ quarantine)` : d.reason}`);
    }
    for (const m of takeReady(groupParts(parts, 600_000), 10 ** 13, 0).ready) {
      const built = buildSmsMessage(cfg, 'conformance', new RepeatGuard(0), { externalId: m.id, sender: m.sender, rawText: m.text, receivedAt: m.timestampIso, meta: { parts: m.parts.length } });
      const phoneLike = /^[+\d]/.test(m.sender);
      const pass = built.ok ? contract(built.message) === 'contract=ok' : !phoneLike && built.code === 'SMS.SENDER_NOT_PHONE';
      line(t, pass, `gammu ${sub} message ${m.id}: ${m.parts.length} part(s) ${built.ok ? `from ${built.message.sender.phone} "${built.message.text.slice(0, 60)}" ${contract(built.message)}` : `quarantined ${built.code}`}`);
    }
  }
}

function gammuSamples(dir: string, t: Tally): void {
  for (const name of readdirSync(dir).sort()) {
    const buf = readFileSync(path.join(dir, name));
    if (name.startsWith('OUT')) {
      const d = decodeInboxContent(buf, 'txt');
      line(t, d.kind === 'text', `gammu sample ${name}: ${d.kind === 'text' ? `${d.encoding} "${d.text.trim().slice(0, 60)}"` : d.kind}`);
      continue;
    }
    if (name.endsWith('.smsbackup')) {
      // what SMSD writes with InboxFormat=detail: through the connector's own decoder
      const d = decodeInboxContent(buf, 'smsbackup');
      line(t, true, `gammu sample ${name} (as an InboxFormat=detail inbox file): ${d.kind === 'text' ? `text "${d.text.slice(0, 50)}"` : d.kind === 'invalid' ? `quarantine (${d.reason})` : 'binary → quarantine'}`);
    }
    // smsbackup / .backup: TextNN = UCS-2 hex, UDH = hex
    const text = buf.toString('latin1');
    const sections = text.split(/^\[SMSBackup\d+\]/m).slice(1);
    sections.forEach((sec, i) => {
      try {
        const hex = [...sec.matchAll(/^Text\d+ = ([0-9A-Fa-f]*)\s*$/gm)].map((m) => m[1]).join('');
        const udh = /^UDH = ([0-9A-Fa-f]*)/m.exec(sec)?.[1] ?? '';
        const decoded = decodeHexUcs2(hex);
        const c = parseConcatUdh(udh);
        line(t, true, `gammu sample ${name} #${i}: text="${decoded.slice(0, 50)}" udh=${udh === '' ? 'none' : c ? `concat ${c.seq}/${c.total} ref ${c.ref}` : 'no concat element'}`);
      } catch (err) {
        line(t, false, `gammu sample ${name} #${i}: ${(err as Error).message}`);
      }
    });
  }
}

function gammuSql(dir: string, t: Tally): void {
  for (const name of readdirSync(dir).filter((f) => f.startsWith('sqlite.') && f.endsWith('.sql')).sort()) {
    const db = new Database(':memory:');
    try {
      db.exec(readFileSync(path.join(dir, name), 'utf8'));
      const version = Number((db.prepare('SELECT Version FROM gammu').get() as { Version: number }).Version);
      const v18 = version >= 18;
      const hex = (s: string): string => { const b = Buffer.from(s, 'utf16le'); b.swap16(); return b.toString('hex').toUpperCase(); };
      const parts = ['Jalan rusak di ', 'Jl. Malioboro 🚧'];
      const ins = db.prepare(`INSERT INTO inbox (Text, SenderNumber, Coding, UDH, TextDecoded, RecipientID${v18 ? ', MessageID, SequencePosition, PartCount' : ''}) VALUES (?, ?, 'Unicode_No_Compression', ?, ?, 'modem'${v18 ? ', ?, ?, ?' : ''})`);
      [1, 0].forEach((i) => ins.run(hex(parts[i] as string), '+6281234567890', concatUdh(5, 2, i + 1), parts[i], ...(v18 ? [1, i + 1, 2] : [])));
      const rows = db.prepare(inboxSelectSql(v18)).all() as InboxRow[];
      const groups = groupInboxRows(rows, version, 600_000, TZ);
      const text = groups.length === 1 ? [...(groups[0]?.rows.entries() ?? [])].sort((a, b) => a[0] - b[0]).map(([, r]) => rowText(r)).join('') : '';
      const id = writeSqlOutbox(db, { to: '+6281234567890', text: `Aduan Anda nomor ADU-2026-000123 — ${'terima kasih '.repeat(8)}`, creator: 'aduan-conformance', senderId: null });
      const more = (db.prepare('SELECT COUNT(*) AS n FROM outbox_multipart WHERE ID = ?').get(id) as { n: number }).n;
      db.prepare(`UPDATE inbox SET Processed = 'true' WHERE ID = ?`).run(rows[0]?.ID ?? 0);
      line(t, text === parts.join('') && more > 0, `gammu schema ${name} (v${version}): inbox query ok, ${rows.length} rows → ${groups.length} message "${text}", outbox + ${more} outbox_multipart row(s) accepted by the CHECK constraints`);
    } catch (err) {
      line(t, false, `gammu schema ${name}: ${(err as Error).message}`);
    } finally {
      db.close();
    }
  }
}

/** Run every SMS artifact from ../shared/fixtures through the SMS connectors' parsers. */
export async function run(sharedDir: string): Promise<{ ok: boolean }> {
  const fx = path.join(sharedDir, 'fixtures');
  if (!existsSync(fx)) {
    console.log(`sms: skipped (${fx} not found)`);
    return { ok: true };
  }
  const t: Tally = { ok: 0, bad: 0 };
  if (existsSync(path.join(fx, 'twilio'))) {
    twilioVectors(path.join(fx, 'twilio'), t);
    twilioForms(path.join(fx, 'twilio'), t);
  } else console.log('sms: twilio fixtures skipped (not found)');
  if (existsSync(path.join(fx, 'android-sms'))) capcom(path.join(fx, 'android-sms'), t);
  else console.log('sms: android-sms fixtures skipped (not found)');
  const g = path.join(fx, 'gammu');
  if (existsSync(path.join(g, 'synthetic'))) gammuInbox(path.join(g, 'synthetic'), t);
  if (existsSync(path.join(g, 'samples'))) gammuSamples(path.join(g, 'samples'), t);
  if (existsSync(path.join(g, 'sql'))) gammuSql(path.join(g, 'sql'), t);
  console.log(`sms: ${t.ok} ok, ${t.bad} failed`);
  return { ok: t.bad === 0 };
}
