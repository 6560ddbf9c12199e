import { compile, type HtmlToTextOptions, type SelectorDefinition } from 'html-to-text';

/**
 * Characters of HTML converted (inline data: images left out first); beyond it the part is cut and the
 * cut marked (html-to-text would only warn on stdout). Each conversion costs time in proportion (2 MB of
 * ordinary HTML: ~250 ms, twice per mail); 500,000 characters of markup still hold far more text than a
 * case keeps (LIMITS.textMaxChars), and the raw .eml is stored whole.
 */
export const HTML_MAX_CHARS = 500_000;

/**
 * Characters of a plain-text body read (the quote and signature search, normalisation): what the citizen
 * wrote first is kept, the cut marked. A case keeps LIMITS.textMaxChars and the stored full text 200,000;
 * a 20 MB body took seconds to read whole. The raw .eml is stored whole.
 */
export const PLAIN_MAX_CHARS = 400_000;

/** Ends a text that was cut (the case text, a body too long to read whole): the original is not lost. */
export const CUT_NOTE = '... (terpotong: e-mail aslinya lebih panjang dan tersimpan utuh di arsip Aduan)';

/** The first `max` characters, never half of an emoji. */
function head(text: string, max: number): string {
  const cut = text.slice(0, max);
  return /[\uD800-\uDBFF]$/.test(cut) ? cut.slice(0, -1) : cut;
}

/**
 * A plain-text body as read: its first PLAIN_MAX_CHARS characters, the cut marked on a line of its own
 * (a quote that starts before the cut takes the note with it: the case text was not cut).
 */
export function capPlain(text: string): string {
  return text.length > PLAIN_MAX_CHARS ? `${head(text, PLAIN_MAX_CHARS)}\n\n${CUT_NOTE}` : text;
}

/** Inline images (<img src="data:…">): kilobytes to megabytes of base64 in the markup, no text. */
const DATA_URI = /\bsrc\s*=\s*(?:"data:[^"]*"|'data:[^']*')/gi;

const HEADINGS: SelectorDefinition[] = ['h1', 'h2', 'h3', 'h4', 'h5', 'h6'].map((selector) => ({
  selector,
  format: 'heading',
  options: { leadingLineBreaks: 2, trailingLineBreaks: 1, uppercase: false },
}));

const BASE: HtmlToTextOptions = {
  wordwrap: false,
  // deep or wide hostile markup is cut, not walked
  limits: { maxDepth: 100, maxChildNodes: 10_000, ellipsis: '…', maxInputLength: HTML_MAX_CHARS },
  selectors: [
    ...HEADINGS,
    { selector: 'img', format: 'skip' },
    { selector: 'a', options: { hideLinkHrefIfSameAsText: true, noAnchorUrl: true } },
    { selector: 'table', format: 'dataTable', options: { uppercaseHeaderCells: false } },
  ],
};

/** Quoted history and signatures as marked up by common webmail and desktop clients. */
const QUOTE_SELECTORS = [
  'blockquote', 'div.gmail_quote', 'div.gmail_extra', 'div.gmail_signature', 'div.moz-cite-prefix',
  'div.moz-signature', 'div.yahoo_quoted', 'div#divRplyFwdMsg', 'div#appendonsend', 'div.OutlookMessageHeader',
  'div.zmail_extra', 'div.protonmail_quote', 'div.protonmail_signature_block',
];

const fullConverter = compile(BASE);
const caseConverter = compile({ ...BASE, selectors: [...(BASE.selectors ?? []), ...QUOTE_SELECTORS.map((selector) => ({ selector, format: 'skip' }))] });

/**
 * Where Outlook (desktop, web, phone) begins the quoted mail in HTML: its header block, after which the
 * original follows as siblings, not inside it — skipping the block alone kept the whole quoted mail (a
 * #selesai result carried the forward, the reporter's name and phone with it, to the citizen).
 */
