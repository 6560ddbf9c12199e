import { createHash, randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import express, { type NextFunction, type Request, type Response } from 'express';
import type { ConnectorContext } from '../../core/connector.ts';
import { AduanError, badPathError, isAduanError, malformedPath } from '../../core/errors.ts';
import { namedCaseNumber } from '../../core/case-number.ts';
import { publicBase } from '../../core/status-link.ts';
import { LIMITS } from '../../core/limits.ts';
import { ingestId, sameUndigestedWebReport, type InboundMessageInput } from '../../core/message.ts';
import type { WebConfig } from './web.config.ts';
import { checkSignature, cutFormFields, decodeBody, parseIdempotencyKey, parseSubmission, readLimited, signatureHeader, type WebSubmission } from './web.parse.ts';
import { badAddressPage, caseStatusPage, errorPage, formPage, notFoundPage, sizeText, statusPage, type FormValues, type PhotoField, type WithheldPhoto } from './web.pages.ts';
import { isMultipart, multipartBoundary } from './web.multipart.ts';
import { attachmentsOf, base64JsonBytes, readApiPhotos, readUpload, type ReceivedPhoto, type UploadLimits, type UploadRefusal } from './web.upload.ts';
import { clientKey, PROOF_CASE_BUDGET, PROOF_CASE_REFILL_MS, PROOF_CLIENT_FAILURES, PROOF_FAILURES_BEFORE_LOCK, PROOF_LOCK_MS, PROOF_NET48_FAILURES, net48Of, ProofGuard, RateLimiter, type ProofLockScope } from './web.rate-limit.ts';

const ID = /^[0-9a-f]{32}$/;
/** At most one line this often about API requests refused while the queue is unavailable. */
const REFUSED_LOG_EVERY_MS = 60_000;
/** Retry-After (seconds) of a POST /v1/messages with photos refused while largeBodiesInFlight others are read. */
export const BUSY_RETRY_SECONDS = 10;

/**
 * Requests that sent `Expect: 100-continue` (curl and PHP's curl do with a large body) whose `100 Continue`
 * the app writes itself (index.ts: the server's checkContinue): only once their body will be read, so a
 * POST /v1/messages refused for want of a slot is answered before its photos are sent.
 */
export const awaitingContinue = new WeakSet<IncomingMessage>();

/** The web channel's HTTP app: public form, JSON API, status pages. Answers 2xx only once Redis holds the job. */
export function createWebApp(config: WebConfig, ctx: ConnectorContext): { app: express.Express; limiter: RateLimiter } {
  const app = express();
  const limiter = new RateLimiter(config.rateLimit.perMinute);
  const signedLimiter = new RateLimiter(config.rateLimit.signedPerMinute);
  const instance = ctx.config.instance.name;
  app.disable('x-powered-by');
  /** The client waiting for `100 Continue` is told to send its body. */
  const goOn = (req: Request, res: Response): void => {
    if (awaitingContinue.delete(req)) res.writeContinue();
  };
  // (POST /v1/messages says it in largeBodySlot, once it knows the body will be read)
  app.use((req, res, next) => {
    if (!(req.method === 'POST' && req.path === '/v1/messages')) goOn(req, res);
    next();
  });
  // Pages without scripts, styled inline, posting only to this channel: a browser runs nothing else on
  // them, sends their forms nowhere else, and lets only embedFrom's sites frame them
  const csp = `default-src 'none'; style-src 'unsafe-inline'; img-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors ${["'self'", ...config.embedFrom].join(' ')}`;
  app.use((_req, res, next) => {
    res.set({ 'Content-Security-Policy': csp, 'X-Content-Type-Options': 'nosniff' });
    next();
  });
  // JSON answers are tiny and never cached: an ETag (a hash of every body) is pure cost here.
  app.set('etag', false);
  app.set('trust proxy', config.trustProxy);
  const raw = express.raw({ type: () => true, limit: LIMITS.webBodyMaxBytes });
  // a browser asking for a page gets one in Indonesian; the API's paths and programs keep JSON
  const wantsPage = (req: Request): boolean => !req.path.startsWith('/v1/') && req.accepts(['json', 'html']) === 'html';

  // Behind nginx without trustProxy every visitor is the proxy's address: one per-minute limit and one
  // status-page budget of wrong proofs for the whole city (ten wrong proofs from anyone would lock everyone
  // out of the status page for a day). Said once, at the first proxied request, with what to set.
  let proxyWarned = config.trustProxy > 0;
  app.use((req, _res, next) => {
    if (!proxyWarned && req.get('x-forwarded-for') !== undefined && /^(127\.|::1$|::ffff:127\.)/.test(req.socket.remoteAddress ?? '')) {
      proxyWarned = true;
      ctx.logger.warn({ channel: config.id }, `requests arrive through a proxy on this host (X-Forwarded-For) but trustProxy is 0: every visitor counts as the proxy's address for the rate limit and the status page's wrong-proof locks, so one visitor's guesses lock out all. Set trustProxy: 1 on channel ${config.id} (the number of proxies in front)`);
    }
    next();
  });

  // A malformed %-escape in the path (a link cut short when copied, a scanner): a route's parameter
  // could not be decoded — express's URIError was a 500 "Internal error" and an error in the log.
  app.use((req, _res, next) => {
    next(malformedPath(req.path) ? badPathError() : undefined);
  });

  const build = (s: WebSubmission, externalId: string, req: Request, fromForm: boolean): InboundMessageInput => {
    const msg: InboundMessageInput = {
      connectorId: config.id, channel: 'web', externalId, receivedAt: new Date().toISOString(),
      sender: {}, text: s.text, attachments: [], meta: { userAgent: String(req.get('user-agent') ?? '').slice(0, 200) },
    };
    if (s.name !== undefined) msg.sender.name = s.name;
    if (s.phone !== undefined) msg.sender.phone = s.phone;
    if (s.email !== undefined) msg.sender.email = s.email;
    if (s.subject !== undefined) msg.subject = s.subject;
    // A bot filled the hidden field: recorded as spam by the intake, never forwarded or answered.
    // (the honeypot is the public form's: the website's signed API may send a field named "website")
    if (s.honeypot && fromForm) msg.meta = { ...msg.meta, honeypot: true };
    return msg;
  };

  /**
   * What a submission says (text, sender, subject, the photos' bytes): the same report sent again has the
   * same digest (hex sha256); one without photos has the digest it had before photos were taken.
   */
  const submissionDigest = (s: WebSubmission, photos: readonly ReceivedPhoto[] = []): string => {
    const digest = createHash('sha256').update([s.text, s.name, s.phone, s.email, s.subject].map((x) => x ?? '').join('\u0000')).digest('hex');
    return photos.length === 0 ? digest : createHash('sha256').update(digest).update(photos.map((p) => `\u0000${p.digest}`).join('')).digest('hex');
  };

  const rateCheck = (req: Request, signed = false): void => {
    if ((signed ? config.rateLimit.signedPerMinute : config.rateLimit.perMinute) === 0) return;
    const wait = (signed ? signedLimiter : limiter).hit(clientKey(req.ip));
    if (wait > 0) throw new AduanError('RATE.LIMITED', { seconds: wait });
  };
  const proofs = new ProofGuard();
  // (this channel's publicUrl, else the older instance.publicUrl: the links the acknowledgements carry, core/status-link.ts)
  const publicUrl = publicBase(config) ?? publicBase(ctx.config.instance);
  /** A wrong proof (or status link) for `nomor` from `client`: counted, and a lock it sets is logged. */
  const wrongProof = (client: string, nomor: string): void => {
    for (const scope of proofs.failed(client, nomor)) {
      if (scope === 'pair') ctx.logger.warn({ caseNumber: nomor, client }, `status page: ${PROOF_FAILURES_BEFORE_LOCK} wrong proofs for one case number from one client; that client is locked out of it for ${PROOF_LOCK_MS / 60_000} minutes (someone guessing?)`);
      else if (scope === 'client') ctx.logger.warn({ caseNumber: nomor, client }, `status page: ${PROOF_CLIENT_FAILURES} wrong proofs from one client within 24 hours (at any case numbers); it is locked out of the status page until 24 hours after its first (someone guessing?)`);
      else if (scope === 'net48') ctx.logger.warn({ caseNumber: nomor, client, net: net48Of(client) }, `status page: ${PROOF_NET48_FAILURES} wrong proofs within 24 hours from one IPv6 /48 (${net48Of(client)}, from many of its /64 clients: someone guessing with many addresses?); the whole /48 is locked out of the status page until 24 hours after its first — citizens on the same network too. Find the addresses in the proxy's access log for POST /status and GET /status/… and block them there`);
      else ctx.logger.warn({ caseNumber: nomor, client }, `status page: ${PROOF_CASE_BUDGET} wrong proofs for case ${nomor} from many clients — someone is guessing its proof from many addresses. The number is locked for everyone, its citizen too, while the guessing goes on (one wrong proof is let through every ${Math.round(PROOF_CASE_REFILL_MS / PROOF_CASE_BUDGET / 60_000)} minutes); find the addresses in the proxy's access log for POST /status and GET /status/… and block them there`);
    }
  };
  let untimestampedWarned = 0;
  /** The old X-Signature form refused (allowUntimestampedSignature false): the sysadmin must hear why the website's submissions are refused. */
  const untimestamped = (): AduanError => {
    if (Date.now() - untimestampedWarned > 60_000) {
      untimestampedWarned = Date.now();
      ctx.logger.warn({ code: 'AUTH.SIGNATURE_UNTIMESTAMPED' }, 'POST /v1/messages refused: the website signs without a timestamp (X-Signature: sha256=…). Have it send X-Signature: t=<unix seconds>,sha256=<hex HMAC-SHA256 of "<t>.<raw body>">, or set allowUntimestampedSignature: true on this channel until it does');
    }
    return new AduanError('AUTH.SIGNATURE_UNTIMESTAMPED');
  };
  const signatureOf = (body: Buffer, header: string | undefined, secret: string): { timestamped: boolean; mac: string; t: number } => {
    const nowSeconds = Math.floor(Date.now() / 1000);
    const check = checkSignature(body, header, secret, { nowSeconds, toleranceSeconds: config.signatureToleranceSeconds, allowUntimestamped: config.allowUntimestampedSignature });
    if (check.ok) return { timestamped: check.timestamped, mac: check.mac, t: check.timestamped ? check.t : nowSeconds };
    if (check.reason === 'untimestamped') throw untimestamped();
    if (check.reason === 'expired') throw new AduanError('AUTH.SIGNATURE_EXPIRED', { t: check.t, skew: check.skew, tolerance: config.signatureToleranceSeconds });
    throw new AduanError('AUTH.SIGNATURE_INVALID');
  };

  app.get('/healthz', (_req, res) => {
    res.json({ ok: true, channel: config.id });
  });

  // The form's photos: at most LIMITS.webPhotosMax, each at most storage.maxAttachmentBytes. Without an
  // allowed image type (storage.allowedTypes) the form has no photo field.
  const photoMaxBytes = Math.min(ctx.config.storage.maxAttachmentBytes, LIMITS.attachmentMaxBytes);
  const uploadLimits: UploadLimits = {
    maxFiles: LIMITS.webPhotosMax, maxFileBytes: photoMaxBytes, maxTotalBytes: Math.min(LIMITS.webPhotosMax * photoMaxBytes, LIMITS.webPhotosTotalMaxBytes),
    fieldBytes: LIMITS.webBodyMaxBytes, drainMaxBytes: LIMITS.webUploadDrainMaxBytes, allowedTypes: ctx.config.storage.allowedTypes,
  };
  const takesPhotos = ['image/jpeg', 'image/png', 'image/webp', 'image/heic'].some((type) => ctx.config.storage.allowedTypes.some((t) => type.startsWith(t.toLowerCase())));
  const photoField: PhotoField | undefined = takesPhotos ? { maxFiles: uploadLimits.maxFiles, maxFileBytes: uploadLimits.maxFileBytes } : undefined;
  const form = (values: FormValues, error: string | undefined, token: string): string => formPage(instance, values, error, token, photoField);

  app.get('/', (_req, res) => {
    // a fresh token per form shown; never cached, so a reload is a new form
    res.set('Cache-Control', 'no-store').type('html').send(form({}, undefined, randomUUID()));
  });

  // The API's photos come as base64 in its JSON (signed with the rest): its body may hold the photos
  // the form takes (four characters for three bytes) beside the 128 KiB of text fields, no more.
  const apiBodyMaxBytes = takesPhotos ? LIMITS.webBodyMaxBytes + Math.ceil(base64JsonBytes(uploadLimits.maxTotalBytes)) + uploadLimits.maxFiles * 4096 : LIMITS.webBodyMaxBytes;
  const apiRaw = express.raw({ type: () => true, limit: apiBodyMaxBytes });

  // Such a body is held whole in memory while it is read (the signature covers the raw body) and some
  // four times over while parsed (its text, the JSON, the photos decoded): with three 10 MB photos about
  // 200 MB of the process each. At most largeBodiesInFlight of them at once (a body over 128 KiB, or of
  // unknown length: chunked); one more is answered 503 WEB.BUSY with Retry-After at once, its body not
  // kept (not even asked for, with Expect: 100-continue). Bodies without photos are not counted.
  let largeInFlight = 0;
  let busy = 0;
  let busyLoggedAt = -Infinity;
  const logBusy = (): void => {
    busy++;
    const now = Date.now();
    if (now - busyLoggedAt < REFUSED_LOG_EVERY_MS) return;
    ctx.logger.warn({ code: 'WEB.BUSY', refused: busy, largeBodiesInFlight: config.largeBodiesInFlight }, busy === 1
      ? `POST /v1/messages with photos answered 503 (Retry-After ${BUSY_RETRY_SECONDS} s; the website retries): ${config.largeBodiesInFlight} such requests were being read already (largeBodiesInFlight). Each is held whole in memory while read, up to ${Math.ceil(apiBodyMaxBytes / 1048576)} MB, a few times that while parsed. Frequent, with memory to spare: raise largeBodiesInFlight on channel ${config.id}`
      : `${busy} requests with photos answered 503 since the last such line: largeBodiesInFlight (${config.largeBodiesInFlight}) others were being read; the website retries`);
    busy = 0;
    busyLoggedAt = now;
  };
  // A slot's body must keep coming (LIMITS.webLargeBodyGraceMs, then LIMITS.webLargeBodyMinBytesPerSecond):
  // else a request with a well-formed but forged X-Signature (or any, on a channel without hmacSecret)
  // could trickle its body in for the server's whole requestTimeout (5 minutes) and hold a slot, and the
  // website's photos were answered WEB.BUSY meanwhile. One too slow is answered 408 and its slot freed.
  let slow = 0;
  let slowLoggedAt = -Infinity;
  const logSlow = (req: Request, e: AduanError): void => {
    slow++;
    const now = Date.now();
    if (now - slowLoggedAt < REFUSED_LOG_EVERY_MS) return;
    ctx.logger.warn({ code: 'WEB.BODY_TIMEOUT', cut: slow, client: clientKey(req.ip), received: e.details['received'], length: e.details['length'], seconds: e.details['seconds'] }, slow === 1
      ? `POST /v1/messages with photos cut off with 408: its body came too slowly (${String(e.details['received'])} of ${String(e.details['length'])} bytes in ${String(e.details['seconds'])} s; at least ${LIMITS.webLargeBodyMinBytesPerSecond / 1024} KiB a second after the first ${LIMITS.webLargeBodyGraceMs / 1000} s) and its largeBodiesInFlight slot freed. From the website's server: its upload to this channel is too slow for photos (check its link, or put nginx in front: it reads the body before passing it on); from elsewhere: someone holding the slots, see the proxy's access log for this client`
      : `${slow} requests with photos cut off with 408 since the last such line: their bodies came too slowly to keep a largeBodiesInFlight slot`);
    slow = 0;
    slowLoggedAt = now;
  };
  /** Cuts off `req`'s body if it stops coming; `release` frees its slot (once). */
  const bodyDeadline = (req: Request, res: Response, release: () => void): void => {
    const socket = req.socket;
    const start = Date.now();
    // (the socket's bytes since the headers: the body so far)
    const base = socket.bytesRead;
    const grace = LIMITS.webLargeBodyGraceMs;
    const rate = LIMITS.webLargeBodyMinBytesPerSecond;
    let timer: NodeJS.Timeout | undefined;
    const check = (): void => {
      timer = undefined;
      if (req.complete || res.headersSent || socket.destroyed) return;
      const received = socket.bytesRead - base;
      const wait = start + grace + (received / rate) * 1000 - Date.now();
      if (wait > 0) {
        timer = setTimeout(check, Math.ceil(wait));
        return;
      }
      release();
      const declared = Number(req.get('content-length'));
      const e = new AduanError('WEB.BODY_TIMEOUT', { received, length: Number.isFinite(declared) ? declared : 'unknown', seconds: Math.round((Date.now() - start) / 1000), grace: grace / 1000, rate });
      logSlow(req, e);
      // the rest of the body is not read: the connection is closed once the answer is out
      res.set('Connection', 'close').status(e.status).json({ error: { code: e.code, message: e.message } });
    };
    timer = setTimeout(check, grace);
    const stop = (): void => clearTimeout(timer);
    req.once('end', stop);
    res.once('close', stop);
  };

  const largeBodySlot = (req: Request, res: Response, next: NextFunction): void => {
    const declared = req.get('content-length');
    const length = declared === undefined ? Number.NaN : Number(declared);
    // A signed channel: a request whose X-Signature is no signature at all (none, malformed, the old form
    // not allowed) is refused as it would be once read — before it takes a slot or is asked for its body.
    // Else anyone could hold every slot with bodies trickled in slowly (the signature is checked only once
    // the body is read), and the website's photos were answered WEB.BUSY for as long as they liked.
    if (config.hmacSecret !== undefined) {
      const header = signatureHeader(req.get('x-signature'));
      if (header === undefined || (header.form === 'untimestamped' && !config.allowUntimestampedSignature)) {
        try {
          rateCheck(req); // (a flood of unsigned requests is limited like the public form)
          next(header === undefined ? new AduanError('AUTH.SIGNATURE_INVALID') : untimestamped());
        } catch (err) {
          next(err);
        }
        return;
      }
    }
    // a body declared over the limit is refused unread (413), its sender not told to send it ("100 Continue")
    if (length > apiBodyMaxBytes) {
      next(new AduanError('INPUT.TOO_LARGE', { limit: apiBodyMaxBytes }));
      return;
    }
    const large = apiBodyMaxBytes > LIMITS.webBodyMaxBytes && !(length <= LIMITS.webBodyMaxBytes);
    if (large && largeInFlight >= config.largeBodiesInFlight) {
      logBusy();
      next(new AduanError('WEB.BUSY', { inFlight: largeInFlight, channel: config.id, seconds: BUSY_RETRY_SECONDS }));
      return;
    }
    if (large) {
      largeInFlight++;
      let held = true;
      const release = (): void => {
        if (held) largeInFlight--;
        held = false;
      };
      // (answered, or the client gone: 'close' comes once either way; a body too slow frees it at once)
      res.once('close', release);
      bodyDeadline(req, res, release);
    }
    goOn(req, res);
    next();
  };

  app.post('/v1/messages', largeBodySlot, apiRaw, async (req: Request, res: Response, next: NextFunction) => {
    // the photos read (kept ones in storage's incoming folder until the message is queued)
    let photos: ReceivedPhoto[] = [];
    try {
      const body: Buffer = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
      let signed: ReturnType<typeof signatureOf> | undefined;
      if (config.hmacSecret !== undefined) {
        try {
          signed = signatureOf(body, req.get('x-signature'), config.hmacSecret);
        } catch (err) {
          rateCheck(req); // (a flood of unsigned or forged requests is limited like the public form)
          throw err;
        }
      }
      // the website's server sends all its visitors' reports from one address: signed requests have their own limit
      rateCheck(req, signed !== undefined);
      const fields = decodeBody(body, req.get('content-type'));
      // the larger body is for photos only: its other fields stay within the 128 KiB a body without photos has
      if (body.length > LIMITS.webBodyMaxBytes && Buffer.byteLength(JSON.stringify({ ...fields, attachments: undefined })) > LIMITS.webBodyMaxBytes) {
        throw new AduanError('INPUT.TOO_LARGE', { limit: LIMITS.webBodyMaxBytes });
      }
      const submission = parseSubmission(fields, ctx.config.instance.phoneRegion);
      const key = parseIdempotencyKey(req.get('idempotency-key'));
      // (the form's checks: at most 3, each storage.maxAttachmentBytes, 30 MB together, told by their bytes)
      photos = readApiPhotos(fields['attachments'], uploadLimits, ctx.storage);
      const unkeyed = key === undefined && !signed?.timestamped ? randomUUID() : undefined;
      let externalId = key ?? unkeyed ?? `signed-${signed!.mac.slice(0, 40)}`;
      let replayed = false;
      if (signed?.timestamped) {
        // The same signed request again (a website's retry, or a copy someone captured): the same message,
        // never a second one (that would draw a second acknowledgement). Remembered while its t is valid;
        // the Idempotency-Key header is not signed, so a copy sent with another key is still this message.
        const claim = await ctx.claimOnce(`sig:${signed.mac}`, externalId, signed.t + config.signatureToleranceSeconds - Math.floor(Date.now() / 1000) + 1);
        replayed = !claim.first;
        externalId = claim.value;
      }
      const message = build(submission, externalId, req, false);
      // kept photos stored (content-addressed) only now; a withheld one names why, as the form's
      message.attachments = attachmentsOf(photos);
      // the website's own key, given to another report by mistake (a key per visitor or per session): the
      // other report is recorded too, under a key of its own (its id differs), never taken for a retry of
      // the first (core/message.ts contentDigestOf); a retry with the same report stays one message
      // (by the key the message is kept under: a signed request sent again is kept under its first sending's)
      if (externalId !== unkeyed && !externalId.startsWith('signed-')) message.meta = { ...message.meta, contentDigest: submissionDigest(submission, photos) };
      if (key !== undefined && externalId === key) {
        // the website retrying a report recorded before messages carried their digest, under its key alone
        // (its id is of the key alone): already recorded, answered with its id — never queued again
        const earlier = ctx.messageStatus(ingestId(config.id, key));
        if (earlier !== undefined && earlier.externalId === key && sameUndigestedWebReport(earlier, message)) {
          res.set('Idempotent-Replayed', 'true').status(202).json({ id: earlier.id, status: 'accepted' });
          return;
        }
      }
      const id = await ctx.enqueue(message);
      if (replayed) res.set('Idempotent-Replayed', 'true');
      // each photo sent: kept, or withheld with why (the website may tell its visitor)
      const files = photos.map((p) => ({ filename: p.filename, contentType: p.contentType, size: p.size, kept: p.withheld === undefined, ...(p.withheld !== undefined ? { reason: p.withheld } : {}) }));
      res.status(202).json({ id, status: 'accepted', ...(files.length > 0 ? { attachments: files } : {}) });
    } catch (err) {
      for (const p of photos) p.writer?.discard();
      next(err);
    }
  });

  // The no-JavaScript form posts here: never signed (it is public), protected by honeypot and rate limit.
  // With photos it is multipart/form-data (read as it arrives, web.upload.ts), else form-encoded.
  app.post('/kirim', async (req: Request, res: Response, next: NextFunction) => {
    let values: FormValues = {};
    // the form's hidden token; kept when the form is shown again, so a resend is the same submission
    let token: string = randomUUID();
    const keep = (body: Record<string, unknown>): void => {
      if (typeof body['token'] === 'string' && /^[A-Za-z0-9-]{8,64}$/.test(body['token'])) token = body['token'];
      values = Object.fromEntries(['name', 'phone', 'email', 'subject', 'text'].map((k) => [k, typeof body[k] === 'string' ? body[k] : undefined]).filter(([, v]) => v !== undefined));
    };
    // the photos read (kept ones in storage's incoming folder until the message is queued)
    let photos: ReceivedPhoto[] = [];
    // a browser cannot fill a file input again: the form shown again asks for the photos anew
    let photosLost = false;
    const again = (text: string): string => (photosLost ? `${text} Bila Anda melampirkan foto, pilih ulang fotonya.` : text);
    /** Too long to take (a browser that ignores maxlength, text pasted in): the form with the start of the text. */
    const tooLong = (partial: boolean): string => {
      const text = values.text ?? '';
      const shown = text.length > LIMITS.textMaxChars ? text.slice(0, LIMITS.textMaxChars).replace(/[\uD800-\uDBFF]$/, '') : text;
      values = { ...values, text: shown };
      return `Aduan Anda terlalu panjang untuk dikirim dan BELUM tersimpan. Persingkat isi aduan (paling banyak 10.000 karakter), lalu kirim lagi.${partial || shown !== text ? ' Di bawah ini hanya bagian awal tulisan Anda yang sempat terbaca; tombol Kembali pada peramban mungkin masih menyimpan tulisan lengkapnya.' : ''}`;
    };
    try {
      const encoding = (req.get('content-encoding') ?? 'identity').trim().toLowerCase();
      if (encoding !== 'identity') throw new AduanError('INPUT.ENCODING');
      let body: Record<string, unknown>;
      let rateChecked = false;
      const contentType = req.get('content-type');
      if (isMultipart(contentType)) {
        photosLost = true;
        const boundary = multipartBoundary(contentType);
        if (boundary === undefined) throw new AduanError('INPUT.INVALID', { field: '(body)', detail: 'multipart/form-data without a boundary' });
        // (the rate limit is checked before the first photo is written: a refused client stores nothing)
        const read = await readUpload(req, boundary, uploadLimits, ctx.storage, () => {
          rateChecked = true;
          rateCheck(req);
        });
        keep(read.fields);
        if (read.refusal !== undefined) {
          if (read.refusal.kind === 'refused') throw read.refusal.error;
          if (!read.drained) res.set('Connection', 'close');
          const { status, text } = uploadRefused(read.refusal, uploadLimits, read.cutField === 'text' || read.fields['text'] === undefined, tooLong);
          // (after uploadRefused: tooLong puts the text's start into values)
          const shown = again(text);
          res.status(status).type('html').send(form(values, shown, token));
          return;
        }
        photos = read.photos;
        photosLost = photos.length > 0;
        body = read.fields;
      } else {
        const read = await readLimited(req, LIMITS.webBodyMaxBytes, LIMITS.webBodyDrainMaxBytes);
        if (read.over) {
          // Too long to take: nothing is stored; the form comes back with the fields that were read and the
          // start of the text, asking to shorten it.
          const cut = cutFormFields(read.body);
          keep(cut.fields);
          if (!read.drained) res.set('Connection', 'close');
          const text = tooLong(cut.last === 'text' || cut.fields['text'] === undefined);
          res.status(413).type('html').send(form(values, text, token));
          return;
        }
        body = decodeBody(read.body, contentType);
        keep(body);
      }
      // (read first, so that a citizen behind a busy carrier NAT gets the form back with what they typed;
      // a 429 stores nothing)
      if (!rateChecked) rateCheck(req);
      const submission = parseSubmission(body, ctx.config.instance.phoneRegion);
      // token + what was sent (the photos too): the same submission twice is one message (one job id); a
      // form sent again after going back and changing the text or the photos is a new one
      const content = submissionDigest(submission, photos).slice(0, 16);
      const message = build(submission, `form-${token}-${content}`, req, true);
      // a kept photo is stored (content-addressed) only now; a withheld one names why, in the division's mail,
      // the citizen's e-mail acknowledgement and the receipt page (/laporan/<id>)
      message.attachments = attachmentsOf(photos);
      const id = await ctx.enqueue(message);
      res.redirect(303, `/laporan/${id}`);
    } catch (err) {
      for (const p of photos) p.writer?.discard();
      if (isAduanError(err) && err.code === 'INPUT.INVALID' && err.details['field'] === 'text' && (values.text?.length ?? 0) > LIMITS.textMaxChars) {
        // (a text over 10,000 characters that fit the body: as multipart, 20,000 characters of Aksara Jawa do)
        const text = again(tooLong(false));
        res.status(413).type('html').send(form(values, text, token));
        return;
      }
      if (isAduanError(err) && err.status === 400) {
        res.status(400).type('html').send(form(values, again(formError(err)), token));
        return;
      }
      if (isAduanError(err) && (err.status === 503 || err.status === 429)) {
        if (err.code === 'RATE.LIMITED') res.set('Retry-After', String(err.details['seconds']));
        res.status(err.status).type('html').send(form(values, again(err.status === 503
          ? 'Maaf, sistem sedang sibuk dan aduan Anda BELUM tersimpan. Silakan kirim ulang beberapa saat lagi.'
          : 'Terlalu banyak pengiriman dari jaringan Anda. Silakan coba lagi sebentar lagi.'), token));
        return;
      }
      next(err);
    }
  });

  const lookup = async (id: string): Promise<{ state: 'queued' | 'recorded' | 'failed' | 'unknown'; caseNumber: string | null; relation?: string; caseStatus?: string | null; email?: boolean; phone?: boolean; fromForm?: boolean; withheld?: WithheldPhoto[]; named?: string }> => {
    const recorded = ctx.messageStatus(id);
    if (recorded) {
      // (the case number it names, as intake reads it: subject first)
      const prefix = ctx.config.instance.casePrefix;
      const named = namedCaseNumber(recorded.subject ?? '', prefix) ?? namedCaseNumber(recorded.text, prefix);
      return { state: 'recorded', caseNumber: recorded.caseNumber, relation: recorded.relation, caseStatus: recorded.caseStatus, fromForm: recorded.externalId.startsWith('form-') && recorded.ownCase, withheld: recorded.withheld,
        ...(named !== undefined ? { named } : {}) };
    }
    const job = await ctx.intakeJob(id);
    if (job === undefined || job.state === 'unknown') return { state: 'unknown', caseNumber: null };
    return { state: job.state === 'failed' ? 'failed' : 'queued', caseNumber: null, email: job.email, phone: job.phone, withheld: job.withheld };
  };

  app.get('/v1/messages/:id', async (req, res, next) => {
    try {
      const id = String(req.params['id']);
      const found = ID.test(id) ? await lookup(id) : { state: 'unknown' as const, caseNumber: null };
      if (found.state === 'unknown') throw new AduanError('MESSAGE.NOT_FOUND', { id });
      res.json({ id, status: found.state, caseNumber: found.caseNumber, relation: found.relation ?? null, caseStatus: found.caseStatus ?? null });
    } catch (err) {
      next(err);
    }
  });

  app.get('/laporan/:id', async (req, res, next) => {
    try {
      const id = String(req.params['id']);
      let found: Awaited<ReturnType<typeof lookup>>;
      try {
        found = ID.test(id) ? await lookup(id) : { state: 'unknown' as const, caseNumber: null };
      } catch (err) {
        // the queue cannot be asked (Redis down): the message was accepted, its state is only unknown for now
        if (!isAduanError(err) || err.code !== 'QUEUE.UNAVAILABLE') throw err;
        found = { state: 'queued', caseNumber: null };
      }
      // recorded without a case number (set aside), or failed: a last page, no refreshing forever
      // (only asking about a case the sender has none of — "status ADU-…": no case, intake.ts unmatchedQuestion — is told so)
      const state = found.caseNumber ? 'recorded' : found.state === 'recorded' ? (found.relation === 'unmatched' ? 'unmatched' : 'kept') : found.state;
      // Still queued (the intake worker is down: the message is safe in Redis): the page refreshes
      // itself, each refresh carrying when the citizen first saw it (?sejak=<unix seconds>: the page works
      // without JavaScript), and stops after a while with a page saying how the number will come.
      const nowSeconds = Math.floor(Date.now() / 1000);
      const asked = Number(req.query['sejak']);
      const since = Number.isSafeInteger(asked) && asked > 0 && asked <= nowSeconds ? asked : nowSeconds;
      const waiting = { since, stopped: nowSeconds - since >= LIMITS.webReceiptRefreshSeconds, ...(found.email !== undefined ? { email: found.email } : {}), ...(found.phone !== undefined ? { phone: found.phone } : {}) };
      // The status link, for a message sent with the form by the case's own citizen: its id holds the form's
      // random token. (An API message's id may come from the website's own Idempotency-Key, which a stranger
      // could guess; a form message naming another citizen's case number — sent "as" a division's public
      // address, a reply to staff — is on that case, and its receipt page would hand out that case's link.)
      const path = publicUrl !== undefined && found.fromForm === true && found.caseNumber ? ctx.statusLinkPath(found.caseNumber) : undefined;
      res.status(found.state === 'unknown' ? 404 : 200).set('Cache-Control', 'no-store').set('Referrer-Policy', 'no-referrer').type('html')
        .send(statusPage(instance, id, found.caseNumber, state, waiting, path === undefined ? undefined : `${publicUrl}${path}`, found.withheld ?? [], found.named));
    } catch (err) {
      next(err);
    }
  });

  app.get('/status', (_req, res) => {
    res.type('html').send(caseStatusPage(ctx.config.instance));
  });

  app.post('/status', raw, (req: Request, res: Response, next: NextFunction) => {
    try {
      rateCheck(req);
      const body = decodeBody(Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0), req.get('content-type'));
      const typed = typeof body['nomor'] === 'string' ? body['nomor'].trim().slice(0, 40) : '';
      const nomor = namedCaseNumber(typed, ctx.config.instance.casePrefix) ?? typed.toUpperCase();
      const bukti = typeof body['bukti'] === 'string' ? body['bukti'].trim().slice(0, 320) : '';
      const proof = proofOf(bukti);
      // (the client as the per-minute limit sees it: behind trustProxy proxies, the address they forwarded)
      const client = clientKey(req.ip);
      if (!proof && nomor !== '') {
        // not a proof at all (a name, two digits): it reveals nothing, so it counts against nobody — many
        // citizens share one mobile carrier address, and their slips must not lock each other out
        res.status(400).type('html').send(caseStatusPage(ctx.config.instance, undefined, false, { nomor }, 'Isi empat angka terakhir nomor HP yang Anda pakai (misalnya 7890), atau alamat e-mail Anda.'));
        return;
      }
      const locked = nomor === '' ? undefined : proofs.lockedFor(client, nomor);
      if (locked) {
        res.status(429).set('Retry-After', String(Math.ceil(locked.ms / 1000))).type('html').send(caseStatusPage(ctx.config.instance, undefined, false, { nomor }, lockedText(locked.scope, nomor, locked.ms)));
        return;
      }
      const view = proof && nomor !== '' ? ctx.caseTimelineFor(nomor, proof) : undefined;
      if (view) proofs.succeeded(client, nomor);
      else if (nomor !== '') wrongProof(client, nomor);
      res.status(view ? 200 : 404).type('html').send(caseStatusPage(ctx.config.instance, view, !view, { nomor }));
    } catch (err) {
      next(err);
    }
  });

  // The status link from the acknowledgement (core/status-link.ts): the timeline without the form. The
  // token is a secret: the page is never cached, and no Referer carries it to where the page links.
  // A wrong or unknown one is a wrong proof (the same locks: the link is no way around them), answered
  // as one, with the form; the right one shows the case also while locks hold — 96 bits are not
  // guessed, and a stranger guessing a case's four digits must not keep its citizen out of the link.
  app.get('/status/:nomor/:token', (req: Request, res: Response, next: NextFunction) => {
    try {
      res.set('Cache-Control', 'no-store').set('Referrer-Policy', 'no-referrer');
      rateCheck(req);
      const typed = String(req.params['nomor']).trim().slice(0, 40);
      const nomor = namedCaseNumber(typed, ctx.config.instance.casePrefix) ?? typed.toUpperCase();
      const token = String(req.params['token']);
      const client = clientKey(req.ip);
      const view = nomor !== '' && /^[A-Za-z0-9_-]{1,64}$/.test(token) ? ctx.caseTimelineFor(nomor, { statusToken: token }) : undefined;
      if (view) {
        proofs.succeeded(client, nomor);
        res.status(200).type('html').send(caseStatusPage(ctx.config.instance, view));
        return;
      }
      const locked = proofs.lockedFor(client, nomor);
      if (locked) {
        res.status(429).set('Retry-After', String(Math.ceil(locked.ms / 1000))).type('html').send(caseStatusPage(ctx.config.instance, undefined, false, { nomor }, lockedText(locked.scope, nomor, locked.ms)));
        return;
      }
      wrongProof(client, nomor);
      res.status(404).type('html').send(caseStatusPage(ctx.config.instance, undefined, false, { nomor }, LINK_REFUSED));
    } catch (err) {
      next(err);
    }
  });

  // The form's own address asked for again (a tab restored, Enter in the address bar, a shared link): the form.
  app.get('/kirim', (_req, res) => {
    res.redirect(303, '/');
  });

  app.use((req, res) => {
    if (wantsPage(req)) {
      res.status(404).type('html').send(notFoundPage());
      return;
    }
    res.status(404).json({ error: { code: 'HTTP.NOT_FOUND', message: 'Not found' } });
  });

  // express 5 error handler: map body-parser and catalogue errors to statuses; never leak internals.
  // A Redis outage refuses every API request with 503: said at the first, then with a count at most once a
  // minute (the runtime's Redis health lines say when it went and when it is back), not one line a request.
  let refused = 0;
  let refusedLoggedAt = -Infinity;
  const logRefused = (e: AduanError, path: string): void => {
    refused++;
    const now = Date.now();
    if (now - refusedLoggedAt < REFUSED_LOG_EVERY_MS) return;
    ctx.logger.warn({ code: e.code, path, refused }, refused === 1 ? e.message : `${refused} requests answered 503 since the last such line: the queue (Redis) is unavailable; senders retry`);
    refused = 0;
    refusedLoggedAt = now;
  };

  app.use((err: unknown, req: Request, res: Response, _next: NextFunction) => {
    // (answered already: a body cut off for coming too slowly, whose reading then fails)
    if (res.headersSent) {
      if (!res.writableEnded) res.destroy();
      return;
    }
    // (a status link's token is a secret: never in the log)
    const path = req.path.replace(/^(\/status\/[^/]*\/).+$/, '$1…');
    let e: AduanError;
    const type = (err as { type?: string }).type;
    if (isAduanError(err)) e = err;
    // (a parameter express could not decode, should one get past the check above)
    else if (err instanceof URIError) e = badPathError();
    else if (type === 'entity.too.large') e = new AduanError('INPUT.TOO_LARGE', { limit: (err as { limit?: number }).limit ?? LIMITS.webBodyMaxBytes });
    else if (type === 'encoding.unsupported' || type === 'charset.unsupported') e = new AduanError('INPUT.ENCODING');
    else if (type === 'request.aborted') {
      // the client went away while sending: nobody reads an answer
      res.status(400).end();
      return;
    }
    else {
      ctx.logger.error({ err, path }, 'unexpected error in web channel');
      if (wantsPage(req)) res.status(500).type('html').send(errorPage('internal'));
      else res.status(500).json({ error: { code: 'INTERNAL', message: 'Internal error' } });
      return;
    }
    if (e.code === 'QUEUE.UNAVAILABLE') logRefused(e, path);
    else if (e.code !== 'WEB.BUSY' && e.status >= 500) ctx.logger.warn({ code: e.code, path }, e.message);
    if (e.code === 'RATE.LIMITED' || e.code === 'WEB.BUSY') res.set('Retry-After', String(e.details['seconds']));
    const field = e.details['field'];
    if (field === 'url' && wantsPage(req)) {
      res.status(400).type('html').send(badAddressPage());
      return;
    }
    // a browser (the status page checked too often, a body it could not send) reads what to do, in Indonesian
    if (wantsPage(req)) {
      const seconds = Number(e.details['seconds']);
      res.status(e.status).type('html').send(e.code === 'RATE.LIMITED' ? errorPage('rate', Number.isFinite(seconds) ? seconds : undefined) : errorPage(e.status >= 500 ? 'busy' : 'bad'));
      return;
    }
    res.status(e.status).json({ error: { code: e.code, message: e.message, ...(typeof field === 'string' ? { field } : {}) } });
  });

  return { app, limiter };
}

