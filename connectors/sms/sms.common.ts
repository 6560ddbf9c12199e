import { createHash } from 'node:crypto';
import { toE164 } from '../../core/phone.ts';
import { DEFAULT_REPEAT_WINDOW_SECONDS, repeatBody } from '../../core/message.ts';

export { DEFAULT_REPEAT_WINDOW_SECONDS };

/**
 * Helpers shared by the three SMS channel types (gammu, android-sms-gateway, twilio); connectors/sms
 * is not a channel type itself, only their common ground.
 */

/** Sender number → E.164 with the instance region, or null (alphanumeric senders, service codes). */
export function senderToE164(raw: string, region: string): string | null {
  const stripped = raw.replace(/^whatsapp:/i, '').trim();
  if (!/^\+?[\d\s().-]{3,32}$/.test(stripped)) return null;
  return toE164(stripped, region);
}

/** Short stable hex hash of parts joined by NUL. */
export function shortHash(...parts: string[]): string {
  return createHash('sha256').update(parts.join('\u0000')).digest('hex').slice(0, 24);
}

/**
 * Panic repeats: a citizen who gets no answer at once sends the same SMS again (often several
 * times within seconds). The repeat is given the first message's externalId, so the intake queue
 * (job id) and the intake use-case (connectorId+externalId) keep exactly one message. This memory is
 * the process's own: a repeat that reaches intake under its own id all the same (the connector
 * restarted between the two) is recorded on the case without a second acknowledgement (core/intake.ts, panicRepeatOf).
 *
 * The window is measured on the messages' own times (SMSC / provider receivedAt), never on when we
 * process them: after an outage a backlog of the same text sent on different days is processed
 * within seconds, and those are separate reports, not repeats.
 */
export class RepeatGuard {
  private readonly seen = new Map<string, { externalId: string; at: number }>();

  constructor(
    private readonly windowMs: number,
    private readonly now: () => number = () => Date.now(),
  ) {}

  /**
   * The externalId to use for this message, and the original's id when it is a repeat.
   * `receivedAt` is the message's own time (ISO); `extra` is anything else that must match for a
   * repeat (e.g. the attachments' hashes: a second photo with the same caption is a new message).
   */
  resolve(phone: string, text: string, externalId: string, opts: { receivedAt?: string; extra?: string } = {}): { externalId: string; repeatOf?: string } {
    const body = repeatBody(text);
    if ((body === '' && (opts.extra ?? '') === '') || this.windowMs <= 0) return { externalId };
    const key = repeatKey(phone, body, opts.extra);
    const parsed = opts.receivedAt !== undefined ? Date.parse(opts.receivedAt) : Number.NaN;
    const t = Number.isFinite(parsed) ? parsed : this.now();
    this.prune(t);
    const prev = this.seen.get(key);
    if (prev && Math.abs(t - prev.at) <= this.windowMs) {
      if (prev.externalId === externalId) return { externalId };
      return { externalId: prev.externalId, repeatOf: prev.externalId };
    }
    // a later (or, in a backlog, earlier) message outside the window starts its own window
    this.seen.set(key, { externalId, at: t });
    return { externalId };
  }

  /** Forget a message whose enqueue failed permanently, so a later copy is not folded into nothing. */
  forget(phone: string, text: string, extra?: string): void {
    const body = repeatBody(text);
    this.seen.delete(repeatKey(phone, body, extra));
  }

  private prune(t: number): void {
    if (this.seen.size < 1000) return;
    for (const [k, v] of this.seen) if (Math.abs(t - v.at) > this.windowMs) this.seen.delete(k);
  }
}

function repeatKey(phone: string, body: string, extra: string | undefined): string {
  return extra === undefined || extra === '' ? shortHash(phone, body) : shortHash(phone, body, extra);
}

/** Bounded set of recently seen ids (webhook event ids), oldest evicted first. */
export class RecentIds {
  private readonly ids = new Map<string, number>();
  constructor(private readonly max = 10_000) {}
  has(id: string): boolean {
    return this.ids.has(id);
  }
  add(id: string): void {
    this.ids.delete(id);
    this.ids.set(id, Date.now());
    if (this.ids.size > this.max) {
      const first = this.ids.keys().next();
      if (!first.done) this.ids.delete(first.value);
    }
  }
}

/**
 * Wall-clock date/time in an IANA zone → ISO string with offset (Gammu file names and SQL columns
 * carry local times without a zone). Returns null for impossible dates.
 */
