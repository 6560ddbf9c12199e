import Database from 'better-sqlite3';

/** FE FF + UTF-16BE, as SMSD writes with InboxFormat=unicode. */
export function utf16be(text: string): Buffer {
  const le = Buffer.from(text, 'utf16le');
  le.swap16();
  return Buffer.concat([Buffer.from([0xfe, 0xff]), le]);
}

/** UCS-2BE hex as SMSD stores in inbox.Text. */
export function ucs2Hex(text: string): string {
  return utf16be(text).subarray(2).toString('hex').toUpperCase();
}

/**
 * Gammu's SQLite schema, written here from the documented column lists (inbox, outbox,
 * outbox_multipart, sentitems, gammu) for versions 17 and 18; only what the connector touches.
 */
export function createGammuDb(file: string, version: 17 | 18): Database.Database {
  const db = new Database(file);
  const v18 = version === 18;
  db.exec(`
    CREATE TABLE gammu (Version INTEGER NOT NULL DEFAULT 0 PRIMARY KEY);
    INSERT INTO gammu (Version) VALUES (${version});
    CREATE TABLE inbox (
      UpdatedInDB NUMERIC NOT NULL DEFAULT (datetime('now')),
      ReceivingDateTime NUMERIC NOT NULL DEFAULT (datetime('now')),
      ${v18 ? "InsertIntoDB NUMERIC NOT NULL DEFAULT (datetime('now')),": ''}
      Text TEXT NOT NULL,
      SenderNumber TEXT NOT NULL DEFAULT '',
      Coding TEXT NOT NULL DEFAULT 'Default_No_Compression',
      UDH TEXT NOT NULL,
      SMSCNumber TEXT NOT NULL DEFAULT '',
      Class INTEGER NOT NULL DEFAULT -1,
      TextDecoded TEXT NOT NULL DEFAULT '',
      ID INTEGER PRIMARY KEY AUTOINCREMENT,
      ${v18 ? 'MessageID INTEGER NOT NULL DEFAULT 0, SequencePosition INTEGER NOT NULL DEFAULT 1, PartCount INTEGER NOT NULL DEFAULT 1,' : ''}
      RecipientID TEXT NOT NULL,
      Processed TEXT NOT NULL DEFAULT 'false',
      Status INTEGER NOT NULL DEFAULT -1
    );
    CREATE TABLE outbox (
      UpdatedInDB NUMERIC NOT NULL DEFAULT (datetime('now')),
      InsertIntoDB NUMERIC NOT NULL DEFAULT (datetime('now')),
      SendingDateTime NUMERIC NOT NULL DEFAULT (datetime('now')),
      SendBefore time NOT NULL DEFAULT '23:59:59',
      SendAfter time NOT NULL DEFAULT '00:00:00',
      ${v18 ? 'SendDays INTEGER NOT NULL DEFAULT 127,' : ''}
      Text TEXT,
      DestinationNumber TEXT NOT NULL DEFAULT '',
      Coding TEXT NOT NULL DEFAULT 'Default_No_Compression',
      UDH TEXT,
      Class INTEGER DEFAULT -1,
      TextDecoded TEXT NOT NULL DEFAULT '',
      ID INTEGER PRIMARY KEY AUTOINCREMENT,
      MultiPart TEXT NOT NULL DEFAULT 'false',
      RelativeValidity INTEGER DEFAULT -1,
      SenderID TEXT,
      SendingTimeOut NUMERIC NOT NULL DEFAULT (datetime('now')),
      DeliveryReport TEXT DEFAULT 'default',
      CreatorID TEXT NOT NULL,
      Retries INTEGER DEFAULT 0,
      Priority INTEGER DEFAULT 0,
      Status TEXT NOT NULL DEFAULT 'Reserved',
      StatusCode INTEGER NOT NULL DEFAULT -1
    );
    CREATE TABLE outbox_multipart (
      Text TEXT,
      Coding TEXT NOT NULL DEFAULT 'Default_No_Compression',
      UDH TEXT,
      Class INTEGER DEFAULT -1,
      TextDecoded TEXT DEFAULT NULL,
      ID INTEGER,
      SequencePosition INTEGER NOT NULL DEFAULT 1,
      Status TEXT NOT NULL DEFAULT 'Reserved',
      StatusCode INTEGER NOT NULL DEFAULT -1,
      PRIMARY KEY (ID, SequencePosition)
    );
    CREATE TABLE sentitems (
      Text TEXT NOT NULL, DestinationNumber TEXT NOT NULL DEFAULT '', TextDecoded TEXT NOT NULL DEFAULT '',
      ID INTEGER, SenderID TEXT NOT NULL, SequencePosition INTEGER NOT NULL DEFAULT 1, CreatorID TEXT NOT NULL,
      UDH TEXT NOT NULL DEFAULT '', Status TEXT NOT NULL DEFAULT 'SendingOK', StatusError INTEGER NOT NULL DEFAULT -1,
      PRIMARY KEY (ID, SequencePosition)
    );
  `);
  return db;
}

