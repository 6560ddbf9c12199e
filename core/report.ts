// The SOP's archive (`aduan export`) and the monthly figures for the secretariat (`aduan report`, and the scheduler's monthly mail: core/lifecycle/monthly-report.ts).
import type { Db } from './db/client.ts';
import { casesBetween, casesBetweenChunks, humanLabelOf, isFollowedReroute } from './repo/report.repo.ts';
import { REPORT_COMPLETED } from './repo/cases.repo.ts';
import { maskPii } from './logger.ts';
import { startOfLocalDay } from './lifecycle/calendar.ts';
import { AduanError } from './errors.ts';

/** A YYYY-MM-DD that names a real day (2026-02-30, 2026-13-01 and 1/11/2026 do not). */
function isCalendarDay(text: string): boolean {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text);
  if (!m) return false;
  const d = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])));
  return d.getUTCFullYear() === Number(m[1]) && d.getUTCMonth() === Number(m[2]) - 1 && d.getUTCDate() === Number(m[3]);
}

/** The instants a span of local days (YYYY-MM-DD, inclusive) begins and ends, in the instance's timezone. */
function range(from: string | undefined, to: string | undefined, timezone: string): [string, string] {
  for (const [field, day] of [['--from', from], ['--to', to]] as const) {
    if (day !== undefined && !isCalendarDay(day)) throw new AduanError('INPUT.INVALID', { field, detail: `"${day}": a day as YYYY-MM-DD, e.g. 2026-11-01` });
  }
  const start = from ? startOfLocalDay(from, timezone) : new Date('1970-01-01T00:00:00Z');
  const end = to ? new Date(startOfLocalDay(to, timezone).getTime() + 86_400_000) : new Date('9999-01-01T00:00:00Z');
  return [start.toISOString(), end.toISOString()];
}

/**
 * One CSV cell. A citizen's text beginning with = + - @ (or a tab or CR) would be a formula to a
 * spreadsheet ("=HYPERLINK(…)", "+1+cmd|…"): such a cell starts with ' (OWASP's CSV injection advice).
 */
