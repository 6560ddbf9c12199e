import type { Db } from '../../core/db/client.ts';
import { recordInbound } from '../../core/intake.ts';
import { ingestId, inboundMessageSchema } from '../../core/message.ts';
import type { Understander } from '../../core/understand.ts';
import { createUnderstander } from '../../core/understanding/index.ts';
import { loadDivisions } from '../../scripts/eval.ts';
import { testConfig } from './config.ts';

/**
 * SMS intake straight into `db` with the committed models and the shipped divisions, no queue.
 * Set `state.unsure` to make every decision a triage case (a person decides), whatever the guess.
 * No audit sample unless `classifier.auditShare` is given.
 */
export function smsIntake(db: Db, classifier: Record<string, unknown> = {}) {
  const config = testConfig({ divisions: loadDivisions(), classifier: { auditShare: 0, ...classifier } });
  const real = createUnderstander(config);
  const state = { unsure: false };
  const understander: Understander = { ...real, understand: (...a) => ({ ...real.understand(...a), ...(state.unsure ? { triage: true } : {}) }) };
  const deps = { db, config, outboundChannels: new Set<string>() };
  let n = 0;
  /** Records one SMS (a new sender each time unless `phone` is given) and returns its case number. */
  const send = (text: string, o: { phone?: string; at?: string } = {}): string => {
    n++;
    const at = o.at ?? '2026-03-01T08:00:00.000Z';
    const message = inboundMessageSchema.parse({ connectorId: 'sms-test', channel: 'sms', externalId: `s${n}`, receivedAt: at, sender: { phone: o.phone ?? `+628120${String(n).padStart(6, '0')}` }, text });
    return recordInbound({ ...deps, understander, now: () => new Date(at) }, message, ingestId('sms-test', message.externalId)).caseNumber!;
  };
  return { config, deps, send, state };
}
