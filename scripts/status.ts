// `aduan status`: what the gateway is doing now, on one screen — for the operator at night who wants
// to know whether messages come in, whether anything is stuck, and what waits for a person.
import type { AduanConfig } from '../core/config/schema.ts';
import type { Db } from '../core/db/client.ts';
import { formatTime } from '../core/mail/compose.ts';
import { outboxCounts } from '../core/repo/outbox.repo.ts';
import { caselessCounts } from '../core/repo/messages.repo.ts';
import { quietToldAt } from '../core/lifecycle/quiet.ts';
import { getState, LAST_INPUT } from '../core/repo/state.repo.ts';
import { backupLine } from './doctor-notes.ts';

/** Statuses a case waits in for someone (a person, a division, the citizen). */
const OPEN = ['triage', 'received', 'forwarded', 'in_review', 'action', 'reopened', 'awaiting_feedback'];

export interface StatusReport {
  at: string;
  channels: { id: string; type: string; enabled: boolean; lastInputAt: string | null; quietAlertHours: number | null; quiet: boolean; toldQuietAt: string | null }[];
  queues: { name: string; waiting: number; active: number; delayed: number; failed: number }[] | { error: string };
  outbox: Record<string, number>;
  /**
   * Per status; for the statuses a case waits in, `longestWaitingSince`: when the case that has waited longest
   * entered its current status (its latest event moving it there, or its creation) — not its last update.
   */
  cases: { status: string; count: number; longestWaitingSince: string | null }[];
  quarantined: number;
  /**
   * Messages recorded on no case in the last 24 hours (since `since`): `unmatched` — questions about a case
   * the sender has none of, answered neutrally —, `ignored` — auto-replies, bounces (aduan messages lists them).
   */
  caseless: { since: string; unmatched: number; ignored: number };
  backup: { ok: boolean; text: string };
}

/** How far back `aduan status` counts the messages recorded on no case. */
const CASELESS_HOURS = 24;

export async function gatherStatus(config: Readonly<AduanConfig>, db: Db, queueNames: string[], now = new Date()): Promise<StatusReport> {
  const c = db.$client;
  const channels = config.channels.map((ch) => {
    const hours = (ch as { quietAlertHours?: number }).quietAlertHours ?? null;
    const last = getState<string>(db, ch.id, LAST_INPUT) ?? null;
    // quiet as the scheduler judged it (only watched time counts: core/lifecycle/quiet.ts), not worked out again here
    const told = quietToldAt(db, ch.id);
    return { id: ch.id, type: ch.type, enabled: ch.enabled, lastInputAt: last, quietAlertHours: hours, quiet: told !== undefined, toldQuietAt: told ?? null };
  });
  const cases = casesWaiting(db);
  const quarantined = (c.prepare('SELECT count(*) AS n FROM quarantine WHERE resolved_at IS NULL').get() as { n: number }).n;
  const since = new Date(now.getTime() - CASELESS_HOURS * 3_600_000).toISOString();
  const caseless = { since, ...caselessCounts(db, since) };
  return { at: now.toISOString(), channels, queues: await queueCounts(config, queueNames), outbox: outboxCounts(db, now.toISOString()), cases, quarantined, caseless, backup: backupLine(config, now) };
}

/**
 * When a case entered its current status: its latest event that moved it there (setCaseStatus; intake's
 * `received` event for the first status), else its creation. Per case of the status, through
 * cases_status_idx and case_events_case_idx (a case's few events), as the SLA sweep reads them: the open
 * cases, never the history. (A note, a linked report or an added message moves updated_at, not this.)
 */
const LONGEST_WAITING = `SELECT min(coalesce((SELECT max(e.at) FROM case_events e WHERE e.case_id = c.id AND e.to_status = c.status), c.created_at)) AS at
  FROM cases c WHERE c.status = ?`;

/** The cases per status, and for the statuses a case waits in, since when the longest-waiting one is in it. */
export function casesWaiting(db: Db): StatusReport['cases'] {
  const c = db.$client;
  const counts = new Map((c.prepare('SELECT status, count(*) AS n FROM cases GROUP BY status').all() as { status: string; n: number }[]).map((r) => [r.status, r.n]));
  const longest = c.prepare(LONGEST_WAITING);
  return [...counts].sort(([a], [b]) => rank(a) - rank(b)).map(([status, count]) => ({
    status, count, longestWaitingSince: OPEN.includes(status) ? ((longest.get(status) as { at: string | null }).at ?? null) : null,
  }));
}