export function zonedIso(y: number, mo: number, d: number, h: number, mi: number, s: number, timeZone: string): string | null {
  if (mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59 || s > 59) return null;
  const asUtc = Date.UTC(y, mo - 1, d, h, mi, s);
  const check = new Date(asUtc);
  if (check.getUTCDate() !== d || check.getUTCMonth() !== mo - 1) return null;
  let offsetMin: number;
  try {
    offsetMin = tzOffsetMinutes(asUtc, timeZone);
  } catch {
    offsetMin = 0;
  }
  const sign = offsetMin >= 0 ? '+' : '-';
  const abs = Math.abs(offsetMin);
  const pad = (n: number, w = 2): string => String(n).padStart(w, '0');
  return `${pad(y, 4)}-${pad(mo)}-${pad(d)}T${pad(h)}:${pad(mi)}:${pad(s)}${sign}${pad(Math.floor(abs / 60))}:${pad(abs % 60)}`;
}

const formatters = new Map<string, Intl.DateTimeFormat>();

function tzOffsetMinutes(utcMs: number, timeZone: string): number {
  let fmt = formatters.get(timeZone);
  if (!fmt) {
    // building a DateTimeFormat costs ~100 µs; a spool of 10,000 files would spend a second on it
    fmt = new Intl.DateTimeFormat('en-US', { timeZone, hourCycle: 'h23', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit' });
    formatters.set(timeZone, fmt);
  }
  const parts = fmt.formatToParts(new Date(utcMs));
  const get = (t: string): number => Number(parts.find((p) => p.type === t)?.value ?? '0');
  const local = Date.UTC(get('year'), get('month') - 1, get('day'), get('hour'), get('minute'), get('second'));
  return Math.round((local - utcMs) / 60_000);
}

/** Signature failures recorded (quarantine row + log line) per client address and minute. */
export const SIGNATURE_REJECTS_PER_IP_MINUTE = 5;
/** … and from all addresses together per minute. */
export const SIGNATURE_REJECTS_PER_MINUTE = 60;

/**
 * Unauthenticated requests to a public webhook are anyone's: recording each one (a quarantine row
 * and a log line) lets a stranger fill the database and the log. A few per address and minute are
 * recorded (without the body: its sha256 and size only); the rest are only counted, and the count
 * goes with the next recorded one.
 */
export class SignatureRejects {
  private minute = -1;
  private total = 0;
  private totalNoticed = false;
  private readonly perIp = new Map<string, number>();
  /** Requests not recorded, per address, since its last recorded one. */
  private readonly suppressed = new Map<string, number>();
  /** Requests not recorded since start (health, tests). */
  dropped = 0;

  constructor(
    private readonly perIpLimit = SIGNATURE_REJECTS_PER_IP_MINUTE,
    private readonly totalLimit = SIGNATURE_REJECTS_PER_MINUTE,
    private readonly now: () => number = () => Date.now(),
  ) {}

  /** Whether to record this rejected request; with how many from the address were dropped before it. */
  take(ip: string): { record: true; suppressedBefore: number } | { record: false; first: boolean } {
    const m = Math.floor(this.now() / 60_000);
    if (m !== this.minute) {
      this.minute = m;
      this.total = 0;
      this.totalNoticed = false;
      this.perIp.clear();
    }
    const n = (this.perIp.get(ip) ?? 0) + 1;
    if (this.perIp.size < 10_000 || this.perIp.has(ip)) this.perIp.set(ip, n);
    this.total++;
    if (n <= this.perIpLimit && this.total <= this.totalLimit) {
      const before = this.suppressed.get(ip) ?? 0;
      this.suppressed.delete(ip);
      return { record: true, suppressedBefore: before };
    }
    this.dropped++;
    if (this.suppressed.size < 10_000 || this.suppressed.has(ip)) this.suppressed.set(ip, (this.suppressed.get(ip) ?? 0) + 1);
    // one notice per address that goes over its limit, one per minute when all addresses together do
    let first = n === this.perIpLimit + 1;
    if (n <= this.perIpLimit && !this.totalNoticed) first = this.totalNoticed = true;
    return { record: false, first };
  }
}

/** What is kept of a rejected request's body: never the content, only its fingerprint. */
export function rejectedPayload(body: Buffer | string, ip: string): string {
  const buf = typeof body === 'string' ? Buffer.from(body, 'utf8') : body;
  return JSON.stringify({ sha256: createHash('sha256').update(buf).digest('hex'), size: buf.length, ip });
}
