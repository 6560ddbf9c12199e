/**
 * Citizens' text on its way through the text functions, at sizes far beyond any real message: each must
 * give its result without work growing with the square of the input (that was minutes of CPU for one
 * hostile form post or mail). The results are asserted, not the time: on the old patterns these tests
 * ran past the test timeout.
 */
import { describe, expect, it } from 'vitest';
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