function rank(status: string): number {
  const i = OPEN.indexOf(status);
  return i === -1 ? 100 : i;
}

async function queueCounts(config: Readonly<AduanConfig>, names: string[]): Promise<StatusReport['queues']> {
  const { connectForCli, queueSettings, shownRedisUrl } = await import('../core/queue.ts');
  // (the gateway's own client — Sentinel and TLS as configured — but one attempt, nothing retried: with
  // Redis down the operator sees the rest at once)
  let connection;
  try {
    connection = await connectForCli(config);
  } catch (err) {
    return { error: `Redis ${shownRedisUrl(config.redis.url ?? 'redis://127.0.0.1:6379')} does not answer (${(err as Error).message})` };
  }
  try {
    const { Queue } = await import('bullmq');
    const out = [];
    for (const name of names) {
      const q = new Queue(name, { ...queueSettings(config, 'worker'), connection });
      const n = await q.getJobCounts('waiting', 'active', 'delayed', 'failed', 'prioritized');
      out.push({ name, waiting: (n['waiting'] ?? 0) + (n['prioritized'] ?? 0), active: n['active'] ?? 0, delayed: n['delayed'] ?? 0, failed: n['failed'] ?? 0 });
      await q.close();
    }
    return out;
  } finally {
    connection.disconnect();
  }
}

function ago(iso: string, now: Date): string {
  const min = Math.max(0, Math.round((now.getTime() - Date.parse(iso)) / 60_000));
  if (min < 60) return `${min} min ago`;
  if (min < 48 * 60) return `${Math.round(min / 60)} h ago`;
  return `${Math.round(min / 1440)} days ago`;
}

export function formatStatus(config: Readonly<AduanConfig>, r: StatusReport): string {
  const now = new Date(r.at);
  const lines = [`${config.instance.name} — ${formatTime(r.at, config.instance.timezone)}`, '', 'channels (last input: a message recorded or input quarantined):'];
  const width = Math.max(...r.channels.map((c) => `${c.id} (${c.type})`.length), 10);
  for (const ch of r.channels) {
    const name = `${ch.id} (${ch.type})`.padEnd(width);
    if (!ch.enabled) {
      lines.push(`  ${name}  disabled`);
      continue;
    }
    const last = ch.lastInputAt ? `last input ${ago(ch.lastInputAt, now)}` : 'nothing taken in yet';
    const watch = ch.quietAlertHours === null ? '' : ch.quiet ? `  ! quiet longer than quietAlertHours ${ch.quietAlertHours}${ch.toldQuietAt ? ` (told ${ago(ch.toldQuietAt, now)})` : ''}` : `  (watched: quietAlertHours ${ch.quietAlertHours})`;
    lines.push(`  ${name}  ${last}${watch}`);
  }
  if (r.channels.length === 0) lines.push('  (none configured)');
  lines.push('', 'queues (Redis):');
  if ('error' in r.queues) lines.push(`  ! ${r.queues.error}: connectors answer 503 or keep their input, workers wait (aduan doctor)`);
  else for (const q of r.queues) lines.push(`  ${q.name.padEnd(24)} waiting ${q.waiting}, active ${q.active}, delayed ${q.delayed}, failed ${q.failed}${q.failed > 0 ? '  ! aduan dlq list' : ''}`);
  const ob = Object.entries(r.outbox).map(([k, v]) => `${k} ${v}`).join(', ') || 'empty';
  lines.push('', `outbox (mails and replies): ${ob}${r.outbox['dead'] ? '  ! dead: aduan dlq list / aduan cases show' : ''}`);
  lines.push('', 'cases:');
  for (const c of r.cases) lines.push(`  ${c.status.padEnd(18)} ${String(c.count).padStart(8)}${c.longestWaitingSince ? `   longest waiting since ${formatTime(c.longestWaitingSince, config.instance.timezone)}` : ''}`);
  if (r.cases.length === 0) lines.push('  (none yet)');
  const triage = r.cases.find((c) => c.status === 'triage');
  if (triage) lines.push(`  ! ${triage.count} wait for a person to sort them: aduan cases list --status triage`);
  const { unmatched, ignored } = r.caseless;
  lines.push('', `recorded without a case (${CASELESS_HOURS} h): ${unmatched} unmatched, ${ignored} ignored${unmatched + ignored > 0 ? ': aduan messages' : ''}`);
  if (r.quarantined > 0) lines.push('', `! ${r.quarantined} input(s) in quarantine: aduan quarantine`);
  lines.push('', `${r.backup.ok ? '' : '! '}${r.backup.text}`);
  return lines.join('\n');
}

