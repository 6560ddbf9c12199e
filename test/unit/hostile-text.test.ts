/**
 * Citizens' text on its way through the text functions, at sizes far beyond any real message: each must
 * give its result without work growing with the square of the input (that was minutes of CPU for one
 * hostile form post or mail). The results are asserted, not the time: on the old patterns these tests
 * ran past the test timeout.
 */
import { describe, expect, it } from 'vitest';
import { htmlToText } from '../../connectors/email/email.text.ts';
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

describe('hostile HTML mail bodies', () => {
  it('an HTML part of 400 KB of "<div" with no ">" (the Outlook quote search read it again from every "<div")', () => {
    expect(htmlToText(`<p>Jalan rusak</p>${'<div'.repeat(100_000)}`, true)).toBe('Jalan rusak');
  });

  it('an HTML part nested 280,000 elements deep is read as text (the HTML parser\'s work grew with the square of the depth)', () => {
    const deep = `${'<b><i>'.repeat(140_000)}lubang di jalan &amp; selokan&nbsp;mampet<br>sejak &#77;aret`;
    expect(htmlToText(deep)).toBe('lubang di jalan & selokan mampet\nsejak Maret');
    expect(htmlToText(`<p>Pak,</p>${deep}<blockquote>kutipan`, true)).toBe('Pak,\nlubang di jalan & selokan mampet\nsejak Maret');
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