// (a tag is read up to the next '<' or '>': read up to the next '>' only, 2 MB of "<div<div…" with no '>'
// was read again from every "<div" — minutes of CPU for one mail)
const OUTLOOK_QUOTE_START = /<div[^<>]*\bid=["']?(?:appendonsend|divRplyFwdMsg)\b|<div[^<>]*\bclass=["']?OutlookMessageHeader\b|<div[^<>]*style=["'][^"'<>]*border-top:\s*solid\s+#(?:E1E1E1|B5C4DF)/i;

/**
 * Elements open at once beyond which an HTML body is read as plain text (see `tooDeep`): html-to-text
 * renders nothing below depth 100 anyway (`limits.maxDepth`), and its parser's work grows with the
 * square of the depth — 2 MB of unclosed "<b><i>" took minutes of CPU.
 */
export const HTML_MAX_DEPTH = 150;

/** Elements that never hold others (htmlparser2's list): they do not nest. */
const VOID_ELEMENTS = new Set(['area', 'base', 'basefont', 'br', 'col', 'command', 'embed', 'frame', 'hr', 'image', 'img', 'input', 'isindex', 'keygen', 'link', 'meta', 'param', 'source', 'track', 'wbr']);
/** Start tags that close the open element first when it is one of these (htmlparser2's openImpliesClose, in part). */
const P_ONLY = new Set(['p']);
const IMPLIES_CLOSE: ReadonlyMap<string, ReadonlySet<string>> = new Map<string, ReadonlySet<string>>([
  ['tr', new Set(['tr', 'th', 'td'])], ['th', new Set(['th'])], ['td', new Set(['thead', 'th', 'td'])], ['li', new Set(['li'])],
  ['option', new Set(['option'])], ['optgroup', new Set(['optgroup', 'option'])], ['dd', new Set(['dd', 'dt'])], ['dt', new Set(['dd', 'dt'])],
  ...['p', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'address', 'article', 'aside', 'blockquote', 'details', 'div', 'dl', 'fieldset', 'figcaption',
    'figure', 'footer', 'form', 'header', 'hr', 'main', 'nav', 'ol', 'pre', 'section', 'table', 'ul'].map((n): [string, ReadonlySet<string>] => [n, P_ONLY]),
]);
const TAG = /<(\/?)([A-Za-z][A-Za-z0-9:-]*)/g;

/**
 * Whether more than `max` elements may be open at once, in one pass and never less than the parser
 * will see: every start tag opens (after closing what it implies, as the parser does: "<p>a<p>b" are
 * siblings), an end tag closes back to its element when one is open and is ignored otherwise.
 */
function tooDeep(html: string, max: number): boolean {
  const stack: string[] = [];
  const open = new Map<string, number>();
  for (const m of html.matchAll(TAG)) {
    const name = m[2]!.toLowerCase();
    if (m[1] === '') {
      const implied = IMPLIES_CLOSE.get(name);
      while (implied && stack.length > 0 && implied.has(stack[stack.length - 1]!)) {
        const closed = stack.pop()!;
        open.set(closed, open.get(closed)! - 1);
      }
      if (VOID_ELEMENTS.has(name)) continue;
      stack.push(name);
      open.set(name, (open.get(name) ?? 0) + 1);
      if (stack.length > max) return true;
    } else if ((open.get(name) ?? 0) > 0) {
      // (the scan stops at the element, and what it passes over is closed: linear overall)
      const at = stack.lastIndexOf(name);
      for (const closed of stack.splice(at)) open.set(closed, open.get(closed)! - 1);
    }
  }
  return false;
}

const ENTITIES: Readonly<Record<string, string>> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: ' ' };

/**
 * HTML too deep to lay out, as text: block ends and <br> as line breaks, other tags dropped (a tag left
 * open at the end too, as a parser drops it), common entities decoded.
 */
function plainOfHtml(html: string): string {
  let text = html.replace(/<(?:br|\/?(?:p|div|tr|li|h[1-6]|table|blockquote))\b[^<>]*>/gi, '\n').replace(/<[^<>]*>/g, '');
  const gt = text.lastIndexOf('>');
  const open = text.slice(gt + 1).search(/<[A-Za-z!/]/);
  if (open >= 0) text = text.slice(0, gt + 1 + open);
  return text
    .replace(/&(#\d{1,7}|#x[0-9a-f]{1,6}|[a-z]{2,6});/gi, (whole, e: string) => {
      if (e[0] !== '#') return ENTITIES[e.toLowerCase()] ?? whole;
      const code = e[1] === 'x' || e[1] === 'X' ? Number.parseInt(e.slice(2), 16) : Number(e.slice(1));
      return code > 0 && code <= 0x10ffff && (code < 0xd800 || code > 0xdfff) ? String.fromCodePoint(code) : whole;
    });
}

