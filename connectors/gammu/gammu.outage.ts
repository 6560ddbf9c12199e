import type { Logger } from '../../core/logger.ts';

/** While the intake queue stays unavailable, the warning is said again this often. */
export const OUTAGE_REMINDER_MS = 10 * 60_000;

/**
 * The log of an intake-queue (Redis) outage as a poller sees it: one warning when it starts (with how
 * many SMS wait and where), a reminder every OUTAGE_REMINDER_MS while it lasts, one line when the queue
 * takes messages again. Before, every message of every scan logged its own warning with a stack trace
 * (32 per scan, a scan every few seconds), burying the one line that said what to do.
 */
export class QueueOutage {
  private since: number | undefined;
  private lastWarnMs = 0;

  constructor(
    private readonly logger: Logger,
    /** Where the SMS wait, e.g. "in the inbox folder". */
    private readonly where: string,
    private readonly now: () => number = () => Date.now(),
  ) {}

  get active(): boolean {
    return this.since !== undefined;
  }

  /** A scan found the queue unavailable; `waiting`: the SMS it could not hand over. */
  down(err: unknown, waiting: number): void {
    const t = this.now();
    if (this.since === undefined) {
      this.since = t;
      this.lastWarnMs = t;
      this.logger.warn({ err, waiting }, `intake queue unavailable (is Redis up?): ${waiting} SMS wait ${this.where}, nothing is moved or marked taken; retried on every scan (said again every ${OUTAGE_REMINDER_MS / 60_000} minutes while it lasts)`);
      return;
    }
    if (t - this.lastWarnMs < OUTAGE_REMINDER_MS) return;
    this.lastWarnMs = t;
    const minutes = Math.round((t - this.since) / 60_000);
    this.logger.warn({ err, waiting, downMinutes: minutes }, `intake queue still unavailable after ${minutes} minutes (is Redis up?): ${waiting} SMS wait ${this.where}; retried on every scan`);
  }

  /** The queue took a message: the outage, if any, is over. */
  up(): void {
    if (this.since === undefined) return;
    const seconds = Math.round((this.now() - this.since) / 1000);
    this.since = undefined;
    this.logger.info({ downSeconds: seconds }, `intake queue reachable again after ${seconds} s: the SMS that waited ${this.where} are taken now`);
  }
}
