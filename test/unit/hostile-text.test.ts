/**
 * Citizens' text on its way through the text functions, at sizes far beyond any real message: each must
 * give its result without work growing with the square of the input (that was minutes of CPU for one
 * hostile form post or mail). The results are asserted, not the time: on the old patterns these tests
 * ran past the test timeout.
 */
import { describe, expect, it } from 'vitest';
import { capPlain, CUT_NOTE, HTML_MAX_CHARS, htmlToText, PLAIN_MAX_CHARS, trimReply } from '../../connectors/email/email.text.ts';
import { maskPii } from '../../core/logger.ts';
import { normalizeText } from '../../core/message.ts';

describe('hostile text: no super-linear work', () => {
  it('normalizeText: 400,000 blanks not followed by a newline (a web form field, an e-mail body)', () => {
    const blanks = ' \t'.repeat(200_000);
    expect(normalizeText(`jalan rusak${blanks}x`, Number.MAX_SAFE_INTEGER)).toBe(`jalan rusak${blanks}x`);
    // (the blanks before a newline still go, and the cap still applies)
    expect(normalizeText(`jalan rusak${blanks.slice(0, 2_000)}\nx${blanks.slice(0, 2_000)}`)).toBe('jalan rusak\nx');
    expect(normalizeText(`a${blanks.slice(0, 20_000)}b`)).toHaveLength(10_000);
  });
});

describe('huge plain mail bodies', () => {
  it('a 20 MB plain body is read from its first PLAIN_MAX_CHARS characters, the cut marked (trimReply read it all: seconds)', () => {
    const body = `Selokan di Gang Mawar mampet.\n${'Air hujan menggenang sampai ke teras rumah warga.\n'.repeat(400_000)}`;
    const read = capPlain(body);
    expect(read).toBe(`${body.slice(0, PLAIN_MAX_CHARS)}\n\n${CUT_NOTE}`);
    expect(trimReply(read).text.endsWith(`\n\n${CUT_NOTE}`)).toBe(true);
    // a quote that starts before the cut takes the note with it
    expect(trimReply(capPlain(`Belum diperbaiki.\n\nPada 1 Nov 2026, Aduan DPRD menulis:\n${body}`)).text).toBe('Belum diperbaiki.');
    expect(capPlain('pendek')).toBe('pendek');
  });
});

describe('hostile HTML mail bodies', () => {
  it('an HTML part of 400 KB of "<div" with no ">" (the Outlook quote search read it again from every "<div")', () => {
    expect(htmlToText(`<p>Jalan rusak</p>${'<div'.repeat(100_000)}`, true)).toBe('Jalan rusak');
  });

  it('an HTML part nested 140,000 elements deep is read as text (the HTML parser\'s work grew with the square of the depth)', () => {
    // (420,000 characters: within HTML_MAX_CHARS, the text after them is read)
    const deep = `${'<b><i>'.repeat(70_000)}lubang di jalan &amp; selokan&nbsp;mampet<br>sejak &#77;aret`;
    expect(htmlToText(deep)).toBe('lubang di jalan & selokan mampet\nsejak Maret');
    expect(htmlToText(`<p>Pak,</p>${deep}<blockquote>kutipan`, true)).toBe('Pak,\nlubang di jalan & selokan mampet\nsejak Maret');
  });

  it('HTML beyond HTML_MAX_CHARS is read from its start, the cut marked, unless quoted history was cut', () => {
    const big = `<p>${'Jalan di depan rumah saya rusak parah. '.repeat(50)}Mohon segera diperbaiki.</p>\n`.repeat(1_100);
    expect(big.length).toBeGreaterThan(4 * HTML_MAX_CHARS);
    const text = htmlToText(`<p>Pak, laporan saya:</p>${big}`);
    expect(text.startsWith('Pak, laporan saya:\n\nJalan di depan rumah')).toBe(true);
    expect(text.endsWith(`diperbaiki.\n\n${CUT_NOTE}`)).toBe(true);
    expect(text.length).toBeLessThan(HTML_MAX_CHARS);
    // the cut fell in the quote: the citizen's text is whole, and not marked as cut
    expect(htmlToText(`<p>Setuju, terima kasih.</p><blockquote>${big}`, true)).toBe('Setuju, terima kasih.');
    // an inline image of 3 MB (base64 in the markup) takes no room from the text
    const image = `<img src="data:image/png;base64,${'iVBORw0KGgo'.repeat(300_000)}">`;
    expect(htmlToText(`<p>Foto terlampir.</p>${image}<p>Lokasi: Jl. Kaliurang km 5</p>`)).toBe('Foto terlampir.\n\nLokasi: Jl. Kaliurang km 5');
  });

  it('ordinary HTML, unclosed paragraphs and list items included, is still laid out by html-to-text', () => {
    const html = `<div><p>Jalan <b>rusak</b>${'<p>baris'.repeat(300)}<ul>${'<li>butir'.repeat(300)}</ul></div><blockquote>kutipan</blockquote>`;
    const text = htmlToText(html, true);
    expect(text.startsWith('Jalan rusak\n\nbaris\n\nbaris')).toBe(true);
    expect(text).toContain(' * butir\n * butir');
    expect(text).not.toContain('kutipan');
  });
});

describe('hostile text in log lines', () => {
  it('maskPii: a 300,000-character run of address characters without an "@" (a logged subject or file name)', () => {
    const run = 'a.b-c_d'.repeat(43_000);
    expect(maskPii(`${run} budi.santoso@example.org 081234567890`)).toBe(`${run} b***@example.org ***890`);
    // (an address inside a longer run is still masked from the run's start, as before)
    expect(maskPii('lihat:budi@example.org, x-budi@example.org')).toBe('lihat:b***@example.org, x***@example.org');
  });
});
