import { compile, type HtmlToTextOptions, type SelectorDefinition } from 'html-to-text';

/** Characters of HTML converted; beyond it the part is cut (html-to-text would only warn on stdout). */
export const HTML_MAX_CHARS = 2_000_000;

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
const OUTLOOK_QUOTE_START = /<div[^>]*\bid=["']?(?:appendonsend|divRplyFwdMsg)\b|<div[^>]*\bclass=["']?OutlookMessageHeader\b|<div[^>]*style=["'][^"']*border-top:\s*solid\s+#(?:E1E1E1|B5C4DF)/i;

/** Readable text of an HTML body; `withoutQuotes` drops quoted history and marked-up signatures. */
export function htmlToText(html: string, withoutQuotes = false): string {
  let input = html.length > HTML_MAX_CHARS ? html.slice(0, HTML_MAX_CHARS) : html;
  if (withoutQuotes) {
    const q = OUTLOOK_QUOTE_START.exec(input);
    if (q) input = input.slice(0, q.index);
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