export interface InboxInsert {
  sender: string;
  text: string;
  udh?: string;
  coding?: string;
  decoded?: boolean;
  at?: string;
  messageId?: number;
  seq?: number;
  count?: number;
  klass?: number;
}

/**
 * What SMSD does with an `outbox` message once it has tried to send it: every part (the `outbox` row,
 * its `outbox_multipart` rows) moves to `sentitems` under the same ID, with the sending status.
 */
export function smsdSent(db: Database.Database, creatorId: string, status: string, statusError = -1): number {
  const head = db.prepare('SELECT * FROM outbox WHERE CreatorID = ?').get(creatorId) as Record<string, unknown> | undefined;
  if (!head) throw new Error(`no outbox row of ${creatorId}`);
  const parts = [{ ...head, SequencePosition: 1 }, ...(db.prepare('SELECT * FROM outbox_multipart WHERE ID = ? ORDER BY SequencePosition').all(head['ID']) as Record<string, unknown>[])];
  const add = db.prepare(`INSERT INTO sentitems (Text, DestinationNumber, TextDecoded, ID, SenderID, SequencePosition, CreatorID, UDH, Status, StatusError) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`);
  db.transaction(() => {
    for (const p of parts) add.run(p['Text'] ?? '', head['DestinationNumber'], p['TextDecoded'] ?? '', head['ID'], head['SenderID'] ?? '', p['SequencePosition'], creatorId, p['UDH'] ?? '', status, statusError);
    db.prepare('DELETE FROM outbox_multipart WHERE ID = ?').run(head['ID']);
    db.prepare('DELETE FROM outbox WHERE ID = ?').run(head['ID']);
  })();
  return Number(head['ID']);
}

/** Insert one physical part the way SMSD does (Text = UCS-2 hex, TextDecoded = UTF-8). */
export function insertInbox(db: Database.Database, version: 17 | 18, r: InboxInsert): number {
  const cols = ['ReceivingDateTime', 'Text', 'SenderNumber', 'Coding', 'UDH', 'TextDecoded', 'RecipientID', 'Class'];
  const vals: unknown[] = [r.at ?? '2026-03-04 10:00:00', r.coding === '8bit' ? Buffer.from(r.text).toString('hex') : ucs2Hex(r.text), r.sender, r.coding ?? 'Default_No_Compression', r.udh ?? '', r.decoded === false ? '' : r.text, 'modem1', r.klass ?? -1];
  if (version === 18) {
    cols.push('MessageID', 'SequencePosition', 'PartCount');
    vals.push(r.messageId ?? 0, r.seq ?? 1, r.count ?? 1);
  }
  const info = db.prepare(`INSERT INTO inbox (${cols.join(',')}) VALUES (${cols.map(() => '?').join(',')})`).run(...vals);
  return Number(info.lastInsertRowid);
}

/** An smsbackup file (InboxFormat=detail) holding the given parts, as SMSD writes it. */
export function smsBackup(sender: string, parts: { text: string; udh?: string; coding?: string; pdu?: string }[]): string {
  const lines = ['; This file format was designed for Gammu and is compatible with Gammu+', ''];
  parts.forEach((p, i) => {
    lines.push(`[SMSBackup${String(i).padStart(3, '0')}]`, `; ${p.text}`, 'SMSC = "+6281100000"', 'Sent = 20260304T101500', 'State = UnRead', `Number = "${sender}"`, 'Name = ""');
    lines.push(`UDH = ${p.udh ?? ''}`);
    const hex = p.coding === '8bit' ? Buffer.from(p.text).toString('hex').toUpperCase() : ucs2Hex(p.text);
    for (let k = 0; k * 200 < Math.max(hex.length, 1); k++) lines.push(`Text${String(k).padStart(2, '0')} = ${hex.slice(k * 200, k * 200 + 200)}`);
    lines.push(`Coding = ${p.coding ?? 'Unicode'}`, `PDU = ${p.pdu ?? 'Deliver'}`, 'Folder = 1', 'Class = -1', '');
  });
  return lines.join('\n');
}