function csvCell(v: unknown): string {
  const raw = v === null || v === undefined ? '' : String(v);
  const s = /^[=+\-@\t\r]/.test(raw) && raw !== '-' ? `'${raw}` : raw;
  return /[",\n\r']/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/** Who did it: a citizen's phone or e-mail is masked as in the logs (the case rows carry no contact either). */
const actorOf = (e: { actorType: string; actor: string }): string => `${e.actorType}:${e.actorType === 'citizen' ? maskPii(e.actor) : e.actor}`;
const csvLine = (cells: unknown[]): string => `${cells.map(csvCell).join(',')}\n`;

/** `aduan export` as a whole (tests, small ranges); the CLI writes exportChunks as they come. */
export function exportCases(db: Db, from: string | undefined, to: string | undefined, format: 'csv' | 'json', timezone = 'Asia/Jakarta'): string {
  return [...exportChunks(db, from, to, format, timezone)].join('');
}

/**
 * `aduan export`, a chunk of cases at a time (casesBetweenChunks): the output of a history of years is
 * written as it is read, in the memory of one chunk. The JSON is the same as JSON.stringify(all, null, 2).
 */
export function* exportChunks(db: Db, from: string | undefined, to: string | undefined, format: 'csv' | 'json', timezone = 'Asia/Jakarta',
  /** After each chunk's text was taken: how many cases it held (the CLI's progress on stderr). */
  onCases?: (cases: number) => void): Generator<string> {
  const [a, b] = range(from, to, timezone);
  if (format === 'json') {
    let first = true;
    for (const rows of casesBetweenChunks(db, a, b)) {
      const items = rows.map((r) => ({
        number: r.case.number, status: r.case.status, kind: r.case.kind, division: r.case.divisionId, channel: r.case.channel,
        createdAt: r.case.createdAt, closedAt: r.case.closedAt, relatedTo: r.relatedTo, reportCount: r.case.reportCount, reopenCount: r.case.reopenCount,
        subject: r.case.subject, text: r.case.summary,
        events: r.events.map((e) => ({ at: e.at, type: e.type, actor: actorOf(e), from: e.fromStatus, to: e.toStatus, text: e.text })),
        correctiveActions: r.actions.map((x) => ({ cause: x.cause, plan: x.plan, owner: x.owner, due: x.due, createdAt: x.createdAt, actor: x.actor })),
      }));
      // (an array's items as JSON.stringify(array, null, 2) writes them: each line indented two more spaces)
      // (only \n: JSON.stringify writes U+2028/U+2029 inside strings raw, and a /^/m would indent after them too)
      const text = items.map((item) => `  ${JSON.stringify(item, null, 2).replace(/\n/g, '\n  ')}`).join(',\n');
      if (text === '') continue;
      yield `${first ? '[\n' : ',\n'}${text}`;
      first = false;
      onCases?.(rows.length);
    }
    yield first ? '[]\n' : '\n]\n';
    return;
  }
  yield csvLine(['record', 'number', 'at', 'status_or_type', 'kind_or_actor', 'division', 'channel', 'detail']);
  for (const rows of casesBetweenChunks(db, a, b)) {
    let out = '';
    for (const r of rows) {
      out += csvLine(['case', r.case.number, r.case.createdAt, r.case.status, r.case.kind, r.case.divisionId, r.case.channel, r.case.summary]);
      for (const e of r.events) out += csvLine(['event', r.case.number, e.at, e.type, actorOf(e), '', '', e.text]);
      for (const x of r.actions) out += csvLine(['corrective_action', r.case.number, x.createdAt, x.due ?? '', x.owner, '', '', `${x.cause} | ${x.plan}`]);
    }
    yield out;
    onCases?.(rows.length);
  }
}

function median(values: number[]): number | null {
  if (values.length === 0) return null;
  const s = [...values].sort((x, y) => x - y);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

const fmtMinutes = (m: number | null): string => (m === null ? '-' : m < 1 ? `${(m * 60).toFixed(0)} detik` : m < 10 ? `${m.toFixed(1)} menit` : m < 120 ? `${m.toFixed(0)} menit` : m < 2880 ? `${(m / 60).toFixed(1)} jam` : `${(m / 1440).toFixed(1)} hari`);

/** The month's figures; the month is the instance's (`timezone`: its days begin at local midnight). */
export function monthlyReport(db: Db, month: string, csv: boolean, timezone = 'Asia/Jakarta'): string {
  if (!/^\d{4}-(?:0[1-9]|1[0-2])$/.test(month)) throw new AduanError('INPUT.INVALID', { field: '--month', detail: `"${month}": a month as YYYY-MM, e.g. 2026-11` });
  const [y, m] = month.split('-').map(Number) as [number, number];
  const last = new Date(Date.UTC(y, m, 0)).getUTCDate();
  const [a, b] = range(`${month}-01`, `${month}-${String(last).padStart(2, '0')}`, timezone);
  const rows = casesBetween(db, a, b);
  const count = (key: (r: (typeof rows)[number]) => string): Record<string, number> =>
    rows.reduce<Record<string, number>>((acc, r) => ({ ...acc, [key(r)]: (acc[key(r)] ?? 0) + 1 }), {});
  // a report that joined its problem's open report (dedupe.digestMinutes) reached the division at once, and took the
  // problem's stage: its times are the problem's, counted on that report, and would only pull the medians down
  const joined = (r: (typeof rows)[number]): boolean => r.events.some((e) => e.type === 'forwarded' && (e.data as { joined?: unknown } | null)?.joined !== undefined);
  const minutesTo = (types: string[]): number[] => rows.flatMap((r) => {
    if (joined(r)) return [];
    const e = r.events.find((x) => types.includes(x.type));
    return e ? [(Date.parse(e.at) - Date.parse(r.case.createdAt)) / 60_000] : [];
  });
  // a case counts by how it ends: its latest closing, while it stays closed (or archived) — a PUAS followed by a
  // reopening (the citizen phoned: not fixed) and no answer to the next result is no satisfied case, and a case
  // reopened and worked on again is not closed (before, any PUAS ever made a case a satisfied one)
  const lastClosing = (r: (typeof rows)[number]) => (r.case.status === 'closed' || r.case.status === 'archived'
    ? r.events.filter((e) => e.type === 'closed_satisfied' || e.type === 'closed_no_answer').at(-1) : undefined);
  const closed = rows.filter((r) => lastClosing(r) !== undefined);
  const satisfied = closed.filter((r) => lastClosing(r)!.type === 'closed_satisfied').length;
  const reopened = rows.filter((r) => r.case.reopenCount > 0).length;
  const recurring = rows.filter((r) => r.case.reportCount > 1).sort((x, z) => z.case.reportCount - x.case.reportCount).slice(0, 10);
  // How the classifier and router did on this month's real messages, as far as people looked:
  // triage cases they settled (was the guess kept?), and confident decisions they changed later.
  const intake = (r: (typeof rows)[number]) => r.events.find((e) => e.type === 'received');
  const guessOf = (r: (typeof rows)[number]): unknown => (intake(r)?.data as { label?: unknown } | null)?.label;
  const humanLabel = (r: (typeof rows)[number]): string | undefined => r.events.map(humanLabelOf).filter((l) => l !== undefined).at(-1);
  const triaged = rows.filter((r) => intake(r)?.toStatus === 'triage');
  const settled = triaged.filter((r) => humanLabel(r) !== undefined);
  const kept = settled.filter((r) => humanLabel(r) === guessOf(r)).length;
  // the audit sample (classifier.auditShare) was confident: how often a person agreed is the real precision of those decisions
  const triagedFor = (why: string) => settled.filter((r) => (intake(r)?.data as { triage?: unknown } | null)?.triage === why);
  const audited = triagedFor('audit');
  // statements/spam that might have been complaints (classifier.complaintDoubtAbove): how many were
  const doubted = triagedFor('maybe-complaint');
  const changedLater = rows.filter((r) => intake(r)?.toStatus !== 'triage' && humanLabel(r) !== undefined && humanLabel(r) !== guessOf(r)).length;
  const waited = rows.filter((r) => r.events.some((e) => e.type === 'note' && typeof (e.data as { heldUntil?: unknown } | null)?.heldUntil === 'string'));
  const unlinked = (r: (typeof rows)[number]): boolean => r.events.some((e) => e.type === 'recurring_unlinked' && (e.data as { from?: unknown } | null)?.from !== undefined);
  const pct = (n: number, d: number): string => (d ? `${((100 * n) / d).toFixed(0)}% (${n}/${d})` : '-');
  const firstDecision = (r: (typeof rows)[number]): number[] => {
    const e = r.events.find((x) => humanLabelOf(x) !== undefined);
    return e ? [(Date.parse(e.at) - Date.parse(r.case.createdAt)) / 60_000] : [];
  };
  const figures: [string, string][] = [
    ['cases', String(rows.length)],
    ...Object.entries(count((r) => r.case.channel)).map(([k, v]): [string, string] => [`channel:${k}`, String(v)]),
    ...Object.entries(count((r) => r.case.divisionId)).map(([k, v]): [string, string] => [`division:${k}`, String(v)]),
    ...Object.entries(count((r) => r.case.kind)).map(([k, v]): [string, string] => [`kind:${k}`, String(v)]),
    ['median_ack', fmtMinutes(median(rows.flatMap((r) => (r.ackSentAt ? [(Date.parse(r.ackSentAt) - Date.parse(r.case.createdAt)) / 60_000] : []))))],
    ['median_forward', fmtMinutes(median(minutesTo(['forwarded'])))],
    ['median_first_response', fmtMinutes(median(minutesTo(['review_started'])))],
    ['median_close', fmtMinutes(median(minutesTo(['closed_satisfied', 'closed_no_answer'])))],
    ['satisfaction_rate', closed.length ? `${((100 * satisfied) / closed.length).toFixed(0)}%` : '-'],
    ['reopen_rate', rows.length ? `${((100 * reopened) / rows.length).toFixed(0)}%` : '-'],
    ['triage', String(triaged.length)],
    // why each waited for a person (unsure, maybe-complaint, known-sender, audit): which threshold costs the desk what
    ...Object.entries(triaged.reduce<Record<string, number>>((acc, r) => {
      const why = String((intake(r)?.data as { triage?: unknown } | null)?.triage ?? 'unsure');
      return { ...acc, [why]: (acc[why] ?? 0) + 1 };
    }, {})).sort().map(([k, v]): [string, string] => [`triage:${k}`, String(v)]),
    ['triage_waiting', String(triaged.filter((r) => r.case.status === 'triage').length)],
    ['median_triage', fmtMinutes(median(settled.flatMap(firstDecision)))],
    ['triage_guess_kept', pct(kept, settled.length)],
    ['audit_guess_kept', pct(audited.filter((r) => humanLabel(r) === guessOf(r)).length, audited.length)],
    ['maybe_complaint_confirmed', pct(doubted.filter((r) => humanLabel(r) === 'complaint').length, doubted.length)],
    // a person's decision on a text reaching its copies: settled with the decided case, or following it at intake
    ['settled_as_copy', String(rows.filter((r) => r.events.some((e) => e.type === 'classified_as_copy')).length)],
    ['followed_person_label', String(rows.filter((r) => ((intake(r)?.data as { features?: unknown } | null)?.features as string[] | undefined)?.[0]?.startsWith('person:') === true).length)],
    // one answer for one problem (dedupe.shareResults): reports whose result came with another report's
    ['result_shared', String(rows.filter((r) => r.events.some((e) => e.type === 'result_sent' && (e.data as { sharedFrom?: unknown } | null)?.sharedFrom !== undefined)).length)],
    // reports whose first message said only who and where, so their forward (or the desk's notice) waited for the rest
    // (dedupe.continuationMinutes), and how many the citizen completed within the wait
    ['waited_for_rest', String(waited.length)],
    ['completed_in_wait', pct(waited.filter((r) => r.events.some((e) => e.type === REPORT_COMPLETED || e.type === 'completed_by_citizen')).length, waited.length)],
    // later reports that joined an open report of their problem instead of a forward mail of their own (dedupe.digestMinutes)
    ['joined_open_report', String(rows.filter(joined).length)],
    // repeat detection as people saw it: reports linked to an earlier one that staff took out again (#bukan-berulang)
    ['recurring_unlinked', pct(rows.filter(unlinked).length, rows.filter((r) => r.case.relatedToCaseId !== null || unlinked(r)).length)],
    ['label_changed_later', pct(changedLater, rows.length - triaged.length)],
    // by a person (intake's re-route of a report its citizen completed in a later message is no correction)
    ['rerouted', pct(rows.filter((r) => r.events.some((e) => e.type === 'rerouted' && e.actorType !== 'system' && !isFollowedReroute(e.data))).length, rows.length)],
    ...recurring.map((r, i): [string, string] => [`top_recurring_${i + 1}`, `${r.case.number} (${r.case.reportCount}x) ${r.case.summary.replace(/\s+/g, ' ').slice(0, 60)}`]),
  ];
  if (csv) return csvLine(['figure', 'value']) + figures.map((f) => csvLine(f)).join('');
  return `Laporan aduan ${month}\n${figures.map(([k, v]) => `${k.padEnd(24)} ${v}`).join('\n')}\n`;
}