/** Where quoted history starts in HTML read as plain text (the converter skips these blocks, see QUOTE_SELECTORS). */
const PLAIN_QUOTE_START = /<blockquote\b|<div[^<>]*\bclass=["']?(?:gmail_quote|moz-cite-prefix|yahoo_quoted|protonmail_quote|zmail_extra)\b/i;

/** Readable text of an HTML body; `withoutQuotes` drops quoted history and marked-up signatures. */
export function htmlToText(html: string, withoutQuotes = false): string {
  let input = html.length > HTML_MAX_CHARS ? html.replace(DATA_URI, 'src=""') : html;
  const cut = input.length > HTML_MAX_CHARS;
  if (cut) {
    // (after a tag when one is near)
    const at = input.lastIndexOf('>', HTML_MAX_CHARS - 1);
    input = at > HTML_MAX_CHARS - 10_000 ? input.slice(0, at + 1) : head(input, HTML_MAX_CHARS);
  }
  const text = convert(input, withoutQuotes);
  // the cut is marked, unless it may have fallen in quoted history the case text leaves out anyway
  return cut && !(withoutQuotes && (OUTLOOK_QUOTE_START.test(input) || PLAIN_QUOTE_START.test(input))) ? `${text.trimEnd()}\n\n${CUT_NOTE}` : text;
}

function convert(html: string, withoutQuotes: boolean): string {
  let input = html;
  if (withoutQuotes) {
    const q = OUTLOOK_QUOTE_START.exec(input);
    if (q) input = input.slice(0, q.index);
  }
  if (tooDeep(input, HTML_MAX_DEPTH)) {
    // (read without the converter's selectors: the quoted history is cut where its first block starts)
    const q = withoutQuotes ? PLAIN_QUOTE_START.exec(input) : null;
    return plainOfHtml(q ? input.slice(0, q.index) : input).trim();
  }
  return (withoutQuotes ? caseConverter : fullConverter)(input);
}

/** "On <date>, <who> wrote:" in the languages citizens and staff mail in, possibly wrapped over lines. */
const ATTRIBUTION = /^(on|pada|le|am|el|em|il|op|den)\b.{0,300}\b(wrote|menulis|a écrit|schrieb|escribió|escreveu|ha scritto|schreef|skrev|napisał)\s*:\s*$/i;
const ORIGINAL_MESSAGE = /^-{2,}\s*(original message|pesan asli|pesan asal|ursprüngliche nachricht|message d'origine|mensaje original)\s*-{2,}\s*$/i;
const RULE = /^\s*[_-]{10,}\s*$/;
const HEADER_FROM = /^\s*\*?(from|dari|von|de|van)\s*:\*?\s+\S/i;
const HEADER_SENT = /^\s*\*?(sent|dikirim|date|tanggal|gesendet|envoyé|enviado|to|kepada)\s*:\*?\s/i;
const SIG_DELIMITER = /^-- ?$/;
const MOBILE_SIGNATURE = /^\s*(sent from my \w+|sent from (yahoo )?mail( for \w+| on \w+)?|dikirim dari (iphone|ipad|android|yahoo mail|ponsel|perangkat|email untuk windows|mail untuk windows)\b.*|get outlook for \w+|dapatkan outlook untuk \w+|sent from outlook\b.*|dikirim dari outlook\b.*|sent from samsung\b.*|sent via \w+.*)\s*$/i;

/**
 * Index of the first line that starts the quoted history, or -1. A bare "Dari: …" / "Kepada: …" pair
 * starts it only in a reply: a citizen's letter is laid out that way ("Dengan hormat, / Dari: Budi /
 * Kepada: Ketua DPRD / Perihal: …").
 */
function quoteStart(lines: readonly string[], reply: boolean): number {
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!.trim();
    if (line === '') continue;
    if (ORIGINAL_MESSAGE.test(line)) return i;
    // attributions are wrapped by some clients: try the line alone and joined with the next two
    let joined = line;
    for (let k = 0; k < 3 && i + k < lines.length; k++) {
      if (k > 0) joined = `${joined} ${lines[i + k]!.trim()}`;
      if (ATTRIBUTION.test(joined)) return i;
    }
    if (RULE.test(line) && HEADER_FROM.test(lines[i + 1] ?? '')) return i;
    if (reply && HEADER_FROM.test(line) && HEADER_SENT.test(lines[i + 1] ?? '') && i > 0) return i;
  }
  return -1;
}

/**
 * The case text of a reply: quoted history, `>` lines, the signature after "-- " and mobile
 * signatures removed. Falls back to the whole text when nothing would remain (a mail that is all
 * quote is better kept whole than recorded empty).
 */
export function trimReply(text: string, reply = true): { text: string; trimmed: boolean } {
  const lines = text.replace(/\r\n?/g, '\n').split('\n');
  let kept = lines;
  const q = quoteStart(kept, reply);
  if (q > 0) kept = kept.slice(0, q);
  // written below the quote (Thunderbird's default, "bottom-posting"): the attribution line goes, the
  // quoted ">" lines go below, what was written after them stays
  else if (q === 0 && ATTRIBUTION.test(kept[0]!.trim()) && kept.slice(1).some((l) => /^\s*>/.test(l))) kept = kept.slice(1);
  kept = kept.filter((l) => !/^\s*>/.test(l));
  const sig = kept.findIndex((l, i) => SIG_DELIMITER.test(l) && kept.slice(0, i).some((x) => x.trim() !== ''));
  if (sig > 0) kept = kept.slice(0, sig);
  const mobile = kept.findIndex((l, i) => MOBILE_SIGNATURE.test(l) && kept.slice(0, i).some((x) => x.trim() !== ''));
  if (mobile > 0) kept = kept.slice(0, mobile);
  const out = kept.join('\n').trim();
  if (out === '') return { text: text.trim(), trimmed: false };
  return { text: out, trimmed: out !== text.trim() };
}

/** Subjects of forwarded mail: its quoted part is the content, not history. */
export function isForwardSubject(subject: string | undefined): boolean {
  return subject !== undefined && /^\s*(fwd?|fw|tr|wg|terusan|diteruskan)\s*:/i.test(subject);
}