/** The status link's answer to a wrong or unknown token: the form, saying nothing of whether the number exists. */
const LINK_REFUSED = 'Tautan pemantauan ini tidak berlaku atau tidak tersalin lengkap. Silakan cek perkembangan aduan dengan nomor aduan dan empat angka terakhir nomor HP atau alamat e-mail Anda.';

/** The status page's answer to a locked check: whose lock, for how long, in Indonesian. */
function lockedText(scope: ProofLockScope, nomor: string, ms: number): string {
  const minutes = Math.ceil(ms / 60_000);
  const wait = minutes > 90 ? `${Math.ceil(minutes / 60)} jam` : `${minutes} menit`;
  if (scope === 'client') return `Terlalu banyak percobaan yang salah dari jaringan Anda. Demi keamanan data pelapor, pengecekan dari jaringan ini dapat dilakukan lagi dalam ${wait}.`;
  if (scope === 'net48') return `Terlalu banyak percobaan yang salah dari jaringan Anda dan jaringan di sekitarnya. Demi keamanan data pelapor, pengecekan dari jaringan ini dapat dilakukan lagi dalam ${wait}. Perkembangan aduan tetap kami kirimkan kepada pelapor seperti biasa.`;
  if (scope === 'pair') return `Terlalu banyak percobaan yang salah untuk nomor ${nomor} dari jaringan Anda. Demi keamanan data pelapor, nomor ini dapat dicek lagi dalam ${wait}.`;
  return `Terlalu banyak percobaan yang salah untuk nomor ${nomor}. Demi keamanan data pelapor, nomor ini dapat dicek lagi dalam ${wait}. Perkembangan aduan tetap kami kirimkan kepada pelapor seperti biasa.`;
}

