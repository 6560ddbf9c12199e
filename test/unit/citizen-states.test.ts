/**
 * Where a case stands, as its citizen reads it: Telegram's /status answered a reopened or archived case
 * with the internal name ("Aduan ADU-…: reopened."), and the answer to a citizen's message on their
 * case said "Status: spam" or "menunggu pemilahan petugas" (the desk's own words). One set of labels
 * now serves both.
 */
import { describe, expect, it } from 'vitest';
import { CASE_STATES, citizenStateLabel } from '../../core/lifecycle/states.ts';
import { statusLabel } from '../../connectors/telegram/telegram.texts.ts';

describe('case states as citizens read them', () => {
  it.each(Object.keys(CASE_STATES))('%s is said in Indonesian, the same on Telegram as in the answer to a message', (state) => {
    const label = statusLabel(state);
    expect(label).not.toBe(state);
    expect(label).not.toMatch(/_|spam|triage|pemilahan/i);
    expect(label).toBe(citizenStateLabel(state));
  });

  it('an unknown status is never shown as written', () => {
    expect(statusLabel('some_new_state')).toBe('sedang diproses');
  });
});
