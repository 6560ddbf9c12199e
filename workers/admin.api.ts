import { timingSafeEqual, createHash } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import express, { type NextFunction, type Request, type Response } from 'express';
import { typedCaseNumber } from '../core/case-number.ts';
import { adminApiEnabled } from '../core/config/listen.ts';
import { OFFICER_NAME, type AduanConfig } from '../core/config/schema.ts';
import type { Db } from '../core/db/client.ts';
import { AduanError, badPathError, isAduanError, malformedPath } from '../core/errors.ts';
import { LIMITS } from '../core/limits.ts';
import type { StaffCommand } from '../core/lifecycle/commands.ts';
import { officerClassify, officerCommand, officerSetStatus } from '../core/lifecycle/service.ts';
import type { Logger } from '../core/logger.ts';
import { caseDetail, listCases, type CaseFilter } from '../core/repo/cases.repo.ts';
import { findContacts } from '../core/repo/contacts.repo.ts';
import { toE164 } from '../core/phone.ts';
import { listenOn } from '../core/webhook-server.ts';

function sameSecret(a: string, b: string): boolean {
  const ha = createHash('sha256').update(a).digest();
  const hb = createHash('sha256').update(b).digest();
  return timingSafeEqual(ha, hb);
}

const str = (v: unknown, field: string): string => {
  if (typeof v !== 'string' || v.trim() === '') throw new AduanError('INPUT.INVALID', { field, detail: 'is required' });
  return v.trim();
};

/** How to send a name that is not plain ASCII: said wherever such a name is refused. */
const HOW_TO_SEND = 'letters outside ASCII go percent-encoded as UTF-8 (X-Officer: Sri%20R%C3%A9jeki for "Sri Réjeki"): HTTP header bytes are not read as UTF-8';

/**
 * X-Officer as a name: ASCII as sent ("Siti Nur'aini"), any other letters percent-encoded UTF-8
 * ("Sri%20R%C3%A9jeki"), NFC. Raw bytes above ASCII (a client sending UTF-8 or latin1 as is: Node reads
 * header bytes as latin1, so "Réjeki" would be recorded as "RÃ©jeki") and a malformed or non-UTF-8
 * %-escape are refused, saying how to send the name.
 */
function claimedName(header: string | undefined): string | undefined {
  const raw = header?.trim();
  if (!raw) return undefined;
  // (raw bytes above ASCII are refused before anything is decoded; control characters fail the name's rule below)
  if (/[^\p{ASCII}]/u.test(raw)) throw new AduanError('INPUT.INVALID', { field: 'X-Officer', detail: `not plain ASCII: ${HOW_TO_SEND}` });
  let name = raw;
  if (raw.includes('%')) {
    try {
      name = decodeURIComponent(raw);
    } catch {
      throw new AduanError('INPUT.INVALID', { field: 'X-Officer', detail: `a malformed %-escape or one that is not UTF-8: ${HOW_TO_SEND}` });
    }
  }
  return name.normalize('NFC').trim();
}

/**
 * Who acts, for the case record. An officer's own token (admin.officers) is that officer: `api:<name>`
 * (an X-Officer naming someone else is refused). The shared admin.token is `api:admin`, and with
 * X-Officer `api:admin:<name>` — the caller's word, recorded as such, checked to be a plain name.
 */
function actorFor(officer: string | undefined, header: string | undefined): string {
  const claimed = claimedName(header);
  if (officer !== undefined) {
    if (claimed && claimed.toLowerCase() !== officer.normalize('NFC').toLowerCase()) {
      throw new AduanError('INPUT.INVALID', { field: 'X-Officer', detail: `this token is ${officer}'s: leave X-Officer out or send that name` });
    }
    return `api:${officer}`;
  }
  if (!claimed) return 'api:admin';
  if (!OFFICER_NAME.test(claimed)) {
    throw new AduanError('INPUT.INVALID', { field: 'X-Officer', detail: `a name of 1 to 60 letters (any script), digits, spaces or . ' _ @ -, starting with a letter or digit; ${HOW_TO_SEND} (or give the officer a token of their own in admin.officers)` });
  }
  return `api:admin:${claimed}`;
}

