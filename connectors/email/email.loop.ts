import type { Attachment, HeaderValue, Headers } from 'mailparser';

/**
 * Why a mail must be recorded but never answered or forwarded (DESIGN §4.5). The intake worker
 * reads it from `meta.autoSubmitted`.
 */
export type AutoReason = 'auto-reply' | 'bounce' | 'list' | 'own-mail' | 'read-receipt';

export interface LoopVerdict {
  reason: AutoReason;
  /** The header or pattern that decided it, for the audit trail. */
  detail: string;
}

export interface BounceInfo {
  /** Final recipients the report is about (lowercased addresses). */
  recipients: string[];
  /** DSN status of the first failed recipient, e.g. 5.1.1. */
  status?: string;
  /** Permanent failure (DSN Action failed with a 5.x.x status). */
  hard: boolean;
  /** Message-ID of the mail that bounced, or that a read receipt is about. */
  originalMessageId?: string;
}

/** Header value as a flat string ('' when absent). */
export function headerText(headers: Headers, name: string): string {
  const v: HeaderValue | undefined = headers.get(name);
  if (v === undefined || v === null) return '';
  if (typeof v === 'string') return v;
  // (a header given more than once, e.g. two Delivered-To: mailparser's address objects carry a text)
  if (Array.isArray(v)) return v.map((x: unknown) => (typeof x === 'object' && x !== null && 'text' in x && typeof x.text === 'string' ? x.text : String(x))).join(', ');
  if (v instanceof Date) return v.toISOString();
  if (typeof v === 'object' && 'value' in v && typeof v.value === 'string') {
    const params = 'params' in v && v.params && typeof v.params === 'object' ? Object.entries(v.params as Record<string, string>).map(([k, p]) => `; ${k}=${p}`).join('') : '';
    return `${v.value}${params}`;
  }
  if (typeof v === 'object' && 'text' in v && typeof v.text === 'string') return v.text;
  return String(v);
}

function contentType(headers: Headers): { value: string; params: Record<string, string> } {
  const v = headers.get('content-type');
  if (v && typeof v === 'object' && 'value' in v && typeof v.value === 'string') {
    const params = 'params' in v && v.params && typeof v.params === 'object' ? (v.params as Record<string, string>) : {};
    return { value: v.value.toLowerCase(), params };
  }
  return { value: typeof v === 'string' ? v.toLowerCase() : '', params: {} };
}

const BOUNCE_SENDER = /^(mailer-daemon|mail-daemon|mailer_daemon)@/i;
const POSTMASTER = /^postmaster@/i;
const BOUNCE_SUBJECT = /^(undelivered mail|undeliverable|delivery status notification|mail delivery (failed|failure|system)|returned mail|failure notice|delivery failure|non-delivery|pesan tidak terkirim|gagal terkirim)/i;
/** Outlook/Exchange out-of-office subjects in the languages seen in the wild (Indonesian first). */
const AUTO_SUBJECT = /^\s*(balasan otomatis|balasan automatis|jawaban otomatis|automatic reply|auto-?reply|autoreply|auto|out of (the )?office|ooo|abwesend|abwesenheitsnotiz|automatische antwort|réponse automatique|respuesta automática|resposta automática|risposta automatica|automatisch antwoord|automatyczna odpowiedź|автоматический ответ|מענה אוטומטי|מענה 'אני לא נמצא')\s*:/iu;
/**
 * An out-of-office subject a mail program or a person's own rule writes without a colon or any header
 * (Auto-Submitted, X-Autoreply): the whole subject says only that the writer is away, perhaps until
 * when ("Saya sedang cuti", "Sedang di luar kantor sampai 20 November", "Out of Office", "Out of office
 * reply"). Conservative: one word more ("Saya sedang cuti tapi jalan depan rumah rusak"), a "Re:" before
 * it, or the words inside a sentence make it a person's mail.
 */
