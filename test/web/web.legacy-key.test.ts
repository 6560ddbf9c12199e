/**
 * A report the website sent with an Idempotency-Key to a version before web messages carried their
 * content digest is recorded under the key alone (its id of the key alone, no digest kept). The website
 * retrying it after the upgrade (its request timed out then) used to get a new id that never showed a
 * case number, and the intake worker warned of an e-mail whose "stored original (storage.dir) is
 * missing"; another report under that key was dropped as its retry. Now the retry is answered with the
 * recorded message's id (nothing queued, nothing logged), and another report is recorded as its own.
 */
import { Writable } from 'node:stream';
import { Queue } from 'bullmq';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cases, messages } from '../../core/db/schema.ts';
import { ingestId } from '../../core/message.ts';
import { startHarness, type Harness } from '../helpers/harness.ts';
import { freePort, waitFor } from '../helpers/ports.ts';

let h: Harness;
let base: string;
let queue: Queue;
const logLines: string[] = [];

beforeAll(async () => {
  const port = await freePort();
  h = await startHarness({ channels: [{ id: 'web', type: 'web', listen: { host: '127.0.0.1', port }, rateLimit: { perMinute: 0 } }] },
    { logs: new Writable({ write(chunk: Buffer, _enc, cb) { logLines.push(chunk.toString()); cb(); } }) });
  await h.startConnector('web');
  h.startIntake();
  base = `http://127.0.0.1:${port}`;
  queue = new Queue('intake', { connection: { host: '127.0.0.1', port: h.redis.port }, prefix: h.config.redis.prefix });
});
afterAll(async () => {
  await queue?.close();
  await h?.stop();
});

const post = (body: unknown, key: string): Promise<Response> =>
  fetch(`${base}/v1/messages`, { method: 'POST', headers: { 'content-type': 'application/json', 'idempotency-key': key }, body: JSON.stringify(body) });
const webRows = () => h.db.select().from(messages).all().filter((m) => m.connectorId === 'web');

/** A report as a version before the content digest queued it: under the key alone, no digest, its job id of the key. */
async function recordedByOldVersion(key: string, report: { phone: string; text: string; subject?: string }): Promise<string> {
  const id = ingestId('web', key);
  await queue.add('inbound', {
    connectorId: 'web', channel: 'web', externalId: key, receivedAt: new Date().toISOString(), sender: { phone: `+62${report.phone.slice(1)}` },
    text: report.text, ...(report.subject !== undefined ? { subject: report.subject } : {}), attachments: [], meta: { userAgent: 'website/1.0' },
  }, { jobId: id });
  await waitFor(() => webRows().some((m) => m.ingestId === id && m.caseId !== null));
  expect(webRows().find((m) => m.ingestId === id)!.meta).not.toHaveProperty('contentDigest');
  return id;
}

describe('a website retrying a report recorded before the content digest', () => {
  it('the same report again: answered with the recorded message\'s id, nothing queued, no warning', async () => {
    const report = { phone: '081288880001', subject: 'Drainase', text: 'Drainase mampet di Jl. Gondosuli, air masuk ke rumah warga setiap hujan.' };
    const id = await recordedByOldVersion('order-2211', report);
    const rows = webRows().length;
    const res = await post(report, 'order-2211');
    expect(res.status).toBe(202);
    expect(res.headers.get('idempotent-replayed')).toBe('true');
    expect(await res.json()).toEqual({ id, status: 'accepted' });
    // the website asks after it by that id: its case number
    const status = (await (await fetch(`${base}/v1/messages/${id}`)).json()) as { caseNumber: string | null; status: string };
    expect(status.status).toBe('recorded');
    expect(status.caseNumber).toMatch(/^ADU-\d{4}-\d{6}$/);
    // another report after it is recorded; the retry is not, nor warned of
    const after = (await (await post({ phone: '081288880009', text: 'Penanda: lampu taman mati di Jl. Gondosuli.' }, 'order-2212')).json()) as { id: string };
    await waitFor(() => webRows().some((m) => m.ingestId === after.id));
    expect(webRows().length).toBe(rows + 1);
    expect(logLines.filter((l) => l.includes('stored original'))).toEqual([]);
  });

  it('the same report reaching intake under its new id (queued before the upgrade was done) is recognised by what it says: no second case, no warning', async () => {
    const report = { phone: '081288880002', text: 'Lampu PJU di Jl. Tentara Pelajar mati sejak Jumat, jalan gelap.' };
    const id = await recordedByOldVersion('order-3311', report);
    const casesBefore = h.db.select().from(cases).all().length;
    // (as this version queues it: the key with the report's digest)
    await queue.add('inbound', {
      connectorId: 'web', channel: 'web', externalId: 'order-3311', receivedAt: new Date().toISOString(), sender: { phone: '+6281288880002' },
      text: report.text, attachments: [], meta: { userAgent: 'website/1.0', contentDigest: 'ab'.repeat(32) },
    }, { jobId: ingestId('web', `order-3311#${'ab'.repeat(8)}`) });
    const job = await queue.getJob(ingestId('web', `order-3311#${'ab'.repeat(8)}`));
    await waitFor(async () => (await job!.getState()) === 'completed');
    expect((await queue.getJob(job!.id!))!.returnvalue).toMatchObject({ ingestId: id, created: false });
    expect(h.db.select().from(cases).all().length).toBe(casesBefore);
    expect(logLines.filter((l) => l.includes('stored original'))).toEqual([]);
  });

  it('another report under that key is recorded as its own, never dropped as the retry', async () => {
    const first = await recordedByOldVersion('session-4411', { phone: '081288880003', text: 'Sampah menumpuk di TPS Jl. Kusumanegara, sudah seminggu.' });
    const other = { phone: '081288880004', text: 'Trotoar di Jl. Sudirman ambles dekat halte, berbahaya bagi pejalan kaki.' };
    const res = await post(other, 'session-4411');
    expect(res.status).toBe(202);
    expect(res.headers.get('idempotent-replayed')).toBeNull();
    const { id } = (await res.json()) as { id: string };
    expect(id).not.toBe(first);
    await waitFor(() => webRows().some((m) => m.ingestId === id && m.caseId !== null));
    const row = webRows().find((m) => m.ingestId === id)!;
    expect(row.text).toBe(other.text);
    expect(row.caseId).not.toBe(webRows().find((m) => m.ingestId === first)!.caseId);
    expect(logLines.filter((l) => l.includes('stored original'))).toEqual([]);
  });
});
