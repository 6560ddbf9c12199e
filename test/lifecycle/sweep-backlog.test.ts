/**
 * A sweep with a backlog of writes (thousands of closed cases to archive: archive.afterDays lowered, the
 * scheduler stopped for weeks, an upgrade on a history of years) runs in many transactions of
 * LIMITS.sweepWritesPerTransaction writes. A transaction whose writes are all spent can write no
 * reminder or escalation: it does not read the clocks (every open case's stage) either — each of a
 * backlog's transactions did, for nothing (10^6 cases, 283,000 to archive: 1,156 transactions, 7.4 min).
 */
import { afterEach, describe, expect, it } from 'vitest';
import { closeDb, openDb, type Db } from '../../core/db/client.ts';
import { runSweeps } from '../../core/lifecycle/sweeps.ts';
import { LIMITS } from '../../core/limits.ts';
import { insertCase } from '../../core/repo/cases.repo.ts';
import { loadDivisions } from '../../scripts/eval.ts';
import { testConfig } from '../helpers/config.ts';

const config = testConfig({ divisions: loadDivisions(), classifier: { auditShare: 0 } });
const dbs: Db[] = [];
afterEach(() => { while (dbs.length) closeDb(dbs.pop()!); });

const OPEN = 5;
const TO_ARCHIVE = 2 * LIMITS.sweepWritesPerTransaction + 100;

describe('a sweep with a backlog of archivings', () => {
  it('reads the clocks only in a transaction that may still write', () => {
    const db = openDb(':memory:');
    dbs.push(db);
    const old = new Date(Date.UTC(2026, 0, 2)).toISOString();
    db.transaction((tx) => {
      for (let i = 1; i <= TO_ARCHIVE + OPEN; i++) {
        insertCase(tx, { number: `ADU-2026-${String(i).padStart(6, '0')}`, status: i <= TO_ARCHIVE ? 'closed' : 'forwarded', kind: 'complaint', divisionId: config.divisions[0]!.id,
          contactId: null, channel: 'web', connectorId: 'web', subject: null, summary: `aduan ${i}`, relatedToCaseId: null, now: old });
      }
    });
    // the sweep's stage lookups (prepared once per connection: counted from their first preparation)
    const client = db.$client;
    const original = client.prepare;
    let stageReads = 0;
    client.prepare = ((source: string) => {
      const st = original.call(client, source);
      if (!/FROM case_events WHERE case_id = \? AND \(?to_status = \?/.test(source)) return st;
      const get = st.get;
      st.get = ((...params: unknown[]) => {
        stageReads++;
        return get.apply(st, params as never);
      }) as typeof st.get;
      return st;
    }) as typeof client.prepare;
    let transactions = 0;
    const transaction = db.transaction.bind(db);
    db.transaction = ((fn: Parameters<Db['transaction']>[0], cfg?: Parameters<Db['transaction']>[1]) => {
      transactions++;
      return transaction(fn, cfg);
    }) as Db['transaction'];
    try {
      const result = runSweeps({ db, config, outboundChannels: new Set<string>(), pause: () => {} }, new Date(Date.UTC(2026, 2, 2)));
      expect(result.archived).toBe(TO_ARCHIVE);
    } finally {
      client.prepare = original;
    }
    expect(transactions).toBe(3);
    // each open case's stage once (the last transaction), not once in each of the three
    expect(stageReads).toBe(OPEN);
  });
});
