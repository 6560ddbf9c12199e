/**
 * The status form's example number is one of this instance (its casePrefix, this year): a DPRD instance's
 * citizens hold DPRD-2026-… numbers, and the form showed ADU-2026-000123.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { yearIn } from '../../core/case-number.ts';
import { startHarness, type Harness } from '../helpers/harness.ts';
import { freePort } from '../helpers/ports.ts';

let h: Harness;
let base: string;

beforeAll(async () => {
  const port = await freePort();
  h = await startHarness({ instance: { name: 'DPRD Test', casePrefix: 'DPRD' }, channels: [{ id: 'web', type: 'web', listen: { host: '127.0.0.1', port } }] });
  await h.startConnector('web');
  base = `http://127.0.0.1:${port}`;
});
afterAll(async () => { await h?.stop(); });

describe('the status form', () => {
  it('gives a number of this instance as the example, with the current year', async () => {
    const page = await (await fetch(`${base}/status`)).text();
    expect(page).toContain(`placeholder="DPRD-${yearIn(new Date(), h.config.instance.timezone)}-000123"`);
    expect(page).not.toContain('ADU-');
  });
});