/** The form's answer to photos it does not take: the status, and what to do, in Indonesian. Nothing was stored. */
function uploadRefused(refusal: Exclude<UploadRefusal, { kind: 'refused' }>, limits: UploadLimits, textCut: boolean, tooLong: (partial: boolean) => string): { status: number; text: string } {
  const each = sizeText(limits.maxFileBytes);
  switch (refusal.kind) {
    case 'too-many-files':
      return { status: 400, text: `Paling banyak ${limits.maxFiles} foto untuk satu aduan. Aduan Anda BELUM tersimpan: pilih paling banyak ${limits.maxFiles} foto, lalu kirim lagi.` };
    case 'file-too-large':
      return { status: 413, text: `Foto "${refusal.filename}" terlalu besar (paling besar ${each} per foto). Aduan Anda BELUM tersimpan: pilih foto yang lebih kecil, atau kirim tanpa foto itu, lalu kirim lagi.` };
    case 'files-too-large':
      return { status: 413, text: `Foto-foto Anda terlalu besar (bersama-sama paling besar ${sizeText(limits.maxTotalBytes)}, masing-masing ${each}). Aduan Anda BELUM tersimpan: pilih lebih sedikit foto atau foto yang lebih kecil, lalu kirim lagi.` };
    case 'text-too-long':
      return { status: 413, text: tooLong(textCut) };
    case 'encoding':
    case 'malformed':
      return { status: 400, text: 'Data formulir tidak dapat dibaca dan aduan Anda BELUM tersimpan. Muat ulang halaman formulir, lalu isi dan kirim lagi.' };
  }
}

function formError(err: AduanError): string {
  const field = err.details['field'];
  const labels: Record<string, string> = { text: 'Isi aduan wajib diisi (paling banyak 10.000 karakter).', phone: 'Isi nomor HP yang benar atau alamat e-mail (minimal salah satu).', email: 'Alamat e-mail tidak valid.', name: 'Nama terlalu panjang.', subject: 'Judul terlalu panjang.' };
  return (typeof field === 'string' ? labels[field] : undefined) ?? 'Data formulir tidak valid. Periksa kembali isian Anda.';
}

/**
 * What the citizen typed as proof: an e-mail address, or the last four digits of the phone — also when
 * they typed the whole number ("0812-3456-7890", "+62 812 3456 7890"). Anything else is no proof.
 */
export function proofOf(typed: string): { phoneLast4: string } | { email: string } | undefined {
  if (typed.includes('@')) return { email: typed };
  const digits = typed.replace(/[\s().+-]/g, '');
  return /^\d{4,15}$/.test(digits) ? { phoneLast4: digits.slice(-4) } : undefined;
}