const AWAY_SUBJECT = /^\s*(?:(?:saya\s+)?sedang\s+(?:cuti|di\s+luar\s+kantor|tidak\s+di\s+kantor|dinas\s+luar(?:\s+kota)?)|out\s+of\s+(?:the\s+)?office(?:\s+(?:reply|notice|message))?|automatic\s+reply|auto-?reply|balasan\s+otomatis|jawaban\s+otomatis)\s*(?:[.!]\s*)?(?:$|(?:sampai|hingga|s\.?\s?d\.?|until|till)\s+[\p{L}\p{N} ,./-]{1,40}$|[-\u2013\u2014([])/iu;
/** Outlook sends read receipts as TNEF with a "Read:" subject instead of a multipart/report. */
const READ_SUBJECT = /^\s*(not read|read|dibaca|tidak dibaca|gelesen|lu|leído|letto|gelezen|przeczytano|прочитано)\s*:/iu;

export interface LoopContext {
  /** The gateway's own addresses (lowercase). */
  ownAddresses: ReadonlySet<string>;
  /** True when a Message-ID is one of ours (deterministic ids of acks and forwards). */
  isOwnMessageId: (id: string) => boolean;
}

/** Classify a mail that must never be answered; undefined for a mail from a person. */
export function detectLoop(headers: Headers, from: string | undefined, subject: string, messageId: string | undefined, ctx: LoopContext): LoopVerdict | undefined {
  const ct = contentType(headers);
  const reportType = (ct.params['report-type'] ?? '').toLowerCase();
  if (ct.value === 'multipart/report' && reportType.includes('delivery-status')) return { reason: 'bounce', detail: 'multipart/report; report-type=delivery-status' };
  if (ct.value === 'multipart/report' && reportType.includes('disposition-notification')) return { reason: 'read-receipt', detail: 'multipart/report; report-type=disposition-notification' };
  if (from && BOUNCE_SENDER.test(from)) return { reason: 'bounce', detail: `sender ${from.split('@')[0]}` };
  if (from && POSTMASTER.test(from) && BOUNCE_SUBJECT.test(subject)) return { reason: 'bounce', detail: 'postmaster with a bounce subject' };
  if (READ_SUBJECT.test(subject) && (ct.value === 'application/ms-tnef' || headers.has('x-ms-tnef-correlator'))) return { reason: 'read-receipt', detail: 'Outlook TNEF read receipt' };
  if (headers.has('x-failed-recipients')) return { reason: 'bounce', detail: 'X-Failed-Recipients' };
  const returnPath = headerText(headers, 'return-path').trim();
  if ((returnPath === '<>' || returnPath === '') && headers.has('return-path') && BOUNCE_SUBJECT.test(subject)) return { reason: 'bounce', detail: 'null Return-Path and bounce subject' };

  if ((from && ctx.ownAddresses.has(from.toLowerCase())) || (messageId && ctx.isOwnMessageId(messageId)) || headers.has('x-aduan-case')) {
    return { reason: 'own-mail', detail: from && ctx.ownAddresses.has(from.toLowerCase()) ? 'From is the gateway address' : 'our Message-ID / X-Aduan-Case' };
  }

  const autoSubmitted = headerText(headers, 'auto-submitted').trim().toLowerCase();
  if (autoSubmitted !== '' && !autoSubmitted.startsWith('no')) return { reason: 'auto-reply', detail: `Auto-Submitted: ${autoSubmitted.slice(0, 40)}` };
  for (const h of ['x-autoreply', 'x-autorespond', 'x-autoresponder', 'x-auto-response-suppress']) {
    if (headers.has(h)) return { reason: 'auto-reply', detail: h };
  }
  const precedence = `${headerText(headers, 'precedence')} ${headerText(headers, 'x-precedence')}`.trim().toLowerCase();
  if (/auto_?reply/.test(precedence)) return { reason: 'auto-reply', detail: `Precedence: ${precedence}` };
  if (AUTO_SUBJECT.test(subject)) return { reason: 'auto-reply', detail: 'auto-reply subject' };
  if (AWAY_SUBJECT.test(subject)) return { reason: 'auto-reply', detail: 'out-of-office subject' };

  if (/\b(bulk|list|junk)\b/.test(precedence)) return { reason: 'list', detail: `Precedence: ${precedence}` };
  // mailparser folds List-Id, List-Unsubscribe, List-Post … into one "list" header ({ id, unsubscribe, post })
  const folded = headers.get('list');
  for (const h of ['id', 'unsubscribe', 'post']) {
    if (headers.has(`list-${h}`) || (typeof folded === 'object' && folded !== null && h in folded)) return { reason: 'list', detail: `list-${h}` };
  }
  return undefined;
}

/** Fields of a DSN/MDN body: "Name: value" lines, folded lines joined. */
function reportFields(body: string): { name: string; value: string }[] {
  const out: { name: string; value: string }[] = [];
  for (const line of body.replace(/\r\n?/g, '\n').replace(/\n[ \t]+/g, ' ').split('\n')) {
    const m = /^([A-Za-z-]+):\s*(.*)$/.exec(line);
    if (m) out.push({ name: m[1]!.toLowerCase(), value: m[2]!.trim() });
  }
  return out;
}

function addressIn(value: string): string | undefined {
  const m = /([^\s;<>"]+@[^\s;<>"]+)/.exec(value.replace(/^rfc822\s*;\s*/i, ''));
  return m ? m[1]!.toLowerCase() : undefined;
}

const MESSAGE_ID_LINE = /^message-id:\s*(<[^>\s]+>)/im;

/** What a bounce or read receipt is about: recipients, status, and the original Message-ID. */
export function bounceInfo(headers: Headers, attachments: readonly Attachment[], text: string): BounceInfo {
  const recipients = new Set<string>();
  let status: string | undefined;
  let hard = false;
  let originalMessageId: string | undefined;
  for (const a of attachments) {
    const type = a.contentType.toLowerCase();
    const body = a.content.subarray(0, 256 * 1024).toString('utf8');
    if (type === 'message/delivery-status' || type === 'message/global-delivery-status') {
      let action = '';
      for (const f of reportFields(body)) {
        if (f.name === 'final-recipient') {
          const addr = addressIn(f.value);
          if (addr) recipients.add(addr);
        } else if (f.name === 'action') action = f.value.toLowerCase();
        else if (f.name === 'status' && status === undefined && /^\d\.\d{1,3}\.\d{1,3}/.test(f.value)) {
          status = f.value.split(/\s/)[0];
          // (x.2.2 is a full mailbox: it may take mail again later, RFC 3463; not a reason to stop mailing it)
          if (status?.startsWith('5') && !status.startsWith('5.2.2') && (action === '' || action === 'failed')) hard = true;
        }
      }
      if (action !== '' && action !== 'failed') hard = false;
    } else if (type === 'message/disposition-notification') {
      const f = reportFields(body).find((x) => x.name === 'original-message-id');
      if (f) originalMessageId ??= /<[^>\s]+>/.exec(f.value)?.[0];
    } else if (type === 'text/rfc822-headers' || type === 'message/rfc822' || type === 'message/global-headers' || type === 'message/global') {
      originalMessageId ??= MESSAGE_ID_LINE.exec(body.split(/\r?\n\r?\n/)[0] ?? '')?.[1];
    }
  }
  for (const r of headerText(headers, 'x-failed-recipients').split(',')) {
    const addr = addressIn(r);
    if (addr) recipients.add(addr);
  }
  // Bounces without a report part often quote the original headers in the body.
  originalMessageId ??= MESSAGE_ID_LINE.exec(text)?.[1];
  const info: BounceInfo = { recipients: [...recipients].slice(0, 20), hard };
  if (status !== undefined) info.status = status;
  if (originalMessageId !== undefined) info.originalMessageId = originalMessageId;
  return info;
}