/** Officer tools over HTTP (mirrors the CLI), bearer tokens from admin.token / admin.officers; off unless configured. */
export async function startAdminApi(deps: { config: Readonly<AduanConfig>; db: Db; logger: Logger; outboundChannels: ReadonlySet<string> }): Promise<{ close(): Promise<void>; port: number }> {
  const { config, db, logger } = deps;
  const identities: { token: string; officer: string | undefined }[] = [
    ...(config.admin.token === undefined ? [] : [{ token: config.admin.token, officer: undefined }]),
    ...(config.admin.officers ?? []).map((o) => ({ token: o.token, officer: o.name })),
  ];
  const ld = { config, db, outboundChannels: deps.outboundChannels };
  const app = express();
  app.disable('x-powered-by');
  app.use((req, res, next) => {
    const auth = req.get('authorization') ?? '';
    const given = auth.startsWith('Bearer ') ? auth.slice(7) : '';
    // (every token compared, so the time taken says nothing about which one nearly matched)
    const matches = identities.filter((i) => sameSecret(given, i.token));
    if (given === '' || matches.length !== 1) {
      res.status(401).json({ error: { code: 'AUTH.SIGNATURE_INVALID', message: 'Missing or wrong bearer token' } });
      return;
    }
    res.locals['actor'] = actorFor(matches[0]!.officer, req.get('x-officer'));
    // a malformed %-escape in the path ("/admin/cases/%E0%A4%A") cannot be decoded into :number — it was
    // express's URIError: 500 "Internal error" and an error in the log
    next(malformedPath(req.path) ? badPathError() : undefined);
  });
  app.use(express.json({ limit: LIMITS.httpBodyMaxBytes }));
  const officer = (_req: Request, res: Response): string => String(res.locals['actor']);
  // (the number as typed, read as the CLI and citizens' messages are: /admin/cases/adu%202026%201 is ADU-2026-000001)
  const caseNumberOf = (req: Request): string => typedCaseNumber(String(req.params['number'])) ?? String(req.params['number']);
  const query = (req: Request, key: string): string | undefined => (typeof req.query[key] === 'string' ? req.query[key] : undefined);
  app.get('/admin/cases', (req, res) => {
    const limit = typeof req.query['limit'] === 'string' ? Number(req.query['limit']) : 1000;
    if (!Number.isInteger(limit) || limit < 1 || limit > 100_000) throw new AduanError('INPUT.INVALID', { field: 'limit', detail: 'a whole number from 1 to 100000' });
    const filter: CaseFilter = {};
    for (const key of ['status', 'division', 'kind'] as const) {
      const v = query(req, key);
      if (v) filter[key] = v;
    }
    res.json(listCases(db, { ...filter, limit }));
  });
  // (a citizen asking after their reports without the case number: aduan cases find)
  app.get('/admin/citizens', (req, res) => {
    const q: Parameters<typeof findContacts>[1] = {};
    const phone = query(req, 'phone');
    if (phone !== undefined) {
      const e164 = toE164(phone, config.instance.phoneRegion);
      if (e164 === null) throw new AduanError('INPUT.INVALID', { field: 'phone', detail: 'a phone number such as 081234567890 or +6281234567890' });
      q.phone = e164;
    }
    const email = query(req, 'email');
    if (email !== undefined) q.email = email;
    const telegram = query(req, 'telegram');
    if (telegram !== undefined) q.telegramChatId = telegram;
    const name = query(req, 'name');
    if (name !== undefined) {
      if (name.trim().length < 3) throw new AduanError('INPUT.INVALID', { field: 'name', detail: 'at least 3 letters of the name' });
      q.name = name;
    }
    if (Object.keys(q).length === 0) throw new AduanError('INPUT.INVALID', { field: 'query', detail: 'give phone, email, telegram or name' });
    const found = findContacts(db, q);
    // (who looked citizens up, by what and how many: not whom — the log keeps no personal data)
    logger.info({ officer: officer(req, res), by: Object.keys(q), found: found.length }, 'citizen lookup');
    res.json(found.map((c) => ({
      contact: { name: c.name, phone: c.phone, email: c.email, telegramChatId: c.telegramChatId, ...(c.claimed ? { claimed: true } : {}) },
      cases: listCases(db, { contactIds: [c.id], limit: 1000 }),
    })));
  });
  app.get('/admin/cases/:number', (req, res) => {
    const number = caseNumberOf(req);
    const d = caseDetail(db, number);
    if (!d) throw new AduanError('CASE.NOT_FOUND', { number });
    res.json(d);
  });
  app.post('/admin/cases/:number/commands', (req, res) => {
    const b = (req.body ?? {}) as Record<string, unknown>;
    const kind = str(b['command'], 'command');
    let cmd: StaffCommand;
    if (kind === 'kaji') cmd = { kind, note: typeof b['note'] === 'string' ? b['note'] : '' };
    else if (kind === 'tindakan') cmd = { kind, cause: str(b['cause'], 'cause'), plan: str(b['plan'], 'plan'), owner: str(b['owner'], 'owner'), due: typeof b['due'] === 'string' ? b['due'] : null };
    else if (kind === 'selesai') cmd = { kind, result: str(b['result'], 'result') };
    else if (kind === 'catatan') cmd = { kind, text: str(b['text'], 'text') };
    else if (kind === 'alihkan') cmd = { kind, division: str(b['division'], 'division') };
    else if (kind === 'bukan-aduan' || kind === 'bukan-berulang' || kind === 'berulang') cmd = { kind, note: typeof b['note'] === 'string' ? b['note'] : '' };
    else throw new AduanError('INPUT.INVALID', { field: 'command', detail: 'kaji | tindakan | selesai | catatan | alihkan | bukan-aduan | bukan-berulang | berulang' });
    const r = officerCommand(ld, caseNumberOf(req), cmd, officer(req, res));
    res.json({ number: r.kase.number, status: r.kase.status, confirmation: r.confirmation });
  });
  app.post('/admin/cases/:number/status', (req, res) => {
    const b = (req.body ?? {}) as Record<string, unknown>;
    const k = officerSetStatus(ld, caseNumberOf(req), str(b['status'], 'status'), typeof b['note'] === 'string' ? b['note'] : null, officer(req, res));
    res.json({ number: k.number, status: k.status });
  });
  app.post('/admin/cases/:number/classify', (req, res) => {
    const body = (req.body ?? {}) as Record<string, unknown>;
    const label = str(body['label'], 'label');
    if (!['complaint', 'statement', 'question', 'spam'].includes(label)) throw new AduanError('INPUT.INVALID', { field: 'label', detail: 'complaint | statement | question | spam' });
    const division = body['division'] === undefined ? undefined : str(body['division'], 'division');
    const k = officerClassify(ld, caseNumberOf(req), label as 'complaint', officer(req, res), division);
    res.json({ number: k.number, status: k.status, kind: k.kind, division: k.divisionId, copies: k.copies });
  });
  app.use((err: unknown, _req: Request, res: Response, _next: NextFunction) => {
    if (isAduanError(err) || err instanceof URIError) {
      const e = isAduanError(err) ? err : badPathError();
      res.status(e.status).json({ error: e.toJSON() });
      return;
    }
    const type = (err as { type?: string }).type;
    if (type === 'entity.parse.failed') {
      res.status(400).json({ error: { code: 'INPUT.JSON', message: 'Request body is not valid JSON' } });
      return;
    }
    if (type === 'entity.too.large') {
      // (the caller sent too much: a 413 that says so, not an "Internal error" and an error in the log)
      res.status(413).json({ error: new AduanError('INPUT.TOO_LARGE', { limit: LIMITS.httpBodyMaxBytes }).toJSON() });
      return;
    }
    logger.error({ err }, 'admin api error');
    res.status(500).json({ error: { code: 'INTERNAL', message: 'Internal error' } });
  });
  const server: Server = createServer(app);
  await listenOn(server, config.admin.listen.port, config.admin.listen.host);
  const addr = server.address();
  logger.info({ host: config.admin.listen.host, port: config.admin.listen.port }, 'admin API listening');
  return {
    port: typeof addr === 'object' && addr ? addr.port : config.admin.listen.port,
    close: () => new Promise<void>((r) => {
      server.close(() => r());
      server.closeAllConnections();
    }),
  };
}

export { adminApiEnabled };
